/**
 * Scoring the log doctor on the held-out search corpus (test/search/corpus, gathered from public
 * threads by helpers who never saw the pages): the one way the benchmark (`npm run bench:doctor`)
 * and the floor on the frozen split (src/doctor/recognition-corpus.test.ts) count, so the figure
 * the test guards is the figure the benchmark prints. The doctor reads logs, so of the queries
 * that have a page only pastes (kinds log and multiline) count; every near miss counts, pasted or
 * written, because the doctor must name none of them.
 */
import { createDoctor, type DoctorPage } from '../../src/doctor/findings.ts';
import type { Query } from './search-eval.ts';

const PASTE_KINDS = new Set(['log', 'multiline']);
/** Yearless syslog timestamps are placed in this year; nothing here filters by time. */
const REFERENCE = Date.UTC(2026, 0, 1);

export interface DoctorFigures {
  /** Pasted logs whose problem has a page. */
  pastes: number;
  /** Share of them whose page the doctor names first. */
  namedFirst: number;
  /** Share of them whose page the doctor names at all. */
  named: number;
  /** Queries without a page of ours (near misses), pasted or written. */
  nearMisses: number;
  /** Share of them for which the doctor names any page. */
  nearMissesNamed: number;
}

/** Runs the doctor over each query on its own; `pages` are the doctor's pages, `known` the ids that have a page. */
export function scoreDoctor(queries: readonly Query[], pages: readonly DoctorPage[], known: ReadonlySet<string>): DoctorFigures {
  let pastes = 0;
  let first = 0;
  let anywhere = 0;
  let nearMisses = 0;
  let named = 0;
  for (const query of queries) {
    const expected = query.expect !== null && known.has(query.expect) ? query.expect : null;
    if (expected !== null && !PASTE_KINDS.has(query.kind)) continue;
    const doctor = createDoctor(pages, { reference: REFERENCE });
    doctor.scan(query.q, 'paste');
    const found = doctor.findings().map((finding) => finding.pageId);
    if (expected === null) {
      nearMisses += 1;
      if (found.length > 0) named += 1;
    } else {
      pastes += 1;
      if (found[0] === expected) first += 1;
      if (found.includes(expected)) anywhere += 1;
    }
  }
  const share = (count: number, of: number) => (of ? count / of : Number.NaN);
  return { pastes, namedFirst: share(first, pastes), named: share(anywhere, pastes), nearMisses, nearMissesNamed: share(named, nearMisses) };
}
