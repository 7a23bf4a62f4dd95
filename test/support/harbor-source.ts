// Harbor 1.10's server binaries for the real-Harbor tests, built here from upstream source:
// HARBOR_SRC names a source tarball (`git archive` of goharbor/harbor) or a source tree (a
// clone at v1.10.18). The source is copied into a cache, given three small patches so it runs
// on loopback ports of our choosing, and built with Debian's Go. The cache is keyed by the
// source's content, so a second run starts at once.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { sha256File } from '../../src/playbook/run/backup.ts';
import { REPO_ROOT } from './cli.ts';

export const DEFAULT_HARBOR_SRC = join(REPO_ROOT, '..', 'shared', 'harbor-src', 'harbor-v1.10.18-src.tar.xz');

/** Where the tests look for the source: HARBOR_SRC, else the tarball in ../shared. */
export const harborSourceSetting = () => process.env.HARBOR_SRC || DEFAULT_HARBOR_SRC;

/** What the tests print when the source is missing: where they looked, and how to provide it. */
export function missingSourceMessage(): string {
  return [
    `There is no Harbor source at ${harborSourceSetting()}${process.env.HARBOR_SRC ? ' (HARBOR_SRC)' : ''}.`,
    "The real-Harbor tests need Harbor 1.10.18's source: a clone of goharbor/harbor at v1.10.18, or its tarball.",
    '  git clone --depth 1 --branch v1.10.18 https://github.com/goharbor/harbor.git /some/dir/harbor',
    '  HARBOR_SRC=/some/dir/harbor npm run test:real-harbor',
    "Building it needs Debian's Go (apt-get install golang-go); the tests also need redis-server.",
  ].join('\n');
}

export interface HarborBuild {
  /** The patched source root (holds src/ and make/migrations/). */
  root: string;
  version: string;
  commit: string;
  bin: { core: string; jobservice: string; registryctl: string };
  /** What core applies at start (POSTGRES_MIGRATION_SCRIPTS_PATH). */
  migrations: string;
}

/** The source the tests would use, or undefined when there is none. */
export function harborSourcePath(): string | undefined {
  const path = harborSourceSetting();
  return existsSync(path) ? path : undefined;
}

/** A textual edit to one upstream file: `from` must occur exactly once. */
interface SourcePatch {
  file: string;
  from: string;
  to: string;
  why: string;
}

// Why each patch exists is in ../shared/real-harbor/NOTES.md (pitfalls 2 and 3).
const PATCHES: readonly SourcePatch[] = [
  {
    file: 'src/jobservice/api/server.go',
    from: 'fmt.Sprintf(":%d", cfg.Port)',
    to: 'fmt.Sprintf("127.0.0.1:%d", cfg.Port)',
    why: 'jobservice listens on every interface and has no setting for the address',
  },
  {
    file: 'src/registryctl/main.go',
    from: '":" + s.ServerConf.Port',
    to: '"127.0.0.1:" + s.ServerConf.Port',
    why: 'registryctl listens on every interface and has no setting for the address',
  },
  {
    file: 'src/replication/adapter/harbor/adapter.go',
    from: 'return "http://127.0.0.1:8080"',
    to: 'return localCoreURL()',
    why: 'replication out of the local Harbor calls core at a fixed 127.0.0.1:8080',
  },
];

// Added beside the adapter so the patch above needs no import change.
const LOCAL_CORE_URL_GO = `package harbor

import "os"

// localCoreURL is where replication reaches this Harbor's own core: CORE_LOCAL_URL when set
// (harbor-kb's test rig runs core on a random port), else the fixed address upstream uses.
func localCoreURL() string {
	if url := os.Getenv("CORE_LOCAL_URL"); url != "" {
		return url
	}
	return "http://127.0.0.1:8080"
}
`;

function applyPatches(root: string): void {
  for (const patch of PATCHES) {
    const path = join(root, patch.file);
    const text = readFileSync(path, 'utf8');
    const count = text.split(patch.from).length - 1;
    if (count !== 1) throw new Error(`cannot patch ${patch.file} (${patch.why}): expected "${patch.from}" once, found it ${count} times; is this Harbor 1.10?`);
    writeFileSync(path, text.replace(patch.from, patch.to));
  }
  writeFileSync(join(root, 'src/replication/adapter/harbor/local_core_url.go'), LOCAL_CORE_URL_GO);
}

/** A tree's identity: its git commit and status when it is a clone, else every file's path, size and mtime. */
function treeKey(dir: string): string {
  const hash = createHash('sha256');
  const git = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (git.status === 0) {
    hash.update(git.stdout);
    hash.update(spawnSync('git', ['-C', dir, 'status', '--porcelain', '--', 'src', 'make/migrations'], { encoding: 'utf8' }).stdout);
    return hash.digest('hex');
  }
  for (const entry of readdirSync(join(dir, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const stat = statSync(path);
    hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Release and commit: from the clone's VERSION and git, or from the tarball's top directory and the commit git archive records. */
function identify(source: string, root: string): { version: string; commit: string } {
  const versionFile = join(root, 'VERSION');
  const version = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : /harbor-(v\d+\.\d+\.\d+)/.exec(basename(root))?.[1];
  let commit = '';
  if (statSync(source).isDirectory()) {
    commit = spawnSync('git', ['-C', source, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  } else {
    const unpacked = spawnSync('sh', ['-c', 'xz -dc "$0" | git get-tar-commit-id', source], { encoding: 'utf8' });
    commit = unpacked.stdout.trim();
  }
  if (!version) throw new Error(`cannot tell which Harbor release ${source} is (no VERSION file, no harbor-vX.Y.Z directory)`);
  return { version, commit: commit.slice(0, 8) || 'unknown' };
}

function copySource(source: string, into: string): string {
  if (statSync(source).isDirectory()) {
    for (const part of ['src', 'make/migrations', 'VERSION', 'LICENSE']) {
      if (existsSync(join(source, part))) cpSync(join(source, part), join(into, 'harbor', part), { recursive: true });
    }
    return join(into, 'harbor');
  }
  execFileSync('tar', ['-xJf', source, '-C', into]);
  const [top] = readdirSync(into);
  if (!top || !existsSync(join(into, top, 'src/core'))) throw new Error(`${source} does not hold Harbor's source (no <top>/src/core)`);
  return join(into, top);
}

function goBuild(root: string, bin: string, version: string, commit: string, log: string): void {
  const ldflags = `-w -s -X github.com/goharbor/harbor/src/pkg/version.ReleaseVersion=${version} -X github.com/goharbor/harbor/src/pkg/version.GitCommit=${commit}`;
  const result = spawnSync('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', `${bin}/`, './core', './jobservice', './registryctl'], {
    cwd: join(root, 'src'),
    // Modules are vendored: no network, and the system Go even if the go.mod asks for another.
    env: { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    encoding: 'utf8',
  });
  writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error) throw new Error(`cannot run go (${result.error.message}); install Debian's golang-go`);
  if (result.status !== 0) throw new Error(`go build failed:\n${result.stderr.slice(-3000)}`);
}

export const BUILD_CACHE = process.env.HARBOR_KB_CACHE ?? join(homedir(), '.cache', 'harbor-kb', 'real-harbor');

/** Extracts, patches and builds the source at `source` once; later calls find the build in the cache. */
export async function buildHarbor(source: string, onProgress: (line: string) => void = () => {}): Promise<HarborBuild> {
  const key = statSync(source).isDirectory() ? treeKey(source) : await sha256File(source);
  const patchesKey = createHash('sha256')
    .update(JSON.stringify(PATCHES) + LOCAL_CORE_URL_GO)
    .digest('hex')
    .slice(0, 8);
  const entry = join(BUILD_CACHE, `${key.slice(0, 16)}-${patchesKey}`);
  const manifest = join(entry, 'build.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as HarborBuild;

  mkdirSync(BUILD_CACHE, { recursive: true });
  const work = join(BUILD_CACHE, `.building-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  try {
    onProgress(`${statSync(source).isDirectory() ? 'copying' : 'extracting'} ${source}`);
    const unpacked = copySource(source, work);
    const { version, commit } = identify(source, unpacked);
    applyPatches(unpacked);
    const started = Date.now();
    onProgress(`building Harbor ${version} (${commit}) with ${execFileSync('go', ['version'], { encoding: 'utf8' }).trim()}`);
    goBuild(unpacked, join(work, 'bin'), version, commit, join(work, 'build.log'));
    onProgress(`built in ${Math.round((Date.now() - started) / 1000)} s`);
    const root = join(entry, 'source');
    const build: HarborBuild = {
      root,
      version,
      commit,
      bin: { core: join(entry, 'bin/core'), jobservice: join(entry, 'bin/jobservice'), registryctl: join(entry, 'bin/registryctl') },
      migrations: join(root, 'make/migrations/postgresql') + '/',
    };
    rmSync(entry, { recursive: true, force: true });
    mkdirSync(entry);
    renameSync(unpacked, root);
    renameSync(join(work, 'bin'), join(entry, 'bin'));
    // Written last: an entry without it is an interrupted build and is redone.
    writeFileSync(manifest, JSON.stringify(build, null, 2));
    return build;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
