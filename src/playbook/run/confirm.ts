// The last gate before a change: a typed "yes" on a terminal, or --yes.
import { createInterface } from 'node:readline/promises';
import { refuse } from '../errors.ts';

export async function confirmApply(summary: string, assumeYes: boolean): Promise<void> {
  if (assumeYes) return;
  if (!process.stdin.isTTY) throw refuse('refusing to apply without confirmation: not on a terminal, pass --yes to confirm');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${summary}\nType "yes" to apply: `);
    if (answer.trim().toLowerCase() !== 'yes') throw refuse('not confirmed; nothing changed');
  } finally {
    rl.close();
  }
}
