/**
 * The map from Pagefind fragment hashes to page ids of one index language, written next to the
 * Pagefind bundle: a search loads only its own language's (Pagefind prefixes a fragment's hash
 * with its index language, e.g. `en_1471feb`, `zh-cn_3b57a14`).
 */
/** The languages the site builds a search index for. */
export type IndexLang = 'en' | 'zh';

export const fragmentPagesFile = (fragmentPrefix: string) => `fragment-pages.${fragmentPrefix}.json`;

/** The page id of an issue page URL in any language, e.g. `/zh/issues/replication-job-stuck/`. */
export function pageOfUrl(url: string): string | undefined {
  return /\/issues\/([a-z0-9-]+)\/?$/.exec(url)?.[1];
}

/**
 * A word the index holds once per page, right after what the page is about (its title, summary,
 * operators' words and error lines, pagefind-index.ts): a query word found before it is in what
 * the page is about, so none of those words travels with the search page. No query can ask for it.
 */
export const ABOUT_END_WORD = 'qqaboutendqq';
/**
 * Where a page's error lines begin in the index, inside what it is about: a line a program printed
 * is held to the messages the page shows, not to how people describe the problem. No query can ask for it.
 */
export const ERROR_LINES_WORD = 'qqerrorlinesqq';
