/**
 * Splitting a large log across threads must find exactly what one doctor reading the
 * whole file finds. Real worker threads, real files; small part sizes so the files stay small.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { excerpts, fixtureLines } from '../../test/support/doctor-fixtures.ts';
import { loadSignatureViews } from '../lib/content/node.ts';
import { createDoctor, mergeFindings, type Finding } from './findings.ts';
import { scanInParts } from './parallel-scan.ts';
import { fileBytes, lineAlignedRanges, logText, utf8Line } from './read-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'harbor-kb-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PART = 64 * 1024;
const healthy = ['healthy/core.log', 'healthy/jobservice.log', 'healthy/registry.log'].flatMap(fixtureLines);

/** About 1 MB of healthy lines with every upstream excerpt spread through it. */
function largeLog(): string {
  const lines: string[] = [];
  const problems = excerpts().flatMap((excerpt) => excerpt.lines);
  for (let i = 0; lines.join('\n').length < 1024 * 1024 && i < 100_000; i++) {
    lines.push(...healthy);
    lines.push(problems[i % problems.length] as string);
  }
  return `${lines.join('\n')}\n`;
}

async function findingsOf(path: string, pages: Awaited<ReturnType<typeof loadSignatureViews>>, split: boolean): Promise<Finding[]> {
  const options = { reference: Date.UTC(2026, 0, 1) };
  const doctor = createDoctor(pages, { ...options, decode: utf8Line });
  if (!split) {
    for await (const text of logText(await fileBytes(path), path)) doctor.scan(text, path);
    return doctor.findings();
  }
  const parts = await scanInParts(path, pages, options, PART);
  for await (const text of logText(await fileBytes(path, parts.first), path)) doctor.scan(text, path);
  return mergeFindings([doctor.findings(), ...(await parts.others).parts]);
}

describe('scanning a log in parts on worker threads', () => {
  it('splits a plain file into contiguous ranges that start at line beginnings', async () => {
    const path = join(dir, 'ranges.log');
    writeFileSync(path, largeLog());
    const bytes = readFileSync(path);
    const ranges = await lineAlignedRanges(path, 4, PART);
    expect(ranges.length).toBe(4);
    expect(ranges[0]?.[0]).toBe(0);
    expect(ranges.at(-1)?.[1]).toBe(bytes.length);
    ranges.forEach(([start, end], i) => {
      expect(end).toBeGreaterThan(start);
      if (i > 0) {
        expect(start).toBe(ranges[i - 1]?.[1]);
        expect(bytes[start - 1]).toBe(10);
      }
    });
  });

  it('finds exactly what one doctor reading the whole file finds', async () => {
    const path = join(dir, 'large.log');
    writeFileSync(path, largeLog());
    const pages = await loadSignatureViews();
    const whole = await findingsOf(path, pages, false);
    expect(whole.length).toBe(pages.length);
    expect(await findingsOf(path, pages, true)).toEqual(whole);
  });

  it('keeps gzip and small files in one part', async () => {
    const gz = join(dir, 'large.log.gz');
    writeFileSync(gz, gzipSync(largeLog()));
    expect(await lineAlignedRanges(gz, 4, PART)).toHaveLength(1);
    const small = join(dir, 'small.log');
    writeFileSync(small, 'one line\n');
    expect(await lineAlignedRanges(small, 4, PART)).toEqual([[0, 9]]);
  });
});

describe('mergeFindings', () => {
  const finding = (lines: number, weight: number, example: string, firstSeen?: number, lastSeen?: number): Finding => ({
    pageId: 'p',
    score: weight,
    lines,
    firstSeen,
    lastSeen,
    example: { text: example, source: 'core.log' },
    components: ['core'],
    sources: ['core.log'],
    signatures: [{ pattern: `w${weight}`, weight, lines }],
    playbooks: [],
  });

  it('adds counts, widens first and last seen, and keeps the first example of the strongest signature', () => {
    const [merged] = mergeFindings([[finding(2, 1, 'weak', 10, 20)], [finding(3, 3, 'strong first', 5, 15)], [finding(1, 3, 'strong later', 30, 40)]]);
    expect(merged).toMatchObject({ lines: 6, firstSeen: 5, lastSeen: 40, score: 4, example: { text: 'strong first' } });
    expect(merged?.signatures).toEqual([
      { pattern: 'w1', weight: 1, lines: 2 },
      { pattern: 'w3', weight: 3, lines: 4 },
    ]);
  });
});
