// A client for the registry API (/v2/) of a distribution registry or of Harbor in front of
// one: anonymous, basic or bearer-token auth (the token realm named in WWW-Authenticate,
// as Harbor's /service/token), and pagination by `n`/`last`/`Link` where the server pages.
import { fail, refuse } from '../errors.ts';
import { parseJson } from './harbor-api.ts';
import { fetchFailure } from './harbor-ping.ts';
import { promptSecret, redact, registerSecret } from '../secrets.ts';
import { text, url, type Values } from '../flags.ts';

/** distribution's repository name grammar (reference/regexp.go): no `..`, no leading `/`. */
export const REPOSITORY_PATTERN = /[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*/;
export const TAG_PATTERN = /[\w][\w.-]{0,127}/;

const REGISTRY_URL = {
  help: "The registry API base (what serves /v2/): Harbor's URL, or the registry itself, e.g. http://127.0.0.1:5000.",
  example: 'https://harbor.example.com',
};
export const REGISTRY_FLAGS = {
  'registry-url': url(REGISTRY_URL),
  'registry-user': text({
    pattern: /[^\s:]+/,
    patternHelp: 'a user name without spaces or colons',
    help: 'User for the registry API (anonymous without it); the password comes from REGISTRY_PASSWORD or a prompt.',
  }),
};
export type RegistryValues = Values<typeof REGISTRY_FLAGS>;
/** The same, for a playbook that works only through the registry API. */
export const REGISTRY_FLAGS_REQUIRED = { ...REGISTRY_FLAGS, 'registry-url': url({ ...REGISTRY_URL, required: true }) };

/** Media types a manifest HEAD/GET accepts, so the registry answers with the stored digest. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
].join(', ');

export interface RegistryResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface RegistryClient {
  baseUrl: string;
  request(method: string, path: string, init?: { accept?: string; timeoutMs?: number }): Promise<RegistryResponse>;
  /** Every repository, following `Link` pages of `pageSize`; each page's request gives up after `timeoutMs` (60 s). */
  catalog(pageSize?: number, timeoutMs?: number): Promise<string[]>;
  /** Every tag of a repository: one answer on distribution 2.x, `Link` pages on distribution 3 and Harbor 2. */
  tags(repository: string, options?: { pageSize?: number; timeoutMs?: number; onPage?: (count: number) => void }): Promise<string[]>;
  /** Refuses (exit 2) unless GET /v2/ answers 200 with these credentials. */
  check(): Promise<void>;
  /** The challenge GET /v2/ answers without credentials (WWW-Authenticate), empty when it needs none. */
  anonymousChallenge(): Promise<string>;
  /** HEAD of a manifest: the status and, when it exists, its digest. */
  manifest(repository: string, reference: string, timeoutMs?: number): Promise<{ status: number; digest?: string }>;
}

/** An http(s) URL without credentials in it, or a refusal naming the flag. */
export function httpUrl(raw: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(`${flag} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`${flag} must be http:// or https://`);
  if (url.username || url.password) throw refuse(`${flag} must not carry credentials; pass the user as an option and the password in the environment`);
  return url;
}

export class RegistryHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A request the registry did not answer: refused, unreachable, or no answer within its time. */
export class RegistryUnansweredError extends Error {
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean) {
    super(message);
    this.timedOut = timedOut;
  }
}

/** The next page from a `Link: <...>; rel="next"` header, resolved against the page it came on. */
function nextLink(headers: Headers, page: string): string | undefined {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(headers.get('link') ?? '');
  return match ? new URL(match[1]!, page).toString() : undefined;
}

/** Names from a registry or its storage made safe for a terminal: control characters (escape sequences) shown as \xNN. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `key` of a JSON answer as a list of names, or a clear failure naming the request (never a parser's message). */
function nameList(body: string, key: string, request: string): string[] {
  const parsed = parseJson(body, request, 'a registry API');
  const items = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[key] : undefined;
  if (items === null || items === undefined) return [];
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string'))
    throw fail(`${request} answered JSON whose "${key}" is not a list of names; is this a registry API?`);
  return items;
}

function challenge(header: string): { scheme: string; params: Record<string, string> } {
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const params: Record<string, string> = {};
  for (const match of rest.join(' ').matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return { scheme: scheme.toLowerCase(), params };
}

/** Reads --registry-url / --registry-user and REGISTRY_PASSWORD; undefined without --registry-url. */
export async function registryClient(values: RegistryValues): Promise<RegistryClient | undefined> {
  if (typeof values['registry-url'] !== 'string') return undefined;
  const url = httpUrl(values['registry-url'], '--registry-url');
  const baseUrl = url.origin + url.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  const user = values['registry-user'];
  let basic: string | undefined;
  if (user) {
    const password = process.env.REGISTRY_PASSWORD ?? (await promptSecret(`Registry password for ${user}: `)) ?? '';
    registerSecret(password);
    basic = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  }
  const tokens = new Map<string, string>();
  // The last authorization that worked: a token for one repository serves its next requests too.
  let current: string | undefined;

  const token = async (params: Record<string, string>): Promise<string> => {
    const key = params.scope ?? '';
    const cached = tokens.get(key);
    if (cached) return cached;
    const realm = httpUrl(params.realm ?? '', 'the token realm');
    for (const name of ['service', 'scope'] as const) if (params[name]) realm.searchParams.set(name, params[name]);
    const response = await fetch(realm, { headers: basic ? { authorization: basic } : {}, signal: AbortSignal.timeout(30_000) }).catch((error: unknown) => {
      // The registry answered; what cannot be reached is the token service it sends clients to.
      throw new RegistryHttpError(0, `its token service ${realm.origin}${realm.pathname} cannot be reached: ${fetchFailure(error)}`);
    });
    if (response.status === 401)
      throw new RegistryHttpError(
        401,
        `authentication failed (401): the token service ${realm.origin}${realm.pathname} refused ${user ? `user ${user} (check REGISTRY_PASSWORD)` : 'anonymous access (pass --registry-user and REGISTRY_PASSWORD)'}`,
      );
    if (!response.ok) throw new RegistryHttpError(response.status, `token service ${realm.origin}${realm.pathname} answered ${response.status}`);
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const value = `Bearer ${body.token ?? body.access_token ?? ''}`;
    registerSecret(body.token ?? body.access_token);
    tokens.set(key, value);
    return value;
  };

  const send = async (method: string, target: string, accept: string | undefined, timeoutMs: number, authorization?: string) =>
    fetch(target, {
      method,
      headers: { ...(accept ? { accept } : {}), ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((error: unknown) => {
      // fetch says "fetch failed" or "The operation was aborted due to timeout": say which request, and why.
      const timedOut = (error as Error).name === 'TimeoutError';
      const where = new URL(target);
      const reason = timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : fetchFailure(error);
      throw new RegistryUnansweredError(`${method} ${where.origin}${where.pathname}: ${reason}`, timedOut);
    });

  /** The authorization a 401 asks for: a bearer token from its realm, or our basic credentials. */
  const answerChallenge = async (response: Response): Promise<string | undefined> => {
    const asked = challenge(response.headers.get('www-authenticate') ?? '');
    if (asked.scheme === 'bearer') return token(asked.params);
    return asked.scheme === 'basic' ? basic : undefined;
  };

  const request: RegistryClient['request'] = async (method, path, init = {}) => {
    const target = path.startsWith('http') ? path : baseUrl + path;
    const timeoutMs = init.timeoutMs ?? 30_000;
    // Credentials and tokens go to --registry-url's origin only: a Link to another host
    // (however the registry came to send it) is followed anonymously.
    const ours = new URL(target).origin === url.origin;
    let response = await send(method, target, init.accept, timeoutMs, ours ? current : undefined);
    if (response.status === 401 && ours) {
      const header = await answerChallenge(response);
      if (header && header !== current) {
        // The 401's body is dropped only when the request is sent again: otherwise it is the answer.
        await response.arrayBuffer();
        response = await send(method, target, init.accept, timeoutMs, header);
        if (response.status !== 401) current = header;
      }
    }
    return { status: response.status, headers: response.headers, body: redact(method === 'HEAD' ? '' : await response.text()) };
  };

  const pages = async (first: string, key: 'repositories' | 'tags', timeoutMs: number, onPage?: (count: number) => void): Promise<string[]> => {
    const all: string[] = [];
    for (let next: string | undefined = first; next; ) {
      const response = await request('GET', next, { accept: 'application/json', timeoutMs });
      if (response.status !== 200) {
        const hint =
          response.status === 401 || response.status === 403
            ? user
              ? ` (user ${user} has no access to it)`
              : ' (anonymous: pass --registry-user and REGISTRY_PASSWORD)'
            : `: ${response.body.trim().slice(0, 200)}`;
        throw new RegistryHttpError(response.status, `GET ${new URL(next, baseUrl).pathname} answered ${response.status}${hint}`);
      }
      const items = nameList(response.body, key, `GET ${new URL(next, baseUrl).pathname}`);
      all.push(...items);
      onPage?.(all.length);
      const following = nextLink(response.headers, new URL(next, baseUrl + '/').toString());
      next = following && items.length > 0 ? following : undefined;
    }
    return all;
  };

  return {
    baseUrl,
    request,
    catalog: (pageSize = 100, timeoutMs = 60_000) => pages(`/v2/_catalog?n=${pageSize}`, 'repositories', timeoutMs),
    tags: (repository, options = {}) => pages(`/v2/${repository}/tags/list?n=${options.pageSize ?? 1000}`, 'tags', options.timeoutMs ?? 60_000, options.onPage),
    async check() {
      const response = await request('GET', '/v2/').catch((error: unknown) => {
        if (error instanceof RegistryHttpError) throw refuse(`the registry at ${baseUrl}: ${error.message}`);
        if (error instanceof RegistryUnansweredError) throw refuse(`cannot reach the registry at ${baseUrl}: ${error.message}`);
        throw refuse(`cannot reach the registry at ${baseUrl}: ${fetchFailure(error)}`);
      });
      if (response.status === 401)
        throw refuse(
          `authentication failed (401): the registry at ${baseUrl} refused ${user ? `user ${user} (check REGISTRY_PASSWORD)` : 'anonymous access (pass --registry-user and REGISTRY_PASSWORD)'}`,
        );
      if (response.status !== 200) throw refuse(`${baseUrl}/v2/ answered ${response.status}: not a registry API`);
    },
    async anonymousChallenge() {
      const response = await send('GET', `${baseUrl}/v2/`, undefined, 30_000);
      await response.arrayBuffer();
      return response.headers.get('www-authenticate') ?? '';
    },
    async manifest(repository, reference, timeoutMs) {
      const response = await request('HEAD', `/v2/${repository}/manifests/${encodeURIComponent(reference)}`, { accept: MANIFEST_ACCEPT, timeoutMs });
      return { status: response.status, digest: response.headers.get('docker-content-digest') ?? undefined };
    },
  };
}

/** A repository name as distribution accepts it, or a refusal (no `..`, no absolute paths). */
export function checkRepository(name: string, flag = '--repository'): string {
  if (!new RegExp(`^(?:${REPOSITORY_PATTERN.source})$`).test(name) || name.length > 255) {
    throw refuse(
      `${flag} ${JSON.stringify(name.slice(0, 80))} is not a repository name (lower-case path components like library/nginx; no "..", no leading "/")`,
    );
  }
  return name;
}

/** `library/*`, `build-*`, `v1.?`: shell-style globs for repository and tag names (`*` crosses "/"). */
export function globMatcher(glob: string): (name: string) => boolean {
  const regex = new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return (name) => regex.test(name);
}
