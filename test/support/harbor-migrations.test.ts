// The era schemas the database playbook tests use are Harbor's own migrations, applied as
// releases.tsv lists them: each release ends at its own last migration, clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHarborMigrations, migrationFiles } from './harbor-migrations.ts';
import { startPostgres, type PostgresServer } from './postgres.ts';

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

describe('applyHarborMigrations', () => {
  it.each([
    ['1.10.19', 15, 'project_blob'],
    ['2.2.0', 50, 'execution'],
    ['2.2.4', 53, 'execution'],
  ])('Harbor %s ends at schema_migrations %i, not dirty, with its tables', async (release, version, table) => {
    const name = `m${release.replaceAll('.', '_')}`;
    await postgres.createDatabase(name);
    const client = await postgres.client(name);
    try {
      await applyHarborMigrations({ exec: (statement) => client.query(statement) }, release);
      const { rows } = await client.query('SELECT version, dirty FROM schema_migrations');
      expect(rows).toEqual([{ version: String(version), dirty: false }]);
      const tables = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_name = $1`, [table]);
      expect(tables.rowCount).toBe(1);
    } finally {
      await client.end();
      await postgres.dropDatabase(name);
    }
  });

  it('takes exactly the files releases.tsv lists: 2.2.0 lacks 0041, which 2.1.4+ and 2.2.1+ ship', () => {
    const numbers = (release: string) => migrationFiles(release).map((file) => Number(/(\d{4})_/.exec(file)![1]));
    expect(numbers('2.2.0')).toEqual([1, 2, 3, 4, 5, 10, 11, 12, 15, 30, 31, 40, 50]);
    expect(numbers('v2.2.4')).toContain(41);
    expect(() => migrationFiles('2.2.9')).toThrow(/releases.tsv lists no Harbor v2.2.9/);
  });
});
