/**
 * `node scripts/frozen-reader.ts input DIR | score`: what a careful reader who sees only the query
 * reaches on the frozen sets, beside which the search's frozen figures can be read.
 *
 * Session 12 measured this on a dev sample (scripts/label-agreement.ts). The frozen sets cannot be
 * read here, so:
 * - `input DIR` writes each frozen set's queries, without their labels, to DIR/input-<set>.json,
 *   each named by its hash (`queryHash`), in the order of the hashes. Helpers who have seen neither
 *   the pages nor the labels label them from the text and PROBLEMS.md alone; it prints counts only.
 * - `score` reads their labels (test/search/corpus/frozen-reader-labels.json: hashes, labels and
 *   confidences, no query text) and prints, per frozen set, the reader scored as a search against
 *   the set's own labels: every label, then its surer labels only (a stricter threshold, as it
 *   were). Figures only, never a query.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIDENCE_TIERS,
  existingPageIds,
  figuresLine,
  FROZEN_SPLITS,
  frozenSetName,
  labelAsRun,
  queryHash,
  readQuerySet,
  readReaderLabels,
  score,
  type ReaderLabel,
} from '../test/support/search-eval.ts';

const USAGE = 'usage: node scripts/frozen-reader.ts input DIR | score';
const [mode, dir, ...extra] = process.argv.slice(2);
if (extra.length > 0 || !((mode === 'input' && dir) || (mode === 'score' && !dir))) {
  console.error(USAGE);
  process.exit(2);
}

if (mode === 'input') {
  mkdirSync(dir!, { recursive: true });
  for (const split of FROZEN_SPLITS) {
    const queries = readQuerySet(split.set)
      .map((query) => ({ key: queryHash(query), site: query.site, q: query.q }))
      .sort((a, b) => a.key.localeCompare(b.key));
    const file = join(dir!, `input-${frozenSetName(split)}.json`);
    writeFileSync(file, `${JSON.stringify({ queries }, null, 1)}\n`);
    console.log(`${file}: ${queries.length} queries`);
  }
  process.exit(0);
}

const labels = readReaderLabels();
const pages = existingPageIds();
for (const split of FROZEN_SPLITS) {
  const name = frozenSetName(split);
  const byKey = new Map(labels.filter((label) => label.set === name).map((label) => [label.key, label]));
  const queries = readQuerySet(split.set);
  const unlabelled = queries.filter((query) => !byKey.has(queryHash(query))).length;
  if (unlabelled > 0) {
    console.error(`${split.name}: ${unlabelled} queries have no reader label; label the set again.`);
    process.exit(1);
  }
  console.log(`${split.name}, the reader scored as a search against the set's labels:`);
  for (const { name: tier, sure } of CONFIDENCE_TIERS) {
    const said = (label: ReaderLabel) => (sure.includes(label.confidence) ? label.label : null);
    console.log(
      figuresLine(
        tier,
        score(
          queries.map((query) => labelAsRun(query, said(byKey.get(queryHash(query))!))),
          pages,
        ),
      ),
    );
  }
}
