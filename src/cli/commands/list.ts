import type { CliCommand } from '../command.ts';

export const listCommand: CliCommand = {
  summary: 'List the playbooks',
  async run(_argv, playbooks) {
    const width = Math.max(...Object.keys(playbooks).map((name) => name.length));
    for (const playbook of Object.values(playbooks)) {
      process.stdout.write(
        `${playbook.name.padEnd(width)}  ${playbook.mutates ? 'changes' : 'reads  '}  ${playbook.title} (fixes: ${playbook.remediates.join(', ')})\n`,
      );
    }
    return 0;
  },
};
