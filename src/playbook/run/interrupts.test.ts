// Ctrl-C during an apply, on real PostgreSQL with Harbor 2.15.2's schema: stop-stuck-jobs on the
// compose target (the docker shim) restarts jobservice, then waits in its transaction for a row
// lock this test holds, which is where the interrupt arrives; db-backup's read-only dump waits on
// a table lock the same way.
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../../../test/support/harbor-db.ts';
import { killWhenWaiting, postgresLockWaiter } from '../../../test/support/lock-and-kill.ts';
import { PATH_WITH_POSTGRES, useTestServers } from '../../../test/support/servers.ts';
import { createDatabaseShim, type Shim } from '../../../test/support/shim.ts';

const servers = useTestServers();
const OLD = `LOCALTIMESTAMP - INTERVAL '3 days'`;

let db: HarborDb;
let shim: Shim;
let locker: Awaited<ReturnType<typeof servers.postgres.client>>;

beforeEach(async () => {
  db = await createHarborDb('2.15.2', servers);
  // A GC that jobservice lost days ago: one execution, one task, neither final.
  await db.exec(`INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, extra_attrs, revision, start_time, update_time)
    VALUES (2, 'GARBAGE_COLLECTION', -1, 'Running', 'SCHEDULE', '{}', 0, ${OLD}, ${OLD})`);
  await db.exec(`INSERT INTO task (id, execution_id, job_id, status, status_code, status_revision, run_count, extra_attrs, creation_time, start_time, update_time, vendor_type)
    VALUES (2, 2, '3374b652710f236be44037b1', 'Running', 2, 1, 1, '{}', ${OLD}, ${OLD}, ${OLD}, 'GARBAGE_COLLECTION')`);
  shim = createDatabaseShim({ engine: 'postgresql', host: servers.postgres.host, port: servers.postgres.port, password: servers.postgres.password });
  locker = await servers.postgres.client(db.name);
});

afterEach(async () => {
  await locker.end();
  shim.cleanup();
  await db.close();
});

/** The apply, with the task row locked by the test so that its transaction waits; `interrupt` runs once it does. */
async function applyInterrupted(interrupt: (child: ChildProcess) => Promise<void>) {
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM task WHERE id = 2 FOR UPDATE');
  let child: ChildProcess | undefined;
  const run = runCli(
    [
      'run',
      'stop-stuck-jobs',
      '--target',
      'compose',
      '--db-name',
      db.name,
      '--vendor',
      'GARBAGE_COLLECTION',
      '--backup-dir',
      servers.dir,
      '--apply',
      '--yes',
      '--json',
    ],
    { env: { PATH: shim.path }, onSpawn: (spawned) => (child = spawned) },
  );
  const waited = await killWhenWaiting(postgresLockWaiter(locker, db.name, '%FOR UPDATE%'), async () => {
    if (child) await interrupt(child);
  });
  expect(waited).toBe(true);
  return run;
}

/** Resolves once the child has written `text` on stderr: the signal was taken. */
function stderrShows(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
  });
}

const TAKEN = 'SIGINT: stopping after the step in progress';

const statuses = async () => (await db.exec('SELECT status FROM task WHERE id = 2')).map((row) => row.status);

describe('an interrupt while an apply changes things', () => {
  it('once: the step in progress finishes and the run ends as it would have (exit 0)', async () => {
    const result = await applyInterrupted(async (child) => {
      const taken = stderrShows(child, TAKEN);
      child.kill('SIGINT');
      await taken;
      await locker.query('ROLLBACK');
    });
    expect(result.stderr).toContain(TAKEN);
    expect(result.code, result.stderr).toBe(0);
    expect(await statuses()).toEqual(['Stopped']);
  });

  it('twice: the run ends at once with exit 3, saying what changed (the restart) and how to restore the step it cut off', async () => {
    const before = await db.checksums();
    const result = await applyInterrupted(async (child) => {
      const taken = stderrShows(child, TAKEN);
      child.kill('SIGINT');
      await taken;
      child.kill('SIGINT');
    });
    await locker.query('ROLLBACK');
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('SIGINT received twice: stopped during "mark the non-final rows');
    expect(result.stderr).toMatch(
      /changed:\n {2}- restart jobservice[^\n]*\n {2}- mark the non-final rows[^\n]*interrupted while it ran; it may have changed something/,
    );
    expect(result.stderr).toMatch(/to restore:\n {2}docker exec -i harbor-db psql .*-restore\.sql/);
    const json = JSON.parse(result.stdout) as { exitCode: number; changedBeforeFailure: string[]; restore: string[] };
    expect(json.exitCode).toBe(3);
    expect(json.changedBeforeFailure).toHaveLength(2);
    // The transaction never committed: the database is as it was.
    expect(await db.checksums()).toEqual(before);
    expect(await statuses()).toEqual(['Running']);
  });
});

describe('an interrupt during a step that changes nothing in Harbor', () => {
  it('twice while db-backup dumps: exit 1, not the exit 3 of a change cut off', async () => {
    // pg_dump locks every table it dumps first: one held here keeps it waiting, where the interrupts arrive.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE task IN ACCESS EXCLUSIVE MODE');
    let child: ChildProcess | undefined;
    const run = runCli(['run', 'db-backup', '--db-url', db.url, '--backup-dir', servers.dir, '--json'], {
      env: { PATH: PATH_WITH_POSTGRES },
      onSpawn: (spawned) => (child = spawned),
    });
    const waited = await killWhenWaiting(postgresLockWaiter(locker, db.name, '%LOCK TABLE%'), async () => {
      if (!child) return;
      const taken = stderrShows(child, TAKEN);
      child.kill('SIGINT');
      await taken;
      child.kill('SIGINT');
    });
    await locker.query('ROLLBACK');
    expect(waited).toBe(true);
    const result = await run;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('SIGINT received twice: stopped during');
    expect(result.stderr).toContain('it changes nothing in Harbor');
    expect(result.stderr).not.toContain('it may have changed something');
    expect((JSON.parse(result.stdout) as { exitCode: number }).exitCode).toBe(1);
  });
});
