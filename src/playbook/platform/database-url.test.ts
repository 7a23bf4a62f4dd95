// --db-url against a real PostgreSQL 15: its password, and its sslmode against a real PostgreSQL 15 that accepts the role the playbooks use over
// TLS only (hostssl, and hostnossl rejected), with a certificate from the test CA: the driver and
// the client tools (pg_dump) both connect the way the URL asks, and what cannot be honoured is
// refused. The test's own setup connects as postgres, which the server takes without TLS.
import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../../../test/support/harbor-db.ts';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres.ts';
import { PATH_WITH_POSTGRES } from '../../../test/support/servers.ts';
import { makeTestCertificates, type TestCertificates } from '../../../test/support/tls.ts';

/** The role the playbooks connect as: the server takes it over TLS only. */
const TLS_ROLE = 'harbor_tls';
const TLS_PASSWORD = 'tls-role-secret';

let certs: TestCertificates;
let serverFiles: string;
let postgres: PostgresServer;
let db: HarborDb;
let backups: string;

beforeAll(async () => {
  certs = await makeTestCertificates();
  // The server reads its key only when the postgres user owns it and nobody else can read it.
  serverFiles = mkdtempSync(join(tmpdir(), 'hkb-pg-tls-'));
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const postgresUser = { uid: id('-u'), gid: id('-g') };
  copyFileSync(certs.valid.cert, join(serverFiles, 'server.crt'));
  copyFileSync(certs.valid.key, join(serverFiles, 'server.key'));
  writeFileSync(
    join(serverFiles, 'pg_hba.conf'),
    [
      'local all all trust',
      `hostssl all ${TLS_ROLE} 127.0.0.1/32 scram-sha-256`,
      `hostnossl all ${TLS_ROLE} 127.0.0.1/32 reject`,
      'host all postgres 127.0.0.1/32 scram-sha-256',
    ].join('\n') + '\n',
  );
  for (const file of ['', 'server.crt', 'server.key', 'pg_hba.conf']) chownSync(join(serverFiles, file), postgresUser.uid, postgresUser.gid);
  chmodSync(join(serverFiles, 'server.key'), 0o600);
  postgres = await startPostgres({
    ssl: 'on',
    ssl_cert_file: join(serverFiles, 'server.crt'),
    ssl_key_file: join(serverFiles, 'server.key'),
    hba_file: join(serverFiles, 'pg_hba.conf'),
  });
  db = await createHarborDb('2.15.2', { postgres });
  const admin = await postgres.client('postgres');
  await admin.query(`CREATE ROLE ${TLS_ROLE} LOGIN SUPERUSER PASSWORD '${TLS_PASSWORD}'`);
  await admin.end();
  backups = mkdtempSync(join(tmpdir(), 'hkb-pg-tls-backups-'));
});

afterAll(async () => {
  await db?.close();
  await postgres?.stop();
  certs?.remove();
  for (const dir of [serverFiles, backups]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The database's URL without its password (which goes in PGPASSWORD), with `query` appended. */
const url = (query: string) => `postgres://${TLS_ROLE}@127.0.0.1:${postgres.port}/${db.name}${query}`;
const run = (playbook: string, dbUrl: string, ...extra: string[]) =>
  runCli(['run', playbook, '--db-url', dbUrl, '--backup-dir', backups, ...extra], { env: { PGPASSWORD: TLS_PASSWORD, PATH: PATH_WITH_POSTGRES } });

describe('--db-url sslmode against a server that accepts TLS only', () => {
  it('sslmode=require connects over TLS, through the driver and through pg_dump', async () => {
    const doctor = await run('schema-doctor', url('?sslmode=require'));
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain('over TLS (sslmode=require)');
    const backup = await run('db-backup', url('?sslmode=require'), '--json');
    expect(backup.code, backup.stderr).toBe(0);
  });

  it('sslmode=verify-full with the CA that signed the server certificate connects; with another CA it is refused', async () => {
    const verified = await run('schema-doctor', url(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca.cert)}`));
    expect(verified.code, verified.stderr).toBe(0);
    const wrongCa = await run('schema-doctor', url(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.chartCa.cert)}`));
    expect(wrongCa.code).toBe(2);
    expect(wrongCa.stderr).toMatch(/self-signed certificate in certificate chain|unable to verify|certificate/);
    expect(wrongCa.stderr).not.toMatch(/\n\s+at /);
  });

  it('without sslmode the plain connection is what the server rejects, said in one line (exit 2)', async () => {
    const plain = await run('schema-doctor', url(''));
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/no encryption/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses what it would not honour, before connecting (exit 2)', async () => {
    const cases: [string, RegExp][] = [
      [url('?sslmode=prefer'), /--db-url sslmode must be one of disable, require, verify-ca, verify-full, got prefer/],
      [url('?sslmode=require&connect_timeout=5'), /--db-url parameter connect_timeout is not supported \(only sslmode and sslrootcert\)/],
      [url(`?sslmode=require&sslrootcert=${encodeURIComponent(certs.ca.cert)}`), /sslrootcert is read only with sslmode=verify-ca or verify-full/],
      [url('?sslmode=verify-full&sslrootcert=/no/such/ca.pem'), /sslrootcert \/no\/such\/ca\.pem does not exist/],
      ['mysql://root@127.0.0.1:3306/registry?ssl=true', /--db-url parameter ssl is not supported for MySQL\/MariaDB URLs/],
    ];
    for (const [dbUrl, message] of cases) {
      const result = await run('schema-doctor', dbUrl);
      expect(result.code, dbUrl).toBe(2);
      expect(result.stderr, dbUrl).toMatch(message);
    }
  });
});

describe('--db-url without a password', () => {
  it('off a terminal, with no PGPASSWORD, says the server asks for one (exit 2), not what the driver says', async () => {
    const result = await runCli(['run', 'schema-doctor', '--db-url', url('?sslmode=require'), '--backup-dir', backups], {
      env: { PGPASSWORD: undefined, PATH: PATH_WITH_POSTGRES },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the server asks for the password of ${TLS_ROLE} and none was given: set PGPASSWORD`);
    expect(result.stderr).not.toContain('SASL');
  });
});
