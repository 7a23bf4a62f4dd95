// A minimal client for Harbor's own REST API (basic auth). The base path is /api up to
// 1.10 and /api/v2.0 from 2.0 (api/v2.0/swagger.yaml, docs/swagger.yaml before 2.0, at each release tag).
import { fail, refuse } from '../errors.ts';
import { fetchFailure } from './harbor-ping.ts';
import { redact, registerSecret, promptSecret } from '../secrets.ts';
import { text, url, type Values } from '../flags.ts';

export const HARBOR_API_FLAGS = {
  'harbor-url': url({
    help: "Harbor's external URL, e.g. https://harbor.example.com; when given, Harbor's API is tried first.",
    example: 'https://harbor.example.com',
  }),
  'harbor-user': text({
    default: 'admin',
    pattern: /[^\s:]+/,
    patternHelp: 'a user name without spaces or colons',
    help: 'Harbor user for the API; the password comes from HARBOR_PASSWORD or a prompt.',
  }),
};
export type HarborApiValues = Values<typeof HARBOR_API_FLAGS>;

export interface HarborApi {
  baseUrl: string;
  request(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; body: string }>;
}

export function apiBasePath(harborMajor: number): string {
  return harborMajor >= 2 ? '/api/v2.0' : '/api';
}

/**
 * --harbor-url as a URL Harbor's API can be reached at, or undefined when it was not given.
 * Bad values are refused (exit 2) here, before any work is looked at, so that the same input is
 * refused whether or not there is something to do.
 */
export function harborUrl(values: HarborApiValues): URL | undefined {
  const raw = values['harbor-url'];
  if (typeof raw !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw refuse('--harbor-url is not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refuse('--harbor-url must be http:// or https://');
  if (parsed.username || parsed.password) throw refuse('--harbor-url must not carry credentials; use --harbor-user and HARBOR_PASSWORD');
  return parsed;
}

export async function harborApi(values: HarborApiValues, harborMajor: number): Promise<HarborApi | undefined> {
  const parsed = harborUrl(values);
  if (!parsed) return undefined;
  const user = values['harbor-user'];
  const password = process.env.HARBOR_PASSWORD ?? (await promptSecret(`Harbor password for ${user}: `)) ?? '';
  registerSecret(password);
  const authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const baseUrl = parsed.origin + parsed.pathname.replace(/\/$/, '') + apiBasePath(harborMajor);
  return {
    baseUrl,
    async request(method, path, body, timeoutMs = 30_000) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: unknown) => {
        if ((error as Error).name === 'TimeoutError') {
          // Named a TimeoutError still, so a caller may read it as one (tag-scan reports it per
          // repository, with --timeout); anywhere else its message is the run's reason.
          const unanswered = refuse(`${method} ${baseUrl}${path}: Harbor's API gave no answer within ${Math.round(timeoutMs / 1000)} s`);
          unanswered.name = 'TimeoutError';
          throw unanswered;
        }
        // fetch says only "fetch failed"; the reason (refused, host not found) is its cause.
        throw refuse(`${method} ${baseUrl}${path}: Harbor's API cannot be reached: ${fetchFailure(error)}`);
      });
      return { status: response.status, body: redact(await response.text()) };
    },
  };
}

/** A JSON answer, or a clear failure naming the request and who answered (never the parser's message). */
export function parseJson(body: string, request: string, source: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw fail(`${request} answered something that is not JSON; is this ${source}?`);
  }
}

/** A JSON list from Harbor's API (null reads as empty), or a clear failure. */
export function jsonList<T>(body: string, request: string): T[] {
  const parsed = parseJson(body, request, "Harbor's API");
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw fail(`${request} answered JSON that is not a list; is this Harbor's API?`);
  return parsed as T[];
}
