// A real Harbor 1.10 for a test file: core, jobservice and registryctl built from upstream
// source (harbor-source.ts), against a real PostgreSQL 15, Redis and the distribution
// registry, each on a random loopback port with its state in a temp dir, stopped and removed
// after. Configuration follows Harbor's own templates (make/photon/prepare/templates) with
// only addresses, paths and secrets changed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { HarborBuild } from './harbor-source.ts';
import { freeLoopbackPort } from './net.ts';
import { startPostgres, type PostgresServer } from './postgres.ts';
import { startRedis, type RedisServer } from './redis.ts';
import { REGISTRY_BIN } from './registry.ts';
import { answers, defineService, type Service } from './service.ts';

export const HARBOR_ADMIN_PASSWORD = 'Harbor12345';

export interface ApiAnswer {
  status: number;
  text: string;
  json<T = unknown>(): T;
}

export interface RealHarbor {
  build: HarborBuild;
  /** http://127.0.0.1:<core port>: the API, the /v2 proxy and the token service. */
  url: string;
  /** 127.0.0.1:<core port>, for docker:// references. */
  host: string;
  admin: { user: string; password: string };
  postgres: PostgresServer;
  /** postgres://... of Harbor's database `registry`. */
  dbUrl: string;
  /** Runs `use` with a client on Harbor's database, closed afterwards. */
  withDb<T>(use: (client: pg.Client) => Promise<T>): Promise<T>;
  /** One statement on Harbor's database (setup and assertions, beside Harbor): its rows. */
  query(statement: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
  redis: RedisServer;
  /** Harbor's registry (token auth through core); `v2` is its storage's docker/registry/v2. */
  registry: { url: string; storage: string; v2: string };
  core: Service;
  jobservice: Service;
  registryctl: Service;
  registryService: Service;
  /** jobservice's FILE job logger writes one <job id>.log here. */
  jobLogs: string;
  /** The temp dir with every log. */
  dir: string;
  /** Every log file so far: each component's, and jobservice's job logs. */
  logFiles(): string[];
  /** Calls core's API as admin (basic auth). */
  api(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  /** Stops every process and removes the temp dir. */
  stop(): Promise<void>;
}

const secret = (length: number) =>
  randomBytes(length)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(length, 'x')
    .slice(0, length);

// A minimal environment (PATH, HOME) plus the component's own settings, as its container would have.
const processEnv = (values: Record<string, string>) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...values });

// No proxy for anything: the tests stay on loopback.
const NO_PROXY = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };

/** The token signing key in the PKCS#1 form libtrust reads, and the certificate the registry trusts. */
function tokenKeys(dir: string): { key: string; certificate: string } {
  const key = join(dir, 'private_key.pem');
  const certificate = join(dir, 'root.crt');
  execFileSync('openssl', ['genrsa', '-traditional', '-out', key, '2048'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-new', '-x509', '-key', key, '-out', certificate, '-days', '2', '-subj', '/CN=harbor-token-issuer'], { stdio: 'ignore' });
  return { key, certificate };
}

/** Memory-backed where possible: the registry writes every tag as small files. */
const TEMP = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export interface RealHarborOptions {
  /** Run the registry as this user, as Harbor's registry image (USER harbor from 1.10) runs it; its storage starts owned by it. */
  registryUser?: { uid: number; gid: number };
  /** Where the rig's temp dir is made (default /dev/shm where there is one). */
  parent?: string;
}

export async function startRealHarbor(build: HarborBuild, options: RealHarborOptions = {}): Promise<RealHarbor> {
  const dir = mkdtempSync(join(options.parent ?? TEMP, 'hkb-harbor-'));
  const started: { stop(): Promise<void> }[] = [];
  try {
    return await bringUp(build, dir, started, options);
  } catch (error) {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function bringUp(build: HarborBuild, dir: string, started: { stop(): Promise<void> }[], options: RealHarborOptions): Promise<RealHarbor> {
  const [corePort, jobservicePort, registryctlPort, registryPort] = await Promise.all([
    freeLoopbackPort(),
    freeLoopbackPort(),
    freeLoopbackPort(),
    freeLoopbackPort(),
  ]);
  const url = `http://127.0.0.1:${corePort}`;
  const etc = join(dir, 'etc');
  const jobLogs = join(dir, 'jobs');
  const storage = join(dir, 'storage');
  for (const path of [etc, jobLogs, storage]) mkdirSync(path, { recursive: true });
  if (options.registryUser) {
    // The registry's user must reach its config and storage below the temp dir.
    chmodSync(dir, 0o755);
    chownSync(storage, options.registryUser.uid, options.registryUser.gid);
  }
  const secrets = { core: secret(16), jobservice: secret(16), key: secret(16), xsrf: secret(32), registryHttp: secret(16) };
  const keys = tokenKeys(etc);
  writeFileSync(join(etc, 'key'), secrets.key, { mode: 0o600 });

  const [postgresStart, redisStart] = await Promise.allSettled([startPostgres(), startRedis(dir)]);
  for (const result of [postgresStart, redisStart]) if (result.status === 'fulfilled') started.push(result.value);
  if (postgresStart.status === 'rejected') throw postgresStart.reason;
  if (redisStart.status === 'rejected') throw redisStart.reason;
  const [postgres, redis] = [postgresStart.value, redisStart.value];
  // The harbor-db image creates the database; core's migrations create everything in it.
  await postgres.createDatabase('registry');

  const registryConfig = join(etc, 'registry.yml');
  writeFileSync(
    registryConfig,
    `version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  cache:
    layerinfo: redis
  filesystem:
    rootdirectory: ${storage}
  maintenance:
    uploadpurging:
      enabled: false
  delete:
    enabled: true
redis:
  addr: 127.0.0.1:${redis.port}
  db: 1
http:
  addr: 127.0.0.1:${registryPort}
  secret: ${secrets.registryHttp}
auth:
  token:
    issuer: harbor-token-issuer
    realm: ${url}/service/token
    rootcertbundle: ${keys.certificate}
    service: harbor-registry
validation:
  disabled: true
notifications:
  endpoints:
  - name: harbor
    disabled: false
    url: ${url}/service/notifications
    timeout: 3000ms
    threshold: 5
    backoff: 1s
    ignoredmediatypes:
      - application/vnd.docker.image.rootfs.diff.tar.gzip
      - application/vnd.docker.image.rootfs.foreign.diff.tar.gzip
      - application/vnd.oci.image.layer.v1.tar
      - application/vnd.oci.image.layer.v1.tar+gzip
      - application/octet-stream
compatibility:
  schema1:
    enabled: true
`,
  );
  const registryService = defineService({
    name: 'registry',
    command: REGISTRY_BIN,
    args: ['serve', registryConfig],
    log: join(dir, 'registry.log'),
    ready: answers(`http://127.0.0.1:${registryPort}/v2/`, [401]),
    user: options.registryUser,
  });
  await registryService.start();
  started.push(registryService);

  writeFileSync(join(etc, 'registryctl.yml'), `protocol: "http"\nport: ${registryctlPort}\nlog_level: "INFO"\n`);
  const registryctl = defineService({
    name: 'registryctl',
    command: build.bin.registryctl,
    args: ['-c', join(etc, 'registryctl.yml')],
    cwd: dir,
    env: processEnv({ CORE_SECRET: secrets.core, JOBSERVICE_SECRET: secrets.jobservice }),
    log: join(dir, 'registryctl.log'),
    ready: answers(`http://127.0.0.1:${registryctlPort}/api/health`),
  });
  await registryctl.start();
  started.push(registryctl);

  writeFileSync(
    join(etc, 'app.conf'),
    `appname = Harbor\nrunmode = dev\nenablegzip = true\n\n[dev]\nhttpaddr = 127.0.0.1\nhttpport = ${corePort}\nEnableXSRF = true\nXSRFKey = ${secrets.xsrf}\nXSRFExpire = 3600\n`,
  );
  const core = defineService({
    name: 'core',
    command: build.bin.core,
    args: [],
    // beego reads views/ (mail templates, the 404 page) relative to the working directory.
    cwd: join(build.root, 'src/core'),
    env: processEnv({
      ...NO_PROXY,
      CONFIG_PATH: join(etc, 'app.conf'),
      KEY_PATH: join(etc, 'key'),
      TOKEN_PRIVATE_KEY_PATH: keys.key,
      POSTGRES_MIGRATION_SCRIPTS_PATH: build.migrations,
      _REDIS_URL: `127.0.0.1:${redis.port},100,`,
      _REDIS_URL_REG: `redis://127.0.0.1:${redis.port}/1`,
      SYNC_REGISTRY: 'false',
      SYNC_QUOTA: 'true',
      CHART_CACHE_DRIVER: 'redis',
      PORT: String(corePort),
      LOG_LEVEL: 'info',
      EXT_ENDPOINT: url,
      DATABASE_TYPE: 'postgresql',
      POSTGRESQL_HOST: '127.0.0.1',
      POSTGRESQL_PORT: String(postgres.port),
      POSTGRESQL_USERNAME: postgres.user,
      POSTGRESQL_PASSWORD: postgres.password,
      POSTGRESQL_DATABASE: 'registry',
      POSTGRESQL_SSLMODE: 'disable',
      // Core's pool stays well under the rig PostgreSQL's 100 connections: with 100 (harbor.yml's
      // default) 2,000 concurrent pushes exhaust it, and the doctor rightly reports 'too many clients'.
      POSTGRESQL_MAX_IDLE_CONNS: '20',
      POSTGRESQL_MAX_OPEN_CONNS: '50',
      REGISTRY_URL: `http://127.0.0.1:${registryPort}`,
      TOKEN_SERVICE_URL: `${url}/service/token`,
      HARBOR_ADMIN_PASSWORD,
      MAX_JOB_WORKERS: '10',
      CORE_SECRET: secrets.core,
      JOBSERVICE_SECRET: secrets.jobservice,
      ADMIRAL_URL: '',
      WITH_NOTARY: 'false',
      WITH_CLAIR: 'false',
      WITH_CHARTMUSEUM: 'false',
      CORE_URL: url,
      CORE_LOCAL_URL: url,
      JOBSERVICE_URL: `http://127.0.0.1:${jobservicePort}`,
      REGISTRY_STORAGE_PROVIDER_NAME: 'filesystem',
      READ_ONLY: 'false',
      RELOAD_KEY: '',
      // Not built here; a closed port, so health reports them as they are.
      CHART_REPOSITORY_URL: 'http://127.0.0.1:9/chartmuseum',
      PORTAL_URL: 'http://127.0.0.1:9/portal',
      REGISTRY_CONTROLLER_URL: `http://127.0.0.1:${registryctlPort}`,
      REGISTRYCTL_URL: `http://127.0.0.1:${registryctlPort}`,
    }),
    log: join(dir, 'core.log'),
    ready: answers(`${url}/api/ping`),
    readyTimeoutMs: 120_000,
  });
  await core.start();
  started.push(core);

  writeFileSync(
    join(etc, 'jobservice.yml'),
    `protocol: "http"
port: ${jobservicePort}
worker_pool:
  workers: 10
  backend: "redis"
  redis_pool:
    redis_url: redis://127.0.0.1:${redis.port}/2
    namespace: "harbor_job_service_namespace"
    idle_timeout_second: 3600
job_loggers:
  - name: "STD_OUTPUT"
    level: "INFO"
  - name: "FILE"
    level: "INFO"
    settings:
      base_dir: "${jobLogs}"
    sweeper:
      duration: 1
      settings:
        work_dir: "${jobLogs}"
loggers:
  - name: "STD_OUTPUT"
    level: "INFO"
`,
  );
  // jobservice reads its configuration from core at start, so it starts once core answers.
  const jobservice = defineService({
    name: 'jobservice',
    command: build.bin.jobservice,
    args: ['-c', join(etc, 'jobservice.yml')],
    cwd: dir,
    env: processEnv({
      ...NO_PROXY,
      CORE_SECRET: secrets.core,
      JOBSERVICE_SECRET: secrets.jobservice,
      CORE_URL: url,
      CORE_LOCAL_URL: url,
      REGISTRY_CONTROLLER_URL: `http://127.0.0.1:${registryctlPort}`,
      JOBSERVICE_WEBHOOK_JOB_MAX_RETRY: '10',
    }),
    log: join(dir, 'jobservice.log'),
    ready: answers(`http://127.0.0.1:${jobservicePort}/api/v1/stats`, [200], { headers: { Authorization: `Harbor-Secret ${secrets.jobservice}` } }),
  });
  await jobservice.start();
  started.push(jobservice);

  const authorization = 'Basic ' + Buffer.from(`admin:${HARBOR_ADMIN_PASSWORD}`).toString('base64');
  const harbor: RealHarbor = {
    build,
    url,
    host: `127.0.0.1:${corePort}`,
    admin: { user: 'admin', password: HARBOR_ADMIN_PASSWORD },
    postgres,
    dbUrl: postgres.url('registry'),
    async withDb(use) {
      const client = await postgres.client('registry');
      try {
        return await use(client);
      } finally {
        await client.end();
      }
    },
    query: (statement, parameters) => harbor.withDb(async (client) => (await client.query(statement, parameters)).rows),
    redis,
    registry: { url: `http://127.0.0.1:${registryPort}`, storage, v2: join(storage, 'docker/registry/v2') },
    core,
    jobservice,
    registryctl,
    registryService,
    jobLogs,
    dir,
    logFiles: () =>
      [core.log, jobservice.log, registryctl.log, registryService.log, ...readdirSync(jobLogs).map((name) => join(jobLogs, name))].filter((path) =>
        existsSync(path),
      ),
    async api(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, text, json: <T>() => JSON.parse(text) as T };
    },
    async stop() {
      // Clients first (they would log errors about the others going away), then the rest.
      await Promise.all([jobservice.stop(), core.stop()]);
      await Promise.all([registryctl.stop(), registryService.stop(), redis.stop()]);
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harbor;
}
