/**
 * What each well-known other problem described in operators' words is and where it is discussed
 * (src/search/other-problems-described.ts), keyed by id. The search page fetches it only when one
 * of them is the answer; how they are described travels in their own Pagefind bundle.
 */
import type { APIRoute } from 'astro';
import { DESCRIBED_OTHER_PROBLEMS } from '../search/other-problems-described.ts';

export const GET: APIRoute = () =>
  new Response(JSON.stringify(Object.fromEntries(DESCRIBED_OTHER_PROBLEMS.map(({ id, what, source }) => [id, { what, source }]))), {
    headers: { 'content-type': 'application/json' },
  });
