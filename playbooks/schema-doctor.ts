// Reads golang-migrate's schema_migrations (and the legacy alembic_version), says which
// Harbor releases the database fits and why a given image fails on it; with --apply it
// clears a dirty flag the supported way (back to the last good version, so the failed
// migration re-runs), and refuses to force a clean database to an older version.
import { join } from 'node:path';
import { backupFileName, dumpDatabase } from '../src/playbook/backup.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { describeHarbor, detectHarbor, MIGRATION_NUMBERS, releasesForSchemaVersion, schemaFitsRelease } from '../src/playbook/harbor-version.ts';
import { sql, toText } from '../src/playbook/sql.ts';
import type { Finding, Playbook, Step } from '../src/playbook/types.ts';

const FORCING_IS_UNSAFE =
  'Forcing schema_migrations to an older version (as in "update schema_migrations set version=5") does not undo anything: the tables, columns and data changes of the newer migrations stay, while the older core expects the old layout. For example 0010 (1.9.0) drops project_metadata.deleted, which 1.8 still queries, and 0011 (1.9.1) adds sha256 password hashing that 1.8 cannot verify. The next upgrade would then re-run migrations over a schema that already has their changes. Restore the backup taken before the upgrade instead (db-restore).';

/** The migration before `version`: where golang-migrate must restart so the failed one re-runs. */
export function lastGoodVersion(version: number): number | undefined {
  const index = MIGRATION_NUMBERS.indexOf(version);
  return index > 0 ? MIGRATION_NUMBERS[index - 1] : undefined;
}

export const schemaDoctor: Playbook = {
  name: 'schema-doctor',
  title: "Diagnose Harbor's database schema version",
  summary:
    'Reads schema_migrations and alembic_version, says which Harbor releases the database fits, and explains why a given image fails on it (database newer than the image, the 2.1.4–2.1.6 → 2.2.0 gap, a dirty migration). With --apply, after a full backup, it resets a dirty version to the last good one so the failed migration re-runs. It refuses to force a clean database to an older version.',
  remediates: ['core-downgrade-schema'],
  parameters: [
    { name: 'image-version', type: 'version', help: 'The Harbor release whose core image you run or want to run, e.g. 1.8.6.', example: '1.8.6' },
    { name: 'force-version', type: 'integer', min: 1, max: 100000, help: 'For a dirty database only: the version to reset to; must be the last good version (the default).' },
  ],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const db = context.db!;
    const harbor = context.harbor!;
    const image = context.values['image-version'] as string | undefined;
    const force = context.values['force-version'] as number | undefined;
    const findings: Finding[] = [];
    if (harbor.engine === 'mariadb') {
      findings.push({ level: 'info', message: `Harbor ≤1.5 database on MariaDB (alembic_version ${harbor.alembicVersion ?? 'missing'}); golang-migrate schema versions start with PostgreSQL in 1.6, whose migrator converts this database.` });
      if (force !== undefined) throw refuse('--force-version applies to PostgreSQL schema_migrations only');
      return { findings, steps: [] };
    }
    if (harbor.schemaVersion === undefined) throw refuse(`refusing: ${describeHarbor(harbor)}`);
    const version = harbor.schemaVersion;
    findings.push({
      level: harbor.releases ? 'info' : 'warn',
      message: harbor.releases
        ? `schema_migrations version ${version} is Harbor ${harbor.releases}${harbor.dirty ? ' (dirty)' : ''}`
        : version > MIGRATION_NUMBERS.at(-1)! ? `schema_migrations version ${version} is newer than any release this tool knows (up to ${MIGRATION_NUMBERS.at(-1)}, Harbor 2.15): an unreleased build (e.g. 181 = 2.15.3, 190 = 2.16.0)` : `schema_migrations version ${version} is not a released Harbor schema`,
    });
    if (harbor.alembicVersion !== undefined && harbor.alembicVersion !== '1.6.0') {
      findings.push({ level: 'warn', message: `alembic_version is ${harbor.alembicVersion}; Harbor 1.6+ expects 1.6.0 (dao.CheckSchemaVersion)` });
    }
    if (image) {
      const fit = schemaFitsRelease(version, image);
      findings.push({ level: fit.fits ? 'info' : 'problem', message: fit.message, data: { fit: fit.kind, image } });
    }
    const facts = { schemaVersion: version, dirty: harbor.dirty, releases: harbor.releases, alembicVersion: harbor.alembicVersion };
    if (!harbor.dirty) {
      if (force !== undefined) throw refuse(`refusing to force version ${force} on a clean database at ${version}. ${FORCING_IS_UNSAFE}`);
      return { findings, steps: [], facts };
    }

    const good = lastGoodVersion(version);
    findings.push({
      level: 'problem',
      message: `Dirty database version ${version}: migration ${version} failed part-way and core stops with "Dirty database version ${version}. Fix and force version." Find the first real error in core.log and fix its cause (e.g. PostgreSQL older than 9.6, several cores migrating at once), then reset the version so the migration re-runs.`,
    });
    if (good === undefined) throw refuse(`refusing: ${version} is not a released migration, so its last good version is unknown; restore the pre-upgrade backup instead`);
    if (force !== undefined && force !== good) throw refuse(`refusing to force version ${force}: the last good version before ${version} is ${good}. ${FORCING_IS_UNSAFE}`);
    const update = sql`UPDATE schema_migrations SET version = ${good}, dirty = false WHERE version = ${version} AND dirty = true`;
    const backupPath = join(context.backupDir, backupFileName('schema-doctor', 'pre-reset', 'dump'));
    const step: Step = {
      description: `reset schema_migrations from dirty ${version} to ${good} (Harbor ${releasesForSchemaVersion(good) ?? '?'}) so core re-runs migration ${version}`,
      preview: [toText(update, db.engine) + ';'],
      expected: 1,
      backup: async () => {
        const manifest = await dumpDatabase(context.target, harbor, backupPath);
        return { path: backupPath, description: `full dump before the reset (sha256 ${manifest.sha256.slice(0, 12)}…)`, sha256: manifest.sha256 };
      },
      async execute() {
        const [changed] = await db.transaction([update]);
        return { changed: changed ?? 0, detail: `schema_migrations is now (${good}, clean)` };
      },
      async verify() {
        const now = await detectHarbor(db);
        if (now.schemaVersion !== good || now.dirty) throw fail(`schema_migrations reads ${describeHarbor(now)} after the reset`);
        return `schema_migrations = (${good}, dirty=false); start core to re-run migration ${version}`;
      },
    };
    return { findings, steps: [step], facts };
  },
};
