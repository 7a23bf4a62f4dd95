// Bad-input cases for a playbook: each runs the real CLI (all at once) and must exit 2 with
// its message on stderr.
import { expect } from 'vitest';
import type { CliResult } from './cli.ts';

export type RefusalCase = readonly [args: string[], message: RegExp];

export async function expectRefusals(run: (args: string[]) => Promise<CliResult>, cases: readonly RefusalCase[]): Promise<void> {
  const results = await Promise.all(cases.map(([args]) => run(args)));
  cases.forEach(([args, message], index) => {
    expect(results[index]!.code, `${args.join(' ')}: ${results[index]!.stderr}`).toBe(2);
    expect(results[index]!.stderr).toMatch(message);
  });
}
