// purge-audit-log against a real PostgreSQL 15 holding Harbor's own schema of releases before
// (1.10.19: access_log) and after (2.0.0, 2.15.2: audit_log, plus audit_log_ext) 0030 turned
// access_log into audit_log: thousands of rows, old and new interleaved, with text that COPY
// must escape. The export it writes is run back through psql exactly as printed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, runCli, type CliResult } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { applyHarborMigrations } from '../test/support/harbor-migrations.ts';
import { killWhenWaiting, postgresLockWaiter } from '../test/support/lock-and-kill.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
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

/** Rows of each 2.15 audit table just newer than a 2160h cut-off: what a purge job run late would reach first. */
const JUST_NEWER = 20;
async function addJustNewerRows(db: HarborDb): Promise<void> {
  const opTime = `LOCALTIMESTAMP - interval '2160 hours' + interval '10 minutes'`;
  await db.exec(
    `INSERT INTO audit_log (project_id, operation, resource_type, resource, username, op_time) SELECT 1, 'pull', 'artifact', 'just-newer-' || g, 'admin', ${opTime} FROM generate_series(1, ${JUST_NEWER}) g`,
  );
  await db.exec(
    `INSERT INTO audit_log_ext (project_id, operation, resource_type, resource, username, op_time) SELECT 1, 'create', 'user', 'just-newer-' || g, 'admin', ${opTime} FROM generate_series(1, ${JUST_NEWER}) g`,
  );
}

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

  // The guard's row lock; pg_stat_activity cuts the text at 1 kB, before its FOR UPDATE.
  const waitingSession = (locker: pg.Client, database: string) => postgresLockWaiter(locker, database, 'SELECT id FROM audit_log WHERE id IN (%');

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
      const killed = await killWhenWaiting(waitingSession(locker, db.name), async (pid) => void (await locker.query('SELECT pg_terminate_backend($1)', [pid])));
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
            void killWhenWaiting(waitingSession(locker, db.name), async () => void child.kill('SIGINT'));
          },
        },
      );
      await seen;
      await locker.query('ROLLBACK');
      const result = await run;
      expect(result.stderr).toContain('interrupted by SIGINT after batch 3');
      await expectRestorable(db, result, 3, BATCH, before);
    }));

  it('a row of batch 1 that is no longer older than the cut-off when its batch runs: the whole apply is refused (exit 2), nothing deleted', () =>
    withBatchRowLocked(1, 'UPDATE audit_log SET op_time = LOCALTIMESTAMP WHERE id = $1', async (db, locker, before, id) => {
      const run = purge(db, '--batch-size', String(BATCH), '--apply', '--yes', '--json');
      const waited = await killWhenWaiting(waitingSession(locker, db.name), async () => void (await locker.query('COMMIT')));
      const result = await run;
      expect(waited, result.stderr).toBe(true);
      expect(result.code, result.stderr).toBe(2);
      expect(JSON.parse(result.stdout).error).toContain(`audit_log: 1 of the ${BATCH} selected rows changed since the plan read them`);
      expect((await tableSum(db, 'audit_log', 'id')).rows).toBe(before.rows);
      expect(await db.exec(`SELECT id FROM audit_log WHERE id = ${id}`)).toHaveLength(1);
    }));

  it('a row of batch 1 deleted by someone else while the run waits for it: the whole apply is refused (exit 2), nothing deleted, nothing exported', () =>
    withBatchRowLocked(1, 'DELETE FROM audit_log WHERE id = $1', async (db, locker, _before, id) => {
      const run = purge(db, '--batch-size', String(BATCH), '--apply', '--yes', '--json');
      const waited = await killWhenWaiting(waitingSession(locker, db.name), async () => void (await locker.query('COMMIT')));
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

/**
 * Harbor 2.15's Log Rotation as its API serves it (swagger v2.15.2: /system/purgeaudit,
 * /system/purgeaudit/{purge_id}, /system/purgeaudit/schedule). No real Harbor 2.x runs here, so
 * the job's work is done as Harbor's own code does it at v2.15.2: the handler's checks
 * (handler/purge.go verifyCreateRequest) and the DELETEs of src/pkg/audit/dao and
 * src/pkg/auditext/dao, on the test's database.
 */
const EVENT_TYPES = [
  'create_artifact',
  'delete_artifact',
  'pull_artifact',
  'create_project',
  'delete_project',
  'delete_repository',
  'login_user',
  'logout_user',
  'create_user',
  'delete_user',
  'update_user',
  'create_robot',
  'delete_robot',
  'update_configuration',
];
const STAND_IN_ANSWERS: Record<string, Record<string, number[]>> = {
  '/system/purgeaudit': { get: [200, 401] },
  '/system/purgeaudit/{purge_id}': { get: [200, 401, 404] },
  '/system/purgeaudit/schedule': { post: [201, 400, 401] },
};

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

type Json = Record<string, unknown>;
const errorBody = (code: string, message: string) => JSON.stringify({ errors: [{ code, message }] });

/** handler/purge.go verifyCreateRequest at v2.15.2: what makes Harbor answer 400. */
function scheduleProblem(schedule: { schedule?: unknown; parameters?: Json }): string | undefined {
  const parameters = schedule.parameters ?? {};
  if (!schedule.schedule) return "schedule cann't be empty";
  if (Object.keys(parameters).length === 0) return "schedule parameter cann't be empty";
  if (!Number.isInteger(parameters.audit_retention_hour)) return 'audit_retention_hour should provide';
  if (parameters.include_event_types === undefined) return 'include_event_types should provide';
  return undefined;
}

/**
 * The purge job's DELETEs at v2.15.2 (audit dao permitOps, auditext dao permitEventTypes), run
 * `lateBy` (an interval) after it was started: each DELETE measures its cut-off from its own
 * NOW(), so a job that waited that long in jobservice's queue deletes as if NOW() were that late.
 */
async function runPurgeJob(db: HarborDb, parameters: Json, lateBy = '0 seconds'): Promise<void> {
  const hours = Number(parameters.audit_retention_hour);
  const types = String(parameters.include_event_types ?? '')
    .split(',')
    .map((type) => type.toLowerCase());
  const operations = types.filter((type) => ['pull', 'create', 'delete'].includes(type));
  const events = types.flatMap((type) => (EVENT_TYPES.includes(type) ? [type] : type === 'other' ? EVENT_TYPES.slice(3) : []));
  const older = `op_time < NOW() + interval '${lateBy}' - ${hours} * interval '1 hour'`;
  if (operations.length > 0) await db.exec(`DELETE FROM audit_log WHERE ${older} AND lower(operation) IN ('${operations.join("','")}')`);
  if (events.length > 0) await db.exec(`DELETE FROM audit_log_ext WHERE ${older} AND lower(operation || '_' || resource_type) IN ('${events.join("','")}')`);
}

interface StandIn {
  /** How long the job waits in jobservice's queue before it runs (an interval; it then ends at once). */
  lateBy?: string;
  /** Runs before the purge history is answered, with how many times it was asked before (the plan asks first). */
  beforeHistory?: (db: HarborDb, asked: number) => Promise<void>;
}

/** `ending`: the status the job's execution ends with (a job that fails after its first DELETE: Error). */
async function startPurgeApi(db: HarborDb, password: string, ending = 'Success', { lateBy = '0 seconds', beforeHistory }: StandIn = {}) {
  const executions: Json[] = [];
  const requests: string[] = [];
  const jobCutoffs: string[] = [];
  const schedule = async (body: string): Promise<[number, string, Record<string, string>]> => {
    const request = JSON.parse(body) as { schedule?: unknown; parameters?: Json };
    const problem = scheduleProblem(request);
    if (problem) return [400, errorBody('BAD_REQUEST', problem), {}];
    const id = executions.length + 1;
    const now = new Date().toISOString();
    const execution: Json = {
      id,
      job_name: 'PURGE_AUDIT_LOG',
      job_kind: 'MANUAL',
      job_parameters: JSON.stringify(request.parameters),
      schedule: { type: 'Manual' },
    };
    executions.push(Object.assign(execution, { job_status: 'Running', deleted: false, creation_time: now, update_time: now }));
    // 'Running': a job still queued in jobservice, which has deleted nothing yet.
    // The job's own cut-off as it starts (its DELETEs compare op_time with NOW() - retention).
    const [start] = await db.exec(
      `SELECT (LOCALTIMESTAMP + interval '${lateBy}' - ${Number(request.parameters?.audit_retention_hour)} * interval '1 hour')::text AS cutoff`,
    );
    jobCutoffs.push(String(start?.cutoff));
    if (ending === 'Running') return [201, '', { location: `/api/v2.0/system/purgeaudit/${id}` }];
    await runPurgeJob(db, request.parameters ?? {}, lateBy);
    execution.job_status = ending === 'NoAnswer' ? 'Success' : ending;
    return [201, '', { location: `/api/v2.0/system/purgeaudit/${id}` }];
  };
  let historyAsked = 0;
  const list = async (url: URL): Promise<[number, string, Record<string, string>]> => {
    await beforeHistory?.(db, historyAsked++);
    const sorted = url.searchParams.get('sort') === '-id' ? [...executions].reverse() : executions;
    const size = Number(url.searchParams.get('page_size') ?? 10);
    const page = Number(url.searchParams.get('page') ?? 1);
    return [200, JSON.stringify(sorted.slice((page - 1) * size, page * size)), { 'x-total-count': String(executions.length) }];
  };
  const one = (id: number): [number, string, Record<string, string>] => {
    const execution = executions.find((candidate) => candidate.id === id);
    return execution ? [200, JSON.stringify(execution), {}] : [404, errorBody('NOT_FOUND', 'not found'), {}];
  };
  const answer = async (method: string | undefined, url: URL, body: string): Promise<[number, string, Record<string, string>]> => {
    const path = url.pathname.replace(/^\/api\/v2\.0/, '');
    const id = /^\/system\/purgeaudit\/(\d+)$/.exec(path)?.[1];
    if (method === 'POST' && path === '/system/purgeaudit/schedule') return schedule(body);
    if (method === 'GET' && path === '/system/purgeaudit') return list(url);
    if (method === 'GET' && id) return one(Number(id));
    return [404, errorBody('NOT_FOUND', 'not found'), {}];
  };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const body = await bodyOf(request);
    const authorized = request.headers.authorization === `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    // 'Unreachable': the job ran, then Harbor could not be reached while the run polled it.
    if (ending === 'Unreachable' && /^\/api\/v2\.0\/system\/purgeaudit\/\d+$/.test(url.pathname)) return void request.socket.destroy();
    // 'NoAnswer': Harbor takes the job and runs it, but its answer to the POST never arrives.
    if (ending === 'NoAnswer' && request.method === 'POST') {
      await answer(request.method, url, body);
      return void request.socket.destroy();
    }
    const [status, text, headers] = authorized ? await answer(request.method, url, body) : [401, errorBody('UNAUTHORIZED', 'unauthorized'), {}];
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    executions,
    jobCutoffs,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type PurgeApi = Awaited<ReturnType<typeof startPurgeApi>>;

/** A 2.15.2 database, the stand-in in front of it, and the CLI pointed at both with a given API password. */
async function withPurgeApi(
  test: (db: HarborDb, api: PurgeApi, run: (password: string, ...args: string[]) => Promise<CliResult>) => Promise<void>,
  ending = 'Success',
  standIn: StandIn = {},
) {
  const db = await seeded('2.15.2');
  const api = await startPurgeApi(db, 'Harbor12345', ending, standIn);
  const base = ['run', 'purge-audit-log', '--db-url', db.url, '--backup-dir', servers.dir, '--older-than', '2160h', '--harbor-url', api.url];
  try {
    await test(db, api, (password, ...args) => runCli([...base, ...args], { env: { HARBOR_PASSWORD: password } }));
  } finally {
    await api.stop();
    await db.close();
  }
}

describe('Harbor 2.6+ with --harbor-url: its own purge job, after the export', () => {
  it('the stand-in serves only routes and statuses swagger v2.15.2 declares', () => {
    const swagger = parse(readFileSync(`${REPO_ROOT}test/fixtures/harbor-api/swagger-v2.15.2.yaml`, 'utf8')) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const [path, methods] of Object.entries(STAND_IN_ANSWERS)) {
      for (const [method, statuses] of Object.entries(methods)) {
        const declared = Object.keys(swagger.paths[path]?.[method]?.responses ?? {});
        for (const status of statuses) expect(declared, `${method} ${path} ${status}`).toContain(String(status));
      }
    }
  });

  it('2.15: exports, starts the job with include_event_types, deletes in batches what the job leaves; the exports restore everything', () =>
    withPurgeApi(async (db, api, run) => {
      // Event types Harbor's job does not know (update_project): left for the batched delete.
      await db.exec(
        `INSERT INTO audit_log_ext (project_id, operation, resource_type, resource, username, op_time) SELECT 1, 'update', 'project', 'p' || g, 'admin', LOCALTIMESTAMP - interval '300 days' FROM generate_series(1, 50) g`,
      );
      const tables = SEEDS['2.15.2']!.tables;
      const before = await snapshot(db, tables);
      const checksums = await db.checksums();
      const dryRun = await run('Harbor12345', '--batch-size', '1000');
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toContain(`POST ${api.url}/api/v2.0/system/purgeaudit/schedule {"schedule":{"type":"Manual"}`);
      // The plan reads only the purge history, to check the URL and the credentials.
      expect(api.requests).toEqual(['GET /api/v2.0/system/purgeaudit?page=1&page_size=1&sort=-id']);
      expect(await db.checksums()).toEqual(checksums);

      const applied = await run('Harbor12345', '--batch-size', '1000', '--apply', '--yes', '--json');
      expect(applied.code, applied.stderr).toBe(0);
      const result = JSON.parse(applied.stdout);
      expect(api.requests).toContain('POST /api/v2.0/system/purgeaudit/schedule');
      expect(api.requests).toContain('GET /api/v2.0/system/purgeaudit/1');
      expect(JSON.parse(String(api.executions[0]?.job_parameters))).toMatchObject({
        include_event_types: 'create_artifact,delete_artifact,pull_artifact,other,create,delete,pull',
        dry_run: false,
      });
      // However long the export took, the job starts with its cut-off before the plan's by --job-timeout (1800 s by
      // default) and an hour: for that long (a job waiting in jobservice's queue) it can reach only rows that were exported.
      const [margin] = await db.exec(
        `SELECT '${api.jobCutoffs[0]}'::timestamp <= '${result.facts.cutoff}'::timestamp - interval '1800 seconds' - interval '1 hour' AS ok`,
      );
      expect(margin?.ok, `job cut-off ${api.jobCutoffs[0]}, plan cut-off ${result.facts.cutoff}`).toBe(true);
      const [job, ...batches] = result.changes;
      expect(job).toMatchObject({ expected: 2 * OLD + 50, changed: 2 * OLD });
      expect(batches.map((change: { changed: number }) => change.changed)).toEqual([0, 50]);
      for (const [table, key] of Object.entries(tables)) expect(await tableSum(db, table, key)).toEqual(before[table]!.recent);

      const again = await run('Harbor12345', '--apply', '--yes');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Nothing to do.');

      for (const command of restoreCommands(result)) runRestore(command, restoreEnv());
      // Every row is back as it was, the update_project rows the batches deleted included.
      for (const [table, key] of Object.entries(tables)) expect(await tableSum(db, table, key)).toEqual(before[table]!.all);
    }));

  it('a job that ends in Error after deleting: exit 3, and the export taken before it restores every row', () =>
    withPurgeApi(async (db, _api, run) => {
      const checksums = await db.checksums();
      const result = await run('Harbor12345', '--apply', '--yes', '--json');
      expect(result.code, result.stderr).toBe(3);
      const answer = JSON.parse(result.stdout);
      expect(answer.error).toContain("Harbor's purge job 1 ended Error");
      expect(answer.changedBeforeFailure).toContainEqual(expect.stringMatching(/^Harbor's purge job deleted 6000 rows older than /));
      expect(answer.restore).toHaveLength(1);
      runRestore(answer.restore[0], restoreEnv());
      expect(await db.checksums()).toEqual(checksums);
    }, 'Error'));

  it('Harbor unreachable while the run polls a job it accepted: exit 3 with the restore, not "nothing changed"', () =>
    withPurgeApi(async (db, _api, run) => {
      const checksums = await db.checksums();
      const result = await run('Harbor12345', '--apply', '--yes', '--json');
      expect(result.code, result.stderr).toBe(3);
      const answer = JSON.parse(result.stdout);
      expect(answer.error).toContain('after Harbor accepted the purge job');
      expect(answer.changedBeforeFailure).toContainEqual(expect.stringMatching(/^Harbor's purge job deleted 6000 rows older than /));
      runRestore(answer.restore[0], restoreEnv());
      expect(await db.checksums()).toEqual(checksums);
    }, 'Unreachable'));

  it('no answer to the POST that starts the job: exit 3 (Harbor may have started it), and the export restores what it deleted', () =>
    withPurgeApi(async (db, _api, run) => {
      const checksums = await db.checksums();
      const result = await run('Harbor12345', '--apply', '--yes', '--json');
      expect(result.code, result.stderr).toBe(3);
      const answer = JSON.parse(result.stdout);
      expect(answer.error).toContain('Harbor may have started the purge job');
      runRestore(answer.restore[0], restoreEnv());
      expect(await db.checksums()).toEqual(checksums);
    }, 'NoAnswer'));
});

// Harbor's job measures its cut-off from when it runs, which a queue can put long after the POST.
describe('Harbor 2.6+ with --harbor-url: a job that runs late deletes only exported rows, or the run says what else it deleted', () => {
  it("a job still queued when --job-timeout ends: exit 3 telling to stop it before the time its cut-off passes the plan's; run before then, the export restores what it deletes", () =>
    withPurgeApi(async (db, api, run) => {
      await addJustNewerRows(db);
      const checksums = await db.checksums();
      const result = await run('Harbor12345', '--apply', '--yes', '--json', '--job-timeout', '10');
      expect(result.code, result.stderr).toBe(3);
      const answer = JSON.parse(result.stdout);
      const cutoff = answer.facts.cutoff;
      const advice = new RegExp(
        `^Harbor's purge job 1 is still Running after 10s: stop it now \\(PUT ${api.url}/api/v2\\.0/system/purgeaudit/1\\): until (\\S+ \\S+) \\(database time\\) it deletes only rows older than ${cutoff}, which are in .*; if it starts later, its cut-off passes ${cutoff} and it also deletes newer rows that no export holds`,
      );
      expect(answer.error).toMatch(advice);
      expect(answer.error).not.toContain('let it end');
      expect(answer.restore).toHaveLength(1);
      // The time named is when the job's cut-off, NOW() − audit_retention_hour, reaches the plan's, and at least an hour away.
      const safeUntil = advice.exec(answer.error)![1];
      const parameters = JSON.parse(String(api.executions[0]?.job_parameters));
      const [named] = await db.exec(
        `SELECT '${safeUntil}'::timestamp = '${cutoff}'::timestamp + ${parameters.audit_retention_hour} * interval '1 hour' AS exact, '${safeUntil}'::timestamp >= LOCALTIMESTAMP + interval '1 hour' AS later`,
      );
      expect(named).toEqual({ exact: true, later: true });
      // The job goes on once the run has given up, a minute before that time: it deletes only exported rows, and the
      // printed restore puts them back (the rows just newer than the cut-off were never touched).
      const [wait] = await db.exec(`SELECT ('${safeUntil}'::timestamp - LOCALTIMESTAMP - interval '1 minute')::text AS late`);
      await runPurgeJob(db, parameters, String(wait!.late));
      expect(await db.checksums()).not.toEqual(checksums);
      runRestore(answer.restore[0], restoreEnv());
      expect(await db.checksums()).toEqual(checksums);
    }, 'Running'));

  it("a job that waits in jobservice's queue for most of --job-timeout still deletes only exported rows: exit 0, the rows just newer than the cut-off stay", () =>
    withPurgeApi(
      async (db, api, run) => {
        await addJustNewerRows(db);
        const tables = SEEDS['2.15.2']!.tables;
        const before = await snapshot(db, tables);
        const result = await run('Harbor12345', '--apply', '--yes', '--json', '--job-timeout', '3h');
        expect(result.code, result.stderr).toBe(0);
        const answer = JSON.parse(result.stdout);
        // Its cut-off, measured when it ran 2 h 50 min after the POST, is still before the plan's.
        const [margin] = await db.exec(`SELECT '${api.jobCutoffs[0]}'::timestamp < '${answer.facts.cutoff}'::timestamp AS ok`);
        expect(margin?.ok, `job cut-off ${api.jobCutoffs[0]}, plan cut-off ${answer.facts.cutoff}`).toBe(true);
        expect(answer.changes[0]).toMatchObject({ changed: 2 * OLD });
        expect(answer.changes[0].detail).toContain(`all ${2 * (ROWS - OLD) + 2 * JUST_NEWER} newer rows still there`);
        for (const [table, key] of Object.entries(tables)) expect(await tableSum(db, table, key)).toEqual(before[table]!.recent);
      },
      'Success',
      { lateBy: '2 hours 50 minutes' },
    ));

  it("a purge whose cut-off passes the plan's (a job run a day late) is caught: exit 3 naming the rows no export holds; the restore brings back the older ones", () =>
    withPurgeApi(
      async (db, _api, run) => {
        await addJustNewerRows(db);
        const tables = SEEDS['2.15.2']!.tables;
        const survivors: Record<string, Awaited<ReturnType<typeof tableSum>>> = {};
        const hours: string[] = [];
        for (const [table, key] of Object.entries(tables)) {
          survivors[table] = await tableSum(db, table, key, `resource NOT LIKE 'just-newer-%'`);
          const [hour] = await db.exec(
            `SELECT date_trunc('hour', op_time)::text AS first, (date_trunc('hour', op_time) + interval '1 hour')::text AS until FROM ${table} WHERE resource LIKE 'just-newer-%' LIMIT 1`,
          );
          hours.push(`${table} ${JUST_NEWER} with op_time from ${hour!.first} to ${hour!.until}`);
        }
        const result = await run('Harbor12345', '--apply', '--yes', '--json');
        expect(result.code, result.stderr).toBe(3);
        const answer = JSON.parse(result.stdout);
        const cutoff = answer.facts.cutoff;
        expect(answer.error).toContain(
          `rows newer than ${cutoff} were deleted while Harbor's purge job 1 ran (now Success), by a purge whose cut-off was later than the plan's`,
        );
        expect(answer.changedBeforeFailure).toContainEqual(
          `Harbor's purge job deleted ${2 * OLD} rows older than ${cutoff}; they are in ${answer.backupPaths[0]}`,
        );
        expect(answer.changedBeforeFailure).toContainEqual(
          `${2 * JUST_NEWER} rows newer than the cut-off ${cutoff} are gone and no export holds them (${hours.join('; ')}): the restore below does not bring them back`,
        );
        // The restore brings back every older row; the newer rows the job reached are gone, as the run said.
        expect(answer.restore).toHaveLength(1);
        runRestore(answer.restore[0], restoreEnv());
        for (const [table, key] of Object.entries(tables)) {
          expect(await tableSum(db, table, key)).toEqual(survivors[table]);
          expect(await db.exec(`SELECT id FROM ${table} WHERE resource LIKE 'just-newer-%'`)).toEqual([]);
        }
      },
      'Success',
      { lateBy: '1 day' },
    ));
});

describe('Harbor 2.6+ with --harbor-url: the API is checked in the plan, before anything is exported', () => {
  it('Harbor refusing the credentials (wrong password) is refused in the plan, dry-run and apply: exit 2, nothing exported or deleted', () =>
    withPurgeApi(async (db, api, run) => {
      const checksums = await db.checksums();
      for (const mode of [[], ['--apply', '--yes']]) {
        const result = await run('wrong-password', ...mode, '--json');
        expect(result.code, result.stderr).toBe(2);
        const answer = JSON.parse(result.stdout);
        expect(answer.error).toMatch(
          /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/system\/purgeaudit\?page=1&page_size=1&sort=-id: Harbor refused the credentials of admin \(HTTP 401/,
        );
        expect(answer.backupPaths).toEqual([]);
        expect(answer.changes).toEqual([]);
      }
      expect(api.requests.every((request) => request.startsWith('GET /api/v2.0/system/purgeaudit?'))).toBe(true);
      expect(api.executions).toEqual([]);
      expect(await db.checksums()).toEqual(checksums);
    }));

  it('an unreachable --harbor-url is refused in the plan, dry-run and apply: exit 2 naming the request and why, nothing exported or deleted', async () => {
    const db = await seeded('2.15.2');
    try {
      const checksums = await db.checksums();
      const closed = await freeLoopbackPort();
      const base = [
        'run',
        'purge-audit-log',
        '--db-url',
        db.url,
        '--backup-dir',
        servers.dir,
        '--older-than',
        '2160h',
        '--harbor-url',
        `http://127.0.0.1:${closed}`,
      ];
      for (const mode of [[], ['--apply', '--yes']]) {
        const result = await runCli([...base, ...mode, '--json'], { env: { HARBOR_PASSWORD: 'Harbor12345' } });
        expect(result.code, result.stderr).toBe(2);
        const answer = JSON.parse(result.stdout);
        expect(answer.error).toMatch(
          /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/system\/purgeaudit\?page=1&page_size=1&sort=-id: Harbor's API cannot be reached: ECONNREFUSED/,
        );
        expect(answer.backupPaths).toEqual([]);
      }
      expect(await db.checksums()).toEqual(checksums);
    } finally {
      await db.close();
    }
  });
});

describe('Harbor 2.7+ with --harbor-url: a paused PURGE_AUDIT_LOG queue would hold the job past the export', () => {
  // What the Job Service Dashboard's pause (PUT /jobservice/queues/PURGE_AUDIT_LOG, 2.7+) writes in the database.
  const pauseQueue = (db: HarborDb) =>
    db.exec(`INSERT INTO job_queue_status (job_type, paused) VALUES ('PURGE_AUDIT_LOG', true) ON CONFLICT (job_type) DO UPDATE SET paused = true`);
  const pausedRefusal = /^Harbor's PURGE_AUDIT_LOG queue is paused \(Job Service Dashboard, since .+\): a purge job started now would wait there/;

  it('a paused PURGE_AUDIT_LOG queue is refused in the plan, dry-run and apply: exit 2, nothing exported, no job started; resumed, the run goes ahead', () =>
    withPurgeApi(async (db, api, run) => {
      await pauseQueue(db);
      const checksums = await db.checksums();
      for (const mode of [[], ['--apply', '--yes']]) {
        const result = await run('Harbor12345', ...mode, '--json');
        expect(result.code, result.stderr).toBe(2);
        const answer = JSON.parse(result.stdout);
        expect(answer.error).toMatch(pausedRefusal);
        expect(answer.backupPaths).toEqual([]);
      }
      expect(api.executions).toEqual([]);
      expect(await db.checksums()).toEqual(checksums);
      await db.exec(`UPDATE job_queue_status SET paused = false WHERE job_type = 'PURGE_AUDIT_LOG'`);
      const resumed = await run('Harbor12345', '--apply', '--yes');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(api.executions).toHaveLength(1);
    }));

  it('a queue paused after the plan, while the rows are exported, is refused right before the POST: exit 2, nothing deleted, no job started', () =>
    withPurgeApi(
      async (db, api, run) => {
        const tables = SEEDS['2.15.2']!.tables;
        const before = await snapshot(db, tables);
        const result = await run('Harbor12345', '--apply', '--yes', '--json');
        expect(result.code, result.stderr).toBe(2);
        const answer = JSON.parse(result.stdout);
        expect(answer.error).toMatch(pausedRefusal);
        // Past the export, which is all it wrote.
        expect(answer.backupPaths).toHaveLength(1);
        expect(api.executions).toEqual([]);
        // Only the pause itself (job_queue_status) changed the database.
        for (const [table, key] of Object.entries(tables)) expect(await tableSum(db, table, key)).toEqual(before[table]!.all);
      },
      'Success',
      // The run's second look at the purge history comes after the export, right before it checks the queue.
      { beforeHistory: async (db, asked) => void (asked === 1 && (await pauseQueue(db))) },
    ));
});

describe('refusals change nothing', () => {
  it.each([
    [[], /--older-than/],
    [['--older-than', '59m'], /--older-than must be at least 1h, got "59m"/],
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
