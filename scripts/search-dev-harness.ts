/**
 * `node scripts/search-dev-harness.ts [dev|own] [--queries FILE] [--out FILE] [--no-rules] [--no-others]`: runs the
 * query pipeline (src/search, as it is now) in Node against the built site's Pagefind index
 * (dist/, from the last `npm run build`), over the corpus's dev split or our own set, and prints
 * recall@1, recall@3, the no-result and the near-miss rates. Seconds per run instead of the
 * benchmark's minutes, for tuning; it can read no other set (the frozen split is scored only by
 * `npm run bench:search`, docs/search.md). `--queries` reads another set instead (a blind check
 * kept outside the repository, `harbor-log-lines.ts`'s lines), never a frozen split: a file with
 * one's checksum is refused. `--out` writes every query's outcome as JSON.
 * `--no-rules` switches every page's `notWhen` rule off: what a general mechanism does on its
 * own, the nearest figure to queries nobody fitted a rule to. The figures are also printed for
 * the two halves of the set by a hash of each query, so that a change fitted to one half shows.
 * `--no-others` leaves out the other problems described in operators' words (described-problems.ts).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileSignatures } from '../src/matcher/signature-matcher.ts';
import { notWhenOfPages, SEARCH_FACTS_URL, searchFactsFrom, signaturesOf } from '../src/search/facts.ts';
import { meaningOf } from '../src/search/meaning.ts';
import { nearMisses } from '../src/search/near-misses.ts';
import { OTHER_PROBLEM_PATTERNS_URL, otherProblemPatternsFrom } from '../src/search/other-problems.ts';
import { explainedElsewhere, mergedBundleEngine } from '../src/search/described-problems.ts';
import { OTHER_PROBLEMS_BUNDLE } from '../src/search/other-problems-described.ts';
import { bundleEngine, INDEX_HTML_LANG, type PagefindEngine, type PagefindInstance } from '../src/search/pagefind-engine.ts';
import { normaliseQuery } from '../src/search/normalise.ts';
import { runQuery, type IndexLang, type OtherProblemCheck } from '../src/search/pipeline.ts';
import { OTHER_PROBLEM, PROBLEM_MODEL_URL, problemModelFrom, problemModelOf, type ProblemModel, type ProblemModelLoader } from '../src/search/problem-model.ts';
import { DESCRIBED_OTHER_PROBLEMS } from '../src/search/other-problems-described.ts';
import { HELPER_QUERY_SET, readTrainingQueries, TRAINING_QUERY_SETS, trainingExamples, trainProblemModel } from '../src/search/build/problem-model-data.ts';
import { serveStaticSite } from '../test/support/static-site.ts';
import { CORPUS_DIR, existingPageIds, FROZEN_SPLITS, readQuerySet, score, sha256OfFile, type Query, type Run } from '../test/support/search-eval.ts';
import { pageWordsOfContent } from '../test/support/page-words.ts';

/** The only sets this harness reads. */
const SETS = { dev: `${CORPUS_DIR}/dev.json`, own: 'test/search/queries.json' } as const;
const USAGE =
  'usage: node scripts/search-dev-harness.ts [dev|own] [--queries FILE] [--out FILE] [--no-rules] [--no-others] [--no-model | --model-folds [--leave-out KIND=FRACTION ...]]\n' +
  '  --leave-out: with --model-folds, the folds learn without that fraction of KIND (dev, dev-positives, dev-near-misses, described, helpers), chosen by a hash of its text';

/** What --leave-out can leave out of the folds' training (docs/search.md, "Would more data of the kinds we have reach the goal?"). */
const LEAVE_OUT_KINDS = ['dev', 'dev-positives', 'dev-near-misses', 'described', 'helpers'] as const;
type LeaveOutKind = (typeof LEAVE_OUT_KINDS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string' },
    out: { type: 'string' },
    'no-rules': { type: 'boolean', default: false },
    'no-others': { type: 'boolean', default: false },
    'no-model': { type: 'boolean', default: false },
    'model-folds': { type: 'boolean', default: false },
    'leave-out': { type: 'string', multiple: true, default: [] },
  },
});
const leaveOut = new Map<LeaveOutKind, number>();
for (const given of values['leave-out']) {
  const [kind, fraction] = given.split('=');
  const share = Number(fraction);
  if (!LEAVE_OUT_KINDS.includes(kind as LeaveOutKind) || fraction === undefined || !(share > 0 && share <= 1) || !values['model-folds']) {
    console.error(USAGE);
    process.exit(2);
  }
  leaveOut.set(kind as LeaveOutKind, share);
}
/** Whether `text` falls in the left-out fraction of `kind` (by a hash, so the same texts every run). */
const leftOut = (kind: LeaveOutKind, text: string) =>
  createHash('sha256').update(`leave-out\0${text}`).digest().readUInt16BE(0) / 65536 < (leaveOut.get(kind) ?? 0);
const setName = values.queries ? path.basename(values.queries, '.json') : (positionals[0] ?? 'dev');
const badFolds = values['model-folds'] && (values['no-model'] || setName !== 'dev' || values.queries !== undefined);
if ((!values.queries && !(setName in SETS)) || positionals.length > (values.queries ? 0 : 1) || badFolds) {
  console.error(USAGE);
  process.exit(2);
}
if (values.queries && !existsSync(values.queries)) {
  console.error(`There is no query set at ${values.queries}.`);
  process.exit(2);
}
const frozen = values.queries && FROZEN_SPLITS.find((split) => sha256OfFile(values.queries ?? '') === readFileSync(split.checksum, 'utf8').trim());
if (frozen) {
  console.error(`${values.queries} is a frozen split, ${frozen.name}, which only npm run bench:search scores (docs/search.md).`);
  process.exit(2);
}
const queries = (() => {
  try {
    return readQuerySet(values.queries ?? SETS[setName as keyof typeof SETS]);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
})();

const DIST = 'dist';

/** One model per fold, each trained as the build trains it but without that fold's dev queries. */
function modelsWithoutEachFold(dev: readonly Query[], fold: (query: Query) => number): ProblemModel[] {
  const pages = pageWordsOfContent();
  const pageIds = [...new Set(pages.map((page) => page.id))];
  const devTexts = new Map(dev.map((query) => [query.q, fold(query)]));
  // Every set the build learns from but dev is learnt whole; dev only outside the fold scored.
  const whole = TRAINING_QUERY_SETS.filter((file) => file !== SETS.dev).flatMap((file) =>
    readTrainingQueries(file).filter((query) => file !== HELPER_QUERY_SET || !leftOut('helpers', query.text)),
  );
  const labelled = readTrainingQueries(SETS.dev);
  const described = DESCRIBED_OTHER_PROBLEMS.filter((problem) => !leftOut('described', problem.id));
  const learnt = labelled.filter(
    (query) => !leftOut('dev', query.text) && !leftOut(query.problem === OTHER_PROBLEM ? 'dev-near-misses' : 'dev-positives', query.text),
  );
  return Array.from({ length: FOLDS }, (_, k) => {
    const kept = learnt.filter((query) => devTexts.get(query.text) !== k);
    return problemModelOf(trainProblemModel(trainingExamples(pages, described, [...whole, ...kept]), pageIds));
  });
}
// The search page's facts, as it fetches them (src/pages/search-facts.bin.ts).
const facts = await searchFactsFrom(new Blob([readFileSync(`${DIST}${SEARCH_FACTS_URL}`)]));

// Pagefind's browser bundle, loaded once per index language (its module state is per language,
// as in pagefind-engine.ts), reading the index over HTTP from the built site.
const site = await serveStaticSite(DIST);
const copies = mkdtempSync(path.join(tmpdir(), 'harbor-kb-search-harness-'));
const instances = {} as Record<IndexLang, PagefindInstance>;
for (const lang of ['en', 'zh'] as const) {
  const copy = path.join(copies, `pagefind-${lang}.mjs`);
  copyFileSync(`${DIST}/pagefind/pagefind.js`, copy);
  // Pagefind reads the index language from <html lang> when an instance is created.
  Object.assign(globalThis, { document: { querySelector: () => ({ getAttribute: () => INDEX_HTML_LANG[lang] }), currentScript: null } });
  const pagefind = (await import(copy)) as { createInstance(options: { basePath: string; noWorker: boolean }): PagefindInstance };
  instances[lang] = pagefind.createInstance({ basePath: `${site.url}/pagefind/`, noWorker: true });
}

// The engines the search page uses: our pages' bundle, and the other problems' bundle merged into
// the same instances on first use (pagefind-engine.ts, pagefind-merged.ts).
const engine: PagefindEngine = {
  ...bundleEngine(`${site.url}/pagefind/`, async (lang) => instances[lang], { en: facts.pageCount.en ?? 0, zh: facts.pageCount.zh ?? 0 }),
  instance: async (lang) => instances[lang],
};
const otherEngine = mergedBundleEngine(engine, `${site.url}${OTHER_PROBLEMS_BUNDLE}`);
const signatures = compileSignatures(signaturesOf(facts));
const nearMiss = nearMisses(values['no-rules'] ? [] : notWhenOfPages(facts), async () =>
  otherProblemPatternsFrom(new Blob([readFileSync(`${DIST}${OTHER_PROBLEM_PATTERNS_URL}`)])),
);
const otherProblems: OtherProblemCheck | undefined = values['no-others']
  ? undefined
  : (words, results, suggested) => explainedElsewhere(otherEngine, words, results, suggested);
// The problem model as built, or with --model-folds one per fifth of dev (by a hash of the query's
// thread), trained without that fifth: how the model does on dev queries it has not learnt from.
const FOLDS = 5;
const foldOf = (query: Query) =>
  createHash('sha256')
    .update(`fold\0${query.source ?? query.q}`)
    .digest()[0]! % FOLDS;
const builtModel = values['no-model'] || values['model-folds'] ? undefined : await problemModelFrom(new Blob([readFileSync(`${DIST}${PROBLEM_MODEL_URL}`)]));
const foldModels = values['model-folds'] ? modelsWithoutEachFold(queries, foldOf) : [];
const problemModelFor = (query: Query): ProblemModelLoader | undefined =>
  values['no-model'] ? undefined : async () => (values['model-folds'] ? foldModels[foldOf(query)]! : builtModel!);
/** The problem model's three likeliest classes for a query (OTHER_PROBLEM is ''), rounded. */
async function modelOpinion(query: Query) {
  const loader = problemModelFor(query);
  if (!loader) return undefined;
  const likelihood = (await loader()).probabilities(normaliseQuery(query.q));
  return [...likelihood]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([problem, p]) => [problem, Number(p.toFixed(3))]);
}
const meaning = async (lang: IndexLang) => meaningOf(JSON.parse(readFileSync(`${DIST}/search-meaning/${lang}.json`, 'utf8')));

try {
  const runs: Run[] = [];
  const outcomes = [];
  for (const query of queries) {
    const start = performance.now();
    const outcome = await runQuery(engine, signatures, query.q, nearMiss, meaning, otherProblems, problemModelFor(query));
    const ids = outcome.pages.map((page) => page.pageId);
    const suggestions = outcome.suggestions.map((page) => page.pageId);
    runs.push({ query, ids, suggestions, ms: performance.now() - start });
    outcomes.push({
      ...query,
      ids,
      suggestions,
      otherProblem: outcome.otherProblem,
      describedProblem: outcome.describedProblem,
      pages: outcome.pages,
      suggested: outcome.suggestions,
      // What the problem model says of the query, whether or not the pipeline asked it; only
      // --out prints it, so a run without it does not score every query a second time.
      model: values.out ? await modelOpinion(query) : undefined,
    });
  }
  const fmt = (value: number) => value.toFixed(3);
  const report = (name: string, some: readonly Run[]) => {
    const figures = score(some, existingPageIds());
    console.log(
      `${name}: ${figures.queries} queries (${figures.positives} with a page): recall@1 ${fmt(figures.recallAt1)}, recall@3 ${fmt(figures.recallAt3)}, ` +
        `no result ${fmt(figures.noResultRate)}, near misses landing on a page ${fmt(figures.nearMissHitRate)}, results listed ${some.reduce((sum, run) => sum + run.ids.length, 0)}, p95 ${figures.p95.toFixed(1)} ms`,
    );
  };
  const rules = values['no-rules'] ? ' (notWhen rules off)' : '';
  report(`${setName}${rules}`, runs);
  // The halves: a hash of the query's text, unrelated to how the search does on it.
  const firstHalf = (run: Run) => createHash('sha256').update(`half\0${run.query.q}`).digest()[0]! < 128;
  report(`  half A`, runs.filter(firstHalf));
  report(
    `  half B`,
    runs.filter((run) => !firstHalf(run)),
  );
  if (values.out) writeFileSync(values.out, JSON.stringify(outcomes, null, 1));
} finally {
  // Pagefind goes on loading index chunks in the background after a search; closing the server
  // cuts those loads off, and nothing waits for them any more.
  process.on('unhandledRejection', (reason) => {
    if (!(reason instanceof TypeError && reason.message === 'fetch failed')) throw reason;
  });
  await site.close();
  rmSync(copies, { recursive: true, force: true });
}
