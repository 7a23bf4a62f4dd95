/** What the search filters read of every page (src/search/facts.ts PageFacts), fetched only when a filter is set. */
import type { APIRoute } from 'astro';
import { issuePages } from '../../lib/content/site.ts';
import { filterFacts } from '../../search/build/facts-data.ts';

export const GET: APIRoute = async () => new Response(JSON.stringify(filterFacts(await issuePages())), { headers: { 'content-type': 'application/json' } });
