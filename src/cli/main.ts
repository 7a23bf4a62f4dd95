// harbor-kb: command dispatch. A command is one file in src/cli/commands/ and one entry in
// COMMANDS.
import { playbooks as registry } from '../../playbooks/all.ts';
import { EXIT_OK, EXIT_REFUSED } from '../playbook/errors.ts';
import { printable } from '../playbook/run/output.ts';
import type { CliCommand } from './command.ts';
import { doctorCommand } from './commands/doctor.ts';
import { listCommand } from './commands/list.ts';
import { runCommand } from './commands/run.ts';

// A Map, not an object: a name such as "constructor" or "__proto__" must not find Object's members.
export const COMMANDS: ReadonlyMap<string, CliCommand> = new Map([
  ['list', listCommand],
  ['run', runCommand],
  ['doctor', doctorCommand],
]);

function usage(): string {
  const commands = [...COMMANDS].map(([name, command]) => `  ${name.padEnd(6)} ${command.summary}`);
  return [
    'harbor-kb: runnable, safe fixes for Harbor problems',
    '',
    'Usage: harbor-kb <command> [options]',
    '',
    'Commands:',
    ...commands,
    '',
    'Exit codes: 0 done / nothing to do / dry-run plan printed; 1 failed, nothing changed; 2 refused (bad input or preflight);',
    '            3 changed something but could not finish or verify (stderr says what changed and how to restore it).',
    'Docs: docs/playbooks.md',
    '',
  ].join('\n');
}

export async function main(argv: string[], playbooks = registry): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT_OK : EXIT_REFUSED;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    process.stderr.write(`error: unknown command ${printable(JSON.stringify(name))}\n\n${usage()}`);
    return EXIT_REFUSED;
  }
  return command.run(rest, playbooks);
}
