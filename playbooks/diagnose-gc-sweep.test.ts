// diagnose-gc-sweep against a real PostgreSQL 15 with Harbor 2.1.6's and 2.15.2's schema (built from
// Harbor's own migrations) and a real distribution 2.8 registry holding images pushed by skopeo. The
// failed sweep is reproduced on both: the blob directories GC managed to delete are removed from the
// storage, and the blob rows are left in delete, deleting and deletefailed as a sweep that failed
// (or whose jobservice died) leaves them.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { killWhenWaiting, postgresLockWaiter, stopDuringCommit } from '../test/support/lock-and-kill.ts';
import { waitFor } from '../test/support/service.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { expectAnchorsOnPages } from '../test/support/page-anchors.ts';
import { blobDirectory, forgetArtifact, recordPush, type RecordedArtifact } from '../test/support/harbor-artifacts.ts';
import { buildImageLayout, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { POSTGRES_BIN, startPostgres, type PostgresServer } from '../test/support/postgres.ts';
import { startRegistry, treeHash, type RegistryServer } from '../test/support/registry.ts';
import { createShim, type ShimOptions } from '../test/support/shim.ts';

let postgres: PostgresServer;
let dir: string;
const layouts: Record<'app' | 'old' | 'other', ImageLayout> = {} as never;

beforeAll(async () => {
  postgres = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'hkb-gc-sweep-'));
  for (const name of ['app', 'old', 'other'] as const) layouts[name] = await buildImageLayout(['v1'], `${name} image\n`);
});

afterAll(async () => {
  await postgres?.stop();
  for (const layout of Object.values(layouts)) layout.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Rig {
  db: HarborDb;
  registry: RegistryServer;
  app: RecordedArtifact;
  old: RecordedArtifact;
  other: RecordedArtifact;
  gcLog: string;
}

/** Every blob row as it stands (update_time as text, so a restore can be compared exactly). */
async function blobRows(db: HarborDb): Promise<Record<string, unknown>[]> {
  return db.exec(`SELECT id, digest, status, version, to_char(update_time, 'YYYY-MM-DD HH24:MI:SS.US') AS update_time FROM blob ORDER BY id`);
}

async function statusOf(db: HarborDb, digest: string): Promise<string> {
  const [row] = await db.exec(`SELECT status FROM blob WHERE digest = '${digest}'`);
  return String(row?.status);
}

async function setStatus(db: HarborDb, digest: string, status: string, version: number, age: string): Promise<void> {
  await db.exec(`UPDATE blob SET status = '${status}', version = ${version}, update_time = now() - interval '${age}' WHERE digest = '${digest}'`);
}

/**
 * Three images pushed and recorded; `old` and `other` were deleted and GC ran over them:
 * old's layer could not be deleted (deletefailed, data still there), old's config and manifest were
 * left in deleting when jobservice died (the manifest after its data was removed); other's layer
 * failed on 2.1–2.4 after its data was gone, its config is still being swept (deleting, recent) and
 * its manifest is a candidate GC will sweep again (delete).
 */
async function failedSweep(era: '2.1.6' | '2.15.2'): Promise<Rig> {
  const registry = await startRegistry();
  const db = await createHarborDb(era, { postgres });
  const pushed = {} as Record<'app' | 'old' | 'other', RecordedArtifact>;
  for (const name of ['app', 'old', 'other'] as const) {
    await skopeoPush(layouts[name], registry, `library/${name}`, 'v1');
    pushed[name] = await recordPush(db, layouts[name], `library/${name}`, 'v1');
  }
  const { app, old, other } = pushed;
  await forgetArtifact(db, old);
  await forgetArtifact(db, other);
  await setStatus(db, old.layer, 'deletefailed', 3, '3 hours');
  await setStatus(db, old.config, 'deleting', 2, '3 hours');
  await setStatus(db, old.digest, 'deleting', 2, '3 hours');
  rmSync(blobDirectory(registry.v2, old.digest), { recursive: true });
  await setStatus(db, other.layer, 'deletefailed', 3, '3 hours');
  rmSync(blobDirectory(registry.v2, other.layer), { recursive: true });
  await setStatus(db, other.config, 'deleting', 2, '5 minutes');
  await setStatus(db, other.digest, 'delete', 1, '3 hours');
  // The lines each release writes (garbage_collection.go at v2.15.2, v2.1.0, v2.3.1; registryctl's blob.go).
  const gcLog = join(dir, `gc-${era}.log`);
  const body = '{"errors":[{"code":"UNKNOWN","message":"internal server error"}]}';
  writeFileSync(
    gcLog,
    [
      '2026-12-01T10:00:00Z [INFO] [/jobservice/job/impl/gc/garbage_collection.go:180]: start to run gc in job.',
      `2026-12-01T10:00:01Z [INFO] [/jobservice/job/impl/gc/garbage_collection.go:440]: [0b1c][1/6] failed to exec DeleteBlob, error: http status code: 500, body: ${body}, will retry again after: 1s`,
      `2026-12-01T10:00:05Z [ERROR] [/jobservice/job/impl/gc/garbage_collection.go:442]: [0b1c][1/6] failed to delete blob from storage: ${old.layer}, deleting, errMsg=http status code: 500, body: ${body}`,
      `2026-12-01T10:00:05Z [INFO] [/registryctl/api/registry/blob/blob.go:67]: failed to remove blob: ${old.layer}, with error:s3aws: AccessDenied: Access Denied status code: 403`,
      `2026-12-01T09:00:01Z [INFO] [/jobservice/job/impl/gc/garbage_collection.go:307]: failed to exec DeleteBlob retry after 1s : http status code: 500, body: ${body}`,
      `2026-12-01T09:00:09Z [ERROR] [/jobservice/job/impl/gc/garbage_collection.go:165]: failed to execute GC job at sweep phase, error: failed to delete blob from storage: ${other.layer}, deletefailed: http status code: 500, body: ${body}`,
      '',
    ].join('\n'),
  );
  return { db, registry, app, old, other, gcLog };
}

const run = (rig: Rig, ...args: string[]) =>
  runCli([
    'run',
    'diagnose-gc-sweep',
    '--db-url',
    rig.db.url,
    '--registry-storage',
    rig.registry.storage,
    '--gc-log',
    rig.gcLog,
    '--backup-dir',
    dir,
    '--json',
    ...args,
  ]);

/** --apply on the direct target with the storage and no GC log. */
const applyWithoutLog = (rig: Rig, ...args: string[]) =>
  runCli(['run', 'diagnose-gc-sweep', '--db-url', rig.db.url, '--registry-storage', rig.registry.storage, '--backup-dir', dir, '--apply', '--yes', ...args]);

interface Finding {
  level: string;
  message: string;
}

/** Whether a session of `database` comes to wait on a lock (killWhenWaiting's wait, without killing it). */
async function whenBlocked(database: string): Promise<boolean> {
  const watcher = await postgres.client(database);
  try {
    return await killWhenWaiting(postgresLockWaiter(watcher, database), async () => {});
  } finally {
    await watcher.end();
  }
}

/** The dry-run's findings: each log line by release range, each stuck row with its storage state and next step, nothing about healthy blobs. */
async function expectDiagnosis(rig: Rig): Promise<{ changes: { expected: number }[] }> {
  const { app, old, other } = rig;
  const dryRun = await run(rig);
  expect(dryRun.code, dryRun.stderr).toBe(0);
  const plan = JSON.parse(dryRun.stdout) as {
    findings: Finding[];
    changes: { expected: number }[];
    facts: { blobs: { digest: string; status: string; present?: boolean }[] };
  };
  const messages = plan.findings.map((finding) => finding.message);
  // The log: each release range's line, the storage's own reason, and the retries.
  expect(messages).toContainEqual(
    expect.stringMatching(
      new RegExp(`GC could not delete ${old.layer} \\(Harbor 2\\.5\\+ line.*the storage said: s3aws: AccessDenied.*its row is deletefailed now`),
    ),
  );
  expect(messages).toContainEqual(expect.stringMatching(new RegExp(`GC could not delete ${other.layer} \\(Harbor 2\\.1–2\\.4 line, deletefailed`)));
  expect(messages).toContainEqual(expect.stringContaining('the GC job ended at its sweep phase'));
  expect(messages).toContainEqual(expect.stringMatching(/DeleteBlob was retried 1 time\(s\) \(Harbor 2\.4\+ line\)/));
  expect(messages).toContainEqual(expect.stringMatching(/DeleteBlob was retried 1 time\(s\) \(Harbor 2\.3\.1–2\.3\.x line\)/));
  // The rows, each with what the storage says and what happens next.
  expect(messages).toContainEqual(expect.stringContaining('blob rows in a delete state: 1 delete, 3 deleting, 2 deletefailed'));
  const line = (digest: string) => messages.find((message) => message.startsWith('blob ') && message.includes(digest));
  expect(line(old.layer)).toMatch(/deletefailed \(data still in the storage\): --apply sets it back to none/);
  expect(line(old.config)).toMatch(/deleting \(data still in the storage\): --apply sets it back to none/);
  expect(line(old.digest)).toMatch(/deleting \(data gone from the storage\): --apply sets it to deletefailed/);
  expect(line(other.layer)).toMatch(/deletefailed \(data gone from the storage\): the next GC removes the row/);
  expect(line(other.config)).toMatch(/in deleting for less than the time window \(2 h\)/);
  expect(line(other.digest)).toMatch(/is delete .*the next GC sweeps it again/);
  for (const message of messages) expect(message).toMatch(/see \/issues\/|^the log|^DeleteBlob/);
  expectAnchorsOnPages(messages);
  // Nothing about the healthy image.
  for (const digest of [app.digest, app.config, app.layer]) expect(messages.join('\n')).not.toContain(digest);
  return plan;
}

/** How the compose and k8s targets reach jobservice's log, the registry container and the database, as the shim sees them. */
const EXEC_TARGETS = {
  compose: {
    args: ['--target', 'compose'],
    shim: { containers: ['harbor-db', 'registry'] },
    logs: ['docker', 'logs', '--tail', '5000', 'harbor-jobservice'],
    storage: 'docker exec -i registry xargs',
  },
  k8s: {
    args: ['--target', 'k8s', '--namespace', 'harbor', '--release', 'hk'],
    shim: {
      workloads: [
        { namespace: 'harbor', name: 'hk-harbor-database-0', container: 'database' },
        { namespace: 'harbor', name: 'deploy/hk-harbor-registry', container: 'registry' },
      ],
    },
    logs: ['kubectl', '-n', 'harbor', 'logs', 'deploy/hk-harbor-jobservice', '--tail', '5000'],
    storage: 'kubectl -n harbor exec -i deploy/hk-harbor-registry -c registry -- xargs',
  },
} satisfies Record<string, { args: string[]; shim: Pick<ShimOptions, 'containers' | 'workloads'>; logs: string[]; storage: string }>;

/** compose and k8s through the shim: jobservice's log read, the storage checked by exec into the registry, psql in the database container; the restore works there too. */
async function expectExecTargetRun(rig: Rig, kind: keyof typeof EXEC_TARGETS): Promise<void> {
  const { db, registry, old } = rig;
  const place = EXEC_TARGETS[kind];
  const shim = createShim({
    database: { engine: 'postgresql', host: '127.0.0.1', port: postgres.port, password: postgres.password },
    ...place.shim,
    answers: [{ prefix: place.logs, file: rig.gcLog }],
  });
  try {
    const exec = (...args: string[]) =>
      runCli(
        ['run', 'diagnose-gc-sweep', ...place.args, '--db-name', db.name, '--registry-storage', registry.storage, '--backup-dir', dir, '--json', ...args],
        {
          env: { PATH: shim.path },
        },
      );
    const rowsBefore = await blobRows(db);
    const plan = await exec();
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`GC could not delete ${old.layer} (Harbor 2.5+ line`);
    expect(await blobRows(db)).toEqual(rowsBefore);
    const applied = await exec('--apply', '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    expect(await statusOf(db, old.layer)).toBe('none');
    const calls = shim.calls();
    expect(calls).toContainEqual(place.logs);
    // The storage is checked in the registry container by the dry-run's plan, then by the apply's plan and right before its change.
    const storageCalls = calls.filter((call) => call.join(' ').startsWith(place.storage));
    expect(storageCalls).toHaveLength(3);
    const result = JSON.parse(applied.stdout) as { changes: { restore: string[] }[] };
    for (const statement of result.changes[0]!.restore.filter((entry) => entry.startsWith('UPDATE'))) await db.exec(statement);
    expect(await blobRows(db)).toEqual(rowsBefore);
  } finally {
    shim.cleanup();
  }
}

/** A blob whose data leaves the storage after the plan read it makes the apply refuse before any row changes. */
async function expectStorageRecheck(rig: Rig, era: string): Promise<void> {
  const { db, registry, old } = rig;
  // An xargs first on PATH moves old's config away on its second call: the check right before the change.
  const bin = join(dir, `bin-${era}`);
  mkdirSync(bin, { recursive: true });
  const victim = blobDirectory(registry.v2, old.config);
  const count = join(bin, 'calls');
  writeFileSync(
    join(bin, 'xargs'),
    `#!/bin/sh\nn=$(cat '${count}' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '${count}'\n[ "$n" = 2 ] && mv '${victim}' '${victim}.aside'\nexec /usr/bin/xargs "$@"\n`,
  );
  chmodSync(join(bin, 'xargs'), 0o755);
  const before = await db.checksums();
  try {
    const result = await runCli(
      ['run', 'diagnose-gc-sweep', '--db-url', db.url, '--registry-storage', registry.storage, '--backup-dir', dir, '--apply', '--yes'],
      { env: { PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`1 blob(s) changed in the storage since the plan (${old.config}); nothing changed`);
    expect(await db.checksums()).toEqual(before);
  } finally {
    if (existsSync(`${victim}.aside`)) renameSync(`${victim}.aside`, victim);
  }
}

describe.each([['2.1.6'], ['2.15.2']] as const)('Harbor %s', (era) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await failedSweep(era);
  });
  afterAll(async () => {
    await rig?.db.close();
    await rig?.registry.stop();
  });

  it('diagnoses the failed sweep, changes nothing on a dry-run, repairs with --apply, then has nothing to do; the backup restores', async () => {
    const { db, registry, old } = rig;
    const before = await db.checksums();
    const storageBefore = treeHash(registry.storage);

    const plan = await expectDiagnosis(rig);
    expect(plan.changes[0]!.expected).toBe(3);
    expect(await db.checksums()).toEqual(before);
    expect(treeHash(registry.storage)).toBe(storageBefore);

    const rowsBefore = await blobRows(db);
    const applied = await run(rig, '--apply', '--yes');
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as { changes: { changed: number; restore: string[]; verified: string }[]; backupPaths: string[] };
    expect(result.changes[0]).toMatchObject({ changed: 3 });
    expect(result.changes[0]!.verified).toContain('3 rows are in their new state');
    expect(await statusOf(db, old.layer)).toBe('none');
    expect(await statusOf(db, old.config)).toBe('none');
    expect(await statusOf(db, old.digest)).toBe('deletefailed');
    const rowsAfter = await blobRows(db);
    const changed = rowsAfter.filter((row, index) => JSON.stringify(row) !== JSON.stringify(rowsBefore[index])).map((row) => row.digest);
    expect(changed.sort()).toEqual([old.digest, old.config, old.layer].sort());
    // Harbor's own rule: every status change bumps version.
    for (const row of rowsAfter.filter((entry) => changed.includes(entry.digest)))
      expect(Number(row.version)).toBe(Number(rowsBefore.find((entry) => entry.id === row.id)!.version) + 1);
    expect(treeHash(registry.storage)).toBe(storageBefore);

    const again = await applyWithoutLog(rig);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do.');
    expect(await blobRows(db)).toEqual(rowsAfter);

    // The restore statements the run printed put the rows back exactly.
    const statements = result.changes[0]!.restore.filter((entry) => entry.startsWith('UPDATE'));
    expect(statements).toHaveLength(3);
    for (const statement of statements) await db.exec(statement);
    expect(await blobRows(db)).toEqual(rowsBefore);
  });

  it.each([['compose'], ['k8s']] as const)(
    "%s: reads jobservice's log, checks the storage and changes the database through the target; the restore works there too",
    (kind) => expectExecTargetRun(rig, kind),
  );

  it('refuses the whole apply (exit 2) when a blob left the storage between the plan and the change; nothing changes', () => expectStorageRecheck(rig, era));

  it('refuses the whole apply (exit 2) when a row is no longer stuck by the time it is changed; nothing changes', async () => {
    const { db, old } = rig;
    const locker = await postgres.client(db.name);
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM blob WHERE digest = $1 FOR UPDATE`, [old.layer]);
      const applying = run(rig, '--apply', '--yes');
      // A client pushes old's layer again while the apply waits for the row: Harbor moves it to none.
      const blocked = await whenBlocked(db.name);
      if (!blocked) {
        const early = await applying;
        expect.fail(`the apply did not wait for the row lock: exit ${early.code} ${early.stderr} ${early.stdout.slice(0, 3000)}`);
      }
      await locker.query(`UPDATE blob SET status = 'none', version = version + 1, update_time = now() WHERE digest = $1`, [old.layer]);
      await locker.query('COMMIT');
      const before = await db.checksums();
      const result = await applying;
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('selected rows changed since the plan read them');
      expect(await db.checksums()).toEqual(before);
    } finally {
      await locker.end();
    }
    await db.exec(`UPDATE blob SET status = 'deletefailed', version = 3, update_time = now() - interval '3 hours' WHERE digest = '${old.layer}'`);
  });

  it('refuses --apply while a GC runs, and without the storage; reads no device as a log', async () => {
    const { db } = rig;
    const before = await db.checksums();
    const running =
      era === '2.1.6'
        ? `INSERT INTO admin_job (job_name, job_kind, status) VALUES ('IMAGE_GC', 'Generic', 'running') RETURNING id`
        : `INSERT INTO execution (vendor_type, vendor_id, status, trigger) VALUES ('GARBAGE_COLLECTION', -1, 'Running', 'MANUAL') RETURNING id`;
    const [row] = await db.exec(running);
    const table = era === '2.1.6' ? 'admin_job' : 'execution';
    try {
      const during = await db.checksums();
      const refused = await run(rig, '--apply', '--yes');
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`a garbage collection is running (${table} ${row!.id}`);
      expect(await db.checksums()).toEqual(during);
    } finally {
      await db.exec(`DELETE FROM ${table} WHERE id = ${row!.id}`);
    }
    const noStorage = await runCli(['run', 'diagnose-gc-sweep', '--db-url', db.url, '--backup-dir', dir, '--apply', '--yes']);
    expect(noStorage.code).toBe(2);
    expect(noStorage.stderr).toContain('--apply needs --registry-storage');
    const device = await runCli(['run', 'diagnose-gc-sweep', '--db-url', db.url, '--gc-log', '/dev/zero']);
    expect(device.code).toBe(2);
    expect(device.stderr).toContain('is not a regular file');
    const badWindow = await runCli(['run', 'diagnose-gc-sweep', '--db-url', db.url, '--time-window', '2 hours']);
    expect(badWindow.code).toBe(2);
    expect(await db.checksums()).toEqual(before);
  });
});

it('a GC that starts after the plan refuses the whole apply right before the change (exit 2); nothing changes', async () => {
  const rig = await failedSweep('2.15.2');
  const { db, registry } = rig;
  // An xargs first on PATH starts a GC (an execution in Running, as core records one) on its second call: the
  // storage check of the apply, after its plan found no GC running.
  const bin = join(dir, 'bin-gc-starts');
  mkdirSync(bin, { recursive: true });
  const count = join(bin, 'calls');
  const start = `INSERT INTO execution (vendor_type, vendor_id, status, trigger) VALUES ('GARBAGE_COLLECTION', -1, 'Running', 'MANUAL')`;
  writeFileSync(
    join(bin, 'xargs'),
    `#!/bin/sh\nn=$(cat '${count}' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '${count}'\n[ "$n" = 2 ] && '${POSTGRES_BIN}/psql' -X -q '${db.url}' -c "${start}" >/dev/null\nexec /usr/bin/xargs "$@"\n`,
  );
  chmodSync(join(bin, 'xargs'), 0o755);
  try {
    const rowsBefore = await blobRows(db);
    const result = await runCli(
      ['run', 'diagnose-gc-sweep', '--db-url', db.url, '--registry-storage', registry.storage, '--backup-dir', dir, '--apply', '--yes'],
      { env: { PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/a garbage collection is running \(execution \d+ \(Running\)\); nothing changed/);
    expect(await blobRows(db)).toEqual(rowsBefore);
  } finally {
    await db.close();
    await registry.stop();
  }
});

it('a COMMIT the database does not confirm: exit 3, and the restore printed is the one of the backup, which puts the rows back once the COMMIT went through', async () => {
  const rig = await failedSweep('2.15.2');
  const { db, registry } = rig;
  const locker = await postgres.client(db.name);
  let stopped: number | undefined;
  try {
    // Each updated blob row sleeps a moment at commit time: the window in which the backend is stopped.
    await db.exec(`CREATE FUNCTION at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$`);
    await db.exec(`CREATE CONSTRAINT TRIGGER at_commit AFTER UPDATE ON blob DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION at_commit()`);
    const rowsBefore = await blobRows(db);
    const run = applyWithoutLog(rig, '--statement-timeout', '5s', '--json');
    stopped = await stopDuringCommit(locker, db.name);
    expect(stopped).toBeDefined();
    const result = await run;
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('the database did not confirm the COMMIT');
    const answer = JSON.parse(result.stdout) as { restore: string[] };
    const statements = answer.restore.filter((entry) => entry.startsWith('UPDATE blob'));
    expect(statements).toHaveLength(3);
    // The stopped backend goes on and commits; the printed restore then puts every row back.
    if (stopped) process.kill(stopped, 'SIGCONT');
    stopped = undefined;
    await waitFor('the stopped COMMIT to finish', async () => (await blobRows(db)).some((row, index) => row.status !== rowsBefore[index]?.status));
    for (const statement of statements) await db.exec(statement);
    expect(await blobRows(db)).toEqual(rowsBefore);
  } finally {
    if (stopped) process.kill(stopped, 'SIGCONT');
    await locker.end();
    await db.close();
    await registry.stop();
  }
});

it('compose: a psql transaction whose COMMIT gets no answer is exit 3 with the restore, not "nothing was committed"', async () => {
  const rig = await failedSweep('2.15.2');
  const { db, registry } = rig;
  const locker = await postgres.client(db.name);
  const shim = createShim({
    database: { engine: 'postgresql', host: '127.0.0.1', port: postgres.port, password: postgres.password },
    containers: ['harbor-db', 'registry'],
  });
  let stopped: number | undefined;
  try {
    await db.exec(`CREATE FUNCTION at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$`);
    await db.exec(`CREATE CONSTRAINT TRIGGER at_commit AFTER UPDATE ON blob DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION at_commit()`);
    const rowsBefore = await blobRows(db);
    const run = runCli(
      [
        'run',
        'diagnose-gc-sweep',
        ...EXEC_TARGETS.compose.args,
        '--db-name',
        db.name,
        '--registry-storage',
        registry.storage,
        '--backup-dir',
        dir,
        '--log-lines',
        '0',
        '--statement-timeout',
        '2s',
        '--apply',
        '--yes',
        '--json',
      ],
      { env: { PATH: shim.path } },
    );
    stopped = await stopDuringCommit(locker, db.name);
    expect(stopped).toBeDefined();
    const result = await run;
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('may or may not have been committed');
    const statements = (JSON.parse(result.stdout) as { restore: string[] }).restore.filter((entry) => entry.startsWith('UPDATE blob'));
    expect(statements).toHaveLength(3);
    if (stopped) process.kill(stopped, 'SIGCONT');
    stopped = undefined;
    // psql was killed mid-COMMIT: the server decides; whichever it did, the printed restore leaves the rows as they were.
    await waitFor(
      'the stopped session to end',
      async () =>
        (await locker.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND query = 'COMMIT' AND state = 'active'`, [db.name])).rows[0]
          ?.n === '0',
    );
    for (const statement of statements) await db.exec(statement);
    expect(await blobRows(db)).toEqual(rowsBefore);
  } finally {
    if (stopped) process.kill(stopped, 'SIGCONT');
    shim.cleanup();
    await locker.end();
    await db.close();
    await registry.stop();
  }
});

it('a storage this user cannot read is not taken for blobs whose data is gone: --apply refuses (exit 2), nothing changes', async () => {
  const rig = await failedSweep('2.15.2');
  const { db, registry, old } = rig;
  // The storage check runs as nobody (an operator without the registry's uid on a 0700 /data/registry):
  // every test -f there fails with EACCES, as it does for ENOENT.
  const bin = join(dir, 'bin-nobody');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'xargs'), '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/xargs "$@"\n');
  chmodSync(join(bin, 'xargs'), 0o755);
  // The test's temp root is 0700: open it, and close only the directory of old's config blob (a deleting row whose data is there).
  chmodSync(dirname(registry.storage), 0o755);
  const hidden = blobDirectory(registry.v2, old.config).replace(/\/[0-9a-f]+$/, '');
  chmodSync(hidden, 0o700);
  try {
    const before = await db.checksums();
    const result = await runCli(
      ['run', 'diagnose-gc-sweep', '--db-url', db.url, '--registry-storage', registry.storage, '--backup-dir', dir, '--apply', '--yes'],
      { env: { PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('cannot be read by this user');
    expect(await db.checksums()).toEqual(before);
    expect(await statusOf(db, old.config)).toBe('deleting');
  } finally {
    chmodSync(hidden, 0o755);
    await db.close();
    await registry.stop();
  }
});

it('Harbor 2.1: a scheduled GC that is running (its Periodic admin_job row) refuses --apply too; a schedule between runs does not', async () => {
  const rig = await failedSweep('2.1.6');
  const { db } = rig;
  try {
    // 2.1 keeps one admin_job row per GC schedule (job_kind Periodic); each scheduled run sets that row's status
    // (src/core/service/notifications/admin/handler.go, UpstreamJobID): running while it sweeps, scheduled between runs.
    const [row] = await db.exec(
      `INSERT INTO admin_job (job_name, job_kind, cron_str, status) VALUES ('IMAGE_GC', 'Periodic', '{"type":"Daily","cron":"0 0 0 * * *"}', 'running') RETURNING id`,
    );
    const during = await db.checksums();
    const refused = await run(rig, '--apply', '--yes');
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`a garbage collection is running (admin_job ${row!.id} (running)`);
    expect(await db.checksums()).toEqual(during);
    await db.exec(`UPDATE admin_job SET status = 'scheduled' WHERE id = ${row!.id}`);
    const between = await run(rig);
    expect(between.code, between.stderr).toBe(0);
    expect(between.stdout).not.toContain('a garbage collection is running');
  } finally {
    await db.close();
    await rig.registry.stop();
  }
});

it('refuses a Harbor before 2.1 (no blob.status column, the registry ran GC)', async () => {
  const db = await createHarborDb('1.10.19', { postgres });
  try {
    const result = await runCli(['run', 'diagnose-gc-sweep', '--db-url', db.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this playbook is for Harbor 2.1 and later');
  } finally {
    await db.close();
  }
});

it('names at most 200 blobs one by one; --json lists every one', async () => {
  const db = await createHarborDb('2.15.2', { postgres });
  try {
    await db.exec(`INSERT INTO blob (digest, content_type, size, status, version)
      SELECT 'sha256:' || encode(sha256(n::text::bytea), 'hex'), 'application/octet-stream', n, 'deletefailed', 3 FROM generate_series(1, 250) AS n`);
    const result = await runCli(['run', 'diagnose-gc-sweep', '--db-url', db.url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { findings: Finding[]; facts: { blobs: unknown[] } };
    expect(parsed.findings.filter((finding) => /^blob \d+ /.test(finding.message))).toHaveLength(200);
    expect(parsed.findings.map((finding) => finding.message)).toContain(
      '50 more blob rows in a delete state are not listed one by one; --json lists every one in facts.blobs',
    );
    expect(parsed.facts.blobs).toHaveLength(250);
  } finally {
    await db.close();
  }
});

it('masks the storage secrets a driver error quotes from its configuration (secretkey: …, "accountkey":"…"), in text and --json', async () => {
  const db = await createHarborDb('2.15.2', { postgres });
  try {
    const digest = `sha256:${'b'.repeat(64)}`;
    await db.exec(`INSERT INTO blob (digest, content_type, size, status, version) VALUES ('${digest}', 'application/octet-stream', 1, 'deletefailed', 3)`);
    // The secrets as the registry's storage drivers name them (distribution v2.8 registry/storage/driver), in each form a log line may carry.
    const secrets = ['EnvSecret55', 'PwSecret66', 'JsonSecret88', 'YamlSecret99', 'AzureSecret77', 'TokenSecret44', 'MapSecret33'];
    const log = join(dir, 'gc-secrets.log');
    writeFileSync(
      log,
      [
        `2026-12-01T10:00:05Z [ERROR] [/jobservice/job/impl/gc/garbage_collection.go:442]: [0b1c][1/1] failed to delete blob from storage: ${digest}, deleting, errMsg=http status code: 500, s3aws: sessiontoken: TokenSecret44`,
        `2026-12-01T10:00:05Z [INFO] [/registryctl/api/registry/blob/blob.go:67]: failed to remove blob: ${digest}, with error:s3aws: denied AWS_SECRET_ACCESS_KEY=EnvSecret55 password=PwSecret66 "secretkey":"JsonSecret88" secretkey: YamlSecret99 {"accountkey": "AzureSecret77"} map[secretkey:MapSecret33 region:us-east-1]`,
        '',
      ].join('\n'),
    );
    for (const json of [[], ['--json']]) {
      const result = await runCli(['run', 'diagnose-gc-sweep', '--db-url', db.url, '--gc-log', log, ...json]);
      expect(result.code, result.stderr).toBe(0);
      const output = result.stdout + result.stderr;
      expect(output).toContain(`GC could not delete ${digest}`);
      for (const secret of secrets) expect(output).not.toContain(secret);
      expect(output).toContain('secretkey: ***');
      expect(output).toContain('region:us-east-1');
    }
  } finally {
    await db.close();
  }
});
