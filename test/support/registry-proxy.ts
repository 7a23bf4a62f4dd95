// A proxy in front of a real registry (or any HTTP server) for tests that need it to
// misbehave or to change between two requests of a run: `before` runs before a request is
// forwarded (e.g. re-push a tag the moment a delete arrives); `change` may rewrite an answer
// (a Link to another host, a malformed list). It records the headers of every request.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { freeLoopbackPort } from './net.ts';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ProxyOptions {
  before?: (method: string, path: string) => Promise<void>;
  change?: (path: string, answer: Answer) => void;
}

export interface TestServer {
  url: string;
  /** The headers of every request received. */
  seen: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

/** An HTTP server on a random loopback port. */
export async function listen(handler: (incoming: IncomingMessage, outgoing: ServerResponse) => void): Promise<TestServer> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, outgoing) => {
    seen.push(incoming.headers);
    handler(incoming, outgoing);
  });
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, seen, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

const HOP_BY_HOP = ['content-length', 'connection', 'transfer-encoding'];

export function startProxy(target: string, options: ProxyOptions = {}): Promise<TestServer> {
  return listen((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    const method = incoming.method ?? 'GET';
    // The body is read before `before` runs: a hook that waits would otherwise find it already
    // ended, and the forwarded request would never end.
    const body: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => body.push(chunk));
    incoming.on('end', () => {
      const answer502 = () => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      };
      // A hook that fails is the test's own error: the client gets a 502 rather than no answer.
      void (options.before?.(method, path) ?? Promise.resolve()).catch(answer502).then(() => {
        if (outgoing.writableEnded) return;
        const forward = httpRequest(`${target}${path}`, { method, headers: { ...incoming.headers, host: new URL(target).host } }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const headers = Object.fromEntries(
              Object.entries(answer.headers)
                .filter(([name]) => !HOP_BY_HOP.includes(name))
                .map(([name, value]) => [name, String(value)]),
            );
            const changed: Answer = { status: answer.statusCode ?? 502, headers, body: Buffer.concat(chunks).toString() };
            options.change?.(path, changed);
            outgoing.writeHead(changed.status, changed.headers);
            outgoing.end(method === 'HEAD' ? undefined : changed.body);
          });
        });
        // The target dropped the request or went away: a 502, as a proxy answers.
        forward.on('error', answer502);
        forward.end(Buffer.concat(body));
      });
    });
  });
}
