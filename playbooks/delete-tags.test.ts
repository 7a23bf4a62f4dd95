// delete-tags against a real distribution 2.8 registry (registry API: DELETE by digest) and
// against the Harbor stand-ins (1.x tag route with transient 503s from the proxy in front,
// 2.x artifact tag route), including a run that fails midway and resumes from its log.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { expectRefusals, type RefusalCase } from '../test/support/refusals.ts';
import { startHarborStandIn, type HarborStandIn } from '../test/support/harbor-stand-in.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { buildImageLayout, OCI_MANIFEST, pushManyTags, skopeoDigest, skopeoListTags, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { startRegistry, treeHash, type RegistryServer } from '../test/support/registry.ts';
import { startProxy } from '../test/support/registry-proxy.ts';

const PASSWORD = 'delete-tags-harbor-secret';
const TAGS = ['v1', 'v2', 'v3', 'v4'];
let work: string;
let registry: RegistryServer;
let layout: ImageLayout;
let v1: HarborStandIn;
let v2: HarborStandIn;

const backupDir = () => mkdtempSync(join(work, 'backup-'));
const run = (args: string[], backup = backupDir()) => runCli(['run', 'delete-tags', ...args, '--backup-dir', backup], { env: { HARBOR_PASSWORD: PASSWORD } });
const progress = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { repository?: string; tag: string; outcome: string; attempts: number });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hkb-delete-'));
  registry = await startRegistry();
  layout = await buildImageLayout(TAGS);
  for (const tag of TAGS) await skopeoPush(layout, registry, 'proj/app', tag);
  // "latest" is the same manifest as v4.
  const response = await fetch(`${registry.url}/v2/proj/app/manifests/latest`, {
    method: 'PUT',
    headers: { 'content-type': OCI_MANIFEST },
    body: layout.manifests.get('v4')!.body,
  });
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
      // The progress log must be writable (and ours) before anything is deleted.
      [
        [
          '--registry-url',
          registry.url,
          '--repository',
          'proj/app',
          '--tags',
          'v1',
          '--apply',
          '--yes',
          '--progress-file',
          join(work, 'no-such-dir/progress.jsonl'),
        ],
        /--progress-file .*no-such-dir\/progress.jsonl cannot be written \(ENOENT\); nothing was deleted/,
      ],
      [
        ['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1', '--apply', '--yes', '--progress-file', work],
        /is not a delete-tags progress log \(not a regular file\)/,
      ],
      [
        ['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1', '--progress-file', '/etc/passwd'],
        /--progress-file \/etc\/passwd is not a delete-tags progress log \(line 1 is not one of its JSON lines\)/,
      ],
    ];
    await expectRefusals((args) => run(args), cases);
    expect(treeHash(registry.storage)).toBe(before);
    const passwd = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1', '--progress-file', '/etc/passwd']);
    expect(passwd.stderr).not.toContain('root:');
    expect(passwd.stderr).not.toMatch(/Unexpected token|SyntaxError|is not valid JSON/);
  });

  it('registry API: deletes one at a time, verifies, keeps the manifests to restore, and a rerun has nothing to do', async () => {
    const backup = backupDir();
    const apply = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1,v2', '--apply', '--yes', '--json'], backup);
    expect(apply.code, apply.stderr).toBe(0);
    const parsed = JSON.parse(apply.stdout) as { backupPaths: string[]; changes: { verified: string }[] };
    expect(parsed.changes[0]!.verified).toBe('none of the 2 tags is listed any more; 3 tag(s) remain');
    expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['latest', 'v3', 'v4']);
    for (const tag of ['v3', 'v4', 'latest']) expect(await skopeoDigest(registry, 'proj/app', tag)).toBeDefined();
    expect(progress(join(backup, 'delete-tags-proj_app.progress.jsonl')).map((line) => [line.tag, line.outcome])).toEqual([
      ['v1', 'deleted'],
      ['v2', 'deleted'],
    ]);

    const again = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v1,v2', '--apply', '--yes'], backup);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Already deleted by an earlier run');
    expect(again.stdout).toContain('Nothing to do.');

    // The backup holds each manifest: putting it back restores the tag.
    const kept = JSON.parse(readFileSync(parsed.backupPaths[0]!, 'utf8')) as { tags: { tag: string; manifest: string; mediaType: string }[] };
    const v1Kept = kept.tags.find((tag) => tag.tag === 'v1')!;
    const put = await fetch(`${registry.url}/v2/proj/app/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': v1Kept.mediaType },
      body: v1Kept.manifest,
    });
    expect(put.status).toBe(201);
    expect(await skopeoDigest(registry, 'proj/app', 'v1')).toBe(layout.manifests.get('v1')!.digest);
  });

  it("a progress log is read only for its own repository: logs/a_b and logs/a/b share the default log's name", async () => {
    const backup = backupDir();
    await skopeoPush(layout, registry, 'logs/a_b', 'v1');
    await skopeoPush(layout, registry, 'logs/a/b', 'v2');
    const first = await run(['--registry-url', registry.url, '--repository', 'logs/a_b', '--tags', 'v1', '--apply', '--yes'], backup);
    expect(first.code, first.stderr).toBe(0);
    // logs/a/b never had a v1: not "already deleted by an earlier run".
    const other = await run(['--registry-url', registry.url, '--repository', 'logs/a/b', '--tags', 'v1', '--apply', '--yes'], backup);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('none of the tags given exist in logs/a/b: v1');
    expect(other.stdout).not.toContain('Already deleted');
    expect(await skopeoListTags(registry, 'logs/a/b')).toEqual(['v2']);
    expect(progress(join(backup, 'delete-tags-logs_a_b.progress.jsonl')).map((line) => [line.repository, line.tag, line.outcome])).toEqual([
      ['logs/a_b', 'v1', 'deleted'],
    ]);
  });

  it('Harbor 1.x: retries transient 503s, stops midway with exit 3 on a persistent one (saying what was deleted), and resumes', async () => {
    const backup = backupDir();
    v1.failDeletes('s1', 2);
    v1.failDeletes('s3', 100);
    const first = await run(['--harbor-url', v1.url, '--repository', 'library/app', '--pattern', 's*', '--retries', '2', '--apply', '--yes'], backup);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('deleted 2 of 4 tags, then DELETE /repositories/library/app/tags/s3 answered HTTP 503 after 3 attempt(s)');
    expect(first.stderr).toContain('rerun the same command to resume');
    expect(first.stderr).toContain('changed:\n  - library/app:s1 deleted\n  - library/app:s2 deleted\n');
    expect(first.stderr).toMatch(/to restore:\n {2}put a deleted tag back with the request recorded for it in .*delete-tags-library_app\.json/);
    expect(v1.tags('library/app')).toEqual(['s3', 's4', 'keep']);
    expect(progress(join(backup, 'delete-tags-library_app.progress.jsonl')).map((line) => [line.tag, line.attempts])).toEqual([
      ['s1', 3],
      ['s2', 1],
    ]);

    v1.failDeletes('s3', 0);
    const resumed = await run(['--harbor-url', v1.url, '--repository', 'library/app', '--pattern', 's*', '--retries', '2', '--apply', '--yes'], backup);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('2 matching tag(s) already deleted by an earlier run');
    expect(v1.tags('library/app')).toEqual(['keep']);
    expect(first.stdout + first.stderr + resumed.stdout + resumed.stderr).not.toContain(PASSWORD);
  });

  it("warns that deleting through Harbor's own registry reached directly bypasses Harbor's database", async () => {
    const harborRegistry = await startRegistry({ auth: { user: 'admin', password: PASSWORD } });
    try {
      await skopeoPush(layout, harborRegistry, 'proj/app', 'v1');
      const result = await runCli(
        [
          'run',
          'delete-tags',
          '--registry-url',
          harborRegistry.url,
          '--registry-user',
          'admin',
          '--repository',
          'proj/app',
          '--tags',
          'v1',
          '--backup-dir',
          backupDir(),
        ],
        { env: { REGISTRY_PASSWORD: PASSWORD } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `! --registry-url ${harborRegistry.url} is Harbor 1.x's own registry reached directly: deleting here bypasses Harbor's database`,
      );
      const bare = await run(['--registry-url', registry.url, '--repository', 'proj/app', '--tags', 'v3']);
      expect(bare.stdout).toContain('is a registry, not Harbor: if Harbor sits in front of it, delete through --harbor-url');
    } finally {
      await harborRegistry.stop();
    }
  });

  describe('confirm before change: each tag is read again right before its delete', () => {
    /** Puts `tag` of `repository` on the manifest pushManyTags gives `as` (a new digest, or another tag's). */
    const putTag = async (repository: string, tag: string, as: string) => {
      const response = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'content-type': OCI_MANIFEST },
        body: layout.manifestFor(as),
      });
      expect(response.status).toBe(201);
    };
    beforeAll(async () => {
      await skopeoPush(layout, registry, 'race/app', 'v1');
      await pushManyTags(layout, registry, 'race/app', ['r1', 'r2', 'r3']);
    });

    it('refuses with exit 2 and deletes nothing when the first tag was pushed again after the plan', async () => {
      let repushed = false;
      // The backup reads each manifest after the plan: r1 is pushed again at that moment.
      const proxy = await startProxy(registry.url, {
        async before(method, path) {
          if (!repushed && method === 'GET' && path === '/v2/race/app/manifests/r1') {
            repushed = true;
            await putTag('race/app', 'r1', 'r1-again');
          }
        },
      });
      try {
        const result = await run(['--registry-url', proxy.url, '--repository', 'race/app', '--tags', 'r1,r2', '--apply', '--yes']);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(/race\/app:r1 now points at sha256:[0-9a-f]{64}, not sha256:[0-9a-f]{64} as planned .*; nothing was deleted/);
        expect((await skopeoListTags(registry, 'race/app')).sort()).toEqual(['r1', 'r2', 'r3', 'v1']);
      } finally {
        await proxy.stop();
      }
    });

    it('stops with exit 3 when a later tag was pushed again while earlier ones were deleted, and says which were', async () => {
      let repushed = false;
      const proxy = await startProxy(registry.url, {
        async before(method, path) {
          if (!repushed && method === 'DELETE' && path.startsWith('/v2/race/app/manifests/')) {
            repushed = true;
            await putTag('race/app', 'r2', 'r2-again');
          }
        },
      });
      try {
        const result = await run(['--registry-url', proxy.url, '--repository', 'race/app', '--tags', 'r1,r2', '--apply', '--yes', '--json']);
        expect(result.code, result.stderr).toBe(3);
        const parsed = JSON.parse(result.stdout) as { error: string; changedBeforeFailure: string[] };
        expect(parsed.error).toMatch(/race\/app:r2 now points at .* stopped before deleting it, after 1 deletion/);
        expect(parsed.changedBeforeFailure).toEqual(['race/app:r1 deleted']);
        expect((await skopeoListTags(registry, 'race/app')).sort()).toEqual(['r2', 'r3', 'v1']);
        expect(await skopeoDigest(registry, 'race/app', 'r2')).toBeDefined();
      } finally {
        await proxy.stop();
      }
    });

    describe('the manifest delete takes every tag on the digest', () => {
      beforeAll(async () => {
        await skopeoPush(layout, registry, 'share/app', 'v1');
        await pushManyTags(layout, registry, 'share/app', ['s1', 's2', 'keep']);
      });

      it('refuses with exit 2 and deletes nothing when another tag was put on the planned digest after the plan', async () => {
        let tagged = false;
        // The backup reads s1's manifest after the plan: someone tags the same image prod at that moment.
        const proxy = await startProxy(registry.url, {
          async before(method, path) {
            if (!tagged && method === 'GET' && path === '/v2/share/app/manifests/s1') {
              tagged = true;
              await putTag('share/app', 'prod', 's1');
            }
          },
        });
        try {
          const result = await run(['--registry-url', proxy.url, '--repository', 'share/app', '--tags', 's1', '--apply', '--yes']);
          expect(tagged).toBe(true);
          expect(result.code, result.stderr).toBe(2);
          expect(result.stderr).toMatch(/share\/app:s1's manifest sha256:[0-9a-f]{64} now also carries prod .*; nothing was deleted/);
          expect((await skopeoListTags(registry, 'share/app')).sort()).toEqual(['keep', 'prod', 's1', 's2', 'v1']);
          expect(await skopeoDigest(registry, 'share/app', 'prod')).toBe(await skopeoDigest(registry, 'share/app', 's1'));
        } finally {
          await proxy.stop();
        }
      });

      it('verify fails with exit 3 when an unselected tag moved onto the manifest between the re-check and the delete', async () => {
        let moved = false;
        // No re-check can close this window (the registry has no conditional delete): keep is moved
        // onto s2's manifest the moment its DELETE arrives, and goes with it.
        const proxy = await startProxy(registry.url, {
          async before(method, path) {
            if (!moved && method === 'DELETE' && path.startsWith('/v2/share/app/manifests/')) {
              moved = true;
              await putTag('share/app', 'keep', 's2');
            }
          },
        });
        try {
          const result = await run(['--registry-url', proxy.url, '--repository', 'share/app', '--tags', 's2', '--apply', '--yes', '--json']);
          expect(moved).toBe(true);
          expect(result.code, result.stderr).toBe(3);
          const parsed = JSON.parse(result.stdout) as { error: string };
          expect(parsed.error).toContain('keep of share/app, not selected, no longer resolve');
          expect((await skopeoListTags(registry, 'share/app')).sort()).toEqual(['prod', 's1', 'v1']);
        } finally {
          await proxy.stop();
        }
      });
    });

    it('refuses a tag the registry lists but cannot serve, naming it with escape sequences escaped', async () => {
      mkdirSync(join(registry.v2, 'repositories/race/app/_manifests/tags', 'r9\u001b[2J'));
      const result = await run(['--registry-url', registry.url, '--repository', 'race/app', '--pattern', 'r9*']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('race/app:r9\\x1b[2J listed but not served by the registry');
      expect(result.stderr).not.toContain('\u001b');
    });
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
