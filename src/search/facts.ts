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

/**
 * Near-miss rules as the search page carries them: every byte of them is in every first search.
 * The rules share most of their alternatives ("x509|证书", "replicat|复制|同步"), so each distinct
 * top-level alternative is carried once, in `alternatives` joined by ALTERNATIVE_SEPARATOR. A rule
 * is its pattern's alternatives as positions in that list, POSITION_WIDTH base-36 digits each,
 * then, when it has one, UNLESS_MARK and its `unless` alternatives the same way: "000102-03".
 */
export interface CompactNotWhen {
  alternatives: string;
  rules: string[];
  /** Per page (in the order of SearchFacts.ids), the positions of its rules in `rules`. */
  pages: number[][];
}

export const ALTERNATIVE_SEPARATOR = '`';
export const UNLESS_MARK = '-';
export const POSITION_WIDTH = 2;

/** The rules of `notWhen`, back in the frontmatter's form (the alternatives rejoined are the pattern as written). */
export function notWhenRules(notWhen: CompactNotWhen): NotWhen[] {
  const alternatives = notWhen.alternatives.split(ALTERNATIVE_SEPARATOR);
  const pattern = (positions: string) =>
    Array.from(
      { length: positions.length / POSITION_WIDTH },
      (_, i) => alternatives[Number.parseInt(positions.slice(i * POSITION_WIDTH, (i + 1) * POSITION_WIDTH), 36)],
    ).join('|');
  return notWhen.rules.map((rule) => {
    const [main = '', unless] = rule.split(UNLESS_MARK);
    return unless === undefined ? { pattern: pattern(main) } : { pattern: pattern(main), unless: pattern(unless) };
  });
}

/** A signature as the search page carries it: [pattern, weight] or [pattern, weight, ignoreCase]. */
export type SignatureTuple = [pattern: string, weight: number, ignoreCase?: true];

export interface SearchFacts {
  /** Every page's id, once: `signatures` and `notWhen.pages` are lists in the same order. */
  ids: string[];
  /** Per page, its signatures. */
  signatures: SignatureTuple[][];
  /** An issue page's URL per language, with `{id}` for the page id. */
  issueHref: Record<Lang, string>;
  /** Every page's near-miss rules (frontmatter `notWhen`): each distinct rule once (pages share most of them), compacted. */
  notWhen: CompactNotWhen;
  /** Pages per language index, for term weights. */
  pageCount: Partial<Record<Lang, number>>;
}

export const signaturesOf = (facts: SearchFacts): PageSignatures[] =>
  facts.ids.map((id, page) => ({
    id,
    signatures: (facts.signatures[page] ?? []).map(([pattern, weight, ignoreCase]) => (ignoreCase ? { pattern, weight, ignoreCase } : { pattern, weight })),
  }));

export function notWhenOfPages(facts: SearchFacts): { id: string; notWhen: NotWhen[] }[] {
  const rules = notWhenRules(facts.notWhen);
  return facts.ids.map((id, page) => ({ id, notWhen: (facts.notWhen.pages[page] ?? []).flatMap((rule) => rules[rule] ?? []) }));
}

/** A page's URL in the search page's language (every page exists in every language). */
export const pageHref = (facts: SearchFacts, lang: Lang, id: string) => facts.issueHref[lang].replace('{id}', id);
