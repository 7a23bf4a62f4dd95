// A thread of the CLI doctor: reads one line-aligned byte range of a log file, runs its
// own doctor over it and answers with that range's findings, while the main thread
// scans the first range.
import { parentPort, workerData } from 'node:worker_threads';
import { createDoctor, type DoctorPage, type Finding } from './findings.ts';
import { fileBytes, logText, utf8Line } from './read-log.ts';

export interface RangeScan {
  pages: DoctorPage[];
  since?: number;
  reference: number;
  file: string;
  start: number;
  end: number;
}

export interface RangeFindings {
  findings: Finding[];
}

const { pages, since, reference, file, start, end } = workerData as RangeScan;
const doctor = createDoctor(pages, { since, reference, decode: utf8Line });
for await (const text of logText(await fileBytes(file, [start, end]), file)) doctor.scan(text, file);
parentPort?.postMessage({ findings: doctor.findings() } satisfies RangeFindings);
