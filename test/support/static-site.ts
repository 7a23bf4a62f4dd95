/**
 * Serves the built site (dist/) on a random loopback port, the way an air-gapped
 * file server would: plain files, directory index.html, 404 otherwise.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
};

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

async function resolveFile(root: string, urlPath: string): Promise<string | undefined> {
  const decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const candidate = path.join(root, path.normalize(decoded));
  if (!candidate.startsWith(root)) return undefined;
  for (const file of [candidate, path.join(candidate, 'index.html')]) {
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) return file;
  }
  return undefined;
}

/**
 * `mounts` serves other directories under URL prefixes ({ '/extra/': dir }), for a
 * benchmark that puts a second search bundle beside the site without copying it.
 */
export async function serveStaticSite(root: string, mounts: Record<string, string> = {}): Promise<StaticSite> {
  const absoluteRoot = path.resolve(root);
  const mounted = Object.entries(mounts).map(([prefix, dir]) => [prefix, path.resolve(dir)] as const);
  const server: Server = createServer(async (request, response) => {
    const url = request.url ?? '/';
    const mount = mounted.find(([prefix]) => url.startsWith(prefix));
    const file = mount ? await resolveFile(mount[1], `/${url.slice(mount[0].length)}`) : await resolveFile(absoluteRoot, url);
    if (!file) {
      const notFound = await resolveFile(absoluteRoot, '/404.html');
      response.writeHead(404, { 'content-type': TYPES['.html'] ?? 'text/html' });
      if (notFound) createReadStream(notFound).pipe(response);
      else response.end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  // Node's fetch reuses a connection until shortly before the server's keep-alive ends; on a busy
  // machine the two race and a request meets a closed socket (ECONNRESET). A test server can keep
  // its idle connections longer than any run.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
