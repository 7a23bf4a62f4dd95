// One PostgreSQL 15 and one MariaDB 10.11 per test file, plus a scratch directory, started in
// beforeAll and removed in afterAll. Read the fields inside tests and hooks, not at import.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startMariadb, type MariadbServer } from './mariadb.ts';
import { POSTGRES_BIN, startPostgres, type PostgresServer } from './postgres.ts';

export interface TestServers {
  postgres: PostgresServer;
  mariadb: MariadbServer;
  /** Scratch directory for backups and audit logs. */
  dir: string;
}

/** PATH with the PostgreSQL client tools, which the direct target runs for dumps and restores. */
export const PATH_WITH_POSTGRES = `${POSTGRES_BIN}:${process.env.PATH}`;

export function useTestServers(): TestServers {
  const servers = {} as TestServers;
  beforeAll(async () => {
    [servers.postgres, servers.mariadb] = await Promise.all([startPostgres(), startMariadb()]);
    servers.dir = mkdtempSync(join(tmpdir(), 'hkb-test-'));
  });
  afterAll(async () => {
    await Promise.all([servers.postgres?.stop(), servers.mariadb?.stop()]);
    if (servers.dir) rmSync(servers.dir, { recursive: true, force: true });
  });
  return servers;
}
