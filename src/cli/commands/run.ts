import { EXIT_REFUSED } from '../../playbook/errors.ts';
import { runPlaybook } from '../../playbook/runner.ts';
import type { CliCommand } from '../main.ts';

export const runCommand: CliCommand = {
  summary: 'Run a playbook: harbor-kb run <name> [options] (dry-run unless --apply; --help for its options)',
  async run(argv, playbooks) {
    const [name, ...rest] = argv;
    const playbook = name ? playbooks[name] : undefined;
    if (!playbook) {
      process.stderr.write(`error: ${name ? `no playbook named ${JSON.stringify(name)}` : 'which playbook?'}; run "harbor-kb list"\n`);
      return EXIT_REFUSED;
    }
    return runPlaybook(playbook, rest);
  },
};
