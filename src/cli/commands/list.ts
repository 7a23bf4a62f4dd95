import { EXIT_OK, EXIT_REFUSED } from '../../playbook/errors.ts';
import { printable } from '../../playbook/run/output.ts';
import type { CliCommand } from '../command.ts';

const USAGE = 'Usage: harbor-kb list [--json]\n';

export const listCommand: CliCommand = {
  summary: 'List the playbooks (--json: as JSON)',
  async run(argv, playbooks) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(USAGE);
      return EXIT_OK;
    }
    const unknown = argv.filter((argument) => argument !== '--json');
    if (unknown.length > 0) {
      process.stderr.write(`error: list takes no ${printable(JSON.stringify(unknown[0]))}\n${USAGE}`);
      return EXIT_REFUSED;
    }
    const all = Object.values(playbooks);
    if (argv.includes('--json')) {
      const listed = all.map((playbook) => ({ name: playbook.name, title: playbook.title, changes: playbook.mutates, fixes: playbook.remediates }));
      process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
      return EXIT_OK;
    }
    const width = Math.max(...all.map((playbook) => playbook.name.length));
    for (const playbook of all) {
      process.stdout.write(
        `${playbook.name.padEnd(width)}  ${playbook.mutates ? 'changes' : 'reads  '}  ${playbook.title} (fixes: ${playbook.remediates.join(', ')})\n`,
      );
    }
    return EXIT_OK;
  },
};
