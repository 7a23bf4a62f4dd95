// The registry client against a real distribution 2.8 registry with token auth, as Harbor
// 1.x runs it: 401 with a Bearer challenge, a token from the realm (test/support/token-service.ts)
// for the scope asked, credentials from REGISTRY_PASSWORD, never printed; and with htpasswd
// auth, as Harbor 2.x runs it. A proxy in front of the real registry changes its answers
// where a test needs a registry that misbehaves (a Link to another host, a malformed list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { listen, startProxy } from '../../../test/support/registry-proxy.ts';
import { buildImageLayout, skopeoListTags, skopeoPush, type ImageLayout } from '../../../test/support/oci.ts';
import { startRegistry, type RegistryServer } from '../../../test/support/registry.ts';
import { checkRepository, globMatcher, printable, registryClient } from './registry-api.ts';

const PASSWORD = 'registry-client-secret-42';
let registry: RegistryServer;
let basicRegistry: RegistryServer;
let layout: ImageLayout;

beforeAll(async () => {
  registry = await startRegistry({ auth: { user: 'admin', password: PASSWORD } });
  basicRegistry = await startRegistry({ htpasswd: { user: 'admin', password: PASSWORD } });
  layout = await buildImageLayout(['v1', 'v2']);
  for (const tag of ['v1', 'v2']) {
    await skopeoPush(layout, registry, 'proj/app', tag);
    await skopeoPush(layout, basicRegistry, 'proj/app', tag);
  }
});

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
  await basicRegistry?.stop();
});

describe('registry client', () => {
  it('follows the Bearer challenge with the user from --registry-user and REGISTRY_PASSWORD', async () => {
    process.env.REGISTRY_PASSWORD = PASSWORD;
    try {
      const client = (await registryClient({ 'registry-url': registry.url, 'registry-user': 'admin' }))!;
      await client.check();
      expect(await client.catalog()).toEqual(['proj/app']);
      expect((await client.tags('proj/app')).sort()).toEqual(['v1', 'v2']);
      expect(await client.manifest('proj/app', 'v2')).toEqual({ status: 200, digest: layout.manifests.get('v2')!.digest });
      expect(await client.manifest('proj/app', 'v3')).toMatchObject({ status: 404 });
    } finally {
      delete process.env.REGISTRY_PASSWORD;
    }
  });

  it('refuses anonymous access and a wrong password with exit 2, and never prints the password', async () => {
    const anonymous = await runCli(['run', 'tag-scan', '--registry-url', registry.url]);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('GET /v2/_catalog answered 401 (anonymous: pass --registry-user and REGISTRY_PASSWORD)');
    // A wrong password is an authentication failure, not an unreachable registry: token auth (1.x) and htpasswd (2.x).
    const wrong = await runCli(['run', 'tag-scan', '--registry-url', registry.url, '--registry-user', 'admin'], { env: { REGISTRY_PASSWORD: 'not-it' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/authentication failed \(401\): the token service .* refused user admin \(check REGISTRY_PASSWORD\)/);
    expect(wrong.stderr).not.toContain('cannot reach');
    const wrongBasic = await runCli(
      ['run', 'manifest-ready', '--registry-url', basicRegistry.url, '--registry-user', 'admin', '--repository', 'proj/app', '--tag', 'v1'],
      { env: { REGISTRY_PASSWORD: 'not-it' } },
    );
    expect(wrongBasic.code).toBe(2);
    expect(wrongBasic.stderr).toContain(`authentication failed (401): the registry at ${basicRegistry.url} refused user admin (check REGISTRY_PASSWORD)`);
    const ok = await runCli(['run', 'tag-scan', '--registry-url', registry.url, '--registry-user', 'admin', '--json'], {
      env: { REGISTRY_PASSWORD: PASSWORD },
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).facts.totalTags).toBe(2);
    expect(ok.stdout + ok.stderr + wrong.stdout + wrong.stderr).not.toContain(PASSWORD);
    expect(ok.stdout).not.toMatch(/eyJ[\w-]+\.eyJ/); // no token either
    expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['v1', 'v2']);
  });

  it('a registry that asks for a login, met without one, says so; a token service that cannot be reached is named (exit 2)', async () => {
    // htpasswd (Harbor 2.x's registry): a Basic challenge and no --registry-user.
    const anonymous = await runCli(['run', 'manifest-ready', '--registry-url', basicRegistry.url, '--repository', 'proj/app', '--tag', 'v1']);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain(`the registry at ${basicRegistry.url} refused anonymous access (pass --registry-user and REGISTRY_PASSWORD)`);
    expect(anonymous.stderr).not.toContain('Body is unusable');
    // Token auth (1.x) whose realm points at a port nothing listens on.
    const closed = await listen(() => {});
    const closedUrl = closed.url;
    await closed.stop();
    const proxy = await startProxy(registry.url, {
      change(_path, answer) {
        const header = answer.headers['www-authenticate'];
        if (typeof header === 'string') answer.headers['www-authenticate'] = header.replace(/realm="[^"]*"/, `realm="${closedUrl}/service/token"`);
      },
    });
    try {
      const unreachable = await runCli(['run', 'tag-scan', '--registry-url', proxy.url, '--registry-user', 'admin'], { env: { REGISTRY_PASSWORD: PASSWORD } });
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toContain(`its token service ${closedUrl}/service/token cannot be reached: ECONNREFUSED`);
      expect(unreachable.stderr).not.toContain(`cannot reach the registry`);
    } finally {
      await proxy.stop();
    }
  });

  it('sends credentials to the --registry-url origin only, never to a host a Link header names', async () => {
    const other = await listen((_incoming, outgoing) => {
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ name: 'proj/app', tags: ['from-elsewhere'] }));
    });
    // The real registry (htpasswd: the client sends the password itself) behind a proxy that adds a Link to the other host.
    const proxy = await startProxy(basicRegistry.url, {
      change(path, answer) {
        if (path.startsWith('/v2/proj/app/tags/list') && answer.status === 200)
          answer.headers.link = `<${other.url}/v2/proj/app/tags/list?last=v2&n=1000>; rel="next"`;
      },
    });
    process.env.REGISTRY_PASSWORD = PASSWORD;
    try {
      const client = (await registryClient({ 'registry-url': proxy.url, 'registry-user': 'admin' }))!;
      expect((await client.tags('proj/app')).sort()).toEqual(['from-elsewhere', 'v1', 'v2']);
      expect(proxy.seen.some((headers) => headers.authorization?.startsWith('Basic '))).toBe(true);
      expect(other.seen).toHaveLength(1);
      expect(other.seen[0]!.authorization).toBeUndefined();
    } finally {
      delete process.env.REGISTRY_PASSWORD;
      await proxy.stop();
      await other.stop();
    }
  });

  it('says clearly when an answer is not the list it should be, and prints names with escape sequences escaped', async () => {
    const proxy = await startProxy(registry.url, {
      change(path, answer) {
        if (path.startsWith('/v2/_catalog') && answer.status === 200) answer.body = JSON.stringify({ repositories: 5 });
        if (path.startsWith('/v2/proj/app/tags/list') && answer.status === 200) answer.body = '<html>maintenance</html>';
      },
    });
    const env = { env: { REGISTRY_PASSWORD: PASSWORD } };
    try {
      const catalog = await runCli(['run', 'tag-scan', '--registry-url', proxy.url, '--registry-user', 'admin'], env);
      expect(catalog.code).toBe(1);
      expect(catalog.stderr).toContain('GET /v2/_catalog answered JSON whose "repositories" is not a list of names; is this a registry API?');
      expect(catalog.stderr).not.toMatch(/iterable|Spread|SyntaxError/);
      const tags = await runCli(
        ['run', 'delete-tags', '--registry-url', proxy.url, '--registry-user', 'admin', '--repository', 'proj/app', '--tags', 'v1'],
        env,
      );
      expect(tags.code).toBe(1);
      expect(tags.stderr).toContain('GET /v2/proj/app/tags/list answered something that is not JSON; is this a registry API?');
    } finally {
      await proxy.stop();
    }
    expect(printable('v1\u001b[2J\u009b31m')).toBe('v1\\x1b[2J\\x9b31m');
  });

  it('accepts distribution repository names only, and matches globs across "/"', () => {
    expect(checkRepository('library/nginx')).toBe('library/nginx');
    for (const bad of ['../etc', '/abs', 'a//b', 'UPPER/case', 'a/../b', 'a/']) expect(() => checkRepository(bad)).toThrow(/not a repository name/);
    expect(globMatcher('library/*')('library/team/app')).toBe(true);
    expect(globMatcher('v1.?')('v1.2')).toBe(true);
    expect(globMatcher('v1.?')('v1x2')).toBe(false);
  });
});
