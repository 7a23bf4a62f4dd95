// Real Harbor schemas for tests: applies Harbor's own migration files
// (../shared/harbor-migrations/postgresql, unmodified from goharbor/harbor) exactly as the image
// of a release ships them (src/lib/harbor-migration-releases.ts), each file as one batch the way
// golang-migrate runs it, then records the last one in schema_migrations, clean.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsOfRelease } from '../../src/lib/harbor-migration-releases.ts';
import { REPO_ROOT } from './cli.ts';

/** The shared material: $HARBOR_KB_SHARED, or ../shared beside the checkout (or beside its worktree directory). */
export function sharedDir(): string | undefined {
  return [process.env.HARBOR_KB_SHARED, join(REPO_ROOT, '../shared'), join(REPO_ROOT, '../../shared')]
    .find((dir): dir is string => !!dir && existsSync(join(dir, 'harbor-migrations')));
}

/** The SQL of migration `number` as Harbor ships it. */
export function harborMigrationSql(number: number): string {
  const dir = sharedDir();
  if (!dir) throw new Error('Harbor migration files not found: set HARBOR_KB_SHARED or check out ../shared');
  const postgres = join(dir, 'harbor-migrations/postgresql');
  const file = readdirSync(postgres).find((name) => name.startsWith(`${String(number).padStart(4, '0')}_`));
  if (!file) throw new Error(`no migration file ${number} in ${postgres}`);
  return readFileSync(join(postgres, file), 'utf8');
}

/** Builds release `release`'s schema in an empty PostgreSQL database, as its core would on first start. */
export async function applyHarborMigrations(db: { exec(statement: string): Promise<unknown> }, release: string): Promise<void> {
  const numbers = migrationsOfRelease(release);
  if (!numbers) throw new Error(`Harbor ${release} is not in releases.tsv`);
  // golang-migrate's own table; 0030 and 0040 alter it.
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
  for (const number of numbers) await db.exec(harborMigrationSql(number));
  await db.exec('DELETE FROM schema_migrations');
  await db.exec(`INSERT INTO schema_migrations (version, dirty) VALUES (${numbers.at(-1)}, false)`);
}
