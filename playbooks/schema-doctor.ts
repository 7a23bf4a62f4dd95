// Reads golang-migrate's schema_migrations (and the legacy alembic_version), says which
// Harbor releases the database fits and why a given image fails on it; with --apply it
// clears a dirty flag the supported way (back to the last good version, so the failed
// migration re-runs), and refuses to force a clean database to an older version.
import { dumpDatabase } from '../src/playbook/run/backup.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { integer, version } from '../src/playbook/flags.ts';
import { migrationsOfRelease, previousMigration, releasesShipping } from '../src/lib/harbor-migration-releases.ts';
import {
  alembicFitsRelease,
  describeHarbor,
  detectHarbor,
  MIGRATION_NUMBERS,
  releasesForSchemaVersion,
  releasesLabel,
  schemaFitsRelease,
} from '../src/playbook/sql/harbor-version.ts';
import { FAILS_WHEN_RERUN, migrationsPresent, schemaObjects } from '../src/playbook/sql/migration-footprints.ts';
import { sql, toText } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, Step } from '../src/playbook/types.ts';

const FORCING_IS_UNSAFE =
  'Forcing schema_migrations to an older version (as in "update schema_migrations set version=5") does not undo anything: the tables, columns and data changes of the newer migrations stay, while the older core expects the old layout. For example 0010 (1.9.0) drops project_metadata.deleted, which 1.8 still queries, and 0011 (1.9.1) adds sha256 password hashing that 1.8 cannot verify. The next upgrade would then re-run migrations over a schema that already has their changes. Restore the backup taken before the upgrade instead (db-restore).';

/** Where a dirty database can restart, and why; `choices` are the versions --force-version accepts. */
export interface ResetChoice {
  /** Undefined when only the operator can tell (the version before depends on the image). */
  version?: number;
  reason: string;
  choices: number[];
}

/**
 * The version to reset a database left dirty at `dirty` to. Normally the migration before it among
 * those the failing image ships (releases.tsv: 2.2.0 went 40 → 50, 2.2.1+ 41 → 50). But when the
 * schema already holds what `dirty` (or a later migration) creates, the version was lowered by hand
 * and core re-ran a migration whose tables exist (goharbor/harbor#9509): re-running it fails again,
 * so the schema's own level is the answer.
 */
export function resetChoice(dirty: number, objects: ReadonlySet<string>, image?: string): ResetChoice {
  const shippers = image ? [image] : releasesShipping(dirty);
  if (image) {
    if (!migrationsOfRelease(image)) throw refuse(`Harbor ${image} is not a release this tool knows (releases.tsv)`);
    if (!migrationsOfRelease(image)!.includes(dirty))
      throw refuse(
        `refusing: Harbor ${image} does not ship migration ${dirty}, so it did not leave the database dirty there; pass the --image-version that ran when core failed`,
      );
  }
  if (shippers.length === 0)
    throw refuse(`refusing: ${dirty} is not a released migration, so its last good version is unknown; restore the pre-upgrade backup instead`);
  const ladder = [...new Set(shippers.flatMap((release) => migrationsOfRelease(release)!))].sort((a, b) => a - b);
  const level = migrationsPresent(objects, ladder).at(-1);
  if (level !== undefined && (level > dirty || (level === dirty && FAILS_WHEN_RERUN.has(dirty)))) {
    const what =
      level > dirty
        ? `the tables and columns of migrations up to ${level} are already there`
        : `everything migration ${dirty} creates is already there and it fails when run again ("already exists")`;
    return {
      version: level,
      reason: `${what}: the version was lowered by hand and core re-ran a migration over its own result (goharbor/harbor#9509), which fails again from any earlier version, so ${level} is the schema's real level. If instead core.log shows migration ${dirty} failing on its first run, restore the pre-upgrade backup`,
      choices: [level],
    };
  }
  const previous = new Map<number, string[]>();
  for (const release of shippers) {
    const before = previousMigration(release, dirty);
    if (before !== undefined) previous.set(before, [...(previous.get(before) ?? []), release]);
  }
  if (previous.size === 0)
    throw refuse(`refusing: migration ${dirty} is the first one, so there is no earlier version to restart from; drop and recreate the empty database instead`);
  const choices = [...previous.keys()].sort((a, b) => a - b);
  // Its objects exist but it is safe to re-run: restarting before it is the default, staying is allowed.
  const stay = level === dirty ? [dirty] : [];
  if (choices.length > 1) {
    const which = choices.map((version) => `${version} for Harbor ${releasesLabel(previous.get(version)![0]!, previous.get(version)!.at(-1)!)}`).join(', ');
    return {
      reason: `the version before ${dirty} depends on the image that failed: ${which}. Pass --image-version (or --force-version with one of ${choices.join(', ')})`,
      choices: [...choices, ...stay],
    };
  }
  const releases = previous.get(choices[0]!)!;
  return {
    version: choices[0]!,
    reason: `Harbor ${releasesLabel(releases[0]!, releases.at(-1)!)} ships migration ${choices[0]} right before ${dirty}`,
    choices: [...choices, ...stay],
  };
}

export const schemaDoctor = definePlaybook({
  name: 'schema-doctor',
  title: "Diagnose Harbor's database schema version",
  summary:
    "Reads schema_migrations and alembic_version, says which Harbor releases the database fits, and explains why a given image fails on it (database newer than the image, a migration the image does not ship such as 0041 under 2.2.0, a dirty migration). With --apply, after a full backup, it resets a dirty version to the migration before it in the image that failed (from Harbor's releases.tsv), or to the level the schema's tables show when the version had been lowered by hand. It refuses to force a clean database to an older version.",
  remediates: ['core-downgrade-schema'],
  flags: {
    'image-version': version({
      help: 'The Harbor release whose core image you run or want to run, e.g. 1.8.6; for a dirty database, the one that failed (2.2.0 restarts at 40, 2.2.1+ at 41).',
      example: '1.8.6',
    }),
    'force-version': integer({
      min: 1,
      max: 100000,
      help: 'For a dirty database only: the version to reset to; must be one the plan names (the migration before the failed one in the image that ran, from releases.tsv, or the level the schema is already at).',
    }),
  },
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const { db, harbor } = context;
    const image = context.values['image-version'];
    const force = context.values['force-version'];
    const findings: PlanFinding[] = [];
    if (harbor.engine === 'mariadb') {
      findings.push({
        level: 'info',
        message: `Harbor ≤1.5 database on MariaDB (alembic_version ${harbor.alembicVersion ?? 'missing'}); golang-migrate schema versions start with PostgreSQL in 1.6, whose migrator converts this database.`,
      });
      if (force !== undefined) throw refuse('--force-version applies to PostgreSQL schema_migrations only');
      if (image) {
        const fit = alembicFitsRelease(harbor.alembicVersion, image);
        findings.push({ level: fit.fits ? 'info' : 'problem', message: fit.message, data: { fit: fit.kind, image } });
      }
      return { findings, steps: [] };
    }
    if (harbor.schemaVersion === undefined) throw refuse(`refusing: ${describeHarbor(harbor)}`);
    const version = harbor.schemaVersion;
    findings.push({
      level: harbor.releases ? 'info' : 'warn',
      message: harbor.releases
        ? `schema_migrations version ${version} is Harbor ${harbor.releases}${harbor.dirty ? ' (dirty)' : ''}`
        : version > MIGRATION_NUMBERS.at(-1)!
          ? `schema_migrations version ${version} is newer than any release this tool knows (up to ${MIGRATION_NUMBERS.at(-1)}, Harbor 2.15): an unreleased build (e.g. 181 = 2.15.3, 190 = 2.16.0)`
          : `schema_migrations version ${version} is not a released Harbor schema`,
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
      const level = migrationsPresent(await schemaObjects(db)).at(-1);
      if (level !== undefined && level > version) {
        findings.push({
          level: 'problem',
          message: `schema_migrations says ${version}, but the tables and columns of migrations up to ${level} are there: the version was lowered by hand. The next core start re-runs the migrations after ${version} over their own tables and stops dirty (goharbor/harbor#9509); run schema-doctor again then, or restore the pre-upgrade backup.`,
          data: { schemaLevel: level },
        });
      }
      return { findings, steps: [], facts };
    }

    findings.push({
      level: 'problem',
      message: `Dirty database version ${version}: migration ${version} failed part-way and core stops with "Dirty database version ${version}. Fix and force version." Find the first real error in core.log and fix its cause (e.g. PostgreSQL older than 9.6, several cores migrating at once), then reset the version so the migration re-runs.`,
    });
    const choice = resetChoice(version, await schemaObjects(db), image);
    if (force !== undefined && !choice.choices.includes(force)) throw refuse(`refusing to force version ${force}: ${choice.reason}. ${FORCING_IS_UNSAFE}`);
    if (force === undefined && choice.version === undefined) throw refuse(`refusing to guess: ${choice.reason}`);
    const good = force ?? choice.version!;
    const after = good < version ? `so core re-runs migration ${version}` : `the level its tables show; core then runs only the migrations after ${good}`;
    findings.push({ level: 'info', message: `reset to ${good}: ${choice.reason}`, data: { resetTo: good, choices: choice.choices } });
    const update = sql`UPDATE schema_migrations SET version = ${good}, dirty = false WHERE version = ${version} AND dirty = true`;
    const backupPath = context.backupPath('pre-reset', 'dump');
    const step: Step = {
      description: `reset schema_migrations from dirty ${version} to ${good} (Harbor ${releasesForSchemaVersion(good) ?? '?'}), ${after}`,
      preview: [toText(update, db.engine) + ';'],
      expected: 1,
      backup: async () => {
        const manifest = await dumpDatabase(context.target, harbor, backupPath, context.values['statement-timeout']);
        return {
          path: backupPath,
          description: `full dump before the reset (sha256 ${manifest.sha256.slice(0, 12)}…)`,
          sha256: manifest.sha256,
          restore: [`harbor-kb run db-restore --file ${backupPath} --harbor-version <the release that ran> --allow-dirty --apply`],
        };
      },
      async execute() {
        const [changed] = await db.transaction([update]);
        // The WHERE re-checks the dirty row itself: core may have moved on since the plan. A row
        // that is healthy now is a refusal (exit 2), as the contract says, not a failure.
        if (changed !== 1)
          throw refuse(`schema_migrations is no longer dirty at ${version} (it changed since the plan); nothing was changed, rerun to see its state`);
        return { changed, detail: `schema_migrations is now (${good}, clean)` };
      },
      async verify() {
        const now = await detectHarbor(db);
        if (now.schemaVersion !== good || now.dirty) throw fail(`schema_migrations reads ${describeHarbor(now)} after the reset`);
        return `schema_migrations = (${good}, dirty=false); start core: ${after}`;
      },
    };
    return { findings, steps: [step], facts };
  },
});
