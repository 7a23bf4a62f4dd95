// check-token-realm through the real CLI: a real distribution 2.8 registry with token auth
// (test/support/registry.ts) announcing a realm, behind the test's TLS-terminating proxy
// (test/support/tls.ts) as clients reach it. The running core's EXT_ENDPOINT comes through the
// docker/kubectl shim (test/support/shim.ts), the configured one from real config files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { startRegistry } from '../test/support/registry.ts';
import { createShim, type Shim } from '../test/support/shim.ts';
import { behindHttpsProxyPort, makeTestCertificates, type TestCertificates } from '../test/support/tls.ts';

const SET = '(see /issues/proxy-external-url-token-realm-mismatch/#fix, "2. Set the external URL to what clients type")';
const auth = { user: 'admin', password: 'Harbor12345' };
let certs: TestCertificates;
let dir: string;
let shim: Shim;
const stops: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  certs = await makeTestCertificates();
  dir = mkdtempSync(join(tmpdir(), 'hkb-realm-'));
  writeFileSync(join(dir, 'ext-endpoint'), 'http://internal-host\n');
  shim = createShim({
    otherwise: 'fail',
    answers: [
      { prefix: ['docker', 'exec', '-i', 'harbor-core', 'printenv', 'EXT_ENDPOINT'], file: join(dir, 'ext-endpoint') },
      {
        prefix: ['kubectl', '-n', 'harbor', 'exec', '-i', 'deploy/hk-harbor-core', '-c', 'core', '--', 'printenv', 'EXT_ENDPOINT'],
        file: join(dir, 'ext-endpoint'),
      },
    ],
  });
});
afterAll(async () => {
  await Promise.all(stops.map((server) => server.stop()));
  shim?.cleanup();
  certs?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** A registry announcing `realm(proxyPort)`, behind an https proxy on proxyPort; returns the URL clients use. */
async function behindProxy(realm: (proxyPort: number) => string): Promise<string> {
  const { backend, proxy } = await behindHttpsProxyPort((port) => startRegistry({ auth, tokenRealm: realm(port) }), certs.valid);
  stops.push(backend, proxy);
  return `https://127.0.0.1:${proxy.port}`;
}

interface Finding {
  level: 'info' | 'warn' | 'problem';
  message: string;
}

async function run(args: string[]) {
  const result = await runCli(['run', 'check-token-realm', ...args, '--json'], { env: { PATH: shim.path } });
  expect(result.code, result.stderr).toBe(0);
  const findings = (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
  return { findings, problems: findings.filter((finding) => finding.level !== 'info').map((finding) => finding.message) };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('check-token-realm', () => {
  it('a realm that matches the https URL clients use, and a harbor.yml that says so, give no finding', async () => {
    const clients = await behindProxy((port) => `https://127.0.0.1:${port}/service/token`);
    const config = file('good.yml', `hostname: 127.0.0.1\nhttp:\n  port: 80\nexternal_url: ${clients}\n`);
    const { findings, problems } = await run(['--url', clients, '--config', config]);
    expect(problems).toEqual([]);
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^the token realm https:\/\/127\.0\.0\.1:\d+\/service\/token matches the scheme, host and port clients use/),
      `external_url in ${config} is ${clients}, what clients use ${SET}`,
    ]);
  });

  it('an http realm on an internal host behind the https proxy: scheme, host and port, and the setting to change', async () => {
    const clients = await behindProxy(() => 'http://internal-host/service/token');
    const config = file('wrong.yml', 'hostname: internal-host\nhttp:\n  port: 80\nexternal_url: http://internal-host\n');
    const { problems, findings } = await run(['--url', clients, '--config', config]);
    expect(problems).toEqual([
      `the token realm uses http but clients use ${clients} (TLS ends at a proxy in front of Harbor, and the external URL does not say https) ${SET}`,
      `the token realm's host is internal-host but clients use ${clients}: the token request goes to another server ${SET}`,
      expect.stringMatching(/^the token realm's port is 80 \(none written\) but clients use/),
      `external_url in ${config} is http://internal-host but clients use ${clients}: set external_url in harbor.yml, then ./prepare, docker compose down, docker compose up -d ${SET}`,
    ]);
    expect(findings.map((finding) => finding.message)).toContain(
      `helm: helm -n <namespace> upgrade <release> <chart> --reuse-values --set externalURL=${clients} ; kubectl -n <namespace> rollout status deployment/<release>-harbor-core`,
    );
  });

  it("reads harbor.yml without external_url as prepare does, harbor.cfg, the chart's values and core's env file", async () => {
    const clients = await behindProxy(() => 'http://internal-host/service/token');
    const cases: Array<[string, string, RegExp]> = [
      [
        'no-external.yml',
        'hostname: internal-host\nhttps:\n  port: 8443\n  certificate: /c\n  private_key: /k\n',
        /hostname and https port in .* \(no external_url.*\) is https:\/\/internal-host:8443 but/,
      ],
      [
        'harbor.cfg',
        'hostname = internal-host\nui_url_protocol = http\n',
        /ui_url_protocol and hostname in .*harbor\.cfg is http:\/\/internal-host but .*: set ui_url_protocol and hostname/,
      ],
      [
        'values.yaml',
        'expose:\n  type: nodePort\nexternalURL: https://core.harbor.domain\n',
        /externalURL in .*values\.yaml is https:\/\/core\.harbor\.domain but .*: helm upgrade with --set externalURL=https:\/\/127/,
      ],
      [
        'env',
        'CONFIG_PATH=/etc/core/app.conf\nEXT_ENDPOINT=http://internal-host\n',
        /EXT_ENDPOINT in .*env \(written by \.\/prepare\) is http:\/\/internal-host but/,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const { problems } = await run(['--url', clients, '--config', file(name, text)]);
      expect(problems.at(-1), name).toMatch(expected);
    }
  });

  it("compares the running core's EXT_ENDPOINT on compose and k8s", async () => {
    const clients = await behindProxy(() => 'http://internal-host/service/token');
    const compose = await run(['--url', clients, '--target', 'compose']);
    expect(compose.problems.at(-1)).toBe(
      `EXT_ENDPOINT of the running core (container harbor-core) is http://internal-host but clients use ${clients}: it comes from harbor.yml: set external_url in harbor.yml, then ./prepare, docker compose down, docker compose up -d ${SET}`,
    );
    const k8s = await run(['--url', clients, '--namespace', 'harbor', '--release', 'hk']);
    expect(k8s.problems.at(-1)).toMatch(
      /^EXT_ENDPOINT of the running core \(deploy\/hk-harbor-core \(container core\)\) is http:\/\/internal-host but .*it is the chart's externalURL: helm upgrade with --set externalURL=https:\/\/127\.0\.0\.1:\d+/,
    );
    const missing = await run(['--url', clients, '--namespace', 'other', '--release', 'hk']);
    expect(missing.problems[0]).toMatch(/^could not read EXT_ENDPOINT of core \(deploy\/hk-harbor-core \(container core\)\): kubectl exited 1/);
  });

  it('an external URL that is already right while the realm is wrong: Harbor has not taken it up', async () => {
    const clients = await behindProxy(() => 'http://internal-host/service/token');
    const config = file('right.yml', `hostname: 127.0.0.1\nexternal_url: ${clients}\n`);
    const { problems } = await run(['--url', clients, '--config', config]);
    expect(problems.at(-1)).toBe(
      `external_url in ${config} already says ${clients}, yet the realm differs: the running Harbor has not taken it up (set external_url in harbor.yml, then ./prepare, docker compose down, docker compose up -d) or the realm comes from another Harbor ${SET}`,
    );
  });

  it("core's internal address as realm: the proxy forwards the internal Host header, not an external URL problem", async () => {
    const clients = await behindProxy(() => 'http://core:8080/service/token');
    const config = file('fine.yml', `hostname: 127.0.0.1\nexternal_url: ${clients}\n`);
    const { problems } = await run(['--url', clients, '--config', config]);
    expect(problems.at(-1)).toBe(
      `the realm http://core:8080/service/token is Harbor's internal core address, which core announces to requests whose Host header names it: the proxy in front forwards Host: core:8080; make it pass the host clients use (nginx: proxy_set_header Host $host), the external URL is not the cause ${SET}`,
    );
    expect(problems.join('\n')).not.toContain('external_url in');
  });

  it('refuses a config file it cannot read or understand with exit 2', async () => {
    const missing = await runCli(['run', 'check-token-realm', '--url', 'https://127.0.0.1:1', '--config', join(dir, 'none.yml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot be read (ENOENT)');
    const list = await runCli(['run', 'check-token-realm', '--url', 'https://127.0.0.1:1', '--config', file('list.yml', '- a\n- b\n')]);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('has neither external_url nor hostname');
    for (const [args, message] of [
      [['--url', 'ftp://127.0.0.1:1/'], '--url must be an http:// or https:// URL, got ftp://127.0.0.1:1/'],
      [['--url', 'https://127.0.0.1:1', '--external-url', 'docker://harbor.example.com'], '--external-url must be an http:// or https:// URL'],
      [['--url', 'http://[::1'], '--url must be a URL'],
    ] as const) {
      const refused = await runCli(['run', 'check-token-realm', ...args]);
      expect(refused.code, refused.stdout).toBe(2);
      expect(refused.stderr).toContain(message);
    }
  });
});

describe('check-token-realm when nothing answers', () => {
  it('a closed port and an unknown host refuse with exit 2 and --json ok:false, never "Nothing to do."', async () => {
    const closed = await freeLoopbackPort();
    const cases: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${closed}`, new RegExp(`GET http://127\\.0\\.0\\.1:${closed}/v2/ failed: .*ECONNREFUSED.*no realm was read`)],
      ['https://no-such-host.invalid', /GET https:\/\/no-such-host\.invalid\/v2\/ failed: .*ENOTFOUND.*no realm was read/],
    ];
    for (const [url, message] of cases) {
      const text = await runCli(['run', 'check-token-realm', '--url', url]);
      expect(text.code, url).toBe(2);
      expect(text.stderr).toMatch(message);
      expect(text.stdout).not.toContain('Nothing to do');
      const json = await runCli(['run', 'check-token-realm', '--url', url, '--json']);
      expect(json.code, url).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringMatching(message) });
    }
  });
});

describe('check-token-realm names the request it made', () => {
  it('a --url with a trailing slash or a query names <origin>/v2/, the URL it requested, not <url>/v2/ spliced as text', async () => {
    const open = await startRegistry({});
    stops.push(open);
    for (const url of [`${open.url}/`, `${open.url}/?x=1`]) {
      const { problems } = await run(['--url', url]);
      expect(problems, url).toEqual([expect.stringContaining(`${open.url}/v2/ answers 200 without asking for credentials`)]);
      expect(problems.join('\n')).not.toMatch(/\/\/v2\/|\?x=1\/v2/);
    }
  });
});
