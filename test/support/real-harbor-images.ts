// Images in a real Harbor 1.10, pushed through core as a client would: one image with skopeo
// (converted to a Docker v2 schema 2 manifest, the only kind 1.10's core accepts; NOTES.md
// pitfall 1), then as many more tags of it as a test needs, one manifest PUT each.
import { $ } from 'zx';
import { pooled } from '../../src/playbook/http/pool.ts';
import { buildImageLayout } from './oci.ts';
import type { RealHarbor } from './real-harbor.ts';

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** Creates a private project and returns its id. */
export async function createProject(harbor: RealHarbor, name: string): Promise<number> {
  const created = await harbor.api('POST', '/api/projects', { project_name: name, metadata: { public: 'false' } });
  if (created.status !== 201) throw new Error(`POST /api/projects ${name}: ${created.status} ${created.text}`);
  const [project] = (await harbor.api('GET', `/api/projects?name=${name}`)).json<{ project_id: number; name: string }[]>().filter((item) => item.name === name);
  return project!.project_id;
}

/** A registry token from core's token service for `repository`. */
export async function registryToken(harbor: RealHarbor, repository: string, actions = 'pull,push'): Promise<string> {
  const response = await fetch(`${harbor.url}/service/token?service=harbor-registry&scope=repository:${repository}:${actions}`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${harbor.admin.user}:${harbor.admin.password}`).toString('base64') },
  });
  return ((await response.json()) as { token: string }).token;
}

/** Pushes a small image to <repository>:<tag> through core with skopeo; returns its manifest as Harbor stores it. */
export async function pushImage(harbor: RealHarbor, repository: string, tag: string): Promise<string> {
  const layout = await buildImageLayout([tag]);
  try {
    await $({
      quiet: true,
    })`skopeo --insecure-policy copy --format v2s2 --dest-tls-verify=false ${`--dest-creds=${harbor.admin.user}:${harbor.admin.password}`} ${`oci:${layout.dir}:${tag}`} ${`docker://${harbor.host}/${repository}:${tag}`}`;
  } finally {
    layout.cleanup();
  }
  const token = await registryToken(harbor, repository, 'pull');
  const manifest = await fetch(`${harbor.url}/v2/${repository}/manifests/${tag}`, { headers: { authorization: `Bearer ${token}`, accept: DOCKER_MANIFEST } });
  if (manifest.status !== 200) throw new Error(`GET manifest ${repository}:${tag}: ${manifest.status}`);
  return await manifest.text();
}

/** PUTs `manifest` under each of `tags` through core (the quota and notification paths of a real push). */
export async function pushTags(harbor: RealHarbor, repository: string, manifest: string, tags: readonly string[], concurrency = 8): Promise<void> {
  const token = await registryToken(harbor, repository);
  await pooled(tags, concurrency, async (tag) => {
    const response = await fetch(`${harbor.url}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': DOCKER_MANIFEST },
      body: manifest,
    });
    if (response.status !== 201) throw new Error(`PUT manifest ${repository}:${tag}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  });
}

/**
 * The same image under a manifest with a digest of its own: trailing whitespace after the JSON
 * changes the digest and nothing else. Harbor 1.x deletes a tag by deleting its manifest,
 * which removes every tag sharing that digest (NOTES.md pitfall 9), so tests that delete one
 * tag give each tag its own.
 */
export const distinctManifest = (manifest: string, index: number) => manifest + ' '.repeat(index);
