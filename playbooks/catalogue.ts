// One line per playbook: adding a playbook is its file plus its line here. `all.ts` builds the
// map by name that the CLI, the site and the bundles read.
export { admiralUrl } from './admiral-url.ts';
export { alignDbPassword } from './align-db-password.ts';
export { checkChartCertificates } from './check-chart-certificates.ts';
export { checkEndpointTls } from './check-endpoint-tls.ts';
export { checkTokenRealm } from './check-token-realm.ts';
export { danglingTags } from './dangling-tags.ts';
export { dbBackup } from './db-backup.ts';
export { dbRestore } from './db-restore.ts';
export { deleteTags } from './delete-tags.ts';
export { diagnoseDbConnections } from './diagnose-db-connections.ts';
export { diagnoseGcSweep } from './diagnose-gc-sweep.ts';
export { diagnoseMissingBlobs } from './diagnose-missing-blobs.ts';
export { fixRegistryStorageOwner } from './fix-registry-storage-owner.ts';
export { manifestReady } from './manifest-ready.ts';
export { purgeAuditLog } from './purge-audit-log.ts';
export { resetAdminPassword } from './reset-admin-password.ts';
export { restartComposeStack } from './restart-compose-stack.ts';
export { schemaDoctor } from './schema-doctor.ts';
export { stopStuckJobs } from './stop-stuck-jobs.ts';
export { stopStuckReplication } from './stop-stuck-replication.ts';
export { tagScan } from './tag-scan.ts';
export { waitForCore } from './wait-for-core.ts';
