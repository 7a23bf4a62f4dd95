// Stand-ins for `docker` and `kubectl`, placed first on PATH by tests of the compose and k8s
// targets. Each logs its exact argv (JSON lines) and, for `exec` into the database
// container, runs the same client tool locally against the test server, adding only the
// TCP host/port the container would not need. Restarts are logged and succeed.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_BIN } from './postgres.ts';

export interface ShimServer {
  engine: 'postgresql' | 'mariadb';
  host: string;
  port: number;
  /** What the container's local (trusted) connection would not need; the shim supplies it. */
  password: string;
}

export interface Shim {
  /** PATH with the shim directory first. */
  path: string;
  /** Every command line the shims received, in order. */
  calls(): string[][];
  cleanup(): void;
}

const SHIM_SOURCE = String.raw`
const { appendFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { basename, join } = require('node:path');
const config = JSON.parse(process.env.HKB_SHIM_CONFIG);
const tool = basename(process.argv[1]);
const argv = process.argv.slice(2);
appendFileSync(config.log, JSON.stringify([tool, ...argv]) + '\n');
let inner;
if (tool === 'docker' && argv[0] === 'exec') {
  let i = 1;
  const env = {};
  while (argv[i] && argv[i].startsWith('-')) {
    if (argv[i] === '-e') { env[argv[i + 1]] = process.env[argv[i + 1]] ?? ''; i += 2; } else i += 1;
  }
  if (argv[i] !== config.container) { process.stderr.write('Error: No such container: ' + argv[i] + '\n'); process.exit(1); }
  inner = { argv: argv.slice(i + 1), env };
} else if (tool === 'kubectl' && argv.includes('exec')) {
  const sep = argv.indexOf('--');
  const pod = argv[argv.indexOf('exec') + 2];
  if (argv[1] !== config.namespace || pod !== config.pod) { process.stderr.write('Error from server (NotFound): pods "' + pod + '" not found\n'); process.exit(1); }
  inner = { argv: argv.slice(sep + 1), env: {} };
} else if (tool === 'docker' && argv[0] === 'inspect') {
  process.exit(argv.includes(config.container) ? 0 : 1);
} else {
  process.exit(0); // restart / rollout restart: logged above
}
const [name, ...args] = inner.argv;
const pg = ['psql', 'pg_dump', 'pg_restore'].includes(name);
if (pg !== (config.engine === 'postgresql')) { process.stderr.write('OCI runtime exec failed: exec: "' + name + '": executable file not found in $PATH\n'); process.exit(126); }
const local = pg
  ? [join(config.pgBin, name), '-h', config.host, '-p', String(config.port), ...args]
  : [name, '-h', config.host, '-P', String(config.port), '--protocol=TCP', ...args];
const env = { ...process.env, ...inner.env };
if (pg) env.PGPASSWORD = config.password;
const result = spawnSync(local[0], local.slice(1), { stdio: 'inherit', env });
process.exit(result.status ?? 1);
`;

export function createShim(server: ShimServer, options: { container?: string; namespace?: string; pod?: string } = {}): Shim {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-shim-'));
  const log = join(dir, 'calls.jsonl');
  const config = {
    ...server,
    log,
    pgBin: POSTGRES_BIN,
    container: options.container ?? 'harbor-db',
    namespace: options.namespace ?? 'default',
    pod: options.pod ?? 'harbor-database-0',
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
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
