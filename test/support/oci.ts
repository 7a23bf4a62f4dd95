// Images for the registry tests: an OCI image layout built here (one layer, one config, one
// manifest per tag that differ only in an annotation), pushed with skopeo; and many tags
// pushed straight through the registry API, sharing the config and layer.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { $ } from 'zx';
import { pooled } from '../../src/playbook/http/pool.ts';
import type { RegistryServer } from './registry.ts';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface ImageLayout {
  dir: string;
  /** The manifest (as pushed) and its digest, by tag. */
  manifests: Map<string, { body: string; digest: string }>;
  configDigest: string;
  layerDigest: string;
  /** A manifest for any tag with the same config and layer (what pushManyTags sends). */
  manifestFor(tag: string): string;
  cleanup(): void;
}

/** `content` is the text of the layer's one file: layouts built with different texts share no blob. */
export async function buildImageLayout(tags: readonly string[], content = 'harbor-kb test image\n'): Promise<ImageLayout> {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-oci-'));
  const blobs = join(dir, 'blobs/sha256');
  mkdirSync(blobs, { recursive: true });
  const writeBlob = (data: Buffer | string) => {
    const hex = sha256(data);
    writeFileSync(join(blobs, hex), data);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
  };
  const files = join(dir, 'content');
  mkdirSync(files);
  writeFileSync(join(files, 'hello.txt'), content);
  const tar = join(dir, 'layer.tar');
  await $({ quiet: true })`tar -C ${files} --owner=0 --group=0 --mtime=@0 -cf ${tar} hello.txt`;
  const layerTar = readFileSync(tar);
  rmSync(tar);
  rmSync(files, { recursive: true });
  const layer = writeBlob(gzipSync(layerTar));
  const config = writeBlob(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] } }),
  );
  const manifestFor = (tag: string) =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      annotations: { 'org.example.harbor-kb.tag': tag },
    });
  const manifests = new Map<string, { body: string; digest: string }>();
  const index = [];
  for (const tag of tags) {
    const body = manifestFor(tag);
    const blob = writeBlob(body);
    manifests.set(tag, { body, digest: blob.digest });
    index.push({ mediaType: OCI_MANIFEST, ...blob, annotations: { 'org.opencontainers.image.ref.name': tag } });
  }
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: index }));
  return { dir, manifests, configDigest: config.digest, layerDigest: layer.digest, manifestFor, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const SKOPEO_FLAGS = ['--insecure-policy'];
/** skopeo's credential flag for a registry started with auth. */
const creds = (registry: RegistryServer, flag: string) => (registry.auth ? [`${flag}=${registry.auth.user}:${registry.auth.password}`] : []);

/** skopeo copy oci:<layout>:<tag> docker://<registry>/<repo>:<tag> */
export async function skopeoPush(layout: ImageLayout, registry: RegistryServer, repository: string, tag: string): Promise<void> {
  await $({
    quiet: true,
  })`skopeo ${SKOPEO_FLAGS} copy --dest-tls-verify=false ${creds(registry, '--dest-creds')} ${`oci:${layout.dir}:${tag}`} ${`docker://${registry.host}/${repository}:${tag}`}`;
}

/** skopeo inspect of a tag: its digest, or undefined when the registry cannot serve it. */
export async function skopeoDigest(registry: RegistryServer, repository: string, tag: string): Promise<string | undefined> {
  const result = await $({
    quiet: true,
    nothrow: true,
  })`skopeo ${SKOPEO_FLAGS} inspect --raw --tls-verify=false ${creds(registry, '--creds')} ${`docker://${registry.host}/${repository}:${tag}`}`;
  return result.exitCode === 0 ? `sha256:${sha256(result.stdout)}` : undefined;
}

/** skopeo list-tags, as an operator would list a repository. */
export async function skopeoListTags(registry: RegistryServer, repository: string): Promise<string[]> {
  const result = await $({
    quiet: true,
  })`skopeo ${SKOPEO_FLAGS} list-tags --tls-verify=false ${creds(registry, '--creds')} ${`docker://${registry.host}/${repository}`}`;
  return (JSON.parse(result.stdout) as { Tags: string[] }).Tags;
}

/**
 * Pushes `tags` into a repository that already holds the layout's config and layer (push one
 * tag with skopeo first): one manifest PUT per tag, `concurrency` at a time.
 */
export async function pushManyTags(layout: ImageLayout, registry: RegistryServer, repository: string, tags: readonly string[], concurrency = 8): Promise<void> {
  await pooled(tags, concurrency, async (tag) => {
    const response = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: layout.manifestFor(tag),
    });
    if (response.status !== 201) throw new Error(`PUT manifest ${repository}:${tag}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer().catch(() => undefined);
  });
}
