// What each Harbor PostgreSQL migration leaves in the schema that a later one never removes: the
// tables it creates, the columns it adds to older tables, or (when it adds neither) its indexes.
// Derived by applying make/migrations/postgresql/NNNN_*.up.sql (v2.15.2) one at a time and diffing
// the catalog; migration-footprints.test.ts re-derives and checks it. Data-only migrations (e.g.
// 0041, 0061: UPDATEs that are safe to re-run) and type changes (0012) leave nothing to detect.
import { MIGRATION_NUMBERS } from '../../lib/harbor-migration-releases.ts';
import { sql, type Database } from './sql.ts';

/** Migration number → 'table', 'table.column' or 'index name' entries it creates. */
export const MIGRATION_FOOTPRINTS: ReadonlyMap<number, readonly string[]> = new Map<number, readonly string[]>([
  [
    1,
    [
      'access',
      'alembic_version',
      'harbor_label',
      'harbor_user',
      'project',
      'project_member',
      'project_metadata',
      'properties',
      'replication_policy',
      'repository',
      'role',
      'user_group',
    ],
  ],
  [2, ['job_log']],
  [3, []],
  [
    4,
    [
      'oidc_user',
      'registry',
      'robot',
      'replication_policy.creator',
      'replication_policy.dest_namespace',
      'replication_policy.dest_registry_id',
      'replication_policy.override',
      'replication_policy.src_registry_id',
      'replication_policy.trigger',
    ],
  ],
  [5, ['index unique_group_name']],
  [10, ['artifact', 'artifact_blob', 'blob', 'notification_policy', 'project_blob', 'quota', 'quota_usage', 'retention_policy', 'schedule']],
  [11, ['harbor_user.password_version']],
  [12, []],
  [15, ['immutable_tag_rule', 'scan_report', 'scanner_registration', 'robot.visible']],
  [
    30,
    [
      'artifact_reference',
      'artifact_trash',
      'audit_log',
      'label_reference',
      'tag',
      'artifact.annotations',
      'artifact.extra_attrs',
      'artifact.manifest_media_type',
      'artifact.media_type',
      'artifact.repository_id',
      'artifact.repository_name',
      'artifact.size',
      'artifact.type',
    ],
  ],
  [31, []],
  [
    40,
    [
      'cve_allowlist',
      'data_migrations',
      'execution',
      'p2p_preheat_instance',
      'p2p_preheat_policy',
      'task',
      'artifact.icon',
      'blob.status',
      'blob.update_time',
      'blob.version',
      'project.registry_id',
      'schedule.callback_func_name',
      'schedule.callback_func_param',
      'schedule.cron',
      'schedule.vendor_id',
      'schedule.vendor_type',
    ],
  ],
  [41, []],
  [
    50,
    [
      'permission_policy',
      'report_vulnerability_record',
      'role_permission',
      'vulnerability_record',
      'execution.update_time',
      'robot.duration',
      'robot.salt',
      'robot.secret',
      'schedule.cron_type',
      'schedule.extra_attrs',
      'task.vendor_type',
    ],
  ],
  [51, ['index task_execution_id_idx']],
  [52, ['schedule.revision']],
  [53, ['index idx_artifact_push_time', 'index idx_artifact_reference_child_id', 'index idx_tag_artifact_id', 'index idx_tag_push_time']],
  [60, ['replication_policy.dest_namespace_replace_count']],
  [61, []],
  [70, ['quota.version', 'quota_usage.version', 'replication_policy.speed_kb']],
  [71, []],
  [80, ['artifact_accessory']],
  [81, ['index idx_artifact_repository_name']],
  [82, []],
  [90, ['system_artifact']],
  [91, ['replication_policy.copy_by_chunk']],
  [100, ['job_queue_status']],
  [110, ['artifact_accessory.subject_artifact_digest', 'artifact_accessory.subject_artifact_repo']],
  [111, ['index idx_task_extra_attrs_report_uuids']],
  [
    120,
    [
      'scan_report.critical_cnt',
      'scan_report.fixable_cnt',
      'scan_report.high_cnt',
      'scan_report.low_cnt',
      'scan_report.medium_cnt',
      'scan_report.none_cnt',
      'scan_report.unknown_cnt',
    ],
  ],
  [130, ['index idx_artifact_accessory_subject_artifact_id']],
  [140, ['sbom_report', 'artifact.artifact_type']],
  [150, ['robot.creator_ref', 'robot.creator_type']],
  [160, ['audit_log_ext', 'p2p_preheat_policy.extra_attrs']],
  [170, ['replication_policy.single_active_replication', 'vulnerability_record.status']],
  [171, []],
  [180, ['registry.ca_certificate']],
]);

/**
 * Migrations that fail when run a second time over their own result ("relation ... already
 * exists", or a table they drop at the end): restarting before one of them after it completed
 * cannot succeed. The others are idempotent (IF NOT EXISTS, data fixes). Re-derived by the test.
 */
export const FAILS_WHEN_RERUN: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 10, 11, 15, 30, 50, 80]);

/** The tables, table.columns and 'index name's of the connected PostgreSQL schema. */
export async function schemaObjects(db: Database): Promise<Set<string>> {
  const rows = await db.query(sql`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()
    UNION ALL SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()
    UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema()`);
  return new Set(rows.map((row) => String(row.name)));
}

/** The migrations among `numbers` whose every footprint object is present (those with a footprint only). */
export function migrationsPresent(objects: ReadonlySet<string>, numbers: readonly number[] = MIGRATION_NUMBERS): number[] {
  return numbers.filter((number) => {
    const footprint = MIGRATION_FOOTPRINTS.get(number) ?? [];
    return footprint.length > 0 && footprint.every((object) => objects.has(object));
  });
}
