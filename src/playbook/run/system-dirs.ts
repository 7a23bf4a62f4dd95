// Directories a run must never write its backups and audit log into: the operating system's
// own trees (a root run would drop files into /etc or /usr) and the bare top-level
// directories everything else lives under.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { refuse } from '../errors.ts';

/** Nothing under these. */
const SYSTEM_TREES = [
  '/etc',
  '/bin',
  '/sbin',
  '/usr',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/dev',
  '/proc',
  '/sys',
  '/run',
  '/var/lib',
  '/var/run',
  '/var/spool',
  '/var/cache',
];
/** Not these themselves (a subdirectory is fine: /var/backups/harbor-kb, /home/ops/backups). */
const SYSTEM_ROOTS = ['/', '/var', '/var/log', '/var/backups', '/home', '/root', '/opt', '/srv', '/mnt', '/media', '/tmp', '/var/tmp'];

/** The path with symlinks resolved as far as it exists (a link into /etc counts as /etc). */
function realPath(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(existing.slice(dirname(existing).length).replace(/^\//, ''));
    existing = dirname(existing);
  }
  return resolve(realpathSync(existing), ...rest);
}

/** Refuses (exit 2) a --backup-dir (or what `flag` names, with its own `advice`) that is a system directory or inside one. */
export function refuseSystemDirectory(
  dir: string,
  flag = '--backup-dir',
  advice = 'pass a directory of its own, e.g. /var/backups/harbor-kb or ./harbor-kb-backups',
): void {
  const path = realPath(dir);
  const inside = SYSTEM_TREES.find((tree) => path === tree || path.startsWith(tree + sep));
  if (inside || SYSTEM_ROOTS.includes(path)) {
    throw refuse(`${flag} ${path} is a system directory${inside && inside !== path ? ` (inside ${inside})` : ''}; ${advice}`);
  }
}
