// align-db-password against a real PostgreSQL 15 (scram over TCP, as harbor-db's "host all all
// all" rule asks for a password) holding a Harbor 1.10.19 schema from Harbor's migrations. Core's
// database user is a role whose password no longer matches the configuration; the playbook
// finds that by trying the login, aligns it, and its restore script sets the old verifier back.
// The real core failing and recovering is test/real-harbor/align-db-password.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import type { Era } from '../test/support/harbor-schema.ts';
import { PATH_WITH_POSTGRES as PATH, useTestServers } from '../test/support/servers.ts';
import { createDatabaseShim, type Shim, type ShimAnswer } from '../test/support/shim.ts';
import { runOnTerminal } from '../test/support/terminal.ts';

const servers = useTestServers();
const CONFIGURED = 'Configured-In-Harbor-2';
const OLD = 'Set-At-First-Start-1';
let roles = 0;

interface Setup {
  db: HarborDb;
  role: string;
  database: string;
  config: string;
}

/** A role with the OLD password and a configuration giving core CONFIGURED; `host` is where that configuration says the database is. */
async function setup(format: 'env' | 'yml' = 'env', era: Era = '1.10.19', host = '127.0.0.1'): Promise<Setup> {
  const db = await createHarborDb(era, servers);
  const role = `harbor_core_${process.pid}_${++roles}`;
  await db.exec(`CREATE ROLE ${role} LOGIN PASSWORD '${OLD}'`);
  const database = new URL(db.url).pathname.slice(1);
  const config = join(servers.dir, `${role}.${format}`);
  const { port } = servers.postgres;
  writeFileSync(
    config,
    format === 'env'
      ? `CONFIG_PATH=/etc/core/app.conf\nPOSTGRESQL_HOST=${host}\nPOSTGRESQL_PORT=${port}\nPOSTGRESQL_USERNAME=${role}\nPOSTGRESQL_PASSWORD=${CONFIGURED}\nPOSTGRESQL_DATABASE=${database}\n`
      : `hostname: harbor.example.com\nexternal_database:\n  harbor:\n    host: ${host}\n    port: ${port}\n    db_name: ${database}\n    username: ${role}\n    password: ${CONFIGURED}\n`,
  );
  return { db, role, database, config };
}

async function canLogin(setup: Setup, password: string): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port: servers.postgres.port, user: setup.role, password, database: setup.database });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const verifierOf = async (setup: Setup) => (await setup.db.exec(`SELECT rolpassword FROM pg_authid WHERE rolname = '${setup.role}'`))[0]?.rolpassword;

const align = (setup: Setup, ...args: string[]) =>
  runCli(['run', 'align-db-password', '--db-url', setup.db.url, '--config', setup.config, '--backup-dir', servers.dir, '--json', ...args], { env: { PATH } });

async function cleanup(setup: Setup): Promise<void> {
  await setup.db.exec(`DROP ROLE IF EXISTS ${setup.role}`).catch(() => undefined);
  await setup.db.close();
}

describe.each(['1.8.6', '1.10.19', '2.15.2'] as Era[])('Harbor %s: a role whose password no longer matches the configuration', (era) => {
  it('dry-run finds the mismatch and changes nothing; --apply aligns it and logs in; a rerun has nothing to do; the restore script sets the old verifier back', async () => {
    const current = await setup('env', era);
    try {
      const before = await verifierOf(current);
      expect(await canLogin(current, CONFIGURED)).toBe(false);
      const dry = await align(current);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout + dry.stderr).not.toContain(CONFIGURED);
      const planned = JSON.parse(dry.stdout);
      expect(planned.findings.find((finding: { level: string }) => finding.level === 'problem').message).toMatch(
        /refuses core's login: user harbor_core_\d+_\d+, password from .* \(POSTGRESQL_PASSWORD\) .*core-db-password-auth-failed\/#fix/,
      );
      expect(planned.changes[0].preview[0]).toMatch(/^ALTER ROLE "harbor_core_\d+_\d+" PASSWORD '<SCRAM-SHA-256 verifier of the configured password>';$/);
      expect(await verifierOf(current)).toBe(before);

      const applied = await align(current, '--apply', '--yes');
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout + applied.stderr).not.toContain(CONFIGURED);
      const result = JSON.parse(applied.stdout);
      expect(result.changes[0].verified).toMatch(/logged in at 127\.0\.0\.1:\d+ as harbor_core/);
      expect(await canLogin(current, CONFIGURED)).toBe(true);
      expect(String(await verifierOf(current))).toMatch(/^SCRAM-SHA-256\$4096:/);

      const rerun = await align(current, '--apply', '--yes');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).findings[0].message).toMatch(/works at 127\.0\.0\.1:\d+: nothing to do/);

      const [restore] = result.changes[0].restore as string[];
      const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH, PGPASSWORD: servers.postgres.password }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await verifierOf(current)).toBe(before);
      expect(await canLogin(current, OLD)).toBe(true);
      expect(await canLogin(current, CONFIGURED)).toBe(false);
    } finally {
      await cleanup(current);
    }
  });
});

/** The compose shim: docker exec runs psql against the test server, docker inspect gives harbor-db's address as 127.0.0.1. */
function composeShim(setup: Setup): Shim {
  const address = join(servers.dir, `${setup.role}.address`);
  writeFileSync(address, '127.0.0.1 \n');
  return createDatabaseShim(
    { engine: 'postgresql', host: '127.0.0.1', port: servers.postgres.port, password: servers.postgres.password },
    { answers: [{ prefix: ['docker', 'inspect', '-f'], last: 'harbor-db', file: address }] },
  );
}

const alignOnCompose = (setup: Setup, shim: Shim, ...args: string[]) =>
  runCli(['run', 'align-db-password', '--target', 'compose', '--db-name', setup.database, '--config', setup.config, '--apply', '--yes', '--json', ...args], {
    env: { PATH: shim.path },
  });

describe('compose', () => {
  it('reads core’s env file (host postgresql, which is harbor-db), tries the login at harbor-db’s address, aligns through psql in the container and restarts core', async () => {
    const current = await setup('env', '1.10.19', 'postgresql');
    const shim = composeShim(current);
    try {
      const result = await alignOnCompose(current, shim, '--restart-core', '--backup-dir', servers.dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(CONFIGURED);
      expect(JSON.parse(result.stdout).findings[0].message).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+ refuses core's login: .*\(POSTGRESQL_PASSWORD\)/);
      expect(await canLogin(current, CONFIGURED)).toBe(true);
      const calls = shim.calls().map((call) => call.join(' '));
      expect(calls).toContain('docker restart harbor-core');
      expect(calls.indexOf('docker restart harbor-core')).toBe(calls.length - 1);
    } finally {
      shim.cleanup();
      await cleanup(current);
    }
  });
  it('an ALTER ROLE the server refuses, with the statement echoed back to psql: the md5 verifier is in no output, --json or audit line', async () => {
    const current = await setup('env', '1.10.19', 'postgresql');
    const backupDir = mkdtempSync(join(servers.dir, 'echoed-'));
    const shim = composeShim(current);
    try {
      // md5, so the verifier the playbook sends is known here (and enough to log in with); a
      // read-only database refuses the ALTER; log_statement with client_min_messages = log hands
      // the statement, verifier included, to psql, which prints it before the error.
      const db = `"${current.database}"`;
      await current.db.exec(`ALTER DATABASE ${db} SET password_encryption = 'md5'`);
      await current.db.exec(`ALTER DATABASE ${db} SET default_transaction_read_only = on`);
      await current.db.exec(`ALTER DATABASE ${db} SET log_statement = 'ddl'`);
      await current.db.exec(`ALTER DATABASE ${db} SET client_min_messages = 'log'`);
      const before = String(await verifierOf(current));
      const sent = `md5${createHash('md5')
        .update(CONFIGURED + current.role)
        .digest('hex')}`;
      const result = await alignOnCompose(current, shim, '--backup-dir', backupDir);
      expect(result.code, result.stderr).toBe(1);
      const json = JSON.parse(result.stdout);
      // The statement did reach the error, masked: without the redaction it would carry the verifier.
      expect(json.error).toMatch(/read-only transaction/);
      expect(json.error).toContain(`PASSWORD '***'`);
      const audit = readFileSync(join(backupDir, 'audit.jsonl'), 'utf8');
      expect(audit).toContain('read-only transaction');
      for (const text of [result.stdout, result.stderr, audit]) {
        expect(text).not.toContain(sent);
        expect(text).not.toContain(before);
        expect(text).not.toMatch(/md5[0-9a-f]{32}|SCRAM-SHA-256\$4096:/);
        expect(text).not.toContain(CONFIGURED);
      }
      expect(await verifierOf(current)).toBe(before);
    } finally {
      shim.cleanup();
      await cleanup(current);
    }
  });

  it.each([
    [
      'harbor.yml naming an external database',
      'yml',
      'db.external.example.com',
      /\(external_database\.harbor\.password\) has core connect to the external database db\.external\.example\.com, not to harbor-db/,
    ],
    [
      'harbor.yml naming an external database at host postgresql',
      'yml',
      'postgresql',
      /has core connect to the external database postgresql, not to harbor-db/,
    ],
    [
      'core’s env file naming another host',
      'env',
      'db.external.example.com',
      /\(POSTGRESQL_PASSWORD\) has core connect to db\.external\.example\.com, not to harbor-db/,
    ],
  ] as const)(
    'refuses %s (exit 2): a harbor-db container still running is not the server core uses, and keeps its password',
    async (_what, format, host, message) => {
      const current = await setup(format, '1.10.19', host);
      const shim = composeShim(current);
      try {
        const before = await verifierOf(current);
        const result = await alignOnCompose(current, shim, '--backup-dir', servers.dir);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toMatch(/run this with --target direct --db-url/);
        expect(await verifierOf(current)).toBe(before);
        expect(await canLogin(current, OLD)).toBe(true);
      } finally {
        shim.cleanup();
        await cleanup(current);
      }
    },
  );
});

describe('direct, with harbor.yml', () => {
  it('reads external_database.harbor, aligns the role at --db-url and logs in', async () => {
    const current = await setup('yml');
    try {
      const result = await align(current, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout);
      expect(json.findings.map((finding: { level: string }) => finding.level)).toEqual(['problem', 'info']);
      expect(json.findings[0].message).toMatch(/\(external_database\.harbor\.password\)/);
      expect(await canLogin(current, CONFIGURED)).toBe(true);
    } finally {
      await cleanup(current);
    }
  });

  it('warns when the configuration names another server than --db-url (dry-run, nothing changed)', async () => {
    const current = await setup('yml', '1.10.19', 'db.external.example.com');
    try {
      const before = await verifierOf(current);
      const result = await align(current);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).findings[0]).toMatchObject({
        level: 'warn',
        message: expect.stringMatching(
          /has core connect to db\.external\.example\.com:\d+, and this run tries and aligns the login at 127\.0\.0\.1:\d+ \(--db-url\): make sure/,
        ),
      });
      expect(await verifierOf(current)).toBe(before);
    } finally {
      await cleanup(current);
    }
  });
});

/** The chart's core objects (harbor-helm templates/core/core-dpl.yaml, core-cm.yaml, core-secret.yaml) for release prod in namespace registry. */
function chartCore(setup: Setup, { host = 'prod-harbor-database', passwordFromEnv = false } = {}): ShimAnswer[] {
  const file = (name: string, object: unknown) => {
    const path = join(servers.dir, `${setup.role}-${name}.json`);
    writeFileSync(path, JSON.stringify(object));
    return path;
  };
  const deployment = {
    kind: 'Deployment',
    metadata: { name: 'prod-harbor-core' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'core',
              envFrom: [{ configMapRef: { name: 'prod-harbor-core' } }, { secretRef: { name: 'prod-harbor-core' } }],
              env: [
                { name: 'CORE_SECRET', valueFrom: { secretKeyRef: { name: 'prod-harbor-core', key: 'secret' } } },
                // As the chart adds it for database.external.existingSecret (core-dpl.yaml, chart 1.10.0+): it wins over envFrom.
                ...(passwordFromEnv ? [{ name: 'POSTGRESQL_PASSWORD', valueFrom: { secretKeyRef: { name: 'prod-db-password', key: 'password' } } }] : []),
              ],
            },
          ],
        },
      },
    },
  };
  const configMap = {
    kind: 'ConfigMap',
    metadata: { name: 'prod-harbor-core' },
    data: { POSTGRESQL_HOST: host, POSTGRESQL_PORT: '5432', POSTGRESQL_USERNAME: setup.role, POSTGRESQL_DATABASE: setup.database },
  };
  const secret = {
    kind: 'Secret',
    metadata: { name: 'prod-harbor-core' },
    data: {
      secret: Buffer.from('core-secret-value').toString('base64'),
      POSTGRESQL_PASSWORD: Buffer.from(passwordFromEnv ? 'Not-What-Core-Gets-0' : CONFIGURED).toString('base64'),
    },
  };
  const passwordSecret = { kind: 'Secret', metadata: { name: 'prod-db-password' }, data: { password: Buffer.from(CONFIGURED).toString('base64') } };
  const get = (what: string, object: unknown): ShimAnswer => ({
    prefix: ['kubectl', '-n', 'registry', 'get', what],
    file: file(what.replace('/', '-'), object),
  });
  return [
    get('deployment/prod-harbor-core', deployment),
    get('configmap/prod-harbor-core', configMap),
    get('secret/prod-harbor-core', secret),
    get('secret/prod-db-password', passwordSecret),
  ];
}

describe('k8s (harbor-helm, through the kubectl shim)', () => {
  const k8sArgs = (setup: Setup, ...more: string[]) => [
    'run',
    'align-db-password',
    '--namespace',
    'registry',
    '--release',
    'prod',
    '--db-name',
    setup.database,
    '--backup-dir',
    servers.dir,
    '--json',
    ...more,
  ];
  const shimFor = (answers: ShimAnswer[]) =>
    createDatabaseShim(
      { engine: 'postgresql', host: '127.0.0.1', port: servers.postgres.port, password: servers.postgres.password },
      { namespace: 'registry', pod: 'prod-harbor-database-0', answers },
    );

  it('reads the password from the core Secret, tries the login over TCP in the database pod, aligns it through psql there, restarts core; the restore runs through kubectl too', async () => {
    const current = await setup();
    const shim = shimFor(chartCore(current));
    try {
      const before = await verifierOf(current);
      const dry = await runCli(k8sArgs(current), { env: { PATH: shim.path } });
      expect(dry.code, dry.stderr).toBe(0);
      const planned = JSON.parse(dry.stdout);
      expect(planned.findings[0].message).toMatch(
        /^PostgreSQL at 127\.0\.0\.1:5432 in the database pod refuses core's login: user harbor_core_\d+_\d+, password from secret prod-harbor-core \(key POSTGRESQL_PASSWORD\)/,
      );
      expect(await verifierOf(current)).toBe(before);

      const applied = await runCli(k8sArgs(current, '--restart-core', '--apply', '--yes'), { env: { PATH: shim.path } });
      expect(applied.code, applied.stderr).toBe(0);
      expect(await canLogin(current, CONFIGURED)).toBe(true);
      const result = JSON.parse(applied.stdout);
      expect(result.changes[0].verified).toMatch(/logged in at 127\.0\.0\.1:5432 in the database pod as harbor_core/);
      const calls = shim.calls().map((call) => call.join(' '));
      // The login went over TCP in the pod, the password on stdin: never in an argv.
      expect(calls).toContainEqual(
        `kubectl -n registry exec -i prod-harbor-database-0 -c database -- sh -c IFS= read -r PGPASSWORD && export PGPASSWORD && exec "$@" sh psql -h 127.0.0.1 -U ${current.role} -d ${current.database} -X -A -t -c SELECT 1`,
      );
      expect(calls.at(-1)).toBe('kubectl -n registry rollout restart deployment/prod-harbor-core');
      for (const output of [applied.stdout, applied.stderr, dry.stdout, dry.stderr, ...calls]) expect(output).not.toContain(CONFIGURED);

      const rerun = await runCli(k8sArgs(current, '--apply', '--yes'), { env: { PATH: shim.path } });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).findings[0].message).toMatch(/works at 127\.0\.0\.1:5432 in the database pod: nothing to do/);

      const [restore] = result.changes[0].restore as string[];
      expect(restore).toMatch(
        /^kubectl -n registry exec -i prod-harbor-database-0 -c database -- psql -U postgres -d \S+ -X -v ON_ERROR_STOP=1 < \S+role-password\.sql$/,
      );
      const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH: shim.path }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await verifierOf(current)).toBe(before);
      expect(await canLogin(current, OLD)).toBe(true);
    } finally {
      shim.cleanup();
      await cleanup(current);
    }
  });

  it("an env entry naming another Secret's key wins over the core Secret, as Kubernetes resolves it", async () => {
    const current = await setup();
    const shim = shimFor(chartCore(current, { passwordFromEnv: true }));
    try {
      const result = await runCli(k8sArgs(current, '--apply', '--yes'), { env: { PATH: shim.path } });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).findings[0].message).toMatch(/password from secret prod-db-password \(key password\)/);
      expect(await canLogin(current, CONFIGURED)).toBe(true);
    } finally {
      shim.cleanup();
      await cleanup(current);
    }
  });

  it("refuses (exit 2, nothing changed) when core uses an external database rather than the chart's pod", async () => {
    const current = await setup();
    const shim = shimFor(chartCore(current, { host: 'pg.example.com' }));
    try {
      const before = await verifierOf(current);
      const result = await runCli(k8sArgs(current, '--apply', '--yes'), { env: { PATH: shim.path } });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/core connects to pg\.example\.com, not the chart's database prod-harbor-database/);
      expect(await verifierOf(current)).toBe(before);
    } finally {
      shim.cleanup();
      await cleanup(current);
    }
  });
});

/** --apply on a terminal; `meanwhile` (SQL) runs while the confirmation question is on screen. */
function applyOnTerminal(current: Setup, meanwhile: string) {
  const argv = [
    process.execPath,
    CLI,
    'run',
    'align-db-password',
    '--db-url',
    current.db.url,
    '--config',
    current.config,
    '--backup-dir',
    servers.dir,
    '--apply',
  ];
  const run = () => spawnSync('psql', [current.db.url, '-X', '-q', '-c', meanwhile], { env: { ...process.env, PATH } });
  return runOnTerminal(argv, [{ when: 'Type "yes"', type: 'yes', before: () => void run() }], { PATH });
}

describe('while the operator confirms', () => {
  it('someone sets another password: the restore script brings back that one, not the one the plan saw', async () => {
    const current = await setup();
    const MEANWHILE = 'Set-Meanwhile-By-Someone-5';
    try {
      const result = await applyOnTerminal(current, `ALTER ROLE ${current.role} PASSWORD '${MEANWHILE}'`);
      expect(result.code, result.screen).toBe(0);
      expect(await canLogin(current, CONFIGURED)).toBe(true);
      const script = /backup: (\S+role-password\.sql)/.exec(result.screen)?.[1] ?? '';
      const restored = spawnSync('psql', [current.db.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', script], {
        env: { ...process.env, PATH },
        encoding: 'utf8',
      });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await canLogin(current, MEANWHILE)).toBe(true);
    } finally {
      await cleanup(current);
    }
  });

  it('someone aligns the password: the re-check right before the change finds the login working and refuses (exit 2), the role untouched', async () => {
    const current = await setup();
    try {
      const result = await applyOnTerminal(current, `ALTER ROLE ${current.role} PASSWORD '${CONFIGURED}'`);
      const aligned = await verifierOf(current);
      expect(result.code, result.screen).toBe(2);
      expect(result.screen).toMatch(/core's login at 127\.0\.0\.1:\d+ works now .*nothing changed/);
      expect(await verifierOf(current)).toBe(aligned);
      expect(String(aligned)).not.toBe('');
    } finally {
      await cleanup(current);
    }
  });
});

describe('a change the login does not confirm', () => {
  it('password_encryption md5 under a scram-sha-256 pg_hba rule: the verify fails, exit 3 with the restore command, which works', async () => {
    const current = await setup();
    try {
      await current.db.exec(`ALTER DATABASE "${current.database}" SET password_encryption = 'md5'`);
      const before = await verifierOf(current);
      const result = await align(current, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/core's login at 127\.0\.0\.1:\d+ still fails after the change/);
      expect(result.stdout + result.stderr).not.toContain(CONFIGURED);
      expect(String(await verifierOf(current))).toMatch(/^md5[0-9a-f]{32}$/);
      const [restore] = JSON.parse(result.stdout).restore as string[];
      const restored = spawnSync('sh', ['-c', String(restore)], { env: { ...process.env, PATH, PGPASSWORD: servers.postgres.password }, encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
      expect(await verifierOf(current)).toBe(before);
      expect(await canLogin(current, OLD)).toBe(true);
    } finally {
      await cleanup(current);
    }
  });
});

/** Another configuration file beside the setup's: its path. */
function written(setup: Setup, suffix: string, content: string): string {
  const file = `${setup.config}.${suffix}`;
  writeFileSync(file, content);
  return file;
}

describe('healthy setups and refusals', () => {
  it('says nothing to do and changes nothing when core’s login works', async () => {
    const current = await setup();
    try {
      await current.db.exec(`ALTER ROLE ${current.role} PASSWORD '${CONFIGURED}'`);
      const before = await verifierOf(current);
      const result = await align(current, '--apply', '--yes');
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout);
      expect(json.findings.map((finding: { level: string }) => finding.level)).toEqual(['info']);
      expect(json.changes).toEqual([]);
      expect(await verifierOf(current)).toBe(before);
    } finally {
      await cleanup(current);
    }
  });

  it.each([
    ['a config file that does not exist', (s: Setup) => `${s.config}.missing`, /cannot be read/],
    ['a config without a database password', (s: Setup) => written(s, 'empty', 'hostname: x\n'), /holds no database password/],
    [
      'a role that does not exist',
      (s: Setup) => written(s, 'norole', `POSTGRESQL_HOST=127.0.0.1\nPOSTGRESQL_USERNAME=no_such_role\nPOSTGRESQL_PASSWORD=${CONFIGURED}\n`),
      /has no role no_such_role/,
    ],
  ])('refuses %s with exit 2 and changes nothing', async (_what, configFor, message) => {
    const current = await setup();
    try {
      const before = await verifierOf(current);
      const result = await runCli(
        ['run', 'align-db-password', '--db-url', current.db.url, '--config', configFor(current), '--backup-dir', servers.dir, '--apply', '--yes'],
        {
          env: { PATH },
        },
      );
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout + result.stderr).not.toContain(CONFIGURED);
      expect(await verifierOf(current)).toBe(before);
    } finally {
      await cleanup(current);
    }
  });

  it.each([
    ['empty (YAML null)', '', /external_database\.harbor\.password\): the database password is empty/],
    ['~ (YAML null)', ' ~', /the database password is empty/],
    ['an unquoted yes (a boolean to prepare)', ' yes', /the database password is not a string \(YAML reads it as boolean\); quote it/],
    ['an unquoted 0123 (octal to prepare)', ' 0123', /the database password is not a string \(YAML reads it as number\)/],
  ])('harbor.yml whose password is %s: refused (exit 2), the role keeps its password', async (_what, value, message) => {
    const current = await setup();
    try {
      const yml = written(
        current,
        'null.yml',
        `external_database:\n  harbor:\n    host: 127.0.0.1\n    port: ${servers.postgres.port}\n    db_name: ${current.database}\n    username: ${current.role}\n    password:${value}\n`,
      );
      const before = await verifierOf(current);
      const result = await runCli(['run', 'align-db-password', '--db-url', current.db.url, '--config', yml, '--backup-dir', servers.dir, '--apply', '--yes'], {
        env: { PATH },
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(await verifierOf(current)).toBe(before);
      expect(await canLogin(current, OLD)).toBe(true);
      for (const text of ['null', 'true', '83', '0123']) expect(await canLogin(current, text)).toBe(false);
    } finally {
      await cleanup(current);
    }
  });

  it('refuses without --config off k8s (exit 2, nothing changed): only the chart keeps the password where the playbook can read it', async () => {
    const current = await setup();
    try {
      const before = await verifierOf(current);
      const result = await runCli(['run', 'align-db-password', '--db-url', current.db.url, '--backup-dir', servers.dir, '--apply', '--yes'], { env: { PATH } });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/give --config/);
      expect(await verifierOf(current)).toBe(before);
    } finally {
      await cleanup(current);
    }
  });

  it('refuses without a superuser connection (pg_authid is needed for the backup)', async () => {
    const current = await setup();
    try {
      await current.db.exec(`CREATE ROLE ${current.role}_op LOGIN PASSWORD 'Operator-Pass-3'`);
      const url = new URL(current.db.url);
      url.username = `${current.role}_op`;
      url.password = '';
      const result = await runCli(
        ['run', 'align-db-password', '--db-url', url.toString(), '--config', current.config, '--backup-dir', servers.dir, '--apply', '--yes'],
        {
          env: { PATH, PGPASSWORD: 'Operator-Pass-3' },
        },
      );
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/cannot read pg_authid .* must be a superuser/);
      expect(await canLogin(current, OLD)).toBe(true);
    } finally {
      await current.db.exec(`DROP ROLE IF EXISTS ${current.role}_op`).catch(() => undefined);
      await cleanup(current);
    }
  });
});
