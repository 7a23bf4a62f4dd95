/**
 * The catalogue of well-known Harbor problems without a page (src/search/other-problems.ts),
 * with what each one is and where it is discussed. The search page carries only the patterns
 * and fetches this when a query matches one, so no other first search pays for the text.
 */
import type { APIRoute } from 'astro';
import { OTHER_PROBLEMS } from '../search/other-problems.ts';

export const GET: APIRoute = () => new Response(JSON.stringify(OTHER_PROBLEMS), { headers: { 'content-type': 'application/json' } });
