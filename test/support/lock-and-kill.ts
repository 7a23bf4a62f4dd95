// Kills a database session at the moment it waits on a lock the test holds: the way to
// interrupt a playbook's transaction deterministically in the middle of its apply.

/**
 * Polls `findWaiting` until it returns a session id, then `kill`s it. Returns whether a
 * session was found within about 45 seconds: generous, because a playbook started on a loaded
 * two-core machine can take many seconds to reach its lock, and a shorter wait made the tests
 * fail by timing instead of by behaviour.
 */
export async function killWhenWaiting(findWaiting: () => Promise<number | undefined>, kill: (session: number) => Promise<void>): Promise<boolean> {
  for (let attempt = 0; attempt < 900; attempt++) {
    const session = await findWaiting();
    if (session !== undefined) {
      await kill(session);
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** A connection to the same PostgreSQL server (pg.Client, or a test's wrapper around one). */
export interface PostgresSession {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * A `findWaiting` for killWhenWaiting: the pid of a backend of `database` that waits on a lock,
 * optionally only one whose statement is LIKE `statementLike`. The snapshot of pg_stat_activity is
 * cleared first, since within one transaction PostgreSQL answers from the first read.
 */
export function postgresLockWaiter(session: PostgresSession, database: string, statementLike = '%'): () => Promise<number | undefined> {
  return async () => {
    await session.query('SELECT pg_stat_clear_snapshot()');
    const waiting = (await session.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE $2 AND pid <> pg_backend_pid()`,
      [database, statementLike],
    )) as { rows: { pid: number }[] };
    return waiting.rows[0]?.pid;
  };
}

/**
 * Stops (SIGSTOP) the backend of `database` that is running COMMIT, once one is: its client then
 * waits in vain and cannot know whether the transaction committed. `session` is another
 * connection to the same server. Returns the stopped pid (SIGCONT it), or undefined when no
 * COMMIT was seen within about 10 seconds.
 */
export async function stopDuringCommit(session: PostgresSession, database: string): Promise<number | undefined> {
  let stopped: number | undefined;
  await killWhenWaiting(
    async () => {
      await session.query('SELECT pg_stat_clear_snapshot()');
      const active = (await session.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query ~ '^COMMIT;?$'`, [database])) as {
        rows: { pid: number }[];
      };
      return active.rows[0]?.pid;
    },
    async (pid) => {
      stopped = pid;
      process.kill(pid, 'SIGSTOP');
    },
  );
  return stopped;
}
