// Where Harbor runs and how to reach its parts. compose and k8s reach the database through
// `docker exec` / `kubectl exec` into Harbor's own database container; direct connects
// with the pg / mysql2 drivers, so a single-file bundle needs nothing but Node.
import { commandError, runCommand, type Command } from './commands.ts';
import { refuse } from './errors.ts';
import { passwordEnvName, registerSecret, resolvePassword } from './secrets.ts';
import { connectMariadb, mysqlDatabase } from './sql-mariadb.ts';
import { connectPostgres, psqlDatabase, type ConnectionSettings } from './sql-postgres.ts';
import type { Database, Engine } from './sql.ts';
import type { Parameter, ParameterValues } from './types.ts';

export const TARGET_KINDS = ['compose', 'k8s', 'direct'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export type DatabaseTool = 'psql' | 'pg_dump' | 'pg_restore' | 'mysql' | 'mysqldump';

export interface Target {
  kind: TargetKind;
  /** For output and the audit record; never contains a password. */
  description: string;
  /**
   * A database client tool run where it can reach Harbor's database, already pointed at it
   * (`offline`: run it there without connection options, e.g. pg_restore -f - converting a dump).
   */
  databaseTool(engine: Engine, tool: DatabaseTool, args: readonly string[], offline?: boolean): Command;
  connect(engine: Engine): Promise<Database>;
  /** compose/k8s: which engine the database container runs; direct: from the URL scheme. */
  detectEngine(): Promise<Engine>;
  /** The command that restarts jobservice, or undefined where the platform cannot reach it. */
  restartJobservice(): Command | undefined;
}

/** Options every database playbook accepts, by target. */
export const TARGET_PARAMETERS: readonly Parameter[] = [
  { name: 'target', type: 'enum', choices: TARGET_KINDS, help: 'Where Harbor runs; detected when unambiguous (--db-url: direct; --namespace/--release: k8s; a harbor-db container: compose).' },
  { name: 'db-url', type: 'url', help: 'direct: postgres://user@host:5432/registry or mysql://root@host:3306/registry. Password from the URL, PGPASSWORD / MYSQL_PWD, or a prompt.', example: 'postgres://postgres@10.0.0.5:5432/registry' },
  { name: 'engine', type: 'enum', choices: ['auto', 'postgresql', 'mariadb'], default: 'auto', help: 'compose/k8s: the database engine (MariaDB up to Harbor 1.5, PostgreSQL from 1.6).' },
  { name: 'db-container', type: 'string', default: 'harbor-db', pattern: /[\w][\w.-]*/, patternHelp: 'a container name', help: 'compose: the database container.' },
  { name: 'jobservice-container', type: 'string', default: 'harbor-jobservice', pattern: /[\w][\w.-]*/, patternHelp: 'a container name', help: 'compose: the jobservice container.' },
  { name: 'db-user', type: 'string', pattern: /[\w.-]+/, patternHelp: 'a database user name', help: 'compose/k8s: database user (default postgres, or root for MariaDB).' },
  { name: 'db-name', type: 'string', default: 'registry', pattern: /[\w-]+/, patternHelp: 'a database name', help: 'compose/k8s: database name.' },
  { name: 'namespace', type: 'string', default: 'default', pattern: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/, patternHelp: 'a Kubernetes namespace', help: 'k8s: namespace of the Harbor release.' },
  { name: 'release', type: 'string', default: 'harbor', pattern: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/, patternHelp: 'a Helm release name', help: 'k8s: Helm release name. Objects are named <release>-harbor-*, or <release>-* when the name contains "harbor" (chart 1.7.0+).' },
  { name: 'fullname', type: 'string', pattern: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/, patternHelp: 'a Kubernetes object name prefix', help: 'k8s: override the chart fullname (e.g. harbor-harbor for a release "harbor" on charts before 1.7.0).' },
];

/** Where Harbor runs, for playbooks that reach it without its database (storage, APIs, kubectl). */
export const PLACEMENT_PARAMETERS: readonly Parameter[] = [
  { name: 'target', type: 'enum', choices: TARGET_KINDS, help: 'Where Harbor runs: direct (this host and the network), compose (docker on this host) or k8s (kubectl; implied by --namespace/--release). Default: the first this playbook supports.' },
  ...TARGET_PARAMETERS.filter((parameter) => ['namespace', 'release', 'fullname'].includes(parameter.name)),
];

/** The harbor-helm fullname rule (templates/_helpers.tpl): from chart 1.7.0 a release name containing "harbor" is used as is. */
export function chartFullname(release: string, override?: string): string {
  if (override) return override;
  return release.includes('harbor') ? release : `${release}-harbor`;
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
  const engine: Engine | undefined = ({ 'postgres:': 'postgresql', 'postgresql:': 'postgresql', 'mysql:': 'mariadb', 'mariadb:': 'mariadb' } as const)[url.protocol as 'postgres:'];
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
  };
}

function directTarget(raw: string): Target {
  const settings = parseDatabaseUrl(raw);
  let password: string | undefined;
  const ensurePassword = async () => {
    password ??= await resolvePassword(settings.engine, settings.password, `${settings.user}@${settings.host}`);
    return password;
  };
  return {
    kind: 'direct',
    description: `direct ${settings.engine} ${settings.user}@${settings.host}:${settings.port}/${settings.database}`,
    databaseTool(engine, tool, args, offline) {
      if (offline) return { argv: [tool, ...args] };
      const env: Record<string, string> = password ? { [passwordEnvName(engine)]: password } : {};
      if (engine === 'postgresql') {
        return { argv: [tool, '-h', settings.host, '-p', String(settings.port), '-U', settings.user, '-d', settings.database, ...args], env };
      }
      return { argv: [tool, '-h', settings.host, '-P', String(settings.port), '-u', settings.user, ...args, settings.database], env };
    },
    async connect(engine) {
      const connection = { ...settings, password: await ensurePassword() };
      return engine === 'postgresql' ? connectPostgres(connection) : connectMariadb(connection);
    },
    detectEngine: async () => settings.engine,
    restartJobservice: () => undefined,
  };
}

/** compose and k8s differ only in how a command reaches a container; the rest is shared. */
function execTarget(kind: 'compose' | 'k8s', description: string, values: ParameterValues, exec: (argv: string[], env: Record<string, string>) => Command, restart: Command): Target {
  const dbName = String(values['db-name'] ?? 'registry');
  const userFor = (engine: Engine) => String(values['db-user'] ?? (engine === 'postgresql' ? 'postgres' : 'root'));
  let mariadbPassword: string | undefined;
  const target: Target = {
    kind,
    description,
    databaseTool(engine, tool, args, offline) {
      if (offline) return exec([tool, ...args], {});
      if (engine === 'postgresql') {
        const env: Record<string, string> = process.env.PGPASSWORD ? { PGPASSWORD: process.env.PGPASSWORD } : {};
        return exec([tool, '-U', userFor(engine), '-d', dbName, ...args], env);
      }
      const env: Record<string, string> = mariadbPassword ? { MYSQL_PWD: mariadbPassword } : {};
      return exec([tool, '-u', userFor(engine), ...args, dbName], env);
    },
    async connect(engine) {
      if (engine === 'postgresql') return psqlDatabase((flags) => target.databaseTool(engine, 'psql', flags));
      // harbor-db (1.5) has no password-less root; the password travels in MYSQL_PWD.
      mariadbPassword ??= await resolvePassword('mariadb', undefined, `${userFor(engine)} in ${description}`);
      return mysqlDatabase((flags) => target.databaseTool(engine, 'mysql', flags));
    },
    async detectEngine() {
      const chosen = values.engine;
      if (chosen === 'postgresql' || chosen === 'mariadb') return chosen;
      const probe = exec(['psql', '--version'], {});
      const result = await runCommand(probe);
      if (result.exitCode === 0) return 'postgresql';
      if (/not found|no such file|executable file/i.test(result.stderr + result.stdout)) return 'mariadb';
      throw refuse(`cannot reach the database container: ${commandError(probe, result)}`);
    },
    restartJobservice: () => restart,
  };
  return target;
}

function composeTarget(values: ParameterValues): Target {
  const container = String(values['db-container'] ?? 'harbor-db');
  const jobservice = String(values['jobservice-container'] ?? 'harbor-jobservice');
  return execTarget('compose', `compose (container ${container})`, values,
    (argv, env) => ({ argv: ['docker', 'exec', '-i', ...Object.keys(env).flatMap((name) => ['-e', name]), container, ...argv], env }),
    { argv: ['docker', 'restart', jobservice] });
}

function k8sTarget(values: ParameterValues): Target {
  const namespace = String(values.namespace ?? 'default');
  const fullname = chartFullname(String(values.release ?? 'harbor'), values.fullname as string | undefined);
  const pod = `${fullname}-database-0`;
  return execTarget('k8s', `k8s (namespace ${namespace}, pod ${pod})`, values,
    // kubectl exec cannot pass environment; the chart's database container trusts local connections.
    (argv) => ({ argv: ['kubectl', '-n', namespace, 'exec', '-i', pod, '-c', 'database', '--', ...argv] }),
    { argv: ['kubectl', '-n', namespace, 'rollout', 'restart', `deployment/${fullname}-jobservice`] });
}

async function composeContainerExists(container: string): Promise<boolean> {
  const result = await runCommand({ argv: ['docker', 'inspect', '--format', '{{.Name}}', container] }).catch(() => undefined);
  return result?.exitCode === 0;
}

/** A target for playbooks that never touch the database: its database calls are refused. */
function withoutDatabase(kind: TargetKind, values: ParameterValues): Target {
  const none = (): never => {
    throw refuse('this playbook does not use the database');
  };
  const fullname = chartFullname(String(values.release ?? 'harbor'), values.fullname as string | undefined);
  const description = { direct: 'direct (this host and the network)', compose: 'compose (docker on this host)', k8s: `k8s (namespace ${values.namespace ?? 'default'}, objects ${fullname}-*)` }[kind];
  return { kind, description, databaseTool: none, connect: async () => none(), detectEngine: async () => none(), restartJobservice: () => undefined };
}

/** Picks the target from --target, or from the options given when that is unambiguous. */
export async function resolveTarget(values: ParameterValues, given: ReadonlySet<string>, supported: readonly TargetKind[], database = true): Promise<Target> {
  let kind = values.target as TargetKind | undefined;
  if (!kind) {
    if (values['db-url']) kind = 'direct';
    else if (given.has('namespace') || given.has('release') || given.has('fullname')) kind = 'k8s';
    else if (!database) kind = supported.includes('direct') ? 'direct' : supported[0]!;
    else if (await composeContainerExists(String(values['db-container'] ?? 'harbor-db'))) kind = 'compose';
    else throw refuse('cannot tell where Harbor runs: pass --target compose, --target k8s (with --namespace/--release) or --db-url');
  }
  if (!supported.includes(kind)) throw refuse(`this playbook does not support the ${kind} target (supported: ${supported.join(', ')})`);
  if (!database) return withoutDatabase(kind, values);
  if (kind === 'direct') {
    if (!values['db-url']) throw refuse('--target direct needs --db-url');
    return directTarget(String(values['db-url']));
  }
  if (values['db-url']) throw refuse(`--db-url is only for --target direct, not ${kind}`);
  return kind === 'compose' ? composeTarget(values) : k8sTarget(values);
}
