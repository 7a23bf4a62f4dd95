/**
 * What the search page knows about every page without fetching it: titles in each
 * language, versions, status, install methods, components, error lines and
 * signatures, all taken from the assembled frontmatter at build time (build/facts-data.ts).
 * Types and browser-side helpers only: nothing here may pull build-time modules into the page.
 */
import type { PageSignatures } from '../matcher/signature-matcher.ts';
import type { Lang, NotWhen, SharedFields } from '../schemas/issue.ts';

/**
 * What the filters read of a page, fetched only when a filter is set (FILTER_FACTS_HREF). The
 * search page itself carries only what every first search needs: signatures and near-miss
 * rules. What a page is about is found through the index (ABOUT_END_WORD closes its title,
 * summary, operators' words and error lines), and what a result shows is fetched for the pages
 * shown (ShownFacts), so the search page does not grow with the text of every page written.
 */
export interface PageFacts {
  id: string;
  affected: string[];
  install: string[];
  components: string[];
}

/** What a result shows of one page in one language, fetched when it is shown (shownFactsHref). */
export interface ShownFacts {
  title: string;
  summary: string;
  /** Affected ranges as people read them. */
  versions: string[];
  status: SharedFields['status'];
  /** Error lines as Harbor prints them: a result shows the one the query matched (never a paraphrase). */
  errors: string[];
}

/** Where the search page fetches every page's PageFacts when a filter is set (src/pages/search-facts/filters.json.ts). */
export const FILTER_FACTS_HREF = '/search-facts/filters.json';

/** Where the search page of `lang` fetches a shown page's facts (src/pages/search-facts/[lang]/[id].json.ts). */
export const shownFactsHref = (lang: Lang, id: string) => `/search-facts/${lang}/${id}.json`;

/** A notWhen rule as the search page carries it: every byte of it is in every first search. */
export type NotWhenRule = [pattern: string, unless?: string];

export const notWhenOf = ([pattern, unless]: NotWhenRule): NotWhen => (unless === undefined ? { pattern } : { pattern, unless });

/** A signature as the search page carries it: [pattern, weight] or [pattern, weight, ignoreCase]. */
export type SignatureTuple = [pattern: string, weight: number, ignoreCase?: true];

export interface SearchFacts {
  /** Every page's id, once: `signatures` and `notWhen.pages` are lists in the same order. */
  ids: string[];
  /** Per page, its signatures. */
  signatures: SignatureTuple[][];
  /** An issue page's URL per language, with `{id}` for the page id. */
  issueHref: Record<Lang, string>;
  /**
   * Every page's near-miss rules (frontmatter `notWhen`): each distinct rule once (pages share
   * most of them) as [pattern] or [pattern, unless], and per page the positions of its rules.
   */
  notWhen: { rules: NotWhenRule[]; pages: number[][] };
  /** Pages per language index, for term weights. */
  pageCount: Partial<Record<Lang, number>>;
}

export const signaturesOf = (facts: SearchFacts): PageSignatures[] =>
  facts.ids.map((id, page) => ({
    id,
    signatures: (facts.signatures[page] ?? []).map(([pattern, weight, ignoreCase]) => (ignoreCase ? { pattern, weight, ignoreCase } : { pattern, weight })),
  }));

export const notWhenOfPages = (facts: SearchFacts): { id: string; notWhen: NotWhen[] }[] =>
  facts.ids.map((id, page) => ({ id, notWhen: (facts.notWhen.pages[page] ?? []).map((rule) => notWhenOf(facts.notWhen.rules[rule]!)) }));

/** A page's URL in the search page's language (every page exists in every language). */
export const pageHref = (facts: SearchFacts, lang: Lang, id: string) => facts.issueHref[lang].replace('{id}', id);
