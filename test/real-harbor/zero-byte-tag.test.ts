// zero-byte-tag-undeletable on a real Harbor 1.10: a tag whose manifest revision link is gone
// from the registry storage (what distribution 2.6.2's delete race left behind). Harbor lists
// it but cannot serve or delete it; dangling-tags finds only that tag and quarantines it, and
// delete-tags deletes healthy tags through the real 1.10 API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { treeHash } from '../support/registry.ts';
import { createProject, distinctManifest, pushImage, pushTags } from '../support/real-harbor-images.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
let backups: string;
const digests = new Map<string, string>();

interface Tag {
  name: string;
  size: number;
  digest: string;
}
const harborTags = async () => (await rig.harbor.api('GET', '/api/repositories/proj/app/tags')).json<Tag[]>();

const dangling = (...args: string[]) =>
  runCli(
    [
      'run',
      'dangling-tags',
      '--registry-storage',
      rig.harbor.registry.storage,
      '--registry-url',
      rig.harbor.url,
      '--registry-user',
      'admin',
      '--backup-dir',
      backups,
      '--json',
      ...args,
    ],
    {
      env: { REGISTRY_PASSWORD: rig.harbor.admin.password },
    },
  );

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  await createProject(harbor, 'proj');
  const manifest = await pushImage(harbor, 'proj/app', 'v1');
  for (const [index, tag] of ['v2', 'v3', 'v4'].entries()) await pushTags(harbor, 'proj/app', distinctManifest(manifest, index + 1), [tag]);
  await waitFor('Harbor to list proj/app with 4 tags', async () => (await harborTags().catch(() => [])).length === 4);
  for (const tag of await harborTags()) digests.set(tag.name, tag.digest);
  // The race removed v2's revision link; the registry's Redis cache went with a restart.
  const hex = digests.get('v2')!.slice('sha256:'.length);
  rmSync(join(harbor.registry.v2, 'repositories/proj/app/_manifests/revisions/sha256', hex), { recursive: true });
  await harbor.redis.cli(['-n', '1', 'FLUSHDB']);
});

afterAll(() => {
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('zero-byte-tag-undeletable on a real Harbor 1.10', () => {
  it('Harbor lists the broken tag as 0 B with no digest; its delete answers 200 and leaves it there', async () => {
    const broken = (await harborTags()).find((tag) => tag.name === 'v2');
    expect(broken).toMatchObject({ size: 0, digest: '', created: '0001-01-01T00:00:00Z' });
    const offset = rig.harbor.core.logSize();
    const deleted = await rig.harbor.api('DELETE', '/api/repositories/proj/app/tags/v2');
    expect(deleted.status).toBe(200);
    expect((await harborTags()).map((tag) => tag.name).sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(rig.harbor.core.logSince(offset)).toContain('No digest found for image: proj/app:v2, ignore the following deletion');
  });

  it('the doctor names the page from the core log', async () => {
    await expectDoctorNames(rig.harbor, ['zero-byte-tag-undeletable']);
  });

  it('dangling-tags finds only that tag; --apply quarantines it and Harbor stops listing it', async () => {
    const storage = treeHash(rig.harbor.registry.storage);
    const dryRun = await dangling();
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const problems = (JSON.parse(dryRun.stdout) as { findings: { level: string; data?: { repository: string; tag: string } }[] }).findings.filter(
      (finding) => finding.level === 'problem',
    );
    expect(problems.map((finding) => `${finding.data!.repository}:${finding.data!.tag}`)).toEqual(['proj/app:v2']);
    expect(treeHash(rig.harbor.registry.storage)).toBe(storage);

    const applied = await dangling('--apply', '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    expect((await harborTags()).map((tag) => tag.name).sort()).toEqual(['v1', 'v3', 'v4']);
  });

  it('delete-tags deletes healthy tags through the real 1.10 API', async () => {
    const result = await runCli(
      ['run', 'delete-tags', '--harbor-url', rig.harbor.url, '--repository', 'proj/app', '--tags', 'v3', '--backup-dir', backups, '--apply', '--yes'],
      {
        env: { HARBOR_PASSWORD: rig.harbor.admin.password },
      },
    );
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect((await harborTags()).map((tag) => tag.name).sort()).toEqual(['v1', 'v4']);
  });
});
