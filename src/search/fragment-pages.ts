/** The map from Pagefind fragment hashes to page ids, written next to the Pagefind bundle. */
export const FRAGMENT_PAGES_FILE = 'fragment-pages.json';

/** The page id of an issue page URL in any language, e.g. `/zh/issues/replication-job-stuck/`. */
export function pageOfUrl(url: string): string | undefined {
  return /\/issues\/([a-z0-9-]+)\/?$/.exec(url)?.[1];
}
