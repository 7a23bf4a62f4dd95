import { gzipSync } from 'node:zlib';

/**
 * A built file the search page fetches gzip-compressed whatever the host does and inflates itself
 * (src/search/gzipped.ts): the bytes it costs are the same on any host.
 */
export const gzippedResponse = (text: string): Response =>
  new Response(gzipSync(text, { level: 9 }), { headers: { 'content-type': 'application/octet-stream' } });
