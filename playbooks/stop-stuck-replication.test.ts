// stop-stuck-replication against real PostgreSQL 15 and MariaDB 10.11 loaded with each era's
// Harbor layout. compose/k8s runs go through the docker/kubectl shim (test/support/shim.ts),
// which asserts the exact command line and runs psql/mysql locally against the same server.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { changedTables } from '../test/support/checksums.ts';
import { CLI, runCli } from '../test/support/cli.ts';
import { runOnTerminal } from '../test/support/terminal.ts';
import { killWhenWaiting, postgresLockWaiter, stopDuringCommit } from '../test/support/lock-and-kill.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { HARBOR_SHARED } from '../test/support/harbor-migrations.ts';
import { ERAS, type Era } from '../test/support/harbor-schema.ts';
import { layoutOf, SEED, TARGETED } from '../test/support/replication-seed.ts';
import { useTestServers } from '../test/support/servers.ts';
import { createDatabaseShim } from '../test/support/shim.ts';

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

const direct = (db: HarborDb, ...args: string[]) => runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--backup-dir', servers.dir, ...args]);

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
  it.each([
    ['1.10.19' as Era, 'replication_execution', 'replication_task', 'InProgress'],
    ['2.15.2' as Era, 'execution', 'task', 'Stopped'],
  ])('stops only that execution (%s)', async (era, executions, tasks, executionStatus) => {
    const db = await seededDb(era);
    try {
      const result = await direct(db, '--execution', '3', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      // 1.8-2.1 derive the execution's status from its (now stopped) task when it is read.
      expect((await db.exec(`SELECT status FROM ${executions} WHERE id = 3`))[0]!.status).toBe(executionStatus);
      expect((await db.exec(`SELECT id FROM ${tasks} WHERE status = 'Stopped'`)).map((row) => Number(row.id))).toEqual([7]);
      expect((await db.exec(`SELECT status FROM ${executions} WHERE id = 1`))[0]!.status).not.toBe('Stopped');
    } finally {
      await db.close();
    }
  });
});

describe('compose and k8s targets (through the docker/kubectl shim)', () => {
  it('compose, PostgreSQL (1.9): psql through docker exec, then docker restart harbor-jobservice', async () => {
    const db = await seededDb('1.9.4');
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    try {
      const result = await runCli(
        ['run', 'stop-stuck-replication', '--target', 'compose', '--db-name', db.name, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir],
        { env: { PATH: shim.path } },
      );
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls();
      expect(calls).toContainEqual([
        'docker',
        'exec',
        '-i',
        'harbor-db',
        'psql',
        '-U',
        'postgres',
        '-d',
        db.name,
        '-X',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
      ]);
      expect(calls).toContainEqual(['docker', 'exec', '-i', 'harbor-db', 'psql', '-U', 'postgres', '-d', db.name, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1']);
      expectRestartBeforeLastDatabaseCall(calls, ['docker', 'restart', 'harbor-jobservice']);
      expect((await db.exec(`SELECT count(*) AS n FROM replication_task WHERE status = 'Stopped'`))[0]!.n).toBe('4');
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it('compose, MariaDB (1.5), detected from the harbor-db container: mysql through docker exec with the password passed as -e MYSQL_PWD', async () => {
    const db = await seededDb('1.5.0');
    const shim = createDatabaseShim({ engine: 'mariadb', host: servers.mariadb.host, port: servers.mariadb.port, password: servers.mariadb.password });
    try {
      const result = await runCli(['run', 'stop-stuck-replication', '--db-name', db.name, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir], {
        env: { PATH: shim.path, MYSQL_PWD: servers.mariadb.password },
      });
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
  ])(
    'k8s, release %s (fullname override %s): kubectl exec into <fullname>-database-0, rollout restart jobservice and wait for it',
    async (release, fullname, expectedName) => {
      const db = await seededDb('2.15.2');
      const shim = createDatabaseShim(
        { engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password },
        { namespace: 'registry', pod: `${expectedName}-database-0` },
      );
      try {
        const args = [
          'run',
          'stop-stuck-replication',
          '--namespace',
          'registry',
          '--release',
          release,
          ...(fullname ? ['--fullname', fullname] : []),
          '--db-name',
          db.name,
          '--policy',
          '1',
          '--apply',
          '--yes',
          '--backup-dir',
          servers.dir,
        ];
        const result = await runCli(args, { env: { PATH: shim.path } });
        expect(result.code, result.stderr).toBe(0);
        const calls = shim.calls();
        expect(calls).toContainEqual([
          'kubectl',
          '-n',
          'registry',
          'exec',
          '-i',
          `${expectedName}-database-0`,
          '-c',
          'database',
          '--',
          'psql',
          '-U',
          'postgres',
          '-d',
          db.name,
          '-X',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
        ]);
        expectRestartBeforeLastDatabaseCall(calls, ['kubectl', '-n', 'registry', 'rollout', 'restart', `deployment/${expectedName}-jobservice`]);
        const statusAt = calls.findIndex(
          (call) =>
            JSON.stringify(call) ===
            JSON.stringify(['kubectl', '-n', 'registry', 'rollout', 'status', `deployment/${expectedName}-jobservice`, '--timeout=300s']),
        );
        const restartAt = calls.findIndex((call) => call.includes('restart'));
        expect(statusAt).toBeGreaterThan(restartAt);
        expect(statusAt).toBeLessThan(calls.findLastIndex((call) => call.includes('psql')));
        expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('3');
      } finally {
        shim.cleanup();
        await db.close();
      }
    },
  );
});

/**
 * What the stand-in of the next block answers: the stop routes as swagger-v1.7.8, v1.8.6 and v2.15.2
 * define them, and 2.15's worker list, on which no job runs.
 */
function legacyStopAnswer(method: string, url: string, contentType: string | undefined, body: string): { status: number; payload?: string } {
  // 2.7+ GET /api/v2.0/jobservice/pools/{pool_id}/workers: an array of Worker.
  if (method === 'GET' && url === '/api/v2.0/jobservice/pools/all/workers') return { status: 200, payload: '[]' };
  if (method !== 'PUT') return { status: 405 };
  // 1.5-1.7 PUT /api/jobs/replication, body UpdateJobs {policy_id: integer, status: "stop"}: 200 or 400.
  if (url === '/api/jobs/replication') {
    const update = JSON.parse(body || '{}');
    return { status: Number.isInteger(update.policy_id) && update.status === 'stop' && contentType === 'application/json' ? 200 : 400 };
  }
  // 1.8-1.10 PUT /api/replication/executions/{id}; 2.x /api/v2.0/...: 200, or 404 for an unknown id.
  const execution = /^\/api(?:\/v2\.0)?\/replication\/executions\/(\d+)$/.exec(url);
  if (!execution) return { status: 404 };
  return execution[1] === '1' || execution[1] === '3'
    ? { status: 200 }
    : { status: 404, payload: JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'object is not found' }] }) };
}

describe("Harbor's API first (a stand-in serving the stop routes as swagger-v1.7.8, v1.8.6 and v2.15.2 define them, and 2.15's worker list)", () => {
  let server: Server;
  let port: number;
  const requests: { method: string; url: string; authorization?: string; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body });
        const { status, payload = '' } = legacyStopAnswer(request.method!, request.url!, request.headers['content-type'], body);
        response.writeHead(status, { 'content-type': 'application/json' }).end(payload);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['1.7.8' as Era, ['PUT /api/jobs/replication {"policy_id":1,"status":"stop"}'], [1, 3]],
    // Execution 4 (no task) is unknown to the stand-in: 404, and the database step still stops it.
    ['1.10.19' as Era, ['PUT /api/replication/executions/1 ', 'PUT /api/replication/executions/4 '], [1, 5]],
    // 2.7+: jobservice's worker list is read in the plan, right before the first stop request, and right before the transaction.
    [
      '2.15.2' as Era,
      [
        'GET /api/v2.0/jobservice/pools/all/workers ',
        'GET /api/v2.0/jobservice/pools/all/workers ',
        'PUT /api/v2.0/replication/executions/1 ',
        'GET /api/v2.0/jobservice/pools/all/workers ',
      ],
      [1, 4],
    ],
  ])('Harbor %s: calls its stop route, then still fixes the rows in the database', async (era, calls, changed) => {
    const db = await seededDb(era);
    requests.length = 0;
    try {
      const password = `api-secret-${Date.now()}`;
      const result = await runCli(
        [
          'run',
          'stop-stuck-replication',
          '--db-url',
          db.url,
          '--backup-dir',
          servers.dir,
          '--policy',
          '1',
          '--harbor-url',
          `http://127.0.0.1:${port}`,
          '--harbor-user',
          'ops',
          '--apply',
          '--yes',
          '--json',
        ],
        { env: { HARBOR_PASSWORD: password } },
      );
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
    ['direct (pg driver)', 'direct', 1, /terminat.*rolled back.*nothing changed/is],
    // compose restarts jobservice before the database step: that changed something (exit 3), and the message says so.
    ['compose (psql through docker exec)', 'compose', 3, /docker exited 2: .*terminat.*did not finish.*changed:\n {2}- restart jobservice/is],
  ] as const)(
    'PostgreSQL, %s: nothing partial in the database, the exit code says what changed, and a rerun completes',
    async (_label, target, code, message) => {
      const db = await seededDb('2.15.2');
      const shim =
        target === 'compose'
          ? createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password })
          : undefined;
      const targetArgs = shim ? ['--target', 'compose', '--db-name', db.name] : ['--db-url', db.url];
      const apply = () =>
        runCli(['run', 'stop-stuck-replication', ...targetArgs, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir], {
          env: shim ? { PATH: shim.path } : {},
        });
      const locker = await servers.postgres.client(db.name);
      try {
        const before = await db.checksums();
        // Hold a row lock on a targeted task: the playbook's transaction takes its lock and
        // locks the rows it selected, waits on this one, and we kill its backend right there.
        await locker.query('BEGIN');
        await locker.query('SELECT id FROM task WHERE id = 3 FOR UPDATE');
        const run = apply();
        const killed = await killWhenWaiting(
          postgresLockWaiter(locker, db.name, '%FOR UPDATE%'),
          async (pid) => void (await locker.query('SELECT pg_terminate_backend($1)', [pid])),
        );
        expect(killed).toBe(true);
        const result = await run;
        await locker.query('ROLLBACK');
        expect(result.code, result.stderr).toBe(code);
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
    },
  );

  it('MariaDB: exit 1, nothing partial, and a rerun completes', async () => {
    const db = await seededDb('1.5.0');
    const locker = await servers.mariadb.connection(db.name);
    try {
      const before = await db.checksums();
      // Row 3 is locked after rows 1 and 2, which the transaction has already locked when it blocks.
      await locker.query('START TRANSACTION');
      await locker.query('SELECT id FROM replication_job WHERE id = 3 FOR UPDATE');
      const run = direct(db, '--policy', '1', '--apply', '--yes');
      const killed = await killWhenWaiting(
        async () => {
          const [waiting] = await locker.query(
            `SELECT id FROM information_schema.processlist WHERE db = ? AND info LIKE '%FOR UPDATE%' AND id <> CONNECTION_ID()`,
            [db.name],
          );
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
      ['--older-than below a minute', ['--db-url', db.url, '--policy', '1', '--older-than', '30']],
      ['--older-than not a duration', ['--db-url', db.url, '--policy', '1', '--older-than', '1d']],
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
      ['backup dir /etc', ['--db-url', db.url, '--policy', '1', '--apply', '--yes', '--backup-dir', '/etc']],
      ['backup dir /', ['--db-url', db.url, '--policy', '1', '--apply', '--yes', '--backup-dir', '/']],
      ['backup dir under /usr', ['--db-url', db.url, '--policy', '1', '--apply', '--yes', '--backup-dir', '/usr/local/harbor-kb-backups']],
      ['statement timeout of zero', ['--db-url', db.url, '--policy', '1', '--statement-timeout', '0']],
    ];
    const databases = [db, legacy, unknownEra, dirty, notHarbor];
    try {
      const before = await Promise.all(databases.map((database) => database.checksums()));
      expect(cases.length).toBeGreaterThanOrEqual(20);
      // Three at a time: each is a separate CLI process, and none of them may change anything.
      for (let start = 0; start < cases.length; start += 3) {
        await Promise.all(
          cases.slice(start, start + 3).map(async ([label, args]) => {
            const withBackupDir = args.includes('--backup-dir') ? args : ['--backup-dir', servers.dir, ...args];
            const result = await runCli(['run', 'stop-stuck-replication', ...withBackupDir]);
            expect(result.code, `${label}: ${result.stdout}${result.stderr}`).toBe(2);
            expect(result.stderr, label).toMatch(/^error: \S/m);
            expect(result.stderr + result.stdout, label).not.toContain(servers.postgres.password);
          }),
        );
      }
      const after = await Promise.all(databases.map((database) => database.checksums()));
      expect(after).toEqual(before);
      expect(existsSync('/etc/audit.jsonl') || existsSync('/usr/local/harbor-kb-backups') || existsSync('/audit.jsonl')).toBe(false);
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
      const argv = [
        process.execPath,
        CLI,
        'run',
        'stop-stuck-replication',
        '--db-url',
        withoutPassword,
        '--policy',
        '1',
        '--apply',
        '--backup-dir',
        servers.dir,
      ];
      const declined = await runOnTerminal(
        argv,
        [
          { when: 'Password for', type: servers.postgres.password },
          { when: 'Type "yes"', type: 'no' },
        ],
        { PGPASSWORD: undefined },
      );
      expect(declined.code, declined.screen).toBe(2);
      expect(declined.screen).toContain('not confirmed; nothing changed');
      expect(declined.screen).not.toContain(servers.postgres.password);
      expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('0');

      const accepted = await runOnTerminal(
        argv,
        [
          { when: 'Password for', type: servers.postgres.password },
          { when: 'Type "yes"', type: 'yes' },
        ],
        { PGPASSWORD: undefined },
      );
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
        await runCli(['run', 'stop-stuck-replication', '--db-url', withoutPassword, '--policy', '1', '--backup-dir', auditDir, '--json'], {
          env: { PGPASSWORD: servers.postgres.password },
        }),
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

/** A route of the stand-in: a path as that release's swagger declares it (under its basePath), and what it answers. */
interface Route {
  release: keyof typeof SWAGGER;
  method: 'GET' | 'PUT';
  swaggerPath: string;
  status: number;
  body?: () => Promise<unknown>;
}

/** The swagger of each release the stand-in serves, with its basePath. */
const SWAGGER = {
  '1.10.19': { file: 'swagger-v1.10.19.yaml', basePath: '/api' },
  '2.15.2': { file: 'swagger-v2.15.2.yaml', basePath: '/api/v2.0' },
} as const;

/**
 * The stop routes of swagger-v1.10.19 and v2.15.2, and 2.15's worker list (Worker objects as its
 * definitions describe them), whose workers run the job ids `running` returns when asked the nth time.
 */
function stopRouteTable(running: (call: number) => Promise<readonly string[]> | readonly string[] = () => []): Route[] {
  let calls = 0;
  const workers = async () =>
    (await running(++calls)).map((jobId, index) => ({
      id: `worker-${index}`,
      pool_id: 'c2c8c5f8a2b1e3d4f5a6b7c8',
      job_name: 'REPLICATION',
      job_id: jobId,
      start_at: new Date().toISOString(),
      check_in: '',
      checkin_at: new Date().toISOString(),
    }));
  return [
    { release: '1.10.19', method: 'PUT', swaggerPath: '/replication/executions/{id}', status: 200 },
    { release: '2.15.2', method: 'PUT', swaggerPath: '/replication/executions/{id}', status: 200 },
    { release: '2.15.2', method: 'PUT', swaggerPath: '/jobservice/queues/{job_type}', status: 200 },
    { release: '2.15.2', method: 'GET', swaggerPath: '/jobservice/pools/{pool_id}/workers', status: 200, body: workers },
  ];
}

/** The stand-in serving `stopRouteTable`, recording each request (method, URL, body) in order. */
async function stopRoutes(record: (entry: string[]) => void, running?: Parameters<typeof stopRouteTable>[0]): Promise<{ url: string; close(): Promise<void> }> {
  const routes = stopRouteTable(running).map((route) => ({
    route,
    pattern: new RegExp(`^${SWAGGER[route.release].basePath}${route.swaggerPath.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      record([request.method!, request.url!, body]);
      const found = routes.find(({ route, pattern }) => route.method === request.method && pattern.test(request.url!));
      if (!found)
        return response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] }));
      const payload = found.route.body ? JSON.stringify(await found.route.body()) : '';
      response.writeHead(found.route.status, { 'content-type': 'application/json' }).end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the stand-in serves routes exactly as the release's swagger declares them", () => {
  it.each(Object.keys(SWAGGER) as (keyof typeof SWAGGER)[])('every %s route is in that swagger, with that method and status', (release) => {
    // Its definitions are left out: 1.10's hold a quoted scalar only Go's lenient YAML parser reads.
    const text = readFileSync(join(HARBOR_SHARED, 'harbor-api', SWAGGER[release].file), 'utf8');
    const swagger = YAML.parse(text.slice(0, text.indexOf('\ndefinitions:'))) as {
      basePath: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(swagger.basePath).toBe(SWAGGER[release].basePath);
    for (const route of stopRouteTable().filter((candidate) => candidate.release === release)) {
      const operation = swagger.paths[route.swaggerPath]?.[route.method.toLowerCase()];
      expect(Object.keys(operation?.responses ?? {}), `${route.method} ${route.swaggerPath}`).toContain(String(route.status));
    }
  });
});

describe('k8s: the jobservice restart is waited for, and the API asked again, before the edit', () => {
  it('Harbor 2.15: PUT stop, rollout restart, rollout status, PUT stop again, then the transaction', async () => {
    const db = await seededDb('2.15.2');
    const shim = createDatabaseShim(
      { engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password },
      { pod: 'harbor-database-0' },
    );
    const api = await stopRoutes(shim.record);
    try {
      const result = await runCli(
        [
          'run',
          'stop-stuck-replication',
          '--release',
          'harbor',
          '--db-name',
          db.name,
          '--policy',
          '1',
          '--harbor-url',
          api.url,
          '--apply',
          '--yes',
          '--backup-dir',
          servers.dir,
        ],
        { env: { PATH: shim.path, HARBOR_PASSWORD: 'api-password' } },
      );
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls().map((call) => call.join(' '));
      const at = (pattern: RegExp, from = 0) => calls.findIndex((call, index) => index >= from && pattern.test(call));
      const firstStop = at(/^PUT \/api\/v2\.0\/replication\/executions\/1 /);
      const restart = at(/rollout restart deployment\/harbor-jobservice$/);
      const status = at(/rollout status deployment\/harbor-jobservice --timeout=300s$/);
      const secondStop = at(/^PUT \/api\/v2\.0\/replication\/executions\/1 /, firstStop + 1);
      const edit = at(/psql -U postgres -d \S+ -X -A -t -v ON_ERROR_STOP=1$/);
      expect(
        [firstStop, restart, status, secondStop, edit].every((index) => index >= 0),
        calls.join('\n'),
      ).toBe(true);
      expect(firstStop < restart && restart < status && status < secondStop && secondStop < edit, calls.join('\n')).toBe(true);
      expect((await db.exec(`SELECT count(*) AS n FROM task WHERE status = 'Stopped'`))[0]!.n).toBe('3');
    } finally {
      await api.close();
      shim.cleanup();
      await db.close();
    }
  });

  it('a rollout that does not finish in time: exit 3 (jobservice was restarted), the database untouched', async () => {
    const db = await seededDb('2.15.2');
    const shim = createDatabaseShim(
      { engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password },
      {
        answers: [{ prefix: ['kubectl', '-n', 'default', 'rollout', 'status'], stderr: 'error: timed out waiting for the condition', exitCode: 1 }],
      },
    );
    try {
      const before = await db.checksums();
      const result = await runCli(
        [
          'run',
          'stop-stuck-replication',
          '--release',
          'harbor',
          '--db-name',
          db.name,
          '--policy',
          '1',
          '--rollout-timeout',
          '30s',
          '--apply',
          '--yes',
          '--backup-dir',
          servers.dir,
          '--json',
        ],
        { env: { PATH: shim.path } },
      );
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/did not finish rolling out within 30s.*timed out waiting/);
      expect(result.stderr).toMatch(/changed:\n.*jobservice restart/);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ exitCode: 3, ok: false });
      expect(json.changedBeforeFailure.join('\n')).toContain('jobservice restart');
      expect(await db.checksums()).toEqual(before);
      expect(shim.calls().some((call) => call.includes('ON_ERROR_STOP=1') && !call.includes('-q'))).toBe(false);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });
});

describe('Harbor 2.x: the jobservice restart and its warning, the REPLICATION queue', () => {
  it.each([
    ['2.1.6' as Era, /every job it is running.*rerun with --no-restart \(and --harbor-url/s],
    ['2.15.2' as Era, /every job it is running.*rerun with --harbor-url.*Job Service Dashboard.*--stop-queue.*and --no-restart/s],
  ])('%s: warns that restarting jobservice kills every in-flight job', async (era, warning) => {
    const db = await seededDb(era);
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    try {
      const result = await runCli(
        ['run', 'stop-stuck-replication', '--target', 'compose', '--db-name', db.name, '--policy', '1', '--backup-dir', servers.dir],
        { env: { PATH: shim.path } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(warning);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it('with --harbor-url jobservice is still restarted, so the warning advises --no-restart, not --harbor-url', async () => {
    const db = await seededDb('2.15.2');
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    const api = await stopRoutes(() => {});
    try {
      const result = await runCli(
        ['run', 'stop-stuck-replication', '--target', 'compose', '--db-name', db.name, '--policy', '1', '--harbor-url', api.url, '--backup-dir', servers.dir],
        { env: { PATH: shim.path, HARBOR_PASSWORD: 'api-password' } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('docker restart harbor-jobservice');
      expect(result.stdout).toMatch(/every job it is running.*rerun with --no-restart: the API stop/s);
      expect(result.stdout).not.toContain('rerun with --harbor-url');
    } finally {
      await api.close();
      shim.cleanup();
      await db.close();
    }
  });

  it('2.7+: --stop-queue stops the REPLICATION queue through the Job Service Dashboard API; older releases refuse it', async () => {
    const db = await seededDb('2.15.2');
    const older = await seededDb('2.1.6');
    const log: string[][] = [];
    const api = await stopRoutes((entry) => log.push(entry));
    try {
      const result = await runCli(
        [
          'run',
          'stop-stuck-replication',
          '--db-url',
          db.url,
          '--policy',
          '1',
          '--harbor-url',
          api.url,
          '--stop-queue',
          '--apply',
          '--yes',
          '--backup-dir',
          servers.dir,
        ],
        { env: { HARBOR_PASSWORD: 'api-password' } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(log).toContainEqual(['PUT', '/api/v2.0/jobservice/queues/REPLICATION', '{"action":"stop"}']);
      const refused = await runCli(
        ['run', 'stop-stuck-replication', '--db-url', older.url, '--policy', '1', '--harbor-url', api.url, '--stop-queue', '--backup-dir', servers.dir],
        { env: { HARBOR_PASSWORD: 'api-password' } },
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--stop-queue needs Harbor 2.7 or later');
    } finally {
      await api.close();
      await Promise.all([db.close(), older.close()]);
    }
  });
});

describe('k8s with MariaDB (Harbor 1.5 chart)', () => {
  it('runs mysql in <fullname>-mysql-0, container mysql, with the password on stdin, never in argv', async () => {
    const db = await seededDb('1.5.0');
    const shim = createDatabaseShim(
      { engine: 'mariadb', host: servers.mariadb.host, port: servers.mariadb.port, password: servers.mariadb.password },
      { pod: 'harbor-harbor-mysql-0', kubeContainer: 'mysql' },
    );
    try {
      const result = await runCli(
        ['run', 'stop-stuck-replication', '--release', 'harbor', '--db-name', db.name, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir],
        { env: { PATH: shim.path, MYSQL_PWD: servers.mariadb.password } },
      );
      expect(result.code, result.stderr).toBe(0);
      const calls = shim.calls();
      expect(calls).toContainEqual(['kubectl', '-n', 'default', 'exec', '-i', 'harbor-harbor-mysql-0', '-c', 'mysql', '--', 'mysql', '--version']);
      expect(calls).toContainEqual([
        'kubectl',
        '-n',
        'default',
        'exec',
        '-i',
        'harbor-harbor-mysql-0',
        '-c',
        'mysql',
        '--',
        'sh',
        '-c',
        'IFS= read -r MYSQL_PWD && export MYSQL_PWD && exec "$@"',
        'sh',
        'mysql',
        '-u',
        'root',
        '--batch',
        '--skip-column-names',
        db.name,
      ]);
      expect(calls).toContainEqual(['kubectl', '-n', 'default', 'rollout', 'restart', 'deployment/harbor-harbor-jobservice']);
      expect(JSON.stringify(calls)).not.toContain(servers.mariadb.password);
      expect((await db.exec(`SELECT count(*) AS n FROM replication_job WHERE status = 'stopped'`))[0]!.n).toBe(4);
    } finally {
      shim.cleanup();
      await db.close();
    }
  });

  it.each([
    ['compose', ['--target', 'compose']],
    ['k8s', ['--release', 'harbor']],
  ])('%s without docker/kubectl on this host: refused (exit 2), not taken for MariaDB', async (_target, args) => {
    // A PATH with a shell (zx runs commands through bash) and nothing else.
    const emptyBin = mkdtempSync(join(tmpdir(), 'hkb-nobin-'));
    symlinkSync('/usr/bin/bash', join(emptyBin, 'bash'));
    try {
      const result = await runCli(['run', 'stop-stuck-replication', ...args, '--policy', '1', '--backup-dir', servers.dir], {
        env: { PATH: emptyBin, MYSQL_PWD: 'unused' },
      });
      expect(result.code).toBe(2);
      // Refused by the probe itself, before anything is taken for a MariaDB container.
      expect(result.stderr).toMatch(/cannot reach the database (container|in pod \S+): (docker|kubectl) exited 127: .*(docker|kubectl): command not found/);
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  it('a release whose database pod does not exist is refused (exit 2), not taken for MariaDB', async () => {
    const shim = createDatabaseShim(
      { engine: 'mariadb', host: servers.mariadb.host, port: servers.mariadb.port, password: servers.mariadb.password },
      { pod: 'harbor-harbor-mysql-0', kubeContainer: 'mysql' },
    );
    try {
      const result = await runCli(['run', 'stop-stuck-replication', '--release', 'other', '--policy', '1', '--backup-dir', servers.dir], {
        env: { PATH: shim.path, MYSQL_PWD: servers.mariadb.password },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'no database pod found in namespace default: tried other-harbor-database-0 (container database), other-harbor-mysql-0 (container mysql)',
      );
      expect(shim.calls().filter((call) => call.includes('--batch'))).toEqual([]);
    } finally {
      shim.cleanup();
    }
  });
});

interface Locker {
  query(text: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
}

/** A second session on the test database: the other party (Harbor, another run) in a race. */
async function openLocker(db: HarborDb): Promise<Locker> {
  if (db.engine === 'postgresql') {
    const client = await servers.postgres.client(db.name);
    return { query: (text, values) => client.query(text, values), end: () => client.end() };
  }
  const connection = await servers.mariadb.connection(db.name);
  return { query: async (text, values) => (await connection.query(text, values)) as unknown, end: () => connection.end() };
}

/** Waits until a session of the playbook blocks on a row lock, then runs `then`. */
async function whenBlocked(engine: 'postgresql' | 'mariadb', locker: Locker, database: string, then: (session: number) => Promise<void>): Promise<boolean> {
  const postgresWaiting = postgresLockWaiter(locker, database, '%FOR UPDATE%');
  return killWhenWaiting(async () => {
    if (engine === 'postgresql') return postgresWaiting();
    const [waiting] = (await locker.query(`SELECT id FROM information_schema.processlist WHERE db = ? AND info LIKE '%FOR UPDATE%' AND id <> CONNECTION_ID()`, [
      database,
    ])) as [{ id: number }[]];
    return waiting[0]?.id;
  }, then);
}

describe('confirm before change: the selected rows are locked and re-checked in the transaction', () => {
  it.each([
    ['PostgreSQL, direct', '2.15.2' as Era, 'direct', "UPDATE task SET status = 'Success' WHERE id = 3"],
    ['PostgreSQL, compose (psql)', '2.15.2' as Era, 'compose', "UPDATE task SET status = 'Success' WHERE id = 3"],
    ['MariaDB, direct', '1.5.0' as Era, 'direct', "UPDATE replication_job SET status = 'finished' WHERE id = 3"],
    ['MariaDB, compose (mysql)', '1.5.0' as Era, 'compose', "UPDATE replication_job SET status = 'finished' WHERE id = 3"],
  ] as const)('%s: a row that Harbor finished meanwhile refuses the whole apply (exit 2), nothing changed', async (_label, era, target, finish) => {
    const db = await seededDb(era);
    const engine = db.engine;
    const server = engine === 'postgresql' ? servers.postgres : servers.mariadb;
    const shim = target === 'compose' ? createDatabaseShim({ engine, host: server.host, port: server.port, password: server.password }) : undefined;
    const locker = await openLocker(db);
    const table = engine === 'postgresql' ? 'task' : 'replication_job';
    try {
      await locker.query(engine === 'postgresql' ? 'BEGIN' : 'START TRANSACTION');
      await locker.query(`SELECT id FROM ${table} WHERE id = 3 FOR UPDATE`);
      const targetArgs = shim ? ['--target', 'compose', '--db-name', db.name, '--no-restart'] : ['--db-url', db.url];
      const run = runCli(['run', 'stop-stuck-replication', ...targetArgs, '--policy', '1', '--apply', '--yes', '--backup-dir', servers.dir], {
        env: { ...(shim ? { PATH: shim.path } : {}), MYSQL_PWD: servers.mariadb.password },
      });
      // Harbor finishes job 3 while the playbook waits for its row lock.
      const finished = await whenBlocked(engine, locker, db.name, async () => {
        await locker.query(finish);
        await locker.query('COMMIT');
      });
      expect(finished).toBe(true);
      const before = await db.checksums();
      const result = await run;
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`${table}: 1 of the 3 selected rows changed since the plan read them (now final, or gone); nothing changed`);
      expect(await db.checksums()).toEqual(before);
    } finally {
      shim?.cleanup();
      await locker.end();
      await db.close();
    }
  });
});

describe('two applies at once on one database', () => {
  it.each([
    ['PostgreSQL', '2.15.2' as Era],
    ['MariaDB', '1.5.0' as Era],
  ])('%s: the second is refused with a clear message while the first holds the lock; the first completes', async (_label, era) => {
    const db = await seededDb(era);
    const engine = db.engine;
    const locker = await openLocker(db);
    const table = engine === 'postgresql' ? 'task' : 'replication_job';
    try {
      await locker.query(engine === 'postgresql' ? 'BEGIN' : 'START TRANSACTION');
      await locker.query(`SELECT id FROM ${table} WHERE id = 3 FOR UPDATE`);
      const first = direct(db, '--policy', '1', '--apply', '--yes');
      let second: Awaited<ReturnType<typeof direct>> | undefined;
      const blocked = await whenBlocked(engine, locker, db.name, async () => {
        second = await direct(db, '--policy', '1', '--apply', '--yes');
        await locker.query('ROLLBACK');
      });
      expect(blocked).toBe(true);
      expect(second!.code, second!.stderr).toBe(2);
      expect(second!.stderr).toContain('another run (stop-stuck-replication) is changing this database right now; nothing changed');
      const done = await first;
      expect(done.code, done.stderr).toBe(0);
    } finally {
      await locker.end();
      await db.close();
    }
  });
});

describe('a database that stops answering (SIGSTOP)', () => {
  it.each([
    ['PostgreSQL', '2.15.2' as Era],
    ['MariaDB', '1.5.0' as Era],
  ])('%s: --statement-timeout ends the run with exit 1, nothing committed', async (_label, era) => {
    const db = await seededDb(era);
    const engine = db.engine;
    const locker = await openLocker(db);
    const table = engine === 'postgresql' ? 'task' : 'replication_job';
    let stopped: number | undefined;
    try {
      const before = await db.checksums();
      await locker.query(engine === 'postgresql' ? 'BEGIN' : 'START TRANSACTION');
      await locker.query(`SELECT id FROM ${table} WHERE id = 3 FOR UPDATE`);
      const run = direct(db, '--policy', '1', '--apply', '--yes', '--statement-timeout', '3s');
      // PostgreSQL: stop the playbook's own backend; MariaDB (one process): the whole server.
      const found = await whenBlocked(engine, locker, db.name, async (session) => {
        stopped = engine === 'postgresql' ? session : servers.mariadb.pid;
        process.kill(stopped, 'SIGSTOP');
      });
      expect(found).toBe(true);
      const result = await run;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain('the database did not answer within 3s (--statement-timeout 3)');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      process.kill(stopped!, 'SIGCONT');
      stopped = undefined;
      await locker.query('ROLLBACK');
      expect(await db.checksums()).toEqual(before);
    } finally {
      if (stopped) process.kill(stopped, 'SIGCONT');
      await locker.end();
      await db.close();
    }
  });
});

describe('exit 3: changed, but not verified', () => {
  it('jobservice re-queues a task right after the commit (a trigger): exit 3, what changed, restore SQL that puts the rows back, audit line', async () => {
    const db = await seededDb('2.15.2');
    const auditDir = mkdtempSync(join(tmpdir(), 'hkb-exit3-'));
    try {
      const before = await db.checksums();
      const rowsBefore = await db.exec('SELECT id, status, status_code, end_time, update_time FROM task ORDER BY id');
      await db.exec(`CREATE FUNCTION requeue() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO task (execution_id, status, status_code, vendor_type) VALUES (1, 'Pending', 0, 'REPLICATION'); RETURN NULL; END $$`);
      // After the tasks' UPDATE, the last of the transaction: a task re-queued before it would be too young to stop.
      await db.exec(`CREATE TRIGGER requeue AFTER UPDATE ON task FOR EACH STATEMENT EXECUTE FUNCTION requeue()`);
      const result = await runCli([
        'run',
        'stop-stuck-replication',
        '--db-url',
        db.url,
        '--policy',
        '1',
        '--apply',
        '--yes',
        '--backup-dir',
        auditDir,
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/error: 1 (execution|task) rows of policy 1 \(stuck\) are not final again/);
      expect(result.stderr).toMatch(/changed:\n {2}- mark the non-final rows .*: 1 execution, 3 task rows stopped \(not verified\)/);
      expect(result.stderr).toMatch(/to restore:\n/);
      const json = JSON.parse(result.stdout);
      expect(json.exitCode).toBe(3);
      expect(json.changedBeforeFailure).toHaveLength(1);
      const audit = readFileSync(join(auditDir, 'audit.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(audit.at(-1)).toMatchObject({ exitCode: 3, ok: false, restore: json.restore, changedBeforeFailure: json.changedBeforeFailure });
      // The printed restore statements do put the changed rows back.
      await db.exec('DROP TRIGGER requeue ON task');
      await db.exec('DROP FUNCTION requeue()');
      await db.exec('DELETE FROM task WHERE id > 8');
      for (const statement of (json.restore as string[]).filter((line) => line.startsWith('UPDATE'))) await db.exec(statement);
      expect(await db.exec('SELECT id, status, status_code, end_time, update_time FROM task ORDER BY id')).toEqual(rowsBefore);
      expect(await db.checksums()).toEqual(before);
    } finally {
      rmSync(auditDir, { recursive: true, force: true });
      await db.close();
    }
  });
});

describe('secrets, redacted by structure', () => {
  it.each([['1'], ['x'], ['p@ss@word']])('password %j: valid JSON, intact words, nothing of it in the output or the audit log', async (password) => {
    const db = await seededDb('2.15.2');
    const role = `hkb_${Buffer.from(password).toString('hex')}`;
    const auditDir = mkdtempSync(join(tmpdir(), 'hkb-pw-'));
    const admin = await servers.postgres.client('postgres');
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
      // The password as an operator would type it: unencoded, even with @ in it.
      const url = `postgres://${role}:${password}@127.0.0.1:${servers.postgres.port}/${db.name}`;
      const result = await runCli(['run', 'stop-stuck-replication', '--db-url', url, '--policy', '1', '--apply', '--yes', '--backup-dir', auditDir, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ exitCode: 0, ok: true });
      expect(json.changes[0].changed).toBe(4);
      expect(result.stderr).toContain('warning: --db-url carries a password, which other users of this host can read with ps');
      const audit = readFileSync(join(auditDir, 'audit.jsonl'), 'utf8');
      const record = JSON.parse(audit.trim().split('\n').at(-1)!);
      expect(record.parameters['db-url']).toBe(`postgres://${role}:***@127.0.0.1:${servers.postgres.port}/${db.name}`);
      if (password.length > 1) for (const text of [result.stdout, result.stderr, audit]) expect(text).not.toContain('ss@word');
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
      rmSync(auditDir, { recursive: true, force: true });
      await db.close();
    }
  });

  it('no warning when the password comes from PGPASSWORD, and mysql2 gets only driver options (no "Ignoring invalid configuration option")', async () => {
    const db = await seededDb('2.15.2');
    const legacy = await seededDb('1.5.0');
    try {
      const withoutPassword = db.url.replace(`:${encodeURIComponent(servers.postgres.password)}@`, '@');
      const result = await runCli(['run', 'stop-stuck-replication', '--db-url', withoutPassword, '--policy', '1', '--backup-dir', servers.dir], {
        env: { PGPASSWORD: servers.postgres.password },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      const mariadbUrl = legacy.url.replace(`:${encodeURIComponent(servers.mariadb.password)}@`, '@');
      const mariadb = await runCli(['run', 'stop-stuck-replication', '--db-url', mariadbUrl, '--policy', '1', '--backup-dir', servers.dir], {
        env: { MYSQL_PWD: servers.mariadb.password },
      });
      expect(mariadb.code, mariadb.stderr).toBe(0);
      expect(mariadb.stderr).toBe('');
    } finally {
      await Promise.all([db.close(), legacy.close()]);
    }
  });
});

describe('a COMMIT that fails', () => {
  const deferredCheck = (body: string) => [
    `CREATE FUNCTION at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`,
    `CREATE CONSTRAINT TRIGGER at_commit AFTER UPDATE ON task DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION at_commit()`,
  ];

  it('rejected by the server (a deferred constraint): it rolled back, exit 1, nothing changed', async () => {
    const db = await seededDb('2.15.2');
    try {
      for (const statement of deferredCheck(`RAISE EXCEPTION 'deferred check failed';`)) await db.exec(statement);
      const before = await db.checksums();
      const result = await direct(db, '--policy', '1', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/deferred check failed.*rolled back.*nothing changed/s);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('unanswered (the server stops during COMMIT): the outcome is unknown, exit 3, and the run says so', async () => {
    const db = await seededDb('2.15.2');
    const locker = await openLocker(db);
    let stopped: number | undefined;
    try {
      // Each updated task sleeps a moment at commit time: the window in which the backend is stopped.
      for (const statement of deferredCheck('PERFORM pg_sleep(0.5);')) await db.exec(statement);
      const run = direct(db, '--policy', '1', '--apply', '--yes', '--statement-timeout', '5s');
      stopped = await stopDuringCommit(locker, db.name);
      expect(stopped).toBeDefined();
      const result = await run;
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('the database did not confirm the COMMIT');
      expect(result.stderr).toContain('may or may not have been committed: check before rerunning');
    } finally {
      if (stopped) process.kill(stopped, 'SIGCONT');
      await locker.end();
      await db.close();
    }
  });
});

/** Timestamps in the syntax PostgreSQL and MariaDB share. */
const OLD = `LOCALTIMESTAMP - INTERVAL '3' DAY`;
const RECENT = `LOCALTIMESTAMP - INTERVAL '30' SECOND`;

const withApi = (db: HarborDb, url: string, ...args: string[]) =>
  runCli(['run', 'stop-stuck-replication', '--db-url', db.url, '--backup-dir', servers.dir, '--harbor-url', url, '--no-restart', ...args], {
    env: { HARBOR_PASSWORD: 'api-password' },
  });
const statuses = async (db: HarborDb, table: string, ids: number[]) =>
  (await db.exec(`SELECT id, status FROM ${table} WHERE id IN (${ids.join(',')}) ORDER BY id`)).map((row) => `${row.id} ${row.status}`);

describe("2.7+: only stale work that jobservice's worker list does not show is stuck, checked again right before the change", () => {
  /** jobservice job ids (24 hex digits, as gocraft/work makes them). */
  const LIVE_JOB = 'a1b2c3d4e5f6a7b8c9d0e1f2';
  const LOST_JOB = '0f1e2d3c4b5a69788796a5b4';

  /**
   * Policy 8 on 2.15: execution 30 runs (its task changed 30 s ago, and jobservice's worker list
   * shows its job); execution 40's job was lost three days ago.
   */
  async function busyPolicy(): Promise<HarborDb> {
    const db = await seededDb('2.15.2');
    await db.exec(`INSERT INTO replication_policy (id, name) VALUES (8, 'busy')`);
    await db.exec(`INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, start_time, update_time) VALUES
      (30, 'REPLICATION', 8, 'Running', 'MANUAL', ${OLD}, ${RECENT}), (40, 'REPLICATION', 8, 'Running', 'MANUAL', ${OLD}, ${OLD})`);
    await db.exec(`INSERT INTO task (id, execution_id, job_id, status, status_code, vendor_type, creation_time, start_time, update_time) VALUES
      (31, 30, '${LIVE_JOB}', 'Running', 2, 'REPLICATION', ${OLD}, ${OLD}, ${RECENT}), (41, 40, '${LOST_JOB}', 'Running', 2, 'REPLICATION', ${OLD}, ${OLD}, ${OLD})`);
    return db;
  }

  const WORKERS = ['GET', '/api/v2.0/jobservice/pools/all/workers', ''];

  /**
   * Runs `check` against policy 8 and the 2.15 stand-in, whose worker list answers `running` (given
   * the call's number and the database), with the requests the stand-in received; closes both after.
   */
  async function onBusyPolicy(
    running: (call: number, db: HarborDb) => Promise<readonly string[]> | readonly string[],
    check: (db: HarborDb, apiUrl: string, log: readonly string[][]) => Promise<void>,
  ): Promise<void> {
    const db = await busyPolicy();
    const log: string[][] = [];
    const api = await stopRoutes(
      (entry) => log.push(entry),
      (call) => running(call, db),
    );
    try {
      await check(db, api.url, log);
    } finally {
      await api.close();
      await db.close();
    }
  }

  it('2.15: a replication that changed 30 s ago and that jobservice runs is left alone; only the stale one beside it is stopped', () =>
    onBusyPolicy(
      () => [LIVE_JOB],
      async (db, apiUrl, log) => {
        const result = await withApi(db, apiUrl, '--policy', '8', '--apply', '--yes');
        expect(result.code, result.stderr).toBe(0);
        expect(await statuses(db, 'execution', [30, 40])).toEqual(['30 Running', '40 Stopped']);
        expect(await statuses(db, 'task', [31, 41])).toEqual(['31 Running', '41 Stopped']);
        expect(log).toEqual([WORKERS, WORKERS, ['PUT', '/api/v2.0/replication/executions/40', ''], WORKERS]);
        expect(result.stdout).toContain('2 other non-final rows are left alone');
      },
    ));

  it('2.15: --execution naming the running replication is refused (exit 2), nothing asked or changed', () =>
    onBusyPolicy(
      () => [LIVE_JOB],
      async (db, apiUrl, log) => {
        const before = await db.checksums();
        const result = await withApi(db, apiUrl, '--execution', '30', '--apply', '--yes');
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain('replication execution 30 is active and changed within --older-than 86400s: it is not stuck; nothing changed');
        expect(log).toEqual([]);
        expect(await db.checksums()).toEqual(before);
      },
    ));

  it.each([
    [
      'in the plan, jobservice runs the old-looking job',
      () => [LOST_JOB],
      [WORKERS],
      /jobservice is running task 41 \(job 0f1e2d3c4b5a69788796a5b4\): not stuck/,
    ],
    [
      'after the plan, jobservice picks the job up (the worker list, read again right before the first stop request)',
      (call: number) => (call === 1 ? [] : [LOST_JOB]),
      [WORKERS, WORKERS],
      /jobservice is running task 41 \(job 0f1e2d3c4b5a69788796a5b4\): not stuck/,
    ],
  ] as const)('2.15: %s: the whole apply is refused (exit 2), nothing stopped', (_label, running, requests, message) =>
    onBusyPolicy(running, async (db, apiUrl, log) => {
      const before = await db.checksums();
      const result = await withApi(db, apiUrl, '--policy', '8', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(log).toEqual(requests);
      expect(await db.checksums()).toEqual(before);
    }),
  );

  it('2.15: a selected task that changes after the plan (its status hook arrives) refuses the whole apply before any stop request', () =>
    onBusyPolicy(
      // The plan's worker-list request comes after it selected the rows: jobservice reports task 41 then.
      async (call, db) => {
        if (call === 1) await db.exec('UPDATE task SET status_revision = 2, update_time = LOCALTIMESTAMP WHERE id = 41');
        return [];
      },
      async (db, apiUrl, log) => {
        const result = await withApi(db, apiUrl, '--policy', '8', '--apply', '--yes');
        expect(result.code, result.stderr).toBe(2);
        // Execution 40 is re-read first: it no longer qualifies, as its task moved.
        expect(result.stderr).toContain('execution rows 40 of policy 8 (busy) changed since the plan read them');
        expect(log).toEqual([WORKERS]);
        expect(await statuses(db, 'execution', [30, 40])).toEqual(['30 Running', '40 Running']);
        expect(await statuses(db, 'task', [31, 41])).toEqual(['31 Running', '41 Running']);
      },
    ));
});

describe('1.5-2.1: only work with no change for --older-than is stuck, judged per policy (1.5-1.7) or per execution from its tasks (1.8-2.1)', () => {
  /**
   * Policy 5 on 1.10: 200 past executions whose row still says InProgress (Harbor derives their
   * status from their finished tasks when read and never writes it back), one whose job was lost
   * three days ago (2001), one still listing what to copy (2002, no task yet) and one running (2003).
   */
  async function historyOn110(): Promise<HarborDb> {
    const db = await seededDb('1.10.19');
    await db.exec(`INSERT INTO replication_policy (id, name) VALUES (5, 'nightly')`);
    await db.exec(`INSERT INTO replication_execution (id, policy_id, status, total, trigger, start_time)
      SELECT 1000 + g, 5, 'InProgress', 1, 'scheduled', LOCALTIMESTAMP - (g + 2) * INTERVAL '1 day' FROM generate_series(1, 200) g`);
    await db.exec(`INSERT INTO replication_task (execution_id, status, job_id, start_time, end_time)
      SELECT 1000 + g, 'Succeed', md5(g::text), LOCALTIMESTAMP - (g + 2) * INTERVAL '1 day', LOCALTIMESTAMP - (g + 2) * INTERVAL '1 day' + INTERVAL '5 minutes'
      FROM generate_series(1, 200) g`);
    await db.exec(`INSERT INTO replication_execution (id, policy_id, status, total, trigger, start_time) VALUES
      (2001, 5, 'InProgress', 2, 'manual', ${OLD}), (2002, 5, 'InProgress', 0, 'manual', ${RECENT}), (2003, 5, 'InProgress', 1, 'manual', ${RECENT})`);
    await db.exec(`INSERT INTO replication_task (execution_id, status, job_id, start_time, end_time) VALUES
      (2001, 'Succeed', 'aa', ${OLD}, ${OLD}), (2001, 'InProgress', 'bb', ${OLD}, NULL), (2003, 'InProgress', 'cc', ${RECENT}, NULL)`);
    return db;
  }

  it('1.10: executions whose row says InProgress but whose tasks are final are not selected; neither is work younger than --older-than', async () => {
    const db = await historyOn110();
    const log: string[][] = [];
    const api = await stopRoutes((entry) => log.push(entry));
    try {
      const dryRun = await withApi(db, api.url, '--policy', '5');
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toMatch(/ask Harbor's API to stop it .*would change 1\b/);
      expect(dryRun.stdout).toContain('policy 5 (nightly): 1 stale replication_task rows, 0 stale replication_execution rows');
      expect(dryRun.stdout).toContain('2 other non-final rows are left alone');
      expect(log).toEqual([]);

      const tasksBefore = await rowsById(db, 'replication_task');
      const executionsBefore = await rowsById(db, 'replication_execution');
      const result = await withApi(db, api.url, '--policy', '5', '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      expect(log).toEqual([['PUT', '/api/replication/executions/2001', '']]);
      const tasksAfter = await rowsById(db, 'replication_task');
      const changedTasks = [...tasksAfter.keys()].filter((id) => tasksAfter.get(id) !== tasksBefore.get(id));
      expect(
        (await db.exec(`SELECT execution_id, status FROM replication_task WHERE id IN (${changedTasks.join(',')})`)).map(
          (row) => `${row.execution_id} ${row.status}`,
        ),
      ).toEqual(['2001 Stopped']);
      expect(await rowsById(db, 'replication_execution')).toEqual(executionsBefore);
      expect(await statuses(db, 'replication_execution', [2002, 2003])).toEqual(['2002 InProgress', '2003 InProgress']);
    } finally {
      await api.close();
      await db.close();
    }
  });

  it.each([
    ['2002', 'still listing what to copy (no task yet)'],
    ['2003', 'whose task started 30 s ago'],
  ])('1.10: --execution %s, %s, is refused (exit 2), nothing changed', async (execution) => {
    const db = await historyOn110();
    try {
      const before = await db.checksums();
      const result = await direct(db, '--execution', execution, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`replication execution ${execution} is active and changed within --older-than 86400s: it is not stuck`);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it.each([['1.5.0' as Era], ['1.7.8' as Era]])(
    '%s: while any job of a policy changed within --older-than none of them is stuck; a policy whose jobs are all old is stopped',
    async (era) => {
      const db = await seededDb(era);
      try {
        // A job of policy 1 that jobservice moved to running two minutes ago.
        await db.exec(
          `INSERT INTO replication_job (id, policy_id, repository, operation, status, creation_time, update_time) VALUES (50, 1, 'library/new', 'transfer', 'running', ${OLD}, LOCALTIMESTAMP - INTERVAL '2' MINUTE)`,
        );
        const before = await db.checksums();
        const busy = await direct(db, '--policy', '1', '--apply', '--yes');
        expect(busy.code, busy.stderr).toBe(0);
        expect(await db.checksums()).toEqual(before);
        expect(busy.stdout).toContain('Nothing to do.');
        expect(busy.stdout).toContain('4 other non-final rows are left alone');

        // Shorter than the new job's two minutes: now every job of policy 1 is stale.
        const shorter = await direct(db, '--policy', '1', '--older-than', '1m');
        expect(shorter.code, shorter.stderr).toBe(0);
        expect(shorter.stdout).toContain('would change 4');

        const stale = await direct(db, '--policy', '2', '--apply', '--yes');
        expect(stale.code, stale.stderr).toBe(0);
        expect(await statuses(db, 'replication_job', [1, 2, 3, 7, 8, 50])).toEqual([
          '1 pending',
          '2 running',
          '3 retrying',
          '7 stopped',
          '8 stopped',
          '50 running',
        ]);
      } finally {
        await db.close();
      }
    },
  );
});
