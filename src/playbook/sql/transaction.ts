// Transactions with preconditions, for every executor: a lock per playbook and database so two
// applies cannot interleave, and row guards that lock the rows a plan selected and refuse the
// whole transaction when one of them no longer needs the change (confirm before change). The
// drivers check them in JavaScript; psql and mysql scripts, which cannot branch, raise an error
// marked REFUSAL_MARK that scriptRefusal maps back to the same refusal.
import { incomplete, IncompleteChangeError, refuse, type PlaybookError } from '../errors.ts';
import { literal, sql, toText, type Database, type Engine, type Row, type RowGuard, type Sql, type TransactionOptions } from './sql.ts';

/** What the executors raise when a guard or the lock refuses; mapped back to a refusal. */
const REFUSAL_MARK = 'harbor-kb-refused:';

function guardRefusal(guard: RowGuard, still: number): PlaybookError {
  return refuse(
    `${guard.table}: ${guard.ids.length - still} of the ${guard.ids.length} selected rows changed since the plan read them (now final, or gone); nothing changed. Rerun to plan again.`,
  );
}

function lockRefusal(lock: string): PlaybookError {
  return refuse(`another run (${lock}) is changing this database right now; nothing changed. Wait for it to finish, then rerun.`);
}

/** Maps a refusal raised inside a script (REFUSAL_MARK lock | guard <index> <still>) back to its message. */
export function scriptRefusal(output: string, options: TransactionOptions): PlaybookError | undefined {
  // Only error lines count, and of them the last mention: the clients can echo the failed
  // statement, which names every refusal, before its error (the mysql client always; psql when the
  // server logs statements back to it), and a failure of another kind must not read as a refusal.
  const errors = output
    .split('\n')
    .filter((line) => /\bERROR\b/.test(line))
    .join('\n');
  const match = [...errors.matchAll(new RegExp(`${REFUSAL_MARK} (lock|guard (\\d+) (\\d+))`, 'g'))].at(-1);
  if (!match) return undefined;
  if (match[1] === 'lock') return lockRefusal(options.lock ?? 'harbor-kb');
  const guard = options.guards?.[Number(match[2])];
  return guard ? guardRefusal(guard, Number(match[3])) : undefined;
}

/** The lock name as it is taken: one per playbook and database. */
export function lockName(lock: string): string {
  return `harbor-kb:${lock}`;
}

const lockSql = (engine: Engine, lock: string): Sql =>
  engine === 'postgresql'
    ? sql`SELECT pg_try_advisory_xact_lock(hashtext(${lockName(lock)})) AS locked`
    : sql`SELECT GET_LOCK(LEFT(CONCAT(${lockName(lock)}, ':', DATABASE()), 64), 0) AS locked`;

/** SELECT ... FOR UPDATE of a guard's rows, then how many still satisfy its condition. */
const guardKey = (guard: RowGuard) => guard.key ?? 'id';
const guardLockSql = (guard: RowGuard): Sql =>
  sql`SELECT ${sql.raw(guardKey(guard))} FROM ${sql.raw(guard.table)} WHERE ${sql.raw(guardKey(guard))} IN (${sql.ids(guard.ids)}) FOR UPDATE`;
// InnoDB reads a snapshot unless told to lock: the count reads the rows' latest versions too.
const guardCountSql = (guard: RowGuard, engine: Engine): Sql =>
  sql`SELECT count(*) AS n FROM ${sql.raw(guard.table)} WHERE ${sql.raw(guardKey(guard))} IN (${sql.ids(guard.ids)}) AND (${guard.still})${sql.raw(engine === 'mariadb' ? ' FOR UPDATE' : '')}`;

/** The lock and guards as one PL/pgSQL block (psql scripts cannot branch otherwise; DO exists from 9.0). */
export function postgresPreconditions(options: TransactionOptions): string | undefined {
  const lines: string[] = [];
  if (options.lock)
    lines.push(
      `IF NOT pg_try_advisory_xact_lock(hashtext(${literal(lockName(options.lock), 'postgresql')})) THEN RAISE EXCEPTION USING MESSAGE = '${REFUSAL_MARK} lock'; END IF;`,
    );
  (options.guards ?? []).forEach((guard, index) => {
    lines.push(`PERFORM 1 FROM ${guard.table} WHERE ${guardKey(guard)} IN (${guard.ids.map((id) => literal(id, 'postgresql')).join(', ')}) FOR UPDATE;`);
    if (guard.acceptSettled) return;
    lines.push(`SELECT guard_${index}.n INTO still FROM (${toText(guardCountSql(guard, 'postgresql'), 'postgresql')}) AS guard_${index};`);
    lines.push(`IF still <> ${guard.ids.length} THEN RAISE EXCEPTION USING MESSAGE = '${REFUSAL_MARK} guard ${index} ' || still; END IF;`);
  });
  if (lines.length === 0) return undefined;
  return `DO $harbor_kb$\nDECLARE still bigint;\nBEGIN\n${lines.join('\n')}\nEND\n$harbor_kb$;\n`;
}

/**
 * The lock and guards as a MariaDB compound statement (10.1+, Harbor 1.5 ran 10.2). GET_LOCK
 * is held by the session, which ends with the mysql client.
 */
export function mariadbPreconditions(options: TransactionOptions): string | undefined {
  const lines: string[] = [];
  if (options.lock) {
    lines.push(
      `IF GET_LOCK(LEFT(CONCAT(${literal(lockName(options.lock), 'mariadb')}, ':', DATABASE()), 64), 0) IS NOT TRUE THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${REFUSAL_MARK} lock'; END IF;`,
    );
  }
  (options.guards ?? []).forEach((guard, index) => {
    const ids = guard.ids.map((id) => literal(id, 'mariadb')).join(', ');
    lines.push(`SELECT count(*) INTO @harbor_kb_locked FROM ${guard.table} WHERE ${guardKey(guard)} IN (${ids}) FOR UPDATE;`);
    if (guard.acceptSettled) return;
    lines.push(
      `SELECT count(*) INTO @harbor_kb_still FROM ${guard.table} WHERE ${guardKey(guard)} IN (${ids}) AND (${toText(guard.still, 'mariadb')}) FOR UPDATE;`,
    );
    lines.push(
      `IF @harbor_kb_still <> ${guard.ids.length} THEN SET @harbor_kb_message = CONCAT('${REFUSAL_MARK} guard ${index} ', @harbor_kb_still); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @harbor_kb_message; END IF;`,
    );
  });
  if (lines.length === 0) return undefined;
  return `DELIMITER ;;\nBEGIN NOT ATOMIC\n${lines.join('\n')}\nEND;;\nDELIMITER ;\n`;
}

/**
 * A COMMIT that failed. An error the server answered with (a deferred constraint, a
 * serialization failure: pg's `severity`, MariaDB's `sqlState`) means it rolled back; without
 * an answer (connection lost, no reply in time) the server may have committed.
 */
function commitFailure(error: unknown, statements: number): unknown {
  const answered = error as { severity?: string; sqlState?: string; fatal?: boolean };
  if ((answered.severity || answered.sqlState) && !answered.fatal) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return incomplete(`the database did not confirm the COMMIT (${reason})`, [
    `${statements} statement(s) may or may not have been committed: check before rerunning`,
  ]);
}

/**
 * Driver-side transaction: BEGIN, the lock and guards, each statement (its affected-row count
 * kept), COMMIT; on any error a best-effort ROLLBACK (the server rolls back a dropped session
 * anyway) and rethrow.
 */
export async function driverTransaction(
  engine: Engine,
  control: (command: 'BEGIN' | 'COMMIT' | 'ROLLBACK') => Promise<unknown>,
  execute: (statement: Sql) => Promise<number>,
  select: (statement: Sql) => Promise<Row[]>,
  statements: readonly Sql[],
  options: TransactionOptions = {},
): Promise<number[]> {
  await control('BEGIN');
  try {
    if (options.lock) {
      const [row] = await select(lockSql(engine, options.lock));
      if (row?.locked !== true && Number(row?.locked) !== 1) throw lockRefusal(options.lock);
    }
    for (const guard of options.guards ?? []) {
      await select(guardLockSql(guard));
      if (guard.acceptSettled) continue;
      const [row] = await select(guardCountSql(guard, engine));
      if (Number(row?.n) !== guard.ids.length) throw guardRefusal(guard, Number(row?.n));
    }
    const counts: number[] = [];
    for (const statement of statements) counts.push(await execute(statement));
    try {
      await control('COMMIT');
    } catch (error) {
      throw commitFailure(error, statements.length);
    }
    return counts;
  } catch (error) {
    if (!(error instanceof IncompleteChangeError)) await control('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Every transaction on `db` takes the lock `name` (the runner passes the playbook's name). */
export function lockedTransactions(db: Database, name: string): Database {
  return {
    engine: db.engine,
    query: (statement) => db.query(statement),
    close: () => db.close(),
    transaction: (statements, options) => db.transaction(statements, { ...options, lock: name }),
  };
}
