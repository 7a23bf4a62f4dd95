// The one stand-in for `docker` and `kubectl` in tests, placed first on PATH. Each logs its
// exact argv (JSON lines, the tool first) and then, in this order:
// - answers the command line from `answers` (the first that matches): prints a file or text,
//   merges a `kubectl patch -p <json>` into a file, exits with the code given;
// - with a `cluster` directory, `kubectl get|apply|replace|rollout` read and change the objects
//   kept there as JSON (<cluster>/<namespace>/<resource>/<name>.json) as the API server would:
//   get one object, a List or `-o yaml`; apply merges keys into what is there; replace checks
//   metadata.resourceVersion (Conflict when stale); each write bumps it; rollout restart stamps
//   the pod template's restartedAt annotation;
// - `docker exec [-e NAME]... <container>` and `kubectl -n <ns> exec -i <workload> -c <container> --`
//   into a place that exists run the inner command locally. Like the real tools, `docker exec`
//   passes only the `-e` variables and `kubectl exec` no environment at all, so a password sent
//   any other way does not arrive. With a `database` server, the database clients inside are
//   wrappers that add only the TCP host/port (and PostgreSQL password) the container would not need
//   (a PGPASSWORD the command sets inside the container, and a later -h, win as they would there);
// - `docker inspect ... <container>` exits 0 when the container exists;
// - `docker cp` / `kubectl -n <ns> cp [-c <container>]` between this host and a container that
//   exists (or a pod in `pods`) copy locally, as the tools do: a file or a whole directory, into
//   an existing directory under the source's name;
// - with `pods`, `kubectl -n <ns> get pods -l <k=v,...> -o name` lists the pods whose labels
//   match, and `kubectl -n <ns> logs <pod | pod/<pod> | deploy/<deployment>>` prints that pod's
//   log (a deployment's: its pod's), as kubectl picks them;
// - with `compose` (a state file, see ComposeState), `docker inspect/start/restart/stop` act on
//   those fake containers as the daemon would: a container whose syslog driver address accepts
//   no TCP connection is not started (the daemon's exact error, kept in State.Error), and a
//   container with `run` starts that real process (harbor-log's stand-in listener);
// - anything else succeeds silently (restart, rollout status), or, with `otherwise: 'fail'`,
//   fails as a tool with no such object would.
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  /** `kubectl get/apply/replace/rollout`: the directory of a fake cluster's objects (putClusterObject). */
  cluster?: string;
  /** A JSON file holding a ComposeState, read and written by `docker inspect/start/restart/stop`. */
  compose?: string;
}

/** One fake compose container, as `docker inspect` shows it. */
export interface ComposeContainer {
  image: string;
  status: 'created' | 'running' | 'exited' | 'restarting' | 'paused' | 'dead';
  exitCode?: number;
  /** State.Error: why the last start failed. */
  error?: string;
  /** The syslog-address of its logging driver (none: json-file, as harbor-log has). */
  syslogAddress?: string;
  /** argv of the real process `docker start` runs for it. */
  run?: string[];
  /** The process `run` started. */
  pid?: number;
}

export interface ComposeState {
  containers: Record<string, ComposeContainer>;
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
if (tool === 'kubectl' && config.cluster) clusterCommand();
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
} else if (tool === 'docker' && config.compose && ['inspect', 'start', 'restart', 'stop'].includes(argv[0])) {
  return composeCommand(argv).then((code) => process.exit(code));
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

// kubectl -n <ns> get|apply|replace|rollout against the objects in config.cluster; returns for any other verb.
function clusterCommand() {
  const { existsSync, mkdirSync, readdirSync } = require('node:fs');
  const { join } = require('node:path');
  const YAML = require(config.yamlModule);
  const namespace = argv.includes('-n') ? argv[argv.indexOf('-n') + 1] : 'default';
  const [verb, ...words] = argv.filter((arg, index) => arg !== '-n' && argv[index - 1] !== '-n');
  if (!['get', 'apply', 'replace', 'rollout'].includes(verb)) return;
  const RESOURCES = { secret: 'secrets', secrets: 'secrets', deployment: 'deployments', deployments: 'deployments', deploy: 'deployments', statefulset: 'statefulsets', statefulsets: 'statefulsets', sts: 'statefulsets' };
  const BY_KIND = { Secret: 'secrets', Deployment: 'deployments', StatefulSet: 'statefulsets' };
  const SHOWN = { secrets: 'secret', deployments: 'deployment.apps', statefulsets: 'statefulset.apps' };
  // The API server names a resource with its group in errors: secrets "x", deployments.apps "x".
  const QUALIFIED = { secrets: 'secrets', deployments: 'deployments.apps', statefulsets: 'statefulsets.apps' };
  const fail = (message) => { process.stderr.write(message + '\n'); process.exit(1); };
  const resourceOf = (word) => RESOURCES[word] ?? fail('error: the server doesn\'t have a resource type "' + word + '"');
  const path = (resource, name) => join(config.cluster, namespace, resource, name + '.json');
  const read = (resource, name) => existsSync(path(resource, name)) ? JSON.parse(readFileSync(path(resource, name), 'utf8')) : undefined;
  const notFound = (resource, name) => fail('Error from server (NotFound): ' + QUALIFIED[resource] + ' "' + name + '" not found');
  const write = (resource, object, previous) => {
    object.metadata = { ...object.metadata, namespace, uid: previous?.metadata.uid ?? require('node:crypto').randomUUID(), resourceVersion: String(Number(previous?.metadata.resourceVersion ?? 0) + 1) };
    mkdirSync(join(config.cluster, namespace, resource), { recursive: true });
    writeFileSync(path(resource, object.metadata.name), JSON.stringify(object));
  };
  const list = (items) => ({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
  const option = (name) => words.includes(name) ? words[words.indexOf(name) + 1] : undefined;
  if (verb === 'get') {
    const [what, ...names] = words.filter((word, index) => !word.startsWith('-') && !words[index - 1]?.startsWith('-o'));
    let answer;
    if (what.includes('/')) answer = read(resourceOf(what.split('/')[0]), what.split('/')[1]) ?? notFound(resourceOf(what.split('/')[0]), what.split('/')[1]);
    else if (names.length === 0) {
      answer = list(what.split(',').map(resourceOf).flatMap((resource) => {
        const folder = join(config.cluster, namespace, resource);
        return existsSync(folder) ? readdirSync(folder).map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8'))).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1)) : [];
      }));
    } else {
      const items = names.map((name) => read(resourceOf(what), name) ?? notFound(resourceOf(what), name));
      answer = items.length === 1 ? items[0] : list(items);
    }
    process.stdout.write(option('-o') === 'yaml' ? YAML.stringify(answer) : JSON.stringify(answer, null, 2) + '\n');
    process.exit(0);
  }
  if (verb === 'rollout') {
    const [action, reference] = words;
    const resource = resourceOf(reference.split('/')[0]);
    const name = reference.split('/')[1];
    const object = read(resource, name) ?? notFound(resource, name);
    if (action === 'restart') {
      const template = (object.spec.template.metadata ??= {});
      template.annotations = { ...template.annotations, 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() };
      write(resource, object, read(resource, name));
      process.stdout.write(SHOWN[resource] + '/' + name + ' restarted\n');
    } else process.stdout.write(SHOWN[resource].split('.')[0] + ' "' + name + '" successfully rolled out\n');
    process.exit(0);
  }
  const source = option('-f');
  const objects = YAML.parseAllDocuments(readFileSync(source === '-' ? 0 : source, 'utf8'))
    .map((document) => document.toJS())
    .flatMap((object) => (object?.kind === 'List' ? object.items : object ? [object] : []));
  for (const object of objects) {
    const resource = BY_KIND[object.kind] ?? fail('error: no kind "' + object.kind + '" is registered');
    const name = object.metadata.name;
    const live = read(resource, name);
    if (verb === 'replace' && !live) notFound(resource, name);
    if (live && object.metadata.resourceVersion && object.metadata.resourceVersion !== live.metadata.resourceVersion)
      fail('Error from server (Conflict): error when ' + (verb === 'replace' ? 'replacing' : 'applying') + ' "' + (source === '-' ? 'STDIN' : source) + '": Operation cannot be fulfilled on ' + QUALIFIED[resource] + ' "' + name + '": the object has been modified; please apply your changes to the latest version and try again');
    // apply without a last-applied annotation, as for objects Helm made: keys in the file win, keys only in the cluster stay.
    const merged = verb === 'apply' && live
      ? { ...live, ...object, metadata: { ...live.metadata, ...object.metadata, labels: { ...live.metadata.labels, ...object.metadata.labels }, annotations: { ...live.metadata.annotations, ...object.metadata.annotations } }, data: { ...live.data, ...object.data } }
      : object;
    write(resource, merged, live);
    process.stdout.write(SHOWN[resource] + '/' + name + ' ' + (verb === 'replace' ? 'replaced' : live ? 'configured' : 'created') + '\n');
  }
  process.exit(0);
}

// docker inspect/start/restart/stop on the fake compose containers of config.compose.
async function composeCommand(argv) {
  const { connect } = require('node:net');
  const { spawn } = require('node:child_process');
  const state = JSON.parse(readFileSync(config.compose, 'utf8'));
  const save = () => writeFileSync(config.compose, JSON.stringify(state, null, 2));
  const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  // A container whose process ended is exited, as the daemon reports it.
  for (const container of Object.values(state.containers)) {
    if (container.status === 'running' && container.pid && !alive(container.pid)) Object.assign(container, { status: 'exited', exitCode: 1, pid: 0 });
  }
  const names = argv.slice(1).filter((arg, index, all) => !arg.startsWith('-') && !['--type', '--format', '-f', '-t', '--time'].includes(all[index - 1]));
  const missing = names.filter((name) => !state.containers[name]);
  const dial = (address) => new Promise((resolve) => {
    const url = new URL(address);
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) });
    socket.once('connect', () => { socket.destroy(); resolve(undefined); });
    socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED' ? 'connection refused' : error.message));
  });
  // Like the daemon: SIGTERM, wait for the process to end, SIGKILL after 10 s.
  const stop = async (container) => {
    if (container.pid && alive(container.pid)) {
      process.kill(container.pid, 'SIGTERM');
      for (let waited = 0; alive(container.pid) && waited < 10000; waited += 20) await new Promise((done) => setTimeout(done, 20));
      if (alive(container.pid)) process.kill(container.pid, 'SIGKILL');
    }
    Object.assign(container, { status: 'exited', exitCode: 0, pid: 0 });
  };
  const start = async (name, container) => {
    if (container.syslogAddress) {
      const refused = await dial(container.syslogAddress);
      if (refused) {
        const url = new URL(container.syslogAddress);
        container.error = 'failed to create task for container: failed to initialize logging driver: dial tcp ' + url.host + ': connect: ' + refused;
        // The daemon records a failed start with exit code 128 unless one was set (moby daemon/start.go).
        if (!container.exitCode) container.exitCode = 128;
        if (container.status === 'restarting') container.status = 'exited';
        return 'Error response from daemon: ' + container.error;
      }
    }
    if (container.run) {
      const child = spawn(container.run[0], container.run.slice(1), { detached: true, stdio: 'ignore' });
      child.unref();
      container.pid = child.pid;
    }
    Object.assign(container, { status: 'running', error: '', exitCode: 0 });
    return undefined;
  };
  if (argv[0] === 'inspect') {
    const found = names.filter((name) => state.containers[name]).map((name) => {
      const c = state.containers[name];
      return {
        Name: '/' + name,
        Config: { Image: c.image },
        State: { Status: c.status, Running: c.status === 'running', ExitCode: c.exitCode ?? 0, Error: c.error ?? '', Pid: c.pid ?? 0 },
        HostConfig: { LogConfig: c.syslogAddress ? { Type: 'syslog', Config: { 'syslog-address': c.syslogAddress } } : { Type: 'json-file', Config: {} } },
      };
    });
    process.stdout.write(JSON.stringify(found, null, 4) + '\n');
    // The CLI asks for a container with --type container (and says so), for any object without it.
    const kind = argv[argv.indexOf('--type') + 1] === 'container' ? 'container' : 'object';
    for (const name of missing) process.stderr.write('Error: No such ' + kind + ': ' + name + '\n');
    save();
    return missing.length ? 1 : 0;
  }
  // Like the CLI: each error as the daemon said it, then the names that failed (not all of them).
  const errors = missing.map((name) => 'Error response from daemon: No such container: ' + name);
  const failed = [...missing];
  for (const name of names.filter((name) => state.containers[name])) {
    const container = state.containers[name];
    if (argv[0] !== 'start') await stop(container);
    // docker start of a running container, like docker stop, just names it.
    if (argv[0] === 'stop' || (argv[0] === 'start' && container.status === 'running')) {
      process.stdout.write(name + '\n');
      continue;
    }
    const error = await start(name, container);
    if (error) {
      errors.push(argv[0] === 'restart' ? 'Error response from daemon: Cannot restart container ' + name + ': ' + container.error : error);
      failed.push(name);
    } else process.stdout.write(name + '\n');
  }
  save();
  if (errors.length) process.stderr.write(errors.join('\n') + '\nError: failed to ' + argv[0] + ' containers: ' + failed.join(', ') + '\n');
  return errors.length ? 1 : 0;
}
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
        ? // A password the command itself set inside the container (read from stdin) is kept: it is what a TCP login there would send.
          `#!/bin/sh\n[ -n "$PGPASSWORD" ] || PGPASSWORD='${server.password}'\nexport PGPASSWORD\nexec ${join(POSTGRES_BIN, tool)} -h ${server.host} -p ${server.port} "$@"\n`
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
      cluster: options.cluster,
      yamlModule: createRequire(import.meta.url).resolve('yaml'),
      compose: options.compose,
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

/** Where a fake cluster (ShimOptions.cluster) keeps one object. */
const clusterPath = (cluster: string, namespace: string, resource: string, name: string) => join(cluster, namespace, resource, `${name}.json`);

/** Puts an object into a fake cluster as a test's setup, before kubectl sees it. */
export function putClusterObject(
  cluster: string,
  namespace: string,
  resource: 'secrets' | 'deployments' | 'statefulsets',
  object: { metadata: { name: string } },
): void {
  const path = clusterPath(cluster, namespace, resource, object.metadata.name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ ...object, metadata: { ...object.metadata, namespace, resourceVersion: '1' } }));
}

/** An object of a fake cluster as kubectl left it, or undefined. */
export function clusterObject<T>(cluster: string, namespace: string, resource: string, name: string): T | undefined {
  const path = clusterPath(cluster, namespace, resource, name);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}
