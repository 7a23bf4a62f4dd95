/**
 * The patterns of the catalogue of well-known Harbor problems without a page
 * (src/search/other-problems.ts), gzip-compressed: the search page fetches them only for a paste
 * with no signature of ours, and decompresses them itself (otherProblemPatternsFrom), so they
 * cost the same few bytes on any host.
 */
import { gzipSync } from 'node:zlib';
import type { APIRoute } from 'astro';
import { otherProblemPatternsText } from '../search/other-problems.ts';

export const GET: APIRoute = () =>
  new Response(gzipSync(otherProblemPatternsText(), { level: 9 }), { headers: { 'content-type': 'application/octet-stream' } });
