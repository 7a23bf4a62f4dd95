// dangling-tags against a real distribution 2.8 registry: the 0 B state of Harbor 1.x is
// reproduced for real by removing what distribution 2.6.2's delete race removed (a revision
// link) and a manifest blob; the registry then lists those tags but cannot serve them. A
// second registry holds every storage layout the scan must read as distribution does, and a
// third is configured as Harbor 2.x configures its own registry.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { runCli } from '../test/support/cli.ts';
import { expectRefusals, type RefusalCase } from '../test/support/refusals.ts';
import { startHarborStandIn, type HarborStandIn } from '../test/support/harbor-stand-in.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { createShim, type Shim } from '../test/support/shim.ts';
import { buildImageLayout, skopeoDigest, skopeoListTags, skopeoPush, OCI_MANIFEST, type ImageLayout } from '../test/support/oci.ts';
import { startRegistry, treeHash, type RegistryServer } from '../test/support/registry.ts';

const TAGS = ['v1', 'v2', 'v3', 'v4', 'v5'];
let registry: RegistryServer;
let layout: ImageLayout;
let work: string;
let harbor1: HarborStandIn;

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
    const response = await fetch(`${registry.url}/v2/proj/app/manifests/${manifest.digest}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: manifest.body,
    });
    expect(response.status).toBe(201);
  }
}

const backupDir = () => mkdtempSync(join(work, 'backup-'));

/** A directory holding `tool`, a shell script, to put first on PATH (it finds its own directory as $(dirname "$0")). */
function wrapperDir(tool: string, script: string): string {
  const dir = mkdtempSync(join(work, `${tool}-wrapper-`));
  writeFileSync(join(dir, tool), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, tool), 0o755);
  return dir;
}

/** `test` with a shim (test/support/shim.ts) where the compose registry container exists; anything else fails. */
async function withRegistryShim(test: (shim: Shim) => Promise<void>): Promise<void> {
  const shim = createShim({ containers: ['registry'], otherwise: 'fail' });
  try {
    await test(shim);
  } finally {
    shim.cleanup();
  }
}

const run = (args: string[], env: Record<string, string> = {}) => runCli(['run', 'dangling-tags', ...args], { env });
/** --apply on the first registry, behind the Harbor 1.x stand-in, backups in `backup`. */
const applyArgs = (backup: string) => [
  '--registry-storage',
  registry.storage,
  '--registry-url',
  registry.url,
  '--harbor-url',
  harbor1.url,
  '--apply',
  '--yes',
  '--json',
  '--backup-dir',
  backup,
];
const json = (stdout: string) =>
  JSON.parse(stdout) as {
    exitCode: number;
    findings: { level: string; data?: { repository: string; tag: string; digest: string } }[];
    facts: { dangling: number; scanned: number };
    changes: { data?: { restore: string[] }; backup?: string }[];
    backupPaths: string[];
    auditPath?: string;
    error?: string;
  };
const danglingOf = (stdout: string) =>
  json(stdout)
    .findings.filter((finding) => finding.level === 'problem')
    .map((finding) => `${finding.data!.repository}:${finding.data!.tag}`);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hkb-dangling-'));
  registry = await startRegistry();
  layout = await buildImageLayout(TAGS);
  for (const tag of TAGS) await skopeoPush(layout, registry, 'proj/app', tag);
  for (const tag of ['v1', 'v2']) await skopeoPush(layout, registry, 'proj/other', tag);
  harbor1 = await startHarborStandIn({ major: 1, password: 'unused', repositories: {} });
});

afterAll(async () => {
  await harbor1?.stop();
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
      [
        ['--registry-storage', registry.storage, '--registry-url', `http://127.0.0.1:${closedPort}`, '--apply', '--yes'],
        /cannot reach the registry at (http:\/\/127\.0\.0\.1:\d+): GET \1\/v2\/: ECONNREFUSED/,
      ],
      [['--registry-storage', registry.storage, '--apply', '--yes'], /--apply needs --registry-url/],
      // A bare registry says nothing about the Harbor in front of it: no moves until Harbor's URL tells the version.
      [
        ['--registry-storage', registry.storage, '--registry-url', registry.url, '--apply', '--yes'],
        /is a registry, not Harbor .*the Harbor version is unknown.*Pass --harbor-url/,
      ],
      [
        ['--registry-storage', registry.storage, '--registry-url', registry.url, '--harbor-url', `http://127.0.0.1:${closedPort}`, '--apply', '--yes'],
        /no Harbor answers \/api\/ping or \/api\/v2.0\/ping at .* \(--harbor-url\)/,
      ],
      [['--registry-storage', registry.storage, '--registry-url', registry.url, '--harbor-url', harbor1.url, '--apply'], /not on a terminal, pass --yes/],
      [['--registry-storage', 'relative/path', '--target', 'compose'], /must be an absolute path/],
      [[], /--registry-storage is required/],
    ];
    await expectRefusals((args) => run([...args, '--backup-dir', backupDir()]), cases);
    expect(treeHash(registry.storage)).toBe(before);
  });

  it('--apply quarantines exactly those tags, the registry stops listing them, healthy tags still pull, and a rerun finds nothing', async () => {
    const before = treeHash(registry.storage);
    const backup = backupDir();
    const result = await run(applyArgs(backup));
    expect(result.code, result.stderr).toBe(0);
    const parsed = json(result.stdout);
    expect((parsed as unknown as { changes: { verified: string }[] }).changes[0]!.verified).toBe(
      'the registry no longer lists the 2 quarantined tag(s), and the 3 other tag(s) of that repository still serve their manifests',
    );
    expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['v1', 'v3', 'v5']);
    for (const tag of ['v1', 'v3', 'v5']) expect(await skopeoDigest(registry, 'proj/app', tag)).toBe(layout.manifests.get(tag)!.digest);
    for (const tag of ['v1', 'v2']) expect(await skopeoDigest(registry, 'proj/other', tag)).toBe(layout.manifests.get(tag)!.digest);
    const quarantined = readdirTags(backup);
    expect(quarantined.sort()).toEqual(['proj/app:v2', 'proj/app:v4']);
    const audit = readFileSync(parsed.auditPath!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(audit.at(-1)).toMatchObject({ playbook: 'dangling-tags', mode: 'apply', ok: true });

    const again = await run(applyArgs(backupDir()));
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
    const shim = createShim({
      containers: ['registry'],
      workloads: [{ namespace: 'harbor', name: 'deploy/hk-harbor-registry', container: 'registry' }],
      otherwise: 'fail',
    });
    try {
      const dry = await run(
        ['--target', 'k8s', '--namespace', 'harbor', '--release', 'hk', '--registry-storage', registry.storage, '--json', '--backup-dir', backupDir()],
        { PATH: shim.path },
      );
      expect(dry.code, dry.stderr).toBe(0);
      expect(danglingOf(dry.stdout).sort()).toEqual(['proj/app:v2', 'proj/app:v4']);
      const k8sCall = shim.calls().find((call) => call[0] === 'kubectl')!;
      expect(k8sCall.slice(0, 10)).toEqual(['kubectl', '-n', 'harbor', 'exec', '-i', 'deploy/hk-harbor-registry', '-c', 'registry', '--', 'find']);

      const backup = backupDir();
      const apply = await run(['--target', 'compose', ...applyArgs(backup)], { PATH: shim.path });
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

const ESCAPE_TAG = 'n3\u001b[2J';
const LAYOUT_TAGS = ['r1', 'r2', 'l1', 'l2', 'n1', 'n2', 'g1', 'g2', 'q1'];

describe('dangling-tags on every storage layout distribution 2.8 reads (Harbor 1.x registry, token auth)', () => {
  const PASSWORD = 'dangling-layouts-secret';
  let layouts: RegistryServer;
  let images: ImageLayout;
  let savedRace: string;
  const digestOf = (tag: string) => images.manifests.get(tag)!.digest;
  const repoDir = (repository: string) => join(layouts.v2, 'repositories', repository);
  const revisionDir = (repository: string, tag: string) => join(repoDir(repository), '_manifests/revisions/sha256', digestOf(tag).slice('sha256:'.length));
  const runLayouts = (args: string[], env: Record<string, string> = {}) =>
    run(['--registry-storage', layouts.storage, '--registry-url', layouts.url, '--registry-user', 'admin', ...args], { REGISTRY_PASSWORD: PASSWORD, ...env });
  /** --apply on one repository through the compose target, with `path` as PATH. */
  const composeApply = (repository: string, path: string) =>
    runLayouts(['--target', 'compose', '--repository', repository, '--apply', '--yes', '--json', '--backup-dir', backupDir()], { PATH: path });
  const head = async (repository: string, tag: string) => {
    const token = await fetch(`${layouts.url}/v2/`).then((response) => response.headers.get('www-authenticate')!);
    const realm = /realm="([^"]+)"/.exec(token)![1]!;
    const scoped = await fetch(`${realm}?service=harbor-registry&scope=repository:${repository}:pull`, {
      headers: { authorization: 'Basic ' + Buffer.from(`admin:${PASSWORD}`).toString('base64') },
    }).then((response) => response.json() as Promise<{ token: string }>);
    return (
      await fetch(`${layouts.url}/v2/${repository}/manifests/${encodeURIComponent(tag)}`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${scoped.token}`, accept: OCI_MANIFEST },
      })
    ).status;
  };

  beforeAll(async () => {
    // The storage root itself has a "repositories" component, as /srv/repositories/registry would.
    layouts = await startRegistry({ storagePath: 'srv/repositories/registry', auth: { user: 'admin', password: PASSWORD } });
    images = await buildImageLayout(LAYOUT_TAGS);
    const pushes: [string, string[]][] = [
      ['team/repositories/app', ['r1', 'r2']],
      ['legacy/app', ['l1', 'l2']],
      ['proj/nocurrent', ['n1', 'n2']],
      ['proj/garbage', ['g1', 'g2']],
      ['proj/race', ['q1']],
    ];
    for (const [repository, tags] of pushes) for (const tag of tags) await skopeoPush(images, layouts, repository, tag);
    // A repository path with a component named "repositories": r2 loses its revision link.
    rmSync(revisionDir('team/repositories/app', 'r2'), { recursive: true });
    // l1's manifest is linked only under _layers, as distribution 2.1.0 wrote it: still served.
    const layersLink = join(repoDir('legacy/app'), '_layers/sha256', digestOf('l1').slice('sha256:'.length));
    mkdirSync(layersLink, { recursive: true });
    renameSync(join(revisionDir('legacy/app', 'l1'), 'link'), join(layersLink, 'link'));
    rmSync(revisionDir('legacy/app', 'l1'), { recursive: true });
    rmSync(revisionDir('legacy/app', 'l2'), { recursive: true });
    // Tag directories without current/link (one named with a terminal escape sequence).
    rmSync(join(repoDir('proj/nocurrent'), '_manifests/tags/n2/current'), { recursive: true });
    mkdirSync(join(repoDir('proj/nocurrent'), '_manifests/tags', ESCAPE_TAG));
    writeFileSync(join(repoDir('proj/garbage'), '_manifests/tags/g2/current/link'), 'garbage');
    // q1 is broken now and repaired while an apply is under way (below).
    savedRace = join(work, 'race-revision');
    cpSync(revisionDir('proj/race', 'q1'), savedRace, { recursive: true });
    rmSync(revisionDir('proj/race', 'q1'), { recursive: true });
  });

  afterAll(async () => {
    images?.cleanup();
    await layouts?.stop();
  });

  it('the registry serves the healthy tags of each layout and lists but cannot serve the broken ones', async () => {
    for (const [repository, tag] of [
      ['team/repositories/app', 'r1'],
      ['legacy/app', 'l1'],
      ['proj/nocurrent', 'n1'],
      ['proj/garbage', 'g1'],
    ] as const)
      expect(await skopeoDigest(layouts, repository, tag)).toBe(digestOf(tag));
    for (const [repository, tag] of [
      ['team/repositories/app', 'r2'],
      ['legacy/app', 'l2'],
      ['proj/nocurrent', 'n2'],
      ['proj/nocurrent', ESCAPE_TAG],
      ['proj/race', 'q1'],
    ] as const) {
      expect(await skopeoListTags(layouts, repository)).toContain(tag);
      expect(await head(repository, tag)).toBe(404);
    }
    expect(await head('proj/garbage', 'g2')).toBe(500);
  });

  it('refuses the whole apply with nothing moved when a candidate answers 200 right before the move', () =>
    // The tar copy (compose backup) runs after the plan and before the moves; a tar first on
    // PATH repairs q1 at that moment, as a re-push between plan and change would.
    withRegistryShim(async (shim) => {
      const wrapper = wrapperDir('tar', `cp -r '${savedRace}' '${revisionDir('proj/race', 'q1')}'\nexec /usr/bin/tar "$@"`);
      const result = await composeApply('proj/race', `${wrapper}:${shim.path}`);
      expect(result.code, result.stderr).toBe(2);
      expect(json(result.stdout).error).toContain('proj/race:q1 answered 200 (the registry serves it: it is not dangling)');
      expect(json(result.stdout).error).toContain('nothing was moved');
      expect(shim.calls().filter((call) => call[4] === 'mv' || call[4] === 'mkdir')).toEqual([]);
      expect(existsSync(join(repoDir('proj/race'), '_manifests/tags/q1/current/link'))).toBe(true);
      expect(await skopeoDigest(layouts, 'proj/race', 'q1')).toBe(digestOf('q1'));
    }));

  it('a move that fails after another was done ends with exit 3, saying what moved and how to put it back', () =>
    // An mv first on PATH fails the second move, as a full disk would.
    withRegistryShim(async (shim) => {
      const wrapper = wrapperDir(
        'mv',
        [
          'count="$(dirname "$0")/count"',
          'n=$(cat "$count" 2>/dev/null || echo 0)',
          'echo $((n + 1)) > "$count"',
          'if [ "$n" -ge 1 ]; then echo "mv: cannot move: No space left on device" >&2; exit 1; fi',
          'exec /usr/bin/mv "$@"',
        ].join('\n'),
      );
      const result = await composeApply('proj/nocurrent', `${wrapper}:${shim.path}`);
      expect(result.code, result.stderr).toBe(3);
      const parsed = json(result.stdout) as ReturnType<typeof json> & { changedBeforeFailure: string[]; restore: string[] };
      expect(parsed.error).toContain('moved 1 of 2 tag directories, then: ');
      expect(parsed.error).toContain('No space left on device');
      expect(parsed.changedBeforeFailure).toEqual([expect.stringMatching(/^proj\/nocurrent:n2 moved to .*harbor-kb-quarantine/)]);
      expect(parsed.restore).toHaveLength(1);
      expect(result.stderr).toContain('to restore:');
      expect(await skopeoListTags(layouts, 'proj/nocurrent')).not.toContain('n2');
      // The printed command puts it back.
      await $({ quiet: true, env: { ...process.env, PATH: shim.path } })`sh -c ${parsed.restore[0]!}`;
      expect(await skopeoListTags(layouts, 'proj/nocurrent')).toContain('n2');
    }));

  it('a move done and then an audit record that cannot be written ends with exit 3 and the way back', async () => {
    const backup = backupDir();
    mkdirSync(join(backup, 'audit.jsonl'));
    const result = await runLayouts(['--repository', 'team/repositories/app', '--apply', '--yes', '--json', '--backup-dir', backup]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(`could not write the audit record in ${backup} (EISDIR)`);
    const parsed = json(result.stdout) as ReturnType<typeof json> & { changedBeforeFailure: string[]; restore: string[] };
    expect(parsed.changedBeforeFailure).toEqual([expect.stringContaining('1 tag directory quarantined')]);
    expect(await skopeoListTags(layouts, 'team/repositories/app')).toEqual(['r1']);
    expect(parsed.restore).toHaveLength(1);
    await $({ quiet: true })`sh -c ${parsed.restore[0]!}`;
    expect((await skopeoListTags(layouts, 'team/repositories/app')).sort()).toEqual(['r1', 'r2']);
  });

  it('dry-run finds exactly the broken tags of every layout, printed with escape sequences escaped', async () => {
    const before = treeHash(layouts.storage);
    const result = await runLayouts(['--json', '--backup-dir', backupDir()]);
    expect(result.code, result.stderr).toBe(0);
    expect(danglingOf(result.stdout).sort()).toEqual(
      ['legacy/app:l2', 'proj/garbage:g2', `proj/nocurrent:${ESCAPE_TAG}`, 'proj/nocurrent:n2', 'team/repositories/app:r2'].sort(),
    );
    expect(json(result.stdout).facts).toMatchObject({ scanned: 10, dangling: 5 });
    const text = await runLayouts(['--backup-dir', backupDir()]);
    expect(text.stdout).toContain('proj/nocurrent:n3\\x1b[2J → (no digest): the tag directory has no current/link');
    expect(text.stdout).toContain('proj/garbage:g2 → garbage: current/link does not hold a digest');
    expect(text.stdout).toContain("is Harbor 1.x's own registry reached directly");
    expect(text.stdout + text.stderr).not.toContain('\u001b');
    expect(treeHash(layouts.storage)).toBe(before);
  });

  it('--apply moves only the broken tags, under their real repository names, and every healthy tag still pulls', async () => {
    const backup = backupDir();
    const result = await runLayouts(['--apply', '--yes', '--json', '--backup-dir', backup]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirTags(backup).sort()).toEqual(
      ['legacy/app:l2', 'proj/garbage:g2', `proj/nocurrent:${ESCAPE_TAG}`, 'proj/nocurrent:n2', 'team/repositories/app:r2'].sort(),
    );
    for (const [repository, tags] of [
      ['team/repositories/app', ['r1']],
      ['legacy/app', ['l1']],
      ['proj/nocurrent', ['n1']],
      ['proj/garbage', ['g1']],
      ['proj/race', ['q1']],
    ] as const) {
      expect(await skopeoListTags(layouts, repository)).toEqual(tags);
      for (const tag of tags) expect(await skopeoDigest(layouts, repository, tag)).toBe(digestOf(tag));
    }
    expect(result.stdout).not.toContain(PASSWORD);
  });
});

describe('dangling-tags against the registry of Harbor 2.x reached directly (htpasswd auth)', () => {
  it('recognises it, explains that tags live in the database, and refuses --apply without --force-storage', async () => {
    const v2Registry = await startRegistry({ htpasswd: { user: 'admin', password: 'h2-secret' } });
    const images = await buildImageLayout(['h1', 'h2']);
    try {
      for (const tag of ['h1', 'h2']) await skopeoPush(images, v2Registry, 'proj/app', tag);
      rmSync(join(v2Registry.v2, 'repositories/proj/app/_manifests/revisions/sha256', images.manifests.get('h2')!.digest.slice('sha256:'.length)), {
        recursive: true,
      });
      const before = treeHash(v2Registry.storage);
      const args = ['--registry-storage', v2Registry.storage, '--registry-url', v2Registry.url, '--registry-user', 'admin', '--backup-dir', backupDir()];
      const dry = await run(args, { REGISTRY_PASSWORD: 'h2-secret' });
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain("is Harbor 2.x's own registry reached directly");
      expect(dry.stdout).toContain('This is Harbor 2.x: tags live in its database');
      const apply = await run([...args, '--apply', '--yes'], { REGISTRY_PASSWORD: 'h2-secret' });
      expect(apply.code).toBe(2);
      expect(apply.stderr).toContain('Pass --force-storage to move the directories anyway');
      expect(treeHash(v2Registry.storage)).toBe(before);
    } finally {
      images.cleanup();
      await v2Registry.stop();
    }
  });
});

describe('dangling-tags --repository and the links as distribution reads them', () => {
  let scoped: RegistryServer;
  let images: ImageLayout;
  const tagDir = (repository: string, tag: string) => join(scoped.v2, 'repositories', repository, '_manifests/tags', tag);
  const runScoped = (args: string[]) =>
    run(['--registry-storage', scoped.storage, '--registry-url', scoped.url, '--json', '--backup-dir', backupDir(), ...args]);

  beforeAll(async () => {
    scoped = await startRegistry();
    images = await buildImageLayout(['s1', 's2']);
    await skopeoPush(images, scoped, 'proj/app', 's1');
    // A repository below proj/app, with a tag directory of its own that has no current/link.
    await skopeoPush(images, scoped, 'proj/app/sub', 's2');
    mkdirSync(tagDir('proj/app/sub', 'broken'));
  });

  afterAll(async () => {
    images?.cleanup();
    await scoped?.stop();
  });

  it('--repository proj/app neither reports nor moves the tags of proj/app/sub', async () => {
    mkdirSync(tagDir('proj/app', 'gone'));
    const dry = await runScoped(['--repository', 'proj/app']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(danglingOf(dry.stdout)).toEqual(['proj/app:gone']);
    expect(json(dry.stdout).facts).toMatchObject({ scanned: 2, dangling: 1 });
    const apply = await runScoped(['--repository', 'proj/app', '--harbor-url', harbor1.url, '--apply', '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await skopeoListTags(scoped, 'proj/app')).toEqual(['s1']);
    expect((await skopeoListTags(scoped, 'proj/app/sub')).sort()).toEqual(['broken', 's2']);
    const all = await runScoped([]);
    expect(danglingOf(all.stdout)).toEqual(['proj/app/sub:broken']);
  });

  it('a current/link that is more than one digest (a trailing newline, two lines) is dangling: the registry answers 500', async () => {
    const digest = images.manifests.get('s1')!.digest;
    for (const [tag, content] of [
      ['newline', `${digest}\n`],
      ['twolines', `garbage\n${digest}`],
    ] as const) {
      mkdirSync(join(tagDir('proj/app', tag), 'current'), { recursive: true });
      writeFileSync(join(tagDir('proj/app', tag), 'current/link'), content);
      expect((await fetch(`${scoped.url}/v2/proj/app/manifests/${tag}`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } })).status).toBe(500);
    }
    expect((await skopeoListTags(scoped, 'proj/app')).sort()).toEqual(['newline', 's1', 'twolines']);
    const dry = await runScoped(['--repository', 'proj/app']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(danglingOf(dry.stdout)).toEqual(['proj/app:newline', 'proj/app:twolines']);
    const text = await run(['--registry-storage', scoped.storage, '--repository', 'proj/app', '--backup-dir', backupDir()]);
    expect(text.stdout).toContain(`proj/app:newline → ${digest}\\x0a: current/link does not hold a digest`);
    const apply = await runScoped(['--repository', 'proj/app', '--harbor-url', harbor1.url, '--apply', '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await skopeoListTags(scoped, 'proj/app')).toEqual(['s1']);
    expect(await skopeoDigest(scoped, 'proj/app', 's1')).toBe(digest);
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
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
