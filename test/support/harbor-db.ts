// Harbor databases for tests: a fresh database per test on the shared servers, loaded with
// one era's schema (built from Harbor's own files), plus table checksums through the same handle.
import { engineOf, loadEra, type Era } from './harbor-schema.ts';
import { mariadbChecksums, postgresChecksums, type Checksums } from './checksums.ts';
import type { MariadbServer } from './mariadb.ts';
import type { PostgresServer } from './postgres.ts';

export interface HarborDb {
  name: string;
  engine: 'postgresql' | 'mariadb';
  url: string;
  /** Runs SQL directly (setup and assertions), bypassing the code under test. */
  exec(statement: string): Promise<Record<string, unknown>[]>;
  checksums(): Promise<Checksums>;
  /** Ends the test's own session (db-restore refuses while others are connected); the next call reconnects. */
  disconnect(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

type Handle = Omit<HarborDb, 'name' | 'engine'>;

async function mariadbHandle(server: MariadbServer, name: string): Promise<Handle> {
  await server.createDatabase(name);
  let connection: Awaited<ReturnType<MariadbServer['connection']>> | undefined;
  const connected = async () => (connection ??= await server.connection(name));
  const disconnect = async () => {
    await connection?.end();
    connection = undefined;
  };
  return {
    url: server.url(name),
    exec: async (statement) => (await (await connected()).query(statement))[0] as Record<string, unknown>[],
    checksums: async () => mariadbChecksums(await connected()),
    disconnect,
    close: async () => {
      await disconnect();
      await server.dropDatabase(name);
    },
  };
}

// Building an era from Harbor's migration files takes up to a few seconds (2.15.2 applies
// about 180 of them); a test file asks for the same era many times. Each era is therefore built
// once per server into a template database, and every test database is a copy of it.
const templates = new Map<string, Promise<string>>();

function postgresTemplate(server: PostgresServer, era: Era): Promise<string> {
  const key = `${server.url('')}|${era}`;
  let template = templates.get(key);
  if (!template) {
    template = (async () => {
      const name = `t${process.pid}_${era.replace(/\W/g, '_')}`;
      await server.createDatabase(name);
      const client = await server.client(name);
      try {
        await loadEra({ exec: async (statement) => (await client.query(statement)).rows }, era);
      } finally {
        await client.end();
      }
      return name;
    })();
    templates.set(key, template);
  }
  return template;
}

async function postgresHandle(server: PostgresServer, name: string, template?: string): Promise<Handle> {
  await server.createDatabase(name, template);
  let client: Awaited<ReturnType<PostgresServer['client']>> | undefined;
  const connected = async () => (client ??= await server.client(name));
  const disconnect = async () => {
    await client?.end();
    client = undefined;
  };
  return {
    url: server.url(name),
    exec: async (statement) => (await (await connected()).query(statement)).rows,
    checksums: async () => postgresChecksums(await connected()),
    disconnect,
    close: async () => {
      await disconnect();
      await server.dropDatabase(name);
    },
  };
}

export async function createHarborDb(
  era: Era | 'empty',
  servers: { postgres: PostgresServer; mariadb?: MariadbServer },
  engine?: 'postgresql' | 'mariadb',
): Promise<HarborDb> {
  const kind = era === 'empty' ? (engine ?? 'postgresql') : engineOf(era);
  const name = `h${process.pid}_${++counter}`;
  const template = kind === 'postgresql' && era !== 'empty' ? await postgresTemplate(servers.postgres, era) : undefined;
  const handle = kind === 'mariadb' ? await mariadbHandle(servers.mariadb!, name) : await postgresHandle(servers.postgres, name, template);
  const db: HarborDb = { name, engine: kind, ...handle };
  if (era !== 'empty' && !template) await loadEra(db, era);
  return db;
}

/** A fresh database of `era` for the length of `test`, closed afterwards whatever the outcome. */
export async function withHarborDb<T>(
  era: Era | 'empty',
  servers: { postgres: PostgresServer; mariadb?: MariadbServer },
  test: (db: HarborDb) => Promise<T>,
): Promise<T> {
  const db = await createHarborDb(era, servers);
  try {
    return await test(db);
  } finally {
    await db.close();
  }
}
