// Certificates made with the real `openssl` CLI in a temp dir, and real TLS servers on
// loopback that present them, for tests of what a client sees: a CA and an intermediate,
// server certificates that are valid, expired, not yet valid, self-signed, without any SAN
// or without an IP SAN, and a server that sends the full chain or its own certificate only.
// `openssl ca` signs everything because only it can set a start date in the past or future.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, createServer as createTlsServer, type Server } from 'node:tls';
import { $ } from 'zx';
import { freeLoopbackPort } from './net.ts';

/** PEM files of one certificate and its key. */
export interface CertFiles {
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  ca: CertFiles;
  /** A CA signed by `ca` that signs `viaIntermediate`. */
  intermediate: CertFiles;
  /** Signed by `ca`; SANs DNS:localhost and IP:127.0.0.1, valid from yesterday for 90 days. */
  valid: CertFiles;
  /** Signed by `intermediate`, same SANs and dates as `valid`. */
  viaIntermediate: CertFiles;
  /** Signed by `ca`, valid in 2020 only. */
  expired: CertFiles;
  /** Signed by `ca`, valid from 2099 on. */
  notYetValid: CertFiles;
  /** Signed by `ca`, valid for 5 more days. */
  expiringSoon: CertFiles;
  /** Its own issuer; SANs DNS:localhost and IP:127.0.0.1. */
  selfSigned: CertFiles;
  /** Signed by `ca`, CN=localhost and no subjectAltName at all (Go: "legacy Common Name field"). */
  noSan: CertFiles;
  /** Signed by `ca`, DNS:localhost only (Go, dialled by IP: "doesn't contain any IP SANs"). */
  noIpSan: CertFiles;
  /** Signed by `ca` for DNS:ingress.local only, like an ingress controller's default certificate. */
  ingressDefault: CertFiles;
  /** The chart's auto CA name: signed by a CA named harbor-ca, expired. */
  chartExpired: CertFiles;
  chartCa: CertFiles;
  remove(): void;
}

const LOCAL_SANS = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
const day = 24 * 3600 * 1000;
/** openssl ca's date format: YYYYMMDDHHMMSSZ. */
const asn1Time = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

/** Certificates made with `openssl` in one directory: `openssl ca` signs, so start and end dates can be in the past or future. */
export interface OpenSslCa {
  files(name: string): CertFiles;
  /** A self-signed CA valid from now for 365 days. */
  selfSignedCa(name: string, cn: string): Promise<CertFiles>;
  /** A self-signed CA (its own issuer) valid from `start` to `end`. */
  selfSignedCaFor(name: string, cn: string, start: Date, end: Date): Promise<CertFiles>;
  /** A new key's certificate signed by `issuer`, from `start` to `end`, with these extension lines. */
  sign(name: string, cn: string, issuer: CertFiles, start: Date, end: Date, extensions: string[]): Promise<CertFiles>;
  newKey(name: string): Promise<unknown>;
}

const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];

export function openSslCa(dir: string): OpenSslCa {
  const q = $({ quiet: true, cwd: dir });
  const files = (name: string): CertFiles => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) });
  // EC keys: as good as RSA for these checks and far quicker to make on a shared machine.
  const newKey = (name: string) => q`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${files(name).key}`;
  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const caConfig = join(dir, 'ca.cnf');
  writeFileSync(
    caConfig,
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/newcerts',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'email_in_dn = no',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  /** `openssl ca` over a new key's request: signed by `issuer`, or by the key itself (-selfsign). */
  const issue = async (name: string, cn: string, issuer: CertFiles | 'self', start: Date, end: Date, extensions: string[]) => {
    await newKey(name);
    const csr = join(dir, `${name}.csr`);
    await q`openssl req -new -key ${files(name).key} -out ${csr} -subj ${'/CN=' + cn}`;
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, extensions.join('\n') + '\n');
    const by = issuer === 'self' ? ['-selfsign', '-keyfile', files(name).key] : ['-cert', issuer.cert, '-keyfile', issuer.key];
    await q`openssl ca -batch -config ${caConfig} ${by} -in ${csr} -out ${files(name).cert} -startdate ${asn1Time(start)} -enddate ${asn1Time(end)} -extfile ${ext} -notext`;
    return files(name);
  };
  return {
    files,
    newKey,
    async selfSignedCa(name, cn) {
      await newKey(name);
      await q`openssl req -x509 -new -key ${files(name).key} -out ${files(name).cert} -days 365 -subj ${'/CN=' + cn} -addext ${CA_EXTENSIONS[0]} -addext ${CA_EXTENSIONS[1]}`;
      return files(name);
    },
    selfSignedCaFor: (name, cn, start, end) => issue(name, cn, 'self', start, end, CA_EXTENSIONS),
    sign: (name, cn, issuer, start, end, extensions) => issue(name, cn, issuer, start, end, extensions),
  };
}

export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-tls-'));
  const { files, newKey, selfSignedCa, sign } = openSslCa(dir);
  const q = $({ quiet: true, cwd: dir });

  const now = Date.now();
  const from = new Date(now - day);
  const until = new Date(now + 90 * day);
  const server = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'];
  const ca = await selfSignedCa('ca', 'hkb-test-ca');
  const chartCa = await selfSignedCa('chart-ca', 'harbor-ca');
  const intermediate = await sign('intermediate', 'hkb-test-intermediate', ca, from, until, [
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const valid = await sign('valid', 'localhost', ca, from, until, [...server, LOCAL_SANS]);
  const viaIntermediate = await sign('via-intermediate', 'localhost', intermediate, from, until, [...server, LOCAL_SANS]);
  const expired = await sign('expired', 'localhost', ca, new Date('2020-01-01T00:00:00Z'), new Date('2020-12-31T00:00:00Z'), [...server, LOCAL_SANS]);
  const notYetValid = await sign('not-yet-valid', 'localhost', ca, new Date('2099-01-01T00:00:00Z'), new Date('2099-12-31T00:00:00Z'), [...server, LOCAL_SANS]);
  const expiringSoon = await sign('expiring-soon', 'localhost', ca, from, new Date(now + 5 * day), [...server, LOCAL_SANS]);
  const noSan = await sign('no-san', 'localhost', ca, from, until, server);
  const noIpSan = await sign('no-ip-san', 'localhost', ca, from, until, [...server, 'subjectAltName=DNS:localhost']);
  const ingressDefault = await sign('ingress-default', 'ingress.local', ca, from, until, [...server, 'subjectAltName=DNS:ingress.local']);
  const chartExpired = await sign('chart-expired', 'localhost', chartCa, new Date('2020-01-01T00:00:00Z'), new Date('2020-12-31T00:00:00Z'), [
    ...server,
    LOCAL_SANS,
  ]);
  await newKey('self-signed');
  const selfSigned = files('self-signed');
  await q`openssl req -x509 -new -key ${selfSigned.key} -out ${selfSigned.cert} -days 90 -subj /CN=localhost -addext ${LOCAL_SANS}`;
  return {
    dir,
    ca,
    intermediate,
    valid,
    viaIntermediate,
    expired,
    notYetValid,
    expiringSoon,
    selfSigned,
    noSan,
    noIpSan,
    ingressDefault,
    chartExpired,
    chartCa,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The PEM a server presents: its certificate, then the chain files given (e.g. the intermediate). */
export function presentedChain(leaf: CertFiles, ...chain: CertFiles[]): string {
  return [leaf, ...chain].map((files) => readFileSync(files.cert, 'utf8').trim()).join('\n') + '\n';
}

export interface TlsTestServer {
  port: number;
  stop(): Promise<void>;
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * A TLS server on 127.0.0.1 that presents `leaf` plus `chain` (leave `chain` empty to send the
 * leaf only), finishes the handshake and closes the connection. `byServerName` picks another
 * certificate for the SNI name a client sends, as an ingress does per host; `leaf` is then the default.
 */
export async function startTlsServer(leaf: CertFiles, chain: CertFiles[] = [], byServerName: Record<string, CertFiles> = {}): Promise<TlsTestServer> {
  const contexts = new Map(
    Object.entries(byServerName).map(([name, files]) => [name, createSecureContext({ key: readFileSync(files.key), cert: presentedChain(files) })]),
  );
  const server = createTlsServer(
    { key: readFileSync(leaf.key), cert: presentedChain(leaf, ...chain), SNICallback: (name, done) => done(null, contexts.get(name)) },
    (socket) => socket.end(),
  );
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, stop: () => closeServer(server) };
}

/**
 * A TLS-terminating reverse proxy on 127.0.0.1 (`port`, or a free one) that forwards every
 * request over plain HTTP to `target`, as an nginx or load balancer in front of Harbor does.
 */
export async function startHttpsProxy(target: string, leaf: CertFiles, chain: CertFiles[] = [], port?: number): Promise<TlsTestServer> {
  const server = createHttpsServer({ key: readFileSync(leaf.key), cert: presentedChain(leaf, ...chain) }, (incoming, outgoing) => {
    const forward = httpRequest(
      `${target}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  const listenPort = port ?? (await freeLoopbackPort());
  // A port taken meanwhile must fail this call (EADDRINUSE), not throw later outside the test.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: listenPort,
    stop: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive sockets would hold close() open
      return closed;
    },
  };
}

/**
 * A backend whose configuration names the port of the proxy in front of it (a token realm), then
 * that proxy: the port is chosen before either listens, so when another process takes it in
 * between, both are started again on another one.
 */
export async function behindHttpsProxyPort<B extends { url: string; stop(): Promise<void> }>(
  backendFor: (proxyPort: number) => Promise<B>,
  leaf: CertFiles,
): Promise<{ backend: B; proxy: TlsTestServer }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const backend = await backendFor(port);
    try {
      return { backend, proxy: await startHttpsProxy(backend.url, leaf, [], port) };
    } catch (error) {
      await backend.stop();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}
