// proxy-external-url-token-realm-mismatch on a real Harbor 1.10: core (which proxies /v2/ in 1.10)
// announces the realm its registry was configured with, <EXT_ENDPOINT>/service/token. Asked
// directly, that is the URL clients use; behind a TLS-terminating proxy (test/support/tls.ts) it is
// not, and check-token-realm names the scheme, the port and the EXT_ENDPOINT to change.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { makeTestCertificates, startHttpsProxy, type TestCertificates, type TlsTestServer } from '../support/tls.ts';
import { describeHarbor, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
let certs: TestCertificates;
let proxy: TlsTestServer | undefined;
let dir: string;

beforeAll(async () => {
  certs = await makeTestCertificates();
  dir = mkdtempSync(join(tmpdir(), 'hkb-realm-real-'));
});
afterAll(async () => {
  await proxy?.stop();
  certs?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const realm = async (args: string[]) => {
  const result = await runCli(['run', 'check-token-realm', ...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const { findings, facts } = JSON.parse(result.stdout) as {
    findings: { level: string; message: string }[];
    facts: { challenge?: { params: Record<string, string> } };
  };
  return { problems: findings.filter((finding) => finding.level !== 'info').map((finding) => finding.message), realm: facts.challenge?.params.realm };
};

describeHarbor('check-token-realm against a real Harbor 1.10', () => {
  it('asked at the address EXT_ENDPOINT names, the realm matches and nothing is reported', async () => {
    const { harbor } = rig;
    const env = join(dir, 'env');
    writeFileSync(env, `CONFIG_PATH=/etc/core/app.conf\nEXT_ENDPOINT=${harbor.url}\n`);
    expect(await realm(['--url', harbor.url, '--config', env])).toEqual({ problems: [], realm: `${harbor.url}/service/token` });
  });

  it('behind a TLS-terminating proxy, the http realm on the core port is named, with the EXT_ENDPOINT to change', async () => {
    const { harbor } = rig;
    proxy = await startHttpsProxy(harbor.url, certs.valid);
    const clients = `https://127.0.0.1:${proxy.port}`;
    const env = join(dir, 'env');
    const { problems, realm: announced } = await realm(['--url', clients, '--config', env]);
    // Read through the proxy, as a docker client reads it: Harbor's realm, on its own scheme and port.
    expect(announced).toBe(`${harbor.url}/service/token`);
    const set = '(see /issues/proxy-external-url-token-realm-mismatch/#fix, "2. Set the external URL to what clients type")';
    expect(problems).toEqual([
      `the token realm uses http but clients use ${clients} (TLS ends at a proxy in front of Harbor, and the external URL does not say https) ${set}`,
      expect.stringMatching(new RegExp(`^the token realm's port is ${new URL(harbor.url).port} but clients use`)),
      `EXT_ENDPOINT in ${env} (written by ./prepare) is ${harbor.url} but clients use ${clients}: set external_url in harbor.yml, then ./prepare, docker compose down, docker compose up -d ${set}`,
    ]);
  });
});
