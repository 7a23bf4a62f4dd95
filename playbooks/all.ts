// Every playbook, by name, from the one-line entries of catalogue.ts. The CLI, the site and the
// bundles read this map.
import type { Playbook } from '../src/playbook/types.ts';
import * as catalogue from './catalogue.ts';

export const playbooks: Readonly<Record<string, Playbook>> = Object.fromEntries(
  Object.values(catalogue)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((playbook) => [playbook.name, playbook]),
);
