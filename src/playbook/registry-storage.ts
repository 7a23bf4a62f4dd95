// The registry's filesystem storage (distribution registry/storage/paths.go), reached
// through the target: a local path (direct), `docker exec <registry container>` (compose) or
// `kubectl exec deploy/<fullname>-registry -c registry` (k8s). Everything runs as argv
// commands (find, xargs, grep, mkdir, mv, tar) so the three targets share one code path.
import { commandError, runCommand, type Command } from './commands.ts';
import { fail, refuse } from './errors.ts';
import { chartFullname, type Target } from './targets.ts';
import type { Parameter, ParameterValues } from './types.ts';

export const STORAGE_PARAMETERS: readonly Parameter[] = [
  { name: 'registry-storage', type: 'path', required: true, help: "The registry's storage root (what Harbor mounts at /storage): on this host for direct (Harbor's data_volume/registry, e.g. /data/registry); inside the registry container for compose and k8s (/storage).", example: '/data/registry' },
  { name: 'registry-container', type: 'string', default: 'registry', pattern: /[\w][\w.-]*/, patternHelp: 'a container name', help: 'compose: the registry container.' },
];

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

export function registryStorage(target: Target, values: ParameterValues): RegistryStorage {
  let prefix: string[] = [];
  let where = 'this host';
  if (target.kind === 'compose') {
    const container = String(values['registry-container'] ?? 'registry');
    prefix = ['docker', 'exec', '-i', container];
    where = `container ${container}`;
  } else if (target.kind === 'k8s') {
    const deployment = `deploy/${chartFullname(String(values.release ?? 'harbor'), values.fullname as string | undefined)}-registry`;
    prefix = ['kubectl', '-n', String(values.namespace ?? 'default'), 'exec', '-i', deployment, '-c', 'registry', '--'];
    where = `${deployment} (container registry)`;
  }
  const root = String(values['registry-storage']).replace(/\/+$/, '') || '/';
  if (!root.startsWith('/')) throw refuse(`--registry-storage must be an absolute path, got ${JSON.stringify(root)}`);
  const command = (argv: readonly string[]): Command => ({ argv: [...prefix, ...argv] });
  return {
    root,
    v2: `${root}/docker/registry/v2`,
    description: `${root} on ${where}`,
    command,
    async run(argv, allowed = [], input) {
      const cmd = command(argv);
      const result = await runCommand(cmd, input);
      if (result.exitCode !== 0 && !allowed.includes(result.exitCode)) throw fail(commandError(cmd, result));
      return result.stdout;
    },
  };
}

/** Refuses unless the storage holds a registry (docker/registry/v2/repositories and blobs). */
export async function checkIsRegistry(storage: RegistryStorage): Promise<void> {
  const probe = storage.command(['find', `${storage.v2}/repositories`, `${storage.v2}/blobs`, '-maxdepth', '0', '-type', 'd']);
  const result = await runCommand(probe);
  const found = result.stdout.split('\n').filter(Boolean).length;
  if (found !== 2) {
    throw refuse(`${storage.description} is not a registry storage root: ${storage.v2}/repositories and /blobs ${result.exitCode === 0 || /No such file/.test(result.stderr) ? 'do not both exist' : `cannot be read (${commandError(probe, result)})`}. Pass the directory mounted at /storage (e.g. /data/registry).`);
  }
}

export interface TagLink {
  repository: string;
  tag: string;
  /** The content of current/link (a digest when healthy; empty or garbage when broken). */
  digest: string;
  /** The tag directory, <v2>/repositories/<repository>/_manifests/tags/<tag>. */
  path: string;
}

const TAG_LINK = /^(.*)\/repositories\/(.+)\/_manifests\/tags\/([^/]+)\/current\/link$/;
const REVISION_LINK = /\/repositories\/(.+)\/_manifests\/revisions\/sha256\/([0-9a-f]{64})\/link$/;

export interface StorageScan {
  links: TagLink[];
  /** <repository>@sha256:<hex> for every manifest revision link. */
  revisions: Set<string>;
  /** sha256:<hex> for every blob with data. */
  blobs: Set<string>;
}

/**
 * Every tag's current/link with its content, every revision link and every blob: one walk of
 * the repositories (find), one read of the tag links (xargs grep), one walk of the blobs.
 * `repository` limits the repository walk to one repository.
 */
export async function scanStorage(storage: RegistryStorage, repository?: string): Promise<StorageScan> {
  const start = repository ? `${storage.v2}/repositories/${repository}` : `${storage.v2}/repositories`;
  const paths = (await storage.run(['find', start, '-type', 'f', '(', '-path', '*/_manifests/tags/*/current/link', '-o', '-path', '*/_manifests/revisions/sha256/*/link', ')'])).split('\n');
  const tagPaths = paths.filter((path) => path.endsWith('/current/link'));
  const contents = new Map<string, string>();
  // grep prints nothing for an empty link file (and exits 1 when all are empty): those are dangling too.
  const grep = tagPaths.length ? await storage.run(['xargs', '-0', 'grep', '-H', '-e', ''], [1], tagPaths.join('\0')) : '';
  for (const line of grep.split('\n')) {
    const split = line.indexOf('/current/link:');
    if (split > 0) contents.set(line.slice(0, split + '/current/link'.length), line.slice(split + '/current/link:'.length).trim());
  }
  const links: TagLink[] = [];
  for (const path of tagPaths) {
    const match = TAG_LINK.exec(path);
    if (match) links.push({ repository: match[2]!, tag: match[3]!, digest: contents.get(path) ?? '', path: path.slice(0, -'/current/link'.length) });
  }
  const revisions = new Set<string>();
  for (const path of paths) {
    const match = REVISION_LINK.exec(path);
    if (match) revisions.add(`${match[1]}@sha256:${match[2]}`);
  }
  const blobs = new Set<string>();
  for (const path of (await storage.run(['find', `${storage.v2}/blobs/sha256`, '-type', 'f', '-name', 'data'])).split('\n')) {
    const match = /\/([0-9a-f]{64})\/data$/.exec(path);
    if (match) blobs.add(`sha256:${match[1]}`);
  }
  links.sort((a, b) => a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag));
  return { links, revisions, blobs };
}
