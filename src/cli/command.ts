// What one `harbor-kb <command>` is: main.ts dispatches to these, each in src/cli/commands/.
import type { Playbook } from '../playbook/types.ts';

export interface CliCommand {
  summary: string;
  run(argv: string[], playbooks: Readonly<Record<string, Playbook>>): Promise<number>;
}
