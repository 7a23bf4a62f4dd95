/**
 * The doctor on queries nobody here wrote: the frozen test split of the held-out search corpus
 * (test/search/corpus, each query citing its public thread; test/search/corpus.test.ts checks the
 * file is the one that was split). Its pastes with a page must be named first at least as often as
 * when the floor was last raised, and its near misses named no more often. This file reports
 * figures only, never which queries missed: the split is not read when a signature is written.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreDoctor } from '../../test/support/doctor-eval.ts';
import { existingPageIds, FROZEN_TEST_SET, readQuerySet } from '../../test/support/search-eval.ts';
import { loadSignatureViews } from '../lib/content/node.ts';

/** Raise the floor and lower the ceiling as signatures improve; never the other way to make a change pass. */
// 2026-12-02, first measured (58 signatures of 19 pages): 47 pastes named first 0.872 (41), 87 near misses named 0.034 (3).
// 2026-12-02, with 40 more signatures researched from Harbor's source and threads no query set cites: unchanged.
const FLOOR = { namedFirst: 0.872 };
const CEILING = { nearMissesNamed: 0.035 };

describe.skipIf(!existsSync(FROZEN_TEST_SET))('the doctor on the frozen held-out split', () => {
  it('names the pasted problems and leaves the near misses unnamed at least as well as before', async () => {
    const figures = scoreDoctor(readQuerySet(FROZEN_TEST_SET), await loadSignatureViews(), existingPageIds());
    console.log(`doctor on the frozen test split: ${JSON.stringify(figures)}`);
    expect(figures.pastes).toBeGreaterThan(0);
    expect(figures.namedFirst).toBeGreaterThanOrEqual(FLOOR.namedFirst);
    expect(figures.nearMissesNamed).toBeLessThanOrEqual(CEILING.nearMissesNamed);
  });
});
