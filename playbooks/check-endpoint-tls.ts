// "x509: certificate signed by unknown authority", "doesn't contain any IP SANs", "certificate is
// valid for ingress.local, not ..." (content/issues/en/docker-client-x509-unknown-authority.mdx):
// one TLS handshake with the registry address exactly as clients type it, judged the way Go
// clients judge it (src/checks/tls-endpoint.ts), and the page's trust commands per client.
// Read-only: it changes nothing, here or on the server.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { pageSection, planFinding, seeSection } from '../src/checks/finding.ts';
import { checkTlsEndpoint, type ChainCertificate } from '../src/checks/tls-endpoint.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { integer, path, text } from '../src/playbook/flags.ts';

/** host[:port], [v6]:port or https://host[:port]/…, as docker login takes it; the port defaults to 443. */
export function parseAddress(address: string): { host: string; port: number } {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
  if (!URL.canParse(url)) throw refuse(`--address ${JSON.stringify(address)} is not a host, host:port or https URL`);
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') throw refuse(`--address ${JSON.stringify(address)}: only https endpoints have a certificate to check`);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw refuse('--address has no host');
  // URL accepts :0, which no server listens on; dialling it fails with an error that does not say so.
  if (parsed.port === '0') throw refuse(`--address ${JSON.stringify(address)}: port 0 is no port a client can dial`);
  return { host, port: parsed.port ? Number(parsed.port) : 443 };
}

const LOOK = pageSection('docker-client-x509-unknown-authority', '1. Look at what the endpoint really serves');

function chainLine(certificate: ChainCertificate, index: number): string {
  const from = certificate.inTrustStore ? ', in the trust store' : '';
  const names = certificate.subjectAltName ? `, SANs ${certificate.subjectAltName}` : ', no SANs';
  return `  ${index} ${certificate.subject.replace(/\n/g, ', ')} (issuer ${certificate.issuer.replace(/\n/g, ', ')}${names}, ${certificate.validFrom.toISOString()} – ${certificate.validTo.toISOString()}${from})`;
}

export const checkEndpointTls = definePlaybook({
  name: 'check-endpoint-tls',
  title: "Check a registry endpoint's TLS certificate the way docker sees it",
  summary:
    'Connects to the address clients use and reports the chain the server sends (complete or not, trusted by this host or --ca-file), the SANs against the name or IP dialled, expired, not-yet-valid and self-signed certificates, one line per finding with the page step to read, then the trust commands for Docker, podman, containerd and the OS store. Any Harbor release; changes nothing.',
  remediates: ['docker-client-x509-unknown-authority'],
  flags: {
    address: text({
      required: true,
      pattern: /\S+/,
      patternHelp: 'host, host:port or https://host:port',
      help: 'The registry address exactly as clients type it (docker login <address>); port 443 when none is given.',
      example: 'harbor.example.com:8443',
    }),
    'ca-file': path({ help: 'PEM file of the CA (and intermediates) clients should trust, checked besides the system store.', example: 'ca.crt' }),
    'expiring-within': integer({ default: 30, min: 0, max: 3650, help: 'Warn about certificates that expire within this many days.' }),
  },
  targets: ['direct'],
  targetNote: 'it dials --address from this host, as a client does, wherever Harbor runs',
  mutates: false,
  requires: [],
  async plan(context) {
    const { values, report } = context;
    const { host, port } = parseAddress(values.address);
    let caPem: string | undefined;
    if (values['ca-file']) {
      try {
        caPem = readFileSync(values['ca-file'], 'utf8');
      } catch (error) {
        throw refuse(`--ca-file ${values['ca-file']} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw refuse(`--ca-file ${values['ca-file']} holds no PEM certificate`);
    }
    const tls = await checkTlsEndpoint({ host, port, caPem, expiringWithinDays: values['expiring-within'] });
    // No certificate read is no verdict: not "Nothing to do" (exit 0) but an unreachable host (exit 2).
    if (tls.unreachable) throw refuse(`${tls.unreachable}; no certificate was read, nothing was checked (${seeSection(LOOK)})`);
    if (tls.chain.length > 0) {
      report.info(`${host}:${port} presents (leaf first; issuers the server did not send come from the trust store):`);
      for (const [index, certificate] of tls.chain.entries()) report.info(chainLine(certificate, index));
      report.info(
        `chain ${tls.complete ? 'complete up to a self-signed root' : 'incomplete: it stops before a root'}; ${tls.trusted ? 'trusted' : 'not trusted'} by ${caPem ? 'this host or --ca-file' : 'this host'}${tls.verifyError ? ` (OpenSSL: ${tls.verifyError})` : ''}${isIP(host) ? `; dialled by IP ${host}` : ''}`,
      );
    }
    const findings = tls.findings.map(planFinding);
    for (const { client, commands } of tls.trustCommands) {
      findings.push({ level: 'info', message: `to trust the CA (ca.crt) on ${client}: ${commands.join(' && ')}` });
    }
    return {
      findings,
      steps: [],
      facts: { host, port, trusted: tls.trusted, complete: tls.complete, verifyError: tls.verifyError, chain: tls.chain, trustCommands: tls.trustCommands },
    };
  },
});
