/**
 * The held-out corpus (test/search/corpus/): its shape, its provenance, and that the frozen
 * test split is the file that was split. Nothing here reads what a query says beyond its
 * fields, so checking the test split does not mean reading it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELPER_QUERY_SET, TRAINING_QUERY_SETS } from '../../src/search/build/problem-model-data.ts';
import {
  CORPUS_DIR,
  existingPageIds,
  FROZEN_SPLITS,
  FROZEN_READER_LABELS,
  FROZEN_TEST_SET,
  frozenSetName,
  NEAR_COPY,
  queryHash,
  querySiteKey as key,
  queryWords,
  readQuerySet,
  readReaderLabels,
  readSecondLabels,
  sha256OfFile,
  wordOverlap,
} from '../support/search-eval.ts';

const problems = [...readFileSync(`${CORPUS_DIR}/PROBLEMS.md`, 'utf8').matchAll(/^- ([a-z0-9-]+):/gm)].map((match) => match[1]!);
const dev = readQuerySet(`${CORPUS_DIR}/dev.json`);
const test = readQuerySet(FROZEN_TEST_SET);
const devLabels = new Map(dev.map((query) => [key(query), query.expect]));
const second = readSecondLabels();

describe('the held-out search corpus', () => {
  it('holds at least 400 real queries, each citing its source, with at least 100 near misses', () => {
    const all = [...dev, ...test];
    expect(all.length).toBeGreaterThanOrEqual(400);
    for (const query of all) expect(query.source, query.q).toMatch(/^https?:\/\/\S+$/);
    expect(all.filter((query) => query.expect === null).length).toBeGreaterThanOrEqual(100);
    expect(new Set(all.map((query) => query.kind))).toEqual(new Set(['log', 'multiline', 'phrase', 'paraphrase', 'chinese', 'distractor']));
  });

  it('labels queries only with the problems it was gathered for, and covers every page we have', () => {
    expect(problems).toHaveLength(19);
    for (const query of [...dev, ...test]) if (query.expect !== null) expect(problems).toContain(query.expect);
    for (const page of existingPageIds()) expect(problems).toContain(page);
  });

  it('keeps dev and test apart', () => {
    const devKeys = new Set(dev.map(key));
    expect(test.filter((query) => devKeys.has(key(query)))).toEqual([]);
  });

  it.each(FROZEN_SPLITS.map((split) => [split.name, split] as const))('has %s, which nobody edited after it was frozen', (_name, split) => {
    expect(sha256OfFile(split.set)).toBe(readFileSync(split.checksum, 'utf8').trim());
  });

  it.each(FROZEN_SPLITS.map((split) => [split.name, split] as const))(
    'has %s refused by the tuning harness, which reads other sets with --queries',
    (_name, split) => {
      const run = spawnSync(process.execPath, ['scripts/search-dev-harness.ts', '--queries', split.set], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('is a frozen split');
      expect(run.stdout).toBe('');
    },
  );

  it.each(FROZEN_SPLITS.slice(1).map((split, index) => [split.name, split, index + 1] as const))(
    'has %s, real queries each citing its source and labelled with the problems, none in dev or an earlier frozen set',
    (_name, split, index) => {
      const later = readQuerySet(split.set);
      expect(later.length).toBeGreaterThanOrEqual(100);
      for (const query of later) expect(query.source, query.q).toMatch(/^https?:\/\/\S+$/);
      for (const query of later) if (query.expect !== null) expect(problems).toContain(query.expect);
      const earlier = new Set([...dev, ...FROZEN_SPLITS.slice(0, index).flatMap((earlierSplit) => readQuerySet(earlierSplit.set))].map(key));
      expect(later.filter((query) => earlier.has(key(query)))).toEqual([]);
    },
  );

  it('scores the problem model by folds on dev only: the harness refuses --model-folds elsewhere or with --no-model, and --leave-out without it or malformed', () => {
    for (const args of [
      ['own', '--model-folds'],
      ['--queries', `${CORPUS_DIR}/dev.json`, '--model-folds'],
      ['dev', '--model-folds', '--no-model'],
      ['dev', '--leave-out', 'dev=0.5'],
      ['dev', '--model-folds', '--leave-out', 'test=0.5'],
      ['dev', '--model-folds', '--leave-out', 'dev=0'],
      ['dev', '--model-folds', '--leave-out', 'dev'],
    ]) {
      const run = spawnSync(process.execPath, ['scripts/search-dev-harness.ts', ...args], { encoding: 'utf8' });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('usage:');
    }
  });

  it("lets the problem model learn from dev, our own set and the helpers' queries only, never from a frozen set", () => {
    const frozen = new Set(FROZEN_SPLITS.map((split) => readFileSync(split.checksum, 'utf8').trim()));
    expect([...TRAINING_QUERY_SETS]).toContain(`${CORPUS_DIR}/dev.json`);
    for (const file of TRAINING_QUERY_SETS) expect(frozen.has(sha256OfFile(file)), file).toBe(false);
    // Nor a copy or near copy of a frozen query, whatever its site (the model reads no site).
    // Counted, never printed: nobody reads the frozen sets.
    const frozenWords = FROZEN_SPLITS.flatMap((split) => readQuerySet(split.set)).map(queryWords);
    for (const file of TRAINING_QUERY_SETS) {
      const nearCopies = readQuerySet(file).filter((query) => frozenWords.some((words) => wordOverlap(words, queryWords(query)) >= NEAR_COPY));
      expect(nearCopies.length, `near copies of frozen queries in ${file}`).toBe(0);
    }
    const helpers = readQuerySet(HELPER_QUERY_SET);
    for (const query of helpers) if (query.expect !== null) expect(problems).toContain(query.expect);
    expect(new Set(helpers.map((query) => query.expect)).size, 'every problem and near misses').toBe(problems.length + 1);
  });
});

describe("the corpus's labels, read again from the query alone", () => {
  it("has a second labelling of dev queries only, with a decision from the thread wherever it disagrees with dev's label", () => {
    expect(second).toHaveLength(200);
    for (const item of second) {
      expect(devLabels.has(key(item)), item.q).toBe(true);
      for (const label of [item.label, item.decided?.label ?? null]) if (label !== null) expect(problems).toContain(label);
      const dev = devLabels.get(key(item));
      if (item.label !== dev) expect(item.decided, item.q).toBeDefined();
      // A decision where the two now agree: dev's label was corrected to what the thread decided.
      else if (item.decided) expect(item.decided.label, item.q).toBe(dev);
    }
    // The sample was half positives, half near misses by dev's labels when it was drawn; the
    // positives a thread overturned have since become near misses in dev.
    const corrected = second.filter((item) => item.decided && item.label === devLabels.get(key(item)));
    expect(second.filter((item) => devLabels.get(key(item)) !== null).length + corrected.length).toBe(100);
  });

  // Failure messages here name counts and hashes, never a frozen query.
  it('has a blind reading of every frozen set: one label per query, named by its hash, and no query text', () => {
    const labels = readReaderLabels();
    const file = readFileSync(FROZEN_READER_LABELS, 'utf8');
    for (const split of FROZEN_SPLITS) {
      const queries = readQuerySet(split.set);
      const keys = labels.filter((label) => label.set === frozenSetName(split)).map((label) => label.key);
      expect(new Set(keys).size, split.name).toBe(keys.length);
      expect(new Set(keys), split.name).toEqual(new Set(queries.map(queryHash)));
      expect(queries.filter((query) => query.q.trim().length >= 12 && file.includes(query.q.trim().slice(0, 40))).length, split.name).toBe(0);
    }
    expect(labels).toHaveLength(FROZEN_SPLITS.reduce((total, split) => total + readQuerySet(split.set).length, 0));
    for (const label of labels) if (label.label !== null) expect(problems).toContain(label.label);
  });

  it('scores the blind reading with scripts/frozen-reader.ts, and writes its input without labels', () => {
    const scored = spawnSync(process.execPath, ['scripts/frozen-reader.ts', 'score'], { encoding: 'utf8' });
    expect(scored.status, scored.stderr).toBe(0);
    expect(scored.stdout.match(/^ {2}(every label|high or medium confidence only|high confidence only): \d+ queries/gm)).toHaveLength(3 * FROZEN_SPLITS.length);
    const dir = mkdtempSync(path.join(tmpdir(), 'frozen-reader-'));
    try {
      const written = spawnSync(process.execPath, ['scripts/frozen-reader.ts', 'input', dir], { encoding: 'utf8' });
      expect(written.status, written.stderr).toBe(0);
      for (const split of FROZEN_SPLITS) {
        const { queries } = JSON.parse(readFileSync(path.join(dir, `input-${frozenSetName(split)}.json`), 'utf8')) as { queries: Record<string, unknown>[] };
        expect(
          queries.map((query) => Object.keys(query).sort().join(',')),
          split.name,
        ).toEqual(queries.map(() => 'key,q,site'));
        expect(queries.length, split.name).toBe(readQuerySet(split.set).length);
      }
      for (const args of [[], ['input'], ['score', dir], ['scores'], ['input', dir, 'more']]) {
        const wrong = spawnSync(process.execPath, ['scripts/frozen-reader.ts', ...args], { encoding: 'utf8' });
        expect(wrong.status, args.join(' ')).toBe(2);
        expect(wrong.stderr).toContain('usage:');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures the two labellings against each other with scripts/label-agreement.ts, which refuses what it does not know', () => {
    const agreeing = second.filter((item) => item.label === devLabels.get(key(item))).length;
    const run = spawnSync(process.execPath, ['scripts/label-agreement.ts'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Agreement of the two labellings: ${agreeing} of 200 `);
    const disagreeing = second.filter((item) => item.label !== devLabels.get(key(item)));
    const fromThreads = disagreeing.filter((item) => item.decided?.threadRead).length;
    expect(run.stdout).toContain(`Disagreements decided from their threads: ${fromThreads} of ${disagreeing.length} `);
    // Dev's labels follow every thread's decision (the ones threads overturned were corrected), so
    // scored against the labels as decided they miss nothing; a label changed back would show here.
    expect(second.filter((item) => item.decided?.threadRead && item.decided.label !== devLabels.get(key(item)))).toHaveLength(0);
    expect(run.stdout).toMatch(/dev's labels: .*recall@1 1\.000, near misses landing on a page 0\.000/);
    const dir = mkdtempSync(path.join(tmpdir(), 'label-agreement-'));
    try {
      writeFileSync(path.join(dir, 'empty.json'), '[]');
      writeFileSync(path.join(dir, 'not-outcomes.json'), '{"queries": []}');
      for (const args of [
        ['--threshold', '0.1'],
        ['--outcomes', path.join(dir, 'missing.json')],
        ['--outcomes', path.join(dir, 'empty.json')],
        ['--outcomes', path.join(dir, 'not-outcomes.json')],
        ['--outcomes', dir],
      ]) {
        const wrong = spawnSync(process.execPath, ['scripts/label-agreement.ts', ...args], { encoding: 'utf8' });
        expect(wrong.status, args.join(' ')).toBe(2);
        expect(wrong.stderr).toContain('usage:');
        expect(wrong.stderr).not.toContain('    at ');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
