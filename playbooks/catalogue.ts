// One line per playbook: adding a playbook is its file plus its line here. `all.ts` builds the
// map by name that the CLI, the site and the bundles read.
export { admiralUrl } from './admiral-url.ts';
export { danglingTags } from './dangling-tags.ts';
export { dbBackup } from './db-backup.ts';
export { dbRestore } from './db-restore.ts';
export { diagnoseDbConnections } from './diagnose-db-connections.ts';
export { deleteTags } from './delete-tags.ts';
export { manifestReady } from './manifest-ready.ts';
export { purgeAuditLog } from './purge-audit-log.ts';
export { schemaDoctor } from './schema-doctor.ts';
export { stopStuckReplication } from './stop-stuck-replication.ts';
export { tagScan } from './tag-scan.ts';
export { waitForCore } from './wait-for-core.ts';
