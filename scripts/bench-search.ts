/**
 * `npm run bench:search`: runs query sets through the real search page of the built site in
 * Chromium, and the same queries through plain Pagefind (the same built pages indexed with
 * Pagefind's defaults), and prints, side by side per set, recall@1, recall@3, MRR, the
 * no-result rate, the near-miss hit rate, p50/p95 time from query to rendered results (index
 * warm) and the bytes a first search transfers. The sets: our own (test/search/queries.json,
 * tuned on), the held-out corpus's dev split (tuned on) and its frozen sets (FROZEN_SPLITS, scored
 * only: their misses are never printed, see docs/search.md). Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as pagefind from 'pagefind';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Request } from '@playwright/test';
import { pageOfUrl } from '../src/search/fragment-pages.ts';
import { DESCRIBED_PROBLEMS_URL, OTHER_PROBLEMS_BUNDLE } from '../src/search/other-problems-described.ts';
import { PROBLEM_MODEL_URL } from '../src/search/problem-model.ts';
import { SEED_PAGE_IDS } from '../test/support/page-ids.ts';
import { serveStaticSite } from '../test/support/static-site.ts';
import {
  CORPUS_DIR,
  existingPageIds,
  FROZEN_SPLITS,
  readQuerySet,
  score,
  submitQuery,
  type Figures,
  type Query,
  type Run,
} from '../test/support/search-eval.ts';

interface QuerySet {
  name: string;
  queries: Query[];
  /** Whether its misses may be printed: never for a frozen set. */
  showMisses: boolean;
}

const USAGE = `usage: npm run bench:search [-- --queries FILE]

  --queries FILE  one query set in the format of test/search/queries.json
                  ({"queries": [{"kind", "site": "en"|"zh", "expect": page id or null, "q"}]});
                  default: our own set, the corpus dev split and the frozen sets`;

function readSets(): QuerySet[] {
  let values: { queries?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { queries: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`bench:search: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const files = values.queries
    ? [{ name: path.basename(values.queries), file: values.queries, showMisses: true }]
    : [
        { name: 'own', file: 'test/search/queries.json', showMisses: true },
        { name: 'dev', file: `${CORPUS_DIR}/dev.json`, showMisses: true },
        ...FROZEN_SPLITS.map((split) => ({ name: split.name, file: split.set, showMisses: false })),
      ].filter((set) => existsSync(set.file));
  try {
    return files.map((set) => ({ name: set.name, queries: readQuerySet(set.file), showMisses: set.showMisses }));
  } catch (error) {
    console.error(`bench:search: ${(error as Error).message}`);
    process.exit(2);
  }
}

const SETS = readSets();
const ALL_QUERIES = SETS.flatMap((set) => set.queries);
const SOURCES = ['src', 'content', 'data', 'astro.config.mjs'];

function newestMtime(entry: string): number {
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function buildIfNeeded() {
  const built = 'dist/search/index.html';
  if (existsSync(built) && existsSync('dist/pagefind/pagefind.js') && statSync(built).mtimeMs >= Math.max(...SOURCES.map(newestMtime))) return;
  console.log('building the site (dist/ is missing or older than the sources) ...');
  try {
    execFileSync('npm', ['run', 'build'], { stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    throw new Error('the site build failed');
  }
}

const prefix = (site: Query['site']) => (site === 'zh' ? '/zh' : '');

/** Where plain Pagefind's bundle is served, beside the site. */
const PLAIN_BUNDLE = '/pagefind-plain/';

/**
 * The baseline: the built pages indexed the way `npx pagefind --site dist` would, every word
 * of them (the site's own index holds only the words its query pipeline asks for).
 */
async function writePlainIndex(site: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'harbor-kb-plain-pagefind-'));
  const { index, errors } = await pagefind.createIndex();
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  const added = await index.addDirectory({ path: site });
  if (added.errors.length > 0) throw new Error(`Pagefind could not index ${site}: ${added.errors.join('; ')}`);
  const written = await index.writeFiles({ outputPath: dir });
  if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
  await pagefind.close();
  return dir;
}

/** Queries that load the English and the Chinese index before anything is measured. */
const WARM_UP = ['replication job', '复制 任务'];

/**
 * Our search page: loaded once per site language and warmed with both languages and the
 * other site's queries (which load both indexes and every chunk), so each measured query
 * meets a warm index but runs for the first time (the page caches term lookups).
 */
async function runOurs(browser: Browser, base: string, queries: readonly Query[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const site of ['en', 'zh'] as const) {
    const page = await browser.newPage();
    await page.goto(`${base}${prefix(site)}/search/`);
    await page.waitForSelector('[data-search-done]');
    // Both languages' indexes load even when the other site's queries are all in one script.
    for (const warm of WARM_UP) await submitQuery(page, warm);
    for (const query of queries.filter((q) => q.site !== site)) await submitQuery(page, query.q);
    for (const query of queries.filter((q) => q.site === site)) runs.push({ query, ...(await submitQuery(page, query.q)) });
    await page.close();
  }
  return runs;
}

/** Plain Pagefind as a site would use it: search the pasted text, load the top five results. */
async function plainSearch(page: Page, text: string): Promise<{ ms: number; urls: string[] }> {
  return page.evaluate(
    async ([q, bundle]) => {
      type Fragment = { url: string };
      type Pagefind = { search(q: string): Promise<{ results: { data(): Promise<Fragment> }[] }> };
      const w = window as unknown as { plainPagefind?: Promise<Pagefind> };
      w.plainPagefind ??= import(/* @vite-ignore */ `${location.origin}${bundle}pagefind.js`) as Promise<Pagefind>;
      const pagefind = await w.plainPagefind;
      const start = performance.now();
      const { results } = await pagefind.search(q);
      const data = await Promise.all(results.slice(0, 5).map((r) => r.data()));
      return { ms: performance.now() - start, urls: data.map((d) => d.url) };
    },
    [text, PLAIN_BUNDLE] as const,
  );
}

async function runPlain(browser: Browser, base: string, queries: readonly Query[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const site of ['en', 'zh'] as const) {
    const page = await browser.newPage();
    await page.goto(`${base}${prefix(site)}/`);
    for (const query of queries.filter((q) => q.site !== site)) await plainSearch(page, query.q);
    for (const query of queries.filter((q) => q.site === site)) {
      const result = await plainSearch(page, query.q);
      runs.push({ query, ms: result.ms, ids: result.urls.map((url) => pageOfUrl(url) ?? url), suggestions: [] });
    }
    await page.close();
  }
  return runs;
}

interface Transfer {
  raw: number;
  gzip: number;
  /** Whether the meaning fallback was among the responses. */
  meaning: boolean;
  /** Whether the other problems' bundle (or the code that weighs it) was among the responses. */
  others: boolean;
  /** Whether the problem model (or its code) was among the responses. */
  model: boolean;
}

/** A first search whose download included the meaning fallback (it must not, for a paste that matches by its words). */
const MEANING_PATH = /\/search-meaning\/|\/meaning\.[\w-]+\.js$/;
/** A first search whose download included the other problems described in operators' words (src/search/described-problems.ts). */
const OTHERS_PATH = new RegExp(`^${OTHER_PROBLEMS_BUNDLE}|/described-problems\\.[\\w-]+\\.js$|^${DESCRIBED_PROBLEMS_URL}$`);
/** A first search whose download included the problem model (src/search/problem-model.ts). */
const MODEL_PATH = new RegExp(`^${PROBLEM_MODEL_URL}$|/problem-model\\.[\\w-]+\\.js$`);

/** Bytes of the responses to requests made while `action` runs, as sent and as a gzip-serving host would send them. */
async function transferred(page: Page, action: () => Promise<void>, include: (request: Request) => boolean): Promise<Transfer> {
  const requests: Request[] = [];
  const listener = (request: Request) => {
    if (include(request)) requests.push(request);
  };
  page.on('requestfinished', listener);
  await action();
  page.off('requestfinished', listener);
  const loaded = (pattern: RegExp) => requests.some((request) => pattern.test(new URL(request.url()).pathname));
  const total: Transfer = { raw: 0, gzip: 0, meaning: loaded(MEANING_PATH), others: loaded(OTHERS_PATH), model: loaded(MODEL_PATH) };
  for (const request of requests) {
    const response = await request.response();
    const body = response ? await response.body() : Buffer.alloc(0);
    const headers = (await request.sizes()).responseHeadersSize;
    // Pagefind's own index, fragment and wasm files are gzip already.
    const compressed = /\.(pagefind|pf_\w+)$/.test(new URL(request.url()).pathname);
    total.raw += body.length + headers;
    total.gzip += (compressed ? body.length : gzipSync(body).length) + headers;
  }
  return total;
}

async function firstSearchBytes(browser: Browser, base: string, query: Query): Promise<{ ours: Transfer; plain: Transfer }> {
  const oursContext = await browser.newContext();
  const oursPage = await oursContext.newPage();
  const ours = await transferred(
    oursPage,
    async () => {
      await oursPage.goto(`${base}${prefix(query.site)}/search/?q=${encodeURIComponent(query.q)}`);
      await oursPage.waitForSelector('[data-search-done]');
    },
    () => true,
  );
  await oursContext.close();

  const plainContext = await browser.newContext();
  const plainPage = await plainContext.newPage();
  await plainPage.goto(`${base}${prefix(query.site)}/`);
  const plain = await transferred(
    plainPage,
    async () => void (await plainSearch(plainPage, query.q)),
    (request) => new URL(request.url()).pathname.startsWith(PLAIN_BUNDLE),
  );
  await plainContext.close();
  return { ours, plain };
}

const fmt = (value: number, digits = 3) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface Column {
  label: string;
  figures: Figures;
}

const FIGURE_ROWS: [string, (f: Figures) => string, string][] = [
  ['queries (with a page)', (f) => `${f.queries} (${f.positives})`, ''],
  ['recall@1', (f) => fmt(f.recallAt1), '>= 0.90'],
  ['recall@3', (f) => fmt(f.recallAt3), '>= 0.95'],
  ['MRR', (f) => fmt(f.mrr), ''],
  ['no result (has a page)', (f) => fmt(f.noResultRate), '<= 0.05'],
  ['near misses landing on a page', (f) => fmt(f.nearMissHitRate), '<= 0.05'],
  ['p50 query→rendered (warm)', (f) => `${fmt(f.p50, 1)} ms`, ''],
  ['p95 query→rendered (warm)', (f) => `${fmt(f.p95, 1)} ms`, '<= 50 ms'],
];

function printRows(header: string[], rows: string[][]) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function printFigures(columns: Column[]) {
  printRows(
    ['figure', ...columns.map((c) => c.label), 'target'],
    FIGURE_ROWS.map(([label, cell, target]) => [label, ...columns.map((c) => cell(c.figures)), target]),
  );
}

function printBytes(bytes: { label: string; ours: Transfer; plain: Transfer }[]) {
  const rows = bytes.flatMap((b) => [
    [
      `${b.label} (as served)${b.ours.meaning ? ', with the meaning fallback' : ''}${b.ours.others ? ', with the other problems' : ''}${b.ours.model ? ', with the problem model' : ''}`,
      kb(b.ours.raw),
      kb(b.plain.raw),
      '<= 150 KB',
    ],
    [`${b.label} (gzip host)`, kb(b.ours.gzip), kb(b.plain.gzip), ''],
  ]);
  printRows(['first search', 'harbor-kb', 'plain Pagefind', 'target'], rows);
}

/**
 * The meaning fallback's files as served (src/search/meaning.ts): its code chunk and each
 * language's data, which a search downloads only when no page is conclusive.
 */
function printMeaningBytes(site: string) {
  const size = (file: string) => statSync(path.join(site, file)).size;
  const code = readdirSync(path.join(site, '_astro')).filter((file) => /^meaning\.[\w-]+\.js$/.test(file));
  const data = readdirSync(path.join(site, 'search-meaning'));
  const rows = [
    ...code.map((file) => [`code (_astro/${file})`, kb(size(`_astro/${file}`))]),
    ...data.map((file) => [`data (search-meaning/${file})`, kb(size(`search-meaning/${file}`))]),
  ];
  const total = rows.reduce((sum, [, cell]) => sum + Number.parseFloat(cell!), 0);
  printRows(
    ['meaning fallback, loaded only when no page is conclusive', 'bytes'],
    [...rows, ['all of it', `${total.toFixed(1)} KB`], ['target', '<= 1.5 MB extra']],
  );
}

/**
 * The other problems described in operators' words (src/search/described-problems.ts): the code
 * that weighs them and their Pagefind bundle, merged into the page's Pagefind instance (no loader
 * or wasm of its own). A search downloads the code, the bundle's entry and one language's meta,
 * index chunk and fragment map, and only when words alone made pages results.
 */
function printOtherProblemsBytes(site: string) {
  const size = (file: string) => statSync(path.join(site, file)).size;
  const code = readdirSync(path.join(site, '_astro')).filter((file) => /^described-problems\.[\w-]+\.js$/.test(file));
  const bundle = path.join(site, OTHER_PROBLEMS_BUNDLE);
  const files = readdirSync(bundle, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\.pf_fragment$/.test(entry.name))
    .map((entry) => path.relative(site, path.join(entry.parentPath, entry.name)));
  const rows = [...code.map((file) => `_astro/${file}`), ...files, DESCRIBED_PROBLEMS_URL.slice(1)].map((file) => [file, kb(size(file))]);
  const english = [...code.map((file) => `_astro/${file}`), ...files.filter((file) => !/zh-cn/.test(file))].reduce((sum, file) => sum + size(file), 0);
  printRows(
    ['other problems described in operators’ words, loaded only when words alone made pages results', 'bytes'],
    [...rows, ['an English query consults (code, entry, meta, index, fragment map)', kb(english)]],
  );
}

/**
 * The problem model (src/search/problem-model.ts): its code chunk and the model, gzip-compressed
 * as served, which a search downloads only when words alone made a page a result.
 */
function printProblemModelBytes(site: string) {
  const size = (file: string) => statSync(path.join(site, file)).size;
  const files = [
    ...readdirSync(path.join(site, '_astro'))
      .filter((file) => /^problem-model\.[\w-]+\.js$/.test(file))
      .map((file) => `_astro/${file}`),
    PROBLEM_MODEL_URL.slice(1),
  ];
  printRows(
    ['problem model, loaded only when words alone made a page a result', 'bytes'],
    [...files.map((file) => [file, kb(size(file))]), ['all of it', kb(files.reduce((sum, file) => sum + size(file), 0))]],
  );
}

/**
 * The seven seed pages on their own, so a build with more pages can be compared with one that had
 * only them: how often their queries still find them, and how often a query for anything else
 * (another page, or no page) lands first on one of them.
 */
function printSeedFigures(entries: readonly { set: QuerySet; runs: Run[] }[]) {
  const seeds: ReadonlySet<string> = new Set(SEED_PAGE_IDS);
  const share = (part: number, whole: number) => (whole ? (part / whole).toFixed(3) : 'n/a');
  const rows = entries.map(({ set, runs }) => {
    const theirs = runs.filter((run) => run.query.expect !== null && seeds.has(run.query.expect));
    const others = runs.filter((run) => run.query.expect === null || !seeds.has(run.query.expect));
    const rank = (run: Run) => run.ids.indexOf(run.query.expect ?? '') + 1;
    return [
      set.name,
      String(theirs.length),
      share(theirs.filter((run) => rank(run) === 1).length, theirs.length),
      share(theirs.filter((run) => rank(run) >= 1 && rank(run) <= 3).length, theirs.length),
      share(others.filter((run) => run.ids[0] !== undefined && seeds.has(run.ids[0])).length, others.length),
    ];
  });
  printRows(['the seven seed pages', 'their queries', 'recall@1', 'recall@3', 'other queries landing on one'], rows);
}

function printSlowest(runs: Run[]) {
  console.log('\nharbor-kb slowest queries:');
  for (const run of [...runs].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
    console.log(`  ${run.ms.toFixed(1)} ms  [${run.query.kind}/${run.query.site}] ${JSON.stringify(run.query.q).slice(0, 90)}`);
  }
}

function printMisses(name: string, runs: Run[], pages: ReadonlySet<string>) {
  const expected = (run: Run) => (run.query.expect !== null && pages.has(run.query.expect) ? run.query.expect : null);
  const misses = runs.filter((run) => (expected(run) === null ? run.ids.length > 0 : run.ids[0] !== expected(run)));
  if (misses.length === 0) return;
  console.log(`\nharbor-kb misses on ${name} (expected → got):`);
  for (const run of misses) {
    const got = run.ids.join(', ') || (run.suggestions.length ? `suggested ${run.suggestions.join(', ')}` : 'no match');
    console.log(`  [${run.query.kind}/${run.query.site}] ${JSON.stringify(run.query.q).slice(0, 100)}\n      ${expected(run) ?? 'no match'} → ${got}`);
  }
}

async function main() {
  buildIfNeeded();
  const pages = existingPageIds();
  const plainBundle = await writePlainIndex('dist');
  const site = await serveStaticSite('dist', { [PLAIN_BUNDLE]: plainBundle });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const columns: Column[] = [];
    const ourRuns: { set: QuerySet; runs: Run[] }[] = [];
    for (const set of SETS) {
      const runs = await runOurs(browser, site.url, set.queries);
      ourRuns.push({ set, runs });
      columns.push({ label: `${set.name}: harbor-kb`, figures: score(runs, pages) });
      columns.push({ label: `${set.name}: plain`, figures: score(await runPlain(browser, site.url, set.queries), pages) });
    }
    // The download does not depend on the words, only on which index a query needs: a Latin
    // paste on the English site, Chinese on the Chinese site, Chinese on the English site.
    const han = /\p{Script=Han}/u;
    const pick = (test: (q: Query) => boolean, fallback: Query) => ALL_QUERIES.find(test) ?? fallback;
    const firsts = [
      {
        label: 'en site, English paste',
        query: pick((q) => q.site === 'en' && !han.test(q.q), { kind: 'log', site: 'en', expect: null, q: 'failed to fetch image' }),
      },
      {
        label: 'zh site, Chinese query',
        query: pick((q) => q.site === 'zh' && han.test(q.q), { kind: 'chinese', site: 'zh', expect: null, q: '复制任务卡住' }),
      },
      {
        label: 'en site, Chinese query',
        query: pick((q) => q.site === 'en' && han.test(q.q), { kind: 'chinese', site: 'en', expect: null, q: '复制任务卡住' }),
      },
    ];
    const bytes = [];
    for (const first of firsts) bytes.push({ label: first.label, ...(await firstSearchBytes(browser, site.url, first.query)) });
    console.log(`${pages.size} pages; same build, same browser. A query whose problem has no page yet counts as a near miss.\n`);
    printFigures(columns);
    console.log('');
    printBytes(bytes);
    console.log('');
    printMeaningBytes('dist');
    console.log('');
    printOtherProblemsBytes('dist');
    console.log('');
    printProblemModelBytes('dist');
    console.log('');
    printSeedFigures(ourRuns);
    // Only the splits we may read: frozen queries are never printed.
    printSlowest(ourRuns.filter((entry) => entry.set.showMisses).flatMap((entry) => entry.runs));
    for (const { set, runs } of ourRuns) if (set.showMisses) printMisses(set.name, runs, pages);
  } finally {
    await browser.close();
    await site.close();
    await rm(plainBundle, { recursive: true, force: true });
  }
}

await main();
