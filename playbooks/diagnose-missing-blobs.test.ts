// diagnose-missing-blobs against a real PostgreSQL 15 with Harbor 2.1.6's and 2.15.2's schema and a
// real distribution 2.8 registry holding images pushed by skopeo. The failure is reproduced as GC
// leaves it: the blob directories of artifacts Harbor still lists are removed from the storage (a
// layer of one, the manifest of another), and one artifact's config has lost its blob row.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { expectAnchorsOnPages } from '../test/support/page-anchors.ts';
import { blobDirectory, recordPush, type RecordedArtifact } from '../test/support/harbor-artifacts.ts';
import { buildImageLayout, skopeoDigest, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { startPostgres, type PostgresServer } from '../test/support/postgres.ts';
import { startRegistry, treeHash, type RegistryServer } from '../test/support/registry.ts';

const IMAGES = { app: 'library/app', web: 'library/web', cfg: 'library/cfg', api: 'team/api', risk: 'library/risk', cached: 'hub/cached' } as const;
type Image = keyof typeof IMAGES;

let postgres: PostgresServer;
const layouts = {} as Record<Image, ImageLayout>;

beforeAll(async () => {
  postgres = await startPostgres();
  for (const name of Object.keys(IMAGES) as Image[]) layouts[name] = await buildImageLayout(['v1', 'v2'], `${name} image\n`);
});

afterAll(async () => {
  await postgres?.stop();
  for (const layout of Object.values(layouts)) layout.cleanup();
});

interface Rig {
  db: HarborDb;
  registry: RegistryServer;
  pushed: Record<Image, RecordedArtifact>;
}

/**
 * Five images pushed through a real registry and recorded as Harbor records them. Then what a GC
 * that decided from project_blob alone leaves: web's layer and api's manifest gone from the
 * storage, cfg's config without its blob row (data still there); risk's layer has lost its
 * project_blob row, so the next GC would delete it; hub is a proxy cache project (registry_id > 0, while
 * team's 0 and library's NULL are ordinary projects) whose copy of
 * cached's layer is gone (Harbor fetches it from the upstream again). app is untouched but for a
 * foreign layer, which is never in the storage.
 */
async function brokenByGc(era: '2.1.6' | '2.15.2'): Promise<Rig> {
  const registry = await startRegistry();
  const db = await createHarborDb(era, { postgres });
  const pushed = {} as Record<Image, RecordedArtifact>;
  for (const name of Object.keys(IMAGES) as Image[]) {
    await skopeoPush(layouts[name], registry, IMAGES[name], 'v1');
    pushed[name] = await recordPush(db, layouts[name], IMAGES[name], 'v1');
  }
  // app:v2 is a second artifact of the healthy repository, sharing its config and layer.
  await skopeoPush(layouts.app, registry, IMAGES.app, 'v2');
  await recordPush(db, layouts.app, IMAGES.app, 'v2');
  rmSync(blobDirectory(registry.v2, pushed.web.layer), { recursive: true });
  rmSync(blobDirectory(registry.v2, pushed.api.digest), { recursive: true });
  await db.exec(`DELETE FROM project_blob WHERE blob_id IN (SELECT id FROM blob WHERE digest = '${pushed.cfg.config}')`);
  await db.exec(`DELETE FROM blob WHERE digest = '${pushed.cfg.config}'`);
  await db.exec(`DELETE FROM project_blob WHERE blob_id IN (SELECT id FROM blob WHERE digest = '${pushed.risk.layer}')`);
  // Projects Harbor 2.x creates have registry_id 0 (the ORM inserts models.Project's RegistryID);
  // only library, which predates 2.1.0's ALTER TABLE project ADD COLUMN registry_id, has NULL.
  await db.exec(`UPDATE project SET registry_id = 0 WHERE name = 'team'`);
  await db.exec(`UPDATE project SET registry_id = 1 WHERE name = 'hub'`);
  // A foreign layer of app: rows as Harbor's put_manifest writes them (blob Sync, project association), but never data in the storage.
  const foreign = `sha256:${'f'.repeat(64)}`;
  await db.exec(`INSERT INTO blob (digest, content_type, size) VALUES ('${foreign}', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 1)`);
  await db.exec(`INSERT INTO artifact_blob (digest_af, digest_blob) VALUES ('${pushed.app.digest}', '${foreign}')`);
  await db.exec(`INSERT INTO project_blob (project_id, blob_id) SELECT ${pushed.app.projectId}, id FROM blob WHERE digest = '${foreign}'`);
  rmSync(blobDirectory(registry.v2, pushed.cached.layer), { recursive: true });
  return { db, registry, pushed };
}

interface Result {
  code: number;
  findings: { level: string; message: string }[];
  repush: { references: string[]; missingData: string[]; missingRows: string[] }[];
  atRisk: { references: string[]; atRisk: string[] }[];
  stderr: string;
}

async function diagnose(rig: Rig, ...args: string[]): Promise<Result> {
  const result = await runCli(['run', 'diagnose-missing-blobs', '--db-url', rig.db.url, '--json', ...args]);
  const parsed = JSON.parse(result.stdout) as { findings: Result['findings']; facts?: Pick<Result, 'repush' | 'atRisk'> };
  return { code: result.code, findings: parsed.findings, repush: parsed.facts?.repush ?? [], atRisk: parsed.facts?.atRisk ?? [], stderr: result.stderr };
}

const referencesOf = (result: Result) => result.repush.flatMap((entry) => entry.references).sort();

describe.each([['2.1.6'], ['2.15.2']] as const)('Harbor %s', (era) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await brokenByGc(era);
  });
  afterAll(async () => {
    await rig?.db.close();
    await rig?.registry.stop();
  });

  it('the registry really cannot serve the broken images, and serves the healthy one', async () => {
    const { registry, pushed } = rig;
    expect(await skopeoDigest(registry, IMAGES.app, 'v1')).toBe(pushed.app.digest);
    expect(await skopeoDigest(registry, IMAGES.api, 'v1')).toBeUndefined();
    const layer = await fetch(`${registry.url}/v2/${IMAGES.web}/blobs/${pushed.web.layer}`, { method: 'HEAD' });
    expect(layer.status).toBe(404);
  });

  it('lists exactly the broken artifacts as repository:tag@digest, with the page section, from the storage; changes nothing', async () => {
    const { db, registry, pushed } = rig;
    const before = await db.checksums();
    const storageBefore = treeHash(registry.storage);
    const result = await diagnose(rig, '--registry-storage', registry.storage);
    expect(result.code, result.stderr).toBe(0);
    const { web, api, cfg, risk } = pushed;
    expect(referencesOf(result)).toEqual([`${IMAGES.cfg}:v1@${cfg.digest}`, `${IMAGES.web}:v1@${web.digest}`, `${IMAGES.api}:v1@${api.digest}`].sort());
    const byImage = (name: Image) => result.repush.find((entry) => entry.references[0]!.startsWith(`${IMAGES[name]}:`));
    expect(byImage('web')).toMatchObject({ missingData: [web.layer], missingRows: [] });
    expect(byImage('api')).toMatchObject({ missingData: [api.digest], missingRows: [] });
    expect(byImage('cfg')).toMatchObject({ missingData: [], missingRows: [cfg.config] });
    const lines = result.findings.filter((finding) => finding.message.startsWith('push again:')).map((finding) => finding.message);
    expect(lines).toHaveLength(3);
    expectAnchorsOnPages(lines);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^push again: library/web:v1@${web.digest} — 1 of 3 blobs gone from the storage \\(${web.layer}\\) — see /issues/gc-removed-referenced-blobs/#5-repair-by-pushing-again$`,
        ),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^push again: library\/cfg:v1@.* without a blob row .* see \/issues\/gc-removed-referenced-blobs\/#2-artifacts-whose-blob-rows-are-gone$/,
      ),
    );
    // Still served, but the next GC deletes risk's layer: a warning, not a push.
    expect(result.atRisk).toEqual([{ references: [`${IMAGES.risk}:v1@${risk.digest}`], atRisk: [risk.layer] }]);
    const warning = result.findings.find((finding) => finding.message.startsWith('keep GC off:'));
    expect(warning?.message).toBe(
      `keep GC off: library/risk:v1@${risk.digest} uses 1 blob(s) no project_blob row refers to, which the next GC deletes (${risk.layer}) — see /issues/gc-removed-referenced-blobs/#3-blobs-the-next-gc-would-delete-although-an-artifact-uses-them`,
    );
    expectAnchorsOnPages([warning!.message]);
    // Nothing about the healthy repository, whose two artifacts share every blob but the manifest.
    expect(JSON.stringify(result.findings)).not.toContain(IMAGES.app);
    // The proxy cache project's artifact is told apart: nothing to push.
    expect(result.findings.find((finding) => finding.message.startsWith('proxy cache:'))?.message).toBe(
      `proxy cache: hub/cached:v1@${pushed.cached.digest} — 1 of 3 blobs gone from the storage (${pushed.cached.layer}); Harbor fetches them from the upstream on the next pull while it can reach it, nothing to push — see /issues/gc-removed-referenced-blobs/#5-repair-by-pushing-again`,
    );
    expect(result.findings[0]!.message).toBe('7 artifacts (19 blobs) checked: 3 broken, 1 in proxy cache projects to be fetched again');
    expect(await db.checksums()).toEqual(before);
    expect(treeHash(registry.storage)).toBe(storageBefore);
  });

  it('bounds the work to --project or --repository', async () => {
    const { registry, pushed } = rig;
    const team = await diagnose(rig, '--registry-storage', registry.storage, '--project', 'team');
    expect(team.code, team.stderr).toBe(0);
    expect(referencesOf(team)).toEqual([`${IMAGES.api}:v1@${pushed.api.digest}`]);
    expect(team.findings[0]!.message).toBe('1 artifacts (3 blobs) checked in project team: 1 broken');
    const app = await diagnose(rig, '--registry-storage', registry.storage, '--repository', IMAGES.app);
    expect(app.code, app.stderr).toBe(0);
    expect(app.repush).toEqual([]);
    expect(app.findings[0]!.message).toBe(`2 artifacts (4 blobs) checked in ${IMAGES.app}: 0 broken`);
  });

  it('without the storage, confirms the same artifacts through the registry API (HEAD)', async () => {
    const { db, registry, pushed } = rig;
    const before = await db.checksums();
    const result = await diagnose(rig, '--registry-url', registry.url);
    expect(result.code, result.stderr).toBe(0);
    expect(referencesOf(result)).toEqual(
      [`${IMAGES.cfg}:v1@${pushed.cfg.digest}`, `${IMAGES.web}:v1@${pushed.web.digest}`, `${IMAGES.api}:v1@${pushed.api.digest}`].sort(),
    );
    expect(result.findings.some((finding) => finding.message.includes(`gone from the registry (${registry.url})`))).toBe(true);
    expect(await db.checksums()).toEqual(before);
  });

  it('refuses bad input with exit 2', async () => {
    const nothing = await runCli(['run', 'diagnose-missing-blobs', '--db-url', rig.db.url]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('give --registry-storage');
    const withStorage = (...args: string[]) =>
      runCli(['run', 'diagnose-missing-blobs', '--db-url', rig.db.url, '--registry-storage', rig.registry.storage, ...args]);
    const outside = await withStorage('--repository', '../etc');
    expect(outside.code).toBe(2);
    const mismatch = await withStorage('--project', 'team', '--repository', IMAGES.app);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('is not in --project team');
    const notRegistry = await runCli(['run', 'diagnose-missing-blobs', '--db-url', rig.db.url, '--registry-storage', '/tmp']);
    expect(notRegistry.code).toBe(2);
    expect(notRegistry.stderr).toContain('is not a registry storage root');
  });
});
