// postgres-too-many-clients on a real Harbor 1.10: every connection of Harbor's PostgreSQL is
// taken (a role without SUPERUSER first, then the superuser's reserved slots), so the real core
// cannot start and logs PostgreSQL's own refusal. The doctor names the page from that log,
// diagnose-db-connections (given one freed slot) names who holds the connections, and once they
// are released core starts again and the diagnosis flags nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
let backups: string;
const sessions: pg.Client[] = [];
const FLOOD_PASSWORD = 'flood-role-secret';

beforeAll(() => {
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
});

afterAll(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.end().catch(() => {})));
  if (backups) rmSync(backups, { recursive: true, force: true });
});

/** Opens sessions on Harbor's database until the server refuses one; returns the refusal. */
async function fill(user: string, password: string, application: string): Promise<Error> {
  for (let opened = 0; opened < 1000; opened++) {
    const session = new pg.Client({
      host: rig.harbor.postgres.host,
      port: rig.harbor.postgres.port,
      database: 'registry',
      user,
      password,
      application_name: application,
    });
    session.on('error', () => {});
    try {
      await session.connect();
      sessions.push(session);
    } catch (error) {
      return error as Error;
    }
  }
  throw new Error('the server accepted 1000 sessions');
}

const diagnose = async () => {
  const result = await runCli(['run', 'diagnose-db-connections', '--db-url', rig.harbor.dbUrl, '--backup-dir', backups, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { findings: { level: string; message: string }[] }).findings;
};

describeHarbor('postgres-too-many-clients on a real Harbor 1.10', () => {
  it('core cannot start on a full server and logs "sorry, too many clients already"; the diagnosis names the holder; freed, core starts and nothing is flagged', async () => {
    const { harbor } = rig;
    await harbor.query(`CREATE ROLE flood LOGIN PASSWORD '${FLOOD_PASSWORD}'`);
    await harbor.core.stop();
    const offset = harbor.core.logSize();
    expect((await fill('flood', FLOOD_PASSWORD, 'ci-flood')).message).toBe('remaining connection slots are reserved for non-replication superuser connections');
    expect((await fill(harbor.postgres.user, harbor.postgres.password, 'admin-console')).message).toBe('sorry, too many clients already');

    harbor.core.spawn();
    expect(await harbor.core.exited()).not.toBe(0);
    expect(harbor.core.logSince(offset)).toContain('sorry, too many clients already');
    await expectDoctorNames(harbor, ['postgres-too-many-clients']);

    // One reserved slot back for the diagnosis (the superuser's).
    await sessions.pop()?.end();
    const full = (await diagnose()).filter((finding) => finding.level === 'problem').map((finding) => finding.message);
    expect(full[0]).toMatch(
      /^\d+ of max_connections \d+ in use, this session included .*the server is refusing new connections \("sorry, too many clients already"\)/,
    );
    expect(full[1]).toMatch(/^ci-flood holds the most: ci-flood \(user flood, from 127\.0\.0\.1, database registry\): \d+ connections \(\d+ idle\)/);

    await Promise.all(sessions.splice(0).map((session) => session.end()));
    await harbor.core.start();
    expect((await harbor.api('GET', '/api/projects')).status).toBe(200);
    const healthy = await diagnose();
    expect(healthy.filter((finding) => finding.level !== 'info')).toEqual([]);
  });
});
