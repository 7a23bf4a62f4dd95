// purge-audit-log against a real PostgreSQL 15 holding Harbor's own schema of releases before
// (1.10.19: access_log) and after (2.0.0, 2.15.2: audit_log, plus audit_log_ext) 0030 turned
// access_log into audit_log: thousands of rows, old and new interleaved, with text that COPY
// must escape. The export it writes is run back through psql exactly as printed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { applyHarborMigrations } from '../test/support/harbor-migrations.ts';
import { killWhenWaiting } from '../test/support/lock-and-kill.ts';
import { PATH_WITH_POSTGRES, useTestServers } from '../test/support/servers.ts';
import { createDatabaseShim } from '../test/support/shim.ts';

const servers = useTestServers();

const ROWS = 5000;
/** Rows g with g % 5 < 3 are 200 days old, the rest a day old: old and new ids interleave. */
const OLD = 3000;
const isOld = 'g % 5 < 3';
const opTime = `CASE WHEN ${isOld} THEN LOCALTIMESTAMP - interval '200 days' - g * interval '1 minute' ELSE LOCALTIMESTAMP - interval '1 day' + g * interval '1 second' END`;
// Text COPY must escape, and NULLs: a tab, a newline, a backslash, a quote, non-ASCII.
const oddText = `CASE g % 7 WHEN 0 THEN E'tab\\there' WHEN 1 THEN E'line\\nbreak' WHEN 2 THEN E'back\\\\slash' WHEN 3 THEN 'it''s' WHEN 4 THEN '镜像/库' ELSE 'library/app-' || g END`;

const SEEDS: Record<string, { tables: Record<string, string>; statements: string[] }> = {
  '1.10.19': {
    tables: { access_log: 'log_id' },
    statements: [
      `INSERT INTO access_log (username, project_id, repo_name, repo_tag, guid, operation, op_time)
       SELECT 'user' || (g % 13), 1 + g % 3, ${oddText}, CASE WHEN g % 11 = 0 THEN NULL ELSE 'v' || g END, md5(g::text), CASE g % 3 WHEN 0 THEN 'push' WHEN 1 THEN 'pull' ELSE 'delete' END, ${opTime}
       FROM generate_series(1, ${ROWS}) g`,
    ],
  },
  '2.0.0': {
    tables: { audit_log: 'id' },
    statements: [
      `INSERT INTO audit_log (project_id, operation, resource_type, resource, username, op_time)
       SELECT 1 + g % 3, CASE g % 3 WHEN 0 THEN 'create' WHEN 1 THEN 'pull' ELSE 'delete' END, 'artifact', ${oddText}, 'user' || (g % 13), ${opTime}
       FROM generate_series(1, ${ROWS}) g`,
    ],
  },
  '2.15.2': {
    tables: { audit_log: 'id', audit_log_ext: 'id' },
    statements: [
      `INSERT INTO audit_log (project_id, operation, resource_type, resource, username, op_time)
       SELECT 1 + g % 3, 'pull', 'artifact', ${oddText}, 'user' || (g % 13), ${opTime}
       FROM generate_series(1, ${ROWS}) g`,
      `INSERT INTO audit_log_ext (project_id, operation, resource_type, resource, username, op_desc, op_result, payload, source_ip, op_time)
       SELECT 1 + g % 3, 'create', 'user', ${oddText}, 'admin', 'create user', g % 4 <> 0, CASE WHEN g % 9 = 0 THEN NULL ELSE '{"a":"' || g || '"}' END, '10.0.0.' || (g % 250), ${opTime}
       FROM generate_series(1, ${ROWS}) g`,
    ],
  },
};

async function seeded(release: string): Promise<HarborDb> {
  const db = await createHarborDb('empty', servers);
  await applyHarborMigrations(db, release);
  for (const statement of SEEDS[release]!.statements) await db.exec(statement);
  return db;
}

/** An md5 over every row of the table, in key order: equal means the same rows with the same values. */
async function tableSum(db: HarborDb, table: string, key: string, where = 'true'): Promise<{ rows: number; sum: string }> {
  const [row] = await db.exec(`SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY ${key}), '')) AS sum FROM ${table} t WHERE ${where}`);
  return { rows: Number(row!.n), sum: String(row!.sum) };
}

async function snapshot(db: HarborDb, tables: Record<string, string>) {
  const sums: Record<string, { all: Awaited<ReturnType<typeof tableSum>>; recent: Awaited<ReturnType<typeof tableSum>> }> = {};
  for (const [table, key] of Object.entries(tables)) {
    sums[table] = { all: await tableSum(db, table, key), recent: await tableSum(db, table, key, `op_time >= LOCALTIMESTAMP - interval '90 days'`) };
  }
  return sums;
}

const purge = (db: HarborDb, ...args: string[]) =>
  runCli(['run', 'purge-audit-log', '--db-url', db.url, '--backup-dir', servers.dir, '--older-than', '2160h', ...args]);

/** Runs a printed restore command as an operator would, in a shell. */
function runRestore(command: string, env: Record<string, string>): void {
  const result = spawnSync('sh', ['-c', command], { env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(result.status, `${command}\n${result.stderr}`).toBe(0);
}

const restoreEnv = () => ({ PATH: PATH_WITH_POSTGRES, PGPASSWORD: servers.postgres.password });

function restoreCommands(result: { restore?: string[]; changes: { restore?: string[] }[] }): string[] {
  return result.restore ?? result.changes.flatMap((change) => change.restore ?? []);
}

describe.each(Object.keys(SEEDS).map((release) => [release]))('Harbor %s schema, direct target', (release) => {
  it('dry-run changes nothing; --apply deletes exactly the old rows in batches; the export restores them; a second run has nothing to do', async () => {
    const db = await seeded(release);
    try {
      const tables = SEEDS[release]!.tables;
      const before = await snapshot(db, tables);
      const checksums = await db.checksums();

      const dryRun = await purge(db, '--batch-size', '700');
      expect(dryRun.code, dryRun.stderr).toBe(0);
      for (const table of Object.keys(tables)) expect(dryRun.stdout).toContain(`delete the ${OLD} ${table} rows older than`);
      expect(dryRun.stdout).toContain(`would change ${OLD}`);
      expect(dryRun.stdout).toContain('VACUUM FULL');
      expect(await db.checksums()).toEqual(checksums);

      const applied = await purge(db, '--batch-size', '700', '--apply', '--yes', '--json');
      expect(applied.code, applied.stderr).toBe(0);
      const result = JSON.parse(applied.stdout);
      expect(result).toMatchObject({ playbook: 'purge-audit-log', ok: true, exitCode: 0 });
      expect(result.changes).toHaveLength(Object.keys(tables).length);
      for (const change of result.changes) {
        expect(change).toMatchObject({ expected: OLD, changed: OLD });
        expect(change.detail).toContain(`in ${Math.ceil(OLD / 700)} batches`);
        expect(change.verified).toMatch(/pg_total_relation_size .* before, .* now/);
      }
      for (const [table, key] of Object.entries(tables)) {
        // Exactly the new rows are left, unchanged.
        expect(await tableSum(db, table, key)).toEqual(before[table]!.recent);
        expect(before[table]!.recent.rows).toBe(ROWS - OLD);
      }

      const again = await purge(db, '--apply', '--yes');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Nothing to do.');

      // The printed restore puts every deleted row back as it was; running it twice adds nothing.
      const commands = restoreCommands(result);
      expect(commands).toHaveLength(Object.keys(tables).length);
      for (const command of commands) {
        expect(command).toMatch(/^psql -h 127\.0\.0\.1 .* -X -q -v ON_ERROR_STOP=1 < .*\.sql$/);
        runRestore(command, restoreEnv());
        runRestore(command, restoreEnv());
      }
      for (const [table, key] of Object.entries(tables)) expect(await tableSum(db, table, key)).toEqual(before[table]!.all);
    } finally {
      await db.close();
    }
  });
});

describe('a batch that cannot finish: exit 3 with a restore that works, or exit 2 when nothing was deleted yet', () => {
  const BATCH = 400;

  /**
   * A 2.0 database in which another session holds a lock on the first old row of batch
   * `batch` (1-based), taken by `lock` (a SELECT … FOR UPDATE, or a DELETE not yet committed):
   * the run's transaction for that batch waits on it. `before` is audit_log before the run.
   */
  async function withBatchRowLocked(
    batch: number,
    lock: string,
    test: (db: HarborDb, locker: pg.Client, before: Awaited<ReturnType<typeof tableSum>>, id: number) => Promise<void>,
  ) {
    const db = await seeded('2.0.0');
    const locker = await servers.postgres.client(db.name);
    try {
      const before = await tableSum(db, 'audit_log', 'id');
      const [row] = await db.exec(
        `SELECT id FROM audit_log WHERE op_time < LOCALTIMESTAMP - interval '90 days' ORDER BY id OFFSET ${BATCH * (batch - 1)} LIMIT 1`,
      );
      await locker.query('BEGIN');
      await locker.query(lock, [row!.id]);
      await test(db, locker, before, Number(row!.id));
    } finally {
      await locker.end();
      await db.close();
    }
  }
  const FOR_UPDATE = 'SELECT id FROM audit_log WHERE id = $1 FOR UPDATE';
  const withThirdBatchLocked = (test: Parameters<typeof withBatchRowLocked>[2]) => withBatchRowLocked(3, FOR_UPDATE, test);

  async function waitingSession(locker: pg.Client, database: string): Promise<number | undefined> {
    await locker.query('SELECT pg_stat_clear_snapshot()');
    const waiting = await locker.query(
      // The guard's row lock; pg_stat_activity cuts the text at 1 kB, before its FOR UPDATE.
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'SELECT id FROM audit_log WHERE id IN (%' AND pid <> pg_backend_pid()`,
      [database],
    );
    return waiting.rows[0]?.pid;
  }

  /** The run's stderr names what it deleted and the restore command; running that command brings the table back. */
  async function expectRestorable(db: HarborDb, run: CliResult, deletedBatches: number, batchSize: number, before: Awaited<ReturnType<typeof tableSum>>) {
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`deleted ${deletedBatches * batchSize} audit_log rows`);
    const restore = /to restore:\n {2}(.+)\n/.exec(run.stderr)?.[1];
    expect(restore, run.stderr).toMatch(/ < .*\.sql$/);
    expect((await tableSum(db, 'audit_log', 'id')).rows).toBe(ROWS - deletedBatches * batchSize);
    // The export holds exactly the deleted batches.
    expect(readFileSync(restore!.split(' < ')[1]!, 'utf8').match(/^COPY /gm)).toHaveLength(deletedBatches);
    runRestore(restore!, restoreEnv());
    expect(await tableSum(db, 'audit_log', 'id')).toEqual(before);
  }

  it('a connection killed in the middle of batch 3: the two committed batches are reported, restored, and a rerun completes', () =>
    withThirdBatchLocked(async (db, locker, before) => {
      const run = purge(db, '--batch-size', String(BATCH), '--apply', '--yes');
      const killed = await killWhenWaiting(
        () => waitingSession(locker, db.name),
        async (pid) => void (await locker.query('SELECT pg_terminate_backend($1)', [pid])),
      );
      const result = await run;
      expect(killed, result.stderr + result.stdout).toBe(true);
      await locker.query('ROLLBACK');
      expect(result.stderr).toContain('batch 3 of audit_log failed');
      await expectRestorable(db, result, 2, BATCH, before);

      const rerun = await purge(db, '--batch-size', String(BATCH), '--apply', '--yes');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect((await tableSum(db, 'audit_log', 'id')).rows).toBe(ROWS - OLD);
    }));

  it('Ctrl-C (SIGINT) during batch 3: the batch finishes, the run stops there with exit 3', () =>
    withThirdBatchLocked(async (db, locker, before) => {
      const { promise: seen, resolve: signalled } = Promise.withResolvers<void>();
      const run = runCli(
        ['run', 'purge-audit-log', '--db-url', db.url, '--backup-dir', servers.dir, '--older-than', '2160h', '--batch-size', String(BATCH), '--apply', '--yes'],
        {
          onSpawn: (child) => {
            let output = '';
            child.stdout?.on('data', (chunk: Buffer) => {
              output += chunk.toString();
              if (output.includes('SIGINT: stopping once the current batch')) signalled();
            });
            // Sent while batch 3 waits for the row lock; released only once the run says it saw it.
            void killWhenWaiting(
              () => waitingSession(locker, db.name),
              async () => void child.kill('SIGINT'),
            );
          },
        },
      );
      await seen;
      await locker.query('ROLLBACK');
      const result = await run;
      expect(result.stderr).toContain('interrupted by SIGINT after batch 3');
      await expectRestorable(db, result, 3, BATCH, before);
    }));

  it('a row of batch 1 deleted by someone else while the run waits for it: the whole apply is refused (exit 2), nothing deleted, nothing exported', () =>
    withBatchRowLocked(1, 'DELETE FROM audit_log WHERE id = $1', async (db, locker, _before, id) => {
      const run = purge(db, '--batch-size', String(BATCH), '--apply', '--yes', '--json');
      const waited = await killWhenWaiting(
        () => waitingSession(locker, db.name),
        async () => void (await locker.query('COMMIT')),
      );
      const result = await run;
      expect(waited, result.stderr).toBe(true);
      expect(result.code, result.stderr).toBe(2);
      const answer = JSON.parse(result.stdout);
      expect(answer.error).toBe(
        `audit_log: 1 of the ${BATCH} selected rows changed since the plan read them (now final, or gone); nothing changed. Rerun to plan again.`,
      );
      // Only the other session's delete happened.
      expect((await tableSum(db, 'audit_log', 'id')).rows).toBe(ROWS - 1);
      expect(await db.exec(`SELECT id FROM audit_log WHERE id = ${id}`)).toEqual([]);
      expect(readFileSync(answer.backupPaths[0], 'utf8')).not.toMatch(/^COPY /m);
    }));
});

it('compose target: batches through psql in harbor-db (shim); the printed docker exec restore loads the export back', async () => {
  const db = await seeded('2.0.0');
  const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
  try {
    const before = await tableSum(db, 'audit_log', 'id');
    const args = ['run', 'purge-audit-log', '--target', 'compose', '--db-name', db.name, '--backup-dir', servers.dir, '--older-than', '2160h'];
    const applied = await runCli([...args, '--batch-size', '1000', '--apply', '--yes', '--json'], { env: { PATH: shim.path } });
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout);
    expect(result.changes[0]).toMatchObject({ expected: OLD, changed: OLD });
    expect(shim.calls().map((call) => call.join(' '))).toContain(`docker exec -i harbor-db psql -U postgres -d ${db.name} -X -A -t -v ON_ERROR_STOP=1`);
    expect((await tableSum(db, 'audit_log', 'id')).rows).toBe(ROWS - OLD);
    const [restore] = restoreCommands(result);
    expect(restore).toMatch(new RegExp(`^docker exec -i harbor-db psql -U postgres -d ${db.name} -X -q -v ON_ERROR_STOP=1 < `));
    runRestore(restore!, { PATH: shim.path });
    expect(await tableSum(db, 'audit_log', 'id')).toEqual(before);
  } finally {
    shim.cleanup();
    await db.close();
  }
});

describe('refusals change nothing', () => {
  it.each([
    [[], /--older-than/],
    [['--older-than', '59m'], /--older-than must be at least 3600/],
    [['--older-than', '90d'], /--older-than must be a whole number/],
    [['--older-than', '2160h', '--batch-size', '0'], /--batch-size must be at least 1/],
  ])('%j', async (args, message) => {
    const db = await seeded('2.0.0');
    try {
      const checksums = await db.checksums();
      const result = await runCli(['run', 'purge-audit-log', '--db-url', db.url, '--backup-dir', servers.dir, ...args, '--apply', '--yes']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(await db.checksums()).toEqual(checksums);
    } finally {
      await db.close();
    }
  });

  it('Harbor 1.5 (MariaDB) is refused by name', async () => {
    const db = await createHarborDb('1.5.0', servers);
    try {
      const result = await runCli(['run', 'purge-audit-log', '--db-url', db.url, '--backup-dir', servers.dir, '--older-than', '2160h', '--apply', '--yes']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Harbor ≤1.5 keeps access_log in MariaDB');
    } finally {
      await db.close();
    }
  });
});
