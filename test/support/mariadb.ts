// A real MariaDB 10.11 for tests: a throwaway datadir in a temp dir, on a random loopback
// port. root@127.0.0.1 gets a password so tests can exercise password handling over TCP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freeLoopbackPort } from './net.ts';

export interface MariadbServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The server process (tests stop and continue it). */
  pid: number;
  /** mysql://root:password@host:port/<database> */
  url(database: string): string;
  connection(database?: string): Promise<mysql.Connection>;
  createDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function waitForSocket(socket: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited: ${log()}`);
    try {
      const probe = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await probe.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`mariadbd did not start: ${log()}`);
}

export async function startMariadb(): Promise<MariadbServer> {
  const root = mkdtempSync(join(tmpdir(), 'hkb-my-'));
  const dataDir = join(root, 'data');
  const socket = join(root, 'sock');
  const uid = Number(spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).stdout.trim());
  chownSync(root, uid, gid);
  const install = spawnSync(
    'mariadb-install-db',
    ['--user=mysql', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const port = await freeLoopbackPort();
  let stderr = '';
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${join(root, 'pid')}`,
      '--innodb-buffer-pool-size=256M',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--skip-log-bin',
      '--character-set-server=utf8mb3',
      '--collation-server=utf8mb3_general_ci',
      // Harbor 1.5 ran MariaDB 10.2, where explicit_defaults_for_timestamp was OFF (see the schema README).
      '--explicit-defaults-for-timestamp=OFF',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await waitForSocket(socket, child, () => stderr);

  const password = 'my-test-secret-' + Math.random().toString(36).slice(2);
  const admin = await mysql.createConnection({ socketPath: socket, user: 'root' });
  await admin.query(`CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY '${password}'`);
  await admin.query(`GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION`);
  await admin.end();

  const server: MariadbServer = {
    host: '127.0.0.1',
    port,
    user: 'root',
    password,
    pid: child.pid!,
    url: (database) => `mysql://root:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    connection: (database) => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password, database, multipleStatements: true }),
    async createDatabase(name) {
      const connection = await server.connection();
      try {
        await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb3`);
      } finally {
        await connection.end();
      }
    },
    async dropDatabase(name) {
      const connection = await server.connection();
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
    async stop() {
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return server;
}
