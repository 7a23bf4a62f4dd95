// tag-scan against a real distribution 2.8 registry holding a 10,000-tag repository, and
// against Harbor API stand-ins: a 1.x source whose tags route answers 500 for large
// repositories (and one that answers too slowly), and a 2.x source paging artifacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { expectRefusals, type RefusalCase } from '../test/support/refusals.ts';
import { startHarborStandIn, type HarborStandIn } from '../test/support/harbor-stand-in.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { buildImageLayout, pushManyTags, skopeoListTags, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { startRegistry, type RegistryServer } from '../test/support/registry.ts';
import { startProxy } from '../test/support/registry-proxy.ts';

const PASSWORD = 'tag-scan-harbor-secret';
const tags = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);
let registry: RegistryServer;
let layout: ImageLayout;
let v1: HarborStandIn;
let v2: HarborStandIn;

type Result = {
  findings: { level: string; message: string; data?: { repository: string; tags?: number; error?: string } }[];
  facts: { totalTags: number; repositories: { repository: string; tags?: number; error?: string }[] };
};
const run = (args: string[], env: Record<string, string> = {}) => runCli(['run', 'tag-scan', ...args], { env });
const flagged = (result: Result, level: string) => result.findings.filter((finding) => finding.level === level).map((finding) => finding.data);

beforeAll(async () => {
  registry = await startRegistry();
  layout = await buildImageLayout(['v0']);
  await skopeoPush(layout, registry, 'big/repo', 'v0');
  await skopeoPush(layout, registry, 'small/app', 'v0');
  await pushManyTags(layout, registry, 'big/repo', tags('t', 9_999), 12);
  v1 = await startHarborStandIn({
    major: 1,
    password: PASSWORD,
    repositories: { 'library/small': tags('s', 20), 'library/huge': tags('h', 6_000), 'library/slow': tags('w', 10), 'other/app': tags('a', 1_500) },
    failTagsAbove: 5_000,
    delays: { 'library/slow': 2_500 },
  });
  // 2.2: no GET /api/v2.0/repositories yet (it came in 2.3.0); repositories are listed per project.
  v2 = await startHarborStandIn({
    major: 2,
    release: '2.2',
    password: PASSWORD,
    repositories: { 'library/app': tags('a', 250), 'library/many': tags('m', 2_500), 'team/sub/tool': tags('x', 3) },
  });
}, 180_000);

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
  await v1?.stop();
  await v2?.stop();
});

describe('tag-scan', () => {
  it('counts a 10,000-tag repository on a real registry as skopeo does and flags it', async () => {
    const result = await run(['--registry-url', registry.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as Result;
    expect(parsed.facts.repositories.map(({ repository, tags: count }) => ({ repository, tags: count }))).toEqual([
      { repository: 'big/repo', tags: 10_000 },
      { repository: 'small/app', tags: 1 },
    ]);
    expect((await skopeoListTags(registry, 'big/repo')).length).toBe(10_000);
    expect(flagged(parsed, 'warn')).toEqual([expect.objectContaining({ repository: 'big/repo', tags: 10_000 })]);
    expect(flagged(parsed, 'problem')).toEqual([]);
    const text = await run(['--registry-url', registry.url, '--repositories', 'small/*']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Scanned 1 repositories (1 tags)');
    expect(text.stdout).not.toContain('What to do');
  });

  it('on a Harbor 1.x source, reports the repositories whose tags route fails or times out, and what to do', async () => {
    const result = await run(['--harbor-url', v1.url, '--timeout', '1', '--json'], { HARBOR_PASSWORD: PASSWORD });
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as Result;
    expect(flagged(parsed, 'problem')).toEqual([
      expect.objectContaining({ repository: 'library/huge', error: 'HTTP 500' }),
      expect.objectContaining({ repository: 'library/slow', error: 'timed out after 1 s' }),
    ]);
    expect(flagged(parsed, 'warn')).toEqual([expect.objectContaining({ repository: 'other/app', tags: 1_500 })]);
    const messages = parsed.findings.map((finding) => finding.message).join('\n');
    expect(messages).toContain('split or filter the replication policies');
    expect(messages).toContain(
      'add proxy_read_timeout 900s; and proxy_send_timeout 900s; inside "location /api/ {" of common/config/nginx/nginx.conf and restart only nginx (docker restart nginx). Do not run ./prepare afterwards',
    );
    expect(messages).not.toContain('then ./prepare');
    expect(messages).toContain('1.7 → 1.8 → 1.9/1.10 → 2.x');
    expect(v1.requests).toContain('GET /api/repositories/library/huge/tags');
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('on a Harbor 2.0-2.2 source, lists repositories per project and counts tags through artifact pages of 100', async () => {
    const result = await run(['--harbor-url', v2.url, '--json'], { HARBOR_PASSWORD: PASSWORD });
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as Result;
    expect(parsed.facts.repositories.map(({ repository, tags: count }) => [repository, count])).toEqual([
      ['library/app', 250],
      ['library/many', 2_500],
      ['team/sub/tool', 3],
    ]);
    expect(v2.requests.filter((request) => /^GET \/api\/v2\.0\/projects(\/[^/]+\/repositories)?\?/.test(request))).toEqual([
      'GET /api/v2.0/projects?page=1&page_size=100',
      'GET /api/v2.0/projects/library/repositories?page=1&page_size=100',
      'GET /api/v2.0/projects/team/repositories?page=1&page_size=100',
    ]);
    expect(v2.requests).toContain('GET /api/v2.0/projects/library/repositories/app/artifacts?with_tag=true&page=3&page_size=100');
    expect(v2.requests).toContain('GET /api/v2.0/projects/team/repositories/sub%252Ftool/artifacts?with_tag=true&page=1&page_size=100');
  });

  it('follows n/last/Link pages of tags/list where the registry API pages (Harbor 2 core)', async () => {
    const result = await run(['--registry-url', v2.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as Result;
    expect(parsed.facts.repositories.map(({ repository, tags: count }) => [repository, count])).toEqual([
      ['library/app', 250],
      ['library/many', 2_500],
      ['team/sub/tool', 3],
    ]);
    expect(v2.requests.filter((request) => request.startsWith('GET /v2/library/many/tags/list'))).toEqual([
      'GET /v2/library/many/tags/list?n=1000',
      'GET /v2/library/many/tags/list?last=m1898&n=1000',
      'GET /v2/library/many/tags/list?last=m548&n=1000',
    ]);
    expect(v2.requests.filter((request) => request.startsWith('GET /v2/_catalog'))).toEqual(['GET /v2/_catalog?n=100']);
  });

  it('never has more than --concurrency tag listings in flight at the source', async () => {
    const names = Array.from({ length: 10 }, (_, index) => `load/repo${index}`);
    for (const [concurrency, expected] of [
      [undefined, 4],
      [2, 2],
    ] as const) {
      const source = await startHarborStandIn({
        major: 1,
        password: PASSWORD,
        repositories: Object.fromEntries(names.map((name) => [name, tags('t', 5)])),
        delays: Object.fromEntries(names.map((name) => [name, 300])),
      });
      try {
        const result = await run(['--harbor-url', source.url, ...(concurrency ? ['--concurrency', String(concurrency)] : [])], { HARBOR_PASSWORD: PASSWORD });
        expect(result.code, result.stderr).toBe(0);
        expect(source.maxInFlight()).toBe(expected);
      } finally {
        await source.stop();
      }
    }
  });

  it('says clearly when Harbor answers something other than a list', async () => {
    const proxy = await startProxy(v2.url, {
      change(path, answer) {
        if (path.startsWith('/api/v2.0/projects?')) answer.body = JSON.stringify({ errors: 'maintenance' });
      },
    });
    try {
      const result = await run(['--harbor-url', proxy.url], { HARBOR_PASSWORD: PASSWORD });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("GET /api/v2.0/projects answered JSON that is not a list; is this Harbor's API?");
      expect(result.stderr).not.toMatch(/iterable|Spread|TypeError/);
    } finally {
      await proxy.stop();
    }
  });

  it('refuses bad input with exit 2', async () => {
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const cases: RefusalCase[] = [
      [['--registry-url', registry.url, '--repositories', 'nothing/*'], /--repositories nothing\/\* matches none of the 2 repositories/],
      [['--registry-url', closed], /cannot reach the registry at .*ECONNREFUSED/],
      [['--harbor-url', closed], /no Harbor answers \/api\/ping or \/api\/v2.0\/ping at .*ECONNREFUSED/],
      [['--harbor-url', registry.url], /no Harbor answers/],
      [['--registry-url', registry.url, '--harbor-url', v1.url], /give only one of --registry-url or --harbor-url/],
      [[], /give one of --registry-url or --harbor-url/],
      [['--registry-url', registry.url, '--concurrency', '0'], /--concurrency must be at least 1/],
      [['--registry-url', registry.url, '--repositories', '../etc'], /--repositories must be a repository name or glob/],
      [['--registry-url', 'ftp://127.0.0.1/'], /--registry-url must be http/],
    ];
    await expectRefusals((args) => run(args, { HARBOR_PASSWORD: PASSWORD }), cases);
  });
});

describe('tag-scan: a repository list that does not answer within --timeout', () => {
  it('on a registry: gives up, and says what did not answer (refused: nothing was scanned)', async () => {
    const proxy = await startProxy(registry.url, {
      before: async (_method, path) => {
        if (path.startsWith('/v2/_catalog')) await new Promise((resolve) => setTimeout(resolve, 3_000));
      },
    });
    try {
      const result = await run(['--registry-url', proxy.url, '--timeout', '1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('no answer within 1 s');
      expect(result.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
    } finally {
      await proxy.stop();
    }
  });

  it('on Harbor: the project list request is named, with how long it waited', async () => {
    const proxy = await startProxy(v1.url, {
      before: async (_method, path) => {
        if (path.startsWith('/api/projects')) await new Promise((resolve) => setTimeout(resolve, 3_000));
      },
    });
    try {
      const result = await run(['--harbor-url', proxy.url, '--timeout', '1'], { HARBOR_PASSWORD: PASSWORD });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`GET ${proxy.url}/api/projects?page=1&page_size=100: Harbor's API gave no answer within 1 s`);
    } finally {
      await proxy.stop();
    }
  });
});
