// A real CNCF distribution registry (Debian's docker-registry, 2.8) for tests: filesystem
// storage in a temp dir (on /dev/shm where there is one), deletes enabled, no blob
// descriptor cache (so a removed revision link shows at once, as it did on Harbor 1.x), on
// a random loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { $ } from 'zx';
import { freeLoopbackPort } from './net.ts';
import { startTokenService } from './token-service.ts';

export const REGISTRY_BIN = process.env.REGISTRY_BIN ?? '/usr/bin/docker-registry';

export interface RegistryServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port>, for docker:// references. */
  host: string;
  /** The storage root (what Harbor mounts at /storage). */
  storage: string;
  /** <storage>/docker/registry/v2 */
  v2: string;
  /** The user the token service accepts, when started with auth. */
  auth?: { user: string; password: string };
  /** The last lines the registry logged (level error and above). */
  log(): string;
  stop(): Promise<void>;
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode}: ${log()}`);
    const ok = await fetch(`${url}/v2/`).then(
      (response) => response.status === 200 || response.status === 401,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}: ${log()}`);
}

/** Memory-backed when the machine has /dev/shm: the registry writes every tag as small files. */
const TEMP = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export interface RegistryOptions {
  /** Token auth as Harbor 1.x configures it: the registry trusts tokens from a token service (test/support/token-service.ts) that checks this user. */
  auth?: { user: string; password: string };
  /** With `auth`: the token realm the registry announces instead of the token service's own URL (a realm Harbor got wrong). */
  tokenRealm?: string;
  /** Basic auth as Harbor 2.x configures it (htpasswd, realm "harbor-registry-basic-realm") for this user. */
  htpasswd?: { user: string; password: string };
  /** The storage root below the temp dir (default "storage"), e.g. one whose path contains "/repositories/". */
  storagePath?: string;
  /** The directory its temp dir is made in (default: /dev/shm where there is one), e.g. one outside /dev for a playbook that refuses system directories. */
  parent?: string;
  /** Run the registry as this user (the test runs as root), as Harbor's image runs it as 10000:10000; the storage root is created owned by it. */
  user?: { uid: number; gid: number };
}

/** A bcrypt htpasswd line (distribution's htpasswd auth accepts bcrypt only), made by Python's crypt (libxcrypt), at the lowest cost so each request stays fast. */
async function htpasswdLine(user: string, password: string): Promise<string> {
  const script = 'import crypt, sys; print(sys.argv[1] + ":" + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  return (await $({ quiet: true })`python3 -W ignore -c ${script} ${user} ${password}`).stdout.trim();
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryServer> {
  const root = mkdtempSync(join(options.parent ?? TEMP, 'hkb-registry-'));
  const storage = join(root, options.storagePath ?? 'storage');
  const port = await freeLoopbackPort();
  const tokens = options.auth ? await startTokenService(root, options.auth) : undefined;
  const htpasswd = join(root, 'htpasswd');
  if (options.htpasswd) writeFileSync(htpasswd, (await htpasswdLine(options.htpasswd.user, options.htpasswd.password)) + '\n');
  const config = join(root, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      ...(tokens
        ? [
            'auth:',
            '  token:',
            `    realm: ${options.tokenRealm ?? tokens.realm}`,
            `    service: ${tokens.service}`,
            `    issuer: ${tokens.issuer}`,
            `    rootcertbundle: ${tokens.certificate}`,
          ]
        : []),
      ...(options.htpasswd ? ['auth:', '  htpasswd:', '    realm: harbor-registry-basic-realm', `    path: ${htpasswd}`] : []),
      '',
    ].join('\n'),
  );
  if (options.user) {
    // The user must reach its config and storage; nothing else in the temp dir is secret.
    chmodSync(root, 0o755);
    mkdirSync(storage, { recursive: true });
    chownSync(storage, options.user.uid, options.user.gid);
  }
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'], ...options.user });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, child, () => stderr);
  return {
    url,
    host: `127.0.0.1:${port}`,
    storage,
    v2: join(storage, 'docker/registry/v2'),
    auth: options.auth ?? options.htpasswd,
    log: () => stderr,
    async stop() {
      await tokens?.stop();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A hash of every path, file content and symlink under dir: equal before and after means nothing changed. */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      hash.update(`${relative(dir, full)}\0${entry.isDirectory() ? 'd' : statSync(full).size}\0`);
      if (entry.isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}
