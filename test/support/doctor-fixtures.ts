// The log doctor's fixtures (test/fixtures/doctor): cited upstream excerpts, healthy
// logs and other problems. Each file opens with `# ` comment lines naming its source;
// `fixtureLog` gives the log without them, as an operator's file would hold it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCTOR_FIXTURES = fileURLToPath(new URL('../fixtures/doctor/', import.meta.url));

/** A fixture's log lines (path relative to test/fixtures/doctor), without its header comment. */
export function fixtureLines(path: string): string[] {
  return readFileSync(join(DOCTOR_FIXTURES, path), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('# '));
}

/** Fixture logs joined into one log text (with a final newline). */
export const fixtureLog = (...paths: string[]) => `${paths.flatMap(fixtureLines).join('\n')}\n`;

export interface Excerpt {
  file: string;
  /** Page ids the excerpt must match, the first one ranking first. */
  expected: string[];
  source?: string;
  lines: string[];
}

export function excerpts(): Excerpt[] {
  return readdirSync(join(DOCTOR_FIXTURES, 'excerpts'))
    .filter((file) => file.endsWith('.log'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DOCTOR_FIXTURES, 'excerpts', file), 'utf8');
      return {
        file,
        expected: /^# Expect: (.+)$/m.exec(text)?.[1]?.split(' ') ?? [],
        source: /^# Source: (.+)$/m.exec(text)?.[1],
        lines: fixtureLines(join('excerpts', file)),
      };
    });
}
