// schema-doctor against real PostgreSQL 15 / MariaDB 10.11 databases in each era's layout.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changedTables } from '../test/support/checksums.ts';
import { runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import type { Era } from '../test/support/harbor-schema.ts';
import { PATH_WITH_POSTGRES as PATH, useTestServers } from '../test/support/servers.ts';
import { lastGoodVersion } from './schema-doctor.ts';

const servers = useTestServers();


async function doctor(db: HarborDb, ...args: string[]) {
  const result = await runCli(['run', 'schema-doctor', '--db-url', db.url, '--backup-dir', servers.dir, '--json', ...args], { env: { PATH } });
  return { ...result, json: result.stdout ? JSON.parse(result.stdout) : undefined };
}

async function withDb(era: Era, test: (db: HarborDb) => Promise<void>, setup?: string): Promise<void> {
  const db = await createHarborDb(era, servers);
  try {
    if (setup) await db.exec(setup);
    await test(db);
  } finally {
    await db.close();
  }
}

it.each([
  ['1.7.8' as Era, '1.7.0–1.7.8'],
  ['1.8.6' as Era, '1.8.2–1.8.6'],
  ['1.9.4' as Era, '1.9.4'],
  ['1.10.19' as Era, '1.10.x'],
  ['2.1.6' as Era, '2.1.4–2.1.6'],
  ['2.15.2' as Era, '2.15.0–2.15.2'],
])('Harbor %s: names the releases the schema fits and has nothing to do', (era, releases) =>
  withDb(era, async (db) => {
    const before = await db.checksums();
    const result = await doctor(db, '--apply', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.harbor.releases).toBe(releases);
    expect(result.json.changes).toEqual([]);
    expect(await db.checksums()).toEqual(before);
  }));

it('MariaDB (Harbor 1.5): recognised by its tables and alembic_version', () =>
  withDb('1.5.0', async (db) => {
    const result = await doctor(db);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.findings[0].message).toMatch(/Harbor ≤1\.5 database on MariaDB \(alembic_version 1\.5\.0\)/);
  }));

describe('explains why an image fails', () => {
  it('1.9.4 database, 1.8.6 image: database newer than the image', () =>
    withDb('1.9.4', async (db) => {
      const result = await doctor(db, '--image-version', '1.8.6');
      expect(result.code).toBe(0);
      const problem = result.json.findings.find((finding: { level: string }) => finding.level === 'problem');
      expect(problem.data.fit).toBe('newer');
      expect(problem.message).toMatch(/file does not exist/);
      expect(problem.message).toMatch(/db-restore/);
    }));

  it('2.1.6 database, 2.2.0 image: the missing 0041 migration', () =>
    withDb('2.1.6', async (db) => {
      const result = await doctor(db, '--image-version', '2.2.0');
      expect(result.json.findings.find((finding: { level: string }) => finding.level === 'problem').message).toMatch(/2\.2\.1 or later/);
    }));

  it('1.10 database, 2.15 image: an upgrade core performs itself… unless the legacy data migration is gone', () =>
    withDb('1.10.19', async (db) => {
      const result = await doctor(db, '--image-version', '2.15.0');
      expect(result.json.findings.find((finding: { data?: { fit: string } }) => finding.data?.fit).data.fit).toBe('too-old');
      const upgrade = await doctor(db, '--image-version', '2.0.0');
      expect(upgrade.json.findings.find((finding: { data?: { fit: string } }) => finding.data?.fit).data.fit).toBe('upgrade');
    }));

  it('an unreleased schema version is reported as such', () =>
    withDb('2.15.2', async (db) => {
      const result = await doctor(db);
      expect(result.json.findings[0].message).toMatch(/newer than any release this tool knows/);
    }, 'UPDATE schema_migrations SET version = 190'));
});

describe('a dirty schema', () => {
  it('dry-run changes nothing; --apply backs up, resets to the last good version and clears dirty; a second run has nothing to do', () =>
    withDb('1.9.4', async (db) => {
      const before = await db.checksums();
      const dryRun = await doctor(db);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.json.changes[0].preview[0]).toBe('UPDATE schema_migrations SET version = 11, dirty = false WHERE version = 12 AND dirty = true;');
      expect(await db.checksums()).toEqual(before);

      const applied = await doctor(db, '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(existsSync(applied.json.backupPaths[0])).toBe(true);
      expect(await db.exec('SELECT version, dirty FROM schema_migrations')).toEqual([{ version: '11', dirty: false }]);
      expect(changedTables(before, await db.checksums())).toEqual(['schema_migrations']);

      const again = await doctor(db, '--apply', '--yes');
      expect(again.code).toBe(0);
      expect(again.json.changes).toEqual([]);
    }, 'UPDATE schema_migrations SET dirty = true'));

  it('--force-version must be the last good version', () =>
    withDb('2.15.2', async (db) => {
      const before = await db.checksums();
      const refused = await doctor(db, '--force-version', '5', '--apply', '--yes');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/last good version before 180 is 171/);
      expect(await db.checksums()).toEqual(before);
      const accepted = await doctor(db, '--force-version', '171', '--apply', '--yes');
      expect(accepted.code, accepted.stderr).toBe(0);
    }, 'UPDATE schema_migrations SET dirty = true'));
});

it('refuses to force a clean database to an older version, and says why (exit 2)', () =>
  withDb('1.9.4', async (db) => {
    const before = await db.checksums();
    const result = await doctor(db, '--force-version', '5', '--apply', '--yes');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to force version 5 on a clean database at 12/);
    expect(result.stderr).toMatch(/project_metadata\.deleted/);
    expect(await db.checksums()).toEqual(before);
  }));

it('last good versions follow the released migration files', () => {
  expect([12, 15, 30, 41, 50, 180, 1].map(lastGoodVersion)).toEqual([11, 12, 15, 40, 41, 171, undefined]);
});
