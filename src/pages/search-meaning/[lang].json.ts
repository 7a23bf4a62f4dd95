/** The meaning fallback's data per language (src/search/build/meaning-data.ts), fetched only when search needs it. */
import type { APIRoute } from 'astro';
import { issuePages } from '../../lib/content/site.ts';
import { LANGS, type Lang } from '../../schemas/issue.ts';
import { meaningData } from '../../search/build/meaning-data.ts';

export function getStaticPaths() {
  return LANGS.map((lang) => ({ params: { lang } }));
}

export const GET: APIRoute = async ({ params }) => {
  const pages = (await issuePages()).map((page) => ({ ...page, errors: page.shared.errors.map((error) => error.text) }));
  return new Response(JSON.stringify(meaningData(pages, params.lang as Lang)), { headers: { 'content-type': 'application/json' } });
};
