// Re-issuing the chart's certificates with openssl for check-chart-certificates: in a private
// temp dir, removed afterwards, with the same CN and SANs and the key the secret already has; the
// signer is the certificate itself (the token certificate is its own CA), the CA whose key the
// secret holds (ca.key, never the chart's doing), or a new CA of the same name.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateMatchesKey, decodeData as decode, type ChartCertificate, type SecretObject } from '../../src/checks/chart-certificates.ts';
import { commonName } from '../../src/checks/tls-endpoint.ts';
import { runChecked, type Command } from '../../src/playbook/platform/commands.ts';

const encode = (value: string) => Buffer.from(value).toString('base64');

/** OpenSSL's subjectAltName text ("DNS:a, IP Address:10.0.0.5") as an extension line (subjectAltName = DNS:a,IP:10.0.0.5). */
function sanExtension(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return [
    `subjectAltName = ${subjectAltName
      .split(/,\s*/)
      .map((entry) => entry.replace(/^IP Address:/, 'IP:'))
      .join(',')}`,
  ];
}

const subject = (cn: string) => `/CN=${cn.replace(/[/\\]/g, '\\$&')}`;
const serial = () => `0x${randomBytes(16).toString('hex')}`;
// Written "name = value": OpenSSL takes it so, and output redaction does not read keyUsage=… as a secret named KEY.
const CA_EXTENSIONS = ['-addext', 'basicConstraints = critical,CA:TRUE', '-addext', 'keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign'];
/** What the chart's genSignedCert issues: a server and client certificate. */
const LEAF_EXTENSIONS = ['basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth,clientAuth'];

/** One secret's renewal: the certificate's CA (kept or new), what openssl runs, and the data it ends with. */
export interface Renewal {
  judged: ChartCertificate;
  /** The CA group: the old CA's fingerprint, shared by the secrets one new CA replaces. */
  group: string;
  /** Who signs the new certificate: its own key (the token certificate), the CA whose key the secret holds (ca.key), or a new CA. */
  signer: 'itself' | 'kept CA' | 'new CA';
  commands: string[];
}

/** The CA's private key when the secret holds it (ca.key) and it belongs to the CA certificate beside the certificate. */
function caKeyOf(secret: SecretObject | undefined, judged: ChartCertificate): string | undefined {
  const data = secret?.data ?? {};
  if (!data['ca.key'] || !judged.caField) return undefined;
  const key = decode(data['ca.key']);
  try {
    return certificateMatchesKey(decode(data[judged.caField]), key) ? key : undefined;
  } catch {
    return undefined;
  }
}

export function signerOf(secret: SecretObject | undefined, judged: ChartCertificate): Renewal['signer'] {
  if (judged.ownCa) return 'itself';
  return caKeyOf(secret, judged) ? 'kept CA' : 'new CA';
}

/** The openssl lines of the plan, as text (keys stay in a private temp dir while they run). */
export function renewalPreview(judged: ChartCertificate, signer: Renewal['signer'], days: number): string[] {
  const cn = commonName(judged.certificate.subject);
  if (signer === 'itself') return [`openssl req -x509 -new -key <tls.key of ${judged.secret}> -subj ${subject(cn)} -days ${days} ${CA_EXTENSIONS.join(' ')}`];
  return [
    `openssl req -new -key <tls.key of ${judged.secret}> -subj ${subject(cn)}`,
    `openssl x509 -req -CA <${signer === 'kept CA' ? `${judged.caField} and ca.key of ${judged.secret}` : `new ${judged.ca?.subject ?? 'CA'}`}> -days ${days} -extfile <${[...LEAF_EXTENSIONS, ...sanExtension(judged.certificate.subjectAltName)].join('; ')}>`,
  ];
}

/** openssl arguments that make a new self-signed CA certificate for an existing key (same key, new dates). */
function resignArgs(key: string, caSubject: string, days: number, out: string): string[] {
  return ['req', '-x509', '-new', '-key', key, '-subj', caSubject, '-days', String(days), '-set_serial', serial(), ...CA_EXTENSIONS, '-out', out];
}

/**
 * Writes the CA that signs a group's certificates to `ca`: the secret's own CA when it holds the
 * key (its certificate re-signed by that key if it expired), else a new CA of the same name.
 */
async function signingCa(
  openssl: (args: readonly string[]) => Promise<string>,
  ca: { cert: string; key: string },
  caKey: string | undefined,
  judged: ChartCertificate,
  data: Record<string, string>,
  days: number,
): Promise<void> {
  const caSubject = subject(commonName(judged.ca?.subject ?? judged.certificate.issuer));
  if (caKey && judged.caField) {
    writeFileSync(ca.key, caKey, { mode: 0o600 });
    writeFileSync(ca.cert, decode(data[judged.caField]));
    if (judged.ca && judged.ca.validTo > new Date()) return;
    await openssl(resignArgs(ca.key, caSubject, days, ca.cert));
    return;
  }
  await openssl([
    'req',
    '-x509',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-subj',
    caSubject,
    '-days',
    String(days),
    ...CA_EXTENSIONS,
  ]);
}

/** Makes new certificates for `renewals` in a private temp dir; returns each secret's new data. Changes nothing in the cluster. */
export async function issue(renewals: readonly Renewal[], live: ReadonlyMap<string, SecretObject>, days: number): Promise<Map<string, Record<string, string>>> {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-chart-certs-'));
  const openssl = (args: readonly string[]) => runChecked({ argv: ['openssl', ...args] } satisfies Command);
  const file = (name: string, content?: string) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  try {
    const newCas = new Map<string, { cert: string; key: string }>();
    const result = new Map<string, Record<string, string>>();
    for (const [index, { judged, group, signer }] of renewals.entries()) {
      const data = { ...live.get(judged.secret)?.data };
      const key = file(`${index}.key`, decode(data['tls.key']));
      const cn = commonName(judged.certificate.subject);
      const cert = file(`${index}.crt`);
      if (signer === 'itself') {
        await openssl(resignArgs(key, subject(cn), days, cert));
        result.set(judged.secret, { ...data, 'tls.crt': encode(readFileSync(cert, 'utf8')) });
        continue;
      }
      let ca = newCas.get(group);
      if (!ca) {
        ca = { cert: file(`ca-${newCas.size}.crt`), key: file(`ca-${newCas.size}.key`) };
        await signingCa(openssl, ca, signer === 'kept CA' ? caKeyOf(live.get(judged.secret), judged) : undefined, judged, data, days);
        newCas.set(group, ca);
      }
      const csr = file(`${index}.csr`);
      const extensions = file(`${index}.ext`, [...LEAF_EXTENSIONS, ...sanExtension(judged.certificate.subjectAltName)].join('\n') + '\n');
      await openssl(['req', '-new', '-key', key, '-subj', subject(cn), '-out', csr]);
      await openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        ca.cert,
        '-CAkey',
        ca.key,
        '-set_serial',
        serial(),
        '-days',
        String(days),
        '-extfile',
        extensions,
        '-out',
        cert,
      ]);
      const caPem = readFileSync(ca.cert, 'utf8');
      result.set(judged.secret, { ...data, 'tls.crt': encode(readFileSync(cert, 'utf8')), ...(judged.caField ? { [judged.caField]: encode(caPem) } : {}) });
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
