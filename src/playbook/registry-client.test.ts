// The registry client against a real distribution 2.8 registry with token auth, as Harbor
// runs it: 401 with a Bearer challenge, a token from the realm (test/support/token-service.ts)
// for the scope asked, credentials from REGISTRY_PASSWORD, never printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.ts';
import { buildImageLayout, skopeoListTags, skopeoPush, type ImageLayout } from '../../test/support/oci.ts';
import { startRegistry, type RegistryServer } from '../../test/support/registry.ts';
import { checkRepository, globMatcher, registryClient } from './registry-client.ts';

const PASSWORD = 'registry-client-secret-42';
let registry: RegistryServer;
let layout: ImageLayout;

beforeAll(async () => {
  registry = await startRegistry({ auth: { user: 'admin', password: PASSWORD } });
  layout = await buildImageLayout(['v1', 'v2']);
  for (const tag of ['v1', 'v2']) await skopeoPush(layout, registry, 'proj/app', tag);
});

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
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
    const wrong = await runCli(['run', 'tag-scan', '--registry-url', registry.url, '--registry-user', 'admin'], { env: { REGISTRY_PASSWORD: 'not-it' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/token service .* answered 401/);
    const ok = await runCli(['run', 'tag-scan', '--registry-url', registry.url, '--registry-user', 'admin', '--json'], { env: { REGISTRY_PASSWORD: PASSWORD } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).facts.totalTags).toBe(2);
    expect(ok.stdout + ok.stderr + wrong.stdout + wrong.stderr).not.toContain(PASSWORD);
    expect(ok.stdout).not.toMatch(/eyJ[\w-]+\.eyJ/); // no token either
    expect((await skopeoListTags(registry, 'proj/app')).sort()).toEqual(['v1', 'v2']);
  });

  it('accepts distribution repository names only, and matches globs across "/"', () => {
    expect(checkRepository('library/nginx')).toBe('library/nginx');
    for (const bad of ['../etc', '/abs', 'a//b', 'UPPER/case', 'a/../b', 'a/']) expect(() => checkRepository(bad)).toThrow(/not a repository name/);
    expect(globMatcher('library/*')('library/team/app')).toBe(true);
    expect(globMatcher('v1.?')('v1.2')).toBe(true);
    expect(globMatcher('v1.?')('v1x2')).toBe(false);
  });
});
