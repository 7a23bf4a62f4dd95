// The rig's certificates and servers are what they claim, as seen by openssl itself (not by
// the checks they serve to test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { createServer, type Server } from 'node:net';
import { behindHttpsProxyPort, makeTestCertificates, startHttpsProxy, startTlsServer, type CertFiles, type TestCertificates } from './tls.ts';
import { listen } from './registry-proxy.ts';

let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeTestCertificates();
});
afterAll(() => certs?.remove());

const q = $({ quiet: true, nothrow: true });
const verify = async (cert: CertFiles, ...args: string[]) => {
  const result = await q`openssl verify ${args} ${cert.cert}`;
  return result.stdout + result.stderr;
};
const text = async (cert: CertFiles) => (await q`openssl x509 -in ${cert.cert} -noout -subject -issuer -dates -ext subjectAltName`).stdout;
/** What `openssl s_client` sees on a server: the certificates sent (depth lines) and its verdict. */
async function sClient(port: number, ...args: string[]) {
  const result = await $({ quiet: true, nothrow: true, input: '' })`openssl s_client -connect ${'127.0.0.1:' + port} -showcerts ${args}`;
  return {
    sent: (result.stdout.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length,
    subject: /^subject=(.*)$/m.exec(result.stdout)?.[1],
    verdict: /Verify return code: (\d+ \([^)]*\))/.exec(result.stdout)?.[1],
  };
}

describe('makeTestCertificates', () => {
  it('makes certificates that openssl verifies or refuses for the stated reason', async () => {
    const ca = ['-CAfile', certs.ca.cert];
    expect(await verify(certs.valid, ...ca)).toMatch(/: OK/);
    expect(await verify(certs.viaIntermediate, ...ca)).toMatch(/unable to get local issuer certificate/);
    expect(await verify(certs.viaIntermediate, ...ca, '-untrusted', certs.intermediate.cert)).toMatch(/: OK/);
    expect(await verify(certs.expired, ...ca)).toMatch(/certificate has expired/);
    expect(await verify(certs.notYetValid, ...ca)).toMatch(/certificate is not yet valid/);
    expect(await verify(certs.selfSigned, ...ca)).toMatch(/self-signed certificate/);
    expect(await verify(certs.chartExpired, '-CAfile', certs.chartCa.cert)).toMatch(/certificate has expired/);
  });

  it('gives each variant the names and dates it claims', async () => {
    expect(await text(certs.valid)).toMatch(/subject=CN = localhost\nissuer=CN = hkb-test-ca\n[\s\S]*DNS:localhost, IP Address:127.0.0.1/);
    expect(await text(certs.noSan)).not.toMatch(/Subject Alternative Name/);
    expect(await text(certs.noIpSan)).toMatch(/DNS:localhost\n/);
    expect(await text(certs.expired)).toMatch(/notAfter=Dec 31 00:00:00 2020 GMT/);
    expect(await text(certs.notYetValid)).toMatch(/notBefore=Jan {2}1 00:00:00 2099 GMT/);
    expect(await text(certs.chartExpired)).toMatch(/issuer=CN = harbor-ca/);
    expect(await text(certs.ingressDefault)).toMatch(/DNS:ingress.local\n/);
  });
});

describe('startTlsServer and startHttpsProxy', () => {
  it('sends the full chain or the leaf only, and the SNI certificate for its name', async () => {
    const full = await startTlsServer(certs.viaIntermediate, [certs.intermediate]);
    const leafOnly = await startTlsServer(certs.viaIntermediate);
    const bySni = await startTlsServer(certs.ingressDefault, [], { localhost: certs.valid });
    try {
      expect(await sClient(full.port, '-CAfile', certs.ca.cert)).toEqual({ sent: 2, subject: 'CN = localhost', verdict: '0 (ok)' });
      expect(await sClient(leafOnly.port, '-CAfile', certs.ca.cert)).toEqual({
        sent: 1,
        subject: 'CN = localhost',
        verdict: '21 (unable to verify the first certificate)',
      });
      expect((await sClient(bySni.port, '-servername', 'localhost')).subject).toBe('CN = localhost');
      expect((await sClient(bySni.port, '-noservername')).subject).toBe('CN = ingress.local');
    } finally {
      await Promise.all([full.stop(), leafOnly.stop(), bySni.stop()]);
    }
  });

  it('forwards requests over HTTPS to a plain HTTP server, headers included', async () => {
    const backend = await listen((incoming, outgoing) => outgoing.writeHead(401, { 'www-authenticate': `Basic realm="${incoming.url}"` }).end());
    const proxy = await startHttpsProxy(backend.url, certs.valid);
    try {
      const result = await $({ quiet: true })`curl -s -o /dev/null -D - --cacert ${certs.ca.cert} ${`https://127.0.0.1:${proxy.port}/v2/`}`;
      expect(result.stdout).toMatch(/^HTTP\/1.1 401/);
      expect(result.stdout).toMatch(/www-authenticate: Basic realm="\/v2\/"/i);
    } finally {
      await Promise.all([proxy.stop(), backend.stop()]);
    }
  });

  it('a proxy port someone else took fails the start with EADDRINUSE; behindHttpsProxyPort then starts both again on another port', async () => {
    const squatters: Server[] = [];
    const squat = (port: number) =>
      new Promise<void>((resolve) => {
        const server = createServer();
        squatters.push(server);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    try {
      const backend = await listen((_incoming, outgoing) => outgoing.writeHead(204).end());
      const taken = await new Promise<number>((resolve) => {
        const server = createServer();
        squatters.push(server);
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
      });
      await expect(startHttpsProxy(backend.url, certs.valid, [], taken)).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await backend.stop();

      // The first port chosen is taken between the backend's start and the proxy's: the second try works.
      const ports: number[] = [];
      const { backend: second, proxy } = await behindHttpsProxyPort(async (port) => {
        ports.push(port);
        if (ports.length === 1) await squat(port);
        return listen((_incoming, outgoing) => outgoing.writeHead(204).end());
      }, certs.valid);
      expect(ports).toHaveLength(2);
      expect(proxy.port).toBe(ports[1]);
      await Promise.all([proxy.stop(), second.stop()]);
    } finally {
      for (const server of squatters) server.close();
    }
  });
});
