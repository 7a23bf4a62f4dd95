// registry-storage-permission-denied on a real Harbor 1.10, whose registry runs as 10000:10000
// as Harbor's image (USER harbor from 1.10) runs it: a restore copied into the storage as root
// makes the next push through Harbor fail with 500 and the registry log the page's
// "permission denied"; fix-registry-storage-owner gives the entries back, the push works,
// and its manifest puts the old owners back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createProject, pushImage } from '../support/real-harbor-images.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

// Not on /dev/shm: the playbook refuses storage inside /dev, a system tree.
const rig = useRealHarbor({ registryUser: { uid: 10000, gid: 10000 }, parent: tmpdir() });
let backups: string;

/** uid:gid:mode by path under the storage (find -printf, independent of the playbook). */
const owners = (root: string) =>
  new Map(
    execFileSync('find', [root, '-printf', '%U:%G:%m %p\\n'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(line.indexOf(' ') + 1), line.slice(0, line.indexOf(' '))] as const),
  );
const fix = (...args: string[]) => runCli(['run', 'fix-registry-storage-owner', '--backup-dir', backups, '--harbor-version', '1.10.18', ...args]);

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  await createProject(harbor, 'proj');
  await pushImage(harbor, 'proj/app', 'v1');
  // A restore copied in as root: the repositories are root's now.
  execFileSync('chown', ['-R', '0:0', join(harbor.registry.v2, 'repositories')]);
});

afterAll(() => {
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('registry-storage-permission-denied on a real Harbor 1.10', () => {
  it('a push through Harbor fails with the page signature; the playbook fixes it and its manifest restores the old owners', async () => {
    const { harbor } = rig;
    const offset = harbor.registryService.logSize();
    await expect(pushImage(harbor, 'proj/other', 'v1')).rejects.toThrow(/500 Internal Server Error/);
    expect(harbor.registryService.logSince(offset)).toMatch(/err\.detail="filesystem: mkdir [^"]*\/repositories\/proj\/other: permission denied"/);
    await expectDoctorNames(harbor, ['registry-storage-permission-denied']);
    const broken = owners(harbor.registry.storage);

    const dry = await fix('--storage-path', harbor.registry.storage);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/entries under .* are not owned by 10000:10000/);
    expect(owners(harbor.registry.storage)).toEqual(broken);

    const applied = await fix('--storage-path', harbor.registry.storage, '--apply', '--yes', '--json');
    expect(applied.code, applied.stderr).toBe(0);
    await pushImage(harbor, 'proj/other', 'v1');

    const restore = (JSON.parse(applied.stdout) as { changes: { restore: string[] }[] }).changes[0]!.restore[0]!;
    const words = restore.split(' ');
    const restored = await runCli([...words.slice(words.indexOf('run')), '--yes', '--backup-dir', backups]);
    expect(restored.code, restored.stderr).toBe(0);
    const after = owners(harbor.registry.storage);
    for (const [path, owner] of broken) expect(`${path} ${after.get(path)}`).toBe(`${path} ${owner}`);
  });
});
