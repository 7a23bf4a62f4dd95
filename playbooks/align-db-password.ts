// Aligns the database user's password with the one Harbor's configuration gives core
// (content/issues/en/core-db-password-auth-failed.mdx): harbor-db sets POSTGRES_PASSWORD only
// when its data directory is created (make/photon/db/initdb.sh), while core reads
// POSTGRESQL_PASSWORD from its env at every start, so a changed database.password in
// harbor.yml leaves core with "password authentication failed". The new password is sent as
// a verifier computed here (SCRAM-SHA-256 or md5, as the server's password_encryption says), the
// way psql's \password does, so it never reaches the server's statement log.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { COMPOSE_COMPONENT_CONTAINERS } from '../src/lib/harbor/compose-containers.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { describeError, fail, refuse } from '../src/playbook/errors.ts';
import { boolean, path, text } from '../src/playbook/flags.ts';
import { commandError, commandText, runProcess } from '../src/playbook/platform/commands.ts';
import type { Kube } from '../src/playbook/platform/kube.ts';
import { containerEnvironment, firstDeployment } from './shared/deployment-env.ts';
import { CONTAINER_NAME, parseDatabaseUrl, type Target } from '../src/playbook/platform/targets.ts';
import { redact, registerSecret } from '../src/playbook/secrets.ts';
import { connectPostgres } from '../src/playbook/sql/postgres.ts';
import { literal, sql, type Database } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext, Step } from '../src/playbook/types.ts';
import { writeRestoreScript } from './shared/restore-script.ts';

const PAGE = '/issues/core-db-password-auth-failed/';

/** Where and as whom core connects, from its configuration. */
interface CoreDatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Which file and keys it came from, for output. */
  source: string;
  /** harbor.yml names an external database: prepare then leaves harbor-db out of the compose file. */
  external: boolean;
}

/** The host name core reaches harbor-db by: its service name in prepare's docker-compose.yml (make/photon/prepare/templates/docker_compose). */
const COMPOSE_DATABASE_HOST = 'postgresql';

/** core's env file as prepare writes it (make/photon/prepare/templates/core/env.jinja): NAME=value lines, no quoting. */
function fromEnvFile(content: string, file: string): CoreDatabaseConfig | undefined {
  const entries = new Map<string, string>();
  for (const line of content.split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.replace(/\r$/, ''));
    if (match?.[1] && match[2] !== undefined) entries.set(match[1], match[2]);
  }
  const password = entries.get('POSTGRESQL_PASSWORD');
  if (password === undefined) return undefined;
  return {
    host: entries.get('POSTGRESQL_HOST') || COMPOSE_DATABASE_HOST,
    port: Number(entries.get('POSTGRESQL_PORT') || 5432),
    user: entries.get('POSTGRESQL_USERNAME') || 'postgres',
    password,
    database: entries.get('POSTGRESQL_DATABASE') || 'registry',
    source: `${file} (POSTGRESQL_PASSWORD)`,
    external: false,
  };
}

/** harbor.yml: external_database.harbor when set, else database.password for harbor-db's postgres user (make/harbor.yml.tmpl). */
function fromHarborYml(content: string, file: string): CoreDatabaseConfig | undefined {
  let document: unknown;
  try {
    // YAML 1.1, as prepare's PyYAML reads it: unquoted yes/no are booleans and 0123 is octal there.
    document = parseYaml(content, { version: '1.1' });
  } catch {
    return undefined;
  }
  const section = (value: unknown, key: string): Record<string, unknown> | undefined => {
    const inner = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : undefined;
  };
  const external = section(section(document, 'external_database'), 'harbor');
  if (external && 'password' in external) {
    const source = `${file} (external_database.harbor.password)`;
    return {
      host: String(external.host ?? ''),
      port: Number(external.port ?? 5432),
      user: String(external.username ?? 'postgres'),
      password: yamlPassword(external.password, source),
      database: String(external.db_name ?? 'registry'),
      source,
      external: true,
    };
  }
  const internal = section(document, 'database');
  if (!internal || !('password' in internal)) return undefined;
  const source = `${file} (database.password)`;
  return {
    host: COMPOSE_DATABASE_HOST,
    port: 5432,
    user: 'postgres',
    password: yamlPassword(internal.password, source),
    database: 'registry',
    source,
    external: false,
  };
}

/**
 * A password as harbor.yml gives it. An empty `password:` is YAML null, which must not become the
 * text "null"; an unquoted number or yes/no reaches core as Python prints it (0123 as 83, yes as
 * True), so only a string is taken as it stands.
 */
function yamlPassword(value: unknown, source: string): string {
  if (value === null || value === undefined || value === '') throw refuse(`${source}: the database password is empty`);
  if (typeof value !== 'string')
    throw refuse(
      `${source}: the database password is not a string (YAML reads it as ${typeof value}); quote it in harbor.yml and run ./prepare, or give core's env file (common/config/core/env)`,
    );
  return value;
}

function readCoreDatabaseConfig(file: string): CoreDatabaseConfig {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw refuse(`--config ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const config = fromEnvFile(content, file) ?? fromHarborYml(content, file);
  if (!config)
    throw refuse(
      `--config ${file} holds no database password: give core's env file (common/config/core/env, POSTGRESQL_PASSWORD=...) or harbor.yml (database.password)`,
    );
  return checked(config, `--config ${file}`);
}

/** A configuration this playbook can act on; `origin` names where it came from in refusals. */
function checked(config: CoreDatabaseConfig, origin: string): CoreDatabaseConfig {
  if (config.password === '') throw refuse(`${origin}: the database password is empty`);
  if (!/^[A-Za-z_][\w$-]{0,62}$/.test(config.user)) throw refuse(`${origin}: ${JSON.stringify(config.user)} is not a database user name this playbook handles`);
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65_535) throw refuse(`${origin}: the database port is not a port number`);
  registerSecret(config.password);
  return config;
}

/**
 * k8s: core's POSTGRESQL_* as Kubernetes gives them to the core container of <fullname>-core:
 * an `env` entry wins over `envFrom`, a later `envFrom` source over an earlier one. The chart puts
 * them in the core ConfigMap (host, port, user, database) and the core Secret (POSTGRESQL_PASSWORD,
 * from chart 1.1.0), or, from chart 1.10.0 with database.external.existingSecret, in an `env`
 * entry that reads that secret's `password` key (templates/core/core-cm.yaml, core-secret.yaml,
 * core-dpl.yaml). Secret values are read here and never printed.
 */
async function fromDeployment(kube: Kube): Promise<{ config: CoreDatabaseConfig; fullname: string }> {
  const found = await firstDeployment(
    kube,
    [...new Set([kube.fullname, kube.legacyFullname])].map((fullname) => `${fullname}-core`),
  );
  const fullname = found.name.replace(/-core$/, '');
  const resolve = containerEnvironment(kube, found, 'core');
  const password = await resolve('POSTGRESQL_PASSWORD');
  if (!password)
    throw refuse(
      `the core container of deployment ${fullname}-core gets no POSTGRESQL_PASSWORD (charts before 1.1.0 give it to adminserver, which this does not read)`,
    );
  const value = async (name: string, fallback: string) => (await resolve(name))?.value || fallback;
  return {
    fullname,
    config: {
      host: await value('POSTGRESQL_HOST', COMPOSE_DATABASE_HOST),
      port: Number(await value('POSTGRESQL_PORT', '5432')),
      user: await value('POSTGRESQL_USERNAME', 'postgres'),
      password: password.value,
      database: await value('POSTGRESQL_DATABASE', 'registry'),
      source: password.from,
      external: false,
    },
  };
}

/** SCRAM-SHA-256 verifier as PostgreSQL stores it (RFC 5802/7677; src/common/scram-common.c). */
function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const iterations = 4096;
  // PostgreSQL applies SASLprep (NFKC among other rules) to non-ASCII passwords.
  const prepared = /^[\x20-\x7e]*$/.test(password) ? password : password.normalize('NFKC');
  const salted = pbkdf2Sync(prepared, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** md5 verifier: 'md5' || md5(password || user) (PostgreSQL 9.6, and password_encryption = md5). */
function md5Verifier(password: string, user: string): string {
  return `md5${createHash('md5')
    .update(password + user)
    .digest('hex')}`;
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

type LoginOutcome = { ok: true } | { ok: false; refused: boolean; reason: string };

/** Connects as core would (its user, password and database) to `host`:`port`. */
async function tryLogin(config: CoreDatabaseConfig, host: string, port: number): Promise<LoginOutcome> {
  let db: Database | undefined;
  try {
    db = await connectPostgres({ host, port, user: config.user, password: config.password, database: config.database }, 15_000);
    await db.query(sql`SELECT 1 AS one`);
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, refused: code === '28P01', reason: describeError(error, redact) };
  } finally {
    await db?.close().catch(() => undefined);
  }
}

/**
 * k8s: core's login tried inside the database pod over TCP (psql -h 127.0.0.1), so the image's
 * password rule for network connections applies as it does to core, not the trusted local socket.
 * The password reaches psql as PGPASSWORD on its stdin (kubectl exec passes no environment).
 */
async function tryPodLogin(target: Target, config: CoreDatabaseConfig): Promise<LoginOutcome> {
  if (/[\r\n]/.test(config.password)) throw refuse("core's database password holds a line break, which cannot be passed to psql in the pod");
  const command = target.databaseTool(
    'postgresql',
    'psql',
    ['-h', '127.0.0.1', '-U', config.user, '-d', config.database, '-X', '-A', '-t', '-c', 'SELECT 1'],
    true,
    {
      name: 'PGPASSWORD',
      value: config.password,
    },
  );
  const result = await runProcess(command);
  if (result.exitCode === 0) return { ok: true };
  return { ok: false, refused: /password authentication failed/.test(result.stderr), reason: redact(commandError(command, result)) };
}

const FLAGS = {
  config: path({
    help: "Harbor's configuration that gives core its database password: core's env file (common/config/core/env next to harbor.yml, written by ./prepare) or harbor.yml itself; required on compose and direct. On k8s it is read from the core deployment's environment (its Secret). The password is never printed.",
    example: '/opt/harbor/common/config/core/env',
  }),
  'restart-core': boolean({
    help: 'compose/k8s: restart core after the password is aligned (docker restart, or kubectl rollout restart; it also restarts by itself: restart: always, or the pod backoff).',
  }),
  'core-container': text({ default: COMPOSE_COMPONENT_CONTAINERS.core, ...CONTAINER_NAME, help: 'compose: the core container to restart.' }),
};
type Context = RunContext<typeof FLAGS, 'database' | 'kubernetes'>;

/** Where core's login is tried: the server the target reaches (direct), harbor-db's address on its network (compose), or inside the database pod (k8s). */
async function coreLogin(context: Context, config: CoreDatabaseConfig): Promise<{ where: string; attempt: () => Promise<LoginOutcome> }> {
  if (context.target.kind === 'k8s') return { where: '127.0.0.1:5432 in the database pod', attempt: () => tryPodLogin(context.target, config) };
  const { host, port } = await loginAddress(context, config);
  return { where: `${host}:${port}`, attempt: () => tryLogin(config, host, port) };
}

async function loginAddress(context: Context, config: CoreDatabaseConfig): Promise<{ host: string; port: number }> {
  const { target, values } = context;
  if (target.kind === 'direct' && values['db-url'] !== undefined) {
    const { host, port } = parseDatabaseUrl(values['db-url']);
    return { host, port };
  }
  const container = values['db-container'] ?? COMPOSE_COMPONENT_CONTAINERS.database;
  const inspect = { argv: ['docker', 'inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', container] };
  const result = await runProcess(inspect);
  const address = result.stdout.trim().split(/\s+/)[0];
  if (result.exitCode !== 0 || !address)
    throw refuse(
      `cannot find the address of ${container} to try core's login (${result.exitCode !== 0 ? commandError(inspect, result) : 'no network address'})`,
    );
  return { host: address, port: config.port };
}

async function currentVerifier(db: Database, user: string): Promise<{ exists: boolean; verifier: string | null }> {
  let rows: Awaited<ReturnType<Database['query']>>;
  try {
    rows = await db.query(sql`SELECT rolpassword FROM pg_authid WHERE rolname = ${user}`);
  } catch (error) {
    throw refuse(
      `cannot read pg_authid (${describeError(error, redact)}): the target's database user must be a superuser (compose: psql -U postgres in harbor-db; direct: --db-url with a superuser)`,
    );
  }
  const [row] = rows;
  return { exists: row !== undefined, verifier: row?.rolpassword === null || row?.rolpassword === undefined ? null : String(row.rolpassword) };
}

/** core's database settings: from --config, or on k8s from the core deployment, which must use the chart's own database pod. */
async function coreDatabaseConfig(context: Context): Promise<CoreDatabaseConfig> {
  const { values, kube, target } = context;
  if (values.config !== undefined) {
    const config = readCoreDatabaseConfig(values.config);
    // compose tries and aligns the login in harbor-db: only right when that is the server core uses.
    if (target.kind === 'compose' && (config.external || config.host !== COMPOSE_DATABASE_HOST))
      throw refuse(
        `${config.source} has core connect to ${config.external ? 'the external database ' : ''}${config.host || '(no host)'}, not to harbor-db (host ${COMPOSE_DATABASE_HOST}): for that server run this with --target direct --db-url postgres://<superuser>@<host>:5432/<database>`,
      );
    return config;
  }
  if (!kube) throw refuse("give --config: core's env file (common/config/core/env) or harbor.yml");
  const { config, fullname } = await fromDeployment(kube);
  const internal = `${fullname}-database`;
  if (config.host !== internal && !config.host.startsWith(`${internal}.`))
    throw refuse(
      `core connects to ${config.host}, not the chart's database ${internal}: for an external database run this with --target direct --db-url postgres://<superuser>@<host>:5432/<database> and --config`,
    );
  return checked(config, `deployment ${fullname}-core`);
}

export const alignDbPassword = definePlaybook({
  name: 'align-db-password',
  title: "Align the database user's password with Harbor's configuration",
  summary:
    "Tries core's database login with the user and password from Harbor's configuration (core's env file or harbor.yml; on k8s the core deployment's environment and Secret; never printed). When PostgreSQL refuses it, --apply sets that user's password to the configured one through a superuser connection (sent as a SCRAM or md5 verifier, so it stays out of the server's log), after saving the old verifier as a restore script, then logs in again to verify and restarts core with --restart-core.",
  remediates: ['core-db-password-auth-failed'],
  flags: FLAGS,
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database', 'kubernetes'],
  async plan(context) {
    const { db, harbor, values, target } = context;
    if (harbor.engine !== 'postgresql') throw refuse('Harbor 1.5 and older run MariaDB; this playbook handles PostgreSQL (Harbor 1.6 and later)');
    const config = await coreDatabaseConfig(context);
    const { where, attempt } = await coreLogin(context, config);
    const findings: PlanFinding[] = [];
    const configured = `${config.host}:${config.port}`;
    if (target.kind === 'direct' && config.host !== COMPOSE_DATABASE_HOST && where !== configured)
      findings.push({
        level: 'warn',
        message: `${config.source} has core connect to ${configured}, and this run tries and aligns the login at ${where} (--db-url): make sure that is the same server.`,
      });
    const login = await attempt();
    const restart = target.restart('core');
    const restartAdvice = restart ? `restart core (${commandText(restart)})` : 'restart core where it runs';
    if (login.ok) {
      findings.push({ level: 'info', message: `core's login (user ${config.user}, password from ${config.source}) works at ${where}: nothing to do.` });
      return { findings, steps: [], facts: { user: config.user, address: where } };
    }
    if (!login.refused) throw refuse(`cannot try core's login at ${where}: ${login.reason}`);
    findings.push({
      level: 'problem',
      message: `PostgreSQL at ${where} refuses core's login: user ${config.user}, password from ${config.source} (password authentication failed). See ${PAGE}#fix`,
    });
    const before = await currentVerifier(db, config.user);
    if (!before.exists) throw refuse(`the database has no role ${config.user}: create it (CREATE ROLE ... LOGIN) rather than align a password`);
    const encryption = String((await db.query(sql`SELECT current_setting('password_encryption') AS value`))[0]?.value ?? 'md5');
    const scram = encryption === 'scram-sha-256';
    const role = quoteIdentifier(config.user);
    const alter = (verifier: string | null) =>
      sql`ALTER ROLE ${sql.raw(role)} PASSWORD ${sql.raw(verifier === null ? 'NULL' : literal(verifier, 'postgresql'))}`;
    const steps: Step[] = [
      {
        description: `set the password of role ${config.user} to the one in ${config.source} (one transaction)`,
        preview: [`ALTER ROLE ${role} PASSWORD '<${scram ? 'SCRAM-SHA-256' : 'md5'} verifier of the configured password>';`],
        expected: 1,
        async backup() {
          // Read again right before the change: the verifier the plan saw may have been changed meanwhile.
          const now = await currentVerifier(db, config.user);
          if (!now.exists) throw refuse(`role ${config.user} no longer exists; nothing changed`);
          return writeRestoreScript(
            target,
            context.backupPath('role-password', 'sql'),
            [alter(now.verifier)],
            `the old password verifier of role ${config.user}, as a script that sets it back`,
          );
        },
        async execute() {
          // Confirm before change: the login must still fail right now.
          const still = await attempt();
          if (still.ok) throw refuse(`core's login at ${where} works now (someone aligned the password meanwhile); nothing changed`);
          const verifier = scram ? scramVerifier(config.password) : md5Verifier(config.password, config.user);
          await db.transaction([alter(verifier)]);
          return { changed: 1, detail: `role ${config.user} has the configured password (${scram ? 'SCRAM-SHA-256' : 'md5'})` };
        },
        async verify() {
          const after = await attempt();
          if (!after.ok) throw fail(`core's login at ${where} still fails after the change: ${after.reason}`);
          return `logged in at ${where} as ${config.user} with the password from ${config.source}`;
        },
      },
    ];
    if (values['restart-core'] && restart) {
      steps.push({
        description: 'restart core so it connects with the aligned password',
        preview: [commandText(restart)],
        async execute() {
          const result = await runProcess(restart);
          if (result.exitCode !== 0) throw fail(commandError(restart, result));
          return { changed: 1, detail: 'core restarted' };
        },
      });
    } else {
      findings.push({ level: 'info', message: `After the change, ${restartAdvice}; a crash-looping core also picks it up at its next restart.` });
    }
    return { findings, steps, facts: { user: config.user, address: where, verifier: scram ? 'scram-sha-256' : 'md5' } };
  },
});
