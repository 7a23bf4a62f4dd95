/**
 * The patterns of the catalogue of well-known Harbor problems without a page
 * (src/search/other-problems.ts), gzip-compressed: the search page fetches them only for a paste
 * with no signature of ours, and decompresses them itself (otherProblemPatternsFrom), so they
 * cost the same few bytes on any host.
 */
import type { APIRoute } from 'astro';
import { gzippedResponse } from '../lib/gzipped-response.ts';
import { otherProblemPatternsText } from '../search/other-problems.ts';

export const GET: APIRoute = () => gzippedResponse(otherProblemPatternsText());
