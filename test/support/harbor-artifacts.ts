// The rows Harbor 2.x writes for an image pushed through it (src/server/middleware/blob/put_manifest.go
// and the artifact controller): a repository, one blob row per manifest, config and layer, their
// project_blob rows, the artifact, its artifact_blob rows (the manifest itself included,
// src/controller/blob/controller.go AssociateWithArtifact) and the tag. Tests push the image to a
// real registry with skopeo and record the same push here, so database and storage agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HarborDb } from './harbor-db.ts';
import { OCI_MANIFEST, type ImageLayout } from './oci.ts';

export interface RecordedArtifact {
  id: number;
  projectId: number;
  repository: string;
  tag: string;
  digest: string;
  config: string;
  layer: string;
}

const sizeOf = (layout: ImageLayout, digest: string) => readFileSync(join(layout.dir, 'blobs/sha256', digest.slice('sha256:'.length))).length;

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function idOf(db: HarborDb, select: string, insert: string): Promise<number> {
  const [found] = await db.exec(select);
  if (found) return Number(Object.values(found)[0]);
  const [created] = await db.exec(insert);
  return Number(Object.values(created!)[0]);
}

export async function recordPush(db: HarborDb, layout: ImageLayout, repository: string, tag: string): Promise<RecordedArtifact> {
  const project = repository.split('/')[0]!;
  const projectId = await idOf(
    db,
    `SELECT project_id FROM project WHERE name = ${quote(project)}`,
    `INSERT INTO project (owner_id, name) VALUES (1, ${quote(project)}) RETURNING project_id`,
  );
  const repositoryId = await idOf(
    db,
    `SELECT repository_id FROM repository WHERE name = ${quote(repository)}`,
    `INSERT INTO repository (name, project_id) VALUES (${quote(repository)}, ${projectId}) RETURNING repository_id`,
  );
  const manifest = layout.manifests.get(tag);
  if (!manifest) throw new Error(`the layout has no tag ${tag}`);
  const blobs = [
    { digest: manifest.digest, type: OCI_MANIFEST },
    { digest: layout.configDigest, type: 'application/vnd.oci.image.config.v1+json' },
    { digest: layout.layerDigest, type: 'application/vnd.oci.image.layer.v1.tar+gzip' },
  ];
  for (const blob of blobs) {
    const blobId = await idOf(
      db,
      `SELECT id FROM blob WHERE digest = ${quote(blob.digest)}`,
      `INSERT INTO blob (digest, content_type, size) VALUES (${quote(blob.digest)}, ${quote(blob.type)}, ${sizeOf(layout, blob.digest)}) RETURNING id`,
    );
    await db.exec(`INSERT INTO project_blob (project_id, blob_id) VALUES (${projectId}, ${blobId}) ON CONFLICT DO NOTHING`);
  }
  // 0140_2.11.0 added artifact.artifact_type (NOT NULL): the config's media type for an image.
  const [typed] = await db.exec(`SELECT 1 AS yes FROM information_schema.columns WHERE table_name = 'artifact' AND column_name = 'artifact_type'`);
  const size = blobs.reduce((sum, blob) => sum + sizeOf(layout, blob.digest), 0);
  const [artifact] = await db.exec(
    `INSERT INTO artifact (project_id, repository_name, repository_id, digest, type, media_type, manifest_media_type, size, push_time${typed ? ', artifact_type' : ''})
     VALUES (${projectId}, ${quote(repository)}, ${repositoryId}, ${quote(manifest.digest)}, 'IMAGE', 'application/vnd.oci.image.config.v1+json', ${quote(OCI_MANIFEST)}, ${size}, now()${typed ? `, 'application/vnd.oci.image.config.v1+json'` : ''})
     RETURNING id`,
  );
  const id = Number(artifact!.id);
  for (const blob of blobs)
    await db.exec(`INSERT INTO artifact_blob (digest_af, digest_blob) VALUES (${quote(manifest.digest)}, ${quote(blob.digest)}) ON CONFLICT DO NOTHING`);
  await db.exec(`INSERT INTO tag (repository_id, artifact_id, name) VALUES (${repositoryId}, ${id}, ${quote(tag)})`);
  return { id, projectId, repository, tag, digest: manifest.digest, config: layout.configDigest, layer: layout.layerDigest };
}

/**
 * What deleting the artifact and a GC's mark leave behind: no artifact, tag, artifact_blob or
 * project_blob rows any more, only its blob rows, which are now GC candidates.
 */
export async function forgetArtifact(db: HarborDb, artifact: RecordedArtifact): Promise<void> {
  const digests = [artifact.digest, artifact.config, artifact.layer].map(quote).join(', ');
  await db.exec(`DELETE FROM tag WHERE artifact_id = ${artifact.id}`);
  await db.exec(`DELETE FROM artifact_blob WHERE digest_af = ${quote(artifact.digest)}`);
  await db.exec(`DELETE FROM artifact WHERE id = ${artifact.id}`);
  await db.exec(`DELETE FROM project_blob WHERE project_id = ${artifact.projectId} AND blob_id IN (SELECT id FROM blob WHERE digest IN (${digests}))`);
}

/** What registryctl's DeleteBlob removes: the blob's directory under blobs/ (distribution's Vacuum.RemoveBlob). */
export function blobDirectory(v2: string, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(v2, 'blobs/sha256', hex.slice(0, 2), hex);
}
