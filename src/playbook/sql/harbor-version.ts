// Which Harbor release a database belongs to, read from the database itself:
// golang-migrate's schema_migrations (PostgreSQL, Harbor 1.6+) or alembic_version plus the
// table set (MariaDB, Harbor <= 1.5). Which migrations a release ships comes from releases.tsv
// (src/lib/harbor-migration-releases.ts); the ranges in src/lib/harbor/schema-releases.ts only name the releases of a version.
import semver from 'semver';
import { MIGRATION_NUMBERS, migrationsOfRelease, RELEASE_MIGRATIONS, releasesShipping } from '../../lib/harbor-migration-releases.ts';
import { SCHEMA_RELEASES } from '../../lib/harbor/schema-releases.ts';
import { refuse } from '../errors.ts';
import { sql, type Database, type Engine } from './sql.ts';

export { SCHEMA_RELEASES };

export { MIGRATION_NUMBERS };

const MARIADB_ALEMBIC = /^1\.[2-5]\.0$/;

export function releasesLabel(from: string, to: string): string {
  if (to.endsWith('.99')) return `${from.replace(/\.0$/, '')}.x`;
  return from === to ? from : `${from}–${to}`;
}

/** The releases a MariaDB alembic_version names: 1.5.0 is Harbor 1.5.x. */
const alembicReleases = (alembic: string) => alembic.replace(/\.0$/, '.x');

export function releasesForSchemaVersion(version: number): string | undefined {
  const entry = SCHEMA_RELEASES.find((release) => release.version === version);
  return entry && releasesLabel(entry.from, entry.to);
}

/** The schema version a Harbor release runs at; 'mariadb' for <= 1.5; undefined if unknown. */
export function schemaVersionForRelease(release: string): number | 'mariadb' | undefined {
  if (semver.lt(release, '1.6.0')) return semver.gte(release, '1.3.0') ? 'mariadb' : undefined;
  const shipped = migrationsOfRelease(release);
  if (shipped) return shipped.at(-1);
  return SCHEMA_RELEASES.find((entry) => semver.gte(release, entry.from) && semver.lte(release, entry.to))?.version;
}

export interface HarborDetection {
  engine: Engine;
  /** PostgreSQL: schema_migrations.version. */
  schemaVersion?: number;
  dirty?: boolean;
  /** alembic_version.version_num ('1.5.0' on MariaDB, '1.6.0' on PostgreSQL). */
  alembicVersion?: string;
  /** The releases this schema belongs to, e.g. "1.8.2–1.8.6"; undefined when unknown. */
  releases?: string;
  /** Why the database was not recognised (then `releases` is undefined). */
  unknownReason?: string;
}

export function describeHarbor(detection: HarborDetection): string {
  const where =
    detection.engine === 'mariadb'
      ? `MariaDB, alembic_version ${detection.alembicVersion ?? 'missing'}`
      : `PostgreSQL, schema_migrations version ${detection.schemaVersion ?? 'missing'}${detection.dirty ? ' (dirty)' : ''}`;
  return detection.releases ? `Harbor ${detection.releases} (${where})` : `unrecognised Harbor database (${where}): ${detection.unknownReason}`;
}

export async function detectHarbor(db: Database): Promise<HarborDetection> {
  const tables = new Set(
    (
      await db.query(
        sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${sql.raw(db.engine === 'postgresql' ? 'current_schema()' : 'DATABASE()')}`,
      )
    ).map((row) => String(row.name)),
  );
  const alembicVersion = tables.has('alembic_version')
    ? (await db.query(sql`SELECT version_num FROM alembic_version`)).map((row) => String(row.version_num))[0]
    : undefined;
  if (db.engine === 'mariadb') {
    const detection: HarborDetection = { engine: 'mariadb', alembicVersion };
    if (!tables.has('replication_job') || !tables.has('project'))
      return { ...detection, unknownReason: 'no Harbor tables (replication_job, project) in this database' };
    if (!alembicVersion || !MARIADB_ALEMBIC.test(alembicVersion))
      return { ...detection, unknownReason: `alembic_version ${alembicVersion ?? 'missing'} is not a known Harbor 1.x MariaDB release` };
    return { ...detection, releases: alembicReleases(alembicVersion) };
  }
  if (!tables.has('schema_migrations'))
    return { engine: 'postgresql', alembicVersion, unknownReason: 'no schema_migrations table: not a Harbor 1.6+ database' };
  const rows = await db.query(sql`SELECT version, dirty FROM schema_migrations`);
  if (rows.length !== 1)
    return { engine: 'postgresql', alembicVersion, unknownReason: `schema_migrations holds ${rows.length} rows; golang-migrate keeps exactly one` };
  const schemaVersion = Number(rows[0]!.version);
  const dirty = rows[0]!.dirty === true || rows[0]!.dirty === 't' || rows[0]!.dirty === 'true';
  const releases = releasesForSchemaVersion(schemaVersion);
  return {
    engine: 'postgresql',
    schemaVersion,
    dirty,
    alembicVersion,
    releases,
    unknownReason: releases ? undefined : `schema version ${schemaVersion} is not a released Harbor schema (known: ${MIGRATION_NUMBERS.join(', ')})`,
  };
}

/** The newest release whose image leaves a database as detected (for a restore command), if known. */
export function newestReleaseAt(detection: HarborDetection): string | undefined {
  if (detection.engine === 'mariadb') return detection.alembicVersion && MARIADB_ALEMBIC.test(detection.alembicVersion) ? detection.alembicVersion : undefined;
  return [...RELEASE_MIGRATIONS]
    .filter(([, numbers]) => numbers.at(-1) === detection.schemaVersion)
    .map(([release]) => release)
    .sort(semver.rcompare)[0];
}

/** Preflight for playbooks that change data: the era must be known and the schema clean. */
export function requireKnownClean(detection: HarborDetection): void {
  if (!detection.releases) throw refuse(`refusing: ${describeHarbor(detection)}`);
  if (detection.dirty) throw refuse(`refusing: the schema is dirty at version ${detection.schemaVersion} (a migration failed); run schema-doctor first`);
}

export interface SchemaFit {
  /**
   * same: the release runs this schema; upgrade: its core migrates it at start; migrator: it
   * starts once that release's migrator image has upgraded the schema (MariaDB, Harbor <= 1.5);
   * otherwise it cannot start.
   */
  kind: 'same' | 'upgrade' | 'migrator' | 'newer' | 'gap' | 'too-old' | 'engine' | 'unknown-release' | 'unknown-schema';
  fits: boolean;
  message: string;
}

/**
 * Whether Harbor `release` can start on a MariaDB database (Harbor <= 1.5) whose alembic_version is
 * `alembic`. Core 1.3-1.5 never migrates its schema: it stops unless alembic_version is exactly its
 * own SchemaVersion (src/common/dao/base.go at v1.5.0). Each release's migration guide
 * (docs/migration_guide.md at its tag) names the image that upgrades it; Harbor 1.6's moves it to
 * PostgreSQL.
 */
export function alembicFitsRelease(alembic: string | undefined, release: string, subject = 'the database'): SchemaFit {
  const expected = schemaVersionForRelease(release);
  if (expected === undefined) return { kind: 'unknown-release', fits: false, message: `Harbor ${release} is not a release this tool knows (1.3–2.15.2)` };
  if (alembic === undefined || !MARIADB_ALEMBIC.test(alembic)) {
    return {
      kind: 'unknown-schema',
      fits: false,
      message: `${subject} has ${alembic === undefined ? 'no alembic_version' : `alembic_version ${alembic}, which is no Harbor 1.x MariaDB release`}, so whether Harbor ${release} starts on it is unknown`,
    };
  }
  const era = alembicReleases(alembic);
  if (expected !== 'mariadb') {
    return {
      kind: 'engine',
      fits: false,
      message: `${subject} is Harbor ${era}'s MariaDB database (alembic_version ${alembic}); Harbor ${release} runs on PostgreSQL and cannot read it. Harbor 1.6's migrator (goharbor/harbor-migrator:v1.6.x, "up") moves it to PostgreSQL`,
    };
  }
  const own = `${semver.major(release)}.${semver.minor(release)}.0`;
  const stops = `core stops with "unexpected database schema version, expected ${own}, got ${alembic}"`;
  if (alembic === own) return { kind: 'same', fits: true, message: `Harbor ${release} expects alembic_version ${own}: it fits` };
  if (semver.gt(alembic, own)) {
    return {
      kind: 'newer',
      fits: false,
      message: `${subject} (alembic_version ${alembic}, Harbor ${era}) is newer than Harbor ${release}: ${stops}. There are no down migrations: run Harbor ${era}, or restore a backup taken before the upgrade`,
    };
  }
  // MySQL (Harbor 1.2) became MariaDB in 1.3: only the 1.2 migrator crosses that step.
  const migrator =
    alembic === '1.2.0'
      ? 'vmware/harbor-db-migrator:1.2 ("up head") first'
      : semver.lt(release, '1.5.0')
        ? `the harbor-db-migrator image of Harbor ${own.replace(/\.0$/, '')} (vmware/harbor-db-migrator, "up head")`
        : `the migrator image of Harbor ${release} (vmware/harbor-migrator:v${release}, "up")`;
  return {
    kind: 'migrator',
    fits: false,
    message: `${subject} (alembic_version ${alembic}, Harbor ${era}) is older than Harbor ${release}, whose ${stops} until ${migrator} has upgraded it`,
  };
}

/** Whether Harbor `release` can start on a database at schema `version` (PostgreSQL); `subject` is what holds that schema, for messages. */
export function schemaFitsRelease(version: number, release: string, subject = 'the database'): SchemaFit {
  const expected = schemaVersionForRelease(release);
  if (expected === undefined) return { kind: 'unknown-release', fits: false, message: `Harbor ${release} is not a release this tool knows (1.3–2.15.2)` };
  if (expected === 'mariadb') return { kind: 'engine', fits: false, message: `Harbor ${release} runs on MariaDB; this is a PostgreSQL database (Harbor 1.6+)` };
  const owner = releasesForSchemaVersion(version) ?? `schema ${version}`;
  if (version === expected) return { kind: 'same', fits: true, message: `Harbor ${release} runs schema version ${expected}: it fits` };
  if (version > expected) {
    return {
      kind: 'newer',
      fits: false,
      message: `${subject} (schema ${version}, Harbor ${owner}) is newer than Harbor ${release} (its migrations stop at ${expected}): core fails with "file does not exist" (1.x) or "no migration found for version ${version}" (2.x). Harbor ships no down migrations: run Harbor ${owner} or later, or restore the backup taken before the upgrade (db-restore --harbor-version ${release})`,
    };
  }
  // golang-migrate looks up the current version among the image's files: a version the image
  // does not ship (0041 of 2.1.4+ under 2.2.0) fails with "file does not exist" (releases.tsv).
  const shipped = migrationsOfRelease(release);
  if (shipped && !shipped.includes(version) && MIGRATION_NUMBERS.includes(version)) {
    const next = releasesShipping(version).find((other) => semver.gt(other, release));
    return {
      kind: 'gap',
      fits: false,
      message: `Harbor ${release} does not contain migration ${String(version).padStart(4, '0')} (Harbor ${owner}), so core fails with "file does not exist": ${next ? `upgrade to ${next} or later instead` : 'run a release that ships it'}`,
    };
  }
  // Minimum source versions enforced in src/migration/migration.go.
  if (semver.satisfies(release, '2.0.x') && version < 10)
    return { kind: 'too-old', fits: false, message: `Harbor ${release} refuses schema ${version}: "please upgrade to version 1.9 first"` };
  if (semver.satisfies(release, '>=2.1.0 <2.9.0') && version < 15)
    return { kind: 'too-old', fits: false, message: `Harbor ${release} refuses schema ${version}: "please upgrade to version 1.10 first"` };
  if (semver.gte(release, '2.9.0') && version < 30)
    return {
      kind: 'too-old',
      fits: false,
      message: `Harbor ${release} no longer has the 1.x→2.0 data migration (removed in 2.9.0): upgrade through 2.0–2.8 first`,
    };
  return {
    kind: 'upgrade',
    fits: true,
    message: `Harbor ${release} will migrate the schema from ${version} to ${expected} when core starts (take a db-backup first)`,
  };
}
