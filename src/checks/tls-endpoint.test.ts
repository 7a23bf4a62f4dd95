import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, startTlsServer, type CertFiles, type TestCertificates } from '../../test/support/tls.ts';
import { checkTlsEndpoint, describeCertificate, expiryFindings, type TlsEndpointOptions } from './tls-endpoint.ts';

let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeTestCertificates();
});
afterAll(() => certs?.remove());

/** Serve `leaf` (+ `chain`) on a real TLS server and check it as a client dialling `host`. */
async function check(leaf: CertFiles, chain: CertFiles[], options: Partial<TlsEndpointOptions> & { caFile?: CertFiles } = {}) {
  const server = await startTlsServer(leaf, chain);
  try {
    const { caFile, ...rest } = options;
    const report = await checkTlsEndpoint({ host: '127.0.0.1', port: server.port, caPem: caFile && readFileSync(caFile.cert, 'utf8'), ...rest });
    return { ...report, port: server.port };
  } finally {
    await server.stop();
  }
}

const errors = (report: Awaited<ReturnType<typeof check>>) => report.findings.filter((finding) => finding.level === 'error');

describe('checkTlsEndpoint against real TLS servers', () => {
  it('finds nothing wrong with a certificate from a trusted CA, by IP and by name', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const report = await check(certs.valid, [], { host, caFile: certs.ca });
      expect(report.trusted).toBe(true);
      expect(report.verifyError).toBeUndefined();
      expect(report.findings.map((finding) => finding.level)).toEqual(['ok', 'ok', 'ok']);
      expect(report.chain.map((certificate) => certificate.subject)).toEqual(['CN=localhost', 'CN=hkb-test-ca']);
      expect(report.chain[1]!.inTrustStore).toBe(true);
      expect(report.trustCommands).toEqual([]);
    }
  });

  it('accepts a full chain (certificate + intermediate) ending at the CA file', async () => {
    const report = await check(certs.viaIntermediate, [certs.intermediate], { caFile: certs.ca });
    expect(report.trusted).toBe(true);
    expect(report.complete).toBe(true);
    expect(report.chain.map((certificate) => certificate.subject)).toEqual(['CN=localhost', 'CN=hkb-test-intermediate', 'CN=hkb-test-ca']);
    expect(errors(report)).toEqual([]);
  });

  it('calls a leaf-only server with a known root CA an incomplete chain (serve the intermediate)', async () => {
    const report = await check(certs.viaIntermediate, [], { caFile: certs.ca });
    expect(report.trusted).toBe(false);
    expect(report.complete).toBe(false);
    expect(report.verifyError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(errors(report)).toHaveLength(1);
    expect(errors(report)[0]!.message).toMatch(/only its own certificate, issued by hkb-test-intermediate.*chain incomplete/);
    expect(errors(report)[0]!.section).toBe('docker-client-x509-unknown-authority › 2. Fix the server side when the certificate itself is wrong');
  });

  it('calls a full chain whose root the client lacks an unknown authority and gives the trust commands', async () => {
    const report = await check(certs.viaIntermediate, [certs.intermediate]);
    expect(report.trusted).toBe(false);
    expect(errors(report)[0]!.message).toMatch(/chain ends at hkb-test-intermediate, issued by hkb-test-ca, a CA not in the system store.*unknown authority/);
    expect(errors(report)[0]!.section).toBe('docker-client-x509-unknown-authority › 3. Make each client trust the CA');
    const docker = report.trustCommands.find((entry) => entry.client.startsWith('Docker'))!;
    expect(docker.commands).toContain(`sudo cp ca.crt /etc/docker/certs.d/127.0.0.1:${report.port}/ca.crt`);
    expect(report.trustCommands.map((entry) => entry.client).join('\n')).toMatch(/containerd[\s\S]*Debian/);
    expect(report.trustCommands.flatMap((entry) => entry.commands)).toContain('sudo update-ca-certificates');
  });

  it('calls a leaf from a private CA without the CA file an unknown issuer', async () => {
    const report = await check(certs.valid, []);
    expect(errors(report)[0]!.message).toMatch(/issued by hkb-test-ca.*issuer unknown/);
    expect(report.trustCommands.length).toBeGreaterThan(0);
  });

  it('names a self-signed certificate, and trusts it when it is the CA file', async () => {
    const untrusted = await check(certs.selfSigned, []);
    expect(untrusted.chain[0]!.selfSigned).toBe(true);
    expect(errors(untrusted).map((finding) => finding.message)).toEqual([expect.stringMatching(/localhost is self-signed and not in the system store/)]);
    const trusted = await check(certs.selfSigned, [], { caFile: certs.selfSigned });
    expect(errors(trusted)).toEqual([]);
  });

  it('reports an expired certificate with its date, a not-yet-valid one and one expiring soon', async () => {
    const expired = await check(certs.expired, [], { caFile: certs.ca });
    expect(expired.verifyError).toBe('CERT_HAS_EXPIRED');
    expect(errors(expired).map((finding) => finding.message)).toEqual([
      expect.stringMatching(/server certificate localhost expired on 2020-12-31T00:00:00.000Z/),
    ]);
    expect(errors(expired)[0]!.section).toBe('helm-autogenerated-certs-expired › Installed with docker-compose?');

    const early = await check(certs.notYetValid, [], { caFile: certs.ca });
    expect(errors(early).map((finding) => finding.message)).toEqual([expect.stringMatching(/not valid before 2099-01-01/)]);

    const soon = await check(certs.expiringSoon, [], { caFile: certs.ca });
    expect(errors(soon)).toEqual([]);
    expect(soon.findings.filter((finding) => finding.level === 'warn').map((finding) => finding.message)).toEqual([
      expect.stringMatching(/expires on .*, within 30 days/),
    ]);
    const shortWindow = await check(certs.expiringSoon, [], { caFile: certs.ca, expiringWithinDays: 2 });
    expect(shortWindow.findings.every((finding) => finding.level === 'ok')).toBe(true);
  });

  it('sends an expired chart-made certificate to the chart renewal step', async () => {
    const report = await check(certs.chartExpired, [], { caFile: certs.chartCa });
    expect(errors(report)).toEqual([
      expect.objectContaining({
        section: 'helm-autogenerated-certs-expired › 3. Let the chart render new certificates',
        message: expect.stringMatching(/made by the Helm chart/),
      }),
    ]);
  });

  it('judges the expiry of a certificate read from a file or secret, outside any connection', () => {
    const chart = describeCertificate(readFileSync(certs.chartExpired.cert, 'utf8'));
    expect(chart.issuer).toBe('CN=harbor-ca');
    expect(expiryFindings([chart], new Date('2020-06-01T00:00:00Z'), 30).map((finding) => finding.level)).toEqual(['ok']);
    expect(expiryFindings([chart], new Date('2020-12-15T00:00:00Z'), 30)).toEqual([
      expect.objectContaining({ level: 'warn', section: 'helm-autogenerated-certs-expired › 3. Let the chart render new certificates' }),
    ]);
    expect(expiryFindings([chart], new Date('2021-01-01T00:00:00Z'), 30)).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/expired on 2020-12-31/) }),
    ]);
  });

  it('refuses a certificate without SANs, and one without an IP SAN when dialled by IP', async () => {
    const noSan = await check(certs.noSan, [], { host: 'localhost', caFile: certs.ca });
    expect(errors(noSan).map((finding) => finding.message)).toEqual([expect.stringMatching(/no subjectAltName, only CN=localhost.*legacy Common Name/)]);

    const byIp = await check(certs.noIpSan, [], { caFile: certs.ca });
    expect(errors(byIp).map((finding) => finding.message)).toEqual([expect.stringMatching(/has no IP SAN at all.*doesn't contain any IP SANs.*\(localhost\)/)]);
    const byName = await check(certs.noIpSan, [], { host: 'localhost', caFile: certs.ca });
    expect(errors(byName)).toEqual([]);
  });

  it('sends the name as SNI, and names the certificate of another host an ingress serves by default', async () => {
    const server = await startTlsServer(certs.ingressDefault, [], { localhost: certs.valid });
    try {
      const caPem = readFileSync(certs.ca.cert, 'utf8');
      const byName = await checkTlsEndpoint({ host: 'localhost', port: server.port, caPem });
      expect(byName.chain[0]!.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
      expect(byName.findings.every((finding) => finding.level === 'ok')).toBe(true);
      const byIp = await checkTlsEndpoint({ host: '127.0.0.1', port: server.port, caPem });
      expect(errors({ ...byIp, port: server.port }).map((finding) => finding.message)).toEqual([expect.stringMatching(/has no IP SAN at all/)]);
    } finally {
      await server.stop();
    }
    const other = await check(certs.ingressDefault, [], { host: 'localhost', caFile: certs.ca });
    expect(errors(other).map((finding) => finding.message)).toEqual([
      'certificate is valid for ingress.local, not localhost (another certificate, e.g. an ingress default, or a SAN missing)',
    ]);
  });

  it('reports a closed port as no handshake', async () => {
    const server = await startTlsServer(certs.valid);
    await server.stop();
    const report = await checkTlsEndpoint({ host: '127.0.0.1', port: server.port });
    expect(report.findings).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/no TLS handshake with 127.0.0.1:\d+: .*ECONNREFUSED/) }),
    ]);
    expect(report.unreachable).toMatch(/no TLS handshake with 127.0.0.1:\d+: .*ECONNREFUSED/);
  });
});
