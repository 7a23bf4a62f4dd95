// Every playbook, by name. The CLI, the site and the bundles read this map.
import type { Playbook } from '../src/playbook/types.ts';
import { danglingTags } from './dangling-tags.ts';
import { stopStuckReplication } from './stop-stuck-replication.ts';

export const playbooks: Readonly<Record<string, Playbook>> = Object.fromEntries(
  [stopStuckReplication, danglingTags].map((playbook) => [playbook.name, playbook]),
);
