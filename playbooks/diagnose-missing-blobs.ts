// Lists the artifacts a garbage collection left broken (content/issues/en/gc-removed-referenced-blobs.mdx):
// Harbor 2.x still lists them, but the manifest, config or a layer they are made of is gone from the
// registry storage (or has no blob row any more), so pulls fail with "blob unknown" or "manifest
// unknown". Reads artifact, artifact_blob, blob and tag; checks each blob's data file in the storage
// or, without the storage, asks the registry API (HEAD). Changes nothing: the result is the list of
// repository:tag@digest to push again.
//
// Which blobs make an artifact: Harbor writes one artifact_blob row per config, layer and child
// manifest the manifest references, plus one for the manifest itself (src/controller/blob/controller.go
// AssociateWithArtifact at v2.1.0 and v2.15.2, called from src/server/middleware/blob/put_manifest.go).
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { integer, path, text } from '../src/playbook/flags.ts';
import { pooled } from '../src/playbook/http/pool.ts';
import { checkRepository, MANIFEST_ACCEPT, REGISTRY_FLAGS, REPOSITORY_PATTERN, type RegistryClient } from '../src/playbook/http/registry-api.ts';
import { requireKnownClean } from '../src/playbook/sql/harbor-version.ts';
import { checkIsRegistry, presentBlobs, registryStorage, STORAGE_FLAGS, type RegistryStorage } from '../src/playbook/storage/registry-storage.ts';
import { sql, type Database, type Sql } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';
import { runsHarborsOwnGc } from './shared/harbor-gc.ts';

const PAGE = '/issues/gc-removed-referenced-blobs/';
const SECTION = {
  repush: `${PAGE}#5-repair-by-pushing-again`,
  atRisk: `${PAGE}#3-blobs-the-next-gc-would-delete-although-an-artifact-uses-them`,
  noRow: `${PAGE}#2-artifacts-whose-blob-rows-are-gone`,
  storage: `${PAGE}#4-referenced-blobs-missing-from-storage-filesystem-storage`,
};

/**
 * Foreign layers (Windows base layers) are never in the storage: clients fetch them from their URLs, and GC skips them
 * too (src/pkg/blob/models/blob.go IsForeignLayer, v2.1.0 to v2.15.2).
 */
const FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';

/** Media types whose blobs are manifests: the registry API serves them under /manifests/, not /blobs/. */
const MANIFEST_TYPES = new Set(MANIFEST_ACCEPT.split(', '));

interface Artifact {
  id: number;
  repository: string;
  digest: string;
  tags: string[];
  /** Every blob it is made of (the manifest first), with its blob row's content type when it has one. */
  blobs: Map<string, { contentType?: string; hasRow: boolean }>;
  /** Blobs with a row but no project_blob row: the next GC takes them as candidates although this artifact uses them. */
  atRisk: string[];
  /**
   * Its project is a proxy cache: Harbor fetches what its storage lacks from the upstream. Harbor
   * tells one by registry_id > 0 (Project.IsProxy, src/pkg/project/models/project.go); projects it
   * creates otherwise have 0, those older than 2.1.0's registry_id column NULL.
   */
  proxyCache: boolean;
}

interface Broken {
  proxyCache: boolean;
  repository: string;
  digest: string;
  tags: string[];
  /** repository:tag@digest for each tag (repository@digest when untagged): what to push again. */
  references: string[];
  missingData: string[];
  missingRows: string[];
  blobCount: number;
}

/** Where the artifacts of the scope are, as SQL over artifact a (joined with project p). */
function scopeOf(project: string | undefined, repository: string | undefined): Sql {
  const conditions: Sql[] = [sql`TRUE`];
  if (project) conditions.push(sql`p.name = ${project}`);
  if (repository) conditions.push(sql`a.repository_name = ${repository}`);
  return sql.join(conditions, ' AND ');
}

async function readArtifacts(db: Database, scope: Sql): Promise<Artifact[]> {
  const artifacts = new Map<number, Artifact>();
  const rows = await db.query(
    sql`SELECT a.id, a.repository_name, a.digest, a.manifest_media_type, CASE WHEN p.registry_id > 0 THEN 1 ELSE 0 END AS proxy_cache
  FROM artifact a JOIN project p ON p.project_id = a.project_id WHERE ${scope} ORDER BY a.repository_name, a.id`,
  );
  for (const row of rows) {
    const digest = String(row.digest);
    artifacts.set(Number(row.id), {
      id: Number(row.id),
      repository: String(row.repository_name),
      digest,
      tags: [],
      blobs: new Map([[digest, { contentType: String(row.manifest_media_type), hasRow: false }]]),
      atRisk: [],
      proxyCache: Number(row.proxy_cache) === 1,
    });
  }
  const blobs = await db.query(sql`SELECT a.id, ab.digest_blob, b.id AS blob_id, b.content_type
  FROM artifact a JOIN project p ON p.project_id = a.project_id JOIN artifact_blob ab ON ab.digest_af = a.digest
  LEFT JOIN blob b ON b.digest = ab.digest_blob WHERE ${scope}`);
  for (const row of blobs) {
    const artifact = artifacts.get(Number(row.id));
    if (!artifact || row.content_type === FOREIGN_LAYER) continue;
    const hasRow = row.blob_id !== null && row.blob_id !== undefined && row.blob_id !== '';
    const known = artifact.blobs.get(String(row.digest_blob));
    artifact.blobs.set(String(row.digest_blob), { contentType: hasRow ? String(row.content_type) : known?.contentType, hasRow });
  }
  // The manifest's own blob row, for an artifact whose artifact_blob rows are gone too.
  const manifests = await db.query(sql`SELECT a.id FROM artifact a JOIN project p ON p.project_id = a.project_id
  JOIN blob b ON b.digest = a.digest WHERE ${scope}`);
  for (const row of manifests) {
    const artifact = artifacts.get(Number(row.id));
    const own = artifact?.blobs.get(artifact.digest);
    if (own) own.hasRow = true;
  }
  // GC's candidates are the blob rows no project_blob row refers to (src/pkg/blob/dao/dao.go GetBlobsNotRefedByProjectBlob).
  const unowned = await db.query(sql`SELECT DISTINCT a.id, b.digest FROM artifact a JOIN project p ON p.project_id = a.project_id
  JOIN artifact_blob ab ON ab.digest_af = a.digest JOIN blob b ON b.digest = ab.digest_blob
  WHERE ${scope} AND NOT EXISTS (SELECT 1 FROM project_blob pb WHERE pb.blob_id = b.id) ORDER BY b.digest`);
  for (const row of unowned) artifacts.get(Number(row.id))?.atRisk.push(String(row.digest));
  const tags = await db.query(
    sql`SELECT t.artifact_id, t.name FROM tag t JOIN artifact a ON a.id = t.artifact_id JOIN project p ON p.project_id = a.project_id WHERE ${scope} ORDER BY t.name`,
  );
  for (const row of tags) artifacts.get(Number(row.artifact_id))?.tags.push(String(row.name));
  return [...artifacts.values()];
}

/** How many blobs go into one storage check: one exec each, so a large registry shows progress. */
const BATCH = 2000;

async function presentInStorage(context: Context, storage: RegistryStorage, digests: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  const bar = context.report.progress(`checking ${digests.length} blobs in ${storage.description}`);
  for (let start = 0; start < digests.length; start += BATCH) {
    for (const digest of await presentBlobs(storage, digests.slice(start, start + BATCH))) present.add(digest);
    bar.update(Math.min(start + BATCH, digests.length), digests.length);
  }
  bar.finish();
  return present;
}

/** HEAD of each blob through the registry API (manifests under /manifests/): 200 present, 404 missing, anything else stops the run. */
async function presentInRegistry(context: Context, client: RegistryClient, artifacts: readonly Artifact[]): Promise<Set<string>> {
  const checks = [
    ...new Map(
      artifacts.flatMap((artifact) =>
        [...artifact.blobs].map(([digest, blob]) => [
          `${artifact.repository}@${digest}`,
          { repository: artifact.repository, digest, manifest: MANIFEST_TYPES.has(blob.contentType ?? '') },
        ]),
      ),
    ).values(),
  ];
  const bar = context.report.progress(`asking ${client.baseUrl} for ${checks.length} blobs`);
  let done = 0;
  const answers = await pooled(checks, context.values.concurrency, async (check) => {
    const kind = check.manifest ? 'manifests' : 'blobs';
    const response = await client.request('HEAD', `/v2/${check.repository}/${kind}/${check.digest}`, { accept: check.manifest ? MANIFEST_ACCEPT : undefined });
    bar.update(++done, checks.length);
    if (response.status !== 200 && response.status !== 404)
      throw refuse(`HEAD ${client.baseUrl}/v2/${check.repository}/${kind}/${check.digest} answered ${response.status}: cannot tell whether it is there`);
    return response.status === 200 ? `${check.repository}@${check.digest}` : undefined;
  });
  bar.finish();
  return new Set(answers.filter((answer): answer is string => answer !== undefined));
}

/** repository:tag@digest for each tag, repository@digest when untagged: what to push again. */
function referencesOf(artifact: Artifact): string[] {
  return artifact.tags.length ? artifact.tags.map((tag) => `${artifact.repository}:${tag}@${artifact.digest}`) : [`${artifact.repository}@${artifact.digest}`];
}

function brokenArtifacts(artifacts: readonly Artifact[], isPresent: (artifact: Artifact, digest: string) => boolean): Broken[] {
  const broken: Broken[] = [];
  for (const artifact of artifacts) {
    const digests = [...artifact.blobs.keys()];
    const missingData = digests.filter((digest) => !isPresent(artifact, digest));
    const missingRows = digests.filter((digest) => !artifact.blobs.get(digest)?.hasRow);
    if (missingData.length === 0 && missingRows.length === 0) continue;
    const references = referencesOf(artifact);
    broken.push({
      proxyCache: artifact.proxyCache,
      repository: artifact.repository,
      digest: artifact.digest,
      tags: artifact.tags,
      references,
      missingData,
      missingRows,
      blobCount: digests.length,
    });
  }
  return broken;
}

function brokenFinding(broken: Broken, where: string): PlanFinding {
  const parts: string[] = [];
  if (broken.missingData.length) parts.push(`${broken.missingData.length} of ${broken.blobCount} blobs gone from ${where} (${broken.missingData.join(', ')})`);
  if (broken.missingRows.length) parts.push(`${broken.missingRows.length} without a blob row (${broken.missingRows.join(', ')})`);
  // src/server/middleware/repoproxy/proxy.go (v2.1.0 to v2.15.2): a blob or manifest the proxy project's storage lacks is fetched from the upstream.
  if (broken.proxyCache)
    return {
      level: 'info',
      message: `proxy cache: ${broken.references.join(' ')} — ${parts.join('; ')}; Harbor fetches them from the upstream on the next pull while it can reach it, nothing to push — see ${SECTION.repush}`,
      data: { ...broken },
    };
  return {
    level: 'problem',
    message: `push again: ${broken.references.join(' ')} — ${parts.join('; ')} — see ${broken.missingData.length ? SECTION.repush : SECTION.noRow}`,
    data: { ...broken },
  };
}

const FLAGS = {
  project: text({
    pattern: /[a-z0-9][a-z0-9._-]*/,
    patternHelp: 'a Harbor project name',
    help: 'Check only the artifacts of this project.',
    example: 'library',
  }),
  repository: text({
    pattern: REPOSITORY_PATTERN,
    patternHelp: 'a repository name such as library/nginx',
    help: 'Check only this repository (its full name, project included).',
    example: 'library/nginx',
  }),
  ...STORAGE_FLAGS,
  'registry-storage': path({
    help: "The registry's filesystem storage root (direct: on this host, e.g. /data/registry; compose/k8s: inside the registry container, /storage). Without it, --registry-url is asked instead.",
    example: '/data/registry',
  }),
  ...REGISTRY_FLAGS,
  concurrency: integer({ default: 8, min: 1, max: 64, help: 'With --registry-url: how many HEAD requests at a time.' }),
};
type Context = RunContext<typeof FLAGS, 'database' | 'harbor-api'>;

export const diagnoseMissingBlobs = definePlaybook({
  name: 'diagnose-missing-blobs',
  title: 'List artifacts whose blobs garbage collection removed',
  summary:
    'Reads the artifacts of Harbor 2.1+ (artifact, artifact_blob, blob, tag), optionally of one --project or --repository, and checks that the manifest, config and layers of each are still in the registry storage (--registry-storage) or, without it, answer HEAD through the registry API (--registry-url). Prints one repository:tag@digest line per broken artifact to push again; changes nothing.',
  remediates: ['gc-removed-referenced-blobs'],
  flags: FLAGS,
  targets: ['compose', 'k8s', 'direct'],
  mutates: false,
  requires: ['database', 'harbor-api'],
  async plan(context) {
    const { db, harbor, values } = context;
    requireKnownClean(harbor);
    if (!runsHarborsOwnGc(harbor))
      throw refuse(`this playbook is for Harbor 2.1 and later (its own GC, which decides from project_blob); this database is ${harbor.releases}`);
    if (values.repository) checkRepository(values.repository);
    if (values.project && values.repository && !values.repository.startsWith(`${values.project}/`))
      throw refuse(`--repository ${values.repository} is not in --project ${values.project}`);
    const root = values['registry-storage'];
    if (!root && !values['registry-url']) throw refuse('give --registry-storage (the storage root) or --registry-url (the registry API) to check the blobs in');
    const artifacts = await context.report.spin('reading artifacts', () => readArtifacts(db, scopeOf(values.project, values.repository)));
    const findings: PlanFinding[] = [];
    const digests = [...new Set(artifacts.flatMap((artifact) => [...artifact.blobs.keys()]))];
    let where: string;
    let isPresent: (artifact: Artifact, digest: string) => boolean;
    if (root) {
      const storage = registryStorage(context.target, { 'registry-storage': root });
      await checkIsRegistry(storage);
      const present = await presentInStorage(context, storage, digests);
      where = 'the storage';
      isPresent = (_artifact, digest) => present.has(digest);
      if (digests.length > 0 && present.size === 0)
        findings.push({
          level: 'warn',
          message: `not one of ${digests.length} blobs was found in ${storage.description}: check --registry-storage and that this user can read it — see ${SECTION.storage}`,
        });
    } else {
      const client = await context.api.registry();
      await client.check();
      const present = await presentInRegistry(context, client, artifacts);
      where = `the registry (${client.baseUrl})`;
      isPresent = (artifact, digest) => present.has(`${artifact.repository}@${digest}`);
    }
    const found = brokenArtifacts(artifacts, isPresent);
    const broken = found.filter((artifact) => !artifact.proxyCache);
    const cached = found.filter((artifact) => artifact.proxyCache);
    findings.push({
      level: broken.length ? 'problem' : 'info',
      message: `${artifacts.length} artifacts (${digests.length} blobs) checked${values.repository ? ` in ${values.repository}` : values.project ? ` in project ${values.project}` : ''}: ${broken.length} broken${cached.length ? `, ${cached.length} in proxy cache projects to be fetched again` : ''}`,
    });
    for (const artifact of found) findings.push(brokenFinding(artifact, where));
    const atRisk = artifacts.filter((artifact) => artifact.atRisk.length > 0);
    for (const artifact of atRisk)
      findings.push({
        level: 'warn',
        message: `keep GC off: ${referencesOf(artifact).join(' ')} uses ${artifact.atRisk.length} blob(s) no project_blob row refers to, which the next GC deletes (${artifact.atRisk.join(', ')}) — see ${SECTION.atRisk}`,
        data: { repository: artifact.repository, digest: artifact.digest, atRisk: artifact.atRisk },
      });
    const risks = atRisk.map((artifact) => ({ references: referencesOf(artifact), atRisk: artifact.atRisk }));
    return { findings, steps: [], facts: { checked: artifacts.length, blobs: digests.length, repush: broken, proxyCache: cached, atRisk: risks } };
  },
});
