/**
 * The facts every search needs (src/search/facts.ts SearchFacts: signatures, near-miss rules),
 * gzip-compressed: the search page fetches them as soon as its script starts and inflates them
 * itself (src/search/gzipped.ts), so they cost the same few bytes on any host and the page's
 * HTML does not carry them.
 */
import type { APIRoute } from 'astro';
import { gzippedResponse } from '../lib/gzipped-response.ts';
import { issuePages } from '../lib/content/site.ts';
import { searchFacts } from '../search/build/facts-data.ts';

export const GET: APIRoute = async () => gzippedResponse(JSON.stringify(searchFacts(await issuePages())));
