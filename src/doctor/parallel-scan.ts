/**
 * Scans a large plain log file on every core: the file is split at line breaks, the
 * caller scans the first part on its own thread and each other part runs through its
 * own doctor on a worker thread. The regular-expression pass is most of the doctor's
 * time, so this roughly divides it by the number of cores; one extra thread per core
 * beyond the first keeps memory within the doctor's budget.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DoctorPage, Finding } from './findings.ts';
import { lineAlignedRanges } from './read-log.ts';
import type { RangeFindings, RangeScan } from './scan-range-worker.ts';

/** Below this many bytes per part, starting a thread costs more than it saves. */
const MIN_PART_SIZE = 32 * 1024 * 1024;

export interface SplitScan {
  /** The byte range the caller scans itself. */
  first: [number, number];
  /** Findings of the other ranges, in file order, and their size in bytes. */
  others: Promise<{ parts: Finding[][]; bytes: number }>;
}

export async function scanInParts(
  file: string,
  pages: readonly DoctorPage[],
  options: { since?: number; reference: number },
  minPartSize = MIN_PART_SIZE,
): Promise<SplitScan> {
  const [first, ...rest] = (await lineAlignedRanges(file, availableParallelism(), minPartSize)) as [[number, number], ...[number, number][]];
  const parts = Promise.all(
    rest.map(([start, end]) => {
      const job: RangeScan = { pages: [...pages], since: options.since, reference: options.reference, file, start, end };
      // A small young generation keeps the extra thread's memory low at no cost in speed.
      const worker = new Worker(new URL('./scan-range-worker.ts', import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      return new Promise<Finding[]>((resolve, reject) => {
        worker.once('message', (answer: RangeFindings) => resolve(answer.findings));
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`the scanning thread for ${file} exited with ${code}`)));
      });
    }),
  );
  return { first, others: parts.then((found) => ({ parts: found, bytes: rest.reduce((sum, [start, end]) => sum + end - start, 0) })) };
}
