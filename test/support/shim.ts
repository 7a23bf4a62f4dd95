// Stand-ins for `docker` and `kubectl`, placed first on PATH by tests of the compose and k8s
// targets. Each logs its exact argv (JSON lines) and, for `exec` into the database
// container, runs the inner command locally with the database clients replaced by wrappers
// that add only the TCP host/port the container would not need. Like the real tools, `docker
// exec` passes only the `-e` variables and `kubectl exec` passes no environment at all: a
// password the code under test sends any other way does not arrive. Restarts and `rollout
// status` are logged and succeed unless a `failures` entry says otherwise.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_BIN } from './postgres.ts';

export interface ShimServer {
  engine: 'postgresql' | 'mariadb';
  host: string;
  port: number;
  /** What the container's local (trusted) connection would not need; the shim supplies it (PostgreSQL only). */
  password: string;
}

export interface ShimFailure {
  /** The argv after the tool name starts with these. */
  prefix: string[];
  stderr: string;
  exitCode: number;
}

export interface ShimOptions {
  container?: string;
  namespace?: string;
  pod?: string;
  /** kubectl exec -c: the container of the pod (database, or mysql for Harbor 1.5's chart). */
  kubeContainer?: string;
  failures?: ShimFailure[];
}

export interface Shim {
  /** PATH with the shim directory first. */
  path: string;
  /** Every command line the shims received, in order (plus anything `record`ed). */
  calls(): string[][];
  /** Adds an entry to the same ordered log (e.g. a request a stand-in API received). */
  record(entry: string[]): void;
  cleanup(): void;
}

const SHIM_SOURCE = String.raw`
const { appendFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { basename } = require('node:path');
const config = JSON.parse(process.env.HKB_SHIM_CONFIG);
const tool = basename(process.argv[1]);
const argv = process.argv.slice(2);
appendFileSync(config.log, JSON.stringify([tool, ...argv]) + '\n');
const failure = config.failures.find((entry) => tool === entry.prefix[0] && entry.prefix.slice(1).every((part, index) => argv[index] === part));
if (failure) { process.stderr.write(failure.stderr + '\n'); process.exit(failure.exitCode); }
// What a container sees: no password variables but those the exec passes explicitly.
const env = { ...process.env, PATH: config.containerBin + ':' + process.env.PATH };
delete env.MYSQL_PWD;
delete env.PGPASSWORD;
let inner;
if (tool === 'docker' && argv[0] === 'exec') {
  let i = 1;
  while (argv[i] && argv[i].startsWith('-')) {
    if (argv[i] === '-e') { if (process.env[argv[i + 1]] !== undefined) env[argv[i + 1]] = process.env[argv[i + 1]]; i += 2; } else i += 1;
  }
  if (argv[i] !== config.container) { process.stderr.write('Error response from daemon: No such container: ' + argv[i] + '\n'); process.exit(1); }
  inner = argv.slice(i + 1);
} else if (tool === 'kubectl' && argv.includes('exec')) {
  const pod = argv[argv.indexOf('exec') + 2];
  const container = argv[argv.indexOf('-c') + 1];
  if (argv[1] !== config.namespace || pod !== config.pod) { process.stderr.write('Error from server (NotFound): pods "' + pod + '" not found\n'); process.exit(1); }
  if (container !== config.kubeContainer) { process.stderr.write('error: unable to upgrade connection: container not found ("' + container + '")\n'); process.exit(1); }
  inner = argv.slice(argv.indexOf('--') + 1);
} else if (tool === 'docker' && argv[0] === 'inspect') {
  process.exit(argv.includes(config.container) ? 0 : 1);
} else {
  process.exit(0); // restart / rollout restart / rollout status: logged above
}
const result = spawnSync(inner[0], inner.slice(1), { stdio: 'inherit', env });
process.exit(result.status ?? 1);
`;

/** The database clients as the container has them: the engine's own, connected to the test server. */
function writeContainerBin(dir: string, server: ShimServer): void {
  mkdirSync(dir);
  const pgTools = ['psql', 'pg_dump', 'pg_restore'];
  const myTools = ['mysql', 'mysqldump'];
  for (const tool of [...pgTools, ...myTools]) {
    const own = pgTools.includes(tool) === (server.engine === 'postgresql');
    const script = !own
      ? `#!/bin/sh\necho 'OCI runtime exec failed: exec failed: unable to start container process: exec: "${tool}": executable file not found in $PATH: unknown' >&2\nexit 126\n`
      : pgTools.includes(tool)
        ? `#!/bin/sh\nPGPASSWORD='${server.password}' exec ${join(POSTGRES_BIN, tool)} -h ${server.host} -p ${server.port} "$@"\n`
        : `#!/bin/sh\nexec /usr/bin/${tool} -h ${server.host} -P ${server.port} --protocol=TCP "$@"\n`;
    writeFileSync(join(dir, tool), script);
    chmodSync(join(dir, tool), 0o755);
  }
}

export function createShim(server: ShimServer, options: ShimOptions = {}): Shim {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-shim-'));
  const log = join(dir, 'calls.jsonl');
  const containerBin = join(dir, 'container-bin');
  writeContainerBin(containerBin, server);
  const config = {
    log,
    containerBin,
    container: options.container ?? 'harbor-db',
    namespace: options.namespace ?? 'default',
    pod: options.pod ?? 'harbor-database-0',
    kubeContainer: options.kubeContainer ?? 'database',
    failures: options.failures ?? [],
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  for (const tool of ['docker', 'kubectl']) {
    const file = join(dir, tool);
    writeFileSync(file, `#!${process.execPath}\nprocess.env.HKB_SHIM_CONFIG = require('node:fs').readFileSync(${JSON.stringify(join(dir, 'config.json'))}, 'utf8');\n${SHIM_SOURCE}`);
    chmodSync(file, 0o755);
  }
  return {
    path: `${dir}:${process.env.PATH}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]) : []),
    record: (entry) => appendFileSync(log, JSON.stringify(entry) + '\n'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
