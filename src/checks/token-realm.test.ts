import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../test/support/net.ts';
import { startRegistry, type RegistryServer } from '../../test/support/registry.ts';
import { behindHttpsProxyPort, makeTestCertificates, type TestCertificates, type TlsTestServer } from '../../test/support/tls.ts';
import { checkTokenRealm, parseChallenge } from './token-realm.ts';

const auth = { user: 'admin', password: 'Harbor12345' };
let certs: TestCertificates;
const stops: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  certs = await makeTestCertificates();
});
afterAll(async () => {
  await Promise.all(stops.map((server) => server.stop()));
  certs?.remove();
});

async function registry(options: Parameters<typeof startRegistry>[0]): Promise<RegistryServer> {
  const server = await startRegistry(options);
  stops.push(server);
  return server;
}

/** A registry announcing `realm(proxyPort)`, behind a TLS-terminating proxy on proxyPort. */
async function behindHttpsProxy(realm: (proxyPort: number) => string): Promise<{ registry: RegistryServer; proxy: TlsTestServer }> {
  const { backend, proxy } = await behindHttpsProxyPort((port) => startRegistry({ auth, tokenRealm: realm(port) }), certs.valid);
  stops.push(backend, proxy);
  return { registry: backend, proxy };
}

const errors = (report: Awaited<ReturnType<typeof checkTokenRealm>>) =>
  report.findings.filter((finding) => finding.level === 'error').map((finding) => finding.message);

describe('checkTokenRealm against a real distribution registry with token auth', () => {
  it('passes when the realm is the https URL clients use, through the proxy and when asked directly with the expected URL', async () => {
    const { registry: backend, proxy } = await behindHttpsProxy((port) => `https://127.0.0.1:${port}/service/token`);
    const report = await checkTokenRealm({ url: `https://127.0.0.1:${proxy.port}` });
    expect(report.status).toBe(401);
    expect(report.challenge).toEqual({ scheme: 'Bearer', params: { realm: `https://127.0.0.1:${proxy.port}/service/token`, service: 'harbor-registry' } });
    expect(report.findings).toEqual([
      expect.objectContaining({ level: 'ok', section: 'proxy-external-url-token-realm-mismatch › 1. Read the realm Harbor announces' }),
    ]);
    expect(report.externalUrl).toBeUndefined();
    expect(report.changes).toEqual([]);

    const direct = await checkTokenRealm({ url: backend.url, expected: `https://127.0.0.1:${proxy.port}` });
    expect(direct.findings.map((finding) => finding.level)).toEqual(['ok']);
  });

  it('says the external URL must be https when the proxy ends TLS and the realm says http', async () => {
    const { proxy } = await behindHttpsProxy((port) => `http://127.0.0.1:${port}/service/token`);
    const report = await checkTokenRealm({ url: `https://127.0.0.1:${proxy.port}` });
    expect(errors(report)).toEqual([expect.stringMatching(/realm uses http but clients use https:\/\/127\.0\.0\.1:\d+ \(TLS ends at a proxy/)]);
    expect(report.findings[0]!.section).toBe('proxy-external-url-token-realm-mismatch › 2. Set the external URL to what clients type');
    expect(report.externalUrl).toBe(`https://127.0.0.1:${proxy.port}`);
    expect(report.changes.find((change) => change.install === 'compose')!.commands).toContain(
      `# edit harbor.yml: external_url: https://127.0.0.1:${proxy.port}`,
    );
    expect(report.changes.find((change) => change.install === 'helm')!.commands[0]).toBe(
      `helm -n <namespace> upgrade <release> <chart> --reuse-values --set externalURL=https://127.0.0.1:${proxy.port}`,
    );
  });

  it('names the port when the realm has none (NodePort, custom port)', async () => {
    const backend = await registry({ auth, tokenRealm: 'http://127.0.0.1/service/token' });
    const report = await checkTokenRealm({ url: backend.url });
    expect(errors(report)).toEqual([
      `the token realm's port is 80 (none written) but clients use ${backend.url}: the token request goes to port 80 ("connection refused" there)`,
    ]);
    expect(report.externalUrl).toBe(backend.url);
  });

  it('names another host and a wrong path', async () => {
    const backend = await registry({ auth, tokenRealm: 'http://core.harbor.domain/v2//service/token' });
    const report = await checkTokenRealm({ url: backend.url });
    expect(errors(report)).toEqual([
      expect.stringMatching(/realm's host is core\.harbor\.domain but clients use/),
      expect.stringMatching(/port is 80/),
      expect.stringMatching(/path is \/v2\/\/service\/token, not \/service\/token/),
    ]);
  });

  it("reads the rig's own realm (the token service's port) as a port mismatch", async () => {
    const backend = await registry({ auth });
    const report = await checkTokenRealm({ url: backend.url });
    expect(report.challenge?.params.realm).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/service\/token$/);
    expect(errors(report)).toEqual([expect.stringMatching(/realm's port is \d+ but clients use/)]);
  });

  it("warns about Harbor 2.x's internal Basic realm and about a registry without auth", async () => {
    const basic = await registry({ htpasswd: auth });
    const basicReport = await checkTokenRealm({ url: basic.url });
    expect(basicReport.challenge).toEqual({ scheme: 'Basic', params: { realm: 'harbor-registry-basic-realm' } });
    expect(basicReport.findings).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/internal registry/) })]);

    const open = await registry({});
    const openReport = await checkTokenRealm({ url: open.url });
    expect(openReport.status).toBe(200);
    expect(openReport.findings.map((finding) => finding.level)).toEqual(['warn']);
  });

  it('reports an address where nothing listens', async () => {
    const port = await freeLoopbackPort();
    const report = await checkTokenRealm({ url: `http://127.0.0.1:${port}` });
    expect(report.findings).toEqual([expect.objectContaining({ level: 'error', message: expect.stringMatching(/GET .*\/v2\/ failed: .*ECONNREFUSED/) })]);
    expect(report.unreachable).toMatch(/GET .*\/v2\/ failed: .*ECONNREFUSED/);
  });
});

describe('parseChallenge', () => {
  it('reads quoted and bare parameters, including commas inside quotes', () => {
    expect(parseChallenge('Bearer realm="https://h/service/token",service="harbor-registry",scope="repository:a/b:pull,push"')).toEqual({
      scheme: 'Bearer',
      params: { realm: 'https://h/service/token', service: 'harbor-registry', scope: 'repository:a/b:pull,push' },
    });
    expect(parseChallenge('Basic realm=x')).toEqual({ scheme: 'Basic', params: { realm: 'x' } });
  });
});
