// An HTTP proxy in front of a real registry that can stop answering uploads: a replication
// to it then hangs mid-transfer, deterministically, the way one to a registry behind a dead
// link does. Everything else is passed through unchanged.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { freeLoopbackPort } from './net.ts';

export interface StallingProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** From now on, blob and manifest requests are held without an answer. */
  stall(): void;
  /** The requests held so far ("PUT /v2/..."): each one is a transfer under way. */
  stalled(): string[];
  stop(): Promise<void>;
}

const TRANSFER = /^\/v2\/.+\/(blobs|manifests)\//;

export async function startStallingProxy(target: string): Promise<StallingProxy> {
  const upstream = new URL(target);
  let stalling = false;
  const stalled: string[] = [];
  const held = new Set<ServerResponse>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (stalling && TRANSFER.test(request.url ?? '')) {
      held.add(response);
      stalled.push(`${request.method} ${request.url}`);
      return;
    }
    const outgoing = forward(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  });
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stall: () => (stalling = true),
    stalled: () => [...stalled],
    async stop() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
