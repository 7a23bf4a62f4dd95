// Every playbook, by name. The CLI, the site and the bundles read this map.
import type { Playbook } from '../src/playbook/types.ts';
import { admiralUrl } from './admiral-url.ts';
import { danglingTags } from './dangling-tags.ts';
import { deleteTags } from './delete-tags.ts';
import { dbBackup } from './db-backup.ts';
import { dbRestore } from './db-restore.ts';
import { schemaDoctor } from './schema-doctor.ts';
import { manifestReady } from './manifest-ready.ts';
import { stopStuckReplication } from './stop-stuck-replication.ts';
import { tagScan } from './tag-scan.ts';
import { waitForCore } from './wait-for-core.ts';

export const playbooks: Readonly<Record<string, Playbook>> = Object.fromEntries(
  [dbBackup, dbRestore, schemaDoctor, stopStuckReplication, danglingTags, tagScan, manifestReady, admiralUrl, waitForCore, deleteTags].map((playbook) => [
    playbook.name,
    playbook,
  ]),
);
