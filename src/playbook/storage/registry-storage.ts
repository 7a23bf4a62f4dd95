// The registry's filesystem storage (distribution registry/storage/paths.go), reached
// through the target's registry component (Target.exec): a local path (direct), `docker exec
// <registry container>` (compose) or `kubectl exec deploy/<fullname>-registry -c registry` (k8s).
// Everything runs as argv commands (find, xargs, grep, mkdir, mv, tar) so the three targets
// share one code path.
import { commandError, runProcess, type Command } from '../platform/commands.ts';
import { fail, refuse } from '../errors.ts';
import { path, text, type Values } from '../flags.ts';
import { COMPOSE_COMPONENT_CONTAINERS } from '../../lib/harbor/compose-containers.ts';
import { CONTAINER_NAME, type Target } from '../platform/targets.ts';

export const STORAGE_FLAGS = {
  'registry-storage': path({
    required: true,
    help: "The registry's storage root (what Harbor mounts at /storage): on this host for direct (Harbor's data_volume/registry, e.g. /data/registry); inside the registry container for compose and k8s (/storage).",
    example: '/data/registry',
  }),
  'registry-container': text({ default: COMPOSE_COMPONENT_CONTAINERS.registry, ...CONTAINER_NAME, help: 'compose: the registry container.' }),
};
export type StorageValues = Values<typeof STORAGE_FLAGS>;

export interface RegistryStorage {
  /** The storage root as the registry sees it. */
  root: string;
  /** <root>/docker/registry/v2 */
  v2: string;
  /** For output: where and how the storage is reached. */
  description: string;
  /** argv run where the storage is (locally, or inside the registry container). */
  command(argv: readonly string[]): Command;
  /** Runs argv there (with `input` on stdin); a non-zero exit (other than those allowed) fails with the tool's message. */
  run(argv: readonly string[], allowedExitCodes?: readonly number[], input?: string): Promise<string>;
}

/** The target names the registry's container (--registry-container on compose); `values` gives the root. */
export function registryStorage(target: Target, values: Pick<StorageValues, 'registry-storage'>): RegistryStorage {
  const root = values['registry-storage'].replace(/\/+$/, '') || '/';
  if (!root.startsWith('/')) throw refuse(`--registry-storage must be an absolute path, got ${JSON.stringify(root)}`);
  const command = (argv: readonly string[]): Command => target.exec('registry', argv);
  return {
    root,
    v2: `${root}/docker/registry/v2`,
    description: `${root} on ${target.where('registry')}`,
    command,
    async run(argv, allowed = [], input) {
      const cmd = command(argv);
      const result = await runProcess(cmd, input);
      if (result.exitCode !== 0 && !allowed.includes(result.exitCode)) throw fail(commandError(cmd, result));
      return result.stdout;
    },
  };
}

/** Refuses unless the storage holds a registry (docker/registry/v2/repositories and blobs). */
export async function checkIsRegistry(storage: RegistryStorage): Promise<void> {
  const probe = storage.command(['find', `${storage.v2}/repositories`, `${storage.v2}/blobs`, '-maxdepth', '0', '-type', 'd']);
  const result = await runProcess(probe);
  const found = result.stdout.split('\n').filter(Boolean).length;
  if (found !== 2) {
    throw refuse(
      `${storage.description} is not a registry storage root: ${storage.v2}/repositories and /blobs ${result.exitCode === 0 || /No such file/.test(result.stderr) ? 'do not both exist' : `cannot be read (${commandError(probe, result)})`}. Pass the directory mounted at /storage (e.g. /data/registry).`,
    );
  }
}

export interface TagLink {
  repository: string;
  tag: string;
  /** The content of current/link (a digest when healthy; empty or garbage when broken); undefined when the tag directory has none. */
  digest?: string;
  /** The tag directory, <v2>/repositories/<repository>/_manifests/tags/<tag>. */
  path: string;
}

/**
 * A path below <v2>/repositories/ split into the repository and the rest. Repository path
 * components never start with "_" (reference/regexp.go), so the first one that does
 * (_manifests, _layers, _uploads) ends the name; a component named "repositories" stays in it.
 */
function splitRepositoryPath(relative: string): { repository: string; rest: string[] } | undefined {
  const parts = relative.split('/');
  const end = parts.findIndex((part) => part.startsWith('_'));
  if (end < 1) return undefined;
  return { repository: parts.slice(0, end).join('/'), rest: parts.slice(end) };
}

export interface StorageScan {
  /** Every tag directory, with the content of its current/link when it has one. */
  links: TagLink[];
  /**
   * <repository>@<alg>:<hex> for every link through which distribution finds a manifest of
   * that repository: _manifests/revisions/<alg>/<hex>/link, and _layers/<alg>/<hex>/link,
   * which 2.1.0 wrote by mistake and 2.6-2.8 still search (registry/storage/registry.go,
   * manifestLinkPathFns).
   */
  manifestLinks: Set<string>;
  /** <alg>:<hex> for every blob with data. */
  blobs: Set<string>;
}

/**
 * Every tag directory and the content of its current/link, every manifest link and every
 * blob: one walk of the repositories (find), one read of the tag links (xargs grep), one walk
 * of the blobs. Paths are parsed relative to <v2>/repositories/, so a storage root that
 * itself contains "/repositories/" changes nothing. `repository` limits the scan to that one
 * repository, not the ones nested below it.
 */
export async function scanStorage(storage: RegistryStorage, repository?: string): Promise<StorageScan> {
  const repositories = `${storage.v2}/repositories/`;
  const start = repository ? `${repositories}${repository}` : repositories.slice(0, -1);
  // Tag directories are listed even without current/link: distribution's tag store lists the
  // directory entries under _manifests/tags (tagstore.go All), so tags/list shows them.
  const found = await storage.run([
    'find',
    start,
    '(',
    '-type',
    'd',
    '-path',
    '*/_manifests/tags/*',
    '!',
    '-path',
    '*/_manifests/tags/*/*',
    ')',
    '-o',
    '(',
    '-type',
    'f',
    '(',
    '-path',
    '*/_manifests/tags/*/current/link',
    '-o',
    '-path',
    '*/_manifests/revisions/*/*/link',
    '-o',
    '-path',
    '*/_layers/*/*/link',
    ')',
    ')',
  ]);
  const tagDirs: { repository: string; tag: string; path: string }[] = [];
  const tagLinkPaths: string[] = [];
  const manifestLinks = new Set<string>();
  for (const path of found.split('\n')) {
    if (!path.startsWith(repositories)) continue;
    const split = splitRepositoryPath(path.slice(repositories.length));
    // The walk from <repositories>/<repository> also enters the repositories below it (proj/app/sub).
    if (!split || (repository && split.repository !== repository)) continue;
    const rest = split.rest.join('/');
    let match: RegExpExecArray | null;
    if ((match = /^_manifests\/tags\/([^/]+)$/.exec(rest))) tagDirs.push({ repository: split.repository, tag: match[1]!, path });
    else if (/^_manifests\/tags\/[^/]+\/current\/link$/.test(rest)) tagLinkPaths.push(path);
    else if ((match = /^(?:_manifests\/revisions|_layers)\/([a-z0-9]+)\/([0-9a-f]+)\/link$/.exec(rest)))
      manifestLinks.add(`${split.repository}@${match[1]}:${match[2]}`);
  }
  const contents = await readTagLinks(storage, tagLinkPaths);
  const links: TagLink[] = tagDirs.map((dir) => ({ ...dir, digest: contents.get(`${dir.path}/current/link`) }));
  const blobRoot = `${storage.v2}/blobs/`;
  const blobs = new Set<string>();
  for (const path of (await storage.run(['find', blobRoot.slice(0, -1), '-type', 'f', '-name', 'data'])).split('\n')) {
    const match = path.startsWith(blobRoot) ? /^([a-z0-9]+)\/[0-9a-f]{2}\/([0-9a-f]+)\/data$/.exec(path.slice(blobRoot.length)) : null;
    if (match) blobs.add(`${match[1]}:${match[2]}`);
  }
  links.sort((a, b) => a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag));
  return { links, manifestLinks, blobs };
}

/**
 * The content of each current/link, exactly as distribution parses it (digest.Parse of the
 * whole file, no trimming): every line, and a final newline when the file has one, so a link
 * that is not exactly one digest does not read as one. An empty file reads as "".
 */
async function readTagLinks(storage: RegistryStorage, paths: readonly string[]): Promise<Map<string, string>> {
  const contents = new Map<string, string>(paths.map((path) => [path, '']));
  if (paths.length === 0) return contents;
  const lines = new Map<string, string[]>();
  // grep exits 1 when every file is empty.
  const grep = await storage.run(['xargs', '-0', 'grep', '-H', '-e', ''], [1], paths.join('\0'));
  for (const line of grep.split('\n')) {
    // The file name ends at the first "/current/link:" that names a file we asked for.
    for (let at = line.indexOf('/current/link:'); at > 0; at = line.indexOf('/current/link:', at + 1)) {
      const path = line.slice(0, at + '/current/link'.length);
      if (contents.has(path)) {
        const read = lines.get(path) ?? [];
        read.push(line.slice(path.length + 1));
        lines.set(path, read);
        break;
      }
    }
  }
  for (const [path, read] of lines) contents.set(path, read.join('\n'));
  if (lines.size === 0) return contents;
  // grep ends every line it prints with a newline, whether the file does or not: its size tells.
  const sizes = await storage.run(['xargs', '-0', 'stat', '-c', '%s %n'], [], [...lines.keys()].join('\0'));
  for (const line of sizes.split('\n')) {
    const [, size, path = ''] = /^(\d+) (.*)$/.exec(line) ?? [];
    const read = contents.get(path);
    if (read !== undefined && Number(size) > Buffer.byteLength(read)) contents.set(path, `${read}\n`);
  }
  return contents;
}

/**
 * Where distribution keeps a blob's content: <v2>/blobs/<alg>/<first two hex>/<hex>/data
 * (registry/storage/paths.go, blobDataPathSpec). Undefined for text that is no digest.
 */
export function blobDataPath(storage: RegistryStorage, digest: string): string | undefined {
  const match = /^([a-z0-9]+):([0-9a-f]{2})([0-9a-f]{30,})$/.exec(digest);
  return match ? `${storage.v2}/blobs/${match[1]}/${match[2]}/${match[2]}${match[3]}/data` : undefined;
}

/**
 * Per data file: `present`, or, when test -f fails, whether that means it is gone. test -f fails
 * alike for a missing file and one behind a directory this user cannot search (EACCES), so the
 * deepest ancestor that exists must be searchable for the file to count as gone.
 */
const PRESENCE_SCRIPT = `for f do
  if [ -f "$f" ]; then printf 'present %s\\n' "$f"; continue; fi
  d=\${f%/*}
  while [ -n "$d" ] && ! [ -e "$d" ]; do d=\${d%/*}; done
  if [ -x "\${d:-/}" ]; then printf 'absent %s\\n' "$f"; else printf 'unreadable %s\\n' "$f"; fi
done`;

/**
 * Which of `digests` have their data file in the storage: one test per digest, all in one
 * command (the paths go on stdin), so a compose or k8s target costs one exec, not one per blob.
 * Text that is no digest is never present. Refuses when this user cannot tell (a directory it
 * cannot search): a blob it cannot see is not a blob that is gone.
 */
export async function presentBlobs(storage: RegistryStorage, digests: Iterable<string>): Promise<Set<string>> {
  const byPath = new Map<string, string>();
  for (const digest of digests) {
    const path = blobDataPath(storage, digest);
    if (path) byPath.set(path, digest);
  }
  const present = new Set<string>();
  if (byPath.size === 0) return present;
  const found = await storage.run(['xargs', '-0', 'sh', '-c', PRESENCE_SCRIPT, 'sh'], [], [...byPath.keys()].join('\0'));
  const unreadable: string[] = [];
  for (const line of found.split('\n')) {
    const [state, ...rest] = line.split(' ');
    const path = rest.join(' ');
    const digest = byPath.get(path);
    if (!digest) continue;
    if (state === 'present') present.add(digest);
    else if (state === 'unreadable') unreadable.push(path);
  }
  if (unreadable.length > 0)
    throw refuse(
      `${unreadable.length} blob(s) cannot be checked in ${storage.description}: a directory above ${unreadable[0]} cannot be read by this user. Run as root or as the registry's user (10000 in Harbor's image); nothing changed`,
    );
  return present;
}
