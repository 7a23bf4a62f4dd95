/**
 * What a search result shows of one page in one language (src/search/facts.ts ShownFacts):
 * fetched for the pages a search shows, so the search page itself carries none of it.
 */
import type { APIRoute } from 'astro';
import { issuePages } from '../../../lib/content/site.ts';
import { shownFacts } from '../../../search/build/facts-data.ts';

export async function getStaticPaths() {
  return (await issuePages()).map((page) => ({ params: { lang: page.lang, id: page.id }, props: { page } }));
}

export const GET: APIRoute = ({ props }) => new Response(JSON.stringify(shownFacts(props.page)), { headers: { 'content-type': 'application/json' } });
