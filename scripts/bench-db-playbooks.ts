// npm run bench:playbooks — stop-stuck-replication --apply at scale, on real servers:
// 1,000,000 `task` rows (Harbor 2.15 layout, 1% stuck for the policy) on PostgreSQL 15 and
// 1,000,000 `replication_job` rows (Harbor 1.5 layout) on MariaDB 10.11. Each apply is one
// transaction; the target is under 15 s each. Prints the figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { startMariadb } from '../test/support/mariadb.ts';
import { startPostgres } from '../test/support/postgres.ts';

const ROWS = 1_000_000;
const STUCK = ROWS / 100;
const TARGET_SECONDS = 15;
/** Stuck work last changed long before the playbook's default --older-than (24h); the syntax reads the same in PostgreSQL and MariaDB. */
const OLD = `LOCALTIMESTAMP - INTERVAL '3' DAY`;

async function timedApply(db: HarborDb, backupDir: string) {
  const started = performance.now();
  const result = await runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--policy', '1', '--apply', '--yes', '--json', '--backup-dir', backupDir]);
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) throw new Error(`run failed (${result.code}): ${result.stderr}`);
  const json = JSON.parse(result.stdout);
  return { seconds, changed: json.changes.reduce((sum: number, change: { changed?: number }) => sum + (change.changed ?? 0), 0) };
}

async function seedPostgres(db: HarborDb): Promise<void> {
  await db.exec(`INSERT INTO replication_policy (id, name) SELECT g, 'policy-' || g FROM generate_series(1, 100) g`);
  // 1,000 executions: policy 1 owns executions 1-10 (running, and unchanged for 3 days: stuck); the rest are finished.
  await db.exec(`INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, start_time)
    SELECT g, 'REPLICATION', CASE WHEN g <= 10 THEN 1 ELSE 2 + g % 99 END, CASE WHEN g <= 10 THEN 'Running' ELSE 'Success' END, 'MANUAL', ${OLD}
    FROM generate_series(1, 1000) g`);
  // Tasks 1..STUCK belong to policy 1's executions and are stuck; the rest are done.
  await db.exec(`INSERT INTO task (execution_id, job_id, status, status_code, status_revision, run_count, creation_time, start_time, vendor_type)
    SELECT CASE WHEN g <= ${STUCK} THEN 1 + g % 10 ELSE 11 + g % 990 END, md5(g::text),
           CASE WHEN g <= ${STUCK} THEN (CASE g % 3 WHEN 0 THEN 'Pending' WHEN 1 THEN 'Running' ELSE 'Scheduled' END) ELSE 'Success' END,
           CASE WHEN g <= ${STUCK} THEN g % 3 ELSE 3 END, 1, 1, ${OLD}, ${OLD}, 'REPLICATION'
    FROM generate_series(1, ${ROWS}) g`);
  await db.exec('ANALYZE');
}

async function seedMariadb(db: HarborDb): Promise<void> {
  await db.exec(`INSERT INTO replication_policy (id, name, project_id, target_id) SELECT seq, CONCAT('policy-', seq), 1, 1 FROM seq_1_to_100`);
  await db.exec(`INSERT INTO replication_job (policy_id, repository, operation, tags, job_uuid, status, creation_time, update_time)
    SELECT IF(seq <= ${STUCK}, 1, 2 + seq % 99), CONCAT('library/repo-', seq % 5000), 'transfer', 'latest', MD5(seq),
           IF(seq <= ${STUCK}, ELT(1 + seq % 3, 'pending', 'running', 'retrying'), 'finished'), ${OLD}, ${OLD}
    FROM seq_1_to_${ROWS}`);
  await db.exec('ANALYZE TABLE replication_job');
}

const backupDir = mkdtempSync(join(tmpdir(), 'hkb-bench-'));
const [postgres, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
const figures: { case: string; rows: number; stuck: number; changed: number; seconds: string; target: string }[] = [];
try {
  for (const [label, era, seed] of [
    ['PostgreSQL 15, Harbor 2.15 task', '2.15.2', seedPostgres],
    ['MariaDB 10.11, Harbor 1.5 replication_job', '1.5.0', seedMariadb],
  ] as const) {
    const db = await createHarborDb(era, { postgres, mariadb });
    try {
      process.stderr.write(`seeding ${label} with ${ROWS.toLocaleString('en')} rows…\n`);
      await seed(db);
      const { seconds, changed } = await timedApply(db, backupDir);
      figures.push({
        case: label,
        rows: ROWS,
        stuck: STUCK,
        changed,
        seconds: seconds.toFixed(2),
        target: seconds < TARGET_SECONDS ? `< ${TARGET_SECONDS} s: met` : `< ${TARGET_SECONDS} s: MISSED`,
      });
    } finally {
      await db.close();
    }
  }
} finally {
  await Promise.all([postgres.stop(), mariadb.stop()]);
  rmSync(backupDir, { recursive: true, force: true });
}
console.log('\nstop-stuck-replication --apply (whole CLI run: connect, detect, plan, backup, one transaction, verify)');
console.table(figures);
