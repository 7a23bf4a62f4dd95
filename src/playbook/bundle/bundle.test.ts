// The downloadable single-file playbooks: built with esbuild, copied to a temp dir with no
// node_modules anywhere above it, then run with plain node and with zx against a real
// PostgreSQL 15.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT, runNode } from '../../../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../../../test/support/harbor-db.ts';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres.ts';
import { SEED } from '../../../test/support/replication-seed.ts';
import { playbooks } from '../../../playbooks/all.ts';
import { buildPlaybookBundles } from './bundle.ts';

let postgres: PostgresServer;
let db: HarborDb;
let dir: string;
let stopBundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-bundle-'));
  postgres = await startPostgres();
  db = await createHarborDb('2.15.2', { postgres });
  for (const statement of SEED.task) await db.exec(statement);
  stopBundle = (await buildPlaybookBundles(dir, playbooks, ['stop-stuck-replication']))[0]!;
});
afterAll(async () => {
  await db?.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('emits one .mjs file per playbook, nothing else', () => {
  expect(readdirSync(dir)).toEqual(['stop-stuck-replication.mjs']);
});

it('answers --help under plain node, outside the repo', async () => {
  const result = await runNode(stopBundle, ['--help'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('--policy N');
  expect(result.stdout).toContain('Exit codes');
});

it('answers --help under zx', async () => {
  const result = await runNode(join(REPO_ROOT, 'node_modules/zx/build/cli.js'), [stopBundle, '--help'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('harbor-kb run stop-stuck-replication');
});

it('dry-runs against a real PostgreSQL and changes nothing; bad input exits 2', async () => {
  const before = await db.checksums();
  const result = await runNode(stopBundle, ['--db-url', db.url, '--policy', '1', '--backup-dir', join(dir, 'backups')], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('would change 4');
  expect(result.stdout).not.toContain(postgres.password);
  expect(await db.checksums()).toEqual(before);
  const refused = await runNode(stopBundle, ['--db-url', db.url, '--policy', '8; drop table project'], { cwd: dir });
  expect(refused.code).toBe(2);
});
