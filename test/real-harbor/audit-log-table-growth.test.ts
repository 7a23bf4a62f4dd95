// audit-log-table-growth on a real Harbor 1.10: core itself writes the access_log rows (a
// project created, tags pushed and pulled through its /v2 proxy). The push rows are then aged
// by 200 days, as months of a busy registry would leave them, and purge-audit-log removes
// exactly those from Harbor's own database; Harbor's /api/logs shows them gone and, after the
// printed restore, back as they were.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createProject, DOCKER_MANIFEST, distinctManifest, pushImage, pushTags, registryToken } from '../support/real-harbor-images.ts';
import { PATH_WITH_POSTGRES } from '../support/servers.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
let backups: string;
const TAGS = Array.from({ length: 40 }, (_, index) => `t${index}`);
const PULLS = 10;

interface AccessLog {
  log_id: number;
  operation: string;
  repo_name: string;
  repo_tag: string;
  op_time: string;
}

/** Harbor's own view of its audit rows (GET /api/logs, 1.10 swagger), in id order. */
async function harborLogs(): Promise<AccessLog[]> {
  const answer = await rig.harbor.api('GET', '/api/logs?page=1&page_size=500');
  expect(answer.status).toBe(200);
  return answer.json<AccessLog[]>().sort((a, b) => a.log_id - b.log_id);
}

const countOf = async (where: string) => Number((await rig.harbor.query(`SELECT count(*) AS n FROM access_log WHERE ${where}`))[0]!.n);

const purge = (...args: string[]) =>
  runCli(['run', 'purge-audit-log', '--db-url', rig.harbor.dbUrl, '--backup-dir', backups, '--older-than', '2160h', '--json', ...args]);

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  await createProject(harbor, 'audit');
  const manifest = await pushImage(harbor, 'audit/app', 'v1');
  await pushTags(harbor, 'audit/app', distinctManifest(manifest, 1), TAGS);
  const token = await registryToken(harbor, 'audit/app', 'pull');
  for (const tag of TAGS.slice(0, PULLS)) {
    const pulled = await fetch(`${harbor.url}/v2/audit/app/manifests/${tag}`, { headers: { authorization: `Bearer ${token}`, accept: DOCKER_MANIFEST } });
    expect(pulled.status).toBe(200);
    await pulled.arrayBuffer();
  }
  // Core writes each row when the registry's notification reaches it.
  await waitFor(
    'core to log every push and pull in access_log',
    async () => (await countOf(`operation = 'push'`)) >= TAGS.length + 1 && (await countOf(`operation = 'pull'`)) >= PULLS,
  );
  await harbor.query(`UPDATE access_log SET op_time = op_time - interval '200 days' WHERE operation = 'push'`);
});

afterAll(() => {
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('audit-log-table-growth on a real Harbor 1.10', () => {
  it('purge-audit-log deletes exactly the old access_log rows core wrote; the printed restore brings them back', async () => {
    const before = await harborLogs();
    const pushes = before.filter((log) => log.operation === 'push');
    expect(pushes.length).toBeGreaterThanOrEqual(TAGS.length + 1);
    expect(before.some((log) => log.operation === 'pull')).toBe(true);

    const dryRun = await purge();
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(JSON.parse(dryRun.stdout).changes[0]).toMatchObject({ expected: pushes.length });
    expect(await harborLogs()).toEqual(before);

    const applied = await purge('--batch-size', '7', '--apply', '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout);
    expect(result.harbor.releases).toMatch(/1\.10/);
    expect(result.changes[0]).toMatchObject({ expected: pushes.length, changed: pushes.length });
    expect(await harborLogs()).toEqual(before.filter((log) => log.operation !== 'push'));

    const again = await purge('--apply', '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).changes).toEqual([]);

    const [restore] = result.changes[0].restore as string[];
    const password = decodeURIComponent(new URL(rig.harbor.dbUrl).password);
    const restored = spawnSync('sh', ['-c', restore!], { env: { ...process.env, PATH: PATH_WITH_POSTGRES, PGPASSWORD: password }, encoding: 'utf8' });
    expect(restored.status, restored.stderr).toBe(0);
    expect(await harborLogs()).toEqual(before);
  });
});
