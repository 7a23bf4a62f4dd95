// db-backup → db-restore round trips against real PostgreSQL 15 and MariaDB 10.11: a backup
// restores into an empty database and every table checksum matches the source.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { postgresChecksums } from '../test/support/checksums.ts';
import { runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import type { Era } from '../test/support/harbor-schema.ts';
import { PATH_WITH_POSTGRES as PATH, useTestServers } from '../test/support/servers.ts';
import { layoutOf, SEED } from '../test/support/replication-seed.ts';
import { createDatabaseShim } from '../test/support/shim.ts';

const servers = useTestServers();

async function seeded(era: Era): Promise<HarborDb> {
  const db = await createHarborDb(era, servers);
  for (const statement of SEED[layoutOf(era)]) await db.exec(statement);
  return db;
}

async function backup(db: HarborDb, extra: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['run', 'db-backup', ...(extra.length ? extra : ['--db-url', db.url]), '--backup-dir', servers.dir, '--json'], {
    env: { PATH, ...env },
  });
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout);
  return { ...(json.changes[0].data as { path: string; manifest: Record<string, unknown> }), json };
}

describe.each([
  ['1.5.0' as Era, '1.5.0'],
  ['1.8.6' as Era, '1.8.6'],
  ['2.15.2' as Era, '2.15.1'],
])('Harbor %s', (era, release) => {
  it('backs up with schema version and checksum, and restores into an empty database with matching table checksums', async () => {
    const source = await seeded(era);
    const empty = await createHarborDb('empty', servers, source.engine);
    try {
      const before = await source.checksums();
      const { path, manifest, json } = await backup(source);
      const notary = json.findings.map((finding: { message: string }) => finding.message).join('\n');
      expect(notary).toMatch(
        source.engine === 'mariadb' ? /notary-db container .* does NOT include/ : /no notaryserver or notarysigner database on this server/,
      );
      expect(await source.checksums()).toEqual(before);
      expect(existsSync(path)).toBe(true);
      const written = JSON.parse(readFileSync(`${path}.manifest.json`, 'utf8'));
      expect(written).toEqual(manifest);
      expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
      if (source.engine === 'postgresql') expect(written.schemaVersion).toBe(Number(era === '1.8.6' ? 5 : 180));
      else expect(written.alembicVersion).toBe('1.5.0');

      await empty.disconnect();
      const restored = await runCli(
        ['run', 'db-restore', '--db-url', empty.url, '--file', path, '--harbor-version', release, '--apply', '--yes', '--backup-dir', servers.dir],
        { env: { PATH } },
      );
      expect(restored.code, restored.stderr + restored.stdout).toBe(0);
      expect(restored.stdout).toContain('verified:');
      expect(await empty.checksums()).toEqual(before);

      const again = await runCli(
        ['run', 'db-restore', '--db-url', empty.url, '--file', path, '--harbor-version', release, '--apply', '--yes', '--backup-dir', servers.dir],
        { env: { PATH } },
      );
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('Nothing to do.');
      expect(await empty.checksums()).toEqual(before);
    } finally {
      await source.close();
      await empty.close();
    }
  });
});

it('compose target: pg_dump runs inside harbor-db through docker exec (shim) and restores with matching checksums', async () => {
  const source = await seeded('1.9.4');
  const empty = await createHarborDb('empty', servers);
  const shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
  try {
    const before = await source.checksums();
    const { path } = await backup(source, ['--target', 'compose', '--db-name', source.name], { PATH: shim.path });
    expect(shim.calls()).toContainEqual(['docker', 'exec', '-i', 'harbor-db', 'pg_dump', '-U', 'postgres', '-d', source.name, '-Fc']);
    await empty.disconnect();
    const restored = await runCli(
      [
        'run',
        'db-restore',
        '--target',
        'compose',
        '--db-name',
        empty.name,
        '--file',
        path,
        '--harbor-version',
        '1.9.4',
        '--apply',
        '--yes',
        '--backup-dir',
        servers.dir,
      ],
      { env: { PATH: shim.path } },
    );
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(shim.calls()).toContainEqual(['docker', 'exec', '-i', 'harbor-db', 'pg_restore', '-f', '-']);
    expect(shim.calls()).toContainEqual([
      'docker',
      'exec',
      '-i',
      'harbor-db',
      'psql',
      '-U',
      'postgres',
      '-d',
      empty.name,
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '--single-transaction',
    ]);
    expect(await empty.checksums()).toEqual(before);
  } finally {
    shim.cleanup();
    await source.close();
    await empty.close();
  }
});

it("notary's notaryserver and notarysigner databases on the same PostgreSQL are backed up beside Harbor's and restore with pg_restore", async () => {
  const source = await seeded('1.10.19');
  const notary = ['notaryserver', 'notarysigner'];
  const copies: string[] = [];
  try {
    for (const name of notary) {
      await servers.postgres.createDatabase(name);
      const client = await servers.postgres.client(name);
      await client.query(`CREATE TABLE tuf_files (id serial PRIMARY KEY, gun varchar(255), role varchar(255), data bytea)`);
      await client.query(`INSERT INTO tuf_files (gun, role, data) VALUES ('library/app', 'targets', '\\x0102'::bytea), ('library/app', '${name}', NULL)`);
      await client.end();
    }
    const { json } = await backup(source);
    const paths = json.changes.map((change: { data: { path: string } }) => change.data.path);
    expect(paths).toHaveLength(3);
    expect(json.findings.map((finding: { message: string }) => finding.message)).toContain(
      "this server also holds notary's notaryserver and notarysigner: backed up beside Harbor's database",
    );
    for (const [index, name] of notary.entries()) {
      const path = paths[index + 1];
      expect(path).toMatch(new RegExp(`db-backup-${name}\\.dump$`));
      const manifest = JSON.parse(readFileSync(`${path}.manifest.json`, 'utf8'));
      expect(manifest).toMatchObject({ database: name, engine: 'postgresql' });
      // The restore the detail line names, into a fresh database.
      const copy = `${name}_copy_${process.pid}`;
      copies.push(copy);
      await servers.postgres.createDatabase(copy);
      const restored = spawnSync(
        'pg_restore',
        ['--no-owner', '-h', servers.postgres.host, '-p', String(servers.postgres.port), '-U', 'postgres', '-d', copy, path],
        { env: { ...process.env, PATH, PGPASSWORD: servers.postgres.password }, encoding: 'utf8' },
      );
      expect(restored.status, restored.stderr).toBe(0);
      const [original, restoredCopy] = await Promise.all(
        [name, copy].map(async (database) => {
          const client = await servers.postgres.client(database);
          try {
            return await postgresChecksums(client);
          } finally {
            await client.end();
          }
        }),
      );
      expect(restoredCopy).toEqual(original);
      expect(Object.keys(original!)).toEqual(['tuf_files']);
    }
    // A restore of Harbor's database refuses a notary dump.
    const refused = await runCli(
      ['run', 'db-restore', '--db-url', source.url, '--file', paths[1], '--harbor-version', '1.10.19', '--backup-dir', servers.dir],
      { env: { PATH } },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/a dump of the notaryserver database, not Harbor's own/);
  } finally {
    for (const name of [...notary, ...copies]) await servers.postgres.dropDatabase(name);
    await source.close();
  }
});

it('--statement-timeout bounds pg_dump: a server that stops answering mid-dump ends the run with exit 1, no dump and no manifest', async () => {
  const source = await seeded('1.9.4');
  const locker = await servers.postgres.client(source.name);
  const admin = await servers.postgres.client('postgres');
  let stopped: number | undefined;
  try {
    // pg_dump first locks every table it dumps: held here, its backend waits, and is stopped there (SIGSTOP), then the lock goes.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE harbor_user IN ACCESS EXCLUSIVE MODE');
    const dir = mkdtempSync(join(servers.dir, 'stalled-'));
    const run = runCli(['run', 'db-backup', '--db-url', source.url, '--backup-dir', dir, '--statement-timeout', '2', '--json'], { env: { PATH } });
    while (stopped === undefined) {
      const waiting = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_dump' AND wait_event_type = 'Lock'`, [
        source.name,
      ]);
      stopped = waiting.rows[0]?.pid;
      if (stopped === undefined) await sleep(50);
    }
    process.kill(stopped, 'SIGSTOP');
    await locker.query('ROLLBACK');
    const result = await run;
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatch(/backup failed: pg_dump got no answer from the database for 2s \(--statement-timeout 2\)/);
    expect(readdirSync(dir).filter((name) => /\.(dump|json)$/.test(name))).toEqual([]);
  } finally {
    if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
    await locker.end();
    await admin.end();
    await source.close();
  }
});
