// dangling-tags against a real distribution 2.8 registry: the 0 B state of Harbor 1.x is
// reproduced for real by removing what distribution 2.6.2's delete race removed (a revision
// link) and a manifest blob; the registry then lists those tags but cannot serve them.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { runCli } from '../test/support/cli.ts';
import { expectRefusals, type RefusalCase } from '../test/support/refusals.ts';
import { startHarborStandIn } from '../test/support/harbor-stand-in.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { createCommandShim } from '../test/support/command-shim.ts';
import { buildImageLayout, skopeoDigest, skopeoListTags, skopeoPush, OCI_MANIFEST, type ImageLayout } from '../test/support/oci.ts';
import { startRegistry, treeHash, type RegistryServer } from '../test/support/registry.ts';

const TAGS = ['v1', 'v2', 'v3', 'v4', 'v5'];
let registry: RegistryServer;
let layout: ImageLayout;
let work: string;

const hex = (tag: string) => layout.manifests.get(tag)!.digest.slice('sha256:'.length);
const revisionLink = (repo: string, tag: string) => join(registry.v2, 'repositories', repo, '_manifests/revisions/sha256', hex(tag));
const manifestBlob = (tag: string) => join(registry.v2, 'blobs/sha256', hex(tag).slice(0, 2), hex(tag));

/** What the 2.6.2 race leaves: proj/app:v2 without its revision link, proj/app:v4 without its manifest blob. */
async function breakTags(): Promise<void> {
  rmSync(revisionLink('proj/app', 'v2'), { recursive: true });
  rmSync(manifestBlob('v4'), { recursive: true });
}

/** Puts the manifests back (PUT by digest recreates the revision link and the blob). */
async function repairManifests(): Promise<void> {
  for (const tag of ['v2', 'v4']) {
    const manifest = layout.manifests.get(tag)!;
    const response = await fetch(`${registry.url}/v2/proj/app/manifests/${manifest.digest}`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest.body });
    expect(response.status).toBe(201);
  }
}

const backupDir = () => mkdtempSync(join(work, 'backup-'));

const run = (args: string[], env: Record<string, string> = {}) => runCli(['run', 'dangling-tags', ...args], { env });
const json = (stdout: string) => JSON.parse(stdout) as { exitCode: number; findings: { level: string; data?: { repository: string; tag: string; digest: string } }[]; facts: { dangling: number; scanned: number }; changes: { data?: { restore: string[] }; backup?: string }[]; backupPaths: string[]; auditPath?: string; error?: string };
const danglingOf = (stdout: string) => json(stdout).findings.filter((finding) => finding.level === 'problem').map((finding) => `${finding.data!.repository}:${finding.data!.tag}`);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hkb-dangling-'));
  registry = await startRegistry();
  layout = await buildImageLayout(TAGS);
  for (const tag of TAGS) await skopeoPush(layout, registry, 'proj/app', tag);
  for (const tag of ['v1', 'v2']) await skopeoPush(layout, registry, 'proj/other', tag);
});

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('dangling-tags', () => {
  it('reproduces the 0 B state: the registry lists the broken tags but answers MANIFEST_UNKNOWN', async () => {
    await breakTags();
    expect(await skopeoListTags(registry, 'proj/app')).toEqual(expect.arrayContaining(TAGS));
    for (const tag of ['v2', 'v4']) {
      const response = await fetch(`${registry.url}/v2/proj/app/manifests/${tag}`, { headers: { accept: OCI_MANIFEST } });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('MANIFEST_UNKNOWN');
      expect(await skopeoDigest(registry, 'proj/app', tag)).toBeUndefined();
    }
    // proj/other shares the v2 manifest blob but keeps its own revision link: it still pulls.
    expect(await skopeoDigest(registry, 'proj/other', 'v2')).toBe(layout.manifests.get('v2')!.digest);
  });

  it('dry-run finds exactly the dangling tags and changes nothing', async () => {
    const before = treeHash(registry.storage);
    const result = await run(['--registry-storage', registry.storage, '--registry-url', registry.url, '--json', '--backup-dir', backupDir()]);
    expect(result.code, result.stderr).toBe(0);
    expect(danglingOf(result.stdout).sort()).toEqual(['proj/app:v2', 'proj/app:v4']);
    expect(json(result.stdout).facts).toMatchObject({ scanned: 7, dangling: 2 });
    const other = await run(['--registry-storage', registry.storage, '--repository', 'proj/other', '--json', '--backup-dir', backupDir()]);
    expect(json(other.stdout).facts).toMatchObject({ scanned: 2, dangling: 0 });
    const text = await run(['--registry-storage', registry.storage, '--backup-dir', backupDir()]);
    expect(text.stdout).toContain('the manifest revision link is missing');
    expect(text.stdout).toContain('the manifest blob data is missing');
    expect(text.stdout).toContain(`mv ${join(registry.v2, 'repositories/proj/app/_manifests/tags/v2')} `);
    expect(text.stdout).toContain('Pass --registry-url');
    expect(treeHash(registry.storage)).toBe(before);
  });

  it('refuses bad input with exit 2 and changes nothing', async () => {
    const before = treeHash(registry.storage);
    const closedPort = await freeLoopbackPort();
    const notRegistry = mkdtempSync(join(work, 'not-a-registry-'));
    mkdirSync(join(notRegistry, 'docker'));
    const cases: RefusalCase[] = [
      [['--registry-storage', notRegistry], /is not a registry storage root/],
      [['--registry-storage', join(work, 'missing')], /is not a registry storage root/],
      [['--registry-storage', registry.storage, '--repository', '../../etc'], /--repository must be a repository name/],
      [['--registry-storage', registry.storage, '--repository', 'proj/nothing-here'], /repository proj\/nothing-here does not exist/],
      [['--registry-storage', registry.storage, '--registry-url', `http://127.0.0.1:${closedPort}`, '--apply', '--yes'], /cannot reach the registry at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/],
      [['--registry-storage', registry.storage, '--apply', '--yes'], /--apply needs --registry-url/],
      [['--registry-storage', registry.storage, '--registry-url', registry.url, '--apply'], /not on a terminal, pass --yes/],
      [['--registry-storage', 'relative/path', '--target', 'compose'], /must be an absolute path/],
      [[], /--registry-storage is required/],
    ];
    await expectRefusals((args) => run([...args, '--backup-dir', backupDir()]), cases);
    expect(treeHash(registry.storage)).toBe(before);
  });

  it('--apply quarantines exactly those tags, the registry stops listing them, healthy tags still pull, and a rerun finds nothing', async () => {
    const before = treeHash(registry.storage);
    const backup = backupDir();
    const result = await run(['--registry-storage', registry.storage, '--registry-url', registry.url, '--apply', '--yes', '--json', '--backup-dir', backup]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = json(result.stdout);
    expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['v1', 'v3', 'v5']);
    for (const tag of ['v1', 'v3', 'v5']) expect(await skopeoDigest(registry, 'proj/app', tag)).toBe(layout.manifests.get(tag)!.digest);
    for (const tag of ['v1', 'v2']) expect(await skopeoDigest(registry, 'proj/other', tag)).toBe(layout.manifests.get(tag)!.digest);
    const quarantined = readdirTags(backup);
    expect(quarantined.sort()).toEqual(['proj/app:v2', 'proj/app:v4']);
    const audit = readFileSync(parsed.auditPath!, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(audit.at(-1)).toMatchObject({ playbook: 'dangling-tags', mode: 'apply', ok: true });

    const again = await run(['--registry-storage', registry.storage, '--registry-url', registry.url, '--apply', '--yes', '--json', '--backup-dir', backupDir()]);
    expect(again.code).toBe(0);
    expect(json(again.stdout).facts.dangling).toBe(0);

    // The printed restore commands put the storage back exactly as it was ...
    for (const command of parsed.changes[0]!.data!.restore) await $({ quiet: true })`${command.split(' ')}`;
    expect(treeHash(registry.storage)).toBe(before);
    expect(await skopeoListTags(registry, 'proj/app')).toEqual(expect.arrayContaining(TAGS));
    // ... and once the manifests are back, the restored tags pull again.
    await repairManifests();
    for (const tag of ['v2', 'v4']) expect(await skopeoDigest(registry, 'proj/app', tag)).toBe(layout.manifests.get(tag)!.digest);
  });

  it('on Harbor 2.x (told by its ping) explains that tags live in the database and refuses --apply without --force-storage', async () => {
    const harbor = await startHarborStandIn({ major: 2, password: 'unused', repositories: {} });
    await breakTags();
    try {
      const before = treeHash(registry.storage);
      const dry = await run(['--registry-storage', registry.storage, '--registry-url', harbor.url, '--backup-dir', backupDir()]);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('This is Harbor 2.x: tags live in its database');
      expect(dry.stdout).toContain('--apply is refused without --force-storage');
      const apply = await run(['--registry-storage', registry.storage, '--registry-url', harbor.url, '--apply', '--yes', '--backup-dir', backupDir()]);
      expect(apply.code).toBe(2);
      expect(apply.stderr).toContain('Pass --force-storage to move the directories anyway');
      expect(treeHash(registry.storage)).toBe(before);
    } finally {
      await harbor.stop();
      await repairManifests();
    }
  });

  it('reaches the storage inside the registry container through docker exec (compose) and kubectl exec (k8s)', async () => {
    // The shims run the inner command locally, so the storage path inside is the test's.
    await breakTags();
    const shim = createCommandShim({ container: 'registry', namespace: 'harbor', workload: 'deploy/hk-harbor-registry' });
    try {
      const dry = await run(['--target', 'k8s', '--namespace', 'harbor', '--release', 'hk', '--registry-storage', registry.storage, '--json', '--backup-dir', backupDir()], { PATH: shim.path });
      expect(dry.code, dry.stderr).toBe(0);
      expect(danglingOf(dry.stdout).sort()).toEqual(['proj/app:v2', 'proj/app:v4']);
      const k8sCall = shim.calls().find((call) => call[0] === 'kubectl')!;
      expect(k8sCall.slice(0, 10)).toEqual(['kubectl', '-n', 'harbor', 'exec', '-i', 'deploy/hk-harbor-registry', '-c', 'registry', '--', 'find']);

      const backup = backupDir();
      const apply = await run(['--target', 'compose', '--registry-storage', registry.storage, '--registry-url', registry.url, '--apply', '--yes', '--json', '--backup-dir', backup], { PATH: shim.path });
      expect(apply.code, apply.stderr).toBe(0);
      const dockerCalls = shim.calls().filter((call) => call[0] === 'docker');
      expect(dockerCalls.every((call) => call.slice(0, 4).join(' ') === 'docker exec -i registry')).toBe(true);
      expect(dockerCalls.some((call) => call[4] === 'tar')).toBe(true);
      expect(dockerCalls.filter((call) => call[4] === 'mv').map((call) => call[5])).toEqual([
        join(registry.v2, 'repositories/proj/app/_manifests/tags/v2'),
        join(registry.v2, 'repositories/proj/app/_manifests/tags/v4'),
      ]);
      expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['v1', 'v3', 'v5']);
      const archive = json(apply.stdout).backupPaths[0]!;
      const listing = (await $({ quiet: true })`tar -tf ${archive}`).stdout;
      expect(listing).toContain('proj/app/_manifests/tags/v2/current/link');
      expect(existsSync(join(registry.storage, 'harbor-kb-quarantine'))).toBe(true);
    } finally {
      shim.cleanup();
    }
  });
});

/** repository:tag of every tag directory in a direct quarantine under `backup`. */
function readdirTags(backup: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const entry of readdirSafe(dir)) {
      if (entry === 'tags' && parts.at(-1) === '_manifests') {
        for (const tag of readdirSafe(join(dir, entry))) out.push(`${parts.slice(1, -1).join('/')}:${tag}`);
      } else walk(join(dir, entry), [...parts, entry]);
    }
  };
  walk(backup, []);
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}
