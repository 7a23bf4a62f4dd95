import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStorageOwnership, writableBy } from './storage-ownership.ts';

// Real files with real owners: the tests run as root (as the page's chown does), so they can
// give parts of the tree to other users.
let dir: string;
let root: string;

/** A small registry-like tree, all of it 10000:10000 and writable, as prepare leaves it. */
function healthyTree() {
  const repo = join(root, 'docker/registry/v2/repositories/library/alpine/_manifests/tags/3.20/current');
  const blob = join(root, 'docker/registry/v2/blobs/sha256/ab/abcd');
  mkdirSync(repo, { recursive: true });
  mkdirSync(blob, { recursive: true });
  writeFileSync(join(repo, 'link'), 'sha256:abcd');
  writeFileSync(join(blob, 'data'), '{}');
  execFileSync('chown', ['-R', '10000:10000', root]);
  return { repo, blob };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-storage-'));
  root = join(dir, 'registry');
  mkdirSync(root);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.getuid?.() === 0)('checkStorageOwnership on a real tree', () => {
  it('finds nothing wrong with a tree owned by 10000:10000', () => {
    healthyTree();
    const report = checkStorageOwnership({ root });
    expect(report.entries).toBe(17);
    expect(report.notOwned).toEqual([]);
    expect(report.notWritable).toEqual([]);
    expect(report.chown).toEqual([]);
    expect(report.findings).toEqual([
      {
        level: 'ok',
        message: `all 17 entries under ${root} are owned by 10000:10000 and writable by it`,
        section: 'registry-storage-permission-denied › 1. See who owns the storage, as the registry sees it',
      },
    ]);
  });

  it('lists a root-owned subtree and a file of another uid, with one chown at the top of each, which fix it', () => {
    const { blob } = healthyTree();
    const restored = join(root, 'docker/registry/v2/repositories/library/nginx');
    mkdirSync(join(restored, '_layers'), { recursive: true });
    writeFileSync(join(restored, '_layers/link'), 'x');
    execFileSync('chown', ['-R', '0:0', restored]);
    chownSync(join(blob, 'data'), 999, 999);
    chmodSync(join(blob, 'data'), 0o644);

    const report = checkStorageOwnership({ root });
    expect(report.notOwned.map((entry) => [entry.path, entry.uid])).toEqual([
      [join(blob, 'data'), 999],
      [restored, 0],
      [join(restored, '_layers'), 0],
      [join(restored, '_layers/link'), 0],
    ]);
    expect(report.notWritable.map((entry) => entry.path)).toEqual(report.notOwned.map((entry) => entry.path));
    expect(report.chown).toEqual([
      ['chown', '-h', '10000:10000', join(blob, 'data')],
      ['chown', '-h', '-R', '10000:10000', restored],
    ]);
    expect(report.findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        /^4 of 20 entries under .* are not owned by 10000:10000: .*data \(999:999 0644\), .*nginx \(0:0 0755\), .*_layers \(0:0 0755\) and 1 more$/,
      ),
      '4 entries are not writable by 10000:10000 (push fails with "permission denied")',
    ]);
    expect(report.findings[0]!.section).toBe('registry-storage-permission-denied › 2. Give the tree to 10000:10000');

    for (const argv of report.chown) execFileSync(argv[0]!, argv.slice(1));
    expect(checkStorageOwnership({ root }).findings.map((finding) => finding.level)).toEqual(['ok']);
  });

  it('gives the whole tree one chown when the root itself is wrong, and honours another uid:gid', () => {
    healthyTree();
    chownSync(root, 0, 0);
    expect(checkStorageOwnership({ root }).chown).toEqual([['chown', '-h', '-R', '10000:10000', root]]);
    execFileSync('chown', ['-R', '999:999', root]);
    const as999 = checkStorageOwnership({ root, uid: 999, gid: 999 });
    expect(as999.findings.map((finding) => finding.level)).toEqual(['ok']);
  });

  it('names entries that are owned but whose mode forbids writing', () => {
    const { repo } = healthyTree();
    chmodSync(join(repo, 'link'), 0o444);
    chmodSync(repo, 0o555);
    const report = checkStorageOwnership({ root });
    expect(report.notOwned).toEqual([]);
    expect(report.notWritable.map((entry) => entry.path)).toEqual([repo, join(repo, 'link')]);
    expect(report.findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        /^2 entries are not writable by 10000:10000 .*; 2 of them are owned by 10000:10000 but their mode forbids writing \(chmod u\+rwX\)/,
      ),
    ]);
  });

  it('does not follow a symlink out of the tree', () => {
    healthyTree();
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'x');
    symlinkSync(outside, join(root, 'docker/escape'));
    const report = checkStorageOwnership({ root });
    expect(report.symlinksSkipped).toBe(1);
    expect(report.notOwned).toEqual([]);
  });

  it('stops at the bound and says so', () => {
    healthyTree();
    const report = checkStorageOwnership({ root, maxEntries: 5 });
    expect(report.entries).toBe(5);
    expect(report.truncated).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ level: 'warn', message: `stopped after 5 entries; the rest of ${root} was not checked` })]);
  });

  it('counts an entry that is listed but gone when read, and walks on', () => {
    healthyTree();
    // A name that is not UTF-8 is listed with a replacement character, a name lstat cannot find: as an entry removed between the listing and the read.
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x75, 0xff, 0x70])]), '');
    const report = checkStorageOwnership({ root });
    expect([report.entries, report.vanished, report.notOwned]).toEqual([17, 1, []]);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ level: 'warn', message: '1 entries disappeared while the walk read them (a push or garbage collection running?)' }),
    );
  });

  it('reports a missing root', () => {
    expect(checkStorageOwnership({ root: join(dir, 'nope') }).findings).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/cannot read the storage root .*: ENOENT/) }),
    ]);
  });
});

describe('writableBy', () => {
  it('reads the owner, group or other bits that apply, and needs search permission on directories', () => {
    const entry = (kind: 'directory' | 'file', uid: number, gid: number, mode: number) => ({ path: '/x', kind, uid, gid, mode });
    expect(writableBy(entry('file', 10000, 0, 0o600), 10000, 10000)).toBe(true);
    expect(writableBy(entry('file', 0, 10000, 0o664), 10000, 10000)).toBe(true);
    expect(writableBy(entry('file', 0, 0, 0o664), 10000, 10000)).toBe(false);
    expect(writableBy(entry('directory', 10000, 10000, 0o600), 10000, 10000)).toBe(false);
    expect(writableBy(entry('directory', 0, 0, 0o777), 10000, 10000)).toBe(true);
    expect(writableBy(entry('file', 5, 5, 0o000), 0, 0)).toBe(true);
  });
});
