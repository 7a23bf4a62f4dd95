// admin-password-lost-or-not-applied on a real Harbor 1.10: the admin's password is changed
// through Harbor's own API to one nobody keeps, so the configured password no longer logs in.
// reset-admin-password's dry-run changes nothing; --apply writes a hash the real core accepts
// (a login through its API works, checked by the playbook and by the test), and the restore
// script brings back the hash Harbor itself wrote: the forgotten password logs in again.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { PATH_WITH_POSTGRES } from '../support/servers.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
const NEW_PASSWORD = 'Reset-By-Playbook-7';
/** The password the admin had before it was "lost": set through Harbor's API, kept only to prove the restore. */
const LOST_PASSWORD = `Lost-${randomBytes(6).toString('hex')}-9A`;
let backups: string;

const login = async (password: string) => {
  // core refuses any login for 1.5 s after a failed one (src/core/auth/authenticator.go).
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const response = await fetch(`${rig.harbor.url}/api/users/current`, {
    headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
  });
  return { status: response.status, body: await response.text() };
};

const adminRow = async () => (await rig.harbor.query('SELECT password, salt, password_version FROM harbor_user WHERE user_id = 1'))[0];

const reset = (...args: string[]) =>
  runCli(['run', 'reset-admin-password', '--db-url', rig.harbor.dbUrl, '--backup-dir', backups, '--json', '--password-env', 'NEW_ADMIN', ...args], {
    env: { PATH: PATH_WITH_POSTGRES, NEW_ADMIN: NEW_PASSWORD },
  });

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  const changed = await harbor.api('PUT', '/api/users/1/password', { old_password: harbor.admin.password, new_password: LOST_PASSWORD });
  expect(changed.status, changed.text).toBe(200);
});

afterAll(() => {
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('admin-password-lost-or-not-applied on a real Harbor 1.10', () => {
  it('the configured password no longer logs in', async () => {
    expect((await login(rig.harbor.admin.password)).status).toBe(401);
  });

  it('dry-run plans the sha256 reset and changes nothing', async () => {
    const before = await adminRow();
    const result = await reset('--harbor-url', rig.harbor.url);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).facts.scheme).toBe('sha256');
    expect(await adminRow()).toEqual(before);
    expect((await login(NEW_PASSWORD)).status).toBe(401);
  });

  it('--apply writes a hash the real core accepts: the playbook logs in, and so does the test', async () => {
    const before = await adminRow();
    const result = await reset('--harbor-url', rig.harbor.url, '--apply', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(NEW_PASSWORD);
    const json = JSON.parse(result.stdout);
    expect(json.changes[0].verified).toMatch(/logged in as admin with the new password \(HTTP 200 as admin\)/);
    const answer = await login(NEW_PASSWORD);
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ user_id: 1, username: 'admin' });

    const again = await reset('--harbor-url', rig.harbor.url, '--apply', '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already has this password: nothing to do/);

    const [restore] = json.changes[0].restore as string[];
    const restored = spawnSync('sh', ['-c', restore ?? 'false'], {
      env: { ...process.env, PATH: PATH_WITH_POSTGRES, PGPASSWORD: rig.harbor.postgres.password },
      encoding: 'utf8',
    });
    expect(restored.status, restored.stderr).toBe(0);
    expect(await adminRow()).toEqual(before);
    expect((await login(NEW_PASSWORD)).status).toBe(401);
    expect((await login(LOST_PASSWORD)).status).toBe(200);
  });

  it('1.10 logs failed logins only at debug level (the lock line became a warning in 2.9), so the doctor names no page', async () => {
    await expectDoctorNames(rig.harbor, []);
  });
});
