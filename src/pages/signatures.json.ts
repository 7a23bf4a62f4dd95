/**
 * Every page's signatures and the facts needed to act on a match, for the search
 * page's boost and the log doctor in the browser. Generated from the frontmatter,
 * so the browser never holds a second copy of a pattern.
 */
import type { APIRoute } from 'astro';
import { issuePages } from '../lib/pages.ts';
import { CANONICAL_LANG } from '../schemas/issue.ts';

export const GET: APIRoute = async () => {
  const pages = (await issuePages()).filter((page) => page.lang === CANONICAL_LANG);
  const body = pages.map((page) => ({
    id: page.id,
    components: page.shared.components,
    harbor: page.shared.harbor,
    playbooks: page.shared.playbooks,
    signatures: page.shared.signatures,
  }));
  return new Response(JSON.stringify({ pages: body }), { headers: { 'content-type': 'application/json' } });
};
