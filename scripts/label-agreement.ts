/**
 * `node scripts/label-agreement.ts [--outcomes FILE]`: how far dev's labels can be trusted as a
 * measure. A helper who had seen neither the pages nor dev's labels labelled a sample of dev
 * queries again from the query's text and the neutral problem list alone
 * (test/search/corpus/dev-second-labels.json); a third, who could read each query's thread,
 * decided the queries the two labellings disagree on. Where it found no thread its decision is
 * no better than a reading of the query, so dev's label stands. This prints:
 * - how the disagreements were decided;
 * - dev's labels and the second labelling scored as if they were a search against the labels as
 *   decided: the second is what a careful reader reaches with no more than the search sees;
 * - with `--outcomes` (what `search-dev-harness.ts dev --model-folds --out FILE` writes), the
 *   search's figures on the same sample: against the labels as decided, against dev's labels, and
 *   on the queries both labellings agree on.
 * It reads dev only; the sample's queries are dev's (test/search/corpus.test.ts checks it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CONFIDENCE_TIERS,
  CORPUS_DIR,
  existingPageIds,
  figuresLine,
  labelAsRun,
  querySiteKey as key,
  readQuerySet,
  readSecondLabels,
  score,
  type Query,
  type Run,
  type SecondLabel,
} from '../test/support/search-eval.ts';

const USAGE = 'usage: node scripts/label-agreement.ts [--outcomes FILE]  (FILE: search-dev-harness.ts dev --model-folds --out FILE)';

const { values } = (() => {
  try {
    return parseArgs({ options: { outcomes: { type: 'string' } } });
  } catch {
    console.error(USAGE);
    process.exit(2);
  }
})();
if (values.outcomes !== undefined && !existsSync(values.outcomes)) {
  console.error(`There is no harness output at ${values.outcomes}.\n${USAGE}`);
  process.exit(2);
}
type Outcome = Query & { ids: string[]; suggestions: string[] };
const outcomes = (() => {
  if (values.outcomes === undefined) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(values.outcomes, 'utf8')) as Outcome[];
    if (!Array.isArray(parsed) || !parsed.every((o) => typeof o.q === 'string' && Array.isArray(o.ids) && Array.isArray(o.suggestions))) throw new Error();
    return new Map(parsed.map((o) => [key(o), o]));
  } catch {
    console.error(`${values.outcomes} is not what search-dev-harness.ts --out writes.\n${USAGE}`);
    process.exit(2);
  }
})();
const dev = new Map(readQuerySet(`${CORPUS_DIR}/dev.json`).map((query) => [key(query), query]));
const sample = readSecondLabels().map((label) => ({ label, query: dev.get(key(label)) }));
const missing = sample.filter((item) => !item.query);
if (missing.length > 0) {
  console.error(`${missing.length} labelled queries are no longer in dev; label the sample again.`);
  process.exit(1);
}
type Labelled = { label: SecondLabel; query: Query };
const labelled = sample as Labelled[];
const pages = existingPageIds();
const line = (name: string, runs: Run[]) => console.log(figuresLine(name, score(runs, pages)));
/** The label as far as the thread tells: dev's, unless the third helper read the thread and decided otherwise. */
const decidedLabel = ({ label, query }: Labelled) => (label.decided?.threadRead ? label.decided.label : query.expect);
/** A labelling scored as a search against `expect`. */
const asRun = (item: Labelled, expect: string | null, said: string | null) => labelAsRun({ ...item.query, expect }, said);

const agree = labelled.filter(({ label, query }) => label.label === query.expect);
console.log(`Agreement of the two labellings: ${agree.length} of ${labelled.length} (${(agree.length / labelled.length).toFixed(3)}).`);
const disputed = labelled.filter(({ label, query }) => label.label !== query.expect);
const decided = disputed.flatMap((item) => (item.label.decided?.threadRead ? [{ ...item, decided: item.label.decided }] : []));
const count = (test: (item: (typeof decided)[number]) => boolean) => decided.filter(test).length;
console.log(
  `Disagreements decided from their threads: ${decided.length} of ${disputed.length} (no thread found for the rest: dev's label stands): ` +
    `dev's label ${count(({ decided, query }) => decided.label === query.expect)}, ` +
    `the second ${count(({ decided, label }) => decided.label === label.label)}, ` +
    `neither ${count(({ decided, label, query }) => decided.label !== query.expect && decided.label !== label.label)}.`,
);
console.log('Scored as a search against the labels as decided:');
line(
  "dev's labels",
  labelled.map((item) => asRun(item, decidedLabel(item), item.query.expect)),
);
// The second labeller read only the query, as the search does.
for (const [tier, { name, sure }] of CONFIDENCE_TIERS.entries()) {
  line(
    tier === 0 ? 'the second labelling (the query alone)' : `  its labels of ${name}`,
    labelled.map((item) => asRun(item, decidedLabel(item), sure.includes(item.label.confidence) ? item.label.label : null)),
  );
}
if (outcomes === undefined) process.exit(0);

const searched = (item: Labelled, expect: string | null): Run => {
  const outcome = outcomes.get(key(item.query));
  if (!outcome) {
    console.error(`${values.outcomes} has no outcome for a sampled dev query; run the harness on dev.\n${USAGE}`);
    process.exit(2);
  }
  return { query: { ...item.query, expect }, ids: outcome.ids, suggestions: outcome.suggestions, ms: 0 };
};
line(
  'the search',
  labelled.map((item) => searched(item, decidedLabel(item))),
);
console.log("The search against dev's labels:");
line(
  'the sample',
  labelled.map((item) => searched(item, item.query.expect)),
);
line(
  'the queries both labellings agree on',
  agree.map((item) => searched(item, item.query.expect)),
);
