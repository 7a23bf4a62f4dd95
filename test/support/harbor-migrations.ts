// Harbor's database schema of a release, built by applying Harbor's own migration files
// (../shared/harbor-migrations, from goharbor/harbor's make/migrations/postgresql, unmodified)
// exactly as the release's image ships them (src/lib/harbor-migration-releases.ts, the repo's
// copy of releases.tsv): each file as one batch, as golang-migrate runs them, then
// schema_migrations at the last one, not dirty.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsOfRelease } from '../../src/lib/harbor-migration-releases.ts';
import { REPO_ROOT } from './cli.ts';

/** The shared material beside the clone; HARBOR_SHARED points elsewhere. */
export const HARBOR_SHARED = process.env.HARBOR_SHARED ?? join(REPO_ROOT, '..', 'shared');
export const MIGRATIONS_DIR = join(HARBOR_SHARED, 'harbor-migrations');

/** The shared folder when it holds Harbor's migrations (undefined outside a checkout that has it). */
export function sharedDir(): string | undefined {
  return existsSync(MIGRATIONS_DIR) ? HARBOR_SHARED : undefined;
}

/** Anything that runs a batch of SQL statements (a HarborDb, a test's own handle). */
export interface SqlRunner {
  exec(statement: string): Promise<unknown>;
}

function migrationFile(number: number): string {
  const dir = join(MIGRATIONS_DIR, 'postgresql');
  if (!existsSync(dir)) throw new Error(`Harbor's migrations are not at ${MIGRATIONS_DIR} (set HARBOR_SHARED to the folder holding harbor-migrations/)`);
  const name = readdirSync(dir).find((file) => file.startsWith(`${String(number).padStart(4, '0')}_`) && file.endsWith('.up.sql'));
  if (!name) throw new Error(`migration ${number} is missing from ${dir}`);
  return join(dir, name);
}

/** The SQL of migration `number` as Harbor ships it. */
export function harborMigrationSql(number: number): string {
  return readFileSync(migrationFile(number), 'utf8');
}

/** The files `release` ships, in the order Harbor applies them. */
export function migrationFiles(release: string): string[] {
  const tag = release.startsWith('v') ? release : `v${release}`;
  const numbers = migrationsOfRelease(tag.slice(1));
  if (!numbers) throw new Error(`releases.tsv lists no Harbor ${tag}`);
  return [...numbers].sort((a, b) => a - b).map(migrationFile);
}

export const migrationVersion = (file: string) => Number(/(\d+)_[^/]*\.up\.sql$/.exec(file)![1]);

/**
 * Builds `release`'s PostgreSQL schema in the (empty) database behind `db`, as that release's
 * core would have left it after a fresh install.
 */
export async function applyHarborMigrations(db: SqlRunner, release: string): Promise<void> {
  // golang-migrate's own table, created before the first migration; 0030 alters it.
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
  await applyMigrationFiles(db, migrationFiles(release));
}

/** Runs migration files on the database as golang-migrate does: version marked dirty, the file as one batch, then clean. */
export async function applyMigrationFiles(db: SqlRunner, files: readonly string[]): Promise<void> {
  for (const file of files) {
    await db.exec(`DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${migrationVersion(file)}, true)`);
    await db.exec(readFileSync(file, 'utf8'));
    await db.exec(`UPDATE schema_migrations SET dirty = false`);
  }
}

/** Harbor 1.5's MariaDB schema (make/photon/db/registry.sql at v1.5.0), in the current database. */
export function mariadbSchemaV15(): string {
  const text = readFileSync(join(MIGRATIONS_DIR, 'mysql', 'registry-v1.5.0.sql'), 'utf8');
  // The file creates and selects its own database `registry`; the test's database is used instead.
  return text.replace(/^(drop database if exists registry|create database registry[^;]*|use registry);$/gim, '');
}
