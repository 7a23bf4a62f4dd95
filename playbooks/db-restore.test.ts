// db-restore's safety checks against real PostgreSQL 15 and MariaDB 10.11: it refuses
// backups that are corrupt, unmanifested, for the wrong engine or for a release that cannot
// run them, changes nothing in a dry-run, and rolls an upgraded database back whole.
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import type { Checksums } from '../test/support/checksums.ts';
import { createHarborDb, withHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { expectRefusedUnchanged } from '../test/support/refusals.ts';
import { PATH_WITH_POSTGRES as PATH, useTestServers } from '../test/support/servers.ts';
import { createDatabaseShim } from '../test/support/shim.ts';
import { POSTGRES_BIN } from '../test/support/postgres.ts';
import pg from 'pg';
import { sha256File } from '../src/playbook/run/backup.ts';

const servers = useTestServers();
let backup18: string; // a Harbor 1.8.6 backup
let backup15: string; // a Harbor 1.5 MariaDB backup
let source18: HarborDb;

async function dump(db: HarborDb): Promise<string> {
  const result = await runCli(['run', 'db-backup', '--db-url', db.url, '--backup-dir', servers.dir, '--json'], { env: { PATH } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).changes[0].data.path;
}

beforeAll(async () => {
  source18 = await createHarborDb('1.8.6', servers);
  await source18.exec(`INSERT INTO replication_policy (id, name) VALUES (1, 'before the upgrade')`);
  backup18 = await dump(source18);
  const source15 = await createHarborDb('1.5.0', servers);
  backup15 = await dump(source15);
  await source15.close();
});
afterAll(async () => {
  await source18?.close();
});

/** db-restore on `db` with `path` as PATH (the test's PostgreSQL tools by default). */
const restoreOn =
  (path: string) =>
  (db: HarborDb, ...args: string[]) =>
    runCli(['run', 'db-restore', '--db-url', db.url, '--backup-dir', servers.dir, ...args], { env: { PATH: path } });
const restore = restoreOn(PATH);

it('rolls a database upgraded to 1.9.4 back to its 1.8.6 backup: the 1.9 tables are gone and the checksums match', async () => {
  // Simulate the failed upgrade: the 1.9.4 layout, with data written after the backup.
  await withHarborDb('1.9.4', servers, async (upgraded) => {
    await upgraded.exec(`INSERT INTO replication_policy (id, name) VALUES (1, 'after the upgrade')`);
    const dryRun = await restore(upgraded, '--file', backup18, '--harbor-version', '1.8.6');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('Dry-run: nothing changed');
    expect((await upgraded.exec(`SELECT version FROM schema_migrations`))[0]!.version).toBe('12');

    await upgraded.disconnect();
    const applied = await restore(upgraded, '--file', backup18, '--harbor-version', '1.8.6', '--apply', '--yes', '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const json = JSON.parse(applied.stdout);
    expect(json.changes[0].backup).toMatch(/pre-restore\.dump$/);
    expect(await upgraded.checksums()).toEqual(await source18.checksums());
    expect(await upgraded.exec(`SELECT 1 FROM information_schema.tables WHERE table_name = 'quota'`)).toEqual([]);
    const audit = readFileSync(join(servers.dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(audit.at(-1)).toMatchObject({ playbook: 'db-restore', mode: 'apply', ok: true, exitCode: 0 });
  });
});

describe('refusals (exit 2, nothing changed)', () => {
  it('refuses each bad backup or release', async () => {
    const target = await createHarborDb('1.9.4', servers);
    const targetMaria = await createHarborDb('1.5.0', servers);
    const corrupt = join(servers.dir, 'corrupt.dump');
    copyFileSync(backup18, corrupt);
    copyFileSync(`${backup18}.manifest.json`, `${corrupt}.manifest.json`);
    const bytes = readFileSync(corrupt);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(corrupt, bytes);
    const unmanifested = join(servers.dir, 'plain.dump');
    copyFileSync(backup18, unmanifested);
    const badManifest = join(servers.dir, 'bad-manifest.dump');
    copyFileSync(backup18, badManifest);
    writeFileSync(`${badManifest}.manifest.json`, '{"format":"something-else"}');
    /** A copy of backup18 whose manifest `edit` rewrote (the dump's checksum still matches). */
    const relabelled = (name: string, edit: (manifest: Record<string, unknown>) => unknown) => {
      const path = join(servers.dir, name);
      copyFileSync(backup18, path);
      writeFileSync(`${path}.manifest.json`, JSON.stringify(edit(JSON.parse(readFileSync(`${backup18}.manifest.json`, 'utf8')))));
      return path;
    };
    const versionNotNumber = relabelled('abc.dump', (manifest) => ({ ...manifest, schemaVersion: 'abc' }));
    const nullManifest = relabelled('null.dump', () => null);
    const otherVersion = relabelled('other-version.dump', (manifest) => ({ ...manifest, schemaVersion: 12 }));
    const cases: [string, HarborDb, string[], RegExp][] = [
      ['corrupt backup', target, ['--file', corrupt, '--harbor-version', '1.8.6'], /corrupt/],
      ['backup without manifest', target, ['--file', unmanifested, '--harbor-version', '1.8.6'], /manifest/],
      ['foreign manifest', target, ['--file', badManifest, '--harbor-version', '1.8.6'], /not a harbor-kb backup/],
      ['missing backup file', target, ['--file', join(servers.dir, 'nope.dump'), '--harbor-version', '1.8.6'], /manifest/],
      [
        'release older than the backup',
        target,
        ['--file', backup18, '--harbor-version', '1.7.8'],
        /the backup \(schema \d+, Harbor [^)]*\) is newer than Harbor 1\.7\.8/,
      ],
      ['2.1 image on a 1.8 schema', target, ['--file', backup18, '--harbor-version', '2.1.0'], /upgrade to version 1\.10 first/],
      ['unknown release', target, ['--file', backup18, '--harbor-version', '9.9.9'], /not a release/],
      ['not a version', target, ['--file', backup18, '--harbor-version', 'latest'], /--harbor-version/],
      [
        'schemaVersion "abc" in the manifest',
        target,
        ['--file', versionNotNumber, '--harbor-version', '1.8.6'],
        /abc\.dump\.manifest\.json is not a manifest db-backup wrote: its schemaVersion is "abc", not a schema_migrations version/,
      ],
      [
        'a manifest of null',
        target,
        ['--file', nullManifest, '--harbor-version', '1.8.6'],
        /null\.dump\.manifest\.json is not a manifest db-backup wrote: it is not a JSON object/,
      ],
      [
        "a manifest whose version is not the dump's",
        target,
        ['--file', otherVersion, '--harbor-version', '1.9.4'],
        /the dump's schema_migrations holds version 5 but its manifest \S+other-version\.dump\.manifest\.json says 12/,
      ],
      ['no --file', target, ['--harbor-version', '1.8.6'], /--file is required/],
      ['MariaDB backup into PostgreSQL', target, ['--file', backup15, '--harbor-version', '1.5.0'], /mariadb dump/],
      ['PostgreSQL backup into MariaDB', targetMaria, ['--file', backup18, '--harbor-version', '1.8.6'], /postgresql dump/],
      ['MariaDB backup for a PostgreSQL release', targetMaria, ['--file', backup15, '--harbor-version', '1.6.0'], /runs on PostgreSQL/],
    ];
    try {
      const before = [await target.checksums(), await targetMaria.checksums()];
      for (const [label, db, args, message] of cases) {
        const result = await restore(db, ...args, '--apply', '--yes');
        expect(result.code, `${label}: ${result.stderr}`).toBe(2);
        expect(result.stderr, label).toMatch(message);
      }
      // A restore record that is not one (hand-edited, truncated) is named, so it can be moved away.
      const sha = (JSON.parse(readFileSync(`${backup18}.manifest.json`, 'utf8')) as { sha256: string }).sha256;
      const record = join(servers.dir, `db-restore-${sha.slice(0, 16)}.json`);
      writeFileSync(record, '{bad');
      try {
        const result = await restore(target, '--file', backup18, '--harbor-version', '1.8.6', '--apply', '--yes');
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(`${record} is not a restore record harbor-kb wrote (not JSON): move it away and rerun`);
      } finally {
        rmSync(record);
      }
      expect([await target.checksums(), await targetMaria.checksums()]).toEqual(before);
    } finally {
      await target.close();
      await targetMaria.close();
    }
  });
});

/** A copy of `backup` with `extra` appended and its manifest rewritten to match, as an attacker would. */
async function tampered(backup: string, name: string, extra: string): Promise<string> {
  const path = join(servers.dir, name);
  copyFileSync(backup, path);
  appendFileSync(path, extra);
  const manifest = JSON.parse(readFileSync(`${backup}.manifest.json`, 'utf8'));
  writeFileSync(`${path}.manifest.json`, JSON.stringify({ ...manifest, file: name, sha256: await sha256File(path), bytes: statSync(path).size }));
  return path;
}

describe('MariaDB (Harbor 1.5)', () => {
  it('a dump with mysql client commands is refused and none of them runs', async () => {
    const markers = [join(servers.dir, 'ran-bang'), join(servers.dir, 'ran-system')];
    const evil = await tampered(backup15, 'evil.sql', `\\! touch ${markers[0]}\nsystem touch ${markers[1]}\n`);
    await withHarborDb('1.5.0', servers, (target) =>
      expectRefusedUnchanged(
        target,
        async () => {
          await target.disconnect();
          return restore(target, '--file', evil, '--harbor-version', '1.5.0', '--apply', '--yes');
        },
        /mysql client command "\\!" at line \d+/,
      ),
    );
    expect(markers.filter((marker) => existsSync(marker))).toEqual([]);
  });

  it("compares the dump's alembic_version with the release: a 1.5 dump is refused for Harbor 1.4.0", async () => {
    const relabelled = await tampered(backup15, 'relabelled.sql', "UPDATE alembic_version SET version_num = '1.4.0';\n");
    await withHarborDb('1.5.0', servers, async (target) => {
      const older = await restore(target, '--file', backup15, '--harbor-version', '1.4.0', '--apply', '--yes');
      expect(older.code).toBe(2);
      expect(older.stderr).toMatch(
        /the backup \(alembic_version 1\.5\.0, Harbor 1\.5\.x\) is newer than Harbor 1\.4\.0: core stops with "unexpected database schema version, expected 1\.4\.0, got 1\.5\.0"/,
      );
      const manifestSays = JSON.parse(readFileSync(`${relabelled}.manifest.json`, 'utf8'));
      writeFileSync(`${relabelled}.manifest.json`, JSON.stringify({ ...manifestSays, alembicVersion: '1.4.0' }));
      const mismatch = await restore(target, '--file', relabelled, '--harbor-version', '1.4.0', '--apply', '--yes');
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toMatch(/the dump inserts alembic_version 1\.5\.0 but its manifest says 1\.4\.0/);
    });
  });

  /**
   * Restores backup15 into a 1.5 database while a session with no default database (so the
   * session check cannot see it) holds a metadata lock on the first or last table the restore
   * drops; `check` runs with the lock still held, then the lock is released.
   */
  async function restoreWhileLocked(
    which: 'min' | 'max',
    check: (result: Awaited<ReturnType<typeof restore>>, target: HarborDb, before: Checksums) => Promise<void>,
  ) {
    await withHarborDb('1.5.0', servers, async (target) => {
      await target.exec(`INSERT INTO properties (id, k, v) VALUES (7, 'written', 'before the restore')`);
      const before = await target.checksums();
      const [table] = await target.exec(`SELECT ${which}(table_name) AS name FROM information_schema.tables WHERE table_schema = DATABASE()`);
      await target.disconnect();
      const locker = await servers.mariadb.connection();
      try {
        await locker.query('START TRANSACTION');
        await locker.query(`SELECT * FROM \`${target.name}\`.\`${table!.name}\``);
        const result = await restore(target, '--file', backup15, '--harbor-version', '1.5.0', '--lock-timeout', '1', '--apply', '--yes', '--json');
        await locker.query('ROLLBACK');
        await check(result, target, before);
      } finally {
        await locker.end();
      }
    });
  }

  it('a failure after the DROPs (the last table locked past --lock-timeout) ends with exit 3, says what changed, and its restore command puts the database back', () =>
    restoreWhileLocked('max', async (result, target, before) => {
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).not.toMatch(/nothing changed/);
      const json = JSON.parse(result.stdout);
      expect(json.changedBeforeFailure.join(' ')).toMatch(/tables of the database were dropped/);
      expect(json.changes[0].preview[1]).toMatch(/^mysql .* --binary-mode /);
      expect(json.restore[0]).toMatch(/^harbor-kb run db-restore <the same target options> --file \S+pre-restore\.sql --harbor-version 1\.5\.0 --apply$/);
      expect(result.stderr).toContain(json.restore[0]);
      const putBack = await restore(target, ...json.restore[0].replace('harbor-kb run db-restore <the same target options> ', '').split(' '), '--yes');
      expect(putBack.code, putBack.stderr).toBe(0);
      expect(await target.checksums()).toEqual(before);
    }));

  it('a lock on the first table the restore drops fails it before any change: exit 1, nothing changed', () =>
    restoreWhileLocked('min', async (result, target, before) => {
      expect(result.code, result.stderr).toBe(1);
      expect(JSON.parse(result.stdout).error).toMatch(/the restore failed before it changed a table; nothing changed: mysql exited 1: .*Lock wait timeout/);
      expect(await target.checksums()).toEqual(before);
    }));
});

describe('PostgreSQL: the truth about a failed load (psql wrapped to fail in the ways a real run can)', () => {
  const psql = `'${POSTGRES_BIN}/psql'`;

  /**
   * Restores backup18 into a fresh 1.9.4 database through a `psql` made of `script` (shell lines
   * around the real one); returns the result and whether the database still holds what it held.
   */
  async function restoreThrough(name: string, script: string[], ...args: string[]) {
    const dir = join(servers.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'psql'), ['#!/bin/sh', ...script, ''].join('\n'), { mode: 0o755 });
    return withHarborDb('1.9.4', servers, async (target) => {
      const before = await target.checksums();
      await target.disconnect();
      const result = await restoreOn(`${dir}:${PATH}`)(target, '--file', backup18, '--harbor-version', '1.8.6', '--apply', '--yes', '--json', ...args);
      return { ...result, json: JSON.parse(result.stdout), unchanged: JSON.stringify(await target.checksums()) === JSON.stringify(before) };
    });
  }

  it('a load that committed but whose client then failed (a dropped connection) ends with exit 3 and the restore command, not "nothing changed"', async () => {
    const result = await restoreThrough('psql-fails-after-commit', [`${psql} "$@"`, 'exit 1']);
    expect(result.code, result.stderr).toBe(3);
    expect(result.json.changedBeforeFailure.join(' ')).toMatch(/its transaction may have committed/);
    expect(result.json.restore[0]).toMatch(/--file \S+pre-restore\.dump --harbor-version 1\.9\.4 --apply$/);
    expect(result.unchanged).toBe(false);
  });

  it('a load whose last statement fails was rolled back: exit 1, nothing changed', async () => {
    const result = await restoreThrough('psql-last-statement-fails', [`{ cat; echo 'SELECT 1/0;'; } | ${psql} "$@"`]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.json.error).toMatch(/rolled back; nothing changed: psql exited 3: .*division by zero/);
    expect(result.unchanged).toBe(true);
  });

  it('a table locked past --lock-timeout (by a session that arrived after the check) fails the restore cleanly: exit 1, nothing changed', async () => {
    // Before loading, the wrapper starts a session that locks harbor_user, and waits until it holds the lock.
    const result = await restoreThrough(
      'psql-after-a-locker',
      [
        `${psql} "$@" -c "LOCK TABLE harbor_user IN ACCESS SHARE MODE; SELECT pg_sleep(60)" >/dev/null 2>&1 &`,
        `until [ "$(${psql} "$@" -tA -c "SELECT count(*) FROM pg_locks WHERE relation = 'harbor_user'::regclass AND pid <> pg_backend_pid()")" = 1 ]; do sleep 0.1; done`,
        `exec ${psql} "$@"`,
      ],
      '--lock-timeout',
      '1',
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.json.error).toMatch(/rolled back; nothing changed: psql exited 3: .*lock timeout/);
    expect(result.unchanged).toBe(true);
  });
});

it('--statement-timeout bounds the psql load: a server that stops answering mid-load ends the run (exit 3, with the put-back), it does not hang', async () => {
  // The wrapper starts a session that locks harbor_user before the real psql loads, so the load's backend waits there.
  const psql = `'${POSTGRES_BIN}/psql'`;
  const dir = join(servers.dir, 'psql-stalled');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'psql'),
    [
      '#!/bin/sh',
      `${psql} "$@" -c "LOCK TABLE harbor_user IN ACCESS SHARE MODE; SELECT pg_sleep(600)" >/dev/null 2>&1 &`,
      `until [ "$(${psql} "$@" -tA -c "SELECT count(*) FROM pg_locks WHERE relation = 'harbor_user'::regclass AND pid <> pg_backend_pid()")" = 1 ]; do sleep 0.1; done`,
      `exec ${psql} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  await withHarborDb('1.9.4', servers, async (target) => {
    await target.disconnect();
    const admin = await servers.postgres.client('postgres');
    let stopped: number | undefined;
    try {
      const run = restoreOn(`${dir}:${PATH}`)(
        target,
        '--file',
        backup18,
        '--harbor-version',
        '1.8.6',
        '--statement-timeout',
        '2',
        '--apply',
        '--yes',
        '--json',
      );
      while (stopped === undefined) {
        const waiting = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [target.name]);
        stopped = waiting.rows[0]?.pid;
        if (stopped === undefined) await sleep(50);
      }
      // Stop the load's backend (a server that no longer answers), then let the lock go.
      process.kill(stopped, 'SIGSTOP');
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(600)%'`, [target.name]);
      const result = await run;
      expect(result.code, result.stderr).toBe(3);
      const json = JSON.parse(result.stdout);
      expect(json.error).toMatch(/psql got no answer from the database for 2s \(--statement-timeout 2\)/);
      expect(json.restore[0]).toMatch(/--file \S+pre-restore\.dump --harbor-version 1\.9\.4 --apply$/);
    } finally {
      if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
      await admin.end();
    }
  });
});

describe('refuses while other sessions use the database (core, jobservice)', () => {
  it('direct: a connected client is named, nothing changes, and the advice is to stop core and jobservice', () =>
    withHarborDb('1.9.4', servers, async (target) => {
      // The test's own session (its checksums) stays connected.
      const result = await expectRefusedUnchanged(
        target,
        () => restore(target, '--file', backup18, '--harbor-version', '1.8.6', '--apply', '--yes'),
        /refusing to restore while 1 other session\(s\) use the database: session \d+ \(user postgres from 127\.0\.0\.1/,
      );
      expect(result.stderr).toMatch(/stop Harbor core and jobservice/);
    }));

  it('compose: advises docker stop of core and jobservice, never docker compose down', async () => {
    const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
    try {
      await withHarborDb('1.9.4', servers, async (target) => {
        const result = await expectRefusedUnchanged(
          target,
          () =>
            runCli(
              [
                'run',
                'db-restore',
                '--target',
                'compose',
                '--db-name',
                target.name,
                '--file',
                backup18,
                '--harbor-version',
                '1.8.6',
                '--apply',
                '--yes',
                '--backup-dir',
                servers.dir,
              ],
              { env: { PATH: shim.path } },
            ),
          /docker stop harbor-core harbor-jobservice/,
        );
        expect(result.stderr + result.stdout).not.toMatch(/docker compose down,|docker compose down \(/);
      });
    } finally {
      shim.cleanup();
    }
  });
});

describe("PostgreSQL: Harbor's own role keeps its tables (a restore run as a superuser, or as that role)", () => {
  /** Who owns what in `db`'s public schema, and what `role` may do there. */
  const ownership = async (db: HarborDb, role: string) =>
    db.exec(
      `SELECT pg_get_userbyid(n.nspowner) AS "schemaOwner", n.nspacl::text AS "schemaAcl",
        (SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class WHERE relnamespace = n.oid AND relkind IN ('r', 'S')) AS "objectOwners",
        has_schema_privilege('${role}', n.oid, 'USAGE') AS "roleUsesSchema"
      FROM pg_namespace n WHERE n.nspname = 'public'`,
    );

  /** What `role` (logging in with its password) reads from replication_policy in `db`, or its error. */
  async function readAs(db: HarborDb, role: string): Promise<unknown> {
    const client = new pg.Client({ host: servers.postgres.host, port: servers.postgres.port, user: role, password: 'harbor-role-secret', database: db.name });
    await client.connect();
    try {
      return (await client.query('SELECT name FROM replication_policy ORDER BY id')).rows.map((row) => row.name);
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end();
    }
  }

  it.each([
    ['public left as PostgreSQL 15 creates it (owned by pg_database_owner)', false, false],
    ['public given to the role', true, false],
    ['restored by the role itself, public left as PostgreSQL 15 creates it', false, true],
  ])('%s: after the restore and after its put-back the role owns and reads its tables', async (_label, schemaToRole, asRole) => {
    const role = `harbor_${process.pid}_${schemaToRole ? 1 : 0}${asRole ? 1 : 0}`;
    await withHarborDb('1.8.6', servers, async (db) => {
      // An external database as Harbor's docs set it up: the role owns the database, and core's migrations made the tables as that role.
      await db.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'harbor-role-secret'`);
      try {
        await db.exec(`ALTER DATABASE "${db.name}" OWNER TO ${role}`);
        if (schemaToRole) await db.exec(`ALTER SCHEMA public OWNER TO ${role}`);
        await db.exec(`DO $$ DECLARE r record; BEGIN
          FOR r IN SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' LOOP
            EXECUTE format('ALTER TABLE public.%I OWNER TO ${role}', r.relname);
          END LOOP;
          -- A serial column's sequence follows its table; the others are given one by one.
          FOR r IN SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'S' AND relowner <> '${role}'::regrole LOOP
            EXECUTE format('ALTER SEQUENCE public.%I OWNER TO ${role}', r.relname);
          END LOOP; END $$`);
        await db.exec(`INSERT INTO replication_policy (id, name) VALUES (1, 'in the backup')`);
        const before = await ownership(db, role);
        expect(before[0]).toMatchObject({ objectOwners: role, roleUsesSchema: true });
        expect(await readAs(db, role)).toEqual(['in the backup']);
        const backup = await dump(db);
        await db.exec(`INSERT INTO replication_policy (id, name) VALUES (2, 'after the backup')`);

        await db.disconnect();
        const restorer = asRole ? { ...db, url: db.url.replace(/\/\/[^@]+@/, `//${role}:harbor-role-secret@`) } : db;
        const applied = await restore(restorer, '--file', backup, '--harbor-version', '1.8.6', '--apply', '--yes', '--json');
        expect(applied.code, applied.stderr).toBe(0);
        expect(await ownership(db, role)).toEqual(before);
        expect(await readAs(db, role)).toEqual(['in the backup']);

        // The pre-restore dump puts back the state before the restore, owners and grants included.
        await db.disconnect();
        const putBack = await restore(restorer, '--file', JSON.parse(applied.stdout).changes[0].backup, '--harbor-version', '1.8.6', '--apply', '--yes');
        expect(putBack.code, putBack.stderr).toBe(0);
        expect(await ownership(db, role)).toEqual(before);
        expect(await readAs(db, role)).toEqual(['in the backup', 'after the backup']);
      } finally {
        await db.exec(`ALTER DATABASE "${db.name}" OWNER TO postgres`);
        await db.exec(`DROP OWNED BY ${role} CASCADE`);
        await db.exec(`DROP ROLE ${role}`);
      }
    });
  });

  it("the verify fails (exit 3, with the put-back) when the database's owner cannot use the restored tables", async () => {
    const role = `harbor_${process.pid}_owner`;
    await withHarborDb('1.8.6', servers, async (db) => {
      // The backup's tables belong to postgres, with no grants: a role that owns this database cannot read them.
      await db.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'harbor-role-secret'`);
      try {
        await db.exec(`ALTER DATABASE "${db.name}" OWNER TO ${role}`);
        await db.disconnect();
        const result = await restore(db, '--file', backup18, '--harbor-version', '1.8.6', '--apply', '--yes', '--json');
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toMatch(new RegExp(`role ${role} \\(the database's owner\\) cannot use \\d+ of the restored tables and sequences`));
        expect(JSON.parse(result.stdout).restore[0]).toMatch(/pre-restore\.dump/);
      } finally {
        await db.exec(`ALTER DATABASE "${db.name}" OWNER TO postgres`);
        await db.exec(`DROP OWNED BY ${role} CASCADE`);
        await db.exec(`DROP ROLE ${role}`);
      }
    });
  });
});

describe('a backup of a dirty schema (a migration had failed when it was taken)', () => {
  it('db-backup records and warns about it; db-restore refuses it over a clean database unless --allow-dirty, whose put-back restores the clean state', async () => {
    const dirtySource = await createHarborDb('1.8.6', servers);
    try {
      await dirtySource.exec(`UPDATE schema_migrations SET dirty = true`);
      const backedUp = await runCli(['run', 'db-backup', '--db-url', dirtySource.url, '--backup-dir', servers.dir, '--json'], { env: { PATH } });
      expect(backedUp.code, backedUp.stderr).toBe(0);
      const json = JSON.parse(backedUp.stdout);
      expect(json.changes[0].data.manifest).toMatchObject({ schemaVersion: 5, dirty: true });
      expect(json.findings.map((finding: { message: string }) => finding.message).join('\n')).toMatch(/dirty at version 5.*schema-doctor/);
      const dirtyBackup: string = json.changes[0].data.path;
      // An older manifest without the flag: the dump's own schema_migrations still tells.
      const unflagged = join(servers.dir, 'unflagged.dump');
      copyFileSync(dirtyBackup, unflagged);
      const { dirty: _dirty, ...withoutFlag } = JSON.parse(readFileSync(`${dirtyBackup}.manifest.json`, 'utf8'));
      writeFileSync(`${unflagged}.manifest.json`, JSON.stringify(withoutFlag));

      await withHarborDb('1.8.6', servers, async (clean) => {
        for (const backup of [dirtyBackup, unflagged]) {
          await expectRefusedUnchanged(
            clean,
            async () => {
              await clean.disconnect();
              return restore(clean, '--file', backup, '--harbor-version', '1.8.6', '--apply', '--yes');
            },
            /is a backup of a dirty schema \(schema_migrations version 5, dirty\).*schema-doctor.*--allow-dirty/,
          );
        }
        const before = await clean.checksums();
        await clean.disconnect();
        const applied = await restore(clean, '--file', dirtyBackup, '--harbor-version', '1.8.6', '--allow-dirty', '--apply', '--yes', '--json');
        expect(applied.code, applied.stderr).toBe(0);
        expect(await clean.exec(`SELECT version, dirty FROM schema_migrations`)).toEqual([{ version: '5', dirty: true }]);

        // The database is now dirty, so the put-back of its pre-restore dump (clean) needs no flag, and the
        // put-back printed by a restore over this dirty database carries --allow-dirty.
        await clean.disconnect();
        const putBack = await restore(clean, '--file', JSON.parse(applied.stdout).changes[0].backup, '--harbor-version', '1.8.6', '--apply', '--yes', '--json');
        expect(putBack.code, putBack.stderr).toBe(0);
        expect(await clean.checksums()).toEqual(before);
        await clean.exec(`UPDATE schema_migrations SET dirty = true`);
        await clean.disconnect();
        const overDirty = await restore(clean, '--file', backup18, '--harbor-version', '1.8.6', '--apply', '--yes', '--json');
        expect(overDirty.code, overDirty.stderr).toBe(0);
        expect(JSON.parse(overDirty.stdout).changes[0].restore[0]).toMatch(/--file \S+pre-restore\.dump --harbor-version 1\.8\.6 --allow-dirty --apply$/);
      });
    } finally {
      await dirtySource.close();
    }
  });
});
