/**
 * `npm run bench:search`: runs every query of test/search/queries.json through the
 * real search page of the built site in Chromium, and the same queries through plain
 * Pagefind (the same built pages indexed with Pagefind's defaults), and prints recall@1, recall@3, MRR, zero-result rate,
 * distractor false-hit rate, p50/p95 time from query to rendered results (index warm)
 * and the bytes a first search transfers. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as pagefind from 'pagefind';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Request } from '@playwright/test';
import { pageOfUrl } from '../src/search/fragment-pages.ts';
import { serveStaticSite } from '../test/support/static-site.ts';

interface Query {
  kind: string;
  site: 'en' | 'zh';
  expect: string | null;
  q: string;
}

interface Run {
  query: Query;
  ids: string[];
  ms: number;
}

const USAGE = `usage: npm run bench:search [-- --queries FILE]

  --queries FILE  a query set in the format of test/search/queries.json
                  ({"queries": [{"kind", "site": "en"|"zh", "expect": page id or null, "q"}]});
                  default: test/search/queries.json`;

function readQueries(): Query[] {
  let values: { queries: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { queries: { type: 'string', default: 'test/search/queries.json' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`bench:search: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const file = values.queries;
  let parsed: { queries?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { queries?: unknown };
  } catch (error) {
    console.error(`bench:search: cannot read the query set ${file}: ${(error as Error).message}`);
    process.exit(2);
  }
  const valid = (q: Partial<Query>) => typeof q.q === 'string' && (q.site === 'en' || q.site === 'zh') && (q.expect === null || typeof q.expect === 'string');
  if (!Array.isArray(parsed.queries) || parsed.queries.length === 0 || !parsed.queries.every(valid)) {
    console.error(`bench:search: ${file} needs {"queries": [...]}, each with "q", "site" ("en" or "zh") and "expect" (a page id or null)`);
    process.exit(2);
  }
  return parsed.queries as Query[];
}

const QUERIES = readQueries();
const SOURCES = ['src', 'content', 'astro.config.mjs'];

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

/** Submits one query in the loaded search page; the time runs from submit to [data-search-done]. */
async function submitQuery(page: Page, text: string): Promise<{ ms: number; hrefs: string[] }> {
  return page.evaluate(async (q) => {
    const form = document.querySelector<HTMLFormElement>('[data-search-form]')!;
    const box = document.querySelector<HTMLTextAreaElement>('#search-query')!;
    const section = document.querySelector<HTMLElement>('[data-search-results]')!;
    box.value = q;
    const start = performance.now();
    const done = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (section.hasAttribute('data-search-done')) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(section, { attributes: true, attributeFilter: ['data-search-done'] });
    });
    form.requestSubmit();
    await done;
    const ms = performance.now() - start;
    return { ms, hrefs: [...document.querySelectorAll<HTMLAnchorElement>('a[data-result]')].map((a) => a.getAttribute('href') ?? '') };
  }, text);
}

/** Queries that load the English and the Chinese index before anything is measured. */
const WARM_UP = ['replication job', '复制 任务'];

/**
 * Our search page: loaded once per site language and warmed with both languages and the
 * other site's queries (which load both indexes and every chunk), so each measured query
 * meets a warm index but runs for the first time (the page caches term lookups).
 */
async function runOurs(browser: Browser, base: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (const site of ['en', 'zh'] as const) {
    const page = await browser.newPage();
    await page.goto(`${base}${prefix(site)}/search/`);
    await page.waitForSelector('[data-search-done]');
    // Both languages' indexes load even when the other site's queries are all in one script.
    for (const warm of WARM_UP) await submitQuery(page, warm);
    for (const query of QUERIES.filter((q) => q.site !== site)) await submitQuery(page, query.q);
    for (const query of QUERIES.filter((q) => q.site === site)) {
      const result = await submitQuery(page, query.q);
      runs.push({ query, ms: result.ms, ids: result.hrefs.map((href) => pageOfUrl(href) ?? href) });
    }
    await page.close();
  }
  return runs;
}

/** Plain Pagefind as a site would use it: search the pasted text, load the top five results. */
async function plainSearch(page: Page, text: string): Promise<{ ms: number; urls: string[] }> {
  return page.evaluate(async ([q, bundle]) => {
    type Fragment = { url: string };
    type Pagefind = { search(q: string): Promise<{ results: { data(): Promise<Fragment> }[] }> };
    const w = window as unknown as { plainPagefind?: Promise<Pagefind> };
    w.plainPagefind ??= import(/* @vite-ignore */ `${location.origin}${bundle}pagefind.js`) as Promise<Pagefind>;
    const pagefind = await w.plainPagefind;
    const start = performance.now();
    const { results } = await pagefind.search(q);
    const data = await Promise.all(results.slice(0, 5).map((r) => r.data()));
    return { ms: performance.now() - start, urls: data.map((d) => d.url) };
  }, [text, PLAIN_BUNDLE] as const);
}

async function runPlain(browser: Browser, base: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (const site of ['en', 'zh'] as const) {
    const page = await browser.newPage();
    await page.goto(`${base}${prefix(site)}/`);
    for (const query of QUERIES.filter((q) => q.site !== site)) await plainSearch(page, query.q);
    for (const query of QUERIES.filter((q) => q.site === site)) {
      const result = await plainSearch(page, query.q);
      runs.push({ query, ms: result.ms, ids: result.urls.map((url) => pageOfUrl(url) ?? url) });
    }
    await page.close();
  }
  return runs;
}

interface Transfer {
  raw: number;
  gzip: number;
}

/** Bytes of the responses to requests made while `action` runs, as sent and as a gzip-serving host would send them. */
async function transferred(page: Page, action: () => Promise<void>, include: (request: Request) => boolean): Promise<Transfer> {
  const requests: Request[] = [];
  const listener = (request: Request) => {
    if (include(request)) requests.push(request);
  };
  page.on('requestfinished', listener);
  await action();
  page.off('requestfinished', listener);
  const total: Transfer = { raw: 0, gzip: 0 };
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
  const plain = await transferred(plainPage, async () => void (await plainSearch(plainPage, query.q)), (request) => new URL(request.url()).pathname.startsWith(PLAIN_BUNDLE));
  await plainContext.close();
  return { ours, plain };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Figures {
  recallAt1: number;
  recallAt3: number;
  mrr: number;
  zeroResultRate: number;
  distractorFalseHitRate: number;
  p50: number;
  p95: number;
}

function figures(runs: Run[]): Figures {
  const positives = runs.filter((run) => run.query.expect !== null);
  const distractors = runs.filter((run) => run.query.expect === null);
  const rank = (run: Run) => run.ids.indexOf(run.query.expect ?? '') + 1;
  const share = (list: Run[], test: (run: Run) => boolean) => (list.length ? list.filter(test).length / list.length : NaN);
  return {
    recallAt1: share(positives, (run) => rank(run) === 1),
    recallAt3: share(positives, (run) => rank(run) >= 1 && rank(run) <= 3),
    mrr: positives.reduce((sum, run) => sum + (rank(run) ? 1 / rank(run) : 0), 0) / positives.length,
    zeroResultRate: share(positives, (run) => run.ids.length === 0),
    distractorFalseHitRate: share(distractors, (run) => run.ids.length > 0),
    p50: percentile(runs.map((run) => run.ms), 50),
    p95: percentile(runs.map((run) => run.ms), 95),
  };
}

const fmt = (value: number, digits = 3) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function printTable(ours: Figures, plain: Figures, bytes: { ours: Transfer; plain: Transfer }[]) {
  const rows: [string, string, string, string][] = [
    ['recall@1', fmt(ours.recallAt1), fmt(plain.recallAt1), '>= 0.95'],
    ['recall@3', fmt(ours.recallAt3), fmt(plain.recallAt3), '= 1.0'],
    ['MRR', fmt(ours.mrr), fmt(plain.mrr), ''],
    ['zero-result rate', fmt(ours.zeroResultRate), fmt(plain.zeroResultRate), '0'],
    ['distractor false hits', fmt(ours.distractorFalseHitRate), fmt(plain.distractorFalseHitRate), '<= 0.05'],
    ['p50 query→rendered (warm)', `${fmt(ours.p50, 1)} ms`, `${fmt(plain.p50, 1)} ms`, ''],
    ['p95 query→rendered (warm)', `${fmt(ours.p95, 1)} ms`, `${fmt(plain.p95, 1)} ms`, '<= 50 ms'],
  ];
  for (const [index, label] of ['first search, en site, English paste', 'first search, zh site, Chinese query', 'first search, en site, Chinese query'].entries()) {
    const b = bytes[index]!;
    rows.push([`${label} (as served)`, kb(b.ours.raw), kb(b.plain.raw), '<= 150 KB']);
    rows.push([`${label} (gzip host)`, kb(b.ours.gzip), kb(b.plain.gzip), '<= 150 KB']);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), ['figure', 'harbor-kb', 'plain Pagefind', 'target'][i]!.length));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(['figure', 'harbor-kb', 'plain Pagefind', 'target']));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function printSlowest(runs: Run[]) {
  console.log('\nharbor-kb slowest queries:');
  for (const run of [...runs].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
    console.log(`  ${run.ms.toFixed(1)} ms  [${run.query.kind}/${run.query.site}] ${JSON.stringify(run.query.q).slice(0, 90)}`);
  }
}

function printMisses(runs: Run[]) {
  const misses = runs.filter((run) => (run.query.expect === null ? run.ids.length > 0 : run.ids[0] !== run.query.expect));
  if (misses.length === 0) return;
  console.log('\nharbor-kb misses (expected → got):');
  for (const run of misses) {
    console.log(`  [${run.query.kind}/${run.query.site}] ${JSON.stringify(run.query.q).slice(0, 100)}\n      ${run.query.expect ?? 'no match'} → ${run.ids.join(', ') || 'no match'}`);
  }
}

async function main() {
  buildIfNeeded();
  const plainBundle = await writePlainIndex('dist');
  const site = await serveStaticSite('dist', { [PLAIN_BUNDLE]: plainBundle });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const ours = await runOurs(browser, site.url);
    const plain = await runPlain(browser, site.url);
    // The download does not depend on the words, only on which index a query needs: a Latin
    // paste on the English site, Chinese on the Chinese site, Chinese on the English site.
    const han = /\p{Script=Han}/u;
    const firstEnglish = QUERIES.find((q) => q.site === 'en' && !han.test(q.q)) ?? { kind: 'log', site: 'en', expect: null, q: 'failed to fetch image' };
    const firstChinese = QUERIES.find((q) => q.site === 'zh' && han.test(q.q)) ?? { kind: 'chinese', site: 'zh', expect: null, q: '复制任务卡住' };
    const crossChinese = QUERIES.find((q) => q.site === 'en' && han.test(q.q)) ?? { kind: 'chinese', site: 'en', expect: null, q: '复制任务卡住' };
    const bytes = [];
    for (const query of [firstEnglish, firstChinese, crossChinese]) bytes.push(await firstSearchBytes(browser, site.url, query));
    const positives = QUERIES.filter((q) => q.expect !== null).length;
    console.log(`${QUERIES.length} queries (${positives} with an expected page, ${QUERIES.length - positives} distractors), same build, same browser\n`);
    printTable(figures(ours), figures(plain), bytes);
    printSlowest(ours);
    printMisses(ours);
  } finally {
    await browser.close();
    await site.close();
    await rm(plainBundle, { recursive: true, force: true });
  }
}

await main();
