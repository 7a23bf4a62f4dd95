// A stand-in for a few of Harbor's own API routes, for the registry and API playbook tests.
// Every route it serves is listed in ROUTES with the swagger path and the status codes it can
// answer; harbor-stand-in.test.ts checks them, and the X-Total-Count / Link headers of paged
// lists, against Harbor's swagger files in test/fixtures/harbor-api/. Data lives in memory.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { freeLoopbackPort } from './net.ts';

export interface StandInRoute {
  major: 1 | 2;
  method: 'GET' | 'DELETE';
  /** The path as the swagger file spells it (relative to the base path). */
  swaggerPath: string;
  statuses: number[];
  /** Statuses Harbor's source answers although the swagger file does not declare them (each with where). */
  undeclared?: { status: number; source: string }[];
  paged?: boolean;
  /** 2.x: the first release that serves the route (its swagger file is checked too). */
  since?: '2.3';
}

/** 1.x core serves /api/ping outside its swagger file (core/router.go); 2.x documents /ping. */
export const UNDOCUMENTED_IN_1X = ['/ping'];

export const ROUTES: readonly StandInRoute[] = [
  { major: 1, method: 'GET', swaggerPath: '/ping', statuses: [200] },
  { major: 1, method: 'GET', swaggerPath: '/projects', statuses: [200], paged: true },
  { major: 1, method: 'GET', swaggerPath: '/repositories', statuses: [200, 404], paged: true },
  { major: 1, method: 'GET', swaggerPath: '/repositories/{repo_name}/tags', statuses: [200, 500] },
  {
    major: 1,
    method: 'GET',
    swaggerPath: '/repositories/{repo_name}/tags/{tag}',
    statuses: [200],
    undeclared: [{ status: 404, source: 'src/core/api/repository.go GetTag at v1.10.18' }],
  },
  { major: 1, method: 'DELETE', swaggerPath: '/repositories/{repo_name}/tags/{tag}', statuses: [200, 401, 404] },
  { major: 1, method: 'GET', swaggerPath: '/users/current', statuses: [200, 401] },
  { major: 2, method: 'GET', swaggerPath: '/ping', statuses: [200] },
  { major: 2, method: 'GET', swaggerPath: '/repositories', statuses: [200], paged: true, since: '2.3' },
  { major: 2, method: 'GET', swaggerPath: '/projects', statuses: [200], paged: true },
  { major: 2, method: 'GET', swaggerPath: '/projects/{project_name}/repositories', statuses: [200, 404], paged: true },
  { major: 2, method: 'GET', swaggerPath: '/projects/{project_name}/repositories/{repository_name}/artifacts', statuses: [200, 401, 404], paged: true },
  { major: 2, method: 'GET', swaggerPath: '/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}', statuses: [200, 401, 404] },
  {
    major: 2,
    method: 'DELETE',
    swaggerPath: '/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}/tags/{tag_name}',
    statuses: [200, 401, 404],
  },
];

export interface HarborStandInOptions {
  major: 1 | 2;
  /** 2.x: the release line; before 2.3 there is no GET /repositories (default: 2.3 and later). */
  release?: '2.0' | '2.1' | '2.2' | '2.3';
  /** repository name (project/...) → its tags */
  repositories: Record<string, string[]>;
  password: string;
  /** 1.x tags route: answer 500 (as core does when it runs out of redis/DB connections) above this many tags. */
  failTagsAbove?: number;
  /** Delay the tags/artifacts answers of these repositories (ms), to trip client timeouts. */
  delays?: Record<string, number>;
}

export interface HarborStandIn {
  url: string;
  /** Every request: method and path with query. */
  requests: string[];
  tags(repository: string): string[];
  /** The next `times` deletes of `tag` answer 503, as the nginx in front of a restarting core does. */
  failDeletes(tag: string, times: number): void;
  /** Core stops answering (nginx answers 502) until started again, as during the 1.9 quota sync. */
  setCoreUp(up: boolean): void;
  /** The most requests it has been answering at once since start. */
  maxInFlight(): number;
  stop(): Promise<void>;
}

const digestOf = (repository: string, tag: string) => `sha256:${createHash('sha256').update(`${repository}:${tag}`).digest('hex')}`;

function page(request: URL): { page: number; size: number } {
  const number = Math.max(1, Number(request.searchParams.get('page') ?? 1) || 1);
  const size = Math.min(100, Math.max(1, Number(request.searchParams.get('page_size') ?? 10) || 10));
  return { page: number, size };
}

function sendPage<T>(response: ServerResponse, request: URL, items: readonly T[]): void {
  const { page: number, size } = page(request);
  const links: string[] = [];
  const at = (target: number) => {
    const next = new URL(request);
    next.searchParams.set('page', String(target));
    next.searchParams.set('page_size', String(size));
    return `<${next.pathname}${next.search}>`;
  };
  if (number > 1) links.push(`${at(number - 1)}; rel="prev"`);
  if (number * size < items.length) links.push(`${at(number + 1)}; rel="next"`);
  response.setHeader('X-Total-Count', String(items.length));
  if (links.length) response.setHeader('Link', links.join(' , '));
  sendJson(response, 200, items.slice((number - 1) * size, number * size));
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const errors = (status: number, message: string) => ({
  errors: [{ code: status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHORIZED' : 'UNKNOWN', message }],
});

export async function startHarborStandIn(options: HarborStandInOptions): Promise<HarborStandIn> {
  const data = new Map(Object.entries(options.repositories).map(([name, tags]) => [name, [...tags]]));
  const requests: string[] = [];
  const failing = new Map<string, number>();
  let coreUp = true;
  const base = options.major === 2 ? '/api/v2.0' : '/api';
  const projects = () => [...new Set([...data.keys()].map((name) => name.split('/')[0]!))].sort();
  const authorized = (request: IncomingMessage) => request.headers.authorization === 'Basic ' + Buffer.from(`admin:${options.password}`).toString('base64');
  const delay = (repository: string) => new Promise((resolve) => setTimeout(resolve, options.delays?.[repository] ?? 0));

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    if (!coreUp) {
      // nginx answers for a core that is not listening yet.
      response.writeHead(502, { 'content-type': 'text/html' });
      return response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    // Harbor also serves the registry API: /v2/ is proxied to the registry; from 2.0 core
    // answers _catalog and tags/list itself from its database, paged by n/last with a Link
    // header (src/server/registry/catalog.go, tag.go).
    if (request.method === 'GET' && url.pathname === '/v2/') return sendJson(response, 200, {});
    let listed: RegExpExecArray | null;
    if (options.major === 2 && request.method === 'GET' && (url.pathname === '/v2/_catalog' || (listed = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname)))) {
      const catalog = url.pathname === '/v2/_catalog';
      const all = catalog ? [...data.keys()].sort() : [...(data.get(listed![1]!) ?? [])].sort();
      const n = Number(url.searchParams.get('n') ?? all.length) || all.length;
      const last = url.searchParams.get('last');
      const rest = last ? all.filter((name) => name > last) : all;
      const items = rest.slice(0, n);
      if (rest.length > n) response.setHeader('Link', `<${url.pathname}?last=${encodeURIComponent(items.at(-1)!)}&n=${n}>; rel="next"`);
      return sendJson(response, 200, catalog ? { repositories: items } : { name: listed![1], tags: items });
    }
    if (!url.pathname.startsWith(`${base}/`)) return sendJson(response, 404, errors(404, 'not found'));
    const path = url.pathname.slice(base.length);
    if (request.method === 'GET' && path === '/ping') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      return response.end('Pong');
    }
    // The projects are public: listing needs no login, except 2.x artifacts; deletes always do.
    const loginRequired = request.method === 'DELETE' || (options.major === 2 && path.includes('/artifacts'));
    if (loginRequired && !authorized(request)) return sendJson(response, 401, errors(401, 'unauthorized'));
    let match: RegExpExecArray | null;
    if (options.major === 1) {
      // UserAPI.Prepare (v1.10.18): 401 without a login, else the logged-in user.
      if (request.method === 'GET' && path === '/users/current')
        return authorized(request) ? sendJson(response, 200, { user_id: 1, username: 'admin' }) : sendJson(response, 401, errors(401, 'UnAuthorize'));
      if (request.method === 'GET' && path === '/projects')
        return sendPage(
          response,
          url,
          projects().map((name, index) => ({ project_id: index + 1, name })),
        );
      if (request.method === 'GET' && path === '/repositories') {
        const project = projects()[Number(url.searchParams.get('project_id')) - 1];
        if (!project) return sendJson(response, 404, errors(404, 'project not found'));
        const repositories = [...data.keys()].filter((name) => name.startsWith(`${project}/`)).sort();
        return sendPage(
          response,
          url,
          repositories.map((name, index) => ({
            id: index + 1,
            name,
            project_id: Number(url.searchParams.get('project_id')),
            tags_count: data.get(name)!.length,
          })),
        );
      }
      if ((match = /^\/repositories\/(.+)\/tags$/.exec(path)) && request.method === 'GET') {
        const tags = data.get(match[1]!) ?? [];
        await delay(match[1]!);
        if (options.failTagsAbove !== undefined && tags.length > options.failTagsAbove)
          return sendJson(response, 500, errors(500, 'Unexpected internal errors'));
        return sendJson(
          response,
          200,
          tags.map((name) =>
            url.searchParams.get('detail') === 'false'
              ? { name }
              : { name, digest: digestOf(match![1]!, name), size: 1024, architecture: 'amd64', os: 'linux', created: '2019-01-01T00:00:00Z', labels: [] },
          ),
        );
      }
      if ((match = /^\/repositories\/(.+)\/tags\/([^/]+)$/.exec(path)) && request.method === 'DELETE')
        return deleteTag(response, match[1]!, decodeURIComponent(match[2]!));
      if ((match = /^\/repositories\/(.+)\/tags\/([^/]+)$/.exec(path)) && request.method === 'GET') {
        const [repository, tag] = [match[1]!, decodeURIComponent(match[2]!)];
        if (!data.get(repository)?.includes(tag)) return sendJson(response, 404, errors(404, `resource: ${repository}:${tag} not found`));
        return sendJson(response, 200, {
          name: tag,
          digest: digestOf(repository, tag),
          size: 1024,
          architecture: 'amd64',
          os: 'linux',
          created: '2019-01-01T00:00:00Z',
          labels: [],
        });
      }
    } else {
      if (request.method === 'GET' && path === '/projects')
        return sendPage(
          response,
          url,
          projects().map((name, index) => ({ project_id: index + 1, name })),
        );
      if ((match = /^\/projects\/([^/]+)\/repositories$/.exec(path)) && request.method === 'GET') {
        const project = decodeURIComponent(match[1]!);
        if (!projects().includes(project)) return sendJson(response, 404, errors(404, `project ${project} not found`));
        const names = [...data.keys()].filter((name) => name.startsWith(`${project}/`)).sort();
        return sendPage(
          response,
          url,
          names.map((name) => ({
            id: [...data.keys()].sort().indexOf(name) + 1,
            name,
            project_id: projects().indexOf(project) + 1,
            artifact_count: data.get(name)!.length,
          })),
        );
      }
      if (request.method === 'GET' && path === '/repositories' && (options.release ?? '2.3') >= '2.3') {
        return sendPage(
          response,
          url,
          [...data.keys()]
            .sort()
            .map((name, index) => ({ id: index + 1, name, project_id: projects().indexOf(name.split('/')[0]!) + 1, artifact_count: data.get(name)!.length })),
        );
      }
      if ((match = /^\/projects\/([^/]+)\/repositories\/([^/]+)\/artifacts$/.exec(path)) && request.method === 'GET') {
        const repository = `${match[1]}/${decodeURIComponent(decodeURIComponent(match[2]!))}`;
        const tags = data.get(repository);
        if (!tags) return sendJson(response, 404, errors(404, 'repository not found'));
        await delay(repository);
        return sendPage(
          response,
          url,
          tags.map((name) => ({
            digest: digestOf(repository, name),
            repository_name: repository,
            tags: url.searchParams.get('with_tag') === 'false' ? null : [{ name, repository_id: 1 }],
          })),
        );
      }
      if ((match = /^\/projects\/([^/]+)\/repositories\/([^/]+)\/artifacts\/([^/]+)$/.exec(path)) && request.method === 'GET') {
        const repository = `${match[1]}/${decodeURIComponent(decodeURIComponent(match[2]!))}`;
        const reference = decodeURIComponent(match[3]!);
        const tag = data.get(repository)?.find((name) => name === reference || digestOf(repository, name) === reference);
        if (!tag) return sendJson(response, 404, errors(404, `artifact ${reference} not found`));
        return sendJson(response, 200, { digest: digestOf(repository, tag), repository_name: repository, tags: [{ name: tag, repository_id: 1 }] });
      }
      if ((match = /^\/projects\/([^/]+)\/repositories\/([^/]+)\/artifacts\/([^/]+)\/tags\/([^/]+)$/.exec(path)) && request.method === 'DELETE') {
        const repository = `${match[1]}/${decodeURIComponent(decodeURIComponent(match[2]!))}`;
        const tag = decodeURIComponent(match[4]!);
        if (data.get(repository)?.includes(tag) && decodeURIComponent(match[3]!) !== digestOf(repository, tag) && decodeURIComponent(match[3]!) !== tag)
          return sendJson(response, 404, errors(404, 'artifact not found'));
        return deleteTag(response, repository, tag);
      }
    }
    return sendJson(response, 404, errors(404, 'not found'));
  };

  const deleteTag = (response: ServerResponse, repository: string, tag: string) => {
    const failures = failing.get(tag) ?? 0;
    if (failures > 0) {
      failing.set(tag, failures - 1);
      response.writeHead(503, { 'content-type': 'text/html' });
      return response.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
    }
    const tags = data.get(repository);
    if (!tags?.includes(tag)) return sendJson(response, 404, errors(404, `tag ${tag} not found`));
    tags.splice(tags.indexOf(tag), 1);
    response.writeHead(200);
    return response.end();
  };

  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    response.once('close', () => inFlight--);
    handle(request, response).catch((error: Error) => sendJson(response, 500, errors(500, error.message)));
  });
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tags: (repository) => [...(data.get(repository) ?? [])],
    failDeletes: (tag, times) => failing.set(tag, times),
    setCoreUp: (up) => (coreUp = up),
    maxInFlight: () => maxInFlight,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
