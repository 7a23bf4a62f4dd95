// schema-doctor against real PostgreSQL 15 / MariaDB 10.11 databases in each era's layout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changedTables } from '../test/support/checksums.ts';
import { CLI, runCli } from '../test/support/cli.ts';
import { withHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import type { Era } from '../test/support/harbor-schema.ts';
import { expectRefusedUnchanged } from '../test/support/refusals.ts';
import { PATH_WITH_POSTGRES as PATH, useTestServers } from '../test/support/servers.ts';
import { applyHarborMigrations, harborMigrationSql } from '../test/support/harbor-migrations.ts';
import { runOnTerminal } from '../test/support/terminal.ts';

const servers = useTestServers();

async function doctor(db: HarborDb, ...args: string[]) {
  const result = await runCli(['run', 'schema-doctor', '--db-url', db.url, '--backup-dir', servers.dir, '--json', ...args], { env: { PATH } });
  return { ...result, json: result.stdout ? JSON.parse(result.stdout) : undefined };
}

/** A database in `era`'s layout, `setup` (SQL, or a function) run on it before `test`. */
const withDb = (era: Era | 'empty', test: (db: HarborDb) => Promise<void>, setup: string | ((db: HarborDb) => Promise<unknown>) = '') =>
  withHarborDb(era, servers, async (db) => {
    if (typeof setup === 'function') await setup(db);
    else if (setup) await db.exec(setup);
    await test(db);
  });

/** A database built by Harbor's own migration files for `release`, then `setup` run on it. */
const withRelease = (release: string, setup: (db: HarborDb) => Promise<unknown>, test: (db: HarborDb) => Promise<void>) =>
  withDb('empty', test, async (db) => {
    await applyHarborMigrations(db, release);
    await setup(db);
  });

/** schema-doctor refused (exit 2) with `message`, nothing changed. */
const refused = (db: HarborDb, message: RegExp, ...args: string[]) => expectRefusedUnchanged(db, () => doctor(db, ...args), message);

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
    expect(result.json.findings.filter((finding: { level: string }) => finding.level === 'problem')).toEqual([]);
    expect(await db.checksums()).toEqual(before);
  }),
);

it('MariaDB (Harbor 1.5): recognised by its tables and alembic_version', () =>
  withDb('1.5.0', async (db) => {
    const result = await doctor(db);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.findings[0].message).toMatch(/Harbor ≤1\.5 database on MariaDB \(alembic_version 1\.5\.0\)/);
  }));

it('MariaDB (Harbor 1.5): --image-version says whether that core starts on it, and changes nothing', () =>
  withDb('1.5.0', async (db) => {
    const before = await db.checksums();
    const fitOf = async (image: string) => {
      const result = await doctor(db, '--image-version', image, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      expect(result.json.changes).toEqual([]);
      return result.json.findings.find((finding: { data?: { image?: string } }) => finding.data?.image === image);
    };
    expect(await fitOf('1.5.2')).toMatchObject({ level: 'info', data: { fit: 'same' } });
    expect(await fitOf('1.4.0')).toMatchObject({ level: 'problem', data: { fit: 'newer' }, message: expect.stringContaining('expected 1.4.0, got 1.5.0') });
    expect(await fitOf('2.0.0')).toMatchObject({ level: 'problem', data: { fit: 'engine' }, message: expect.stringContaining('harbor-migrator:v1.6.x') });
    expect(await db.checksums()).toEqual(before);
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
    withDb(
      '2.15.2',
      async (db) => {
        const result = await doctor(db);
        expect(result.json.findings[0].message).toMatch(/newer than any release this tool knows/);
      },
      'UPDATE schema_migrations SET version = 190',
    ));
});

describe('a dirty schema', () => {
  it('dry-run changes nothing; --apply backs up, resets to the last good version and clears dirty; a second run has nothing to do', () =>
    withDb(
      '1.9.4',
      async (db) => {
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
      },
      'UPDATE schema_migrations SET dirty = true',
    ));

  it('--force-version must be the last good version', () =>
    withDb(
      '2.15.2',
      async (db) => {
        await refused(db, /Harbor 2\.15\.0–2\.15\.2 ships migration 171 right before 180/, '--force-version', '5', '--apply', '--yes');
        const accepted = await doctor(db, '--force-version', '171', '--apply', '--yes');
        expect(accepted.code, accepted.stderr).toBe(0);
      },
      'UPDATE schema_migrations SET dirty = true',
    ));

  it('confirm before change: the dirty row cleaned while the operator confirms refuses the apply (exit 2), nothing of ours changed', () =>
    withDb(
      '1.9.4',
      async (db) => {
        const argv = [process.execPath, CLI, 'run', 'schema-doctor', '--db-url', db.url, '--backup-dir', servers.dir, '--apply'];
        // Someone (core, or another operator) fixes the row while the question is on screen.
        const meanwhile = () =>
          void spawnSync('psql', [db.url, '-X', '-q', '-c', 'UPDATE schema_migrations SET dirty = false'], { env: { ...process.env, PATH } });
        const result = await runOnTerminal(argv, [{ when: 'Type "yes"', type: 'yes', before: meanwhile }], { PATH });
        expect(result.code, result.screen).toBe(2);
        expect(result.screen).toMatch(/schema_migrations is no longer dirty at 12 \(it changed since the plan\); nothing was changed/);
        expect(await db.exec('SELECT version, dirty FROM schema_migrations')).toEqual([{ version: '12', dirty: false }]);
      },
      'UPDATE schema_migrations SET dirty = true',
    ));
});

it('refuses to force a clean database to an older version, and says why (exit 2)', () =>
  withDb('1.9.4', async (db) => {
    const result = await refused(db, /refusing to force version 5 on a clean database at 12/, '--force-version', '5', '--apply', '--yes');
    expect(result.stderr).toMatch(/project_metadata\.deleted/);
  }));

const version = async (db: HarborDb) => (await db.exec('SELECT version, dirty FROM schema_migrations'))[0];
const resetTo = (result: { json: { changes: { preview: string[] }[] } }) => /SET version = (\d+)/.exec(result.json.changes[0]!.preview[0]!)?.[1];

describe("where a dirty database restarts comes from releases.tsv (Harbor's own migrations)", () => {
  // A 2.2.0 core starting on a 2.1.0-2.1.3 database (40) fails in 0050; 2.2.0 ships no 0041.
  const dirtyAt50From40 = (db: HarborDb) => db.exec('UPDATE schema_migrations SET version = 50, dirty = true');

  it('2.2.0 went dirty at 50 from 40: with --image-version 2.2.0 it resets to 40', () =>
    withRelease('2.1.0', dirtyAt50From40, async (db) => {
      const before = await db.checksums();
      const dryRun = await doctor(db, '--image-version', '2.2.0');
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(resetTo(dryRun)).toBe('40');
      expect(await db.checksums()).toEqual(before);
      const applied = await doctor(db, '--image-version', '2.2.0', '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(await version(db)).toEqual({ version: '40', dirty: false });
    }));

  it('without --image-version it will not guess between 40 (2.2.0) and 41 (2.2.1+); --force-version 40 is accepted', () =>
    withRelease('2.1.0', dirtyAt50From40, async (db) => {
      await refused(db, /40 for Harbor 2\.2\.0, 41 for Harbor 2\.2\.1/, '--apply', '--yes');
      const forced = await doctor(db, '--force-version', '40', '--apply', '--yes');
      expect(forced.code, forced.stderr).toBe(0);
      expect(await version(db)).toEqual({ version: '40', dirty: false });
    }));

  it('2.2.1 went dirty at 50 from 41: resets to 41, and --force-version 40 is refused for that image', () =>
    withRelease(
      '2.1.4',
      (db) => db.exec('UPDATE schema_migrations SET version = 50, dirty = true'),
      async (db) => {
        await refused(
          db,
          /refusing to force version 40: Harbor 2\.2\.1 ships migration 41 right before 50/,
          '--image-version',
          '2.2.1',
          '--force-version',
          '40',
          '--apply',
          '--yes',
        );
        expect(await version(db)).toEqual({ version: '50', dirty: true });
        const result = await doctor(db, '--image-version', '2.2.1', '--apply', '--yes');
        expect(result.code, result.stderr).toBe(0);
        expect(await version(db)).toEqual({ version: '41', dirty: false });
      },
    ));

  it('an --image-version that does not ship the dirty migration is refused', () =>
    withRelease('2.1.0', dirtyAt50From40, async (db) => {
      await refused(db, /Harbor 2\.1\.6 does not ship migration 50/, '--image-version', '2.1.6', '--apply', '--yes');
    }));

  it('a 2.1.6 database under a 2.2.0 image: the missing 0041, from the same table', () =>
    withRelease(
      '2.1.6',
      async () => undefined,
      async (db) => {
        const result = await doctor(db, '--image-version', '2.2.0');
        const problem = result.json.findings.find((finding: { level: string }) => finding.level === 'problem');
        expect(problem.data.fit).toBe('gap');
        expect(problem.message).toMatch(/does not contain migration 0041.*upgrade to 2\.2\.1 or later/);
      },
    ));
});

describe('a version lowered by hand that core re-dirtied (goharbor/harbor#9509)', () => {
  // 1.10 schema complete at 15; someone sets the version back to 12; core re-runs 0015, which
  // fails on its own tables, and leaves the database dirty at 15.
  async function lowerAndRerun(db: HarborDb) {
    await db.exec('UPDATE schema_migrations SET version = 12, dirty = false');
    await db.exec('UPDATE schema_migrations SET version = 15, dirty = true');
    await expect(db.exec(harborMigrationSql(15))).rejects.toThrow(/already exists/);
  }

  it('offers 15, the level its tables show, and --force-version 15 is accepted; 12 is refused', () =>
    withRelease('1.10.19', lowerAndRerun, async (db) => {
      const before = await db.checksums();
      const dryRun = await doctor(db);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(resetTo(dryRun)).toBe('15');
      expect(dryRun.stdout).toContain('goharbor/harbor#9509');
      expect(await db.checksums()).toEqual(before);
      await refused(db, /refusing to force version 12: everything migration 15 creates is already there/, '--force-version', '12', '--apply', '--yes');
      const applied = await doctor(db, '--force-version', '15', '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(await version(db)).toEqual({ version: '15', dirty: false });
    }));

  it('a clean version lowered by hand is reported before core re-dirties it', () =>
    withRelease(
      '1.10.19',
      (db) => db.exec('UPDATE schema_migrations SET version = 12'),
      async (db) => {
        const result = await doctor(db);
        expect(result.code, result.stderr).toBe(0);
        const problem = result.json.findings.find((finding: { data?: { schemaLevel?: number } }) => finding.data?.schemaLevel);
        expect(problem.message).toMatch(/says 12, but the tables and columns of migrations up to 15 are there/);
        expect(result.json.changes).toEqual([]);
      },
    ));

  it('lowered further (to 5): the tables of 10-15 exist, so it offers 15 for a dirty 10', () =>
    withRelease(
      '1.10.19',
      async (db) => {
        await db.exec('UPDATE schema_migrations SET version = 10, dirty = true');
        await expect(db.exec(harborMigrationSql(10))).rejects.toThrow(/already exists/);
      },
      async (db) => {
        const result = await doctor(db, '--apply', '--yes');
        expect(result.code, result.stderr).toBe(0);
        expect(await version(db)).toEqual({ version: '15', dirty: false });
      },
    ));

  it('a migration that failed on its first run (its tables missing) restarts before it', () =>
    withRelease(
      '1.9.4',
      (db) => db.exec('UPDATE schema_migrations SET version = 15, dirty = true'),
      async (db) => {
        const result = await doctor(db);
        expect(result.code, result.stderr).toBe(0);
        expect(resetTo(result)).toBe('12');
      },
    ));
});
