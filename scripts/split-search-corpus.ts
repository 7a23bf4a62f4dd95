/**
 * Splits the held-out search corpus once into `dev` (read it, tune on it) and `test` (frozen:
 * scored by `npm run bench:search` and asserted in `npm test`, never read when writing a rule).
 * Which split a query joins depends only on a hash of its site and text, never on how the
 * search does on it. Refuses to run again once test.json exists: the split happens once; later
 * queries join dev with --add-to-dev.
 *
 *   node scripts/split-search-corpus.ts raw-1.jsonl raw-2.jsonl            # the one split
 *   node scripts/split-search-corpus.ts --add-to-dev more.jsonl            # later additions
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CORPUS_DIR,
  FROZEN_SPLITS,
  FROZEN_TEST_CHECKSUM,
  FROZEN_TEST_SET,
  NEAR_COPY,
  queryWords,
  readQuerySet,
  sha256OfFile,
  wordOverlap,
  type Query,
} from '../test/support/search-eval.ts';

const SALT = 'harbor-kb corpus split 1';
const KINDS = new Set(['log', 'multiline', 'phrase', 'paraphrase', 'chinese', 'distractor']);
const DEV_SET = `${CORPUS_DIR}/dev.json`;

function fail(message: string): never {
  console.error(`split-search-corpus: ${message}`);
  process.exit(2);
}

function readJsonl(file: string): Query[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      let entry: Partial<Query>;
      try {
        entry = JSON.parse(line) as Partial<Query>;
      } catch {
        fail(`${file}:${index + 1} is not JSON`);
      }
      if (
        typeof entry.q !== 'string' ||
        !entry.q.trim() ||
        (entry.site !== 'en' && entry.site !== 'zh') ||
        !KINDS.has(String(entry.kind)) ||
        !(entry.expect === null || typeof entry.expect === 'string') ||
        typeof entry.source !== 'string' ||
        !/^https?:\/\//.test(entry.source)
      ) {
        fail(`${file}:${index + 1} needs q, site (en|zh), kind (${[...KINDS].join('|')}), expect (id or null) and a source URL`);
      }
      return { kind: entry.kind!, site: entry.site, expect: entry.expect ?? null, q: entry.q, source: entry.source };
    });
}

const key = (query: Query) => `${query.site}\0${query.q.trim()}`;
const joinsTest = (query: Query) =>
  createHash('sha256')
    .update(`${SALT}\0${key(query)}`)
    .digest()[0]! < 128;

function unique(queries: Query[], seen = new Set<string>()): Query[] {
  return queries.filter((query) => !seen.has(key(query)) && seen.add(key(query)));
}

function write(file: string, about: string, queries: Query[]) {
  writeFileSync(file, `${JSON.stringify({ about, queries }, null, 1)}\n`);
}

const DEV_ABOUT =
  'Held-out corpus, dev split: real queries gathered from public threads by helpers that had not read the pages; read and tune on these. Each cites its source.';
const TEST_ABOUT =
  'Held-out corpus, FROZEN test split: scored, never read when writing a rule, never edited (test.sha256 holds its checksum). Each cites its source.';

const { values, positionals } = parseArgs({ options: { 'add-to-dev': { type: 'boolean' } }, allowPositionals: true });
if (positionals.length === 0) fail('name the .jsonl files to split');
const incoming = positionals.flatMap(readJsonl);
if (values['add-to-dev']) {
  if (!existsSync(DEV_SET)) fail(`${DEV_SET} does not exist: split first`);
  // Every frozen set, not only the first split: a near copy of any of them in dev would let its text be read.
  const frozenQueries = FROZEN_SPLITS.flatMap((split) => readQuerySet(split.set));
  const frozen = new Set(frozenQueries.map(key));
  const dev = readQuerySet(DEV_SET);
  const frozenWords = frozenQueries.map(queryWords);
  const fresh = unique(incoming, new Set([...frozen, ...dev.map(key)]));
  // Compared without printing: nobody reads the frozen split, this only keeps its text out of dev.
  const added = fresh.filter((query) => !frozenWords.some((words) => wordOverlap(words, queryWords(query)) >= NEAR_COPY));
  write(DEV_SET, DEV_ABOUT, [...dev, ...added]);
  console.log(
    `added ${added.length} queries to ${DEV_SET} (${incoming.length - fresh.length} already in the corpus, ${fresh.length - added.length} near copies of frozen queries left out)`,
  );
} else {
  if (existsSync(FROZEN_TEST_SET)) fail(`${FROZEN_TEST_SET} exists: the split happens once (use --add-to-dev for new queries)`);
  const all = unique(incoming);
  const test = all.filter(joinsTest);
  const dev = all.filter((query) => !joinsTest(query));
  write(DEV_SET, DEV_ABOUT, dev);
  write(FROZEN_TEST_SET, TEST_ABOUT, test);
  writeFileSync(FROZEN_TEST_CHECKSUM, `${sha256OfFile(FROZEN_TEST_SET)}\n`);
  console.log(`${all.length} queries: ${dev.length} dev, ${test.length} test (frozen, checksum in ${FROZEN_TEST_CHECKSUM})`);
}
