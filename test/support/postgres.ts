// A real PostgreSQL 15 for tests: a throwaway cluster in a temp dir, on a random loopback
// port, with password (scram) authentication over TCP so tests can exercise wrong passwords.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freeLoopbackPort } from './net.ts';

export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dataDir: string;
  /** postgres://user:password@host:port/<database> */
  url(database: string): string;
  /** A connected client on `database`; the caller ends it. */
  client(database: string): Promise<pg.Client>;
  /** Creates `name`, empty or as a copy of `template` (which must have no session open). */
  createDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

function uidOf(user: string): { uid: number; gid: number } {
  const read = (flag: string) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  return { uid: read('-u'), gid: read('-g') };
}

function runAsPostgres(args: string[]): void {
  const result = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args[0]} failed: ${result.stderr || result.stdout}`);
}

/** `settings` are extra server parameters (`-c name=value`), e.g. a low max_connections. */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), 'hkb-pg-'));
  const dataDir = join(root, 'data');
  const password = 'pg-test-secret-' + Math.random().toString(36).slice(2);
  const { uid, gid } = uidOf('postgres');
  chownSync(root, uid, gid);
  chmodSync(root, 0o700);
  const pwFile = join(root, 'pwfile');
  writeFileSync(pwFile, password + '\n');
  chownSync(pwFile, uid, gid);
  runAsPostgres([
    join(POSTGRES_BIN, 'initdb'),
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--pwfile',
    pwFile,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  rmSync(pwFile);
  const port = await freeLoopbackPort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB${Object.entries(
    settings,
  )
    .map(([name, value]) => ` -c ${name}=${value}`)
    .join('')}`;
  runAsPostgres([join(POSTGRES_BIN, 'pg_ctl'), '-D', dataDir, '-o', options, '-l', join(root, 'log'), '-w', 'start']);

  const server: PostgresServer = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    dataDir,
    url: (database) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async client(database) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
      await client.connect();
      return client;
    },
    async createDatabase(name, template) {
      const admin = await server.client('postgres');
      try {
        await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
      } finally {
        await admin.end();
      }
    },
    async dropDatabase(name) {
      const admin = await server.client('postgres');
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
    async stop() {
      spawnSync('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop']);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return server;
}
