// Entry of a single-file playbook bundle (dist/playbooks/<name>.mjs). Works both as
// `node <file> [options]` and `npx zx <file-or-url> [options]`: the options are whatever
// follows the script on the command line.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from './runner.ts';
import type { Playbook } from '../types.ts';

/** The arguments after the script itself (zx puts its own path and the script's first). */
export function scriptArguments(argv: readonly string[], scriptUrl: string, name: string): string[] {
  const self = fileURLToPath(scriptUrl);
  const index = argv.findIndex((arg, position) => position > 0 && (arg === self || basename(arg) === basename(self) || arg.endsWith(`/${name}.mjs`)));
  return argv.slice(index < 0 ? 2 : index + 1);
}

export async function runStandalone(playbook: Playbook, scriptUrl: string): Promise<void> {
  process.exitCode = await runPlaybook(playbook, scriptArguments(process.argv, scriptUrl, playbook.name));
}
