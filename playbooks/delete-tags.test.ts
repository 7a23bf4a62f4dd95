// delete-tags against a real distribution 2.8 registry (registry API: DELETE by digest) and
// against the Harbor stand-ins (1.x tag route with transient 503s from the proxy in front,
// 2.x artifact tag route), including a run that fails midway and resumes from its log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { expectRefusals, type RefusalCase } from '../test/support/refusals.ts';
import { startHarborStandIn, type HarborStandIn } from '../test/support/harbor-stand-in.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { buildImageLayout, OCI_MANIFEST, skopeoDigest, skopeoListTags, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { startRegistry, treeHash, type RegistryServer } from '../test/support/registry.ts';

const PASSWORD = 'delete-tags-harbor-secret';
const TAGS = ['v1', 'v2', 'v3', 'v4'];
let work: string;
let registry: RegistryServer;
let layout: ImageLayout;
let v1: HarborStandIn;
let v2: HarborStandIn;

const backupDir = () => mkdtempSync(join(work, 'backup-'));
const run = (args: string[], backup = backupDir()) => runCli(['run', 'delete-tags', ...args, '--backup-dir', backup], { env: { HARBOR_PASSWORD: PASSWORD } });
const progress = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { tag: string; outcome: string; attempts: number });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hkb-delete-'));
  registry = await startRegistry();
  layout = await buildImageLayout(TAGS);
  for (const tag of TAGS) await skopeoPush(layout, registry, 'proj/app', tag);
  // "latest" is the same manifest as v4.
  const response = await fetch(`${registry.url}/v2/proj/app/manifests/latest`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: layout.manifests.get('v4')!.body });
  expect(response.status).toBe(201);
  v1 = await startHarborStandIn({ major: 1, password: PASSWORD, repositories: { 'library/app': ['s1', 's2', 's3', 's4', 'keep'] } });
  v2 = await startHarborStandIn({ major: 2, password: PASSWORD, repositories: { 'team/sub/app': ['a1', 'a2', 'a3'] } });
});

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
  await v1?.stop();
  await v2?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('delete-tags', () => {
  it('dry-run lists what it would delete and changes nothing', async () => {
    const before = treeHash(registry.storage);
    const result = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1,v2']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`DELETE /v2/proj/app/manifests/${layout.manifests.get('v1')!.digest}`);
    expect(result.stdout).toContain('Dry-run: nothing changed');
    expect(treeHash(registry.storage)).toBe(before);
  });

  it('refuses bad input with exit 2 and changes nothing', async () => {
    const before = treeHash(registry.storage);
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const cases: RefusalCase[] = [
      [['--registry-url', registry.url, '--repository', 'proj/app', '--pattern', 'nomatch-*'], /--pattern nomatch-\* matches none of the 5 tags of proj\/app/],
      [['--registry-url', registry.url, '--repository', '../proj', '--tags', 'v1'], /--repository must be a repository name/],
      [['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1;rm'], /--tags must be a comma-separated list of tags/],
      [['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v9'], /none of the tags given exist in proj\/app: v9/],
      [['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v4'], /v4 \(with latest\)/],
      [['--registry-url', closed, '--repository', 'proj/app', '--tags', 'v1'], /cannot reach the registry at .*ECONNREFUSED/],
      [['--harbor-url', closed, '--repository', 'library/app', '--tags', 's1'], /no Harbor answers/],
      [['--registry-url', registry.url, '--repository', 'proj/app'], /give one of --tags or --pattern/],
      [['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1', '--pattern', 'v*'], /give only one of --tags or --pattern/],
      [['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1', '--apply'], /not on a terminal, pass --yes/],
    ];
    await expectRefusals((args) => run(args), cases);
    expect(treeHash(registry.storage)).toBe(before);
  });

  it('registry API: deletes one at a time, verifies, keeps the manifests to restore, and a rerun has nothing to do', async () => {
    const backup = backupDir();
    const apply = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1,v2', '--apply', '--yes', '--json'], backup);
    expect(apply.code, apply.stderr).toBe(0);
    const parsed = JSON.parse(apply.stdout) as { backupPaths: string[]; changes: { verified: string }[] };
    expect(parsed.changes[0]!.verified).toBe('none of the 2 tags is listed any more; 3 tag(s) remain');
    expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['latest', 'v3', 'v4']);
    for (const tag of ['v3', 'v4', 'latest']) expect(await skopeoDigest(registry, 'proj/app', tag)).toBeDefined();
    expect(progress(join(backup, 'delete-tags-proj_app.progress.jsonl')).map((line) => [line.tag, line.outcome])).toEqual([['v1', 'deleted'], ['v2', 'deleted']]);

    const again = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1,v2', '--apply', '--yes'], backup);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Already deleted by an earlier run');
    expect(again.stdout).toContain('Nothing to do.');

    // The backup holds each manifest: putting it back restores the tag.
    const kept = JSON.parse(readFileSync(parsed.backupPaths[0]!, 'utf8')) as { tags: { tag: string; manifest: string; mediaType: string }[] };
    const v1Kept = kept.tags.find((tag) => tag.tag === 'v1')!;
    const put = await fetch(`${registry.url}/v2/proj/app/manifests/v1`, { method: 'PUT', headers: { 'content-type': v1Kept.mediaType }, body: v1Kept.manifest });
    expect(put.status).toBe(201);
    expect(await skopeoDigest(registry, 'proj/app', 'v1')).toBe(layout.manifests.get('v1')!.digest);
  });

  it('Harbor 1.x: retries transient 503s, fails midway with exit 1 on a persistent one, and resumes', async () => {
    const backup = backupDir();
    v1.failDeletes('s1', 2);
    v1.failDeletes('s3', 100);
    const first = await run(['--harbor-url', v1.url, '--repository', 'library/app', '--pattern', 's*', '--retries', '2', '--apply', '--yes'], backup);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('deleted 2 of 4 tags, then DELETE /repositories/library/app/tags/s3 answered HTTP 503 after 3 attempt(s)');
    expect(first.stderr).toContain('rerun the same command to resume');
    expect(v1.tags('library/app')).toEqual(['s3', 's4', 'keep']);
    expect(progress(join(backup, 'delete-tags-library_app.progress.jsonl')).map((line) => [line.tag, line.attempts])).toEqual([['s1', 3], ['s2', 1]]);

    v1.failDeletes('s3', 0);
    const resumed = await run(['--harbor-url', v1.url, '--repository', 'library/app', '--pattern', 's*', '--retries', '2', '--apply', '--yes'], backup);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('2 matching tag(s) already deleted by an earlier run');
    expect(v1.tags('library/app')).toEqual(['keep']);
    expect(first.stdout + first.stderr + resumed.stdout + resumed.stderr).not.toContain(PASSWORD);
  });

  it('Harbor 2.x: deletes through the artifact tag route', async () => {
    const result = await run(['--harbor-url', v2.url, '--repository', 'team/sub/app', '--tags', 'a1,a3', '--apply', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(v2.tags('team/sub/app')).toEqual(['a2']);
    expect(v2.requests).toContain('GET /api/v2.0/projects/team/repositories/sub%252Fapp/artifacts/a1');
    expect(v2.requests.filter((request) => request.startsWith('DELETE')).map((request) => request.replace(/sha256:[0-9a-f]{64}/, '<digest>'))).toEqual([
      'DELETE /api/v2.0/projects/team/repositories/sub%252Fapp/artifacts/<digest>/tags/a1',
      'DELETE /api/v2.0/projects/team/repositories/sub%252Fapp/artifacts/<digest>/tags/a3',
    ]);
  });
});
