// The owners of a registry storage tree, read and changed in one of two places: on this host
// (direct, and compose, whose storage is the host's data_volume/registry), with lstat and
// file descriptors opened O_NOFOLLOW; or inside the registry pod (k8s), with find, stat,
// chown -h and chmod through kubectl exec. Neither ever follows a symbolic link.
import { closeSync, constants, fchmodSync, fchownSync, lchownSync, lstatSync, openSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { checkStorageOwnership } from '../../src/checks/storage-ownership.ts';
import { fail, incomplete, refuse } from '../../src/playbook/errors.ts';
import { commandError, commandText, runProcess } from '../../src/playbook/platform/commands.ts';
import type { Target } from '../../src/playbook/platform/targets.ts';
import { refuseSystemDirectory } from '../../src/playbook/run/system-dirs.ts';

export interface OwnedEntry {
  path: string;
  kind: 'directory' | 'file' | 'other';
  uid: number;
  gid: number;
  /** Permission bits, e.g. 0o755 (setuid and friends included). */
  mode: number;
}

/** One entry to change: as it was when planned, and the owner (and, for a restore, the mode) it gets. */
export interface Change {
  entry: OwnedEntry;
  uid: number;
  gid: number;
  mode?: number;
}

export interface OwnerScan {
  /** Entries looked at, when the walk counts them (this host). */
  entries?: number;
  notOwned: OwnedEntry[];
  /** Owned by the registry's user, but its mode keeps the owner from writing. */
  lockedByMode: OwnedEntry[];
  symlinks: number;
  /** The walk stopped at its --max-entries bound: what lies beyond was not read. */
  truncated: boolean;
  /** Listed by the walk but gone before it could be read (a push or garbage collection running). */
  vanished: number;
}

export interface OwnerTree {
  root: string;
  /** For output: the root and where it is read. */
  where: string;
  /** Refuses a root that is not a directory, is a system directory, or holds something other than a registry. */
  checkRoot(): Promise<void>;
  /** Walks the tree; on this host it stops after `maxEntries` entries (the pod's find has no bound). */
  scan(uid: number, gid: number, maxEntries: number): Promise<OwnerScan>;
  /** The entries as they are now; a path that no longer exists is absent. */
  stat(paths: readonly string[]): Promise<Map<string, OwnedEntry>>;
  /** With --apply: refuses when the owners cannot be changed from here (not root). */
  refuseUnlessChangeable(apply: boolean): Promise<void>;
  preview(changes: readonly Change[]): string[];
  /** Re-reads every entry and refuses the whole change when any is no longer as planned. */
  confirm(changes: readonly Change[]): Promise<void>;
  /** Changes the entries; `restore` is what puts them back if it stops half way. Returns how many it changed. */
  change(changes: readonly Change[], restore: readonly string[]): Promise<number>;
}

const same = (a: OwnedEntry, b: OwnedEntry) => a.kind === b.kind && a.uid === b.uid && a.gid === b.gid && a.mode === b.mode;
const NOT_A_REGISTRY = (root: string) =>
  `${root} is not a registry storage root: it has no docker/registry/v2 and is not empty. Pass the directory the registry stores into (Harbor's data_volume/registry on this host, /storage in the pod)`;

/** Confirm before change: every entry is read again and must be exactly as planned; one that was fixed or changed meanwhile refuses all. */
async function confirmAll(tree: Pick<OwnerTree, 'stat'>, changes: readonly Change[]): Promise<void> {
  const now = await tree.stat(changes.map((change) => change.entry.path));
  const moved = changes.filter((change) => {
    const current = now.get(change.entry.path);
    return current !== undefined && !same(current, change.entry);
  });
  if (moved.length) {
    const first = moved[0]!;
    const current = now.get(first.entry.path)!;
    throw refuse(
      `right before the change, ${moved.length} entries were no longer as planned (e.g. ${first.entry.path}: ${first.entry.uid}:${first.entry.gid} when planned, ${current.uid}:${current.gid} now); nothing was changed. Rerun the dry-run.`,
    );
  }
}

function entryOf(path: string, stats: Stats): OwnedEntry {
  const kind = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  return { path, kind, uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 };
}

function isDirectoryNoLink(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What a change that stopped half way says: nothing (fail) or what it did (incomplete). */
function stoppedAt(done: number, total: number, why: string, restore: readonly string[]) {
  if (done === 0) return fail(`${why}; nothing was changed`);
  return incomplete(`changed ${done} of ${total} entries, then: ${why}`, [`${done} entries have their new owner`], restore);
}

/** The storage on this host: direct, and compose's data_volume/registry; `origin` names where `root` came from (--storage-path, a manifest). */
export function localTree(root: string, origin: string): OwnerTree {
  const tree: OwnerTree = {
    root,
    where: `${root} on this host`,
    async checkRoot() {
      if (!isDirectoryNoLink(root)) throw refuse(`${root} is not a directory (or is a symbolic link: give the directory it points to)`);
      refuseSystemDirectory(root, origin, 'a registry storage root is a directory of its own (data_volume/registry, e.g. /data/registry)');
      const registry = ['docker', 'docker/registry', 'docker/registry/v2'].every((part) => isDirectoryNoLink(`${root}/${part}`));
      if (!registry && readdirSync(root).length > 0) throw refuse(NOT_A_REGISTRY(root));
    },
    async scan(uid, gid, maxEntries) {
      const report = checkStorageOwnership({ root, uid, gid, maxEntries });
      const unreadable = report.findings.find((finding) => finding.level === 'error' && /^cannot (read|list)/.test(finding.message));
      if (unreadable) throw fail(unreadable.message);
      return {
        entries: report.entries,
        notOwned: report.notOwned,
        lockedByMode: report.notWritable.filter((entry) => !report.notOwned.includes(entry)),
        symlinks: report.symlinksSkipped,
        truncated: report.truncated,
        vanished: report.vanished,
      };
    },
    async stat(paths) {
      const found = new Map<string, OwnedEntry>();
      for (const path of paths) {
        try {
          found.set(path, entryOf(path, lstatSync(path)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      return found;
    },
    async refuseUnlessChangeable(apply) {
      if (apply && process.getuid?.() !== 0) throw refuse('changing owners needs root: run the playbook as root (sudo)');
    },
    preview: (changes) =>
      changes.flatMap((change) => [
        `chown -h ${change.uid}:${change.gid} ${change.entry.path}`,
        ...(change.mode === undefined ? [] : [`chmod ${change.mode.toString(8).padStart(4, '0')} ${change.entry.path}`]),
      ]),
    confirm: (changes) => confirmAll(tree, changes),
    async change(changes, restore) {
      const realRoot = realpathSync(root);
      let done = 0;
      for (const change of changes) {
        const { path } = change.entry;
        try {
          // Right before this entry: still as planned, and its directory still inside the tree (no parent swapped for a link).
          const current = entryOf(path, lstatSync(path));
          if (!same(current, change.entry)) throw new Error(`${path} changed since it was checked`);
          const parent = realpathSync(dirname(path));
          if (path !== root && parent !== realRoot && !parent.startsWith(`${realRoot}/`)) throw new Error(`${path} is no longer inside ${root}`);
          if (current.kind === 'other') lchownSync(path, change.uid, change.gid);
          else {
            const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
            try {
              fchownSync(fd, change.uid, change.gid);
              if (change.mode !== undefined) fchmodSync(fd, change.mode);
            } finally {
              closeSync(fd);
            }
          }
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw stoppedAt(done, changes.length, (error as NodeJS.ErrnoException).code ?? (error as Error).message, restore);
        }
        done++;
      }
      return done;
    },
  };
  return tree;
}

const STAT_FORMAT = '--printf=%F|%u|%g|%a|%n\\0';

/** stat --printf records: type|uid|gid|octal mode|name, NUL-ended (a name may hold | or a newline). */
function parseStat(output: string): OwnedEntry[] {
  return output
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [type = '', uid = '', gid = '', mode = ''] = record.split('|', 4);
      const path = record.split('|').slice(4).join('|');
      const kind = type === 'directory' ? 'directory' : type.startsWith('regular') ? 'file' : 'other';
      return { path, kind, uid: Number(uid), gid: Number(gid), mode: Number.parseInt(mode, 8) };
    });
}

/** The storage inside the registry pod (k8s): commands through Target.exec('registry'). */
export function podTree(target: Target, root: string): OwnerTree {
  const run = async (argv: readonly string[], input?: string, allowed: readonly number[] = []) => {
    const command = target.exec('registry', argv);
    const result = await runProcess(command, input);
    if (result.exitCode !== 0 && !allowed.includes(result.exitCode)) throw refuse(`in ${target.where('registry')}: ${commandError(command, result)}`);
    return result;
  };
  // A live registry removes entries while find walks: find (or the stat it runs) then exits 1
  // saying "No such file or directory". Such entries are counted, as the walk on this host does;
  // any other complaint still refuses the scan.
  const walk = async (argv: readonly string[]) => {
    const result = await run(argv, undefined, [1]);
    const complaints = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/^command terminated with exit code 1$/.test(line.trim()));
    if (result.exitCode === 1 && (complaints.length === 0 || !complaints.every((line) => line.endsWith('No such file or directory'))))
      throw refuse(`in ${target.where('registry')}: ${commandError(target.exec('registry', argv), result)}`);
    return { stdout: result.stdout, vanished: result.exitCode === 1 ? complaints.length : 0 };
  };
  const listing = (selection: readonly string[]) => walk(['find', root, '!', '-type', 'l', ...selection, '-exec', 'stat', STAT_FORMAT, '{}', '+']);
  const tree: OwnerTree = {
    root,
    where: `${root} in ${target.where('registry')}`,
    async checkRoot() {
      const self = await run(['find', root, '-maxdepth', '0', '-type', 'd']);
      if (self.stdout.trim() !== root) throw refuse(`${root} in ${target.where('registry')} is not a directory (or is a symbolic link)`);
      const v2 = await run(['find', `${root}/docker/registry/v2`, '-maxdepth', '0', '-type', 'd'], undefined, [1]);
      if (v2.stdout.trim() !== '') return;
      const children = await run(['find', root, '-mindepth', '1', '-maxdepth', '1']);
      if (children.stdout.trim() !== '') throw refuse(NOT_A_REGISTRY(root));
    },
    async scan(uid, gid) {
      const owner = ['(', '!', '-uid', String(uid), '-o', '!', '-gid', String(gid), ')'];
      const locked = [
        '-uid',
        String(uid),
        '-gid',
        String(gid),
        '(',
        '(',
        '-type',
        'd',
        '!',
        '-perm',
        '-u=wx',
        ')',
        '-o',
        '(',
        '!',
        '-type',
        'd',
        '!',
        '-perm',
        '-u=w',
        ')',
        ')',
      ];
      const links = await walk(['find', root, '-type', 'l', '-print0']);
      const notOwned = await listing(owner);
      const lockedByMode = uid === 0 ? { stdout: '', vanished: 0 } : await listing(locked);
      return {
        notOwned: parseStat(notOwned.stdout),
        lockedByMode: parseStat(lockedByMode.stdout),
        symlinks: links.stdout.split('\0').filter(Boolean).length,
        truncated: false,
        vanished: links.vanished + notOwned.vanished + lockedByMode.vanished,
      };
    },
    async stat(paths) {
      // xargs exits 123 when stat could not read some of them (gone meanwhile).
      const result = await run(['xargs', '-0', 'stat', STAT_FORMAT, '--'], paths.join('\0'), [123]);
      return new Map(parseStat(result.stdout).map((entry) => [entry.path, entry]));
    },
    async refuseUnlessChangeable(apply) {
      if (!apply) return;
      const id = (await run(['id', '-u'])).stdout.trim();
      if (id !== '0')
        throw refuse(
          `the registry container runs as uid ${id}, which cannot give files to another owner. Run the page's one-off pod as root that mounts the registry volume (registry-storage-permission-denied, step 2, Helm); this playbook lists what it must change`,
        );
    },
    preview: (changes) =>
      changes.flatMap((change) => [
        commandText(target.exec('registry', ['chown', '-h', `${change.uid}:${change.gid}`, '--', change.entry.path])),
        ...(change.mode === undefined ? [] : [commandText(target.exec('registry', ['chmod', change.mode.toString(8), '--', change.entry.path]))]),
      ]),
    confirm: (changes) => confirmAll(tree, changes),
    async change(changes, restore) {
      // One chown per owner and one chmod per mode, each over its paths on stdin (xargs -0).
      const batches = new Map<string, { argv: string[]; paths: string[] }>();
      const add = (key: string, argv: string[], path: string) => {
        const batch = batches.get(key) ?? { argv, paths: [] };
        batch.paths.push(path);
        batches.set(key, batch);
      };
      for (const change of changes)
        add(`chown ${change.uid}:${change.gid}`, ['xargs', '-0', 'chown', '-h', `${change.uid}:${change.gid}`, '--'], change.entry.path);
      for (const change of changes)
        if (change.mode !== undefined) add(`chmod ${change.mode.toString(8)}`, ['xargs', '-0', 'chmod', change.mode.toString(8), '--'], change.entry.path);
      for (const batch of batches.values()) {
        const command = target.exec('registry', batch.argv);
        const result = await runProcess(command, batch.paths.join('\0'));
        if (result.exitCode !== 0) {
          // xargs may have changed part of its batch, and earlier batches ran: count what differs now.
          const now = await tree.stat(changes.map((change) => change.entry.path));
          const changed = changes.filter((change) => {
            const current = now.get(change.entry.path);
            return current !== undefined && !same(current, change.entry);
          }).length;
          throw stoppedAt(changed, changes.length, commandError(command, result), restore);
        }
      }
      return changes.length;
    },
  };
  return tree;
}
