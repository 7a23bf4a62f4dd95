// check-chart-certificates through the real CLI, with kubectl the shim of test/support/shim.ts
// over a fake cluster kept in a temp dir: `get secret` returns real secrets whose certificates
// openssl made (test/support/tls.ts openSslCa: the chart's CAs and leaves, expired in 2020 or
// valid now), and `replace`, `apply` and `rollout restart` change that store as the API server
// would (resourceVersion checked and bumped, restartedAt stamped).
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { checkRenewed } from './check-chart-certificates.ts';
import { judgeChartSecret } from '../src/checks/chart-certificates.ts';
import { runCli } from '../test/support/cli.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { treeHash } from '../test/support/registry.ts';
import { clusterObject, createShim, putClusterObject, type Shim } from '../test/support/shim.ts';
import { openSslCa, type CertFiles } from '../test/support/tls.ts';

const NS = 'harbor';
const PASSWORD = 'Harbor12345-admin-secret';
const Y2020 = [new Date('2020-01-01T00:00:00Z'), new Date('2020-12-31T00:00:00Z')] as const;
const LEAF = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth'];
const INTERNAL = ['hk-harbor-core-internal-tls', 'hk-harbor-jobservice-internal-tls', 'hk-harbor-trivy-internal-tls'];
/** The expired chart secrets, in kubectl's order (by name). */
const EXPIRED = [
  'hk-harbor-core',
  'hk-harbor-core-internal-tls',
  'hk-harbor-jobservice-internal-tls',
  'hk-harbor-notary-server',
  'hk-harbor-trivy-internal-tls',
];

interface Secret {
  metadata: { name: string; resourceVersion: string };
  data: Record<string, string>;
}
interface Workload {
  spec: { template: { metadata?: { annotations?: Record<string, string> } } };
}

let dir: string;
let pems: Record<string, CertFiles>;
const b64 = (path: string) => readFileSync(path).toString('base64');
const pem = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');

function tlsSecret(name: string, cert: CertFiles, ca: CertFiles | undefined, extra: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels: { release: 'hk', chart: 'harbor', heritage: 'Helm' } },
    type: ca ? 'kubernetes.io/tls' : 'Opaque',
    data: { 'tls.crt': b64(cert.cert), 'tls.key': b64(cert.key), ...(ca ? { 'ca.crt': b64(ca.cert) } : {}), ...extra },
  };
}

const workload = (kind: 'Deployment' | 'StatefulSet', name: string, secrets: string[]) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name },
  spec: { template: { spec: { volumes: secrets.map((secret, index) => ({ name: `v${index}`, secret: { secretName: secret } })) } } },
});

/** A namespace as chart 1.14 with internal TLS leaves it a year and more later, plus what is not the chart's. */
function makeCluster(): string {
  const cluster = mkdtempSync(join(dir, 'cluster-'));
  const put = (object: { metadata: { name: string } }, resource: 'secrets' | 'deployments' | 'statefulsets' = 'secrets') =>
    putClusterObject(cluster, NS, resource, object);
  put(
    tlsSecret('hk-harbor-core', pems.token!, undefined, {
      secret: Buffer.from('core-secret').toString('base64'),
      HARBOR_ADMIN_PASSWORD: Buffer.from(PASSWORD).toString('base64'),
    }),
  );
  put(tlsSecret('hk-harbor-core-internal-tls', pems.coreInternal!, pems.internalCa));
  put(tlsSecret('hk-harbor-jobservice-internal-tls', pems.jobserviceInternal!, pems.internalCa));
  put(tlsSecret('hk-harbor-trivy-internal-tls', pems.trivyInternal!, pems.internalCa));
  put(tlsSecret('hk-harbor-ingress', pems.ingress!, pems.harborCa));
  put(tlsSecret('my-own-tls', pems.own!, pems.internalCa));
  put(tlsSecret('hk-harbor-nginx', pems.companyNginx!, pems.companyCa));
  // A notary secret whose CA key someone kept beside it (the chart never does): signed again by that CA.
  put(tlsSecret('hk-harbor-notary-server', pems.signer!, pems.notaryCa, { 'ca.key': b64(pems.notaryCa!.key) }));
  put(workload('Deployment', 'hk-harbor-core', ['hk-harbor-core', 'hk-harbor-ingress', 'hk-harbor-core-internal-tls']), 'deployments');
  put(workload('Deployment', 'hk-harbor-jobservice', ['hk-harbor-jobservice-internal-tls']), 'deployments');
  put(workload('Deployment', 'hk-harbor-portal', ['hk-harbor-portal-internal-tls']), 'deployments');
  put(workload('Deployment', 'hk-harbor-notary-signer', ['hk-harbor-notary-server']), 'deployments');
  put(workload('StatefulSet', 'hk-harbor-trivy', ['hk-harbor-trivy-internal-tls']), 'statefulsets');
  return cluster;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-chart-certs-'));
  const ca = openSslCa(mkdtempSync(join(dir, 'pki-')));
  const now = Date.now();
  const [from, until] = [new Date(now - 24 * 3600 * 1000), new Date(now + 365 * 24 * 3600 * 1000)];
  const internalCa = await ca.selfSignedCaFor('internal-ca', 'harbor-internal-ca', ...Y2020);
  const harborCa = await ca.selfSignedCa('harbor-ca', 'harbor-ca');
  const companyCa = await ca.selfSignedCa('company-ca', 'my-company-ca');
  const notaryCa = await ca.selfSignedCa('notary-ca', 'harbor-notary-ca');
  pems = {
    notaryCa,
    signer: await ca.sign('signer', 'hk-harbor-notary-signer', notaryCa, ...Y2020, [...LEAF, 'subjectAltName=DNS:hk-harbor-notary-signer']),
    companyCa,
    companyNginx: await ca.sign('company-nginx', '10.0.0.5', companyCa, ...Y2020, [...LEAF, 'subjectAltName=IP:10.0.0.5']),
    internalCa,
    harborCa,
    token: await ca.selfSignedCaFor('token', 'harbor-token-ca', ...Y2020),
    coreInternal: await ca.sign('core-internal', 'hk-harbor-core', internalCa, ...Y2020, [
      ...LEAF,
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:hk-harbor-core',
    ]),
    jobserviceInternal: await ca.sign('js-internal', 'hk-harbor-jobservice', internalCa, ...Y2020, [...LEAF, 'subjectAltName=DNS:hk-harbor-jobservice']),
    trivyInternal: await ca.sign('trivy-internal', 'hk-harbor-trivy', internalCa, ...Y2020, [...LEAF, 'subjectAltName=DNS:hk-harbor-trivy']),
    ingress: await ca.sign('ingress', 'harbor.example.com', harborCa, from, until, [...LEAF, 'subjectAltName=DNS:harbor.example.com']),
    own: await ca.sign('own', 'my.example.com', internalCa, ...Y2020, [...LEAF, 'subjectAltName=DNS:my.example.com']),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Only the expired chart secrets changed: new certificates for the same names and keys, one new internal CA; openssl agrees. */
async function expectRenewedOnly(cluster: string, original: Record<string, Secret>): Promise<void> {
  // Untouched: the valid ingress certificate, and certificates that are not the chart's, expired or not.
  for (const name of ['hk-harbor-ingress', 'hk-harbor-nginx', 'my-own-tls'])
    expect(clusterObject<Secret>(cluster, NS, 'secrets', name)).toEqual(original[name]);
  // The token certificate: re-signed by its own key, the other keys of the secret kept.
  const core = clusterObject<Secret>(cluster, NS, 'secrets', 'hk-harbor-core')!;
  expect(core.data).toEqual({ ...original['hk-harbor-core']!.data, 'tls.crt': expect.any(String) });
  const token = new X509Certificate(pem(core.data['tls.crt']));
  expect(token.subject).toBe('CN=harbor-token-ca');
  expect(token.verify(token.publicKey)).toBe(true);
  expect(new Date(token.validTo).getTime()).toBeGreaterThan(Date.now() + 360 * 24 * 3600 * 1000);
  // The notary secret kept its CA and its key: the new certificate is signed by that same CA.
  const notary = clusterObject<Secret>(cluster, NS, 'secrets', 'hk-harbor-notary-server')!;
  const notaryBefore = original['hk-harbor-notary-server']!.data;
  expect([notary.data['ca.crt'], notary.data['ca.key'], notary.data['tls.key']]).toEqual([
    notaryBefore['ca.crt'],
    notaryBefore['ca.key'],
    notaryBefore['tls.key'],
  ]);
  expect(notary.data['tls.crt']).not.toBe(notaryBefore['tls.crt']);
  expect(new X509Certificate(pem(notary.data['tls.crt'])).verify(new X509Certificate(pem(notary.data['ca.crt'])).publicKey)).toBe(true);
  // Internal TLS: one new harbor-internal-ca for all three, same SANs, same keys; openssl agrees.
  const internal = INTERNAL.map((name) => clusterObject<Secret>(cluster, NS, 'secrets', name)!);
  const newCa = pem(internal[0]!.data['ca.crt']);
  expect(new X509Certificate(newCa).subject).toBe('CN=harbor-internal-ca');
  expect(newCa).not.toBe(pem(original[INTERNAL[0]!]!.data['ca.crt']));
  for (const [index, secret] of internal.entries()) {
    expect(pem(secret.data['ca.crt'])).toBe(newCa);
    expect(secret.data['tls.key']).toBe(original[INTERNAL[index]!]!.data['tls.key']);
    const before = new X509Certificate(pem(original[INTERNAL[index]!]!.data['tls.crt']));
    const after = new X509Certificate(pem(secret.data['tls.crt']));
    expect([after.subject, after.subjectAltName]).toEqual([before.subject, before.subjectAltName]);
    writeFileSync(join(dir, 'ca.pem'), newCa);
    writeFileSync(join(dir, 'leaf.pem'), pem(secret.data['tls.crt']));
    expect((await $({ quiet: true })`openssl verify -CAfile ${join(dir, 'ca.pem')} ${join(dir, 'leaf.pem')}`).stdout).toContain(': OK');
  }
}

/** The workloads that mount a renewed secret were restarted, and no other. */
function expectRestarted(cluster: string): void {
  // Restarted: the workloads that mount a renewed secret, and no other.
  const restarted = (resource: string, name: string) =>
    clusterObject<Workload>(cluster, NS, resource, name)?.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
  expect(restarted('deployments', 'hk-harbor-core')).toBeDefined();
  expect(restarted('deployments', 'hk-harbor-jobservice')).toBeDefined();
  expect(restarted('statefulsets', 'hk-harbor-trivy')).toBeDefined();
  expect(restarted('deployments', 'hk-harbor-portal')).toBeUndefined();
}

async function run(shim: Shim, args: string[]) {
  return runCli(['run', 'check-chart-certificates', '--namespace', NS, '--release', 'hk', ...args], { env: { PATH: shim.path } });
}

describe('check-chart-certificates', () => {
  let cluster: string;
  let shim: Shim;
  let backupDir: string;
  beforeAll(() => {
    cluster = makeCluster();
    shim = createShim({ cluster, otherwise: 'fail' });
    backupDir = mkdtempSync(join(dir, 'backup-'));
  });
  afterAll(() => shim.cleanup());

  it('dry-run lists every chart certificate with its expiry, says helm upgrade is the fix, and changes nothing', async () => {
    const before = treeHash(cluster);
    const result = await run(shim, ['--backup-dir', backupDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'secret hk-harbor-core (token signing certificate): CN=harbor-token-ca, issued by CN=harbor-token-ca, valid until 2020-12-31T00:00:00.000Z',
    );
    expect(result.stdout).toMatch(/secret hk-harbor-ingress \(ingress TLS\): CN=harbor\.example\.com, issued by CN=harbor-ca, valid until 20\d\d/);
    for (const name of EXPIRED) expect(result.stdout).toMatch(new RegExp(`x secret ${name}: server certificate .* expired on 2020-12-31`));
    expect(result.stdout).not.toMatch(/x secret hk-harbor-ingress/);
    expect(result.stdout).not.toContain('my-own-tls');
    expect(result.stdout).toContain('valid until 2020-12-31T00:00:00.000Z; ca.crt CN=my-company-ca until');
    expect(result.stdout).toContain("; not issued by one of the chart's CAs (my-company-ca): left alone here");
    expect(result.stdout).toContain(
      'the fix is to let the chart render new certificates: helm -n harbor upgrade hk <chart> --version <installed chart version>',
    );
    expect(result.stdout).toContain('(see /issues/helm-autogenerated-certs-expired/#fix, "3. Let the chart render new certificates")');
    expect(result.stdout).toContain(`the chart keeps no key of CN=harbor-internal-ca: ${INTERNAL.join(', ')} get a new CN=harbor-internal-ca`);
    expect(result.stdout).toContain('- secret hk-harbor-notary-server holds the key of its CA (ca.key): its certificate is signed again by that CA');
    expect(result.stdout).toContain('openssl x509 -req -CA <ca.crt and ca.key of hk-harbor-notary-server>');
    expect(result.stdout).toContain(`kubectl -n harbor get secret ${EXPIRED.join(' ')} -o yaml`);
    expect(result.stdout).toContain('kubectl -n harbor rollout restart statefulset/hk-harbor-trivy');
    expect(result.stdout).not.toContain('hk-harbor-portal');
    expect(result.stdout).toContain('Dry-run: nothing changed.');
    expect(result.stdout).not.toContain('PRIVATE KEY');
    expect(treeHash(cluster)).toBe(before);
    expect(shim.calls().every((call) => call[3] === 'get')).toBe(true);
  });

  it('--apply backs up, re-issues only the expired certificates, restarts what mounts them and verifies; a second apply has nothing to do', async () => {
    const original = Object.fromEntries(
      ['hk-harbor-ingress', 'hk-harbor-nginx', 'my-own-tls', ...EXPIRED].map((name) => [name, clusterObject<Secret>(cluster, NS, 'secrets', name)!]),
    );
    const result = await run(shim, ['--apply', '--yes', '--json', '--backup-dir', backupDir]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { backupPaths: string[]; changes: Array<{ changed: number; verified: string; restore?: string[] }> };
    expect(json.changes.map((change) => change.changed)).toEqual([5, 4]);
    expect(json.changes[0]!.verified).toMatch(/^read back, each valid now for its own key with its SANs: hk-harbor-core until /);
    expect(json.changes[1]!.verified).toBe(
      'deployment/hk-harbor-core, deployment/hk-harbor-jobservice, deployment/hk-harbor-notary-signer, statefulset/hk-harbor-trivy rolled out',
    );
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.stdout).not.toContain('PRIVATE KEY');

    await expectRenewedOnly(cluster, original);
    expectRestarted(cluster);

    const again = await run(shim, ['--apply', '--yes', '--backup-dir', backupDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do.');
    // Only the certificate that is not the chart's is still reported expired, and the chart's fix is not offered for it.
    expect(again.stdout.match(/^[x!] .*/gm)).toEqual([expect.stringMatching(/^x secret hk-harbor-nginx: server certificate 10\.0\.0\.5 expired/)]);

    // The printed restore puts the expired secrets back as they were.
    const restore = json.changes[0]!.restore!;
    expect(restore).toEqual([`kubectl -n harbor apply -f ${json.backupPaths[0]}`]);
    await $({ quiet: true, env: { ...process.env, PATH: shim.path } })`${restore[0]!.split(' ')}`;
    for (const name of EXPIRED) expect(clusterObject<Secret>(cluster, NS, 'secrets', name)!.data).toEqual(original[name]!.data);
  });

  it.each([
    [
      // Someone renewed the token certificate between the plan and the change: the re-read shows it valid.
      'is no longer expired',
      async (secret: Secret, renewed: string) => {
        const valid = await openSslCa(renewed).selfSignedCa('token', 'harbor-token-ca');
        secret.data['tls.crt'] = b64(valid.cert);
        secret.data['tls.key'] = b64(valid.key);
      },
      'secret hk-harbor-core is no longer expired (renewed meanwhile, e.g. by helm upgrade); nothing was changed',
    ],
    [
      // ... or put another certificate there, expired too: not the one the plan decided to re-sign by its own key.
      'holds another expired certificate',
      async (secret: Secret) => {
        secret.data['tls.crt'] = b64(pems.internalCa!.cert);
      },
      'secret hk-harbor-core holds another certificate or CA than the plan read; nothing was changed',
    ],
    [
      // ... or written it again, unchanged, after the backup was taken: the backup may not be what is replaced.
      'was written after the backup',
      async (secret: Secret) => {
        secret.metadata.resourceVersion = '2';
      },
      'secret hk-harbor-core changed after the backup was taken; nothing was changed, run again',
    ],
    [
      // ... or left something there that is no certificate at all: named, not a bare OpenSSL code.
      'holds no certificate',
      async (secret: Secret) => {
        secret.data['tls.crt'] = Buffer.from('garbage').toString('base64');
      },
      'secret hk-harbor-core: tls.crt is not a PEM certificate',
    ],
  ])('refuses the whole apply with nothing changed when a secret %s when re-read', async (_case, change, message) => {
    const fresh = makeCluster();
    const renewed = mkdtempSync(join(dir, 'renewed-'));
    const secrets = EXPIRED.map((name) => clusterObject<Secret>(fresh, NS, 'secrets', name)!);
    await change(secrets[0]!, renewed);
    writeFileSync(join(renewed, 'list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: secrets }));
    const racing = createShim({
      cluster: fresh,
      otherwise: 'fail',
      answers: [{ prefix: ['kubectl', '-n', NS, 'get', 'secret', ...EXPIRED, '-o', 'json'], file: join(renewed, 'list.json') }],
    });
    try {
      const before = treeHash(fresh);
      const result = await run(racing, ['--apply', '--yes', '--backup-dir', mkdtempSync(join(dir, 'backup-'))]);
      expect(result.code, result.stdout).toBe(2);
      expect(result.stderr).toContain(message);
      expect(treeHash(fresh)).toBe(before);
      expect(racing.calls().some((call) => call.includes('replace') || call.includes('rollout'))).toBe(false);
    } finally {
      racing.cleanup();
    }
  });

  it.each([
    // kubectl's own texts: RBAC refusing the second restart (the first one happened), and rollout status giving up (the restart step's verify).
    [
      'cannot all be restarted',
      ['restart', 'deployment/hk-harbor-jobservice'],
      'error: deployments.apps "hk-harbor-jobservice" is forbidden',
      [/^deployment\/hk-harbor-core restarted$/],
    ],
    [
      'do not roll out in time',
      ['status'],
      'error: timed out waiting for the condition',
      [/^restart what mounts the renewed secrets .*: .* restarted \(not verified\)$/],
    ],
  ])('exit 3 when the pods %s after the secrets changed: what changed, and a restore that works', async (_case, rollout, stderr, alsoChanged) => {
    const fresh = makeCluster();
    const original = Object.fromEntries(EXPIRED.map((name) => [name, clusterObject<Secret>(fresh, NS, 'secrets', name)!.data]));
    const stuck = createShim({
      cluster: fresh,
      otherwise: 'fail',
      answers: [{ prefix: ['kubectl', '-n', NS, 'rollout', ...rollout], stderr, exitCode: 1 }],
    });
    try {
      const result = await run(stuck, ['--apply', '--yes', '--json', '--backup-dir', mkdtempSync(join(dir, 'backup-'))]);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain(stderr);
      const json = JSON.parse(result.stdout) as { restore: string[]; changedBeforeFailure: string[]; backupPaths: string[] };
      expect(json.changedBeforeFailure).toEqual([
        expect.stringMatching(/^re-issue the expired certificates of .*: secrets .* replaced$/),
        ...alsoChanged.map((pattern) => expect.stringMatching(pattern)),
      ]);
      expect(json.restore).toEqual([`kubectl -n harbor apply -f ${json.backupPaths[0]}`]);
      expect(result.stderr).toContain(`to restore:\n  kubectl -n harbor apply -f ${json.backupPaths[0]}`);
      expect(clusterObject<Secret>(fresh, NS, 'secrets', 'hk-harbor-core')!.data['tls.crt']).not.toBe(original['hk-harbor-core']!['tls.crt']);
      await $({ quiet: true, env: { ...process.env, PATH: stuck.path } })`${json.restore[0]!.split(' ')}`;
      for (const name of EXPIRED) expect(clusterObject<Secret>(fresh, NS, 'secrets', name)!.data).toEqual(original[name]);
    } finally {
      stuck.cleanup();
    }
  });

  it('refuses a namespace without chart secrets and the other targets with exit 2', async () => {
    const empty = createShim({ cluster: mkdtempSync(join(dir, 'empty-')), otherwise: 'fail' });
    try {
      const none = await run(empty, []);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('no certificate secret of the chart in namespace harbor (looked for hk-harbor-ingress');
      const compose = await runCli(['run', 'check-chart-certificates', '--target', 'compose'], { env: { PATH: empty.path } });
      expect(compose.code).toBe(2);
      expect(compose.stderr).toContain('does not support the compose target (supported: k8s): the certificates it reads are the ones the Helm chart keeps');
    } finally {
      empty.cleanup();
    }
  });
});

describe('check-chart-certificates with secrets it cannot read', () => {
  it('a chart secret whose tls.crt is no certificate is a finding naming it; the other secrets are still judged', async () => {
    const cluster = makeCluster();
    const garbage = {
      ...tlsSecret('hk-harbor-ingress', pems.ingress!, pems.harborCa),
      data: { 'tls.crt': Buffer.from('garbage').toString('base64'), 'tls.key': '' },
    };
    putClusterObject(cluster, NS, 'secrets', garbage);
    const shim = createShim({ cluster, otherwise: 'fail' });
    try {
      const result = await run(shim, ['--json', '--backup-dir', mkdtempSync(join(dir, 'backup-'))]);
      expect(result.code, result.stderr).toBe(0);
      const findings = (JSON.parse(result.stdout) as { findings: { level: string; message: string }[] }).findings;
      expect(findings).toContainEqual(
        expect.objectContaining({
          level: 'problem',
          message: expect.stringMatching(/^secret hk-harbor-ingress: tls\.crt is not a PEM certificate \(.*no start line\)/),
        }),
      );
      // The others are judged as without it: the expired ones found and planned.
      for (const name of EXPIRED)
        expect(findings.map((finding) => finding.message)).toContainEqual(
          expect.stringMatching(new RegExp(`^secret ${name}: server certificate .* expired on 2020-12-31`)),
        );
      // Only unreadable and valid ones: nothing to change in what it read, but not everything was read (exit 1).
      const lone = mkdtempSync(join(dir, 'cluster-'));
      putClusterObject(lone, NS, 'secrets', garbage);
      const nginx = tlsSecret('hk-harbor-nginx', pems.ingress!, pems.harborCa);
      const badCa = { ...nginx, data: { ...nginx.data, 'ca.crt': '!!notbase64' } };
      putClusterObject(lone, NS, 'secrets', badCa);
      putClusterObject(lone, NS, 'secrets', tlsSecret('hk-harbor-core-internal-tls', pems.ingress!, pems.harborCa));
      const alone = createShim({ cluster: lone, otherwise: 'fail' });
      try {
        const unread = await run(alone, []);
        expect(unread.code, unread.stderr).toBe(1);
        expect(unread.stdout).toMatch(/x secret hk-harbor-ingress: tls\.crt is not a PEM certificate/);
        expect(unread.stdout).toMatch(/x secret hk-harbor-nginx: ca\.crt is not a PEM certificate/);
        expect(unread.stdout).toMatch(
          /- secret hk-harbor-core-internal-tls \(internal TLS of core\): CN=harbor\.example\.com, issued by CN=harbor-ca, valid until 20\d\d/,
        );
        expect(unread.stderr).toContain('could not read the certificates of hk-harbor-ingress, hk-harbor-nginx');
        expect(unread.stdout).not.toContain('Nothing to do');
      } finally {
        alone.cleanup();
      }
    } finally {
      shim.cleanup();
    }
  });

  it('a Kubernetes API that cannot be reached is refused with exit 2 in one line, like the other k8s playbooks', async () => {
    const port = await freeLoopbackPort();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}\n  name: none\ncontexts:\n- context: {cluster: none, user: nobody}\n  name: none\ncurrent-context: none\nusers:\n- name: nobody\n  user: {token: x}\n`,
    );
    // The real kubectl, pointed at a port where nothing listens.
    const result = await runCli(['run', 'check-chart-certificates', '--namespace', NS, '--release', 'hk', '--json'], { env: { KUBECONFIG: kubeconfig } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`cannot read the secrets of namespace harbor: kubectl exited 1:`);
    expect(result.stderr).toContain(`The connection to the server 127.0.0.1:${port} was refused`);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 2 });
  });
});

describe('the read-back after re-issuing (the verify)', () => {
  it('fails a certificate that is valid, for its key, with its SANs, but not signed by the ca.crt beside it', () => {
    const now = new Date();
    const before = judgeChartSecret(tlsSecret('hk-harbor-ingress', pems.ingress!, pems.harborCa), ['hk-harbor'], now, 0);
    expect(checkRenewed(tlsSecret('hk-harbor-ingress', pems.ingress!, pems.harborCa), before, now)).toBeUndefined();
    expect(checkRenewed(tlsSecret('hk-harbor-ingress', pems.ingress!, pems.companyCa), before, now)).toBe(
      'tls.crt is not signed by its ca.crt (CN=my-company-ca)',
    );
  });
});
