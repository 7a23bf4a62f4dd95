// The registry and API playbooks as downloadable single files: built with esbuild into a
// temp dir with no node_modules above it, then run with plain node against a real
// distribution 2.8 registry holding a dangling (0 B) tag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runNode } from '../../../test/support/cli.ts';
import { buildImageLayout, skopeoPush, type ImageLayout } from '../../../test/support/oci.ts';
import { startRegistry, treeHash, type RegistryServer } from '../../../test/support/registry.ts';
import { playbooks } from '../../../playbooks/all.ts';
import { buildPlaybookBundles } from './bundle.ts';

const NAMES = ['dangling-tags', 'delete-tags', 'tag-scan', 'manifest-ready', 'admiral-url', 'wait-for-core'];
let dir: string;
let registry: RegistryServer;
let layout: ImageLayout;
const bundle = (name: string) => join(dir, `${name}.mjs`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-registry-bundle-'));
  registry = await startRegistry();
  layout = await buildImageLayout(['ok', 'broken']);
  for (const tag of ['ok', 'broken']) await skopeoPush(layout, registry, 'proj/app', tag);
  const hex = layout.manifests.get('broken')!.digest.slice('sha256:'.length);
  rmSync(join(registry.v2, 'repositories/proj/app/_manifests/revisions/sha256', hex), { recursive: true });
  await buildPlaybookBundles(dir, playbooks, NAMES);
});

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('each bundle answers --help under plain node, outside the repo', async () => {
  const results = await Promise.all(NAMES.map((name) => runNode(bundle(name), ['--help'], { cwd: dir })));
  results.forEach((result, index) => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`harbor-kb run ${NAMES[index]}`);
  });
});

it('dangling-tags and tag-scan bundles run against a real registry and change nothing', async () => {
  const before = treeHash(registry.storage);
  const dangling = await runNode(bundle('dangling-tags'), ['--registry-storage', registry.storage, '--backup-dir', join(dir, 'backups')], { cwd: dir });
  expect(dangling.code, dangling.stderr).toBe(0);
  expect(dangling.stdout).toContain('proj/app:broken');
  expect(dangling.stdout).not.toContain('proj/app:ok');
  const scan = await runNode(bundle('tag-scan'), ['--registry-url', registry.url, '--json'], { cwd: dir });
  expect(scan.code, scan.stderr).toBe(0);
  expect(JSON.parse(scan.stdout).facts.totalTags).toBe(2);
  expect(treeHash(registry.storage)).toBe(before);
  const refused = await runNode(bundle('delete-tags'), ['--registry-url', registry.url, '--repository', '../etc', '--tags', 'ok'], { cwd: dir });
  expect(refused.code).toBe(2);
});
