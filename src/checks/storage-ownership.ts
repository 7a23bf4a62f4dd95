// Who owns a registry storage tree, as the registry's user sees it: Harbor's registry runs as
// harbor, UID/GID 10000, and must be able to write every directory and file under its storage
// root. Walks the tree with lstat (symlinks are never followed: a link to / must not send the
// walk, or a later chown -R, elsewhere), stops after a bound, and lists what is owned by
// someone else or not writable, with the chown that fixes each. Page: registry-storage-permission-denied.
//
// Writable is judged from owner/group/other mode bits with the given UID and one GID; ACLs,
// supplementary groups and read-only mounts are not seen (the page's `touch` probe is).
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { pageSection, type CheckFinding } from './finding.ts';

const PAGE = 'registry-storage-permission-denied';
const SEE = pageSection(PAGE, '1. See who owns the storage, as the registry sees it');
const GIVE = pageSection(PAGE, '2. Give the tree to 10000:10000');
/** How many paths a finding's message names before "and N more". */
const EXAMPLES = 3;

export interface StorageOwnershipOptions {
  /** The storage root on this host (data_volume/registry for docker-compose, /storage in the pod). */
  root: string;
  uid?: number;
  gid?: number;
  /** Stop after this many entries (default 200 000); the report says when it stopped. */
  maxEntries?: number;
}

export interface StorageEntry {
  path: string;
  kind: 'directory' | 'file' | 'other';
  uid: number;
  gid: number;
  /** Permission bits, e.g. 0o755. */
  mode: number;
}

export interface StorageOwnershipReport {
  /** Entries looked at, the root included. */
  entries: number;
  /** The walk stopped at maxEntries. */
  truncated: boolean;
  symlinksSkipped: number;
  /** Listed in a directory but gone by the time the walk read it (an upload finished, a garbage collection ran). */
  vanished: number;
  notOwned: StorageEntry[];
  /** Owned by uid:gid or not, the registry's user cannot write it (a directory also needs search permission). */
  notWritable: StorageEntry[];
  findings: CheckFinding[];
  /** argv of each command that gives the tree to uid:gid: chown -R at the top of each wrongly owned subtree (only the top: -R covers the rest). */
  chown: string[][];
}

function entryOf(path: string, stats: Stats): StorageEntry {
  const kind = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  return { path, kind, uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 };
}

/** Whether uid:gid may write the entry (and search it, for a directory), by its mode bits. */
export function writableBy(entry: StorageEntry, uid: number, gid: number): boolean {
  if (uid === 0) return true;
  const shift = entry.uid === uid ? 6 : entry.gid === gid ? 3 : 0;
  const needed = entry.kind === 'directory' ? 0o3 : 0o2;
  return ((entry.mode >> shift) & needed) === needed;
}

const describe = (entry: StorageEntry) => `${entry.path} (${entry.uid}:${entry.gid} ${entry.mode.toString(8).padStart(4, '0')})`;
const examples = (entries: StorageEntry[]) =>
  entries.slice(0, EXAMPLES).map(describe).join(', ') + (entries.length > EXAMPLES ? ` and ${entries.length - EXAMPLES} more` : '');

export function checkStorageOwnership(options: StorageOwnershipOptions): StorageOwnershipReport {
  const uid = options.uid ?? 10000;
  const gid = options.gid ?? 10000;
  const limit = options.maxEntries ?? 200_000;
  const owner = `${uid}:${gid}`;
  const report: StorageOwnershipReport = {
    entries: 0,
    truncated: false,
    symlinksSkipped: 0,
    vanished: 0,
    notOwned: [],
    notWritable: [],
    findings: [],
    chown: [],
  };
  let rootStats: Stats;
  try {
    rootStats = lstatSync(options.root);
  } catch (error) {
    report.findings.push({
      level: 'error',
      message: `cannot read the storage root ${options.root}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      section: SEE,
    });
    return report;
  }
  if (!rootStats.isDirectory()) {
    report.findings.push({
      level: 'error',
      message: `the storage root ${options.root} is not a directory${rootStats.isSymbolicLink() ? ' (a symlink; give its target instead)' : ''}`,
      section: SEE,
    });
    return report;
  }
  // Depth-first with an explicit stack: storage trees are deep (…/_layers/sha256/<digest>/link).
  const stack: Array<{ path: string; stats: Stats }> = [{ path: options.root, stats: rootStats }];
  while (stack.length > 0) {
    if (report.entries >= limit) {
      report.truncated = true;
      break;
    }
    const { path, stats } = stack.pop()!;
    report.entries++;
    const entry = entryOf(path, stats);
    if (entry.uid !== uid || entry.gid !== gid) report.notOwned.push(entry);
    if (!writableBy(entry, uid, gid)) report.notWritable.push(entry);
    if (entry.kind !== 'directory') continue;
    stack.push(...children(path, report));
  }
  // -h: a symlink in the tree gets its own owner changed, never its target's.
  report.chown = topsOf(report.notOwned, options.root).map((entry) => ['chown', '-h', ...(entry.kind === 'directory' ? ['-R'] : []), owner, entry.path]);
  report.findings.push(...summarise(report, options.root, owner, limit));
  return report;
}

/** A directory's entries to walk, symlinks counted and left out; what cannot be listed or is gone meanwhile is noted in the report. */
function children(path: string, report: StorageOwnershipReport): Array<{ path: string; stats: Stats }> {
  let names: string[];
  try {
    names = readdirSync(path).sort().reverse();
  } catch (error) {
    report.findings.push({ level: 'error', message: `cannot list ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, section: SEE });
    return [];
  }
  return names.flatMap((name) => {
    const child = join(path, name);
    let stats: Stats;
    try {
      stats = lstatSync(child);
    } catch (error) {
      // A live registry creates and removes entries while the walk runs: one gone meanwhile is counted, not fatal.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      report.vanished++;
      return [];
    }
    if (stats.isSymbolicLink()) {
      report.symlinksSkipped++;
      return [];
    }
    return [{ path: child, stats }];
  });
}

/** The wrongly owned entries whose parent is correctly owned (or that are the root): chown -R there covers the rest. */
function topsOf(notOwned: StorageEntry[], root: string): StorageEntry[] {
  const wrong = new Set(notOwned.map((entry) => entry.path));
  return notOwned.filter((entry) => entry.path === root || !wrong.has(dirname(entry.path)));
}

function summarise(report: StorageOwnershipReport, root: string, owner: string, limit: number): CheckFinding[] {
  const findings: CheckFinding[] = [];
  if (report.notOwned.length > 0) {
    findings.push({
      level: 'error',
      message: `${report.notOwned.length} of ${report.entries} entries under ${root} are not owned by ${owner}: ${examples(report.notOwned)}`,
      section: GIVE,
    });
  }
  const ownedButLocked = report.notWritable.filter((entry) => !report.notOwned.includes(entry));
  if (report.notWritable.length > 0) {
    const locked =
      ownedButLocked.length > 0
        ? `; ${ownedButLocked.length} of them are owned by ${owner} but their mode forbids writing (chmod u+rwX): ${examples(ownedButLocked)}`
        : '';
    findings.push({
      level: 'error',
      message: `${report.notWritable.length} entries are not writable by ${owner} (push fails with "permission denied")${locked}`,
      section: SEE,
    });
  }
  if (report.truncated) findings.push({ level: 'warn', message: `stopped after ${limit} entries; the rest of ${root} was not checked`, section: SEE });
  if (report.vanished)
    findings.push({
      level: 'warn',
      message: `${report.vanished} entries disappeared while the walk read them (a push or garbage collection running?)`,
      section: SEE,
    });
  if (findings.length === 0)
    findings.push({ level: 'ok', message: `all ${report.entries} entries under ${root} are owned by ${owner} and writable by it`, section: SEE });
  return findings;
}
