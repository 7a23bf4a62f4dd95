/**
 * A second Pagefind bundle (the other problems described in operators' words, OTHER_PROBLEMS_BUNDLE)
 * searched through the page's own Pagefind instances: merged into them (mergeIndex) on its first
 * search, it shares their loader and wasm, which a second instance of the module would fetch again.
 * Only the lazily loaded code (described-problems.ts) imports this, so no other search carries it.
 */
import { bundleEngine, FRAGMENT_PREFIX, type PagefindEngine, type PagefindInstance } from './pagefind-engine.ts';
import type { IndexLang, SearchEngine } from './pipeline.ts';

export function mergedBundleEngine(engine: PagefindEngine, bundle: string): SearchEngine {
  const merged = new Map<IndexLang, Promise<PagefindInstance>>();
  const mergedInstance = (lang: IndexLang) => {
    let instance = merged.get(lang);
    if (!instance) {
      instance = Promise.all([engine.instance(lang), fetch(`${bundle}pagefind-entry.json`)]).then(async ([pagefind, entry]) => {
        // A merged index that fails to load fails every later search of the instance: merge only one that is there.
        if (!entry.ok) throw new Error(`${bundle}: HTTP ${entry.status}`);
        // Pagefind lower-cases a language it reads from <html lang>, not one given here.
        await pagefind.mergeIndex(bundle, { language: FRAGMENT_PREFIX[lang] });
        return pagefind;
      });
      merged.set(lang, instance);
    }
    return instance;
  };
  return bundleEngine(bundle, mergedInstance);
}
