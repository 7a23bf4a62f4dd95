// Gives the registry's storage back to the user the registry runs as
// (content/issues/en/registry-storage-permission-denied.mdx): Harbor's registry image runs
// as harbor, UID/GID 10000 (make/photon/registry/Dockerfile.base; from 1.10 the container
// itself is USER harbor, 1.3-1.9 switch to #10000 with sudo after the entrypoint chowned
// /storage as root), so every directory and file below the storage root must belong to it.
// Lists the entries owned by anyone else; with --apply writes a manifest of their owners and
// modes, re-reads each right before it changes it, and changes only those, never following a
// symlink. `--restore <manifest>` puts the recorded owners and modes back.
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { resolve } from 'node:path';
import { pageSection, seeSection } from '../src/checks/finding.ts';
import { RELEASE_LINES } from '../src/lib/harbor/releases.ts';
import { lineOf, parseHarborVersion } from '../src/lib/harbor/version.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, PlaybookError, refuse } from '../src/playbook/errors.ts';
import { exclusive, integer, path, version } from '../src/playbook/flags.ts';
import type { PlanFinding, RunContext, Step } from '../src/playbook/types.ts';
import { localTree, podTree, type Change, type OwnedEntry, type OwnerTree } from './shared/owner-tree.ts';

const PAGE = 'registry-storage-permission-denied';
const SEE_OWNERS = seeSection(pageSection(PAGE, '1. See who owns the storage, as the registry sees it'));
const SEE_GIVE = seeSection(pageSection(PAGE, '2. Give the tree to 10000:10000'));
/** How many paths a finding names as samples. */
const SAMPLES = 5;

const FLAGS = {
  'storage-path': path({
    help: 'The registry storage root: on this host for direct and compose (data_volume/registry, e.g. /data/registry); inside the registry pod for k8s (default /storage).',
    example: '/data/registry',
  }),
  'harbor-yml': path({
    help: "direct/compose: Harbor's harbor.yml; the storage root is its data_volume plus /registry (what the compose file mounts at /storage).",
    example: '/opt/harbor/harbor.yml',
  }),
  uid: integer({ default: 10000, min: 0, max: 4_294_967_294, help: "The registry's user id (harbor, 10000, in every Harbor image from 1.3)." }),
  gid: integer({ default: 10000, min: 0, max: 4_294_967_294, help: "The registry's group id (harbor, 10000)." }),
  'harbor-version': version({
    help: 'The Harbor release, when known: releases before 1.5 are refused (their registry ran as root up to 1.2).',
    example: '2.10.0',
  }),
  'max-entries': integer({
    default: 200_000,
    min: 1,
    max: 100_000_000,
    help: 'direct/compose: stop the walk on this host after this many entries (it keeps every wrongly owned one in memory). A walk that stops there says so; --apply then changes only what it read and ends with exit 3. On k8s find walks the whole tree.',
  }),
  restore: path({ help: 'Put back the owners and modes a previous --apply recorded in this manifest (a *-owners.json in the backup dir).' }),
};
type Context = RunContext<typeof FLAGS, never>;

/**
 * The text of a file named on the command line: a regular file of at most `limit` bytes. It is
 * opened without blocking and checked before it is read, since a FIFO would wait for a writer
 * forever and a device such as /dev/zero never ends.
 */
function readGivenFile(option: string, file: string, limit: number, expected: string): string {
  const unreadable = (error: unknown) => refuse(`${option} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(error);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse(`${option} ${file} is not a regular file: pass ${expected}`);
    if (stat.size > limit) throw refuse(`${option} ${file} is ${stat.size} bytes, more than ${expected} can be (${limit} bytes)`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    for (let chunk = 1; read < stat.size && chunk > 0; read += chunk) chunk = readSync(fd, buffer, read, stat.size - read, read);
    return buffer.subarray(0, read).toString('utf8');
  } catch (error) {
    throw error instanceof PlaybookError ? error : unreadable(error);
  } finally {
    closeSync(fd);
  }
}

/** A harbor.yml is a few kilobytes; a megabyte leaves room for any comments. */
const HARBOR_YML_LIMIT = 1 << 20;
/** A manifest lists every entry an apply changed; the largest text Node can hold as one string is the most it can read. */
const MANIFEST_LIMIT = bufferConstants.MAX_STRING_LENGTH;

/** data_volume of a harbor.yml (1.8 and later), without a YAML parser: one top-level scalar. */
function dataVolume(file: string): string {
  const yaml = readGivenFile('--harbor-yml', file, HARBOR_YML_LIMIT, "Harbor's harbor.yml");
  const value = /^data_volume:\s*["']?([^"'#\s]+)["']?\s*(#.*)?$/m.exec(yaml)?.[1];
  if (!value) throw refuse(`--harbor-yml ${file} has no data_volume: line; pass --storage-path`);
  return value;
}

/** The storage root and where it came from. */
function storageRoot(context: Context): { root: string; origin: string } {
  const { values } = context;
  if (context.target.kind === 'k8s') {
    if (values['harbor-yml'] !== undefined)
      throw refuse('--harbor-yml is for direct and compose; on k8s pass --storage-path as the registry pod sees it (default /storage)');
    return { root: values['storage-path'] ?? '/storage', origin: '--storage-path' };
  }
  if (values['storage-path'] !== undefined) return { root: values['storage-path'], origin: '--storage-path' };
  if (values['harbor-yml'] !== undefined)
    return {
      root: `${dataVolume(values['harbor-yml']).replace(/\/+$/, '')}/registry`,
      origin: `the storage root of --harbor-yml ${values['harbor-yml']} (data_volume/registry),`,
    };
  throw refuse(`--target ${context.target.kind} needs the storage root on this host: --storage-path (e.g. /data/registry) or --harbor-yml`);
}

const describeEntry = (entry: OwnedEntry) => `${entry.path} (${entry.uid}:${entry.gid} ${entry.mode.toString(8).padStart(4, '0')})`;
const samples = (entries: readonly OwnedEntry[]) =>
  entries.slice(0, SAMPLES).map(describeEntry).join(', ') + (entries.length > SAMPLES ? ` and ${entries.length - SAMPLES} more` : '');

/** What a manifest holds: each changed entry as it was, so --restore can put it back. */
interface Manifest {
  playbook: 'fix-registry-storage-owner';
  root: string;
  entries: OwnedEntry[];
}

function readManifest(file: string): Manifest {
  const text = readGivenFile('--restore', file, MANIFEST_LIMIT, 'a manifest an --apply wrote (*-owners.json in the backup dir)');
  let parsed: Partial<Manifest>;
  try {
    parsed = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw refuse(`--restore ${file} cannot be read as a manifest (not JSON)`);
  }
  const entries = parsed.entries;
  const root = parsed.root;
  if (parsed.playbook !== 'fix-registry-storage-owner' || typeof root !== 'string' || !Array.isArray(entries))
    throw refuse(`--restore ${file} is not a manifest written by fix-registry-storage-owner`);
  for (const entry of entries) {
    const inside = typeof entry.path === 'string' && (entry.path === root || entry.path.startsWith(`${root}/`)) && !entry.path.split('/').includes('..');
    if (!inside || ![entry.uid, entry.gid, entry.mode].every((value) => Number.isInteger(value) && value >= 0))
      throw refuse(`--restore ${file}: an entry is malformed or outside ${root}`);
  }
  return { playbook: 'fix-registry-storage-owner', root, entries };
}

/** The restore command for a manifest, with the target options the run had. */
function restoreCommand(context: Context, manifest: string): string {
  const where =
    context.target.kind === 'k8s' && context.target.kubernetes
      ? ` --target k8s --namespace ${context.target.kubernetes.namespace} --fullname ${context.target.kubernetes.fullname}`
      : ` --target ${context.target.kind}`;
  return `npx harbor-kb run fix-registry-storage-owner --restore ${manifest}${where} --apply`;
}

function ownerStep(context: Context, tree: OwnerTree, changes: Change[], description: string, verify: () => Promise<string>): Step {
  const manifest = resolve(context.backupPath('owners', 'json'));
  const restore = [restoreCommand(context, manifest)];
  return {
    description,
    preview: [
      're-read every entry first: if any is no longer as listed, nothing changes',
      ...tree.preview(changes.slice(0, SAMPLES)),
      ...(changes.length > SAMPLES ? [`… and ${changes.length - SAMPLES} more`] : []),
    ],
    expected: changes.length,
    async backup() {
      const record: Manifest = { playbook: 'fix-registry-storage-owner', root: tree.root, entries: changes.map((change) => change.entry) };
      writeFileSync(manifest, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
      return { path: manifest, description: `the owner and mode of the ${changes.length} entries before the change`, restore };
    },
    async execute() {
      await tree.confirm(changes);
      const changed = await tree.change(changes, restore);
      return { changed, detail: `${changed} entries changed in ${tree.where}; to undo: ${restore[0]}` };
    },
    verify,
  };
}

/** What a walk that stopped at --max-entries says: the rest of the tree was not read, and how to read it. */
const partlyRead = (context: Context, where: string) =>
  `the walk stopped after --max-entries ${context.values['max-entries']} entries: only part of ${where} was read, and entries beyond them were not checked; run again with a larger --max-entries (more than the number of files and directories in the storage) to read all of it`;

async function planFix(context: Context, tree: OwnerTree) {
  const { uid, gid } = context.values;
  const limit = context.values['max-entries'];
  const owner = `${uid}:${gid}`;
  const scan = await context.report.spin(`reading owners under ${tree.where}`, () => tree.scan(uid, gid, limit));
  const findings: PlanFinding[] = [];
  const counted = scan.entries === undefined ? '' : ` of ${scan.entries}${scan.truncated ? ' read' : ''}`;
  if (scan.notOwned.length === 0) {
    const all = scan.truncated ? `the first ${scan.entries} entries read` : `all${scan.entries === undefined ? '' : ` ${scan.entries}`} entries`;
    findings.push({ level: 'info', message: `${all} under ${tree.where} are owned by ${owner} (${SEE_OWNERS})` });
  } else {
    const directories = scan.notOwned.filter((entry) => entry.kind === 'directory').length;
    findings.push({
      level: 'problem',
      message: `${scan.notOwned.length}${counted} entries under ${tree.where} are not owned by ${owner} (${directories} directories, ${scan.notOwned.length - directories} files and others): ${samples(scan.notOwned)}; the registry cannot write them and pushes fail with "permission denied" (${SEE_GIVE})`,
      data: { notOwned: scan.notOwned.length, directories, entries: scan.entries, truncated: scan.truncated },
    });
  }
  if (scan.lockedByMode.length)
    findings.push({
      level: 'warn',
      message: `${scan.lockedByMode.length} entries are owned by ${owner} but their mode forbids the owner to write: ${samples(scan.lockedByMode)}; chown does not change that: chmod u+rwX them (${SEE_OWNERS})`,
    });
  if (scan.symlinks)
    findings.push({ level: 'warn', message: `${scan.symlinks} symbolic links under ${tree.where} were not followed and are left as they are` });
  if (scan.vanished)
    findings.push({ level: 'warn', message: `${scan.vanished} entries disappeared while the walk read them (a push or garbage collection running?)` });
  const facts = { root: tree.root, notOwned: scan.notOwned.length, entries: scan.entries, truncated: scan.truncated };
  // A cut walk that found every entry it read owned has not shown that nothing is to do: the run fails with why.
  if (scan.notOwned.length === 0) return { findings, steps: [], facts, ...(scan.truncated && { notChecked: partlyRead(context, tree.where) }) };
  if (scan.truncated) findings.push({ level: 'warn', message: partlyRead(context, tree.where) });
  await tree.refuseUnlessChangeable(context.apply);
  const changes = scan.notOwned.map((entry) => ({ entry, uid, gid }));
  // Verify by walking the tree again: nothing in it may be owned by anyone else now. A walk that
  // stops at --max-entries has not seen the whole tree, so it cannot say the tree is fixed.
  const verify = async () => {
    const after = await tree.scan(uid, gid, limit);
    if (after.notOwned.length) throw fail(`after the change ${after.notOwned.length} entries are still not owned by ${owner}: ${samples(after.notOwned)}`);
    if (after.truncated)
      throw incomplete(
        `changed ${changes.length} entries; the tree has more than ${limit} entries, not verified beyond them (${partlyRead(context, tree.where)})`,
        [],
      );
    return `walked ${tree.where} again: every entry${after.entries === undefined ? '' : ` (${after.entries})`} is owned by ${owner}`;
  };
  return { findings, steps: [ownerStep(context, tree, changes, `give ${changes.length} entries under ${tree.where} to ${owner}`, verify)], facts };
}

async function planRestore(context: Context, file: string) {
  const manifest = readManifest(file);
  const tree = treeFor(context, manifest.root, `the root recorded in --restore ${file},`);
  await tree.checkRoot();
  const now = await tree.stat(manifest.entries.map((entry) => entry.path));
  const changes: Change[] = [];
  let gone = 0;
  for (const entry of manifest.entries) {
    const current = now.get(entry.path);
    if (!current) gone++;
    else if (current.uid !== entry.uid || current.gid !== entry.gid || current.mode !== entry.mode)
      changes.push({ entry: current, uid: entry.uid, gid: entry.gid, mode: entry.mode });
  }
  const findings: PlanFinding[] = [
    {
      level: 'info',
      message: `${manifest.entries.length} entries in ${file}: ${changes.length} differ from it now${gone ? `, ${gone} no longer exist (left alone)` : ''}`,
    },
  ];
  if (changes.length === 0) return { findings, steps: [] };
  await tree.refuseUnlessChangeable(context.apply);
  const verify = async () => {
    const after = await tree.stat(changes.map((change) => change.entry.path));
    const differ = changes.filter((change) => {
      const current = after.get(change.entry.path);
      return current && (current.uid !== change.uid || current.gid !== change.gid || current.mode !== change.mode);
    });
    if (differ.length) throw fail(`after the restore ${differ.length} entries still differ from ${file}: ${samples(differ.map((change) => change.entry))}`);
    return `re-read: the ${changes.length} entries have the owner and mode recorded in ${file}`;
  };
  return {
    findings,
    steps: [ownerStep(context, tree, changes, `put back the recorded owner and mode of ${changes.length} entries under ${tree.where}`, verify)],
  };
}

/**
 * The releases this playbook knows: 1.5 up to the newest line this site covers. Before 1.5 the
 * registry ran as root (0.x-1.2) or chowned /storage itself at every start (1.3-1.4); a release
 * newer than the site may run its registry as another user.
 */
function refuseUnknownRelease(release: string): void {
  const parsed = parseHarborVersion(release);
  const newest = RELEASE_LINES[RELEASE_LINES.length - 1];
  if (!parsed || parsed.major < 1 || (parsed.major === 1 && parsed.minor < 5))
    throw refuse(
      `Harbor ${release}: this playbook handles 1.5 and later (the registry runs as 10000:10000 from 1.3; up to 1.2 it ran as root, and 1.3-1.4 chown /storage at every start)`,
    );
  if (!RELEASE_LINES.some((line) => line === lineOf(parsed)))
    throw refuse(
      `Harbor ${release} is not a release this playbook knows (1.5 to ${newest}.x): check the user its registry runs as (docker exec registry id, or kubectl exec into the registry pod) and pass it as --uid/--gid without --harbor-version`,
    );
}

/** The tree under `root`; `origin` says where the root came from, for the messages that refuse it. */
function treeFor(context: Context, root: string, origin: string): OwnerTree {
  if (!root.startsWith('/')) throw refuse(`the storage root must be an absolute path, got ${JSON.stringify(root)}`);
  const normalised = root.replace(/\/+$/, '') || '/';
  return context.target.kind === 'k8s' ? podTree(context.target, normalised) : localTree(normalised, origin);
}

export const fixRegistryStorageOwner = definePlaybook({
  name: 'fix-registry-storage-owner',
  title: "Give the registry's storage back to UID/GID 10000",
  summary:
    "Walks the registry storage (on this host for direct and compose, inside the registry pod for k8s) without following symlinks and lists every directory and file not owned by the registry user 10000:10000, with counts and samples. With --apply it records each one's owner and mode in a manifest, re-reads each right before changing it, changes only those, and walks the tree again afterwards; --restore <manifest> puts the recorded owners and modes back. Harbor 1.5 and later.",
  remediates: ['registry-storage-permission-denied'],
  flags: FLAGS,
  // --restore takes the root from its manifest: a root given beside it would be ignored.
  groups: [exclusive('root', 'storage-path', 'harbor-yml', 'restore')],
  targets: ['direct', 'compose', 'k8s'],
  mutates: true,
  requires: [],
  async plan(context) {
    const release = context.values['harbor-version'];
    if (release !== undefined) refuseUnknownRelease(release);
    if (context.values.restore !== undefined) return planRestore(context, context.values.restore);
    const { root, origin } = storageRoot(context);
    const tree = treeFor(context, root, origin);
    await tree.checkRoot();
    return planFix(context, tree);
  },
});
