// Where a registry (or Harbor) sends clients to log in: GET /v2/ at the address clients use,
// read the WWW-Authenticate challenge, and compare the Bearer realm's scheme, host, port and
// path with the external URL Harbor should announce. Page: proxy-external-url-token-realm-mismatch.
//
// Like the page's `curl -sk`, the request does not judge the server's certificate (that is
// src/checks/tls-endpoint.ts's job) and sends no credentials.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pageSection, type CheckFinding } from './finding.ts';

const PAGE = 'proxy-external-url-token-realm-mismatch';
const READ = pageSection(PAGE, '1. Read the realm Harbor announces');
const SET = pageSection(PAGE, '2. Set the external URL to what clients type');

export interface TokenRealmOptions {
  /** The registry address exactly as clients use it, e.g. https://harbor.example.com:8443. */
  url: string;
  /** The URL the realm should start with (Harbor's external URL); default: the origin of `url`. */
  expected?: string;
  timeoutMs?: number;
}

export interface AuthChallenge {
  /** "Bearer" or "Basic" as the server spelt it. */
  scheme: string;
  /** realm, service, scope... with quotes removed. */
  params: Record<string, string>;
}

export interface ExternalUrlChange {
  install: 'compose' | 'compose 1.5-1.7' | 'helm';
  commands: string[];
}

export interface TokenRealmReport {
  status: number | undefined;
  challenge: AuthChallenge | undefined;
  findings: CheckFinding[];
  /** Why /v2/ gave no answer at all (nothing listens, unknown host, TLS failure): then no realm was read. */
  unreachable: string | undefined;
  /** The value for harbor.yml external_url / the chart's externalURL, when the realm is wrong. */
  externalUrl: string | undefined;
  changes: ExternalUrlChange[];
}

/** The first challenge of a WWW-Authenticate header: `Bearer realm="...",service="..."`. */
export function parseChallenge(header: string): AuthChallenge | undefined {
  const scheme = /^\s*([A-Za-z][\w-]*)\s*/.exec(header);
  if (!scheme) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(scheme[0].length).matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
  }
  return { scheme: scheme[1]!, params };
}

/** <url>/v2/ as requested: below the URL's path, without its query or fragment (http://h/?x=1 → http://h/v2/). */
export function v2Url(url: string): URL {
  const base = new URL(url);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL('v2/', base);
}

function getV2(target: URL, timeoutMs: number): Promise<{ status: number; authenticate: string | undefined }> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      { method: 'GET', rejectUnauthorized: false, timeout: timeoutMs, headers: { 'user-agent': 'harbor-kb-check' } },
      (answer) => {
        answer.resume();
        const authenticate = answer.headers['www-authenticate'];
        resolve({ status: answer.statusCode ?? 0, authenticate: Array.isArray(authenticate) ? authenticate[0] : authenticate });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const effectivePort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** scheme://host[:port][/path] without a trailing slash: what external_url / externalURL should say. */
export function externalUrlOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The page's step 2 for each install method. */
export function externalUrlChanges(externalUrl: string): ExternalUrlChange[] {
  const url = new URL(externalUrl);
  return [
    {
      install: 'compose',
      commands: [
        'cd <harbor-install-dir>',
        "grep -n 'external_url' harbor.yml",
        `# edit harbor.yml: external_url: ${externalUrl}`,
        '# (with no external_url, prepare builds the URL from hostname and the https/http port instead)',
        './prepare',
        'docker compose down',
        'docker compose up -d',
      ],
    },
    {
      install: 'compose 1.5-1.7',
      commands: [
        `# edit harbor.cfg: ui_url_protocol = ${url.protocol.slice(0, -1)} and hostname = ${url.host}`,
        './prepare',
        'docker-compose down',
        'docker-compose up -d',
      ],
    },
    {
      install: 'helm',
      commands: [
        `helm -n <namespace> upgrade <release> <chart> --reuse-values --set externalURL=${externalUrl}`,
        'kubectl -n <namespace> rollout status deployment/<release>-harbor-core',
      ],
    },
  ];
}

function realmFindings(realm: URL, expected: URL): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const clients = `clients use ${externalUrlOf(expected)}`;
  if (realm.protocol !== expected.protocol) {
    const why = expected.protocol === 'https:' ? ' (TLS ends at a proxy in front of Harbor, and the external URL does not say https)' : '';
    findings.push({ level: 'error', message: `the token realm uses ${realm.protocol.slice(0, -1)} but ${clients}${why}`, section: SET });
  }
  if (realm.hostname.toLowerCase() !== expected.hostname.toLowerCase()) {
    findings.push({
      level: 'error',
      message: `the token realm's host is ${realm.hostname} but ${clients}: the token request goes to another server`,
      section: SET,
    });
  }
  if (effectivePort(realm) !== effectivePort(expected)) {
    findings.push({
      level: 'error',
      message: `the token realm's port is ${effectivePort(realm)}${realm.port ? '' : ' (none written)'} but ${clients}: the token request goes to port ${effectivePort(realm)} ("connection refused" there)`,
      section: SET,
    });
  }
  const tokenPath = expected.pathname.replace(/\/+$/, '') + '/service/token';
  if (realm.pathname !== tokenPath) {
    findings.push({
      level: 'error',
      message: `the token realm's path is ${realm.pathname}, not ${tokenPath}: the token request reaches something that is not Harbor's token service ("unable to decode token response")`,
      section: SET,
    });
  }
  return findings;
}

export async function checkTokenRealm(options: TokenRealmOptions): Promise<TokenRealmReport> {
  const expected = new URL(options.expected ?? new URL(options.url).origin);
  const report = (findings: CheckFinding[], status?: number, challenge?: AuthChallenge): TokenRealmReport => {
    const wrong = findings.some((finding) => finding.level === 'error' && finding.section === SET);
    const externalUrl = wrong ? externalUrlOf(expected) : undefined;
    return { status, challenge, findings, unreachable: undefined, externalUrl, changes: externalUrl ? externalUrlChanges(externalUrl) : [] };
  };
  // Messages name the URL requested, not --url with /v2/ appended as text (http://h//v2/).
  const v2 = v2Url(options.url).href;
  let answer: Awaited<ReturnType<typeof getV2>>;
  try {
    answer = await getV2(new URL(v2), options.timeoutMs ?? 10_000);
  } catch (error) {
    const message = `GET ${v2} failed: ${error instanceof Error ? error.message : String(error)}`;
    return { ...report([{ level: 'error', message, section: READ }]), unreachable: message };
  }
  const { status, authenticate } = answer;
  if (status === 200) {
    return report(
      [
        {
          level: 'warn',
          message: `${v2} answers 200 without asking for credentials: no token realm to check (Harbor always asks)`,
          section: READ,
        },
      ],
      status,
    );
  }
  if (status !== 401) {
    return report(
      [
        {
          level: 'error',
          message: `${v2} answers HTTP ${status}, not a registry's 401: this address does not reach Harbor's /v2/`,
          section: READ,
        },
      ],
      status,
    );
  }
  const challenge = authenticate ? parseChallenge(authenticate) : undefined;
  if (!challenge) {
    return report([{ level: 'error', message: `${v2} answers 401 without a usable WWW-Authenticate header`, section: READ }], status);
  }
  if (challenge.scheme.toLowerCase() === 'basic') {
    const message = `${v2} asks for Basic auth (realm "${challenge.params.realm ?? ''}"): that is Harbor 2.x's internal registry, which clients never see; check the address clients use (nginx, ingress or proxy)`;
    return report([{ level: 'warn', message, section: READ }], status, challenge);
  }
  const realmText = challenge.params.realm;
  if (challenge.scheme.toLowerCase() !== 'bearer' || !realmText || !URL.canParse(realmText)) {
    return report([{ level: 'error', message: `${v2} challenge "${authenticate}" carries no Bearer realm URL`, section: READ }], status, challenge);
  }
  const findings = realmFindings(new URL(realmText), expected);
  if (findings.length === 0) {
    findings.push({
      level: 'ok',
      message: `the token realm ${realmText} matches the scheme, host and port clients use (${externalUrlOf(expected)})`,
      section: READ,
    });
  }
  return report(findings, status, challenge);
}
