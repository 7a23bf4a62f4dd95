import { EXIT_OK, EXIT_REFUSED } from '../../playbook/errors.ts';
import { printable } from '../../playbook/run/output.ts';
import { runPlaybook } from '../../playbook/run/runner.ts';
import type { CliCommand } from '../command.ts';

const USAGE =
  'Usage: harbor-kb run <playbook> [options]\n  A dry-run unless --apply; harbor-kb run <playbook> --help lists its options; harbor-kb list names the playbooks.\n';

export const runCommand: CliCommand = {
  summary: 'Run a playbook: harbor-kb run <name> [options] (dry-run unless --apply; --help for its options)',
  async run(argv, playbooks) {
    const [name, ...rest] = argv;
    if (name === '--help' || name === '-h') {
      process.stdout.write(USAGE);
      return EXIT_OK;
    }
    // Own properties only: "constructor" or "toString" must not find Object's members.
    const playbook = name && Object.hasOwn(playbooks, name) ? playbooks[name] : undefined;
    if (!playbook) {
      const error = `${name ? `no playbook named ${printable(JSON.stringify(name))}` : 'which playbook?'}; run "harbor-kb list"`;
      process.stderr.write(`error: ${error}\n`);
      // --json promises a result object last on stdout, for a name that is not a playbook too.
      if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ playbook: name ?? null, ok: false, exitCode: EXIT_REFUSED, error }, null, 2)}\n`);
      return EXIT_REFUSED;
    }
    return runPlaybook(playbook, rest);
  },
};
