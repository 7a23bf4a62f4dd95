/**
 * What the search page knows about every page without fetching it: titles in each
 * language, versions, status, install methods, components, error lines and
 * signatures, all taken from the assembled frontmatter at build time (build/facts-data.ts).
 * Types and browser-side helpers only: nothing here may pull build-time modules into the page.
 */
import type { PageSignatures, SignatureSource } from '../matcher/signature-matcher.ts';
import type { Lang, NotWhen, SharedFields } from '../schemas/issue.ts';
import { inflatedText } from './gzipped.ts';

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
 * The search page carries every page's signatures and near-miss rules, and every byte of them is
 * in every first search, so they travel as strings: lists are joined by SEPARATOR (which no
 * pattern may hold; the build checks), and a page's entry is one string.
 */
export const SEPARATOR = '`';

/**
 * A signature as the search page carries it: its weight as a letter (a = 1, b = 2, c = 3), upper
 * case when the signature ignores case, then its pattern: "bfailed to get key admiral_url".
 */
const WEIGHTS = 'abc';
export const signatureText = ({ pattern, weight, ignoreCase }: SignatureSource): string => {
  const letter = WEIGHTS[weight - 1];
  if (letter === undefined) throw new Error(`signature ${pattern}: weight ${weight} is not 1 to 3`);
  return `${ignoreCase ? letter.toUpperCase() : letter}${pattern}`;
};

/**
 * Near-miss rules as the search page carries them. The rules share most of their alternatives
 * ("x509|证书", "replicat|复制|同步"), so each distinct top-level alternative is carried once, in
 * `alternatives` joined by SEPARATOR. A rule is its pattern's alternatives as positions in that
 * list, POSITION_WIDTH base-36 digits each, then, when it has one, UNLESS_MARK and its `unless`
 * alternatives the same way: "000102-03". A page's rules are joined by RULE_SEPARATOR.
 */
export interface CompactNotWhen {
  alternatives: string;
  /** Per page (in the order of SearchFacts.ids), its rules. */
  pages: string[];
}

export const UNLESS_MARK = '-';
export const RULE_SEPARATOR = ' ';
export const POSITION_WIDTH = 2;

export interface SearchFacts {
  /** Every page's id, once: `signatures` and `notWhen.pages` are lists in the same order. */
  ids: string[];
  /** Per page, its signatures (signatureText), joined by SEPARATOR. */
  signatures: string[];
  /** An issue page's URL per language, with `{id}` for the page id. */
  issueHref: Record<Lang, string>;
  /** Every page's near-miss rules (frontmatter `notWhen`), compacted. */
  notWhen: CompactNotWhen;
  /** Pages per language index, for term weights. */
  pageCount: Partial<Record<Lang, number>>;
}

/**
 * Where the search page fetches SearchFacts, gzip-compressed (src/pages/search-facts.bin.ts): as
 * soon as its script starts, so the file travels while the script's chunks load.
 */
export const SEARCH_FACTS_URL = '/search-facts.bin';

/** The facts back from their gzip-compressed file. */
export const searchFactsFrom = async (gzipped: Blob): Promise<SearchFacts> => JSON.parse(await inflatedText(gzipped)) as SearchFacts;

export const signaturesOf = (facts: SearchFacts): PageSignatures[] =>
  facts.ids.map((id, page) => ({
    id,
    signatures:
      (facts.signatures[page] || undefined)?.split(SEPARATOR).map((text) => {
        const letter = text.charAt(0);
        return { weight: WEIGHTS.indexOf(letter.toLowerCase()) + 1, ignoreCase: letter !== letter.toLowerCase(), pattern: text.slice(1) };
      }) ?? [],
  }));

/** Every page's near-miss rules, back in the frontmatter's form (the alternatives rejoined are the pattern as written). */
export function notWhenOfPages(facts: SearchFacts): { id: string; notWhen: NotWhen[] }[] {
  const alternatives = facts.notWhen.alternatives.split(SEPARATOR);
  const position = new RegExp(`[0-9a-z]{${POSITION_WIDTH}}`, 'g');
  const pattern = (positions: string) => (positions.match(position) ?? []).map((at) => alternatives[Number.parseInt(at, 36)]).join('|');
  return facts.ids.map((id, page) => ({
    id,
    notWhen:
      (facts.notWhen.pages[page] || undefined)?.split(RULE_SEPARATOR).map((rule) => {
        const [main = '', unless] = rule.split(UNLESS_MARK);
        return unless === undefined ? { pattern: pattern(main) } : { pattern: pattern(main), unless: pattern(unless) };
      }) ?? [],
  }));
}

/** A page's URL in the search page's language (every page exists in every language). */
export const pageHref = (facts: SearchFacts, lang: Lang, id: string) => facts.issueHref[lang].replace('{id}', id);
