/**
 * Every page's signature view (lib/content/signatures.ts), for the search page's
 * boost and the log doctor in the browser. Generated from the frontmatter, so the
 * browser never holds a second copy of a pattern.
 */
import type { APIRoute } from 'astro';
import { signatureView } from '../lib/content/signatures.ts';
import { issuePages } from '../lib/content/site.ts';
import { CANONICAL_LANG } from '../schemas/issue.ts';

export const GET: APIRoute = async () => {
  const pages = (await issuePages()).filter((page) => page.lang === CANONICAL_LANG);
  return new Response(JSON.stringify({ pages: pages.map(signatureView) }), { headers: { 'content-type': 'application/json' } });
};
