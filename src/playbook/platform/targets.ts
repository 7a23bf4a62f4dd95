// Where Harbor runs and how to reach its parts, named here once: compose containers, k8s
// deployments and pods under the chart's fullname rules. compose and k8s reach the database
// through `docker exec` / `kubectl exec` into Harbor's own database container, and core,
// jobservice and the registry through Target.exec/logs/restart/rollout (the doctor reads every
// part's log through logParts/partLog); direct connects with the pg / mysql2 drivers (a
// single-file bundle needs nothing but Node) and runs the rest here.
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { COMPOSE_COMPONENT_CONTAINERS, COMPOSE_LOG_CONTAINERS } from '../../lib/harbor/compose-containers.ts';
import { commandError, runProcess, type Command, type CommandResult } from './commands.ts';
import { fail, refuse } from '../errors.ts';
import { passwordEnvName, registerSecret, resolvePassword } from '../secrets.ts';
import { connectMariadb, mysqlDatabase } from '../sql/mariadb.ts';
import { connectPostgres, psqlDatabase, type ConnectionSettings, type PostgresTls } from '../sql/postgres.ts';
import type { Database, Engine } from '../sql/sql.ts';
import { duration, enumeration, text, url, withDefaults, type Values } from '../flags.ts';

export const TARGET_KINDS = ['compose', 'k8s', 'direct'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export type DatabaseTool = 'psql' | 'pg_dump' | 'pg_restore' | 'mysql' | 'mysqldump';

export interface Target {
  kind: TargetKind;
  /** For output and the audit record; never contains a password. */
  description: string;
  /**
   * A database client tool run where it can reach Harbor's database, already pointed at it
   * (`offline`: run it there without connection options, e.g. pg_restore -f - converting a dump;
   * `secret` then reaches it as that environment variable, never through argv).
   */
  databaseTool(engine: Engine, tool: DatabaseTool, args: readonly string[], offline?: boolean, secret?: ContainerSecret): Command;
  connect(engine: Engine): Promise<Database>;
  /** compose/k8s: which engine the database container runs; direct: from the URL scheme. */
  detectEngine(): Promise<Engine>;
  /** argv run where `component` runs: in its container (compose), its deployment (k8s), or on this host (direct). */
  exec(component: HarborComponent, argv: readonly string[]): Command;
  /** Where `exec` runs, for output. */
  where(component: HarborComponent): string;
  /** The last `tail` lines of the component's log (docker logs, kubectl logs); undefined on direct, which has none to read. */
  logs(component: HarborComponent, tail: number): Command | undefined;
  /** The command that restarts the component, or undefined where the platform cannot reach it (direct). */
  restart(component: HarborComponent): Command | undefined;
  /** k8s: waits until the restarted component has rolled out (kubectl rollout status), at most `timeoutSeconds`. */
  rollout(component: HarborComponent, timeoutSeconds: number): Command | undefined;
  /** k8s: restarts another workload of the release by kind/name (kubectl rollout restart); undefined on compose and direct. */
  restartWorkload(workload: Workload): Command | undefined;
  /** k8s: waits until that workload has rolled out, at most `timeoutSeconds`; undefined on compose and direct. */
  rolloutWorkload(workload: Workload, timeoutSeconds: number): Command | undefined;
  /** Every part of the install that keeps a log (the doctor reads them all); undefined on direct. */
  logParts(): LogParts | undefined;
  /** A part's whole log (every container of a pod), each line timestamped, from `sinceSeconds` ago when given; undefined on direct. */
  partLog(part: string, sinceSeconds?: number): Command | undefined;
  /**
   * Copies the file or directory `path` out of where `component` runs (docker cp; kubectl cp from a
   * running pod of the component; a local copy on direct) to `dest` on this host, which must not
   * exist yet: it becomes the copy. A failed copy ends the run (exit 1).
   */
  copyOut(component: HarborComponent, path: string, dest: string): Promise<void>;
  /** Copies `src` on this host to `path` where `component` runs, replacing a file there (docker cp, kubectl cp, a local copy). */
  copyIn(component: HarborComponent, src: string, path: string): Promise<void>;
  /** k8s only: the namespace and the chart's object names, decided here once. */
  kubernetes?: KubernetesPlace;
}

/** The parts of Harbor reached through the target besides its database. */
export type HarborComponent = 'core' | 'jobservice' | 'registry';

/** A Kubernetes workload as kubectl rollout names it: deployment/<name> or statefulset/<name>. */
export type Workload = `${'deployment' | 'statefulset'}/${string}`;

/** How to find the parts of an install that keep a log. */
export interface LogParts {
  /** The command that lists the candidates. */
  list: Command;
  /** The names of Harbor's parts in `list`'s output, as `partLog` takes them. */
  select(output: string): string[];
  /** What was looked for, to say so when none is found. */
  wanted: string;
}

type Components = Pick<
  Target,
  'exec' | 'where' | 'logs' | 'restart' | 'rollout' | 'restartWorkload' | 'rolloutWorkload' | 'logParts' | 'partLog' | 'copyOut' | 'copyIn'
>;

const outputLines = (output: string) =>
  output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
/** `--since` in whole seconds, a form docker logs and kubectl logs both accept. */
const sinceArgs = (sinceSeconds: number | undefined) => (sinceSeconds === undefined ? [] : [`--since=${sinceSeconds}s`]);

/** A copy's destination on this host must be new: docker cp and kubectl cp would copy into an existing directory. */
function newDestination(dest: string): void {
  if (existsSync(dest)) throw refuse(`${dest} already exists: give a path the copy can be created at`);
}

/** Runs a docker cp / kubectl cp; its failure ends the run with the tool's own reason. */
async function copied(command: Command): Promise<void> {
  const result = await runProcess(command);
  if (result.exitCode !== 0) throw fail(commandError(command, result));
}

async function copiedLocally(src: string, dest: string): Promise<void> {
  try {
    await cp(src, dest, { recursive: true, force: true });
  } catch (error) {
    throw fail(`cannot copy ${src} to ${dest}: ${(error as Error).message}`);
  }
}

/** direct: commands run on this host; nothing to restart or read logs from. */
const LOCAL: Components = {
  exec: (_component, argv) => ({ argv: [...argv] }),
  where: () => 'this host',
  logs: () => undefined,
  restart: () => undefined,
  rollout: () => undefined,
  restartWorkload: () => undefined,
  rolloutWorkload: () => undefined,
  logParts: () => undefined,
  partLog: () => undefined,
  copyOut: async (_component, path, dest) => {
    newDestination(dest);
    await copiedLocally(path, dest);
  },
  copyIn: (_component, src, path) => copiedLocally(src, path),
};

function composeComponents(containers: Readonly<Record<HarborComponent, string>>): Components {
  return {
    exec: (component, argv) => ({ argv: ['docker', 'exec', '-i', containers[component], ...argv] }),
    where: (component) => `container ${containers[component]}`,
    logs: (component, tail) => ({ argv: ['docker', 'logs', '--tail', String(tail), containers[component]] }),
    restart: (component) => ({ argv: ['docker', 'restart', containers[component]] }),
    rollout: () => undefined,
    restartWorkload: () => undefined,
    rolloutWorkload: () => undefined,
    logParts: () => ({
      list: { argv: ['docker', 'ps', '--all', '--format', '{{.Names}}'] },
      select: (output) => {
        const present = new Set(outputLines(output));
        return COMPOSE_LOG_CONTAINERS.filter((name) => present.has(name));
      },
      wanted: `Harbor containers (${COMPOSE_LOG_CONTAINERS.slice(0, 3).join(', ')}, ...) in docker ps`,
    }),
    partLog: (container, sinceSeconds) => ({ argv: ['docker', 'logs', '--timestamps', ...sinceArgs(sinceSeconds), container] }),
    copyOut: async (component, path, dest) => {
      newDestination(dest);
      await copied({ argv: ['docker', 'cp', `${containers[component]}:${path}`, dest] });
    },
    copyIn: (component, src, path) => copied({ argv: ['docker', 'cp', src, `${containers[component]}:${path}`] }),
  };
}

/**
 * k8s: each component is the deployment <fullname>-<component>, whose container has the component's name;
 * every pod of the release carries the labels release=<release> and app=harbor (harbor-helm templates).
 */
function k8sComponents({ namespace, release }: KubernetesPlace, fullname: () => string): Components {
  const kubectl = (argv: readonly string[]): Command => ({ argv: ['kubectl', '-n', namespace, ...argv] });
  const selector = `release=${release},app=harbor`;
  const restartWorkload = (workload: Workload) => kubectl(['rollout', 'restart', workload]);
  const rolloutWorkload = (workload: Workload, timeoutSeconds: number) => kubectl(['rollout', 'status', workload, `--timeout=${timeoutSeconds}s`]);
  /** kubectl cp takes a pod, not a deployment: a running pod of the component (harbor-helm labels it component=<component>). */
  const podOf = async (component: HarborComponent) => {
    const labels = `${selector},component=${component}`;
    const command = kubectl(['get', 'pods', '-l', labels, '--field-selector=status.phase=Running', '-o', 'name']);
    const result = await runProcess(command);
    if (result.exitCode !== 0) throw fail(commandError(command, result));
    const pod = outputLines(result.stdout)[0]?.replace(/^pod\//, '');
    if (!pod) throw refuse(`no running pod with labels ${labels} in namespace ${namespace}; check --namespace and --release`);
    return pod;
  };
  return {
    exec: (component, argv) => kubectl(['exec', '-i', `deploy/${fullname()}-${component}`, '-c', component, '--', ...argv]),
    where: (component) => `deploy/${fullname()}-${component} (container ${component})`,
    logs: (component, tail) => kubectl(['logs', `deploy/${fullname()}-${component}`, '--tail', String(tail)]),
    restart: (component) => restartWorkload(`deployment/${fullname()}-${component}`),
    rollout: (component, timeoutSeconds) => rolloutWorkload(`deployment/${fullname()}-${component}`, timeoutSeconds),
    restartWorkload,
    rolloutWorkload,
    logParts: () => ({
      list: kubectl(['get', 'pods', '-l', selector, '-o', 'name']),
      select: (output) => outputLines(output).map((line) => line.replace(/^pod\//, '')),
      wanted: `pods with labels ${selector} in namespace ${namespace}`,
    }),
    partLog: (pod, sinceSeconds) => kubectl(['logs', `pod/${pod}`, '--all-containers=true', '--timestamps=true', ...sinceArgs(sinceSeconds)]),
    copyOut: async (component, path, dest) => {
      newDestination(dest);
      await copied(kubectl(['cp', '-c', component, `${await podOf(component)}:${path}`, dest]));
    },
    copyIn: async (component, src, path) => copied(kubectl(['cp', '-c', component, src, `${await podOf(component)}:${path}`])),
  };
}

/** Where a Helm release of Harbor lives, and the prefix of its objects under both chart naming rules. */
export interface KubernetesPlace {
  namespace: string;
  release: string;
  /** <fullname>-core, -jobservice, -registry …: chart 1.7.0+ rule (or --fullname). */
  fullname: string;
  /** The same before chart 1.7.0 (and Harbor 1.5's own chart): always <release>-harbor. */
  legacyFullname: string;
}

export const CONTAINER_NAME = { pattern: /[\w][\w.-]*/, patternHelp: 'a container name' } as const;
const KUBERNETES_NAME = /[a-z0-9]([-a-z0-9]*[a-z0-9])?/;

/** Where Harbor runs in Kubernetes: shared by every playbook that can reach it there. */
const KUBERNETES_FLAGS = {
  namespace: text({ default: 'default', pattern: KUBERNETES_NAME, patternHelp: 'a Kubernetes namespace', help: 'k8s: namespace of the Harbor release.' }),
  release: text({
    default: 'harbor',
    pattern: KUBERNETES_NAME,
    patternHelp: 'a Helm release name',
    help: 'k8s: Helm release name. Objects are named <release>-harbor-*, or <release>-* when the name contains "harbor" (chart 1.7.0+).',
  }),
  fullname: text({
    pattern: KUBERNETES_NAME,
    patternHelp: 'a Kubernetes object name prefix',
    help: 'k8s: override the chart fullname (e.g. harbor-harbor for a release "harbor" on charts before 1.7.0).',
  }),
};

/** Options every database playbook accepts, by target. */
export const TARGET_FLAGS = {
  target: enumeration(TARGET_KINDS, {
    help: 'Where Harbor runs; detected when unambiguous (--db-url: direct; --namespace/--release: k8s; a harbor-db container: compose).',
  }),
  'db-url': url({
    help: 'direct: postgres://user@host:5432/registry or mysql://root@host:3306/registry. Leave the password out and set PGPASSWORD / MYSQL_PWD or answer the prompt: a password in the URL is readable with ps (the run warns).',
    example: 'postgres://postgres@10.0.0.5:5432/registry',
  }),
  engine: enumeration(['auto', 'postgresql', 'mariadb'], {
    default: 'auto',
    help: 'compose/k8s: the database engine (MariaDB up to Harbor 1.5, PostgreSQL from 1.6).',
  }),
  'db-container': text({ default: COMPOSE_COMPONENT_CONTAINERS.database, ...CONTAINER_NAME, help: 'compose: the database container.' }),
  'jobservice-container': text({ default: COMPOSE_COMPONENT_CONTAINERS.jobservice, ...CONTAINER_NAME, help: 'compose: the jobservice container.' }),
  'db-user': text({ pattern: /[\w.-]+/, patternHelp: 'a database user name', help: 'compose/k8s: database user (default postgres, or root for MariaDB).' }),
  'db-name': text({ default: 'registry', pattern: /[\w-]+/, patternHelp: 'a database name', help: 'compose/k8s: database name.' }),
  ...KUBERNETES_FLAGS,
  'statement-timeout': duration({
    default: 300,
    min: 1,
    max: 86_400,
    help: 'Longest wait for one database statement (a lock wait included), e.g. 60s or 5m; a database that does not answer in time ends the run with exit 1, nothing committed.',
  }),
};
export type TargetValues = Values<typeof TARGET_FLAGS>;

/** Where Harbor runs, for playbooks that reach it without its database (storage, APIs, kubectl). */
export const PLACEMENT_FLAGS = {
  target: enumeration(TARGET_KINDS, {
    help: 'Where Harbor runs: direct (this host and the network), compose (docker on this host) or k8s (kubectl; implied by --namespace/--release). Default: the first this playbook supports.',
  }),
  ...KUBERNETES_FLAGS,
};

/** compose: where core runs, for playbooks that read its environment or its log. */
export const CORE_CONTAINER_FLAGS = {
  'core-container': text({ default: COMPOSE_COMPONENT_CONTAINERS.core, ...CONTAINER_NAME, help: 'compose: the core container.' }),
};

/** compose: options of some playbooks that name another component's container. */
type ContainerOptions = {
  'core-container'?: string;
  'registry-container'?: string;
};

/** What a target is built from: the target options the playbook's command line has (defaults fill the rest). */
export type TargetOptions = Partial<TargetValues> & ContainerOptions;
type ResolvedOptions = TargetValues & ContainerOptions;

/** Helm's `trunc 63 | trimSuffix "-"`: Kubernetes names are DNS labels. */
const dnsLabel = (name: string) => name.slice(0, 63).replace(/-$/, '');

/**
 * The harbor-helm fullname rule (templates/_helpers.tpl). Up to chart 1.6.x (and Harbor's own
 * 1.5 chart, contrib/helm/harbor) it is always <release>-harbor; from chart 1.7.0 a release
 * name that contains "harbor" is used as is. `legacy` picks the older rule.
 */
export function chartFullname(release: string, override?: string, legacy = false): string {
  if (override) return dnsLabel(override);
  return dnsLabel(!legacy && release.includes('harbor') ? release : `${release}-harbor`);
}

interface DatabaseUrl extends ConnectionSettings {
  engine: Engine;
}

export function parseDatabaseUrl(raw: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('--db-url is not a URL (expected postgres://user@host:port/registry or mysql://user@host:port/registry)');
  }
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  registerSecret(password);
  const engine: Engine | undefined = ({ 'postgres:': 'postgresql', 'postgresql:': 'postgresql', 'mysql:': 'mariadb', 'mariadb:': 'mariadb' } as const)[
    url.protocol as 'postgres:'
  ];
  if (!engine) throw refuse(`--db-url scheme ${url.protocol} is not supported (use postgres:// or mysql://)`);
  if (!url.hostname) throw refuse('--db-url has no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'registry';
  if (!/^[\w-]+$/.test(database)) throw refuse('--db-url database name must be letters, digits, _ or -');
  return {
    engine,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : engine === 'postgresql' ? 5432 : 3306,
    user: decodeURIComponent(url.username) || (engine === 'postgresql' ? 'postgres' : 'root'),
    password,
    database,
    tls: databaseUrlTls(engine, url.searchParams),
  };
}

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

/**
 * The TLS a --db-url asks for: PostgreSQL's sslmode (and sslrootcert), as libpq reads them. A
 * parameter this tool does not honour is refused rather than dropped, so that a connection is never
 * made with less protection than the URL asked for.
 */
function databaseUrlTls(engine: Engine, parameters: URLSearchParams): PostgresTls | undefined {
  const names = [...new Set(parameters.keys())];
  const unknown = names.filter((name) => engine !== 'postgresql' || (name !== 'sslmode' && name !== 'sslrootcert'));
  if (unknown.length > 0) {
    throw refuse(
      `--db-url parameter ${unknown.join(', ')} is not supported${engine === 'postgresql' ? ' (only sslmode and sslrootcert)' : ' for MySQL/MariaDB URLs'}`,
    );
  }
  const mode = parameters.get('sslmode') ?? 'disable';
  if (!(SSL_MODES as readonly string[]).includes(mode)) throw refuse(`--db-url sslmode must be one of ${SSL_MODES.join(', ')}, got ${mode}`);
  const rootCert = parameters.get('sslrootcert') ?? undefined;
  if (rootCert !== undefined && !mode.startsWith('verify-')) throw refuse('--db-url sslrootcert is read only with sslmode=verify-ca or verify-full');
  if (rootCert !== undefined && !existsSync(rootCert)) throw refuse(`--db-url sslrootcert ${rootCert} does not exist`);
  return mode === 'disable' ? undefined : { mode: mode as PostgresTls['mode'], rootCert };
}

/** The environment psql and pg_dump read the same TLS settings from. */
const tlsEnvironment = (tls: PostgresTls | undefined): Record<string, string> =>
  tls ? { PGSSLMODE: tls.mode, ...(tls.rootCert === undefined ? {} : { PGSSLROOTCERT: tls.rootCert }) } : {};

function directTarget(raw: string, timeoutMs: number): Target {
  const settings = parseDatabaseUrl(raw);
  let password: string | undefined;
  const ensurePassword = async () => {
    password ??= await resolvePassword(settings.engine, settings.password, `${settings.user}@${settings.host}`);
    return password;
  };
  return {
    kind: 'direct',
    description: `direct ${settings.engine} ${settings.user}@${settings.host}:${settings.port}/${settings.database}${settings.tls ? ` over TLS (sslmode=${settings.tls.mode})` : ''}`,
    databaseTool(engine, tool, args, offline, secret) {
      if (offline) return { argv: [tool, ...args], env: secret ? { [secret.name]: secret.value } : {} };
      const env: Record<string, string> = { ...(password ? { [passwordEnvName(engine)]: password } : {}), ...tlsEnvironment(settings.tls) };
      if (engine === 'postgresql') {
        return { argv: [tool, '-h', settings.host, '-p', String(settings.port), '-U', settings.user, '-d', settings.database, ...args], env };
      }
      return { argv: [tool, '-h', settings.host, '-P', String(settings.port), '-u', settings.user, ...args, settings.database], env };
    },
    async connect(engine) {
      const connection = { ...settings, password: await ensurePassword() };
      return engine === 'postgresql' ? connectPostgres(connection, timeoutMs) : connectMariadb(connection, timeoutMs);
    },
    detectEngine: async () => settings.engine,
    ...LOCAL,
  };
}

/** A password for a client inside the database container, by its environment variable. */
export interface ContainerSecret {
  name: 'PGPASSWORD' | 'MYSQL_PWD';
  value: string;
}

/** Where the database container is and how a command reaches it (compose: fixed; k8s: found by probing). */
interface Placement {
  exec(argv: readonly string[], secret?: ContainerSecret): Command;
  /** k8s: the chart fullname the database pod was found under, which names the other deployments too. */
  fullname?: string;
}

/** compose and k8s differ only in how a command reaches a container; the rest is shared. */
function execTarget(
  kind: 'compose' | 'k8s',
  description: string,
  values: TargetValues,
  components: (located: Placement | undefined) => Components,
  locate: (chosen: Engine | undefined) => Promise<{ engine: Engine; placement: Placement }>,
): Target {
  const dbName = values['db-name'];
  const timeoutMs = values['statement-timeout'] * 1000;
  const userFor = (engine: Engine) => values['db-user'] ?? (engine === 'postgresql' ? 'postgres' : 'root');
  let located: Placement | undefined;
  let mariadbPassword: string | undefined;
  const placement = () => {
    if (!located) throw new Error('the database container was not located yet (detectEngine first)');
    return located;
  };
  const target: Target = {
    kind,
    description,
    databaseTool(engine, tool, args, offline, secret) {
      if (offline) return placement().exec([tool, ...args], secret);
      if (engine === 'postgresql') {
        const secret = kind === 'compose' && process.env.PGPASSWORD ? { name: 'PGPASSWORD' as const, value: process.env.PGPASSWORD } : undefined;
        return placement().exec([tool, '-U', userFor(engine), '-d', dbName, ...args], secret);
      }
      return placement().exec([tool, '-u', userFor(engine), ...args, dbName], mariadbPassword ? { name: 'MYSQL_PWD', value: mariadbPassword } : undefined);
    },
    async connect(engine) {
      if (engine === 'postgresql') return psqlDatabase((flags) => target.databaseTool(engine, 'psql', flags), timeoutMs);
      // harbor-db (1.5) has no password-less root.
      mariadbPassword ??= await resolvePassword('mariadb', undefined, `${userFor(engine)} in ${description}`);
      if (mariadbPassword?.includes('\n')) throw refuse('the MariaDB password contains a line break, which cannot be passed to the client');
      return mysqlDatabase((flags) => target.databaseTool(engine, 'mysql', flags), timeoutMs);
    },
    async detectEngine() {
      const chosen = values.engine === 'postgresql' || values.engine === 'mariadb' ? values.engine : undefined;
      const found = await locate(chosen);
      located = found.placement;
      return found.engine;
    },
    exec: (component, argv) => components(located).exec(component, argv),
    where: (component) => components(located).where(component),
    logs: (component, tail) => components(located).logs(component, tail),
    restart: (component) => components(located).restart(component),
    rollout: (component, timeoutSeconds) => components(located).rollout(component, timeoutSeconds),
    restartWorkload: (workload) => components(located).restartWorkload(workload),
    rolloutWorkload: (workload, timeoutSeconds) => components(located).rolloutWorkload(workload, timeoutSeconds),
    logParts: () => components(located).logParts(),
    partLog: (part, sinceSeconds) => components(located).partLog(part, sinceSeconds),
    copyOut: (component, path, dest) => components(located).copyOut(component, path, dest),
    copyIn: (component, src, path) => components(located).copyIn(component, src, path),
  };
  return target;
}

/** What a failed `<client> --version` in a container says: the pod or container is missing, or the client is. */
function probeOutcome(probe: Command, result: CommandResult): 'ok' | 'no-pod' | 'no-client' | 'error' {
  const text = result.stderr + result.stdout;
  if (result.exitCode === 0) return 'ok';
  // docker or kubectl itself missing on this host: not a container without psql.
  if (result.exitCode === 127 && text.includes(`${probe.argv[0]}: command not found`)) return 'error';
  // kubectl: Error from server (NotFound): pods "x" not found; container not found ("database").
  if (/\(NotFound\)|pods? "[^"]*" not found|container not found|No such container/i.test(text)) return 'no-pod';
  if (/executable file not found|: not found|command not found|no such file or directory/i.test(text)) return 'no-client';
  return 'error';
}

/** compose: the container of each component, as the options that name them say (defaults: COMPOSE_COMPONENT_CONTAINERS). */
function composeContainers(values: ResolvedOptions): Record<HarborComponent, string> {
  return {
    core: values['core-container'] ?? COMPOSE_COMPONENT_CONTAINERS.core,
    jobservice: values['jobservice-container'],
    registry: values['registry-container'] ?? COMPOSE_COMPONENT_CONTAINERS.registry,
  };
}

function composeTarget(values: ResolvedOptions): Target {
  const container = values['db-container'];
  const placement: Placement = {
    exec: (argv, secret) => ({
      argv: ['docker', 'exec', '-i', ...(secret ? ['-e', secret.name] : []), container, ...argv],
      env: secret ? { [secret.name]: secret.value } : {},
    }),
  };
  const components = composeComponents(composeContainers(values));
  return execTarget(
    'compose',
    `compose (container ${container})`,
    values,
    () => components,
    async (chosen) => {
      if (chosen) return { engine: chosen, placement };
      const probe = placement.exec(['psql', '--version']);
      const result = await runProcess(probe);
      const outcome = probeOutcome(probe, result);
      if (outcome === 'ok') return { engine: 'postgresql', placement };
      // Harbor <= 1.5's harbor-db runs MariaDB and has no psql.
      if (outcome === 'no-client') return { engine: 'mariadb', placement };
      throw refuse(`cannot reach the database container: ${commandError(probe, result)}${result.notStarted ? '' : ' (check --db-container)'}`);
    },
  );
}

/**
 * k8s: the PostgreSQL charts run the database in <fullname>-database-0 (container database);
 * Harbor 1.5's chart (contrib/helm/harbor) runs MariaDB in <fullname>-mysql-0 (container mysql),
 * named by the old fullname rule. The first pod that exists decides, unless --engine does.
 */
function kubernetesPlace({ namespace, release, fullname }: TargetValues): KubernetesPlace {
  return { namespace, release, fullname: chartFullname(release, fullname), legacyFullname: chartFullname(release, fullname, true) };
}

function k8sTarget(values: ResolvedOptions): Target {
  const place = kubernetesPlace(values);
  const { namespace, release } = place;
  const kubectl = (argv: readonly string[]): Command => ({ argv: ['kubectl', '-n', namespace, ...argv] });
  const placementFor = (fullname: string, pod: string, container: string): Placement => ({
    fullname,
    exec(argv, secret) {
      const inPod = ['exec', '-i', pod, '-c', container, '--'];
      // kubectl exec passes no environment: a password travels as the first line of stdin.
      if (!secret) return kubectl([...inPod, ...argv]);
      return {
        ...kubectl([...inPod, 'sh', '-c', `IFS= read -r ${secret.name} && export ${secret.name} && exec "$@"`, 'sh', ...argv]),
        stdinPrefix: `${secret.value}\n`,
      };
    },
  });
  const fullnames = [...new Set([place.fullname, place.legacyFullname])];
  const candidates = [
    ...fullnames.map((fullname) => ({ engine: 'postgresql' as const, fullname, pod: `${fullname}-database-0`, container: 'database', client: 'psql' })),
    { engine: 'mariadb' as const, fullname: place.legacyFullname, pod: `${place.legacyFullname}-mysql-0`, container: 'mysql', client: 'mysql' },
  ];
  // The deployments are named like the database pod that was found (either chart naming rule).
  const components = (located: Placement | undefined) => k8sComponents(place, () => located?.fullname ?? place.fullname);
  const target = execTarget('k8s', `k8s (namespace ${namespace}, release ${release})`, values, components, async (chosen) => {
    const tried: string[] = [];
    for (const candidate of candidates.filter((entry) => !chosen || entry.engine === chosen)) {
      const placement = placementFor(candidate.fullname, candidate.pod, candidate.container);
      const probe = placement.exec([candidate.client, '--version']);
      const result = await runProcess(probe);
      const outcome = probeOutcome(probe, result);
      if (outcome === 'ok') return { engine: candidate.engine, placement };
      if (outcome !== 'no-pod') throw refuse(`cannot reach the database in pod ${candidate.pod}: ${commandError(probe, result)}`);
      tried.push(`${candidate.pod} (container ${candidate.container})`);
    }
    throw refuse(`no database pod found in namespace ${namespace}: tried ${tried.join(', ')}; check --namespace, --release or --fullname`);
  });
  target.kubernetes = place;
  return target;
}

async function composeContainerExists(container: string): Promise<boolean> {
  const result = await runProcess({ argv: ['docker', 'inspect', '--format', '{{.Name}}', container] }).catch(() => undefined);
  return result?.exitCode === 0;
}

/** A target for playbooks that never touch the database: its database calls are refused. */
function withoutDatabase(kind: TargetKind, values: ResolvedOptions): Target {
  const none = (): never => {
    throw refuse('this playbook does not use the database');
  };
  const description = {
    direct: 'direct (this host and the network)',
    compose: 'compose (docker on this host)',
    k8s: `k8s (namespace ${values.namespace}, release ${values.release})`,
  }[kind];
  const database = { databaseTool: none, connect: async () => none(), detectEngine: async () => none() };
  if (kind === 'direct') return { kind, description, ...database, ...LOCAL };
  if (kind === 'compose') return { kind, description, ...database, ...composeComponents(composeContainers(values)) };
  const place = kubernetesPlace(values);
  return { kind, description, ...database, ...k8sComponents(place, () => place.fullname), kubernetes: place };
}

/** Picks the target from --target, or from the options given when that is unambiguous; `note` says why the others are not supported. */
export async function resolveTarget(
  options: TargetOptions,
  given: ReadonlySet<string>,
  supported: readonly TargetKind[],
  database = true,
  note?: string,
): Promise<Target> {
  const values: ResolvedOptions = { ...options, ...withDefaults(TARGET_FLAGS, options) };
  let kind = values.target;
  if (!kind) {
    if (values['db-url']) kind = 'direct';
    else if (given.has('namespace') || given.has('release') || given.has('fullname')) kind = 'k8s';
    else if (!database) kind = supported.includes('direct') ? 'direct' : supported[0]!;
    else if (await composeContainerExists(values['db-container'])) kind = 'compose';
    else throw refuse('cannot tell where Harbor runs: pass --target compose, --target k8s (with --namespace/--release) or --db-url');
  }
  if (!supported.includes(kind))
    throw refuse(`this playbook does not support the ${kind} target (supported: ${supported.join(', ')})${note ? `: ${note}` : ''}`);
  if (!database) return withoutDatabase(kind, values);
  if (kind === 'direct') {
    if (!values['db-url']) throw refuse('--target direct needs --db-url');
    return directTarget(values['db-url'], values['statement-timeout'] * 1000);
  }
  if (values['db-url']) throw refuse(`--db-url is only for --target direct, not ${kind}`);
  return kind === 'compose' ? composeTarget(values) : k8sTarget(values);
}
