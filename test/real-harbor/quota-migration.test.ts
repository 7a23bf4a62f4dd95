// login-fails-during-quota-migration on a real Harbor 1.10: with the quota rows of two
// projects gone (a database from before 1.9), core runs its [Quota-Sync] before it listens.
// The sync is held at its first database write (a table lock) so the test knows it is under
// way; wait-for-core follows the real progress lines and returns once core answers. Then the
// variant that kills core: a quota row without its usage row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createProject, pushImage } from '../support/real-harbor-images.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
const projects = new Map<string, number>();
let backups: string;

const waitForCore = (onOutput?: (text: string) => void) =>
  runCli(
    ['run', 'wait-for-core', '--harbor-url', rig.harbor.url, '--core-log', rig.harbor.core.log, '--interval', '1', '--timeout', '120', '--backup-dir', backups],
    {
      onSpawn: (child) => {
        let seen = '';
        child.stdout!.on('data', (chunk: Buffer) => onOutput?.((seen += chunk.toString())));
      },
    },
  );

beforeAll(async () => {
  if (!rig.harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  for (const name of ['alpha', 'beta', 'gamma']) {
    projects.set(name, await createProject(rig.harbor, name));
    await pushImage(rig.harbor, `${name}/app`, 'v1');
  }
});

afterAll(() => {
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('login-fails-during-quota-migration on a real Harbor 1.10', () => {
  it('wait-for-core follows the real [Quota-Sync] lines while core is not answering, and returns once it does', async () => {
    const { harbor } = rig;
    await harbor.core.stop();
    await rig.harbor.query(`DELETE FROM quota_usage WHERE reference = 'project' AND reference_id IN ('${projects.get('beta')}', '${projects.get('gamma')}')`);
    await rig.harbor.query(`DELETE FROM quota WHERE reference = 'project' AND reference_id IN ('${projects.get('beta')}', '${projects.get('gamma')}')`);
    // Hold the sync at its first write of an artifact row.
    const locker = await harbor.postgres.client('registry');
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE artifact IN EXCLUSIVE MODE');
      const offset = harbor.core.logSize();
      harbor.core.spawn();
      await waitFor('core to start persisting the quota data', () => harbor.core.logSince(offset).includes('[Quota-Sync]:: start to persist artifact&blob'));
      let following = false;
      const waiting = waitForCore((text) => (following ||= /quota sync pass [12] of 2, \d+\/\d+ projects/.test(text)));
      await waitFor('wait-for-core to report the sync progress', () => following);
      await locker.query('COMMIT');
      const result = await waiting;
      expect(result.code, result.stderr + result.stdout).toBe(0);
      expect(result.stdout).toMatch(
        /Core answers \/api\/ping after \d+ s of waiting: log in again\. The quota sync reached pass [12] of 2, \d+\/\d+ projects\./,
      );
      expect(harbor.core.logSince(offset)).toContain('Success to sync quota data');
    } finally {
      await locker.end();
    }
    for (const name of ['beta', 'gamma']) {
      const [quota] = (await harbor.api('GET', `/api/quotas?reference=project&reference_id=${projects.get(name)}`)).json<{ used: { count: number } }[]>();
      expect(quota?.used.count, name).toBe(1);
    }
  });

  it('a quota row without its usage row: core exits with a FATAL quota migration error, which the doctor and wait-for-core recognise; without the quota row too it starts', async () => {
    const { harbor } = rig;
    await harbor.core.stop();
    await rig.harbor.query(`DELETE FROM quota_usage WHERE reference = 'project' AND reference_id = '${projects.get('alpha')}'`);
    const offset = harbor.core.logSize();
    harbor.core.spawn();
    await waitFor('core to exit', () => !harbor.core.running());
    const log = harbor.core.logSince(offset);
    console.log(
      log
        .split('\n')
        .filter((line) => /FATAL|ERROR/.test(line))
        .join('\n'),
    );
    expect(log).toMatch(/\[FATAL\].*quota migration error/);
    await expectDoctorNames(harbor, ['login-fails-during-quota-migration']);
    const result = await waitForCore();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the quota sync failed: "quota migration error/);
    // The page's fix: without the quota row too, the next start rebuilds both.
    await rig.harbor.query(`DELETE FROM quota WHERE reference = 'project' AND reference_id = '${projects.get('alpha')}'`);
    await harbor.core.start();
    const [quota] = (await harbor.api('GET', `/api/quotas?reference=project&reference_id=${projects.get('alpha')}`)).json<{ used: { count: number } }[]>();
    expect(quota?.used.count).toBe(1);
  });
});
