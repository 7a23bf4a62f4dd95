// replication-job-stuck on a real Harbor 1.10: a replication whose destination stops
// answering mid-transfer, then jobservice killed and its Redis queue flushed, so the job is
// lost and the execution stays InProgress. Harbor refuses to delete the policy; the
// stop-stuck-replication playbook leaves the job alone while it is younger than --older-than,
// then makes the policy deletable, through the database alone or with Harbor's API first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresChecksums } from '../support/checksums.ts';
import { runCli } from '../support/cli.ts';
import { createProject, pushImage } from '../support/real-harbor-images.ts';
import { startRegistry, type RegistryServer } from '../support/registry.ts';
import { waitFor } from '../support/service.ts';
import { startStallingProxy, type StallingProxy } from '../support/stalling-proxy.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
let target: RegistryServer;
let proxy: StallingProxy;
let backups: string;
const policies: Record<'databaseOnly' | 'withApi' | 'harborOnly', number> = { databaseOnly: 0, withApi: 0, harborOnly: 0 };
/** The shortest --older-than the playbook takes. */
const OLDER_THAN = ['--older-than', '1m'];
/**
 * Makes the lost work older than OLDER_THAN without waiting a minute: every time Harbor wrote on
 * these policies' executions and tasks (their start and end times, all the playbook judges age
 * by on 1.8-2.1) moves two minutes back, as if the jobs had been lost that long ago.
 */
let aged: Promise<unknown> | undefined;
const untilStale = () => {
  const ids = Object.values(policies).join(',');
  aged ??= rig.harbor.query(
    `UPDATE replication_task SET start_time = start_time - interval '2 minutes', end_time = end_time - interval '2 minutes' WHERE execution_id IN (SELECT id FROM replication_execution WHERE policy_id IN (${ids}));
     UPDATE replication_execution SET start_time = start_time - interval '2 minutes', end_time = end_time - interval '2 minutes' WHERE policy_id IN (${ids})`,
  );
  return aged;
};

interface Execution {
  id: number;
  status: string;
  in_progress: number;
}

const executionsOf = async (policy: number) => (await rig.harbor.api('GET', `/api/replication/executions?policy_id=${policy}`)).json<Execution[]>();
const deletePolicy = (policy: number) => rig.harbor.api('DELETE', `/api/replication/policies/${policy}`);

const registryChecksums = () => rig.harbor.withDb(postgresChecksums);

const playbook = (policy: number, ...args: string[]) =>
  runCli(['run', 'stop-stuck-replication', '--db-url', rig.harbor.dbUrl, '--policy', String(policy), '--backup-dir', backups, ...args], {
    env: { HARBOR_PASSWORD: rig.harbor.admin.password },
  });

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  target = await startRegistry();
  proxy = await startStallingProxy(target.url);
  await createProject(harbor, 'apps');
  await pushImage(harbor, 'apps/web', 'v1');
  const registry = await harbor.api('POST', '/api/registries', { name: 'mirror', type: 'docker-registry', url: proxy.url, insecure: true });
  expect(registry.status, registry.text).toBe(201);
  const [{ id: registryId }] = (await harbor.api('GET', '/api/registries?name=mirror')).json<{ id: number }[]>() as [{ id: number }];
  for (const name of Object.keys(policies) as (keyof typeof policies)[]) {
    const created = await harbor.api('POST', '/api/replication/policies', {
      name,
      dest_registry: { id: registryId },
      dest_namespace: name.toLowerCase(),
      filters: [{ type: 'name', value: 'apps/**' }],
      trigger: { type: 'manual' },
      enabled: true,
      override: true,
    });
    expect(created.status, created.text).toBe(201);
    policies[name] = (await harbor.api('GET', `/api/replication/policies?name=${name}`))
      .json<{ id: number; name: string }[]>()
      .find((policy) => policy.name === name)!.id;
  }
  // The destination stops answering uploads: every job hangs mid-transfer...
  proxy.stall();
  for (const policy of Object.values(policies)) expect((await harbor.api('POST', '/api/replication/executions', { policy_id: policy })).status).toBe(201);
  await waitFor('every replication job to reach the destination', () => proxy.stalled().length >= Object.keys(policies).length);
  // ...and jobservice dies with them; its queue is lost with Redis' data.
  await harbor.jobservice.kill();
  await harbor.redis.cli(['-n', '2', 'FLUSHDB']);
  await harbor.jobservice.start();
});

afterAll(async () => {
  await proxy?.stop();
  await target?.stop();
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('replication-job-stuck on a real Harbor 1.10', () => {
  it('the lost job leaves the execution InProgress and Harbor refuses to delete the policy', async () => {
    for (const policy of Object.values(policies)) {
      const [execution] = await executionsOf(policy);
      expect(execution).toMatchObject({ status: 'InProgress' });
      const refused = await deletePolicy(policy);
      expect(refused.status).toBe(412);
      expect(refused.text).toContain(`the policy ${policy} has running executions, can not be deleted`);
    }
    await expectDoctorNames(rig.harbor, ['replication-job-stuck']);
  });

  it('stop-stuck-replication: a lost job younger than --older-than is left alone; once older, the dry-run changes nothing and --apply on the database alone makes the policy deletable', async () => {
    const policy = policies.databaseOnly;
    const before = await registryChecksums();
    // Seconds old, against the default 24h: not stuck yet, whatever it looks like.
    const young = await playbook(policy, '--no-restart', '--apply', '--yes');
    expect(young.code, young.stderr).toBe(0);
    expect(young.stdout).toMatch(/\d+ other non-final rows are left alone/);
    expect(young.stdout).toContain('Nothing to do.');
    expect(await registryChecksums()).toEqual(before);

    await untilStale();
    const aged = await registryChecksums();
    const dryRun = await playbook(policy, ...OLDER_THAN, '--no-restart');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('Dry-run: nothing changed');
    expect(await registryChecksums()).toEqual(aged);
    expect((await deletePolicy(policy)).status).toBe(412);

    const applied = await playbook(policy, ...OLDER_THAN, '--no-restart', '--apply', '--yes', '--json');
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ ok: true, facts: { era: 'replication_execution' } });
    expect((await executionsOf(policy))[0]).toMatchObject({ status: 'Stopped' });
    const deleted = await deletePolicy(policy);
    expect(deleted.status, deleted.text).toBe(200);
  });

  it('stop-stuck-replication with --harbor-url asks Harbor first, then the policy is deletable', async () => {
    const policy = policies.withApi;
    await untilStale();
    const applied = await playbook(policy, ...OLDER_THAN, '--harbor-url', rig.harbor.url, '--no-restart', '--apply', '--yes', '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as { changes: { description: string; detail?: string }[] };
    console.log(result.changes.map((change) => `${change.description}: ${change.detail}`).join('\n'));
    expect(result.changes[0]!.description).toContain("ask Harbor's API to stop it");
    const deleted = await deletePolicy(policy);
    expect(deleted.status, deleted.text).toBe(200);
  });

  // What the playbook's API step relies on, seen on 1.10.18: jobservice answers 404 for the lost
  // job, core then marks its tasks Stopped, and the execution (its status derived from the tasks
  // when read) no longer blocks the delete, though its own row still says InProgress.
  it("Harbor 1.10.18's own stop releases a lost job's policy; the execution row is left InProgress", async () => {
    const policy = policies.harborOnly;
    const [execution] = await executionsOf(policy);
    expect((await rig.harbor.api('PUT', `/api/replication/executions/${execution!.id}`)).status).toBe(200);
    expect(rig.harbor.jobservice.logSince(0)).toMatch(/Serve http request 'POST \/api\/v1\/jobs\/[0-9a-f]+' error: 404/);
    expect(await rig.harbor.query('SELECT status FROM replication_execution WHERE id = $1', [execution!.id])).toEqual([{ status: 'InProgress' }]);
    expect((await executionsOf(policy))[0]).toMatchObject({ status: 'Stopped' });
    const deleted = await deletePolicy(policy);
    expect(deleted.status, deleted.text).toBe(200);
  });
});
