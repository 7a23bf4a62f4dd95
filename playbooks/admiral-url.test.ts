// admiral-url through the command shim (test/support/command-shim.ts): kubectl and docker are
// stand-ins first on PATH that record the exact command line; the configmap is a JSON file
// that `kubectl patch --type merge` merges into, as the API server would.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { createCommandShim, type CommandShim } from '../test/support/command-shim.ts';

let dir: string;
let shim: CommandShim;
const configMapFile = () => join(dir, 'configmap.json');
// The core configmap of harbor-helm chart 1.1.x (Harbor 1.8): no ADMIRAL_URL.
const CHART_1_1_CORE = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hk-harbor-core', namespace: 'harbor' }, data: { CONFIG_PATH: '/etc/core/app.conf', EXT_ENDPOINT: 'https://harbor.example.com', LOG_LEVEL: 'info' } };
const COMPOSE_ENV = ['CONFIG_PATH=/etc/core/app.conf', 'POSTGRESQL_PASSWORD=db-secret-123', 'CORE_SECRET=core-secret-456', 'ADMIRAL_URL=', 'LOG_LEVEL=info'];

const run = (args: string[]) => runCli(['run', 'admiral-url', ...args, '--backup-dir', mkdtempSync(join(dir, 'backup-'))], { env: { PATH: shim.path } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-admiral-'));
  writeFileSync(configMapFile(), JSON.stringify(CHART_1_1_CORE));
  writeFileSync(join(dir, 'env.json'), JSON.stringify(COMPOSE_ENV));
  shim = createCommandShim({
    answers: [
      { prefix: ['-n', 'harbor', 'get', 'configmap/hk-harbor-core', '-o', 'json'], file: configMapFile() },
      { prefix: ['-n', 'harbor', 'patch', 'configmap', 'hk-harbor-core', '--type', 'merge', '-p'], file: configMapFile(), mergePatch: true },
      { prefix: ['-n', 'harbor', 'rollout'] },
      { prefix: ['inspect', '--format', '{{json .Config.Env}}', 'harbor-core'], file: join(dir, 'env.json') },
    ],
  });
});

afterAll(() => {
  shim?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('admiral-url', () => {
  it('k8s dry-run reports the missing key and changes nothing', async () => {
    const result = await run(['--namespace', 'harbor', '--release', 'hk']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('configmap hk-harbor-core has no ADMIRAL_URL');
    expect(result.stdout).toContain("kubectl -n harbor patch configmap hk-harbor-core --type merge -p '{\"data\":{\"ADMIRAL_URL\":\"NA\"}}'");
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
    expect(shim.calls().slice(before).map((call) => call.join(' '))).toEqual([
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

  it('compose shows the core environment without its secrets', async () => {
    const result = await run(['--target', 'compose']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('harbor-core has ADMIRAL_URL=: core finds the key');
    expect(result.stdout).toContain('POSTGRESQL_PASSWORD=***');
    expect(result.stdout).not.toContain('db-secret-123');
    expect(result.stdout).not.toContain('core-secret-456');
  });

  it('compose without ADMIRAL_URL says how to add it', async () => {
    writeFileSync(join(dir, 'env.json'), JSON.stringify(COMPOSE_ENV.filter((entry) => !entry.startsWith('ADMIRAL_URL'))));
    const result = await run(['--target', 'compose']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('harbor-core has no ADMIRAL_URL: add ADMIRAL_URL=NA to common/config/core/env');
  });

  it('refuses a configmap it cannot read, and the direct target, with exit 2', async () => {
    const missing = await run(['--namespace', 'other', '--release', 'hk']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read configmap hk-harbor-core in namespace other');
    const direct = await run(['--target', 'direct']);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('does not support the direct target');
  });
});
