// core-downgrade-schema on a real Harbor 1.10: the database is upgraded by 2.0.0's migration
// (as a 2.0 core would leave it), then the 1.10 core is started again on it. The real core
// refuses to start; the doctor and schema-doctor recognise why; db-restore of the db-backup
// taken before brings back a database the real 1.10 core starts on, with its data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { applyMigrationFiles, migrationFiles, migrationVersion } from '../support/harbor-migrations.ts';
import { createProject, pushImage } from '../support/real-harbor-images.ts';
import { PATH_WITH_POSTGRES } from '../support/servers.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
let backups: string;
let backup: string;
let failedStart: { code: number | null; log: string };

const run = (playbook: string, ...args: string[]) =>
  runCli(['run', playbook, '--db-url', rig.harbor.dbUrl, '--backup-dir', backups, '--json', ...args], { env: { PATH: PATH_WITH_POSTGRES } });

beforeAll(async () => {
  const { harbor } = rig;
  if (!harbor) return;
  backups = mkdtempSync(join(tmpdir(), 'hkb-backups-'));
  await createProject(harbor, 'keep');
  await pushImage(harbor, 'keep/app', 'v1');
  const backedUp = await run('db-backup');
  expect(backedUp.code, backedUp.stderr).toBe(0);
  backup = JSON.parse(backedUp.stdout).changes[0].data.path;

  // An upgrade to 2.0.0 ran its migration, then the operator went back to the 1.10 core.
  await harbor.core.stop();
  await applyMigrationFiles(
    { exec: (statement) => harbor.query(statement) },
    migrationFiles('2.0.0').filter((file) => migrationVersion(file) > 15),
  );
  const offset = harbor.core.logSize();
  harbor.core.spawn();
  await waitFor('the 1.10 core to exit on a 2.0 schema', () => !harbor.core.running(), 60_000);
  failedStart = { code: await harbor.core.exited(), log: harbor.core.logSince(offset) };
});

afterAll(() => {
  if (backups) rmSync(backups, { recursive: true, force: true });
});

describeHarbor('core-downgrade-schema on a real Harbor 1.10', () => {
  it('the 1.10 core exits on a database 2.0.0 migrated, with its real error', () => {
    console.log(
      `core exited ${failedStart.code}:\n${failedStart.log
        .split('\n')
        .filter((line) => /FATAL|ERROR|migrat/i.test(line))
        .join('\n')}`,
    );
    expect(failedStart.code).not.toBe(0);
    expect(failedStart.log).toMatch(/no migration found for version 30|file does not exist/);
  });

  it('the doctor names the page from the core log', async () => {
    await expectDoctorNames(rig.harbor, ['core-downgrade-schema']);
  });

  it('schema-doctor: the database is newer than the 1.10.18 image', async () => {
    const result = await run('schema-doctor', '--image-version', '1.10.18');
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.harbor.schemaVersion).toBe(30);
    const problem = json.findings.find((finding: { level: string }) => finding.level === 'problem');
    expect(problem.data.fit).toBe('newer');
  });

  it('db-restore refuses while jobservice is connected, and once it is stopped brings back a database the 1.10 core starts on', async () => {
    const refused = await run('db-restore', '--file', backup, '--harbor-version', '1.10.18', '--apply', '--yes');
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/refusing to restore while \d+ other session\(s\) use the database/);
    await rig.harbor.jobservice.stop();
    const restored = await run('db-restore', '--file', backup, '--harbor-version', '1.10.18', '--apply', '--yes');
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(await rig.harbor.query('SELECT version, dirty FROM schema_migrations')).toEqual([{ version: '15', dirty: false }]);
    await rig.harbor.core.start();
    await rig.harbor.jobservice.start();
    const repositories = await rig.harbor.api('GET', '/api/search?q=app');
    expect(repositories.status).toBe(200);
    expect(JSON.stringify(repositories.json())).toContain('keep/app');
  });
});
