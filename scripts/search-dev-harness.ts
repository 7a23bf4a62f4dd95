/**
 * `node scripts/search-dev-harness.ts [dev|own] [--out FILE]`: runs the
 * query pipeline (src/search, as it is now) in Node against the built site's Pagefind index
 * (dist/, from the last `npm run build`), over the corpus's dev split or our own set, and prints
 * recall@1, recall@3, the no-result and the near-miss rates. Seconds per run instead of the
 * benchmark's minutes, for tuning; it can read no other set (the frozen split is scored only by
 * `npm run bench:search`, docs/search.md). `--out` writes every query's outcome as JSON.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileSignatures } from '../src/matcher/signature-matcher.ts';
import { notWhenOfPages, signaturesOf, type SearchFacts } from '../src/search/facts.ts';
import { fragmentPagesFile } from '../src/search/fragment-pages.ts';
import { meaningOf } from '../src/search/meaning.ts';
import { nearMisses } from '../src/search/near-misses.ts';
import { OTHER_PROBLEM_PATTERNS_URL, otherProblemPatternsFrom } from '../src/search/other-problems.ts';
import { runQuery, type EngineHit, type IndexLang, type SearchEngine } from '../src/search/pipeline.ts';
import { serveStaticSite } from '../test/support/static-site.ts';
import { CORPUS_DIR, existingPageIds, readQuerySet, score, type Run } from '../test/support/search-eval.ts';

/** The only sets this harness reads. */
const SETS = { dev: `${CORPUS_DIR}/dev.json`, own: 'test/search/queries.json' } as const;
const USAGE = 'usage: node scripts/search-dev-harness.ts [dev|own] [--out FILE]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' } },
});
const setName = positionals[0] ?? 'dev';
if (!(setName in SETS) || positionals.length > 1) {
  console.error(USAGE);
  process.exit(2);
}
const queries = readQuerySet(SETS[setName as keyof typeof SETS]);

const DIST = 'dist';
const html = readFileSync(`${DIST}/search/index.html`, 'utf8');
const scriptJson = <T>(attribute: string): T => {
  const text = new RegExp(`<script[^>]*${attribute}[^>]*>([\\s\\S]*?)</script>`).exec(html)?.[1];
  if (text === undefined) throw new Error(`${DIST}/search/index.html has no script[${attribute}]: run npm run build`);
  return JSON.parse(text) as T;
};
const facts = scriptJson<SearchFacts>('data-search-facts');

// Pagefind's browser bundle, loaded once per index language (its module state is per language,
// as in pagefind-engine.ts), reading the index over HTTP from the built site.
interface PagefindInstance {
  search(term: string): Promise<{ results: { id: string; score: number; words: number[] }[] }>;
}
const HTML_LANG: Record<IndexLang, string> = { en: 'en', zh: 'zh-CN' };
const FRAGMENT_PREFIX: Record<IndexLang, string> = { en: 'en', zh: 'zh-cn' };
const site = await serveStaticSite(DIST);
const copies = mkdtempSync(path.join(tmpdir(), 'harbor-kb-search-harness-'));
const instances = {} as Record<IndexLang, PagefindInstance>;
const fragmentPages = {} as Record<IndexLang, Record<string, string>>;
for (const lang of ['en', 'zh'] as const) {
  const copy = path.join(copies, `pagefind-${lang}.mjs`);
  copyFileSync(`${DIST}/pagefind/pagefind.js`, copy);
  // Pagefind reads the index language from <html lang> when an instance is created.
  Object.assign(globalThis, { document: { querySelector: () => ({ getAttribute: () => HTML_LANG[lang] }), currentScript: null } });
  const pagefind = (await import(copy)) as { createInstance(options: { basePath: string; noWorker: boolean }): PagefindInstance };
  instances[lang] = pagefind.createInstance({ basePath: `${site.url}/pagefind/`, noWorker: true });
  fragmentPages[lang] = JSON.parse(readFileSync(`${DIST}/pagefind/${fragmentPagesFile(FRAGMENT_PREFIX[lang])}`, 'utf8')) as Record<string, string>;
}

const cache = new Map<string, Promise<EngineHit[]>>();
const engine: SearchEngine = {
  pageCount: (lang) => facts.pageCount[lang] ?? 0,
  search(query, lang) {
    const key = `${lang}\u0000${query}`;
    let hits = cache.get(key);
    if (!hits) {
      hits = instances[lang].search(query).then(({ results }) =>
        results.flatMap((result) => {
          const pageId = fragmentPages[lang][result.id];
          return pageId ? [{ pageId, score: result.score, positions: result.words }] : [];
        }),
      );
      cache.set(key, hits);
    }
    return hits;
  },
};
const signatures = compileSignatures(signaturesOf(facts));
const nearMiss = nearMisses(notWhenOfPages(facts), async () => otherProblemPatternsFrom(new Blob([readFileSync(`${DIST}${OTHER_PROBLEM_PATTERNS_URL}`)])));
const meaning = async (lang: IndexLang) => meaningOf(JSON.parse(readFileSync(`${DIST}/search-meaning/${lang}.json`, 'utf8')));

try {
  const runs: Run[] = [];
  const outcomes = [];
  for (const query of queries) {
    const start = performance.now();
    const outcome = await runQuery(engine, signatures, query.q, nearMiss, meaning);
    const ids = outcome.pages.map((page) => page.pageId);
    const suggestions = outcome.suggestions.map((page) => page.pageId);
    runs.push({ query, ids, suggestions, ms: performance.now() - start });
    outcomes.push({ ...query, ids, suggestions, otherProblem: outcome.otherProblem, pages: outcome.pages });
  }
  const figures = score(runs, existingPageIds());
  const fmt = (value: number) => value.toFixed(3);
  console.log(
    `${setName}: ${figures.queries} queries (${figures.positives} with a page): recall@1 ${fmt(figures.recallAt1)}, recall@3 ${fmt(figures.recallAt3)}, ` +
      `no result ${fmt(figures.noResultRate)}, near misses landing on a page ${fmt(figures.nearMissHitRate)}, results listed ${runs.reduce((sum, run) => sum + run.ids.length, 0)}`,
  );
  if (values.out) writeFileSync(values.out, JSON.stringify(outcomes, null, 1));
} finally {
  await site.close();
  rmSync(copies, { recursive: true, force: true });
}
