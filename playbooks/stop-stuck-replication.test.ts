// stop-stuck-replication against real PostgreSQL 15 and MariaDB 10.11 loaded with each era's
// Harbor layout. compose/k8s runs go through the docker/kubectl shim (test/support/shim.ts),
// which asserts the exact command line and runs psql/mysql locally against the same server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables } from '../test/support/checksums.ts';
import { CLI, runCli } from '../test/support/cli.ts';
import { runOnTerminal } from '../test/support/terminal.ts';
import { killWhenWaiting } from '../test/support/lock-and-kill.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { ERAS, type Era } from '../test/support/harbor-schema.ts';
import { layoutOf, SEED, TARGETED } from '../test/support/replication-seed.ts';
import { useTestServers } from '../test/support/servers.ts';
import { createShim } from '../test/support/shim.ts';

const servers = useTestServers();


/** jobservice restarts before the database edit, which (with its verification) runs last. */
function expectRestartBeforeLastDatabaseCall(calls: string[][], restart: string[]) {
  const restartAt = calls.findIndex((call) => JSON.stringify(call) === JSON.stringify(restart));
  const lastDatabaseCall = calls.findLastIndex((call) => call.includes('psql') || call.includes('mysql'));
  expect(restartAt, 'jobservice was restarted').toBeGreaterThanOrEqual(0);
  expect(restartAt).toBeLessThan(lastDatabaseCall);
}

async function seededDb(era: Era): Promise<HarborDb> {
  const db = await createHarborDb(era, servers);
  for (const statement of SEED[layoutOf(era)]) await db.exec(statement);
  return db;
}

async function rowsById(db: HarborDb, table: string): Promise<Map<number, string>> {
  const rows = await db.exec(`SELECT * FROM ${table} ORDER BY id`);
  return new Map(rows.map((row) => [Number(row.id), JSON.stringify(row)]));
}

const direct = (db: HarborDb, ...args: string[]) =>
  runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--backup-dir', servers.dir, ...args]);

describe.each(ERAS.map((era) => [era]))('Harbor %s layout, direct target', (era) => {
  it('dry-run changes nothing; --apply changes exactly the targeted rows; a second run finds nothing to do', async () => {
    const db = await seededDb(era);
    try {
      const layout = layoutOf(era);
      const before = await db.checksums();
      const dryRun = await direct(db, '--policy', '1');
      expect(dryRun.code, dryRun.stderr).toBe(0);
      const expected = Object.values(TARGETED[layout]).flat().length;
      expect(dryRun.stdout).toContain(`would change ${expected}`);
      expect(dryRun.stdout).toContain('Dry-run: nothing changed');
      expect(await db.checksums()).toEqual(before);

      const tables = Object.keys(TARGETED[layout]);
      const rowsBefore = Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await rowsById(db, table)] as const)));
      const applied = await direct(db, '--policy', '1', '--apply', '--yes', '--json');
      expect(applied.code, applied.stderr).toBe(0);
      const result = JSON.parse(applied.stdout);
      expect(result).toMatchObject({ playbook: 'stop-stuck-replication', mode: 'apply', ok: true, exitCode: 0 });
      expect(result.changes[0]).toMatchObject({ expected, changed: expected });
      expect(result.harbor.releases).toBeTruthy();
      const after = await db.checksums();
      expect(changedTables(before, after)).toEqual(tables.sort());
      for (const table of tables) {
        const rowsAfter = await rowsById(db, table);
        const changed = [...rowsAfter.keys()].filter((id) => rowsAfter.get(id) !== rowsBefore[table]!.get(id));
        expect(changed, table).toEqual(TARGETED[layout][table]);
        const statuses = (await db.exec(`SELECT status FROM ${table} WHERE id IN (${changed.join(',')})`)).map((row) => String(row.status));
        expect(new Set(statuses)).toEqual(new Set([table === 'replication_job' ? 'stopped' : 'Stopped']));
      }
      // The backup holds the rows as they were.
      const backup = JSON.parse(readFileSync(result.backupPaths[0], 'utf8'));
      expect(Object.values(backup.tables).flat()).toHaveLength(expected);

      const again = await direct(db, '--policy', '1', '--apply', '--yes');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Nothing to do.');
      expect(await db.checksums()).toEqual(after);
    } finally {
      await db.close();
    }
  });
});

describe('--execution scope', () => {
  it.each([['1.10.19' as Era], ['2.15.2' as Era]])('stops only that execution (%s)', async (era) => {
    const db = await seededDb(era);
    try {
      const layout = layoutOf(era);
      const [executions, tasks] = Object.keys(TARGETED[layout]) as [string, string];
      const result = await direct(db, '--execution', '3', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      expect((await db.exec(`SELECT status FROM ${executions} WHERE id = 3`))[0]!.status).toBe('Stopped');
      expect((await db.exec(`SELECT count(*) AS n FROM ${tasks} WHERE status = 'Stopped'`))[0]!.n).toEqual(layout === 'task' ? '1' : '1');
      expect((await db.exec(`SELECT status FROM ${executions} WHERE id = 1`))[0]!.status).not.toBe('Stopped');
    } finally {
      await db.close();
    }
  });
});

describe('compose and k8s targets (through the docker/kubectl shim)', () => {
  it('compose, PostgreSQL (1.9): psql through docker exec, then docker restart harbor-jobservice', async () => {
    const db = await seededDb('1.9.4');
    const shim = createShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    try {
      const result = await runCli(['run', 'stop-stuck-replication', '--target', 'compose', '--db-name', db.name, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir], { env: { PATH: shim.path } });
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls();
      expect(calls).toContainEqual(['docker', 'exec', '-i', 'harbor-db', 'psql', '-U', 'postgres', '-d', db.name, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-q']);
      expect(calls).toContainEqual(['docker', 'exec', '-i', 'harbor-db', 'psql', '-U', 'postgres', '-d', db.name, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1']);
      expectRestartBeforeLastDatabaseCall(calls, ['docker', 'restart', 'harbor-jobservice']);
      expect((await db.exec(`SELECT count(*) AS n FROM replication_task WHERE status = 'Stopped'`))[0]!.n).toBe('3');
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it('compose, MariaDB (1.5), detected from the harbor-db container: mysql through docker exec with the password passed as -e MYSQL_PWD', async () => {
    const db = await seededDb('1.5.0');
    const shim = createShim({ engine: 'mariadb', host: servers.mariadb.host, port: servers.mariadb.port, password: servers.mariadb.password });
    try {
      const result = await runCli(['run', 'stop-stuck-replication', '--db-name', db.name, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir], { env: { PATH: shim.path, MYSQL_PWD: servers.mariadb.password } });
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls();
      expect(calls[0]).toEqual(['docker', 'inspect', '--format', '{{.Name}}', 'harbor-db']);
      expect(calls).toContainEqual(['docker', 'exec', '-i', 'harbor-db', 'psql', '--version']);
      expect(calls).toContainEqual(['docker', 'exec', '-i', '-e', 'MYSQL_PWD', 'harbor-db', 'mysql', '-u', 'root', '--batch', '--skip-column-names', db.name]);
      expectRestartBeforeLastDatabaseCall(calls, ['docker', 'restart', 'harbor-jobservice']);
      expect(JSON.stringify(calls)).not.toContain(servers.mariadb.password);
      expect((await db.exec(`SELECT count(*) AS n FROM replication_job WHERE status = 'stopped'`))[0]!.n).toBe(4);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it.each([
    ['my-harbor', undefined, 'my-harbor'],
    ['prod', undefined, 'prod-harbor'],
    ['harbor', 'harbor-harbor', 'harbor-harbor'],
  ])('k8s, release %s (fullname override %s): kubectl exec into <fullname>-database-0, rollout restart jobservice', async (release, fullname, expectedName) => {
    const db = await seededDb('2.15.2');
    const shim = createShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password }, { namespace: 'registry', pod: `${expectedName}-database-0` });
    try {
      const args = ['run', 'stop-stuck-replication', '--namespace', 'registry', '--release', release, ...(fullname ? ['--fullname', fullname] : []), '--db-name', db.name, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir];
      const result = await runCli(args, { env: { PATH: shim.path } });
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls();
      expect(calls).toContainEqual(['kubectl', '-n', 'registry', 'exec', '-i', `${expectedName}-database-0`, '-c', 'database', '--', 'psql', '-U', 'postgres', '-d', db.name, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1']);
      expectRestartBeforeLastDatabaseCall(calls, ['kubectl', '-n', 'registry', 'rollout', 'restart', `deployment/${expectedName}-jobservice`]);
      expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('3');
    } finally {
      shim.cleanup();
      await db.close();
    }
  });
});

describe("Harbor's API first (a stand-in serving the stop routes as swagger-v1.7.8, v1.8.6 and v2.15.2 define them)", () => {
  let server: Server;
  let port: number;
  const requests: { method: string; url: string; authorization?: string; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body });
        const reply = (status: number, payload = '') => response.writeHead(status, { 'content-type': 'application/json' }).end(payload);
        if (request.method !== 'PUT') return reply(405);
        // 1.5-1.7 PUT /api/jobs/replication, body UpdateJobs {policy_id: integer, status: "stop"}: 200 or 400.
        if (request.url === '/api/jobs/replication') {
          const update = JSON.parse(body || '{}');
          return reply(Number.isInteger(update.policy_id) && update.status === 'stop' && request.headers['content-type'] === 'application/json' ? 200 : 400);
        }
        // 1.8-1.10 PUT /api/replication/executions/{id}; 2.x /api/v2.0/...: 200, or 404 for an unknown id.
        const execution = /^\/api(?:\/v2\.0)?\/replication\/executions\/(\d+)$/.exec(request.url!);
        if (execution) return execution[1] === '1' || execution[1] === '3' ? reply(200) : reply(404, JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'object is not found' }] }));
        return reply(404);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['1.7.8' as Era, ['PUT /api/jobs/replication {"policy_id":1,"status":"stop"}'], [1, 3]],
    ['1.10.19' as Era, ['PUT /api/replication/executions/1 '], [1, 4]],
    ['2.15.2' as Era, ['PUT /api/v2.0/replication/executions/1 '], [1, 4]],
  ])('Harbor %s: calls its stop route, then still fixes the rows in the database', async (era, calls, changed) => {
    const db = await seededDb(era);
    requests.length = 0;
    try {
      const password = `api-secret-${Date.now()}`;
      const result = await runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--backup-dir', servers.dir, '--policy', '1', '--harbor-url', `http://127.0.0.1:${port}`, '--harbor-user', 'ops', '--apply', '--yes', '--json'], { env: { HARBOR_PASSWORD: password } });
      expect(result.code, result.stderr).toBe(0);
      expect(requests.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual(calls);
      expect(requests[0]!.authorization).toBe('Basic ' + Buffer.from(`ops:${password}`).toString('base64'));
      const json = JSON.parse(result.stdout);
      expect(json.changes.map((change: { changed: number }) => change.changed)).toEqual(changed);
      expect(result.stdout + result.stderr).not.toContain(password);
    } finally {
      await db.close();
    }
  });
});

describe('a connection killed in the middle of an apply', () => {
  it.each([
    ['direct (pg driver)', 'direct', /terminat.*rolled back.*nothing changed/is],
    // compose restarts jobservice before the database step, and the message says it did.
    ['compose (psql through docker exec)', 'compose', /docker exited 2: .*terminat.*rolled back.*completed before it: restart jobservice/is],
  ] as const)('PostgreSQL, %s: exit 1, nothing partial, and a rerun completes', async (_label, target, message) => {
    const db = await seededDb('2.15.2');
    const shim = target === 'compose' ? createShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password }) : undefined;
    const targetArgs = shim ? ['--target', 'compose', '--db-name', db.name] : ['--db-url', db.url];
    const apply = () => runCli(['run', 'stop-stuck-replication', ...targetArgs, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir], { env: shim ? { PATH: shim.path } : {} });
    const locker = await servers.postgres.client(db.name);
    try {
      const before = await db.checksums();
      // Hold a row lock on a targeted task: the playbook's execution UPDATE succeeds, its
      // task UPDATE then waits on the lock, and we kill its backend right there.
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM task WHERE id = 3 FOR UPDATE');
      const run = apply();
      const killed = await killWhenWaiting(
        async () => {
          // Statistics views are snapshotted per transaction; the locker is inside one.
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const waiting = await locker.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%UPDATE task%'`, [db.name]);
          return waiting.rows[0]?.pid;
        },
        async (pid) => void (await locker.query('SELECT pg_terminate_backend($1)', [pid])),
      );
      expect(killed).toBe(true);
      const result = await run;
      await locker.query('ROLLBACK');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(await db.checksums()).toEqual(before);

      const rerun = await apply();
      expect(rerun.code, rerun.stderr).toBe(0);
      expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('3');
    } finally {
      shim?.cleanup();
      await locker.end();
      await db.close();
    }
  });

  it('MariaDB: exit 1, nothing partial, and a rerun completes', async () => {
    const db = await seededDb('1.5.0');
    const locker = await servers.mariadb.connection(db.name);
    try {
      const before = await db.checksums();
      // Row 3 is scanned after rows 1 and 2, which the UPDATE has already changed when it blocks.
      await locker.query('START TRANSACTION');
      await locker.query('SELECT id FROM replication_job WHERE id = 3 FOR UPDATE');
      const run = direct(db, '--policy', '1', '--apply', '--yes');
      const killed = await killWhenWaiting(
        async () => {
          const [waiting] = await locker.query(`SELECT id FROM information_schema.processlist WHERE db = ? AND info LIKE 'UPDATE replication_job%'`, [db.name]);
          return (waiting as { id: number }[])[0]?.id;
        },
        async (id) => void (await locker.query(`KILL ${Number(id)}`)),
      );
      expect(killed).toBe(true);
      const result = await run;
      await locker.query('ROLLBACK');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/rolled back.*nothing changed/is);
      expect(await db.checksums()).toEqual(before);

      const rerun = await direct(db, '--policy', '1', '--apply', '--yes');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect((await db.exec(`SELECT count(*) AS n FROM replication_job WHERE status = 'stopped'`))[0]!.n).toBe(4);
    } finally {
      await locker.end();
      await db.close();
    }
  });
});

describe('bad input is refused with exit 2 and changes nothing', () => {
  it('refuses each of these', async () => {
    const db = await seededDb('2.15.2');
    const legacy = await seededDb('1.7.8');
    const unknownEra = await seededDb('2.15.2');
    await unknownEra.exec('UPDATE schema_migrations SET version = 999');
    const dirty = await seededDb('2.15.2');
    await dirty.exec('UPDATE schema_migrations SET dirty = true');
    const notHarbor = await createHarborDb('empty', servers);
    const file = join(servers.dir, 'a-file');
    writeFileSync(file, '');
    const wrongPassword = db.url.replace(encodeURIComponent(servers.postgres.password), 'wrong-password');
    const cases: [string, string[]][] = [
      ['SQL in --policy', ['--db-url', db.url, '--policy', '8; drop table project']],
      ['negative policy', ['--db-url', db.url, '--policy', '-1']],
      ['policy zero', ['--db-url', db.url, '--policy', '0']],
      ['policy not a number', ['--db-url', db.url, '--policy', 'abc']],
      ['policy too large', ['--db-url', db.url, '--policy', '99999999999']],
      ['policy that does not exist', ['--db-url', db.url, '--policy', '999']],
      ['execution that does not exist', ['--db-url', db.url, '--execution', '999']],
      ['both --policy and --execution', ['--db-url', db.url, '--policy', '1', '--execution', '1']],
      ['neither --policy nor --execution', ['--db-url', db.url]],
      ['--policy given twice', ['--db-url', db.url, '--policy', '1', '--policy', '2']],
      ['--execution on the 1.7 era', ['--db-url', legacy.url, '--execution', '1']],
      ['unknown era', ['--db-url', unknownEra.url, '--policy', '1']],
      ['dirty schema', ['--db-url', dirty.url, '--policy', '1']],
      ['not a Harbor database', ['--db-url', notHarbor.url, '--policy', '1']],
      ['wrong password', ['--db-url', wrongPassword, '--policy', '1']],
      ['unreachable host', ['--db-url', 'postgres://postgres@127.0.0.1:1/registry', '--policy', '1']],
      ['unknown host', ['--db-url', 'postgres://postgres@no-such-host.invalid:5432/registry', '--policy', '1']],
      ['unsupported URL scheme', ['--db-url', 'redis://127.0.0.1:6379/0', '--policy', '1']],
      ['not a URL', ['--db-url', 'registry-db', '--policy', '1']],
      ['backup dir is a file', ['--db-url', db.url, '--policy', '1', '--apply', '--yes', '--backup-dir', file]],
      ['backup dir under a file', ['--db-url', db.url, '--policy', '1', '--apply', '--yes', '--backup-dir', join(file, 'sub')]],
      ['--apply without --yes and no terminal', ['--db-url', db.url, '--policy', '1', '--apply']],
      ['unknown option', ['--db-url', db.url, '--polcy', '1']],
      ['bad --target', ['--db-url', db.url, '--policy', '1', '--target', 'swarm']],
      ['--db-url with --target k8s', ['--db-url', db.url, '--policy', '1', '--target', 'k8s']],
      ['--target direct without --db-url', ['--target', 'direct', '--policy', '1']],
      ['bad namespace', ['--target', 'k8s', '--namespace', 'bad ns!', '--policy', '1']],
      ['credentials in --harbor-url', ['--db-url', db.url, '--policy', '1', '--harbor-url', 'https://admin:Harbor12345@harbor.example.com']],
      ['stray argument', ['--db-url', db.url, '1']],
    ];
    const databases = [db, legacy, unknownEra, dirty, notHarbor];
    try {
      const before = await Promise.all(databases.map((database) => database.checksums()));
      expect(cases.length).toBeGreaterThanOrEqual(20);
      // Three at a time: each is a separate CLI process, and none of them may change anything.
      for (let start = 0; start < cases.length; start += 3) {
        await Promise.all(cases.slice(start, start + 3).map(async ([label, args]) => {
          const withBackupDir = args.includes('--backup-dir') ? args : ['--backup-dir', servers.dir, ...args];
          const result = await runCli(['run', 'stop-stuck-replication', ...withBackupDir]);
          expect(result.code, `${label}: ${result.stdout}${result.stderr}`).toBe(2);
          expect(result.stderr, label).toMatch(/^error: \S/m);
          expect(result.stderr + result.stdout, label).not.toContain(servers.postgres.password);
        }));
      }
      const after = await Promise.all(databases.map((database) => database.checksums()));
      expect(after).toEqual(before);
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  });
});

describe('secrets', () => {
  it('on a terminal: prompts for the password without echoing it, then asks before applying', async () => {
    const db = await seededDb('2.15.2');
    try {
      const withoutPassword = db.url.replace(`:${encodeURIComponent(servers.postgres.password)}@`, '@');
      const argv = [process.execPath, CLI, 'run', 'stop-stuck-replication', '--db-url', withoutPassword, '--policy', '1', '--apply', '--backup-dir', servers.dir];
      const declined = await runOnTerminal(argv, [{ when: 'Password for', type: servers.postgres.password }, { when: 'Type "yes"', type: 'no' }], { PGPASSWORD: undefined });
      expect(declined.code, declined.screen).toBe(2);
      expect(declined.screen).toContain('not confirmed; nothing changed');
      expect(declined.screen).not.toContain(servers.postgres.password);
      expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('0');

      const accepted = await runOnTerminal(argv, [{ when: 'Password for', type: servers.postgres.password }, { when: 'Type "yes"', type: 'yes' }], { PGPASSWORD: undefined });
      expect(accepted.code, accepted.screen).toBe(0);
      expect(accepted.screen).not.toContain(servers.postgres.password);
      expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('3');
    } finally {
      await db.close();
    }
  });

  it('the password never appears in stdout, stderr or the audit record', async () => {
    const db = await seededDb('2.15.2');
    const auditDir = mkdtempSync(join(tmpdir(), 'hkb-audit-'));
    try {
      const withoutPassword = db.url.replace(`:${encodeURIComponent(servers.postgres.password)}@`, '@');
      const runs = [
        await runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--policy', '1', '--backup-dir', auditDir]),
        await runCli(['run', 'stop-stuck-replication', '--db-url', withoutPassword, '--policy', '1', '--backup-dir', auditDir, '--json'], { env: { PGPASSWORD: servers.postgres.password } }),
        await runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--policy', '1', '--apply', '--yes', '--backup-dir', auditDir, '--json']),
        await runCli(['run', 'stop-stuck-replication', '--db-url', db.url.replace('@', 'x@'), '--policy', '1', '--backup-dir', auditDir]),
      ];
      expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 2]);
      const audit = readFileSync(join(auditDir, 'audit.jsonl'), 'utf8');
      expect(audit).toContain('postgres:***@');
      for (const text of [...runs.flatMap((run) => [run.stdout, run.stderr]), audit]) {
        expect(text).not.toContain(servers.postgres.password);
        expect(text).not.toContain(encodeURIComponent(servers.postgres.password));
      }
    } finally {
      rmSync(auditDir, { recursive: true, force: true });
      await db.close();
    }
  });
});
