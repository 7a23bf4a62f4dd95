// fix-registry-storage-owner on the file tree a real distribution 2.8 registry wrote, running
// as 10000:10000 as Harbor's registry image does: images pushed with skopeo, parts of the tree
// then given to root or another uid (the tests run as root, as the page's chown does), so the
// next push fails with the registry's real "permission denied".
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkStorageOwnership } from '../src/checks/storage-ownership.ts';
import { loadSignatureViews } from '../src/lib/content/node.ts';
import { CLI, runCli } from '../test/support/cli.ts';
import { buildImageLayout, skopeoDigest, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { expectRefusals } from '../test/support/refusals.ts';
import { startRegistry, type RegistryServer } from '../test/support/registry.ts';
import { createShim } from '../test/support/shim.ts';
import { runOnTerminal } from '../test/support/terminal.ts';

const HARBOR = { uid: 10000, gid: 10000 };
let signature: RegExp;
let layout: ImageLayout;
let registry: RegistryServer;
let dir: string;
let backups: string;

interface Result {
  findings: { level: string; message: string }[];
  changes: { verified?: string; restore?: string[]; backup?: string }[];
}

/** Every entry under the storage as uid:gid:mode, by path (find -printf, independent of the playbook). */
function owners(root: string): Map<string, string> {
  const lines = execFileSync('find', [root, '-printf', '%U:%G:%m %p\\n'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return new Map(lines.map((line) => [line.slice(line.indexOf(' ') + 1), line.slice(0, line.indexOf(' '))]));
}

const run = (args: string[], env: Record<string, string> = {}) => runCli(['run', 'fix-registry-storage-owner', '--backup-dir', backups, ...args], { env });
const push = (repository: string) => skopeoPush(layout, registry, repository, 'v1');

/** What breaks it in the field: a restore copied as root into the repositories, and one blob given to uid 999 without read for others. */
function breakTree(): void {
  execFileSync('chown', ['-R', '0:0', join(registry.v2, 'repositories')]);
  const blob = execFileSync('find', [join(registry.v2, 'blobs'), '-name', 'data'], { encoding: 'utf8' }).split('\n')[0]!;
  chownSync(blob, 999, 999);
  chmodSync(blob, 0o640);
}

/** The printed restore command, run as the operator would (without the npx prefix). */
function restoreArgs(line: string): string[] {
  const words = line.split(' ');
  return [...words.slice(words.indexOf('run') + 2), '--yes'];
}

beforeAll(async () => {
  const page = (await loadSignatureViews()).find((view) => view.id === 'registry-storage-permission-denied');
  const first = page?.signatures[0];
  if (!first) throw new Error('the page registry-storage-permission-denied has no signature');
  signature = new RegExp(first.pattern, first.ignoreCase ? 'i' : '');
  layout = await buildImageLayout(['v1']);
  return () => layout.cleanup();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-owner-'));
  chmodSync(dir, 0o755);
  // Not on /dev/shm: the playbook refuses storage inside /dev, a system tree.
  registry = await startRegistry({ user: HARBOR, storagePath: 'data/registry', parent: dir });
  backups = join(dir, 'backups');
});

afterEach(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Giving files to other owners needs root, as on the page.
const asRoot = describe.runIf(process.getuid?.() === 0);

asRoot('fix-registry-storage-owner on this host (direct, compose)', () => {
  it('reproduces the push failure, changes nothing in a dry-run, fixes only the wrong entries, and the manifest restores the old owners', async () => {
    await push('library/app');
    const digest = await skopeoDigest(registry, 'library/app', 'v1');
    breakTree();
    // A link out of the tree to a root-owned directory: neither it nor its target may change.
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(registry.v2, 'escape'));
    await expect(push('library/other')).rejects.toThrow(/500 Internal Server Error/);
    expect(registry.log()).toMatch(signature);
    expect(registry.log()).toMatch(/err\.detail="filesystem: mkdir [^"]*\/repositories\/library\/other: permission denied"/);
    const broken = owners(registry.storage);
    const wrong = [...broken].filter(([, owner]) => !owner.startsWith('10000:10000:'));

    const dry = await run(['--storage-path', registry.storage, '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as Result;
    const problem = plan.findings.find((finding) => finding.level === 'problem');
    expect(problem?.message).toMatch(
      new RegExp(
        `^${wrong.length - 1} of ${broken.size - 1} entries under .* are not owned by 10000:10000 \\(\\d+ directories, \\d+ files and others\\): .*repositories \\(0:0 0755\\)`,
      ),
    );
    expect(problem?.message).toMatch(
      /pushes fail with "permission denied" \(see \/issues\/registry-storage-permission-denied\/#fix, "2\. Give the tree to 10000:10000"\)$/,
    );
    expect(plan.findings).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^1 symbolic links under .* were not followed/) }),
    );
    expect(owners(registry.storage)).toEqual(broken);

    const applied = await run(['--storage-path', registry.storage, '--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as Result;
    expect(result.changes[0]!.verified).toBe(`walked ${registry.storage} on this host again: every entry (${broken.size - 1}) is owned by 10000:10000`);
    const fixed = owners(registry.storage);
    for (const [path, owner] of fixed) {
      if (path === join(registry.v2, 'escape')) expect(owner).toBe(broken.get(path));
      else expect(`${path} ${owner}`).toMatch(/ 10000:10000:/);
    }
    // chown changed only the owner: every mode is as it was.
    for (const [path, owner] of broken) expect(fixed.get(path)!.split(':')[2]).toBe(owner.split(':')[2]);
    expect(statSync(outside).uid).toBe(0);

    await push('library/other');
    expect(await skopeoDigest(registry, 'library/other', 'v1')).toBe(digest);
    expect(await skopeoDigest(registry, 'library/app', 'v1')).toBe(digest);
    const again = await run(['--storage-path', registry.storage, '--apply', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do.');

    const manifest = JSON.parse(readFileSync(result.changes[0]!.backup!, 'utf8')) as { entries: { path: string; uid: number; gid: number; mode: number }[] };
    expect(manifest.entries).toHaveLength(wrong.length - 1);
    const restored = await run(restoreArgs(result.changes[0]!.restore![0]!));
    expect(restored.code, restored.stderr).toBe(0);
    const after = owners(registry.storage);
    for (const [path, owner] of broken) expect(`${path} ${after.get(path)}`).toBe(`${path} ${owner}`);
  });

  it('fixes an empty storage root owned by root (first push: mkdir <root>/docker), found from harbor.yml data_volume on compose', async () => {
    chownSync(registry.storage, 0, 0);
    await expect(push('library/app')).rejects.toThrow(/500 Internal Server Error/);
    expect(registry.log()).toMatch(signature);
    expect(registry.log()).toContain(`filesystem: mkdir ${registry.storage}/docker: permission denied`);
    const harborYml = join(dir, 'harbor.yml');
    writeFileSync(harborYml, `hostname: harbor.example.com\ndata_volume: ${dirname(registry.storage)}  # where Harbor keeps its data\n`);

    const applied = await run(['--target', 'compose', '--harbor-yml', harborYml, '--apply', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`1 of 1 entries under ${registry.storage} on this host are not owned by 10000:10000`);
    expect(statSync(registry.storage).uid).toBe(10000);
    await push('library/app');
  });

  it('stops with exit 3 and a restore command that works when an entry cannot be changed half way (an immutable file)', async () => {
    await push('library/app');
    breakTree();
    const broken = owners(registry.storage);
    // The entry the walk lists last, so that others are changed before it fails.
    const last = checkStorageOwnership({ root: registry.storage }).notOwned.at(-1)!.path;
    execFileSync('chattr', ['+i', last]);
    try {
      const applied = await run(['--storage-path', registry.storage, '--apply', '--yes', '--json']);
      expect(applied.code, applied.stderr).toBe(3);
      const result = JSON.parse(applied.stdout) as Result & { changedBeforeFailure: string[]; restore: string[] };
      expect(result.changedBeforeFailure).toEqual([expect.stringMatching(/^\d+ entries have their new owner$/)]);
      expect(applied.stderr).toContain('EPERM');
      expect(owners(registry.storage).get(last)).toBe(broken.get(last));
      const restored = await run(restoreArgs(result.restore[0]!));
      expect(restored.code, restored.stderr).toBe(0);
      expect(owners(registry.storage)).toEqual(broken);
    } finally {
      execFileSync('chattr', ['-i', last]);
    }
  });
});

asRoot('fix-registry-storage-owner with --max-entries below the size of the tree', () => {
  it('a walk that stops at --max-entries says the tree was only partly read, and --apply changes what it read and ends with exit 3, not a claim that every entry is owned', async () => {
    await push('library/app');
    // The walk reads the root, docker, docker/registry, docker/registry/v2 and v2/blobs first:
    // one wrong owner among those five, and the repositories beyond them given to root.
    const blobs = join(registry.v2, 'blobs');
    chownSync(blobs, 0, 0);
    execFileSync('chown', ['-R', '0:0', join(registry.v2, 'repositories')]);
    const broken = owners(registry.storage);
    const limited = ['--storage-path', registry.storage, '--max-entries', '5'];

    const dry = await run(limited);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`1 of 5 read entries under ${registry.storage} on this host are not owned by 10000:10000`);
    expect(dry.stdout).toContain(
      `the walk stopped after --max-entries 5 entries: only part of ${registry.storage} on this host was read, and entries beyond them were not checked; run again with a larger --max-entries`,
    );
    expect(owners(registry.storage)).toEqual(broken);

    const applied = await run([...limited, '--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(3);
    expect(applied.stderr).toContain('changed 1 entries; the tree has more than 5 entries, not verified beyond them');
    const result = JSON.parse(applied.stdout) as { restore: string[] };
    expect(result.restore[0]).toMatch(/^npx harbor-kb run fix-registry-storage-owner --restore .*-owners\.json --target direct --apply$/);
    expect(applied.stderr).toContain(result.restore[0]);
    // Only what the walk read was changed: the repositories beyond the bound are still root's.
    const after = owners(registry.storage);
    expect(after.get(blobs)).toMatch(/^10000:10000:/);
    expect(after.get(join(registry.v2, 'repositories'))).toBe('0:0:755');

    const restored = await run(restoreArgs(result.restore[0]!));
    expect(restored.code, restored.stderr).toBe(0);
    expect(owners(registry.storage)).toEqual(broken);

    // Without the bound the whole tree is read, fixed and verified.
    const whole = await run(['--storage-path', registry.storage, '--apply', '--yes']);
    expect(whole.code, whole.stderr).toBe(0);
    expect([...owners(registry.storage).values()].every((owner) => owner.startsWith('10000:10000:'))).toBe(true);
  });

  it('a cut walk that finds every entry it read owned does not say there is nothing to do: exit 1, and why', async () => {
    await push('library/app');
    // Only the repositories, which the walk reaches after its first five entries, are root's.
    execFileSync('chown', ['-R', '0:0', join(registry.v2, 'repositories')]);
    const broken = owners(registry.storage);

    const cut = await run(['--storage-path', registry.storage, '--max-entries', '5', '--apply', '--yes', '--json']);
    expect(cut.code, cut.stderr).toBe(1);
    expect(cut.stdout).not.toContain('Nothing to do');
    expect(cut.stderr).toContain(`the walk stopped after --max-entries 5 entries: only part of ${registry.storage} on this host was read`);
    const result = JSON.parse(cut.stdout) as { exitCode: number; findings: { message: string }[] };
    expect(result.exitCode).toBe(1);
    expect(result.findings[0]!.message).toContain('the first 5 entries read');
    expect(owners(registry.storage)).toEqual(broken);

    // Read whole, the same tree is found and fixed.
    const whole = await run(['--storage-path', registry.storage, '--apply', '--yes']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(owners(registry.storage).get(join(registry.v2, 'repositories'))).toMatch(/^10000:10000:/);
  });
});

asRoot('fix-registry-storage-owner on k8s (kubectl exec into the registry container)', () => {
  it('k8s: lists and fixes through kubectl exec into the registry container, and restores through it', async () => {
    await push('library/app');
    breakTree();
    const broken = owners(registry.storage);
    const shim = createShim({ workloads: [{ namespace: 'harbor', name: 'deploy/harbor-registry', container: 'registry' }] });
    try {
      const env = { PATH: shim.path };
      const k8s = ['--target', 'k8s', '--namespace', 'harbor', '--storage-path', registry.storage];
      const dry = await run([...k8s, '--json'], env);
      expect(dry.code, dry.stderr).toBe(0);
      const wrong = [...broken].filter(([, owner]) => !owner.startsWith('10000:10000:')).length;
      expect((JSON.parse(dry.stdout) as Result).findings[0]!.message).toMatch(
        new RegExp(`^${wrong} entries under ${registry.storage} in deploy/harbor-registry`),
      );
      expect(owners(registry.storage)).toEqual(broken);

      const applied = await run([...k8s, '--apply', '--yes', '--json'], env);
      expect(applied.code, applied.stderr).toBe(0);
      expect([...owners(registry.storage).values()].every((owner) => owner.startsWith('10000:10000:'))).toBe(true);
      expect(shim.calls()).toContainEqual([
        'kubectl',
        '-n',
        'harbor',
        'exec',
        '-i',
        'deploy/harbor-registry',
        '-c',
        'registry',
        '--',
        'xargs',
        '-0',
        'chown',
        '-h',
        '10000:10000',
        '--',
      ]);
      await push('library/other');

      const restore = (JSON.parse(applied.stdout) as Result).changes[0]!.restore![0]!;
      expect(restore).toContain('--target k8s --namespace harbor --fullname harbor');
      const restored = await run(restoreArgs(restore), env);
      expect(restored.code, restored.stderr).toBe(0);
      const after = owners(registry.storage);
      for (const [path, owner] of broken) expect(after.get(path)).toBe(owner);
    } finally {
      shim.cleanup();
    }
  });

  it('k8s: a registry container that does not run as root gets the list, and --apply is refused', async () => {
    await push('library/app');
    breakTree();
    const uid = join(dir, 'uid');
    writeFileSync(uid, '10000\n');
    const shim = createShim({
      workloads: [{ namespace: 'default', name: 'deploy/harbor-registry', container: 'registry' }],
      answers: [{ prefix: ['kubectl'], includes: ['id', '-u'], file: uid }],
    });
    try {
      const broken = owners(registry.storage);
      const result = await run(['--target', 'k8s', '--storage-path', registry.storage, '--apply', '--yes'], { PATH: shim.path });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("runs as uid 10000, which cannot give files to another owner. Run the page's one-off pod");
      expect(owners(registry.storage)).toEqual(broken);
    } finally {
      shim.cleanup();
    }
  });
  it.each([
    ['is counted with a warning', 'gone', 0, /^! 1 entries disappeared while the walk read them/m],
    ['that find could not read still refuses the scan', 'locked', 2, /Permission denied/],
  ])('k8s: an entry %s (find exits 1 in the pod)', async (_case, name, code, expected) => {
    await push('library/app');
    breakTree();
    // What find really prints for a directory removed under it (a push or a GC in the pod), or one it may not enter.
    const missing = join(dir, name);
    if (name === 'locked') {
      mkdirSync(join(missing, 'inner'), { recursive: true });
      chmodSync(missing, 0o000);
    }
    const found = spawnSync('find', [missing], { encoding: 'utf8', uid: 65534 });
    expect(found.status).toBe(1);
    const shim = createShim({
      workloads: [{ namespace: 'harbor', name: 'deploy/harbor-registry', container: 'registry' }],
      answers: [{ prefix: ['kubectl'], includes: ['find', '-print0'], stderr: `${found.stderr}command terminated with exit code 1`, exitCode: 1 }],
    });
    try {
      const broken = owners(registry.storage);
      const result = await run(['--target', 'k8s', '--namespace', 'harbor', '--storage-path', registry.storage], { PATH: shim.path });
      expect(result.code, result.stderr).toBe(code);
      expect(code === 0 ? result.stdout : result.stderr).toMatch(expected);
      if (code === 0) expect(result.stdout).toMatch(/entries under .* are not owned by 10000:10000/);
      expect(owners(registry.storage)).toEqual(broken);
    } finally {
      if (name === 'locked') chmodSync(missing, 0o755);
      shim.cleanup();
    }
  });
});

asRoot('fix-registry-storage-owner refusals', () => {
  it.each([
    ['on this host', []],
    ['in the registry pod (k8s)', ['--target', 'k8s', '--namespace', 'harbor']],
  ])('refuses the whole apply when an entry was fixed between the plan and the change, %s', async (_where, target) => {
    await push('library/app');
    breakTree();
    const repositories = join(registry.v2, 'repositories');
    const broken = owners(registry.storage);
    const shim = createShim({ workloads: [{ namespace: 'harbor', name: 'deploy/harbor-registry', container: 'registry' }] });
    const screen = await runOnTerminal(
      [process.execPath, CLI, 'run', 'fix-registry-storage-owner', '--backup-dir', backups, '--storage-path', registry.storage, ...target, '--apply'],
      [{ when: 'Type "yes"', type: 'yes', before: () => chownSync(repositories, 10000, 10000) }],
      { PATH: shim.path },
    ).finally(() => shim.cleanup());
    expect(screen.code, screen.screen).toBe(2);
    expect(screen.screen).toContain('were no longer as planned');
    expect(screen.screen).toContain('nothing was changed');
    expect(owners(registry.storage)).toEqual(new Map([...broken, [repositories, '10000:10000:755']]));
  });

  it('refuses bad input, system directories and trees that are not a registry storage (exit 2)', async () => {
    const notRegistry = join(dir, 'home');
    mkdirSync(notRegistry);
    writeFileSync(join(notRegistry, 'notes.txt'), 'x');
    const link = join(dir, 'link');
    symlinkSync(registry.storage, link);
    const garbage = join(dir, 'garbage.json');
    writeFileSync(
      garbage,
      JSON.stringify({ playbook: 'fix-registry-storage-owner', root: registry.storage, entries: [{ path: '/etc/passwd', uid: 0, gid: 0, mode: 420 }] }),
    );
    await expectRefusals(run, [
      [[], /needs the storage root on this host: --storage-path .* or --harbor-yml/],
      [['--storage-path', '/etc'], /--storage-path \/etc is a system directory/],
      [['--storage-path', '/usr/lib'], /system directory/],
      [['--storage-path', notRegistry], /is not a registry storage root: it has no docker\/registry\/v2 and is not empty/],
      [['--storage-path', link], /is not a directory \(or is a symbolic link/],
      [['--storage-path', join(dir, 'missing')], /is not a directory/],
      [['--storage-path', 'relative/path'], /must be an absolute path/],
      [['--storage-path', registry.storage, '--harbor-yml', join(dir, 'harbor.yml')], /storage-path|harbor-yml/],
      [['--harbor-yml', join(dir, 'missing.yml')], /--harbor-yml .* cannot be read/],
      [['--storage-path', registry.storage, '--uid', '-1'], /--uid must be a whole number/],
      [['--storage-path', registry.storage, '--harbor-version', '1.4.0'], /Harbor 1\.4\.0: this playbook handles 1\.5 and later/],
      [['--storage-path', registry.storage, '--harbor-version', '0.5.0'], /Harbor 0\.5\.0: this playbook handles 1\.5 and later/],
      [['--storage-path', registry.storage, '--harbor-version', '9.0.0'], /Harbor 9\.0\.0 is not a release this playbook knows \(1\.5 to 2\.15\.x\)/],
      [['--storage-path', registry.storage, '--harbor-version', '1.11'], /Harbor 1\.11\.0 is not a release this playbook knows/],
      [['--restore', garbage], /an entry is malformed or outside/],
      [['--restore', join(dir, 'missing.json')], /--restore .*missing\.json cannot be read \(ENOENT\)/],
      [['--restore', garbage, '--storage-path', registry.storage], /give only one of --storage-path or --harbor-yml or --restore/],
      [['--storage-path', registry.storage, '--target', 'k8s', '--harbor-yml', join(dir, 'x.yml')], /storage-path|harbor-yml/],
    ]);
    // A release it knows, at either end, is taken.
    for (const known of ['1.5.0', '2.15.2']) {
      const taken = await run(['--storage-path', registry.storage, '--harbor-version', known]);
      expect(taken.code, taken.stderr).toBe(0);
    }
  });

  it('refuses a FIFO, a device or an oversized file as --restore or --harbor-yml instead of waiting on it or reading it whole (exit 2)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = join(dir, 'huge.yml');
    writeFileSync(huge, 'data_volume: /data\n');
    execFileSync('truncate', ['-s', '2M', huge]);
    const before = owners(registry.storage);
    await expectRefusals(run, [
      [['--restore', fifo], /--restore .*fifo is not a regular file: pass a manifest an --apply wrote/],
      [['--restore', '/dev/zero'], /--restore \/dev\/zero is not a regular file/],
      [['--restore', dir], /is not a regular file/],
      [['--harbor-yml', fifo, '--target', 'compose'], /--harbor-yml .*fifo is not a regular file: pass Harbor's harbor\.yml/],
      [['--harbor-yml', '/dev/zero', '--target', 'compose', '--apply', '--yes'], /--harbor-yml \/dev\/zero is not a regular file/],
      [['--harbor-yml', huge, '--target', 'compose'], /--harbor-yml .*huge\.yml is 2097152 bytes, more than Harbor's harbor\.yml can be \(1048576 bytes\)/],
    ]);
    expect(owners(registry.storage)).toEqual(before);
  });

  it('names where a system-directory root came from, and what a storage root should be', async () => {
    const manifest = join(dir, 'etc-owners.json');
    writeFileSync(
      manifest,
      JSON.stringify({ playbook: 'fix-registry-storage-owner', root: '/etc', entries: [{ path: '/etc/hostname', uid: 0, gid: 0, mode: 420 }] }),
    );
    const harborYml = join(dir, 'harbor.yml');
    // /etc/docker/registry: the config directory of the Debian docker-registry package the tests run the registry from.
    writeFileSync(harborYml, 'hostname: reg.example.com\ndata_volume: /etc/docker\n');
    await expectRefusals(run, [
      [
        ['--storage-path', '/'],
        /^error: --storage-path \/ is a system directory; a registry storage root is a directory of its own \(data_volume\/registry, e.g\. \/data\/registry\)$/m,
      ],
      [
        ['--restore', manifest],
        /^error: the root recorded in --restore .*etc-owners\.json, \/etc is a system directory; a registry storage root is a directory of its own/m,
      ],
      [
        ['--harbor-yml', harborYml, '--target', 'compose'],
        /^error: the storage root of --harbor-yml .*harbor\.yml \(data_volume\/registry\), \/etc\/docker\/registry is a system directory \(inside \/etc\)/m,
      ],
    ]);
    for (const result of await Promise.all([run(['--storage-path', '/']), run(['--restore', manifest])]))
      expect(result.stderr).not.toContain('harbor-kb-backups');
  });
});
