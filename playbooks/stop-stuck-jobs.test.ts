// stop-stuck-jobs against real PostgreSQL 15 loaded with Harbor's own migrations of 2.2.4 (the
// first execution/task release with task.vendor_type), 2.7.4 (the Job Service Dashboard's
// first line) and 2.15.2, holding the rows Harbor leaves when jobservice loses a job. Harbor's
// API is a stand-in serving only routes of that release's swagger (checked below); compose and
// k8s go through the docker/kubectl shim.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CLI, runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { applyHarborMigrations, HARBOR_SHARED } from '../test/support/harbor-migrations.ts';
import { killWhenWaiting, postgresLockWaiter } from '../test/support/lock-and-kill.ts';
import { PATH_WITH_POSTGRES, useTestServers } from '../test/support/servers.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { createDatabaseShim } from '../test/support/shim.ts';
import { runOnTerminal } from '../test/support/terminal.ts';

const servers = useTestServers();

type Release = '2.2.4' | '2.6.4' | '2.7.4' | '2.15.2';
const RELEASES: Release[] = ['2.2.4', '2.7.4', '2.15.2'];

const OLD = `LOCALTIMESTAMP - INTERVAL '3 days'`;
const RECENT = `LOCALTIMESTAMP - INTERVAL '5 minutes'`;
/** jobservice job ids (24 hex digits, as gocraft/work makes them). */
const JOB = {
  scan: '1f0a3c5e7b9d2f4a6c8e0b1d',
  gc: '3374b652710f236be44037b1',
  retentionPending: '5a6b7c8d9e0f1a2b3c4d5e6f',
  retentionRunning: '6b7c8d9e0f1a2b3c4d5e6f70',
  liveGc: '9e8d7c6b5a4f3e2d1c0b9a88',
  preheat: '7d7d7d7d0a0a0a0a1b1b1b1b',
  newerScanAll: '4e4e4e4e5f5f5f5f6a6a6a6a',
};
const DIGEST = 'sha256:0f3f8b7c4a2e9d1c6b5a8e7f0d3c2b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
/**
 * A scan execution's extra_attrs, as the scan controller writes them (src/controller/scan/base_controller.go);
 * from 2.11 with the scan type, which its stop looks executions up by (at v2.11.0).
 */
const scanAttrs = (release: Release) =>
  JSON.stringify({
    artifact: { id: 21, project_id: 1, repository_name: 'library/team/app', digest: DIGEST },
    registration: { id: 1, name: 'Trivy' },
    ...(release === '2.15.2' ? { enabled_capabilities: { type: 'vulnerability' } } : {}),
  });

/**
 * What Harbor leaves behind when jobservice loses its jobs (Redis flushed, jobservice restarted):
 * executions created Running (src/pkg/task/execution.go Create) and tasks that never got their
 * final status hook. Execution 4 / task 6 is a GC running right now; 5 finished; 6 is Scan All; 7 replication;
 * 8 a P2P preheat. Project 1 is the library project Harbor's first migration creates.
 */
const seed = (release: Release) => [
  `INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, extra_attrs, revision, start_time, update_time) VALUES
    (1, 'IMAGE_SCAN', 1, 'Running', 'MANUAL', '${scanAttrs(release)}', 0, ${OLD}, ${OLD}),
    (2, 'GARBAGE_COLLECTION', -1, 'Running', 'SCHEDULE', '{"delete_untagged":true}', 0, ${OLD}, ${OLD}),
    (3, 'RETENTION', 5, 'Running', 'MANUAL', '{"dry_run":false}', 0, ${OLD}, ${OLD}),
    (4, 'GARBAGE_COLLECTION', -1, 'Running', 'MANUAL', '{}', 0, ${RECENT}, ${RECENT}),
    (5, 'IMAGE_SCAN', 12, 'Success', 'MANUAL', '{}', 1, ${OLD}, ${OLD}),
    (6, 'SCAN_ALL', 0, 'Running', 'SCHEDULE', '{}', 0, ${OLD}, ${OLD}),
    (7, 'REPLICATION', 1, 'Running', 'MANUAL', '{}', 0, ${OLD}, ${OLD}),
    (8, 'P2P_PREHEAT', 1, 'Running', 'manual', '{}', 0, ${OLD}, ${OLD})`,
  `INSERT INTO task (id, execution_id, job_id, status, status_code, status_revision, run_count, extra_attrs, creation_time, start_time, update_time, vendor_type) VALUES
    (1, 1, '${JOB.scan}', 'Pending', 0, 0, 1, '{}', ${OLD}, NULL, ${OLD}, 'IMAGE_SCAN'),
    (2, 2, '${JOB.gc}', 'Running', 2, 1, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'GARBAGE_COLLECTION'),
    (3, 3, '${JOB.retentionPending}', 'Pending', 0, 0, 1, '{}', ${OLD}, NULL, ${OLD}, 'RETENTION'),
    (4, 3, '${JOB.retentionRunning}', 'Running', 2, 1, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'RETENTION'),
    (5, 3, 'c0ffee00c0ffee00c0ffee00', 'Success', 3, 2, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'RETENTION'),
    (6, 4, '${JOB.liveGc}', 'Running', 2, 1, 1, '{}', ${RECENT}, ${RECENT}, ${RECENT}, 'GARBAGE_COLLECTION'),
    (7, 5, 'd00dd00dd00dd00dd00dd00d', 'Success', 3, 2, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'IMAGE_SCAN'),
    (8, 6, 'aa11aa11aa11aa11aa11aa11', 'Pending', 0, 0, 1, '{}', ${OLD}, NULL, ${OLD}, 'SCAN_ALL'),
    (9, 6, 'bb22bb22bb22bb22bb22bb22', 'Pending', 0, 0, 1, '{}', ${OLD}, NULL, ${OLD}, 'SCAN_ALL'),
    (10, 7, 'cc33cc33cc33cc33cc33cc33', 'Running', 2, 1, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'REPLICATION'),
    (11, 8, '${JOB.preheat}', 'Running', 2, 1, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'P2P_PREHEAT')`,
  `SELECT setval('execution_id_seq', 100), setval('task_id_seq', 100)`,
];

/** Per vendor: the execution and task ids a plain apply stops; nothing else may change. */
const TARGETED = {
  GARBAGE_COLLECTION: { execution: [2], task: [2] },
  IMAGE_SCAN: { execution: [1], task: [1] },
  RETENTION: { execution: [3], task: [3, 4] },
} as const;

async function seededDb(release: Release): Promise<HarborDb> {
  const db = await createHarborDb('empty', servers);
  await applyHarborMigrations(db, release);
  for (const statement of seed(release)) await db.exec(statement);
  return db;
}

async function rows(db: HarborDb, table: 'execution' | 'task'): Promise<Map<number, string>> {
  const all = await db.exec(`SELECT * FROM ${table} ORDER BY id`);
  return new Map(all.map((row) => [Number(row.id), JSON.stringify(row)]));
}

async function snapshot(db: HarborDb) {
  return { execution: await rows(db, 'execution'), task: await rows(db, 'task') };
}

function changedIds(before: Map<number, string>, after: Map<number, string>): number[] {
  return [...after.keys()].filter((id) => before.get(id) !== after.get(id));
}

const direct = (db: HarborDb, ...args: string[]) =>
  runCli(['run', 'stop-stuck-jobs', '--db-url', db.url, '--backup-dir', servers.dir, ...args], { env: { HARBOR_PASSWORD: 'api-password' } });

/** --apply on the GARBAGE_COLLECTION work, with Harbor's API (the stand-in) at `url`. */
const applyGcThroughApi = (db: HarborDb, url: string) => direct(db, '--vendor', 'GARBAGE_COLLECTION', '--harbor-url', url, '--apply', '--yes', '--json');

interface RunJson {
  exitCode: number;
  changes: { expected?: number; changed?: number; restore?: string[]; backup?: string }[];
  findings: { message: string }[];
}

describe.each(RELEASES.map((release) => [release]))('Harbor %s (schema from its own migrations), direct target', (release) => {
  it('GC: dry-run changes nothing; --apply stops only the stale GC; a second apply has nothing to do; the printed restore puts the rows back', async () => {
    const db = await seededDb(release);
    try {
      const before = await db.checksums();
      const rowsBefore = await snapshot(db);
      const dryRun = await direct(db, '--vendor', 'GARBAGE_COLLECTION');
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toContain('GARBAGE_COLLECTION executions (no update for 24h): 1 stale execution rows, 1 stale task rows');
      expect(dryRun.stdout).toContain('1 other non-final GARBAGE_COLLECTION task rows are left alone');
      expect(dryRun.stdout).toContain('would change 2');
      expect(dryRun.stdout).toContain('Dry-run: nothing changed');
      expect(await db.checksums()).toEqual(before);

      const applied = await direct(db, '--vendor', 'GARBAGE_COLLECTION', '--apply', '--yes', '--json');
      expect(applied.code, applied.stderr).toBe(0);
      const result = JSON.parse(applied.stdout) as RunJson;
      const settle = result.changes.at(-1);
      expect(settle).toMatchObject({ expected: 2, changed: 2 });
      const rowsAfter = await snapshot(db);
      expect(changedIds(rowsBefore.execution, rowsAfter.execution)).toEqual(TARGETED.GARBAGE_COLLECTION.execution);
      expect(changedIds(rowsBefore.task, rowsAfter.task)).toEqual(TARGETED.GARBAGE_COLLECTION.task);
      expect(await db.exec('SELECT status, status_code, end_time IS NOT NULL AS ended FROM task WHERE id = 2')).toEqual([
        { status: 'Stopped', status_code: 3, ended: true },
      ]);
      expect((await db.exec('SELECT status FROM execution WHERE id = 2'))[0]).toEqual({ status: 'Stopped' });
      // The GC that runs now is left alone.
      expect((await db.exec('SELECT status FROM task WHERE id = 6'))[0]).toEqual({ status: 'Running' });
      const after = await db.checksums();

      const again = await direct(db, '--vendor', 'GARBAGE_COLLECTION', '--apply', '--yes');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Nothing to do.');
      expect(await db.checksums()).toEqual(after);

      // The restore command the run printed (psql < <backup>-restore.sql) puts the rows back as they were.
      const command = settle?.restore?.[0] ?? '';
      expect(command).toMatch(/^psql -h \S+ -p \d+ -U \S+ -d \S+ -X -v ON_ERROR_STOP=1 < \S+-restore\.sql$/);
      expect(applied.stdout + applied.stderr).not.toContain(servers.postgres.password);
      const restored = spawnSync('sh', ['-c', command], {
        env: { ...process.env, PATH: PATH_WITH_POSTGRES, PGPASSWORD: servers.postgres.password },
        encoding: 'utf8',
      });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('image scan and retention: each vendor stops only its own stale rows', async () => {
    const db = await seededDb(release);
    try {
      for (const vendor of ['IMAGE_SCAN', 'RETENTION'] as const) {
        const before = await snapshot(db);
        const applied = await direct(db, '--vendor', vendor, '--apply', '--yes', '--json');
        expect(applied.code, applied.stderr).toBe(0);
        const after = await snapshot(db);
        expect(changedIds(before.execution, after.execution), vendor).toEqual(TARGETED[vendor].execution);
        expect(changedIds(before.task, after.task), vendor).toEqual(TARGETED[vendor].task);
      }
      // The finished retention task keeps its Success.
      expect((await db.exec('SELECT status FROM task WHERE id = 5'))[0]).toEqual({ status: 'Success' });
    } finally {
      await db.close();
    }
  });
});

describe('selection by status and execution (2.15.2)', () => {
  it('--status pending stops the pending retention task only; its execution, which still has a running task, stays', async () => {
    const db = await seededDb('2.15.2');
    try {
      const before = await snapshot(db);
      const applied = await direct(db, '--vendor', 'RETENTION', '--status', 'pending', '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain('0 stale execution rows, 1 stale task rows');
      const after = await snapshot(db);
      expect(changedIds(before.task, after.task)).toEqual([3]);
      expect(changedIds(before.execution, after.execution)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('--execution 6 stops that Scan All execution and its tasks', async () => {
    const db = await seededDb('2.15.2');
    try {
      const before = await snapshot(db);
      const applied = await direct(db, '--vendor', 'SCAN_ALL', '--execution', '6', '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      const after = await snapshot(db);
      expect(changedIds(before.execution, after.execution)).toEqual([6]);
      expect(changedIds(before.task, after.task)).toEqual([8, 9]);
    } finally {
      await db.close();
    }
  });
});

describe('an execution that moves is alive (2.15.2)', () => {
  it("a Scan All whose tasks wait in jobservice's queue while another of its tasks runs now: none of its tasks is stuck", async () => {
    const db = await seededDb('2.15.2');
    try {
      // Execution 9 started days ago; task 12 got a status update minutes ago, 13 and 14 wait their turn.
      await db.exec(`INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, extra_attrs, revision, start_time, update_time) VALUES
        (9, 'SCAN_ALL', 0, 'Running', 'MANUAL', '{}', 0, ${OLD}, ${OLD})`);
      await db.exec(`INSERT INTO task (id, execution_id, job_id, status, status_code, status_revision, run_count, extra_attrs, creation_time, start_time, update_time, vendor_type) VALUES
        (12, 9, 'dd44dd44dd44dd44dd44dd44', 'Running', 2, 1, 1, '{}', ${OLD}, ${RECENT}, ${RECENT}, 'SCAN_ALL'),
        (13, 9, 'ee55ee55ee55ee55ee55ee55', 'Pending', 0, 0, 1, '{}', ${OLD}, NULL, ${OLD}, 'SCAN_ALL'),
        (14, 9, 'ff66ff66ff66ff66ff66ff66', 'Pending', 0, 0, 1, '{}', ${OLD}, NULL, ${OLD}, 'SCAN_ALL')`);
      const before = await snapshot(db);
      const applied = await direct(db, '--vendor', 'SCAN_ALL', '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain('1 stale execution rows, 2 stale task rows');
      const after = await snapshot(db);
      expect(changedIds(before.execution, after.execution)).toEqual([6]);
      expect(changedIds(before.task, after.task)).toEqual([8, 9]);
    } finally {
      await db.close();
    }
  });
});

describe('a healthy job refuses the apply (exit 2), nothing changed', () => {
  it('--execution naming the GC that runs now (recent updates)', async () => {
    const db = await seededDb('2.15.2');
    try {
      const before = await db.checksums();
      const result = await direct(db, '--vendor', 'GARBAGE_COLLECTION', '--execution', '4', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('GARBAGE_COLLECTION execution 4 is active and changed within --older-than 86400s: it is not stuck; nothing changed');
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('a selected task that gets a status update while the apply waits for its row lock', async () => {
    const db = await seededDb('2.15.2');
    const locker = await servers.postgres.client(db.name);
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM task WHERE id = 2 FOR UPDATE');
      const run = direct(db, '--vendor', 'GARBAGE_COLLECTION', '--apply', '--yes');
      // jobservice's status hook arrives for the "stuck" GC: it is alive after all.
      const moved = await killWhenWaiting(postgresLockWaiter(locker, db.name, '%FOR UPDATE%'), async () => {
        await locker.query('UPDATE task SET status_revision = 2, update_time = LOCALTIMESTAMP WHERE id = 2');
        await locker.query('COMMIT');
      });
      expect(moved).toBe(true);
      const before = await db.checksums();
      const result = await run;
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('task: 1 of the 1 selected rows changed since the plan read them');
      expect(await db.checksums()).toEqual(before);
    } finally {
      await locker.end();
      await db.close();
    }
  });
});

/** One route of Harbor's API as a swagger file declares it, and what the stand-in answers. */
interface Route {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH';
  swaggerPath: string;
  status: number;
  body?: () => unknown;
  /** A required request body the swagger defines: anything else is answered 400. */
  accepts?: (body: string) => boolean;
  /** What Harbor itself does in the database on this request (by its source). */
  effect?: (params: string[]) => Promise<void>;
}

const SWAGGER_FILES = { '2.2.4': 'swagger-v2.2.4.yaml', '2.15.2': 'swagger-v2.15.2.yaml' } as const;
type SwaggerPaths = Record<string, Record<string, { responses: Record<string, unknown> }>>;
/** The paths of a release's swagger; its definitions are left out, as 2.2's hold a quoted scalar only Go's lenient YAML parser reads. */
function swaggerPaths(release: keyof typeof SWAGGER_FILES): SwaggerPaths {
  const text = readFileSync(join(HARBOR_SHARED, 'harbor-api', SWAGGER_FILES[release]), 'utf8');
  return (YAML.parse(text.slice(0, text.indexOf('\ndefinitions:'))) as { paths: SwaggerPaths }).paths;
}

/**
 * The stop routes each release's swagger declares, with the status the stand-in answers; on
 * 2.15.2 jobservice's workers run the jobs `running` holds when they are asked.
 */
function stopRoutes(release: '2.2.4' | '2.15.2', running: readonly string[] = []): Route[] {
  const routes: Route[] = [
    { method: 'PUT', swaggerPath: '/replication/executions/{id}', status: 200 },
    { method: 'PATCH', swaggerPath: '/retentions/{id}/executions/{eid}', status: 200 },
  ];
  if (release === '2.2.4') return routes;
  const workers = () =>
    running.map((jobId, index) => ({
      id: `worker-${index}`,
      pool_id: 'c2c8c5f8a2b1e3d4f5a6b7c8',
      job_name: 'GARBAGE_COLLECTION',
      job_id: jobId,
      start_at: new Date().toISOString(),
      check_in: '',
      checkin_at: new Date().toISOString(),
    }));
  return [
    ...routes,
    { method: 'PUT', swaggerPath: '/system/gc/{gc_id}', status: 200 },
    { method: 'POST', swaggerPath: '/system/scanAll/stop', status: 202 },
    // Body ScanType {scan_type: vulnerability | sbom}, required.
    {
      method: 'POST',
      swaggerPath: '/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}/scan/stop',
      status: 202,
      accepts: (body) => ['vulnerability', 'sbom'].includes(String((JSON.parse(body || '{}') as { scan_type?: unknown }).scan_type)),
    },
    { method: 'PUT', swaggerPath: '/jobservice/jobs/{job_id}', status: 200 },
    { method: 'PUT', swaggerPath: '/jobservice/queues/{job_type}', status: 200 },
    { method: 'GET', swaggerPath: '/jobservice/pools/{pool_id}/workers', status: 200, body: workers },
  ];
}

async function standIn(routes: readonly Route[]) {
  const requests: string[] = [];
  const matchers = routes.map((route) => ({ route, pattern: new RegExp(`^/api/v2\\.0${route.swaggerPath.replace(/\{[^}]+\}/g, '([^/]+)')}$`) }));
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      requests.push(`${request.method} ${request.url}${body ? ` ${body}` : ''}`);
      for (const { route, pattern } of matchers) {
        const match = pattern.exec(request.url ?? '');
        if (!match || route.method !== request.method) continue;
        if (route.accepts && !route.accepts(body)) {
          response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'BAD_REQUEST', message: 'invalid body' }] }));
          return;
        }
        await route.effect?.(match.slice(1));
        const payload = route.body ? JSON.stringify(route.body()) : '';
        response.writeHead(route.status, { 'content-type': 'application/json' }).end(payload);
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the API stand-in serves routes exactly as the release's swagger declares them", () => {
  it.each([['2.2.4' as const], ['2.15.2' as const]])('every route the %s stand-in serves is in that swagger, with that method and status', (release) => {
    const paths = swaggerPaths(release);
    for (const route of stopRoutes(release, ['x'])) {
      const operation = paths[route.swaggerPath]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.swaggerPath}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}), `${route.method} ${route.swaggerPath}`).toContain(String(route.status));
      if (route.accepts) expect(Object.keys(operation?.responses ?? {}), `${route.method} ${route.swaggerPath}`).toContain('400');
    }
    // GC and Scan All stop routes do not exist in 2.2: the playbook must not call them there.
    if (release === '2.2.4') {
      expect(paths['/system/gc/{gc_id}']?.put).toBeUndefined();
      expect(paths['/system/scanAll/stop']).toBeUndefined();
    }
  });
});

describe("Harbor's API first (the stand-in above)", () => {
  it("2.15.2 GC: asks jobservice's workers, calls PUT /system/gc/{id}, and the database step stops what is still stale", async () => {
    const db = await seededDb('2.15.2');
    const api = await standIn(stopRoutes('2.15.2', [JOB.liveGc]));
    try {
      const result = await applyGcThroughApi(db, api.url);
      expect(result.code, result.stderr).toBe(0);
      // The plan's look, the look right before the stop request, the look right before the transaction.
      expect(api.requests).toEqual([
        'GET /api/v2.0/jobservice/pools/all/workers',
        'GET /api/v2.0/jobservice/pools/all/workers',
        'PUT /api/v2.0/system/gc/2',
        'GET /api/v2.0/jobservice/pools/all/workers',
      ]);
      const json = JSON.parse(result.stdout) as RunJson;
      expect(json.changes.map((change) => change.changed)).toEqual([1, 2]);
      expect((await db.exec('SELECT status FROM task WHERE id IN (2, 6) ORDER BY id')).map((row) => row.status)).toEqual(['Stopped', 'Running']);
    } finally {
      await api.close();
      await db.close();
    }
  });

  it('2.15.2: Harbor stops the GC itself (a job jobservice does not know is marked Stopped): the rows it settled are accepted, exit 0', async () => {
    const db = await seededDb('2.15.2');
    // src/pkg/task/task.go Stop at v2.15.2: job not found → the task is Stopped directly, then the execution refreshed.
    const settle = async ([id]: string[]) => {
      await db.exec(
        `UPDATE task SET status = 'Stopped', status_code = 3, update_time = LOCALTIMESTAMP, end_time = LOCALTIMESTAMP WHERE execution_id = ${Number(id)}`,
      );
      await db.exec(`UPDATE execution SET status = 'Stopped', update_time = LOCALTIMESTAMP, end_time = LOCALTIMESTAMP WHERE id = ${Number(id)}`);
    };
    const routes = stopRoutes('2.15.2').map((route) => (route.swaggerPath === '/system/gc/{gc_id}' ? { ...route, effect: settle } : route));
    const api = await standIn(routes);
    try {
      const result = await applyGcThroughApi(db, api.url);
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as RunJson;
      expect(json.changes.at(-1)).toMatchObject({ expected: 2, changed: 0 });
      expect((await db.exec('SELECT status FROM execution WHERE id = 2'))[0]).toEqual({ status: 'Stopped' });
    } finally {
      await api.close();
      await db.close();
    }
  });

  it('2.15.2: a job that jobservice reports running refuses the apply (exit 2) before any stop request; nothing changed', async () => {
    const db = await seededDb('2.15.2');
    const api = await standIn(stopRoutes('2.15.2', [JOB.gc]));
    try {
      const before = await db.checksums();
      const result = await direct(db, '--vendor', 'GARBAGE_COLLECTION', '--harbor-url', api.url, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`jobservice is running task 2 (job ${JOB.gc}): not stuck, so nothing is changed`);
      expect(api.requests).toEqual(['GET /api/v2.0/jobservice/pools/all/workers']);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await api.close();
      await db.close();
    }
  });

  it('2.15.2: jobservice picks the job up again after the stop request: refused right before the transaction, exit 3 (the API was asked), database untouched', async () => {
    const db = await seededDb('2.15.2');
    const running: string[] = [];
    // The stop request reaches a jobservice that re-queued the lost GC and runs it now.
    const routes = stopRoutes('2.15.2', running).map((route) =>
      route.swaggerPath === '/system/gc/{gc_id}' ? { ...route, effect: async () => void running.push(JOB.gc) } : route,
    );
    const api = await standIn(routes);
    try {
      const before = await db.checksums();
      const result = await applyGcThroughApi(db, api.url);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain(`jobservice is running task 2 (job ${JOB.gc}): not stuck`);
      expect(result.stderr).toMatch(/changed:\n {2}- ask Harbor's API to stop it/);
      // The plan's look, the look right before the stop request, the look right before the transaction.
      expect(api.requests).toEqual([
        'GET /api/v2.0/jobservice/pools/all/workers',
        'GET /api/v2.0/jobservice/pools/all/workers',
        'PUT /api/v2.0/system/gc/2',
        'GET /api/v2.0/jobservice/pools/all/workers',
      ]);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await api.close();
      await db.close();
    }
  });

  it("2.15.2 image scan: the artifact's scan stop route, named from the execution's extra_attrs, with the 2.11+ scan_type body", async () => {
    const db = await seededDb('2.15.2');
    const api = await standIn(stopRoutes('2.15.2'));
    try {
      const result = await direct(db, '--vendor', 'IMAGE_SCAN', '--harbor-url', api.url, '--apply', '--yes', '--json');
      expect(result.code, result.stderr).toBe(0);
      expect(api.requests).toEqual([
        'GET /api/v2.0/jobservice/pools/all/workers',
        'GET /api/v2.0/jobservice/pools/all/workers',
        `POST /api/v2.0/projects/library/repositories/team%252Fapp/artifacts/${encodeURIComponent(DIGEST)}/scan/stop {"scan_type":"vulnerability"}`,
        'GET /api/v2.0/jobservice/pools/all/workers',
      ]);
      // The stand-in accepted it (202): a body it did not accept would have been answered 400.
      expect((JSON.parse(result.stdout) as RunJson).changes[0]?.changed).toBe(1);
      expect((await db.exec('SELECT status FROM task WHERE id = 1'))[0]).toEqual({ status: 'Stopped' });
    } finally {
      await api.close();
      await db.close();
    }
  });

  it("2.15.2 P2P preheat (no route by execution id): the Job Service Dashboard's job stop per task, and --stop-queue stops the vendor's queue", async () => {
    const db = await seededDb('2.15.2');
    const api = await standIn(stopRoutes('2.15.2'));
    try {
      const result = await direct(db, '--vendor', 'P2P_PREHEAT', '--harbor-url', api.url, '--stop-queue', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      expect(api.requests).toEqual([
        'GET /api/v2.0/jobservice/pools/all/workers',
        'GET /api/v2.0/jobservice/pools/all/workers',
        `PUT /api/v2.0/jobservice/jobs/${JOB.preheat}`,
        'PUT /api/v2.0/jobservice/queues/P2P_PREHEAT {"action":"stop"}',
        'GET /api/v2.0/jobservice/pools/all/workers',
      ]);
      expect((await db.exec('SELECT status FROM task WHERE id = 11'))[0]).toEqual({ status: 'Stopped' });
    } finally {
      await api.close();
      await db.close();
    }
  });
});

describe('confirm before the first stop request (the stand-in above)', () => {
  it('2.15.2: jobservice picks the job up after the plan, before the first stop request: refused right before it (exit 2), no request made, nothing changed', async () => {
    const db = await seededDb('2.15.2');
    const running: string[] = [];
    let asked = 0;
    // The plan's look finds no worker on the GC; by the next look (right before the stop request) one runs it.
    const routes = stopRoutes('2.15.2', running).map((route) =>
      route.swaggerPath === '/jobservice/pools/{pool_id}/workers'
        ? {
            ...route,
            effect: async () => {
              asked += 1;
              if (asked === 2) running.push(JOB.gc);
            },
          }
        : route,
    );
    const api = await standIn(routes);
    try {
      const before = await db.checksums();
      const result = await applyGcThroughApi(db, api.url);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`jobservice is running task 2 (job ${JOB.gc}): not stuck`);
      expect(api.requests).toEqual(['GET /api/v2.0/jobservice/pools/all/workers', 'GET /api/v2.0/jobservice/pools/all/workers']);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await api.close();
      await db.close();
    }
  });
});

/**
 * A manual Scan All started 10 minutes ago beside the stale scheduled one (execution 6): its
 * running task moved a minute ago, and jobservice runs its job.
 */
const NEWER_SCAN_ALL = [
  `INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, extra_attrs, revision, start_time, update_time) VALUES
    (9, 'SCAN_ALL', 0, 'Running', 'MANUAL', '{}', 0, LOCALTIMESTAMP - INTERVAL '10 minutes', LOCALTIMESTAMP - INTERVAL '1 minute')`,
  `INSERT INTO task (id, execution_id, job_id, status, status_code, status_revision, run_count, extra_attrs, creation_time, start_time, update_time, vendor_type) VALUES
    (12, 9, '${JOB.newerScanAll}', 'Running', 2, 1, 1, '{}', LOCALTIMESTAMP - INTERVAL '10 minutes', LOCALTIMESTAMP - INTERVAL '10 minutes', LOCALTIMESTAMP - INTERVAL '1 minute', 'SCAN_ALL')`,
];

/**
 * What Harbor does on POST /system/scanAll/stop: it stops the latest Scan All by start_time, whichever
 * that is (src/server/v2.0/handler/scan_all.go StopScanAll -> getLatestScanAllExecution at v2.15.2).
 */
function stoppingLatestScanAll(db: HarborDb, routes: readonly Route[]): Route[] {
  const effect = async () => {
    await db.exec(`UPDATE task SET status = 'Stopped', status_code = 3, update_time = LOCALTIMESTAMP, end_time = LOCALTIMESTAMP
      WHERE status IN ('Pending', 'Scheduled', 'Running') AND execution_id = (SELECT id FROM execution WHERE vendor_type = 'SCAN_ALL' ORDER BY start_time DESC LIMIT 1)`);
  };
  return routes.map((route) => (route.swaggerPath === '/system/scanAll/stop' ? { ...route, effect } : route));
}

describe("Scan All's and a scan's stop routes stop the run Harbor looks up, not the one selected (the stand-in above)", () => {
  it("2.15.2: a newer healthy Scan All beside the stale one: the stale one's jobs are stopped through the Job Service Dashboard, POST /system/scanAll/stop is not sent, the newer run is untouched", async () => {
    const db = await seededDb('2.15.2');
    for (const statement of NEWER_SCAN_ALL) await db.exec(statement);
    const api = await standIn(stoppingLatestScanAll(db, stopRoutes('2.15.2', [JOB.newerScanAll])));
    try {
      const before = await snapshot(db);
      const result = await direct(db, '--vendor', 'SCAN_ALL', '--harbor-url', api.url, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      expect(api.requests).toEqual([
        'GET /api/v2.0/jobservice/pools/all/workers',
        'GET /api/v2.0/jobservice/pools/all/workers',
        'PUT /api/v2.0/jobservice/jobs/aa11aa11aa11aa11aa11aa11',
        'PUT /api/v2.0/jobservice/jobs/bb22bb22bb22bb22bb22bb22',
        'GET /api/v2.0/jobservice/pools/all/workers',
      ]);
      const after = await snapshot(db);
      expect(changedIds(before.execution, after.execution)).toEqual([6]);
      expect(changedIds(before.task, after.task)).toEqual([8, 9]);
      expect((await db.exec('SELECT status FROM task WHERE id = 12'))[0]).toEqual({ status: 'Running' });
      expect(result.stdout).toContain('POST /system/scanAll/stop would stop execution 9, not the stale SCAN_ALL execution 6');
    } finally {
      await api.close();
      await db.close();
    }
  });

  it('2.15.2: a Scan All started after the plan, before the stop request: refused right before it (exit 2), POST /system/scanAll/stop not sent, nothing changed', async () => {
    const db = await seededDb('2.15.2');
    const running: string[] = [];
    let asked = 0;
    // The plan finds execution 6 the latest Scan All; by the next look (right before the stop request) a manual one runs.
    const routes = stoppingLatestScanAll(db, stopRoutes('2.15.2', running)).map((route) =>
      route.swaggerPath === '/jobservice/pools/{pool_id}/workers'
        ? {
            ...route,
            effect: async () => {
              asked += 1;
              if (asked !== 2) return;
              for (const statement of NEWER_SCAN_ALL) await db.exec(statement);
              running.push(JOB.newerScanAll);
            },
          }
        : route,
    );
    const api = await standIn(routes);
    try {
      const before = await snapshot(db);
      const result = await direct(db, '--vendor', 'SCAN_ALL', '--harbor-url', api.url, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('POST /system/scanAll/stop would now stop execution 9, not the stale SCAN_ALL execution 6 the plan selected');
      expect(api.requests).toEqual(['GET /api/v2.0/jobservice/pools/all/workers', 'GET /api/v2.0/jobservice/pools/all/workers']);
      // Only the new run's own rows differ.
      const after = await snapshot(db);
      expect(changedIds(before.execution, after.execution)).toEqual([9]);
      expect(changedIds(before.task, after.task)).toEqual([12]);
    } finally {
      await api.close();
      await db.close();
    }
  });

  it("2.15.2 image scan: a newer scan of the same artifact runs now: the scan stop route would stop that one, so the stale scan's job is stopped through the Job Service Dashboard", async () => {
    const db = await seededDb('2.15.2');
    // Harbor's Stop takes executions[0] of the artifact's scans, newest start_time first (src/controller/scan/base_controller.go at v2.15.2).
    await db.exec(`INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, extra_attrs, revision, start_time, update_time) VALUES
      (10, 'IMAGE_SCAN', 21, 'Running', 'MANUAL', '${scanAttrs('2.15.2')}', 0, LOCALTIMESTAMP - INTERVAL '2 minutes', LOCALTIMESTAMP - INTERVAL '1 minute')`);
    await db.exec(`INSERT INTO task (id, execution_id, job_id, status, status_code, status_revision, run_count, extra_attrs, creation_time, start_time, update_time, vendor_type) VALUES
      (12, 10, '${JOB.newerScanAll}', 'Running', 2, 1, 1, '{}', LOCALTIMESTAMP - INTERVAL '2 minutes', LOCALTIMESTAMP - INTERVAL '2 minutes', LOCALTIMESTAMP - INTERVAL '1 minute', 'IMAGE_SCAN')`);
    const api = await standIn(stopRoutes('2.15.2', [JOB.newerScanAll]));
    try {
      const before = await snapshot(db);
      const result = await direct(db, '--vendor', 'IMAGE_SCAN', '--harbor-url', api.url, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      expect(api.requests.filter((request) => !request.startsWith('GET '))).toEqual([`PUT /api/v2.0/jobservice/jobs/${JOB.scan}`]);
      const after = await snapshot(db);
      expect(changedIds(before.execution, after.execution)).toEqual([1]);
      expect(changedIds(before.task, after.task)).toEqual([1]);
      expect(result.stdout).toContain('/scan/stop would stop execution 10, not the stale IMAGE_SCAN execution 1');
    } finally {
      await api.close();
      await db.close();
    }
  });

  it("compose (2.6.4, no Job Service Dashboard): the stale Scan All beside a newer one is left to the restart, with its warning, and the database step; Scan All's route is not called", async () => {
    const db = await seededDb('2.6.4');
    for (const statement of NEWER_SCAN_ALL) await db.exec(statement);
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    // Serves nothing: any request it gets is one too many.
    const api = await standIn([]);
    try {
      const before = await snapshot(db);
      const result = await runCli([...composeArgs(db, 'SCAN_ALL'), '--harbor-url', api.url, '--yes'], {
        env: { PATH: shim.path, HARBOR_PASSWORD: 'api-password' },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(api.requests).toEqual([]);
      expect(shim.calls()).toContainEqual(['docker', 'restart', 'harbor-jobservice']);
      const after = await snapshot(db);
      expect(changedIds(before.execution, after.execution)).toEqual([6]);
      expect(changedIds(before.task, after.task)).toEqual([8, 9]);
      expect(result.stdout).toContain('POST /system/scanAll/stop would stop execution 9, not the stale SCAN_ALL execution 6');
      expect(result.stdout).toMatch(/Restarting jobservice stops every job it is running.*has no API route that stops these SCAN_ALL jobs alone/);
    } finally {
      await api.close();
      shim.cleanup();
      await db.close();
    }
  });
});

describe("Harbor 2.2's API first: only the stop routes 2.2 has", () => {
  it('2.2.4: retention through PATCH /retentions/{id}/executions/{eid}; GC and scans have no stop route there, so only the database step runs', async () => {
    const db = await seededDb('2.2.4');
    const api = await standIn(stopRoutes('2.2.4'));
    try {
      const retention = await direct(db, '--vendor', 'RETENTION', '--harbor-url', api.url, '--apply', '--yes');
      expect(retention.code, retention.stderr).toBe(0);
      expect(api.requests).toEqual(['PATCH /api/v2.0/retentions/5/executions/3 {"action":"stop"}']);
      api.requests.length = 0;
      for (const vendor of ['GARBAGE_COLLECTION', 'IMAGE_SCAN']) {
        const result = await direct(db, '--vendor', vendor, '--harbor-url', api.url, '--apply', '--yes');
        expect(result.code, result.stderr).toBe(0);
      }
      expect(api.requests).toEqual([]);
      expect((await db.exec('SELECT status FROM task WHERE id IN (1, 2, 3, 4) ORDER BY id')).map((row) => row.status)).toEqual([
        'Stopped',
        'Stopped',
        'Stopped',
        'Stopped',
      ]);
    } finally {
      await api.close();
      await db.close();
    }
  });
});

describe('exit 3: changed, but not verified', () => {
  it('jobservice re-queues a task into the stopped GC right after the commit: exit 3, and the printed restore statements put the rows back', async () => {
    const db = await seededDb('2.15.2');
    try {
      const before = await db.checksums();
      await db.exec(`CREATE FUNCTION requeue() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO task (execution_id, status, status_code, vendor_type, creation_time, update_time) VALUES (2, 'Pending', 0, 'GARBAGE_COLLECTION', LOCALTIMESTAMP, LOCALTIMESTAMP); RETURN NULL; END $$`);
      await db.exec('CREATE TRIGGER requeue AFTER UPDATE ON execution FOR EACH STATEMENT EXECUTE FUNCTION requeue()');
      const result = await direct(db, '--vendor', 'GARBAGE_COLLECTION', '--apply', '--yes', '--json');
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('1 execution rows of GARBAGE_COLLECTION executions (no update for 24h) are not final again');
      const json = JSON.parse(result.stdout) as { restore: string[] };
      await db.exec('DROP TRIGGER requeue ON execution');
      await db.exec('DROP FUNCTION requeue()');
      await db.exec('DELETE FROM task WHERE id > 100');
      for (const statement of json.restore.filter((line) => line.startsWith('UPDATE'))) await db.exec(statement);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });
});

/** stop-stuck-jobs --apply for one vendor on the compose target (harbor-db through the shim). */
const composeArgs = (db: HarborDb, vendor: string) => [
  'run',
  'stop-stuck-jobs',
  '--target',
  'compose',
  '--db-name',
  db.name,
  '--vendor',
  vendor,
  '--apply',
  '--backup-dir',
  servers.dir,
];

describe('compose and k8s targets (through the docker/kubectl shim)', () => {
  const expectRestartBeforeEdit = (calls: string[][], restart: string[]) => {
    const restartAt = calls.findIndex((call) => JSON.stringify(call) === JSON.stringify(restart));
    const edit = calls.findLastIndex((call) => call.includes('psql'));
    expect(restartAt, JSON.stringify(calls)).toBeGreaterThanOrEqual(0);
    expect(restartAt).toBeLessThan(edit);
  };

  it('compose (2.7.4): psql through docker exec, docker restart harbor-jobservice before the edit; the printed restore runs through docker exec too', async () => {
    const db = await seededDb('2.7.4');
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    try {
      const before = await db.checksums();
      const result = await runCli([...composeArgs(db, 'RETENTION'), '--yes', '--json'], { env: { PATH: shim.path } });
      expect(result.code, result.stderr).toBe(0);
      expectRestartBeforeEdit(shim.calls(), ['docker', 'restart', 'harbor-jobservice']);
      expect((await db.exec(`SELECT id FROM task WHERE status = 'Stopped' ORDER BY id`)).map((row) => row.id)).toEqual([3, 4]);
      const restore = (JSON.parse(result.stdout) as RunJson).changes.at(-1)?.restore?.[0] ?? '';
      expect(restore).toMatch(new RegExp(`^docker exec -i harbor-db psql -U postgres -d ${db.name} -X -v ON_ERROR_STOP=1 < \\S+-restore\\.sql$`));
      const restored = spawnSync('sh', ['-c', restore], { env: { ...process.env, PATH: shim.path }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await db.checksums()).toEqual(before);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it('compose (2.7.4), on a terminal: the stale GC gets a status update while the operator confirms; refused before jobservice is restarted (exit 2), nothing changed', async () => {
    const db = await seededDb('2.7.4');
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    try {
      const before = await db.checksums();
      const [{ seen } = {}] = await db.exec('SELECT update_time::text AS seen FROM task WHERE id = 2');
      const argv = [process.execPath, CLI, ...composeArgs(db, 'GARBAGE_COLLECTION')];
      // jobservice's status hook for the "stuck" GC arrives while the question is on screen: it is alive after all.
      const hook = () =>
        spawnSync('psql', [db.url, '-X', '-q', '-c', 'UPDATE task SET status_revision = 2, update_time = LOCALTIMESTAMP WHERE id = 2'], {
          env: { ...process.env, PATH: PATH_WITH_POSTGRES },
        });
      const result = await runOnTerminal(argv, [{ when: 'Type "yes"', type: 'yes', before: () => void hook() }], { PATH: shim.path });
      expect(result.code, result.screen).toBe(2);
      expect(result.screen).toContain('execution rows 2 of GARBAGE_COLLECTION executions (no update for 24h) changed since the plan read them');
      expect(
        shim.calls().some((call) => call[0] === 'docker' && call[1] === 'restart'),
        JSON.stringify(shim.calls()),
      ).toBe(false);
      const moved = (await db.exec('SELECT status_revision FROM task WHERE id = 2'))[0];
      expect(moved).toEqual({ status_revision: 2 });
      // Only the hook's own write differs: put it back and every table is as before.
      await db.exec(`UPDATE task SET status_revision = 1, update_time = '${String(seen)}' WHERE id = 2`);
      expect(await db.checksums()).toEqual(before);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it('k8s (2.15.2): kubectl exec into <fullname>-database-0, rollout restart and rollout status before the edit', async () => {
    const db = await seededDb('2.15.2');
    const shim = createDatabaseShim(
      { engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password },
      { namespace: 'registry', pod: 'prod-harbor-database-0' },
    );
    try {
      const result = await runCli(
        [
          'run',
          'stop-stuck-jobs',
          '--namespace',
          'registry',
          '--release',
          'prod',
          '--db-name',
          db.name,
          '--vendor',
          'IMAGE_SCAN',
          '--apply',
          '--yes',
          '--backup-dir',
          servers.dir,
        ],
        { env: { PATH: shim.path } },
      );
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls();
      expectRestartBeforeEdit(calls, ['kubectl', '-n', 'registry', 'rollout', 'restart', 'deployment/prod-harbor-jobservice']);
      const status = calls.findIndex((call) => call.join(' ') === 'kubectl -n registry rollout status deployment/prod-harbor-jobservice --timeout=300s');
      expect(status).toBeGreaterThan(calls.findIndex((call) => call.includes('restart')));
      expect(status).toBeLessThan(calls.findLastIndex((call) => call.includes('psql')));
      expect(result.stdout).toMatch(
        /Restarting jobservice stops every job it is running, not only these IMAGE_SCAN jobs.*rerun with --harbor-url and jobservice is not restarted/,
      );
      expect((await db.exec(`SELECT id FROM task WHERE status = 'Stopped'`)).map((row) => row.id)).toEqual([1]);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });
});

describe("the jobservice restart: not where Harbor's API stops every selected job unless asked for, never without its warning", () => {
  it('compose (2.2.4), dry-run: the restart warning says what can spare the other jobs; with --harbor-url where 2.2 has a stop route, no restart unless asked for', async () => {
    const db = await seededDb('2.2.4');
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    const api = await standIn(stopRoutes('2.2.4'));
    try {
      const dryRun = (vendor: string, ...extra: string[]) =>
        runCli(['run', 'stop-stuck-jobs', '--target', 'compose', '--db-name', db.name, '--vendor', vendor, '--backup-dir', servers.dir, ...extra], {
          env: { PATH: shim.path, HARBOR_PASSWORD: 'api-password' },
        });
      const noRoute = /Harbor 2\.2\S* .*has no API route that stops these GARBAGE_COLLECTION jobs alone, so only the restart drops them/;
      for (const extra of [[], ['--harbor-url', api.url]]) {
        const gc = await dryRun('GARBAGE_COLLECTION', ...extra);
        expect(gc.code, gc.stderr).toBe(0);
        expect(gc.stdout).toContain('docker restart harbor-jobservice');
        expect(gc.stdout).toContain('Restarting jobservice stops every job it is running');
        expect(gc.stdout).toMatch(noRoute);
        expect(gc.stdout).not.toContain('rerun with --harbor-url');
      }
      const retention = await dryRun('RETENTION');
      expect(retention.stdout).toContain('docker restart harbor-jobservice');
      expect(retention.stdout).toContain(
        "Harbor's API can stop every one of them: rerun with --harbor-url and jobservice is not restarted, or with --no-restart.",
      );
      // With the API, retention's own stop route stops every selected job: no restart, so no warning.
      const throughApi = await dryRun('RETENTION', '--harbor-url', api.url);
      expect(throughApi.code, throughApi.stderr).toBe(0);
      expect(throughApi.stdout).toContain('PATCH');
      expect(throughApi.stdout).not.toContain('docker restart harbor-jobservice');
      expect(throughApi.stdout).not.toContain('Restarting jobservice stops every job');
      expect(throughApi.stdout).toContain("jobservice is not restarted: Harbor's API stops every selected job");
      // Asked for, the restart comes with its warning.
      const asked = await dryRun('RETENTION', '--harbor-url', api.url, '--restart-jobservice');
      expect(asked.code, asked.stderr).toBe(0);
      expect(asked.stdout).toContain('docker restart harbor-jobservice');
      expect(asked.stdout).toContain(
        "Restarting jobservice stops every job it is running, not only these RETENTION jobs: other scans, GC, replication and retention runs fail and must be rerun. --restart-jobservice asks for it: without it, Harbor's API stops these jobs and jobservice is left alone.",
      );
      expect(api.requests).toEqual([]);
    } finally {
      await api.close();
      shim.cleanup();
      await db.close();
    }
  });

  it("compose (2.15.2), retention: following the warning's advice (--harbor-url), Harbor's API stops the jobs and jobservice is not restarted; --restart-jobservice restarts it, with the warning", async () => {
    const db = await seededDb('2.15.2');
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    const api = await standIn(stopRoutes('2.15.2'));
    try {
      const retention = (...extra: string[]) =>
        runCli(['run', 'stop-stuck-jobs', '--target', 'compose', '--db-name', db.name, '--vendor', 'RETENTION', '--backup-dir', servers.dir, ...extra], {
          env: { PATH: shim.path, HARBOR_PASSWORD: 'api-password' },
        });
      // The plan with the API: its stop route stops every selected job, so no restart.
      const following = await retention('--harbor-url', api.url);
      expect(following.code, following.stderr).toBe(0);
      expect(following.stdout).not.toContain('docker restart harbor-jobservice');
      expect(following.stdout).not.toContain('Restarting jobservice stops every job');
      expect(following.stdout).toContain("jobservice is not restarted: Harbor's API stops every selected job");
      const advised = await retention();
      expect(advised.code, advised.stderr).toBe(0);
      expect(advised.stdout).toContain('docker restart harbor-jobservice');
      expect(advised.stdout).toContain('rerun with --harbor-url and jobservice is not restarted');
      const asked = await retention('--harbor-url', api.url, '--restart-jobservice');
      expect(asked.code, asked.stderr).toBe(0);
      expect(asked.stdout).toContain('docker restart harbor-jobservice');
      expect(asked.stdout).toContain('Restarting jobservice stops every job it is running, not only these RETENTION jobs');
      const both = await retention('--no-restart', '--restart-jobservice');
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('give only one of --no-restart or --restart-jobservice');
      api.requests.length = 0;

      const applied = await retention('--harbor-url', api.url, '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(
        shim.calls().some((call) => call[0] === 'docker' && call[1] === 'restart'),
        JSON.stringify(shim.calls()),
      ).toBe(false);
      expect(applied.stdout).not.toContain('Restarting jobservice stops every job');
      // Asked once: no restart, so no second round.
      expect(api.requests.filter((request) => !request.startsWith('GET '))).toEqual(['PATCH /api/v2.0/retentions/5/executions/3 {"action":"stop"}']);
      expect((await db.exec(`SELECT id FROM task WHERE status = 'Stopped' ORDER BY id`)).map((row) => row.id)).toEqual([3, 4]);
    } finally {
      await api.close();
      shim.cleanup();
      await db.close();
    }
  });
});

describe('refused with exit 2, nothing changed', () => {
  const databases: HarborDb[] = [];
  const open = async (make: () => Promise<HarborDb>) => {
    const db = await make();
    databases.push(db);
    return db;
  };
  beforeAll(() => {
    databases.length = 0;
  });
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.close()));
  });

  it('before 2.2, an unknown or too new vendor, and bad options', async () => {
    const current = await open(() => seededDb('2.15.2'));
    const v27 = await open(() => seededDb('2.7.4'));
    const v22 = await open(() => seededDb('2.2.4'));
    const v21 = await open(() => createHarborDb('2.1.6', servers));
    const v110 = await open(() => createHarborDb('1.10.19', servers));
    const v15 = await open(() => createHarborDb('1.5.0', servers));
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const cases: [string, string[], RegExp][] = [
      ['unknown vendor', ['--db-url', current.url, '--vendor', 'FOO'], /--vendor must be one of IMAGE_SCAN, SCAN_ALL, .*got .?FOO/],
      ['vendor in lower case', ['--db-url', current.url, '--vendor', 'gc'], /--vendor must be one of/],
      ['no vendor', ['--db-url', current.url], /--vendor/],
      ['Harbor 2.1', ['--db-url', v21.url, '--vendor', 'REPLICATION'], /needs Harbor 2\.2 or later.*run stop-stuck-replication/],
      ['Harbor 1.10', ['--db-url', v110.url, '--vendor', 'GARBAGE_COLLECTION'], /needs Harbor 2\.2 or later.*Harbor 1\.10/],
      ['Harbor 1.5 (MariaDB)', ['--db-url', v15.url, '--vendor', 'IMAGE_SCAN'], /needs Harbor 2\.2 or later/],
      [
        'EXECUTION_SWEEP before 2.8',
        ['--db-url', v27.url, '--vendor', 'EXECUTION_SWEEP'],
        /EXECUTION_SWEEP jobs are kept in execution\/task from Harbor 2\.8 on/,
      ],
      ['SBOM before 2.11', ['--db-url', v27.url, '--vendor', 'SBOM'], /SBOM jobs are kept in execution\/task from Harbor 2\.11 on/],
      ['PURGE_AUDIT_LOG on 2.2', ['--db-url', v22.url, '--vendor', 'PURGE_AUDIT_LOG'], /from Harbor 2\.6 on/],
      [
        'execution that does not exist',
        ['--db-url', current.url, '--vendor', 'GARBAGE_COLLECTION', '--execution', '999'],
        /GARBAGE_COLLECTION execution 999 does not exist/,
      ],
      ['execution of another vendor', ['--db-url', current.url, '--vendor', 'GARBAGE_COLLECTION', '--execution', '1'], /execution 1 does not exist/],
      ['--older-than below a minute', ['--db-url', current.url, '--vendor', 'RETENTION', '--older-than', '5'], /--older-than must be at least 1m, got "5"/],
      [
        '--older-than not a duration',
        ['--db-url', current.url, '--vendor', 'RETENTION', '--older-than', '1d'],
        /--older-than must be a whole number of seconds/,
      ],
      ['bad --status', ['--db-url', current.url, '--vendor', 'RETENTION', '--status', 'Error'], /--status must be one of any, pending, scheduled, running/],
      ['--stop-queue without --harbor-url', ['--db-url', current.url, '--vendor', 'RETENTION', '--stop-queue'], /--stop-queue needs --harbor-url/],
      // A schedule keeps one task in Scheduled for as long as it exists: its healthy state.
      ['SCHEDULER', ['--db-url', current.url, '--vendor', 'SCHEDULER'], /SCHEDULER executions are schedules, not jobs/],
      // Nothing of SBOM is stale in the seed: bad options are refused all the same.
      [
        '--harbor-url not http, nothing to do',
        ['--db-url', current.url, '--vendor', 'SBOM', '--harbor-url', 'ftp://harbor.example.com'],
        /--harbor-url must be http/,
      ],
      [
        '--harbor-url with credentials, nothing to do',
        ['--db-url', current.url, '--vendor', 'SBOM', '--harbor-url', 'https://admin:secret@harbor.example.com'],
        /--harbor-url must not carry credentials/,
      ],
      ['--stop-queue without --harbor-url, nothing to do', ['--db-url', current.url, '--vendor', 'SBOM', '--stop-queue'], /--stop-queue needs --harbor-url/],
      [
        "Harbor's API unreachable",
        ['--db-url', current.url, '--vendor', 'GARBAGE_COLLECTION', '--harbor-url', closed],
        /GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/jobservice\/pools\/all\/workers: Harbor's API cannot be reached: ECONNREFUSED/,
      ],
    ];
    const before = await Promise.all(databases.map((db) => db.checksums()));
    for (const [label, args, message] of cases) {
      const result = await runCli(['run', 'stop-stuck-jobs', '--backup-dir', servers.dir, ...args, '--apply', '--yes']);
      expect(result.code, `${label}: ${result.stderr}`).toBe(2);
      expect(result.stderr, label).toMatch(message);
      expect(result.stderr, label).not.toMatch(/\n\s+at /);
    }
    const api = await standIn(stopRoutes('2.2.4'));
    try {
      // RETENTION has stale work; IMAGE_SCAN execution 5 finished, so there is nothing to do.
      for (const scope of [
        ['--vendor', 'RETENTION'],
        ['--vendor', 'IMAGE_SCAN', '--execution', '5'],
      ]) {
        const queue = await direct(v22, ...scope, '--harbor-url', api.url, '--stop-queue', '--apply', '--yes');
        expect(queue.code, scope.join(' ')).toBe(2);
        expect(queue.stderr, scope.join(' ')).toContain('--stop-queue needs Harbor 2.7 or later');
      }
      expect(api.requests).toEqual([]);
    } finally {
      await api.close();
    }
    expect(await Promise.all(databases.map((db) => db.checksums()))).toEqual(before);
  });
});
