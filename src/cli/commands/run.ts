import { EXIT_REFUSED } from '../../playbook/errors.ts';
import { printable } from '../../playbook/run/output.ts';
import { runPlaybook } from '../../playbook/run/runner.ts';
import type { CliCommand } from '../command.ts';

export const runCommand: CliCommand = {
  summary: 'Run a playbook: harbor-kb run <name> [options] (dry-run unless --apply; --help for its options)',
  async run(argv, playbooks) {
    const [name, ...rest] = argv;
    // Own properties only: "constructor" or "toString" must not find Object's members.
    const playbook = name && Object.hasOwn(playbooks, name) ? playbooks[name] : undefined;
    if (!playbook) {
      process.stderr.write(`error: ${name ? `no playbook named ${printable(JSON.stringify(name))}` : 'which playbook?'}; run "harbor-kb list"\n`);
      return EXIT_REFUSED;
    }
    return runPlaybook(playbook, rest);
  },
};
