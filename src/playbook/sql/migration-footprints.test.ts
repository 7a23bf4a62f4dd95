// Re-derives MIGRATION_FOOTPRINTS and FAILS_WHEN_RERUN from Harbor's own migration files on a
// real PostgreSQL 15: each migration's objects appear exactly when it runs, and re-running it
// over its own result fails exactly for the listed ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import { migrationsOfRelease } from '../../lib/harbor-migration-releases.ts';
import { harborMigrationSql } from '../../../test/support/harbor-migrations.ts';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres.ts';
import { FAILS_WHEN_RERUN, MIGRATION_FOOTPRINTS, migrationsPresent } from './migration-footprints.ts';

let server: PostgresServer;
let client: pg.Client;
beforeAll(async () => {
  server = await startPostgres();
  await server.createDatabase('registry');
  client = await server.client('registry');
});
afterAll(async () => {
  await client?.end();
  await server?.stop();
});

async function objects(): Promise<Set<string>> {
  const { rows } = await client.query(`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'
    UNION ALL SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'`);
  return new Set(rows.map((row: { name: string }) => row.name));
}

it('each footprint appears with its migration, and only the listed migrations fail when re-run', async () => {
  await client.query('CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
  const failing: number[] = [];
  const numbers = migrationsOfRelease('2.15.2')!;
  expect([...MIGRATION_FOOTPRINTS.keys()]).toEqual(numbers);
  for (const [index, number] of numbers.entries()) {
    expect(migrationsPresent(await objects(), [number]), `${number} before it runs`).toEqual([]);
    await client.query(harborMigrationSql(number));
    const present = migrationsPresent(await objects(), numbers.slice(0, index + 1));
    expect(present, `after ${number}`).toEqual(numbers.slice(0, index + 1).filter((n) => MIGRATION_FOOTPRINTS.get(n)!.length > 0));
    await client.query('BEGIN');
    await client.query(harborMigrationSql(number)).catch(() => failing.push(number));
    await client.query('ROLLBACK');
  }
  expect(failing).toEqual([...FAILS_WHEN_RERUN]);
});
