// Lists every repository of a replication source and times the listing of its tags, the
// call a pull replication makes per repository (content/issues/en/replication-many-tags-fetch-images.mdx): Harbor 1.x core
// builds the tags answer with one goroutine per tag, so large repositories answer 500 or run
// past nginx's 60 s and fail the whole execution. Read-only, with bounded concurrency.
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { duration, exactlyOne, integer, text, url } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS, jsonList, type HarborApi } from '../src/playbook/http/harbor-api.ts';
import { fetchFailure } from '../src/playbook/http/harbor-ping.ts';
import { pooled } from '../src/playbook/http/pool.ts';
import { globMatcher, printable, REGISTRY_FLAGS, RegistryHttpError, type RegistryClient } from '../src/playbook/http/registry-api.ts';
import type { PlanFinding } from '../src/playbook/types.ts';

interface Source {
  description: string;
  /** Every repository; each request gives up after `timeoutMs`. */
  repositories(timeoutMs: number): Promise<string[]>;
  countTags(repository: string, timeoutMs: number): Promise<number>;
}

interface Scanned {
  repository: string;
  tags?: number;
  ms: number;
  error?: string;
}

const PAGE = 100;

function registrySource(client: RegistryClient): Source {
  return {
    description: `registry API at ${client.baseUrl} (/v2/_catalog, /v2/<repo>/tags/list following Link pages)`,
    repositories: (timeoutMs) => client.catalog(PAGE, timeoutMs),
    countTags: async (repository, timeoutMs) => (await client.tags(repository, { timeoutMs })).length,
  };
}

/** Harbor's page/page_size lists: pages of 100 until a short one. */
async function harborPages<T>(api: HarborApi, path: string, timeoutMs: number): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const response = await api.request('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&page_size=${PAGE}`, undefined, timeoutMs);
    if (response.status !== 200)
      throw new RegistryHttpError(response.status, `HTTP ${response.status}${response.body.trim() ? `: ${response.body.trim().slice(0, 120)}` : ''}`);
    const items = jsonList<T>(response.body, `GET ${api.baseUrl.replace(/^https?:\/\/[^/]+/, '')}${path}`);
    all.push(...items);
    if (items.length < PAGE) return all;
  }
}

function harborSource(api: HarborApi, major: 1 | 2): Source {
  if (major === 1) {
    return {
      description: `Harbor 1.x API at ${api.baseUrl} (/projects, /repositories, /repositories/<repo>/tags)`,
      async repositories(timeoutMs) {
        const projects = await harborPages<{ project_id: number }>(api, '/projects', timeoutMs);
        const names: string[] = [];
        for (const project of projects)
          names.push(
            ...(await harborPages<{ name: string }>(api, `/repositories?project_id=${project.project_id}`, timeoutMs)).map((repository) => repository.name),
          );
        return names;
      },
      async countTags(repository, timeoutMs) {
        // The call 1.x replication makes (replication/adapter/harbor/image_registry.go): without
        // detail=false, so core pulls every tag's manifest. On a real 1.10.18 that took 14.8 s
        // for 2,000 tags where detail=false answered in 49 ms (test/real-harbor/tag-scan.test.ts).
        const response = await api.request('GET', `/repositories/${repository}/tags`, undefined, timeoutMs);
        if (response.status !== 200) throw new RegistryHttpError(response.status, `HTTP ${response.status}`);
        return (JSON.parse(response.body) as unknown[]).length;
      },
    };
  }
  return {
    description: `Harbor 2.x API at ${api.baseUrl} (/projects, /projects/<project>/repositories, artifacts by pages of ${PAGE})`,
    // Per project: GET /repositories (all of them) exists only from 2.3.0; 2.0-2.2 list
    // repositories per project (api/v2.0/swagger.yaml at v2.2.4 and v2.3.0).
    async repositories(timeoutMs) {
      const names: string[] = [];
      for (const project of await harborPages<{ name: string }>(api, '/projects', timeoutMs)) {
        names.push(
          ...(await harborPages<{ name: string }>(api, `/projects/${encodeURIComponent(project.name)}/repositories`, timeoutMs)).map(
            (repository) => repository.name,
          ),
        );
      }
      return names;
    },
    async countTags(repository, timeoutMs) {
      const [project, ...rest] = repository.split('/');
      const path = `/projects/${project}/repositories/${encodeURIComponent(encodeURIComponent(rest.join('/')))}/artifacts?with_tag=true`;
      const artifacts = await harborPages<{ tags?: unknown[] | null }>(api, path, timeoutMs);
      return artifacts.reduce((sum, artifact) => sum + (artifact.tags?.length ?? 0), 0);
    },
  };
}

async function scanAll(source: Source, repositories: string[], concurrency: number, timeoutMs: number, onDone: (done: number) => void): Promise<Scanned[]> {
  let done = 0;
  return pooled(repositories, concurrency, async (repository): Promise<Scanned> => {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const tags = await source.countTags(repository, timeoutMs);
      return { repository, tags, ms: ms() };
    } catch (error) {
      const why =
        error instanceof RegistryHttpError
          ? `HTTP ${error.status}`
          : fetchFailure(error) === 'timed out'
            ? `timed out after ${timeoutMs / 1000} s`
            : fetchFailure(error);
      return { repository, ms: ms(), error: why };
    } finally {
      onDone(++done);
    }
  });
}

const SCAN_FLAGS = {
  repositories: text({
    default: '*',
    pattern: /(?!.*\.\.)[a-z0-9*?_-][a-z0-9*?._/-]*/,
    patternHelp: 'a repository name or glob like library/* (no "..")',
    help: 'Which repositories to scan (glob; * matches across "/").',
    example: 'library/*',
  }),
  threshold: integer({
    default: 1000,
    min: 1,
    max: 10_000_000,
    help: 'Flag repositories with more tags than this (Harbor <= 1.10 struggles above about 1,000).',
  }),
  concurrency: integer({ default: 4, min: 1, max: 16, help: 'Repositories listed at once; keep it low so the scan cannot hurt the source.' }),
  timeout: duration({
    default: 60,
    min: 1,
    max: 3600,
    help: 'Give up on one request after this long: the tags of one repository, or one page of the repository list (nginx in front of Harbor 1.x cuts /api/ at 60 s).',
  }),
};

export const tagScan = definePlaybook({
  name: 'tag-scan',
  title: 'Find the repositories that make replication fail while fetching images',
  summary:
    'Lists the repositories of a replication source (Harbor 1.x or 2.x API, or any registry API) and times the tag listing of each, with bounded concurrency; flags repositories over a tag threshold or whose listing fails (500, 504, timeout) and says which policies to split, which nginx timeout to raise and how to upgrade.',
  remediates: ['replication-many-tags-fetch-images'],
  flags: {
    ...REGISTRY_FLAGS,
    'harbor-url': url({
      help: "The source Harbor's URL: its own API lists projects, repositories and tags (password from HARBOR_PASSWORD or a prompt).",
      example: 'https://harbor.example.com',
    }),
    'harbor-user': HARBOR_API_FLAGS['harbor-user'],
    ...SCAN_FLAGS,
  },
  groups: [exactlyOne('source', 'registry-url', 'harbor-url')],
  targets: ['direct'],
  mutates: false,
  requires: ['harbor-api'],
  async plan(context) {
    const { values, report } = context;
    const { threshold } = values;
    const timeoutMs = values.timeout * 1000;
    const opened = await report.spin('connecting to the source', () => context.api.source());
    const source = opened.kind === 'harbor' ? harborSource(opened.api, opened.major) : registrySource(opened.client);
    const all = await report.spin('listing repositories', () => source.repositories(timeoutMs));
    const matches = globMatcher(values.repositories);
    const repositories = all.filter(matches);
    if (repositories.length === 0) throw refuse(`--repositories ${values.repositories} matches none of the ${all.length} repositories at the source`);
    const started = performance.now();
    const progress = report.progress(`listing tags (${values.concurrency} at a time)`);
    const results = await scanAll(source, repositories, values.concurrency, timeoutMs, (done) => progress.update(done, repositories.length));
    const seconds = (performance.now() - started) / 1000;
    progress.finish();
    const large = results.filter((result) => result.tags !== undefined && result.tags > threshold);
    const failed = results.filter((result) => result.error);
    const totalTags = results.reduce((sum, result) => sum + (result.tags ?? 0), 0);
    const findings: PlanFinding[] = [
      { level: 'info', message: `Scanned ${results.length} repositories (${totalTags} tags) through the ${source.description} in ${seconds.toFixed(1)} s.` },
    ];
    for (const result of failed)
      findings.push({
        level: 'problem',
        message: `${printable(result.repository)}: listing its tags failed after ${(result.ms / 1000).toFixed(1)} s (${result.error}); a replication policy that covers it fails with "FetchImages error when collect tags for repos"`,
        data: { ...result },
      });
    for (const result of large)
      findings.push({
        level: 'warn',
        message: `${printable(result.repository)}: ${result.tags} tags (over ${threshold}), listed in ${(result.ms / 1000).toFixed(1)} s`,
        data: { ...result },
      });
    const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5);
    findings.push({
      level: 'info',
      message: printable(
        `Slowest: ${slowest.map((result) => `${result.repository} ${(result.ms / 1000).toFixed(2)} s${result.tags !== undefined ? ` (${result.tags} tags)` : ''}`).join(', ')}`,
      ),
    });
    if (failed.length || large.length) {
      const names = printable([...failed, ...large].map((result) => result.repository).join(', '));
      findings.push(
        {
          level: 'info',
          message: `What to do: split or filter the replication policies so these repositories are replicated on their own (or not at all): ${names}. A name filter still makes a Harbor 1.x source list every tag of each repository it matches, so prune old tags there too.`,
        },
        {
          level: 'info',
          message:
            'On a Harbor 1.x source, give its tags API (it fetches every manifest) more than nginx\'s 60 s default: add proxy_read_timeout 900s; and proxy_send_timeout 900s; inside "location /api/ {" of common/config/nginx/nginx.conf and restart only nginx (docker restart nginx). Do not run ./prepare afterwards: it clears common/config and renders nginx.conf again from its templates, dropping the edit, so repeat the edit after every ./prepare (on 1.7 put it in common/templates/nginx/nginx.https.conf or nginx.http.conf too, then it survives). Behind an ingress, raise the ingress controller\'s timeouts instead.',
        },
        {
          level: 'info',
          message:
            'The lasting fix is upgrading the source: 1.7 → 1.8 → 1.9/1.10 → 2.x, where tags live in the database and are paged. Replication between 1.9 and an older Harbor does not work, so upgrade both ends.',
        },
      );
    }
    return { findings, steps: [], facts: { source: source.description, seconds, totalTags, threshold, repositories: results } };
  },
});
