// reset-admin-password against real PostgreSQL 15 with the schema Harbor's own migrations build
// for 1.8.6 (no password_version: SHA1 era), 1.10.19 and 2.15.2. That core accepts the hash is
// proven by logging in to the real Harbor 1.10.18 (test/real-harbor/reset-admin-password.test.ts);
// here: the column and scheme each era gets, dry-run, restore, idempotence and refusals.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, runCliSync } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import type { Era } from '../test/support/harbor-schema.ts';
import { PATH_WITH_POSTGRES as PATH, useTestServers } from '../test/support/servers.ts';
import { killWhenWaiting, postgresLockWaiter } from '../test/support/lock-and-kill.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { startHarborStandIn } from '../test/support/harbor-stand-in.ts';
import { createDatabaseShim } from '../test/support/shim.ts';

const servers = useTestServers();
const NEW_PASSWORD = 'Fresh-Admin-Pass-42';

/** The admin row as core leaves it after its first start with some password (values only need to be non-empty). */
async function seededAdmin(era: Era): Promise<HarborDb> {
  const db = await createHarborDb(era, servers);
  await db.exec(`UPDATE harbor_user SET password = 'aaaabbbbccccdddd0000111122223333', salt = 'oldsaltoldsaltoldsaltoldsalt1234' WHERE user_id = 1`);
  return db;
}

async function adminRow(db: HarborDb): Promise<Record<string, unknown>> {
  const [row] = await db.exec('SELECT * FROM harbor_user WHERE user_id = 1');
  return { ...row, update_time: undefined };
}

function reset(db: HarborDb, extra: string[], env: Record<string, string> = {}) {
  return runCli(['run', 'reset-admin-password', '--db-url', db.url, '--backup-dir', servers.dir, '--json', ...extra], {
    env: { PATH, NEW_ADMIN: NEW_PASSWORD, ...env },
  });
}

/** PBKDF2 as Harbor's utils.Encrypt computes it (4096 rounds, 16 bytes, hex), by openssl rather than this repository's code. */
function openSslPbkdf2(password: string, salt: string, digest: 'SHA1' | 'SHA256'): string {
  const options = [`digest:${digest}`, `pass:${password}`, `salt:${salt}`, 'iter:4096'].flatMap((option) => ['-kdfopt', option]);
  const result = spawnSync('openssl', ['kdf', '-keylen', '16', ...options, 'PBKDF2'], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim().replace(/:/g, '').toLowerCase();
}

/** What the page's fix says each era gets. */
const SCHEMES: [Era, string, string | undefined][] = [
  ['1.7.8', 'sha1', undefined],
  ['1.8.6', 'sha1', undefined],
  ['1.10.19', 'sha256', 'sha256'],
  ['2.1.6', 'sha256', 'sha256'],
  ['2.15.2', 'sha256', 'sha256'],
];

describe.each(SCHEMES)('Harbor %s', (era, scheme, column) => {
  it('dry-run changes nothing; --apply writes the hash, exits 3 without a login check; the restore script puts the row back; a rerun has nothing to do', async () => {
    const db = await seededAdmin(era);
    try {
      const before = await db.checksums();
      const oldRow = await adminRow(db);
      const dry = await reset(db, ['--password-env', 'NEW_ADMIN']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(await db.checksums()).toEqual(before);
      expect(dry.stdout + dry.stderr).not.toContain(NEW_PASSWORD);
      const planned = JSON.parse(dry.stdout);
      expect(planned.facts.scheme).toBe(scheme);
      expect(planned.changes[0].preview[0]).toContain('<new hash>');

      const applied = await reset(db, ['--password-env', 'NEW_ADMIN', '--apply', '--yes']);
      expect(applied.code, applied.stderr).toBe(3);
      expect(applied.stderr).toMatch(/the login was not checked/);
      expect(applied.stdout + applied.stderr).not.toContain(NEW_PASSWORD);
      const result = JSON.parse(applied.stdout);
      const now = await adminRow(db);
      expect(now.password).not.toBe(oldRow.password);
      expect(String(now.salt)).toMatch(/^[a-z0-9]{32}$/);
      expect(String(now.password)).toMatch(/^[0-9a-f]{32}$/);
      expect(now.password_version).toBe(column);
      // The hash is the one core computes (utils.Encrypt: PBKDF2 with that era's HMAC, 4096 rounds, 16 bytes, hex), worked out by openssl.
      expect(now.password).toBe(openSslPbkdf2(NEW_PASSWORD, String(now.salt), scheme === 'sha1' ? 'SHA1' : 'SHA256'));
      // The backup is a script that only its owner can read.
      const [restore] = result.restore as string[];
      const script = String(restore).split(' < ').at(-1) ?? '';
      expect(readFileSync(script, 'utf8')).toContain(String(oldRow.password));
      const rerun = await reset(db, ['--password-env', 'NEW_ADMIN', '--apply', '--yes']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).findings[0].message).toMatch(/already has this password: nothing to do/);

      const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH, PGPASSWORD: servers.postgres.password }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await adminRow(db)).toEqual(oldRow);
    } finally {
      await db.close();
    }
  });

  it('an admin whose core never started (salt NULL, as 0001_initial_schema leaves it): --apply writes the hash; the restore puts NULL back', async () => {
    const db = await createHarborDb(era, servers);
    try {
      const oldRow = await adminRow(db);
      expect(oldRow.salt).toBeNull();
      const applied = await reset(db, ['--password-env', 'NEW_ADMIN', '--apply', '--yes']);
      expect(applied.code, applied.stderr).toBe(3);
      expect(applied.stderr).toMatch(/the login was not checked/);
      const result = JSON.parse(applied.stdout);
      expect(result.findings[0].message).toMatch(/^admin has no salt yet/);
      const now = await adminRow(db);
      expect(now.password).toBe(openSslPbkdf2(NEW_PASSWORD, String(now.salt), scheme === 'sha1' ? 'SHA1' : 'SHA256'));
      const [restore] = result.restore as string[];
      const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH, PGPASSWORD: servers.postgres.password }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await adminRow(db)).toEqual(oldRow);
    } finally {
      await db.close();
    }
  });
});

describe('inputs and refusals (Harbor 1.10.19)', () => {
  it.each([
    ['compose', ['--target', 'compose'], /^docker exec -i harbor-db psql -U postgres -d \S+ -X -v ON_ERROR_STOP=1 < \S+harbor_user-restore\.sql$/],
    [
      'k8s',
      ['--target', 'k8s'],
      /^kubectl -n default exec -i harbor-database-0 -c database -- psql -U postgres -d \S+ -X -v ON_ERROR_STOP=1 < \S+harbor_user-restore\.sql$/,
    ],
  ])(
    '%s: reads the password from stdin, never prints it, and its restore command works through the same place',
    async (_target, targetArgs, restoreCommand) => {
      const db = await seededAdmin('1.10.19');
      const oldRow = await adminRow(db);
      const shim = createDatabaseShim({ engine: 'postgresql', host: '127.0.0.1', port: servers.postgres.port, password: servers.postgres.password });
      try {
        const name = new URL(db.url).pathname.slice(1);
        const result = runCliSync(
          ['run', 'reset-admin-password', ...targetArgs, '--db-name', name, '--password-file', '-', '--backup-dir', servers.dir, '--apply', '--yes', '--json'],
          { env: { PATH: shim.path }, input: `${NEW_PASSWORD}\n`, timeoutMs: 60_000 },
        );
        expect(result.code, result.stderr).toBe(3);
        expect(result.stdout + result.stderr).not.toContain(NEW_PASSWORD);
        const [restore] = JSON.parse(result.stdout).restore as string[];
        expect(restore).toMatch(restoreCommand);
        expect((await adminRow(db)).password_version).toBe('sha256');
        const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH: shim.path }, encoding: 'utf8' });
        expect(restored.status, restored.stderr).toBe(0);
        expect(await adminRow(db)).toEqual(oldRow);
      } finally {
        shim.cleanup();
        await db.close();
      }
    },
  );

  it('confirm before change: a password set by someone else while the apply waits for the row refuses it (exit 2), nothing of ours written', async () => {
    const db = await seededAdmin('1.10.19');
    const locker = await servers.postgres.client(db.name);
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT user_id FROM harbor_user WHERE user_id = 1 FOR UPDATE');
      const run = reset(db, ['--password-env', 'NEW_ADMIN', '--apply', '--yes']);
      // Someone changes the admin password through Harbor while the playbook's UPDATE waits for the row.
      const changed = await killWhenWaiting(postgresLockWaiter(locker, db.name, 'UPDATE harbor_user%'), async () => {
        await locker.query(`UPDATE harbor_user SET password = 'ffffeeeeddddcccc0000111122223333', salt = 'setbysomeoneelsesetbysomeone123' WHERE user_id = 1`);
        await locker.query('COMMIT');
      });
      expect(changed).toBe(true);
      const before = await db.checksums();
      const result = await run;
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/changed since the plan read it .*nothing changed/);
      expect(await db.checksums()).toEqual(before);
      expect((await adminRow(db)).salt).toBe('setbysomeoneelsesetbysomeone123');
    } finally {
      await locker.end();
      await db.close();
    }
  });

  it.each([
    ['no password source', [], {}, /no new password given|exactly one|one of/],
    ['an unset variable', ['--password-env', 'NOT_SET_HERE'], {}, /not set/],
    ['a weak password', ['--password-env', 'WEAK'], { WEAK: 'harbor' }, /Harbor's own rule/],
    ['an unknown user', ['--password-env', 'NEW_ADMIN', '--username', 'nobody'], {}, /no local user named nobody/],
    ['a credentials URL', ['--password-env', 'NEW_ADMIN', '--harbor-url', 'http://admin:x@127.0.0.1:9'], {}, /must not carry credentials/],
  ])('refuses %s with exit 2 and changes nothing', async (_what, args, env, message) => {
    const db = await seededAdmin('1.10.19');
    try {
      const before = await db.checksums();
      const result = await reset(db, [...args, '--apply', '--yes'], env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('refuses a non-admin user under LDAP auth, but resets the admin there (admin always logs in against the database)', async () => {
    const db = await seededAdmin('1.10.19');
    try {
      await db.exec(`INSERT INTO properties (k, v) VALUES ('auth_mode', 'ldap_auth')`);
      await db.exec(
        `INSERT INTO harbor_user (username, email, password, salt, realname, sysadmin_flag, deleted) VALUES ('alice', 'alice@example.com', '', '', 'Alice', false, false)`,
      );
      const before = await db.checksums();
      const alice = await reset(db, ['--password-env', 'NEW_ADMIN', '--username', 'alice', '--apply', '--yes']);
      expect(alice.code, alice.stderr).toBe(2);
      expect(alice.stderr).toMatch(/auth_mode is ldap_auth: alice logs in through that service/);
      expect(await db.checksums()).toEqual(before);
      const admin = await reset(db, ['--password-env', 'NEW_ADMIN']);
      expect(admin.code, admin.stderr).toBe(0);
      expect(admin.stdout).toMatch(/always logs in against the database/);
    } finally {
      await db.close();
    }
  });
});

describe('--harbor-url: checked before the change, logged in after it (Harbor 1.10.19)', () => {
  it('an unreachable --harbor-url is refused in the plan (exit 2), before the hash is written', async () => {
    const db = await seededAdmin('1.10.19');
    try {
      const before = await db.checksums();
      const closed = await freeLoopbackPort();
      for (const mode of [[], ['--apply', '--yes']]) {
        const result = await reset(db, ['--password-env', 'NEW_ADMIN', '--harbor-url', `http://127.0.0.1:${closed}`, ...mode]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(
          /cannot reach Harbor at --harbor-url \(GET http:\/\/127\.0\.0\.1:\d+\/api\/users\/current: ECONNREFUSED\); nothing changed/,
        );
      }
      expect(await db.checksums()).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('a --harbor-url that is not Harbor’s API (the route answers 404, not 401 without credentials) is refused in the plan (exit 2)', async () => {
    const db = await seededAdmin('1.10.19');
    const harbor2 = await startHarborStandIn({ major: 2, repositories: {}, password: 'Another-Harbor-1' });
    try {
      const before = await db.checksums();
      const result = await reset(db, ['--password-env', 'NEW_ADMIN', '--harbor-url', harbor2.url, '--apply', '--yes']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/users\/current without credentials answered HTTP 404, where Harbor's API answers 401/);
      expect(await db.checksums()).toEqual(before);
    } finally {
      await harbor2.stop();
      await db.close();
    }
  });

  it('a login that fails after the change (--harbor-url is another Harbor, whose admin has another password): exit 3 with the restore command, which works', async () => {
    const db = await seededAdmin('1.10.19');
    const other = await startHarborStandIn({ major: 1, repositories: {}, password: 'Another-Harbor-1' });
    try {
      const oldRow = await adminRow(db);
      const result = await reset(db, ['--password-env', 'NEW_ADMIN', '--harbor-url', other.url, '--apply', '--yes']);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/logging in as admin with the new password failed \(HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/api\/users\/current\)/);
      expect(other.requests).toEqual(['GET /api/users/current', 'GET /api/users/current', 'GET /api/users/current']);
      const [restore] = JSON.parse(result.stdout).restore as string[];
      expect(restore).toMatch(/psql .* < \S+harbor_user-restore\.sql$/);
      const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH, PGPASSWORD: servers.postgres.password }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await adminRow(db)).toEqual(oldRow);
    } finally {
      await other.stop();
      await db.close();
    }
  });
});
