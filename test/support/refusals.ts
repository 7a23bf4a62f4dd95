// Bad-input cases for a playbook: each runs the real CLI (all at once) and must exit 2 with
// its message on stderr; on a database, one refusal at a time with the tables checked after.
import { expect } from 'vitest';
import type { CliResult } from './cli.ts';
import type { HarborDb } from './harbor-db.ts';

export type RefusalCase = readonly [args: string[], message: RegExp];

export async function expectRefusals(run: (args: string[]) => Promise<CliResult>, cases: readonly RefusalCase[]): Promise<void> {
  const results = await Promise.all(cases.map(([args]) => run(args)));
  cases.forEach(([args, message], index) => {
    expect(results[index]!.code, `${args.join(' ')}: ${results[index]!.stderr}`).toBe(2);
    expect(results[index]!.stderr).toMatch(message);
  });
}

/** Runs `run`, which must be refused (exit 2) with `message`, and checks that `db`'s tables did not change; returns the run. */
export async function expectRefusedUnchanged<R extends CliResult>(db: HarborDb, run: () => Promise<R>, message: RegExp): Promise<R> {
  const before = await db.checksums();
  const result = await run();
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(await db.checksums()).toEqual(before);
  return result;
}
