/**
 * Scoring the search page on a query set: the one way the benchmark (`npm run bench:search`)
 * and the frozen-split assertion (test/e2e/search-frozen.spec.ts) run queries and count hits,
 * so the figure the test guards is the figure the benchmark reports.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { pageOfUrl } from '../../src/search/fragment-pages.ts';

export interface Query {
  kind: string;
  site: 'en' | 'zh';
  /** The page the query must find first, or null for a problem we have no page for. */
  expect: string | null;
  q: string;
  /** Where the query was found (held-out corpus only). */
  source?: string;
}

export interface Run {
  query: Query;
  /** Page ids in the order the page ranked them (a[data-result]). */
  ids: string[];
  /** Page ids offered as uncertain suggestions (a[data-suggestion]). */
  suggestions: string[];
  ms: number;
}

/** The held-out corpus: `dev` may be read and tuned on; `test` is frozen (see docs/search.md). */
export const CORPUS_DIR = 'test/search/corpus';
export const FROZEN_TEST_SET = `${CORPUS_DIR}/test.json`;
export const FROZEN_TEST_CHECKSUM = `${CORPUS_DIR}/test.sha256`;

export const FROZEN_TEST2_SET = `${CORPUS_DIR}/test2.json`;
export const FROZEN_TEST3_SET = `${CORPUS_DIR}/test3.json`;

/** A frozen set: scored, never read when a rule is written, never edited (its checksum file says so). */
export interface FrozenSplit {
  name: string;
  set: string;
  checksum: string;
}
/**
 * Every frozen set: the one split of the corpus, and later sets that helpers who had not read the
 * pages gathered from threads no earlier set, page or research source cites (test2 in session 8,
 * test3 in session 9). The first had been scored as a gate often enough to wear; the later ones were
 * frozen without being read.
 */
export const FROZEN_SPLITS: readonly FrozenSplit[] = [
  { name: 'test (frozen)', set: FROZEN_TEST_SET, checksum: FROZEN_TEST_CHECKSUM },
  { name: 'test2 (frozen)', set: FROZEN_TEST2_SET, checksum: `${CORPUS_DIR}/test2.sha256` },
  { name: 'test3 (frozen)', set: FROZEN_TEST3_SET, checksum: `${CORPUS_DIR}/test3.sha256` },
];

const isQuery = (q: Partial<Query>) => typeof q.q === 'string' && (q.site === 'en' || q.site === 'zh') && (q.expect === null || typeof q.expect === 'string');

/** Reads a query set file ({"queries": [...]}); throws with a one-line reason when it is not one. */
export function readQuerySet(file: string): Query[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { queries?: Partial<Query>[] };
  if (!Array.isArray(parsed.queries) || parsed.queries.length === 0 || !parsed.queries.every(isQuery)) {
    throw new Error(`${file} needs {"queries": [...]}, each with "q", "site" ("en" or "zh") and "expect" (a page id or null)`);
  }
  return parsed.queries as Query[];
}

export const SECOND_LABELS = `${CORPUS_DIR}/dev-second-labels.json`;

export interface SecondLabel {
  site: 'en' | 'zh';
  q: string;
  /** The second labeller's problem id, or null for another problem. */
  label: string | null;
  confidence: 'high' | 'medium' | 'low';
  /** Where the two labellings disagree: what the third helper decided from the thread. */
  decided?: { label: string | null; threadRead: boolean; why: string };
}

/** The second labelling of a sample of dev (scripts/label-agreement.ts). */
export function readSecondLabels(file = SECOND_LABELS): SecondLabel[] {
  const { labels } = JSON.parse(readFileSync(file, 'utf8')) as { labels?: Partial<SecondLabel>[] };
  if (
    !Array.isArray(labels) ||
    !labels.every((label) => isQuery({ ...label, expect: label.label }) && ['high', 'medium', 'low'].includes(label.confidence ?? ''))
  ) {
    throw new Error(`${file} needs {"labels": [...]}, each with "q", "site", "label" (a page id or null) and "confidence"`);
  }
  return labels as SecondLabel[];
}

/** One query of a set, whatever else differs: its site and its text, trimmed. */
export const querySiteKey = (query: { site: string; q: string }) => `${query.site}\0${query.q.trim()}`;

/** A labelling scored as a search: the label is the one result, or none. */
export const labelAsRun = (query: Query, label: string | null): Run => ({ query, ids: label === null ? [] : [label], suggestions: [], ms: 0 });

/**
 * A reader's labels kept by how sure it was, surest last: keeping only the surer ones trades recall
 * for near misses, as a stricter threshold does for the search.
 */
export const CONFIDENCE_TIERS: readonly { name: string; sure: readonly SecondLabel['confidence'][] }[] = [
  { name: 'every label', sure: ['high', 'medium', 'low'] },
  { name: 'high or medium confidence only', sure: ['high', 'medium'] },
  { name: 'high confidence only', sure: ['high'] },
];

/** One line of a labelling's or search's figures, as the label scripts print them. */
export const figuresLine = (name: string, figures: Figures) =>
  `  ${name}: ${figures.queries} queries (${figures.positives} with a page): recall@1 ${figures.recallAt1.toFixed(3)}, near misses landing on a page ${figures.nearMissHitRate.toFixed(3)}`;

/** The same key as a short hash: names a frozen query in a file without carrying its text. */
export const queryHash = (query: { site: string; q: string }) => createHash('sha256').update(querySiteKey(query)).digest('hex').slice(0, 16);

export const FROZEN_READER_LABELS = `${CORPUS_DIR}/frozen-reader-labels.json`;

/** A blind reader's label for one frozen query, named by its hash (scripts/frozen-reader.ts). */
export interface ReaderLabel {
  /** The frozen set's file name without .json: test, test2 or test3. */
  set: string;
  key: string;
  label: string | null;
  confidence: 'high' | 'medium' | 'low';
}

export function readReaderLabels(file = FROZEN_READER_LABELS): ReaderLabel[] {
  const { labels } = JSON.parse(readFileSync(file, 'utf8')) as { labels?: Partial<ReaderLabel>[] };
  if (
    !Array.isArray(labels) ||
    !labels.every(
      (label) =>
        typeof label.set === 'string' &&
        typeof label.key === 'string' &&
        (label.label === null || typeof label.label === 'string') &&
        ['high', 'medium', 'low'].includes(label.confidence ?? ''),
    )
  ) {
    throw new Error(`${file} needs {"labels": [...]}, each with "set", "key", "label" (a page id or null) and "confidence"`);
  }
  return labels as ReaderLabel[];
}

/** A frozen split's short name, as reader labels give it: test, test2 or test3. */
export const frozenSetName = (split: FrozenSplit) => split.set.replace(/^.*\//, '').replace(/\.json$/, '');

/** A query's words, lower-cased, whatever its site: for telling the same text apart from small edits (trimming, punctuation, case). */
export const queryWords = (query: { q: string }) => new Set(query.q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
/** Share of two queries' words they have in common (Jaccard). */
export function wordOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let common = 0;
  for (const word of a) if (b.has(word)) common += 1;
  return common / Math.max(a.size + b.size - common, 1);
}
/** Near copies: a query this close to a frozen one would let the frozen text into what is read or learnt from. */
export const NEAR_COPY = 0.8;

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Ids of the pages the site has now (a query for a problem without a page yet expects no result). */
export function existingPageIds(contentDir = 'content/issues/en'): Set<string> {
  return new Set(
    readdirSync(contentDir)
      .filter((file) => file.endsWith('.mdx'))
      .map((file) => file.replace(/\.mdx$/, '')),
  );
}

/** Submits one query in a loaded search page; the time runs from submit to [data-search-done]. */
export async function submitQuery(page: Page, text: string): Promise<Omit<Run, 'query'>> {
  const found = await page.evaluate(async (q) => {
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
    const hrefs = (selector: string) => [...document.querySelectorAll<HTMLAnchorElement>(selector)].map((a) => a.getAttribute('href') ?? '');
    return { ms, results: hrefs('a[data-result]'), suggestions: hrefs('a[data-suggestion]') };
  }, text);
  const ids = (hrefs: string[]) => hrefs.map((href) => pageOfUrl(href) ?? href);
  return { ms: found.ms, ids: ids(found.results), suggestions: ids(found.suggestions) };
}

export interface Figures {
  queries: number;
  positives: number;
  recallAt1: number;
  recallAt3: number;
  mrr: number;
  /** Queries that have a page and got neither a result nor a suggestion. */
  noResultRate: number;
  /** Near misses (no page of ours) that got a result: the rate the goal holds at <= 0.05. */
  nearMissHitRate: number;
  p50: number;
  p95: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Scores runs against the pages that exist: a query whose problem has no page yet counts as
 * a near miss (it must land on none of ours), not as a miss of a page nobody wrote.
 */
export function score(runs: readonly Run[], pages: ReadonlySet<string>): Figures {
  const expected = (run: Run) => (run.query.expect !== null && pages.has(run.query.expect) ? run.query.expect : null);
  const positives = runs.filter((run) => expected(run) !== null);
  const nearMisses = runs.filter((run) => expected(run) === null);
  const rank = (run: Run) => run.ids.indexOf(expected(run) ?? '') + 1;
  const share = (list: readonly Run[], test: (run: Run) => boolean) => (list.length ? list.filter(test).length / list.length : Number.NaN);
  return {
    queries: runs.length,
    positives: positives.length,
    recallAt1: share(positives, (run) => rank(run) === 1),
    recallAt3: share(positives, (run) => rank(run) >= 1 && rank(run) <= 3),
    mrr: positives.length ? positives.reduce((sum, run) => sum + (rank(run) ? 1 / rank(run) : 0), 0) / positives.length : Number.NaN,
    noResultRate: share(positives, (run) => run.ids.length === 0 && run.suggestions.length === 0),
    nearMissHitRate: share(nearMisses, (run) => run.ids.length > 0),
    p50: percentile(
      runs.map((run) => run.ms),
      50,
    ),
    p95: percentile(
      runs.map((run) => run.ms),
      95,
    ),
  };
}
