// admiral-url through the command shim (test/support/shim.ts): kubectl and docker are
// stand-ins first on PATH that record the exact command line; the configmap is a JSON file
// that `kubectl patch --type merge` merges into, as the API server would.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../test/support/cli.ts';
import { createShim, type Shim, type ShimAnswer } from '../test/support/shim.ts';
import { runOnTerminal } from '../test/support/terminal.ts';

let dir: string;
let shim: Shim;
const configMapFile = () => join(dir, 'configmap.json');
// The core configmap of harbor-helm chart 1.1.x (Harbor 1.8): no ADMIRAL_URL.
const CHART_1_1_CORE = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'hk-harbor-core', namespace: 'harbor' },
  data: { CONFIG_PATH: '/etc/core/app.conf', EXT_ENDPOINT: 'https://harbor.example.com', LOG_LEVEL: 'info' },
};
/** The core deployment of a chart release, as kubectl returns it: container core runs `image`. */
const coreDeployment = (name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'harbor' },
  spec: { template: { spec: { containers: [{ name: 'core', image }] } } },
});
// Harbor 1.8-1.10 core env (make/photon/prepare/templates/core/env.jinja) plus variables operators add.
const COMPOSE_ENV = [
  'CONFIG_PATH=/etc/core/app.conf',
  'POSTGRESQL_PASSWORD=db-secret-123',
  'CORE_SECRET=core-secret-456',
  'ADMIRAL_URL=',
  'LOG_LEVEL=info',
  '_REDIS_URL=redis:6379,100,redis-secret-789',
  '_REDIS_URL_REG=redis://:reg-secret-012@redis:6379/1',
  'EMAIL_PWD=mail-secret-345',
  'LDAP_SEARCH_PWD=ldap-secret-678',
  'GITHUB_TOKEN=ghp_token901',
  'REGISTRY_CREDENTIAL_PASSWORD=cred-secret-234',
  'TOKEN_SERVICE_URL=http://core:8080/service/token',
  'NOTE=\u001b[2Jcleared',
];
const SECRETS = [
  'db-secret-123',
  'core-secret-456',
  'redis-secret-789',
  'reg-secret-012',
  'mail-secret-345',
  'ldap-secret-678',
  'ghp_token901',
  'cred-secret-234',
];

const run = (args: string[]) => runCli(['run', 'admiral-url', ...args, '--backup-dir', mkdtempSync(join(dir, 'backup-'))], { env: { PATH: shim.path } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-admiral-'));
  writeFileSync(configMapFile(), JSON.stringify(CHART_1_1_CORE));
  writeFileSync(join(dir, 'release-harbor.json'), JSON.stringify({ ...CHART_1_1_CORE, metadata: { name: 'harbor-harbor-core', namespace: 'harbor' } }));
  writeFileSync(join(dir, 'env.json'), JSON.stringify(COMPOSE_ENV));
  // Chart 1.1.0 deploys Harbor 1.8.0 (harbor-helm values.yaml at v1.1.0: core.image.tag v1.8.0).
  writeFileSync(join(dir, 'deployment.json'), JSON.stringify(coreDeployment('hk-harbor-core', 'goharbor/harbor-core:v1.8.0')));
  shim = createShim({
    otherwise: 'fail',
    answers: [
      { prefix: ['kubectl', '-n', 'harbor', 'get', 'deployment/hk-harbor-core', '-o', 'json'], file: join(dir, 'deployment.json') },
      { prefix: ['kubectl', '-n', 'harbor', 'get', 'deployment/harbor-harbor-core', '-o', 'json'], file: join(dir, 'deployment.json') },
      { prefix: ['kubectl', '-n', 'harbor', 'get', 'configmap/hk-harbor-core', '-o', 'json'], file: configMapFile() },
      { prefix: ['kubectl', '-n', 'harbor', 'get', 'configmap/harbor-harbor-core', '-o', 'json'], file: join(dir, 'release-harbor.json') },
      { prefix: ['kubectl', '-n', 'garbage', 'get'], file: '/etc/passwd' },
      { prefix: ['kubectl', '-n', 'harbor', 'patch', 'configmap', 'hk-harbor-core', '--type', 'merge', '-p'], file: configMapFile(), mergePatch: true },
      { prefix: ['kubectl', '-n', 'harbor', 'rollout'] },
      { prefix: ['docker', 'inspect', '--format', '{{json .Config.Env}}', 'harbor-core'], file: join(dir, 'env.json') },
    ],
  });
});

/** Release hk (Harbor 1.8.0) with a configmap of its own in a new directory, and a shim that answers `rollout` as given. */
function ownRelease(prefix: string, rollout: ShimAnswer): { own: string; file: string; shim: Shim } {
  const own = mkdtempSync(join(dir, prefix));
  const file = join(own, 'configmap.json');
  writeFileSync(file, JSON.stringify(CHART_1_1_CORE));
  const answers: ShimAnswer[] = [
    { prefix: ['kubectl', '-n', 'harbor', 'get', 'deployment/hk-harbor-core', '-o', 'json'], file: join(dir, 'deployment.json') },
    { prefix: ['kubectl', '-n', 'harbor', 'get', 'configmap/hk-harbor-core', '-o', 'json'], file },
    { prefix: ['kubectl', '-n', 'harbor', 'patch', 'configmap', 'hk-harbor-core', '--type', 'merge', '-p'], file, mergePatch: true },
    rollout,
  ];
  return { own, file, shim: createShim({ otherwise: 'fail', answers }) };
}

afterAll(() => {
  shim?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('admiral-url', () => {
  it('k8s dry-run reports the missing key and changes nothing', async () => {
    const result = await run(['--namespace', 'harbor', '--release', 'hk']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('configmap hk-harbor-core has no ADMIRAL_URL');
    expect(result.stdout).toContain('kubectl -n harbor patch configmap hk-harbor-core --type merge -p \'{"data":{"ADMIRAL_URL":"NA"}}\'');
    expect(result.stdout).toContain('The message is harmless');
    expect(JSON.parse(readFileSync(configMapFile(), 'utf8'))).toEqual(CHART_1_1_CORE);
    expect(shim.calls().every((call) => call[3] === 'get')).toBe(true);
  });

  it('k8s --apply backs up the configmap, patches ADMIRAL_URL=NA, restarts core, and a rerun finds nothing to do', async () => {
    const before = shim.calls().length;
    const result = await run(['--namespace', 'harbor', '--release', 'hk', '--apply', '--yes', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { backupPaths: string[]; changes: { verified?: string }[] };
    expect(JSON.parse(readFileSync(parsed.backupPaths[0]!, 'utf8'))).toEqual(CHART_1_1_CORE);
    expect(JSON.parse(readFileSync(configMapFile(), 'utf8')).data).toEqual({ ...CHART_1_1_CORE.data, ADMIRAL_URL: 'NA' });
    expect(
      shim
        .calls()
        .slice(before)
        .map((call) => call.join(' ')),
    ).toEqual([
      'kubectl -n harbor get deployment/hk-harbor-core -o json',
      'kubectl -n harbor get configmap/hk-harbor-core -o json',
      // read again right before the patch
      'kubectl -n harbor get configmap/hk-harbor-core -o json',
      'kubectl -n harbor patch configmap hk-harbor-core --type merge -p {"data":{"ADMIRAL_URL":"NA"}}',
      'kubectl -n harbor get configmap/hk-harbor-core -o json',
      'kubectl -n harbor rollout restart deployment/hk-harbor-core',
      'kubectl -n harbor rollout status deployment/hk-harbor-core --timeout=300s',
    ]);
    expect(parsed.changes.map((change) => change.verified)).toEqual(['configmap hk-harbor-core has ADMIRAL_URL=NA', 'deployment/hk-harbor-core rolled out']);
    const again = await run(['--namespace', 'harbor', '--release', 'hk', '--apply', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('has ADMIRAL_URL="NA"');
    expect(again.stdout).toContain('Nothing to do.');
  });

  it('compose shows the core environment without its secrets: by name (PWD, TOKEN, SECRET, CREDENTIAL) and by the Redis URL formats', async () => {
    const result = await run(['--target', 'compose']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('harbor-core has ADMIRAL_URL=: core finds the key');
    expect(result.stdout).toContain('POSTGRESQL_PASSWORD=***');
    expect(result.stdout).toContain('_REDIS_URL=redis:6379,100,***');
    expect(result.stdout).toContain('_REDIS_URL_REG=redis://:***@redis:6379/1');
    expect(result.stdout).toContain('TOKEN_SERVICE_URL=http://core:8080/service/token');
    for (const secret of SECRETS) expect(result.stdout).not.toContain(secret);
    // A terminal escape sequence in a value is printed, not obeyed.
    expect(result.stdout).toContain('NOTE=\\x1b[2Jcleared');
    expect(result.stdout).not.toContain('\u001b[2J');
  });

  it('chart 1.1.x names objects <release>-harbor-*: a release named harbor has configmap harbor-harbor-core', async () => {
    const result = await run(['--namespace', 'harbor', '--release', 'harbor']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('configmap harbor-harbor-core has no ADMIRAL_URL');
  });

  it('a kubectl answer that is not JSON is refused without quoting it; docker inspect that is not a list too', async () => {
    const garbage = await run(['--namespace', 'garbage', '--release', 'hk']);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('did not answer with JSON');
    expect(garbage.stderr).not.toContain('root:');
    writeFileSync(join(dir, 'env.json'), '{"not":"a list"}');
    const notList = await run(['--target', 'compose']);
    writeFileSync(join(dir, 'env.json'), JSON.stringify(COMPOSE_ENV));
    expect(notList.code).toBe(2);
    expect(notList.stderr).toContain('docker inspect did not answer with the environment of harbor-core');
    expect(notList.stderr).not.toMatch(/is not a function|iterable|\n\s+at /);
  });

  it('exit 3 when core cannot be restarted after the configmap changed: what changed, the inverse patch, --json and audit', async () => {
    const { own, shim: failing } = ownRelease('exit3-', { prefix: ['kubectl', '-n', 'harbor', 'rollout', 'restart'], exitCode: 1 });
    try {
      const backupDir = join(own, 'backups');
      const result = await runCli(['run', 'admiral-url', '--namespace', 'harbor', '--release', 'hk', '--apply', '--yes', '--json', '--backup-dir', backupDir], {
        env: { PATH: failing.path },
      });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(/changed:\n {2}- set ADMIRAL_URL=NA in configmap hk-harbor-core: configmap hk-harbor-core patched/);
      const inverse = `kubectl -n harbor patch configmap hk-harbor-core --type json -p '[{"op":"remove","path":"/data/ADMIRAL_URL"}]'`;
      expect(result.stderr).toContain(`to restore:\n  ${inverse}`);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ exitCode: 3, ok: false, restore: [inverse] });
      expect(json.changedBeforeFailure).toHaveLength(1);
      const audit = readFileSync(join(backupDir, 'audit.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(audit.at(-1)).toMatchObject({ exitCode: 3, restore: [inverse] });
    } finally {
      failing.cleanup();
    }
  });

  it('compose without ADMIRAL_URL says how to add it', async () => {
    writeFileSync(join(dir, 'env.json'), JSON.stringify(COMPOSE_ENV.filter((entry) => !entry.startsWith('ADMIRAL_URL'))));
    const result = await run(['--target', 'compose']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('harbor-core has no ADMIRAL_URL: add ADMIRAL_URL=NA to common/config/core/env');
  });

  it('refuses a configmap it cannot read, and the direct target, with exit 2', async () => {
    const noDeployment = await run(['--namespace', 'other', '--release', 'hk']);
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.stderr).toContain('cannot read deployment hk-harbor-core in namespace other');
    const missing = await run(['--namespace', 'other', '--release', 'hk', '--harbor-version', '1.8.6']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read configmap hk-harbor-core in namespace other');
    const direct = await run(['--target', 'direct']);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('does not support the direct target');
  });
});

describe('admiral-url re-checks before it changes', () => {
  it('re-reads the configmap right before the patch: ADMIRAL_URL set while the apply waited for "yes" refuses it (exit 2), nothing changed', async () => {
    const { own, file, shim: racing } = ownRelease('race-', { prefix: ['kubectl', '-n', 'harbor', 'rollout'] });
    const setMeanwhile = (data: Record<string, string>) => () => {
      const object = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...object, data: { ...object.data, ...data } }));
    };
    const apply = (change: () => void) =>
      runOnTerminal(
        [process.execPath, CLI, 'run', 'admiral-url', '--namespace', 'harbor', '--release', 'hk', '--apply', '--backup-dir', join(own, 'backups')],
        [{ when: 'Type "yes"', type: 'yes', before: change }],
        { PATH: racing.path },
      );
    try {
      // An operator who uses Admiral (or a helm upgrade to chart 1.2) sets the key meanwhile.
      const refused = await apply(setMeanwhile({ ADMIRAL_URL: 'https://admiral.example.com' }));
      expect(refused.code, refused.screen).toBe(2);
      expect(refused.screen).toContain('configmap hk-harbor-core has ADMIRAL_URL now');
      expect(JSON.parse(readFileSync(file, 'utf8')).data.ADMIRAL_URL).toBe('https://admiral.example.com');
      expect(racing.calls().some((call) => call[3] === 'patch' || call[3] === 'rollout')).toBe(false);
      // Another key changed meanwhile: the backup holds the configmap as the patch found it.
      writeFileSync(file, JSON.stringify(CHART_1_1_CORE));
      const done = await apply(setMeanwhile({ LOG_LEVEL: 'debug' }));
      expect(done.code, done.screen).toBe(0);
      const backup = /backup: (\S+\.json)/.exec(done.screen)?.[1];
      expect(backup).toBeDefined();
      expect(JSON.parse(readFileSync(backup ?? '', 'utf8')).data).toEqual({ ...CHART_1_1_CORE.data, LOG_LEVEL: 'debug' });
      expect(JSON.parse(readFileSync(file, 'utf8')).data).toEqual({ ...CHART_1_1_CORE.data, LOG_LEVEL: 'debug', ADMIRAL_URL: 'NA' });
    } finally {
      racing.cleanup();
    }
  });
});

describe('admiral-url knows which cores read ADMIRAL_URL', () => {
  /** A shim holding, per release name, the chart 1.1.x configmap (no ADMIRAL_URL) and a core deployment running `image`. */
  function releases(images: Record<string, string>): { shim: Shim; configMap: (release: string) => string } {
    const own = mkdtempSync(join(dir, 'releases-'));
    const answers = Object.entries(images).flatMap(([release, image]) => {
      const name = `${release}-harbor-core`;
      writeFileSync(join(own, `${release}-cm.json`), JSON.stringify({ ...CHART_1_1_CORE, metadata: { name, namespace: 'harbor' } }));
      writeFileSync(join(own, `${release}-dpl.json`), JSON.stringify(coreDeployment(name, image)));
      return [
        { prefix: ['kubectl', '-n', 'harbor', 'get', `deployment/${name}`, '-o', 'json'], file: join(own, `${release}-dpl.json`) },
        { prefix: ['kubectl', '-n', 'harbor', 'get', `configmap/${name}`, '-o', 'json'], file: join(own, `${release}-cm.json`) },
        { prefix: ['kubectl', '-n', 'harbor', 'patch', 'configmap', name, '--type', 'merge', '-p'], file: join(own, `${release}-cm.json`), mergePatch: true },
      ];
    });
    return {
      shim: createShim({ otherwise: 'fail', answers: [...answers, { prefix: ['kubectl', '-n', 'harbor', 'rollout'] }] }),
      configMap: (release) => readFileSync(join(own, `${release}-cm.json`), 'utf8'),
    };
  }
  const apply = (shim: Shim, release: string, extra: string[] = []) =>
    runCli(['run', 'admiral-url', '--namespace', 'harbor', '--release', release, '--apply', '--yes', '--backup-dir', join(dir, 'versions'), ...extra], {
      env: { PATH: shim.path },
    });

  it('refuses Harbor 2.0+ and 1.7 cores (exit 2, nothing patched or restarted), and a tag that names no release unless --harbor-version says it', async () => {
    const { shim: cluster, configMap } = releases({
      two: 'goharbor/harbor-core:v2.0.0',
      seven: 'goharbor/harbor-core:v1.7.5',
      digest: 'registry.local:5000/goharbor/harbor-core@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      ten: 'registry.local:5000/goharbor/harbor-core:v1.10.0',
    });
    try {
      const two = await apply(cluster, 'two');
      expect(two.code, two.stdout).toBe(2);
      expect(two.stderr).toContain('core (deployment two-harbor-core) is Harbor 2.0.0: core reads no ADMIRAL_URL from 2.0.0 on');
      const seven = await apply(cluster, 'seven');
      expect(seven.code, seven.stdout).toBe(2);
      expect(seven.stderr).toContain('is Harbor 1.7.5: its core reads ADMIRAL_URL from adminserver');
      const digest = await apply(cluster, 'digest');
      expect(digest.code, digest.stdout).toBe(2);
      expect(digest.stderr).toContain('does not name a Harbor release in its tag: pass --harbor-version');
      const stated = await apply(cluster, 'digest', ['--harbor-version', '2.1.0']);
      expect(stated.code, stated.stdout).toBe(2);
      expect(stated.stderr).toContain('--harbor-version 2.1.0 is Harbor 2.1.0: core reads no ADMIRAL_URL');
      for (const release of ['two', 'seven', 'digest'])
        expect(JSON.parse(configMap(release))).toEqual({ ...CHART_1_1_CORE, metadata: { name: `${release}-harbor-core`, namespace: 'harbor' } });
      expect(cluster.calls().some((call) => call[3] === 'patch' || call[3] === 'rollout')).toBe(false);
      // 1.10 core still reads the key (a registry with a port in the image name is no tag), but logs it at DEBUG only.
      const ten = await apply(cluster, 'ten');
      expect(ten.code, ten.stderr).toBe(0);
      expect(ten.stdout).toContain('core runs Harbor 1.10.0, which reads ADMIRAL_URL');
      expect(ten.stdout).toContain('only at DEBUG level');
      expect(JSON.parse(configMap('ten')).data.ADMIRAL_URL).toBe('NA');
      const byFlag = await apply(cluster, 'digest', ['--harbor-version', '1.8.6']);
      expect(byFlag.code, byFlag.stderr).toBe(0);
      expect(JSON.parse(configMap('digest')).data.ADMIRAL_URL).toBe('NA');
    } finally {
      cluster.cleanup();
    }
  });
});
