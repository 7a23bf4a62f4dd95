/**
 * What the search page knows about every page without fetching it: titles in each
 * language, versions, status, install methods, components, error lines and
 * signatures, all taken from the assembled frontmatter at build time (build-facts.ts).
 * Types and browser-side helpers only: nothing here may pull build-time modules into the page.
 */
import type { PageSignatures } from '../matcher/signature-matcher.ts';
import type { Lang, NotWhen, SharedFields } from '../schemas/issue.ts';

export interface PageFacts {
  id: string;
  /**
   * Title and summary in the search page's language only: what the other language's page is
   * about (and every language's operators' words) is found through the index (ABOUT_END_WORD).
   */
  title: Partial<Record<Lang, string>>;
  /** Affected ranges as people read them. */
  versions: string[];
  status: SharedFields['status'];
  affected: string[];
  install: string[];
  components: string[];
  /** Error lines as Harbor prints them: a result shows the one the query matched. */
  errors: string[];
  /** The words people search with for the error (frontmatter `paraphrase`), only when the page has any: never shown as an error line. */
  phrasings?: string[];
  summary: Partial<Record<Lang, string>>;
}

/** A notWhen rule as the search page carries it: every byte of it is in every first search. */
export type NotWhenRule = [pattern: string, unless?: string];

export const notWhenOf = ([pattern, unless]: NotWhenRule): NotWhen => (unless === undefined ? { pattern } : { pattern, unless });

export interface SearchFacts {
  pages: PageFacts[];
  signatures: PageSignatures[];
  /** An issue page's URL per language, with `{id}` for the page id. */
  issueHref: Record<Lang, string>;
  /**
   * Every page's near-miss rules (frontmatter `notWhen`): each distinct rule once (pages share
   * most of them) as [pattern] or [pattern, unless], and per page the positions of its rules.
   */
  notWhen: { rules: NotWhenRule[]; pages: Record<string, number[]> };
  /** Pages per language index, for term weights. */
  pageCount: Partial<Record<Lang, number>>;
}

/** A page's title, summary and URL in the reader's language, or in whichever language it exists. */
export function pageIn(facts: SearchFacts, page: PageFacts, lang: Lang): { title: string; summary: string; href: string } {
  const shownLang = page.title[lang] ? lang : (Object.keys(page.title)[0] as Lang);
  return {
    title: page.title[shownLang] ?? page.id,
    summary: page.summary[shownLang] ?? '',
    href: facts.issueHref[shownLang].replace('{id}', page.id),
  };
}
