/**
 * The pipeline's engine in the browser: one Pagefind instance per language index,
 * created on first use, so an English query on the English site never loads the
 * Chinese index and a Chinese query on either site can still search it.
 */
import { fragmentPagesFile } from './fragment-pages.ts';
import type { EngineHit, IndexLang, SearchEngine } from './pipeline.ts';

interface PagefindResult {
  id: string;
  score: number;
  words: number[];
}
export interface PagefindInstance {
  search(term: string): Promise<{ results: PagefindResult[] }>;
  mergeIndex(basePath: string, options: { language: string }): Promise<void>;
}
interface PagefindModule {
  createInstance(options: { basePath: string; noWorker: boolean }): PagefindInstance;
}

/** `<html lang>` of each index, as Pagefind names them. */
export const INDEX_HTML_LANG: Record<IndexLang, string> = { en: 'en', zh: 'zh-CN' };
/** How Pagefind prefixes the fragment hashes of each index (and names the index's language, in lower case). */
export const FRAGMENT_PREFIX: Record<IndexLang, string> = { en: 'en', zh: 'zh-cn' };

/** The engine with the Pagefind instance of each language, for a bundle to be merged into it (pagefind-merged.ts). */
export interface PagefindEngine extends SearchEngine {
  instance(lang: IndexLang): Promise<PagefindInstance>;
}

/**
 * Searches through `instanceOf`, keeping the results whose fragment the bundle's map names
 * (a merged instance returns both bundles' records), with each result's record id.
 */
export function bundleEngine(bundle: string, instanceOf: (lang: IndexLang) => Promise<PagefindInstance>, pageCount?: Record<IndexLang, number>): SearchEngine {
  const fragmentPages = new Map<IndexLang, Promise<Record<string, string>>>();
  const loaded = new Map<IndexLang, number>();
  const pagesOf = (lang: IndexLang) => {
    let pages = fragmentPages.get(lang);
    if (!pages) {
      pages = fetch(`${bundle}${fragmentPagesFile(FRAGMENT_PREFIX[lang])}`).then((response) => response.json() as Promise<Record<string, string>>);
      pages.then((map) => loaded.set(lang, Object.keys(map).length));
      fragmentPages.set(lang, pages);
    }
    return pages;
  };
  const cache = new Map<string, Promise<EngineHit[]>>();
  async function search(query: string, lang: IndexLang): Promise<EngineHit[]> {
    const [pagefind, pages] = await Promise.all([instanceOf(lang), pagesOf(lang)]);
    const { results } = await pagefind.search(query);
    return results.flatMap((result) => {
      const pageId = pages[result.id];
      return pageId ? [{ pageId, score: result.score, positions: result.words }] : [];
    });
  }
  return {
    // A merged bundle's size is its map's, known once a search in that language has returned.
    pageCount: (lang) => pageCount?.[lang] ?? loaded.get(lang) ?? 0,
    search(query, lang) {
      const key = `${lang}\u0000${query}`;
      let hits = cache.get(key);
      if (!hits) {
        hits = search(query, lang);
        cache.set(key, hits);
      }
      return hits;
    },
  };
}

export function pagefindEngine(basePath: string, pageCount: Record<IndexLang, number>): PagefindEngine {
  // Pagefind's wasm glue keeps module-level state, and the two languages load different
  // wasm builds: each language gets its own copy of the module (a distinct URL).
  const load = (lang: IndexLang) => import(/* @vite-ignore */ `${basePath}pagefind.js?index=${lang}`) as Promise<PagefindModule>;
  const instances = new Map<IndexLang, Promise<PagefindInstance>>();

  function instance(lang: IndexLang): Promise<PagefindInstance> {
    let created = instances.get(lang);
    if (!created) {
      created = load(lang).then((pagefind) => {
        // Pagefind picks its index from <html lang> when an instance is created, with no
        // option to choose another; the attribute is swapped back before anything renders.
        const html = document.documentElement;
        const pageLang = html.lang;
        html.lang = INDEX_HTML_LANG[lang];
        try {
          // The worker costs another 43 KB on a first search and buys nothing for an index this small.
          return pagefind.createInstance({ basePath, noWorker: true });
        } finally {
          html.lang = pageLang;
        }
      });
      instances.set(lang, created);
    }
    return created;
  }

  return {
    ...bundleEngine(basePath, instance, pageCount),
    instance,
  };
}
