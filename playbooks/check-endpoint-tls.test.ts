// check-endpoint-tls through the real CLI against real TLS servers on loopback that present
// openssl-made certificates (test/support/tls.ts): each failure class of the page is reported
// with its step, and a good chain with its CA gives no finding but "ok".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { startRegistry } from '../test/support/registry.ts';
import { makeTestCertificates, startTlsServer, type CertFiles, type TestCertificates } from '../test/support/tls.ts';

const PAGE = '/issues/docker-client-x509-unknown-authority/#fix';
const SERVER_SIDE = `(see ${PAGE}, "2. Fix the server side when the certificate itself is wrong")`;
const TRUST = `(see ${PAGE}, "3. Make each client trust the CA")`;

let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeTestCertificates();
});
afterAll(() => certs?.remove());

interface Finding {
  level: 'info' | 'warn' | 'problem';
  message: string;
}

/** Serves `leaf` (+ `chain`) and runs the playbook as a client dialling `host`; the findings of the --json result, and the text output. */
async function run(leaf: CertFiles, chain: CertFiles[], options: { host?: string; ca?: CertFiles; extra?: string[] } = {}) {
  const server = await startTlsServer(leaf, chain);
  try {
    const address = `${options.host ?? '127.0.0.1'}:${server.port}`;
    const args = ['run', 'check-endpoint-tls', '--address', address, ...(options.ca ? ['--ca-file', options.ca.cert] : []), ...(options.extra ?? [])];
    const json = await runCli([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const text = await runCli(args);
    expect(text.code, text.stderr).toBe(0);
    const findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
    return {
      findings,
      problems: findings.filter((finding) => finding.level !== 'info').map((finding) => finding.message),
      text: text.stdout,
      port: server.port,
    };
  } finally {
    await server.stop();
  }
}

describe('check-endpoint-tls', () => {
  it('a good chain with its CA file gives no finding, by IP and by name, and no trust commands', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const { findings, problems, text } = await run(certs.viaIntermediate, [certs.intermediate], { host, ca: certs.ca });
      expect(problems).toEqual([]);
      expect(findings.map((finding) => finding.level)).toEqual(['info', 'info', 'info']);
      expect(text).toContain('chain complete up to a self-signed root; trusted by this host or --ca-file');
      expect(text).not.toContain('to trust the CA');
    }
  });

  it('an unknown CA: names it, and prints the trust commands for each client with host:port', async () => {
    const { problems, text, port } = await run(certs.valid, [certs.ca]);
    expect(problems).toEqual([
      expect.stringMatching(/the server sends its root hkb-test-ca, which is not in the system store \("x509: certificate signed by unknown authority"\)/),
    ]);
    expect(problems[0]).toContain(TRUST);
    expect(text).toContain(
      `to trust the CA (ca.crt) on Docker (no restart needed): sudo mkdir -p /etc/docker/certs.d/127.0.0.1:${port} && sudo cp ca.crt /etc/docker/certs.d/127.0.0.1:${port}/ca.crt`,
    );
    expect(text).toContain(`/etc/containerd/certs.d/127.0.0.1:${port}/hosts.toml`);
    expect(text).toContain(`/etc/containers/certs.d/127.0.0.1:${port}/ca.crt`);
    expect(text).toContain('sudo update-ca-certificates');
  });

  it('an incomplete chain: the server leaves out the intermediate the CA file does not hold', async () => {
    const { problems, text } = await run(certs.viaIntermediate, [], { ca: certs.ca });
    expect(problems).toEqual([expect.stringMatching(/only its own certificate, issued by hkb-test-intermediate.*chain incomplete, serve the intermediate/)]);
    expect(problems[0]).toContain(SERVER_SIDE);
    expect(text).toContain('chain incomplete: it stops before a root; not trusted by this host or --ca-file (OpenSSL: UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
  });

  it('a self-signed certificate', async () => {
    const { problems } = await run(certs.selfSigned, [], { host: 'localhost' });
    expect(problems).toEqual([expect.stringMatching(/certificate localhost is self-signed and not in the system store/)]);
  });

  it('no IP SAN when dialled by IP, a name that is not in the SANs, and no SAN at all', async () => {
    const byIp = await run(certs.noIpSan, [], { ca: certs.ca });
    expect(byIp.problems).toEqual([
      expect.stringMatching(/has no IP SAN at all \(clients dialling 127\.0\.0\.1 get "doesn't contain any IP SANs"\); re-issue it with IP:127\.0\.0\.1/),
    ]);
    expect(byIp.problems[0]).toContain(SERVER_SIDE);
    const byName = await run(certs.ingressDefault, [], { host: 'localhost', ca: certs.ca });
    expect(byName.problems).toEqual([expect.stringMatching(/certificate is valid for ingress\.local, not localhost/)]);
    const none = await run(certs.noSan, [], { ca: certs.ca });
    expect(none.problems).toEqual([expect.stringMatching(/no subjectAltName, only CN=localhost.*legacy Common Name field/)]);
  });

  it('expired, not yet valid, and expiring within --expiring-within days', async () => {
    const expired = await run(certs.expired, [], { ca: certs.ca });
    expect(expired.problems).toEqual([expect.stringMatching(/server certificate localhost expired on 2020-12-31T00:00:00\.000Z/)]);
    const future = await run(certs.notYetValid, [], { ca: certs.ca });
    expect(future.problems).toEqual([expect.stringMatching(/server certificate localhost is not valid before 2099-01-01T00:00:00\.000Z/)]);
    const soon = await run(certs.expiringSoon, [], { ca: certs.ca });
    expect(soon.findings.filter((finding) => finding.level === 'warn').map((finding) => finding.message)).toEqual([
      expect.stringMatching(/server certificate localhost expires on .*, within 30 days/),
    ]);
    const quiet = await run(certs.expiringSoon, [], { ca: certs.ca, extra: ['--expiring-within', '2'] });
    expect(quiet.problems).toEqual([]);
  });

  it('the chart-made certificate points at the chart renewal page', async () => {
    const { problems } = await run(certs.chartExpired, [certs.chartCa], { ca: certs.chartCa });
    expect(problems).toEqual([
      expect.stringMatching(
        /expired on 2020-12-31.*made by the Helm chart \(see \/issues\/helm-autogenerated-certs-expired\/#fix, "3\. Let the chart render new certificates"\)/,
      ),
    ]);
  });

  it('refuses a bad address or CA file with exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--address', 'http://127.0.0.1:80'], 'only https endpoints have a certificate to check'],
      [['--address', '127.0.0.1:1', '--ca-file', '/etc/hostname'], 'holds no PEM certificate'],
      // Port 0 is no port a client can dial; -1 days is a whole number below the minimum.
      [['--address', 'https://127.0.0.1:0'], '--address "https://127.0.0.1:0": port 0 is no port a client can dial'],
      [['--address', '127.0.0.1:1', '--expiring-within', '-1'], '--expiring-within must be a whole number of at least 0, got "-1"'],
      [['--address', '127.0.0.1:1', '--target', 'k8s'], 'does not support the k8s target (supported: direct): it dials --address from this host'],
    ];
    for (const [args, message] of cases) {
      const refused = await runCli(['run', 'check-endpoint-tls', ...args]);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toContain(message);
    }
  });
});

describe('check-endpoint-tls when nothing answers with TLS', () => {
  it('a closed port, an unknown host and a plain-HTTP server refuse with exit 2 and --json ok:false, never "Nothing to do."', async () => {
    const closed = await freeLoopbackPort();
    const plain = await startRegistry({});
    try {
      const cases: Array<[string, RegExp]> = [
        [`127.0.0.1:${closed}`, new RegExp(`no TLS handshake with 127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED.*nothing was checked`)],
        ['no-such-host.invalid', /no TLS handshake with no-such-host\.invalid:443: .*ENOTFOUND.*nothing was checked/],
        [new URL(plain.url).host, /no TLS handshake with 127\.0\.0\.1:\d+: .*nothing was checked/],
      ];
      for (const [address, message] of cases) {
        const text = await runCli(['run', 'check-endpoint-tls', '--address', address]);
        expect(text.code, address).toBe(2);
        expect(text.stderr).toMatch(message);
        expect(text.stdout).not.toContain('Nothing to do');
        const json = await runCli(['run', 'check-endpoint-tls', '--address', address, '--json']);
        expect(json.code, address).toBe(2);
        expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringMatching(message) });
      }
    } finally {
      await plain.stop();
    }
  });
});
