// The one stand-in for `docker` and `kubectl` in tests, placed first on PATH. Each logs its
// exact argv (JSON lines, the tool first) and then, in this order:
// - answers the command line from `answers` (the first that matches): prints a file or text,
//   merges a `kubectl patch -p <json>` into a file, exits with the code given;
// - `docker exec [-e NAME]... <container>` and `kubectl -n <ns> exec -i <workload> -c <container> --`
//   into a place that exists run the inner command locally. Like the real tools, `docker exec`
//   passes only the `-e` variables and `kubectl exec` no environment at all, so a password sent
//   any other way does not arrive. With a `database` server, the database clients inside are
//   wrappers that add only the TCP host/port (and PostgreSQL password) the container would not need;
// - `docker inspect ... <container>` exits 0 when the container exists;
// - `docker cp` / `kubectl -n <ns> cp [-c <container>]` between this host and a container that
//   exists (or a pod in `pods`) copy locally, as the tools do: a file or a whole directory, into
//   an existing directory under the source's name;
// - with `pods`, `kubectl -n <ns> get pods -l <k=v,...> -o name` lists the pods whose labels
//   match, and `kubectl -n <ns> logs <pod | pod/<pod> | deploy/<deployment>>` prints that pod's
//   log (a deployment's: its pod's), as kubectl picks them;
// - anything else succeeds silently (restart, rollout status), or, with `otherwise: 'fail'`,
//   fails as a tool with no such object would.
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export interface ShimAnswer {
  /** The command line, tool first, starts with these. */
  prefix: string[];
  /** ... and contains each of these. */
  includes?: string[];
  /** ... and ends with this argument. */
  last?: string;
  /** Printed on stdout (read when called). */
  file?: string;
  /** With `kubectl patch ... -p <json>`: merged into `file` (a JSON object). */
  mergePatch?: boolean;
  /** Printed on stderr (read when called). */
  stderrFile?: string;
  /** Printed on stderr. */
  stderr?: string;
  exitCode?: number;
}

/** A kubectl exec destination: a pod, or `deploy/<name>`, and the container in it. */
export interface ShimWorkload {
  namespace: string;
  name: string;
  container: string;
}

/** A pod as `kubectl get pods -l` and `kubectl logs` find it. */
export interface ShimPod {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  /** The deployment it belongs to: `kubectl logs deploy/<deployment>` reads this pod. */
  deployment?: string;
  /** The file `kubectl logs` prints (read when called). */
  log: string;
  /** Its containers, when `kubectl cp -c` should check them. */
  containers?: string[];
}

export interface ShimOptions {
  /** The database server the clients inside the containers reach. */
  database?: ShimServer;
  /** `docker exec` / `docker inspect`: the containers that exist. */
  containers?: string[];
  /** `kubectl exec`: the workloads that exist. */
  workloads?: ShimWorkload[];
  /** `kubectl get pods -l` and `kubectl logs`: the pods that exist (without it, those commands are not handled). */
  pods?: ShimPod[];
  answers?: ShimAnswer[];
  /** A command line nothing above handles: 'succeed' (default) or 'fail'. */
  otherwise?: 'succeed' | 'fail';
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
const { appendFileSync, cpSync, existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { basename, join } = require('node:path');
const config = JSON.parse(readFileSync(__CONFIG__, 'utf8'));
const tool = basename(process.argv[1]);
const argv = process.argv.slice(2);
const line = [tool, ...argv];
appendFileSync(config.log, JSON.stringify(line) + '\n');
const answer = config.answers.find((candidate) =>
  candidate.prefix.every((part, index) => line[index] === part)
  && (candidate.includes ?? []).every((part) => argv.includes(part))
  && (candidate.last === undefined || argv[argv.length - 1] === candidate.last));
if (answer) {
  if (answer.mergePatch) {
    const patch = JSON.parse(argv[argv.indexOf('-p') + 1]);
    const object = JSON.parse(readFileSync(answer.file, 'utf8'));
    for (const [key, value] of Object.entries(patch)) object[key] = typeof value === 'object' && value ? { ...object[key], ...value } : value;
    writeFileSync(answer.file, JSON.stringify(object));
  } else if (answer.file) process.stdout.write(readFileSync(answer.file));
  if (answer.stderrFile) process.stderr.write(readFileSync(answer.stderrFile));
  if (answer.stderr) process.stderr.write(answer.stderr.endsWith('\n') ? answer.stderr : answer.stderr + '\n');
  process.exit(answer.exitCode ?? 0);
}
// What a container sees: no password variables but those the exec passes explicitly.
const env = { ...process.env, PATH: (config.containerBin ? config.containerBin + ':' : '') + process.env.PATH };
delete env.MYSQL_PWD;
delete env.PGPASSWORD;
// docker cp / kubectl cp: 'place:/path' inside a container or pod, a plain path on this host.
const copyEnds = (args) => args.map((arg) => {
  const at = arg.indexOf(':');
  return at > 0 && !arg.startsWith('/') && !arg.startsWith('.') ? { place: arg.slice(0, at), path: arg.slice(at + 1) } : { path: arg };
});
const copy = (from, to, missing) => {
  if (!existsSync(from.path)) { process.stderr.write(missing + '\n'); process.exit(1); }
  const into = existsSync(to.path) && statSync(to.path).isDirectory() ? join(to.path, basename(from.path)) : to.path;
  cpSync(from.path, into, { recursive: true, force: true });
  process.exit(0);
};
let inner;
if (tool === 'docker' && argv[0] === 'cp') {
  const [from, to] = copyEnds(argv.slice(1).filter((arg) => !arg.startsWith('-')));
  const place = (from.place ?? to.place);
  if (!config.containers.includes(place)) { process.stderr.write('Error response from daemon: No such container: ' + place + '\n'); process.exit(1); }
  copy(from, to, 'Error response from daemon: Could not find the file ' + from.path + ' in container ' + place);
} else if (tool === 'kubectl' && argv[2] === 'cp') {
  const namespace = argv[1];
  const at = argv.indexOf('-c');
  const container = at < 0 ? undefined : argv[at + 1];
  const [from, to] = copyEnds(argv.slice(3).filter((arg, index, rest) => !arg.startsWith('-') && rest[index - 1] !== '-c'));
  const name = from.place ?? to.place;
  const pod = (config.pods ?? []).find((candidate) => candidate.namespace === namespace && candidate.name === name);
  if (!pod) { process.stderr.write('Error from server (NotFound): pods "' + name + '" not found\n'); process.exit(1); }
  if (pod.containers && !pod.containers.includes(container)) { process.stderr.write('error: container ' + container + ' is not valid for pod ' + name + '\n'); process.exit(1); }
  copy(from, to, 'tar: ' + from.path + ': Cannot stat: No such file or directory\ncommand terminated with exit code 2');
} else if (tool === 'docker' && argv[0] === 'exec') {
  let i = 1;
  while (argv[i] && argv[i].startsWith('-')) {
    if (argv[i] === '-e') { if (process.env[argv[i + 1]] !== undefined) env[argv[i + 1]] = process.env[argv[i + 1]]; i += 2; } else i += 1;
  }
  if (!config.containers.includes(argv[i])) { process.stderr.write('Error response from daemon: No such container: ' + argv[i] + '\n'); process.exit(1); }
  inner = argv.slice(i + 1);
} else if (tool === 'kubectl' && argv.includes('exec')) {
  const namespace = argv[argv.indexOf('-n') + 1];
  const name = argv.slice(argv.indexOf('exec') + 1).find((arg) => !arg.startsWith('-'));
  const container = argv[argv.indexOf('-c') + 1];
  const places = config.workloads.filter((place) => place.namespace === namespace && place.name === name);
  if (places.length === 0) {
    const kind = name.startsWith('deploy/') ? 'deployments.apps "' + name.slice('deploy/'.length) + '"' : 'pods "' + name + '"';
    process.stderr.write('Error from server (NotFound): ' + kind + ' not found\n');
    process.exit(1);
  }
  if (!places.some((place) => place.container === container)) { process.stderr.write('error: unable to upgrade connection: container not found ("' + container + '")\n'); process.exit(1); }
  inner = argv.slice(argv.indexOf('--') + 1);
} else if (tool === 'kubectl' && config.pods && argv[0] === '-n' && (argv[2] === 'logs' || (argv[2] === 'get' && argv[3] === 'pods'))) {
  const namespace = argv[1];
  const here = config.pods.filter((pod) => pod.namespace === namespace);
  if (argv[2] === 'get') {
    const at = argv.indexOf('-l');
    const wanted = (at < 0 ? '' : argv[at + 1]).split(',').filter(Boolean).map((pair) => pair.split('='));
    const found = here.filter((pod) => wanted.every(([key, value]) => pod.labels[key] === value));
    if (found.length === 0) process.stderr.write('No resources found in ' + namespace + ' namespace.\n');
    for (const pod of found) process.stdout.write('pod/' + pod.name + '\n');
    process.exit(0);
  }
  const name = argv[3];
  const pod = name.startsWith('deploy/')
    ? here.find((candidate) => candidate.deployment === name.slice('deploy/'.length))
    : here.find((candidate) => candidate.name === name.replace(/^pod\//, ''));
  if (!pod) {
    const kind = name.startsWith('deploy/') ? 'deployments.apps "' + name.slice('deploy/'.length) + '"' : 'pods "' + name.replace(/^pod\//, '') + '"';
    process.stderr.write('Error from server (NotFound): ' + kind + ' not found\n');
    process.exit(1);
  }
  process.stdout.write(readFileSync(pod.log));
  process.exit(0);
} else if (tool === 'docker' && argv[0] === 'inspect') {
  process.exit(config.containers.includes(argv[argv.length - 1]) ? 0 : 1);
} else if (config.otherwise === 'fail') {
  process.stderr.write(tool + ': no answer for ' + argv.join(' ') + '\n');
  process.exit(1);
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

export function createShim(options: ShimOptions = {}): Shim {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-shim-'));
  const log = join(dir, 'calls.jsonl');
  const containerBin = options.database && join(dir, 'container-bin');
  if (options.database && containerBin) writeContainerBin(containerBin, options.database);
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      log,
      containerBin,
      containers: options.containers ?? [],
      workloads: options.workloads ?? [],
      pods: options.pods ?? null,
      answers: options.answers ?? [],
      otherwise: options.otherwise ?? 'succeed',
    }),
  );
  for (const tool of ['docker', 'kubectl']) {
    const file = join(dir, tool);
    writeFileSync(file, `#!${process.execPath}\n${SHIM_SOURCE.replace('__CONFIG__', JSON.stringify(configFile))}`);
    chmodSync(file, 0o755);
  }
  return {
    path: `${dir}:${process.env.PATH}`,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as string[])
        : [],
    record: (entry) => appendFileSync(log, JSON.stringify(entry) + '\n'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Harbor's database where a compose install (harbor-db) or the chart (<fullname>-database-0, container database) has it. */
export function createDatabaseShim(
  database: ShimServer,
  place: { container?: string; namespace?: string; pod?: string; kubeContainer?: string; answers?: ShimAnswer[] } = {},
): Shim {
  return createShim({
    database,
    containers: [place.container ?? 'harbor-db'],
    workloads: [{ namespace: place.namespace ?? 'default', name: place.pod ?? 'harbor-database-0', container: place.kubeContainer ?? 'database' }],
    answers: place.answers,
  });
}
