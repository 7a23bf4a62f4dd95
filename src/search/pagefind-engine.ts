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
interface PagefindInstance {
  search(term: string): Promise<{ results: PagefindResult[] }>;
}
interface PagefindModule {
  createInstance(options: { basePath: string; noWorker: boolean }): PagefindInstance;
}

/** `<html lang>` of each index, as Pagefind names them. */
const INDEX_HTML_LANG: Record<IndexLang, string> = { en: 'en', zh: 'zh-CN' };
/** How Pagefind prefixes the fragment hashes of each index. */
const FRAGMENT_PREFIX: Record<IndexLang, string> = { en: 'en', zh: 'zh-cn' };

export function pagefindEngine(basePath: string, pageCount: Record<IndexLang, number>): SearchEngine {
  // Pagefind's wasm glue keeps module-level state, and the two languages load different
  // wasm builds: each language gets its own copy of the module (a distinct URL).
  const load = (lang: IndexLang) => import(/* @vite-ignore */ `${basePath}pagefind.js?index=${lang}`) as Promise<PagefindModule>;
  const fragmentPages = new Map<IndexLang, Promise<Record<string, string>>>();
  const pagesOf = (lang: IndexLang) => {
    let pages = fragmentPages.get(lang);
    if (!pages) {
      pages = fetch(`${basePath}${fragmentPagesFile(FRAGMENT_PREFIX[lang])}`).then((response) => response.json() as Promise<Record<string, string>>);
      fragmentPages.set(lang, pages);
    }
    return pages;
  };
  const instances = new Map<IndexLang, Promise<PagefindInstance>>();
  const cache = new Map<string, Promise<EngineHit[]>>();

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

  async function search(query: string, lang: IndexLang): Promise<EngineHit[]> {
    const [pagefind, pages] = await Promise.all([instance(lang), pagesOf(lang)]);
    const { results } = await pagefind.search(query);
    return results.flatMap((result) => {
      const pageId = pages[result.id];
      return pageId ? [{ pageId, score: result.score, positions: result.words }] : [];
    });
  }

  return {
    pageCount: (lang) => pageCount[lang],
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
