// core-db-password-auth-failed on a real Harbor 1.10: the password of the database user core
// logs in as is changed under it (as a harbor-db data directory created with another
// database.password leaves it), and the real core, restarted, exits with the page's error.
// align-db-password, given core's env file, finds the mismatch (dry-run changes nothing), sets
// the configured password back through a superuser connection, core starts and answers, and
// the restore script brings back the verifier that broke it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { PATH_WITH_POSTGRES } from '../support/servers.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
/** What the database has after the change nobody told core about. */
const DATABASE_NOW = 'Changed-Under-Core-5';
let dir: string;
let coreEnv: string;
let failedStart: { code: number | null; log: string };

/** The page's core signature (content/issues/en/core-db-password-auth-failed.mdx). */
const SIGNATURE = /register db Ping .default.,.*password authentication failed for user/;

/** A superuser session with the password the database has now. */
async function superuser<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const { postgres } = rig.harbor;
  const client = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: DATABASE_NOW, database: 'registry' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const verifier = () => superuser(async (client) => (await client.query(`SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'`)).rows[0]?.rolpassword);

const align = (...args: string[]) => {
  const { postgres } = rig.harbor;
  return runCli(
    [
      'run',
      'align-db-password',
      '--db-url',
      `postgres://postgres@127.0.0.1:${postgres.port}/registry`,
      '--config',
      coreEnv,
      '--backup-dir',
      join(dir, 'backups'),
      '--json',
      ...args,
    ],
    { env: { PATH: PATH_WITH_POSTGRES, PGPASSWORD: DATABASE_NOW } },
  );
};

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  dir = mkdtempSync(join(tmpdir(), 'hkb-align-'));
  // core's env file as prepare writes it (make/photon/prepare/templates/core/env.jinja), with the rig's values.
  coreEnv = join(dir, 'env');
  writeFileSync(
    coreEnv,
    [
      'CONFIG_PATH=/etc/core/app.conf',
      'DATABASE_TYPE=postgresql',
      'POSTGRESQL_HOST=127.0.0.1',
      `POSTGRESQL_PORT=${harbor.postgres.port}`,
      `POSTGRESQL_USERNAME=${harbor.postgres.user}`,
      `POSTGRESQL_PASSWORD=${harbor.postgres.password}`,
      'POSTGRESQL_DATABASE=registry',
      'POSTGRESQL_SSLMODE=disable',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  await harbor.query(`ALTER USER postgres PASSWORD '${DATABASE_NOW}'`);
  await harbor.core.stop();
  const offset = harbor.core.logSize();
  harbor.core.spawn();
  await waitFor('core to exit on the refused database login', () => !harbor.core.running(), 90_000);
  failedStart = { code: await harbor.core.exited(), log: harbor.core.logSince(offset) };
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describeHarbor('core-db-password-auth-failed on a real Harbor 1.10', () => {
  it('the real core exits with the line the page names', () => {
    console.log(`core exited ${failedStart.code}: ${failedStart.log.split('\n').find((line) => /FATAL/.test(line))}`);
    expect(failedStart.code).not.toBe(0);
    expect(failedStart.log).toMatch(SIGNATURE);
    expect(failedStart.log).toMatch(/failed to initialize database: register db Ping `default`, pq: password authentication failed for user "postgres"/);
  });

  it('the doctor names the page from the core log', async () => {
    await expectDoctorNames(rig.harbor, ['core-db-password-auth-failed']);
  });

  it('dry-run finds the mismatch and changes nothing', async () => {
    const before = await verifier();
    const result = await align();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(rig.harbor.postgres.password);
    expect(JSON.parse(result.stdout).findings[0].message).toMatch(/refuses core's login: user postgres, password from .*\(POSTGRESQL_PASSWORD\)/);
    expect(await verifier()).toBe(before);
  });

  it('--apply aligns the password; the real core starts and answers; the restore script brings the old verifier back', async () => {
    const before = await verifier();
    const result = await align('--apply', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(rig.harbor.postgres.password);
    const json = JSON.parse(result.stdout);
    expect(json.changes[0].verified).toMatch(/logged in at 127\.0\.0\.1:\d+ as postgres/);
    expect(json.findings.map((finding: { message: string }) => finding.message).join('\n')).toMatch(/restart core where it runs/);

    await rig.harbor.core.start();
    const ping = await fetch(`${rig.harbor.url}/api/ping`);
    expect(await ping.text()).toMatch(/Pong/);
    const info = await rig.harbor.api('GET', '/api/systeminfo');
    expect(info.status, info.text).toBe(200);

    const [restore] = json.changes[0].restore as string[];
    const restored = spawnSync('sh', ['-c', String(restore)], {
      env: { ...process.env, PATH: PATH_WITH_POSTGRES, PGPASSWORD: rig.harbor.postgres.password },
      encoding: 'utf8',
    });
    expect(restored.status, restored.stderr).toBe(0);
    expect(await verifier()).toBe(before);
    // Put the rig back for its own teardown.
    await superuser((client) => client.query(`ALTER USER postgres PASSWORD '${rig.harbor.postgres.password}'`));
  });
});
