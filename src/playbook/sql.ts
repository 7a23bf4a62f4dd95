// SQL as data: a tagged template keeps values apart from text, so the same statement runs
// with driver parameters (direct target) or with safely quoted literals piped into
// psql/mysql (compose and k8s targets), and prints exactly as it runs.
import { incomplete, IncompleteChangeError, refuse, type PlaybookError } from './errors.ts';

export type Engine = 'postgresql' | 'mariadb';
export type SqlValue = string | number | boolean | null;
export type Row = Record<string, unknown>;

interface Fragment {
  readonly kind: 'sql';
  readonly parts: readonly string[];
  readonly values: readonly (SqlValue | Fragment | readonly SqlValue[])[];
}
export type Sql = Fragment;

export function sql(parts: TemplateStringsArray, ...values: (SqlValue | Sql | readonly SqlValue[])[]): Sql {
  return { kind: 'sql', parts: [...parts], values };
}

/**
 * Row ids as literal SQL: a selection can hold more ids than PostgreSQL's 65,535 bind
 * parameters. Only safe integers pass, so nothing but digits reaches the text.
 */
sql.ids = (ids: readonly number[]): Sql => {
  if (!ids.every((id) => Number.isSafeInteger(id))) throw refuse('row ids must be integers');
  return sql.raw(ids.join(', '));
};

/** A fixed piece of SQL text (identifiers, keywords) written by the playbook, never user input. */
sql.raw = (text: string): Sql => ({ kind: 'sql', parts: [text], values: [] });

sql.join = (fragments: readonly Sql[], separator: string): Sql => {
  if (fragments.length === 0) return sql.raw('');
  const parts = ['', ...fragments.slice(1).map(() => separator), ''];
  return { kind: 'sql', parts, values: fragments };
};

function isFragment(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as Sql).kind === 'sql';
}

/** Renders with placeholders: `$1` for PostgreSQL, `?` for MariaDB. */
export function toParameterized(statement: Sql, engine: Engine): { text: string; values: SqlValue[] } {
  const values: SqlValue[] = [];
  const placeholder = (value: SqlValue) => {
    values.push(value);
    return engine === 'postgresql' ? `$${values.length}` : '?';
  };
  const render = (fragment: Sql): string =>
    fragment.parts
      .map((part, index) => {
        if (index === fragment.values.length) return part;
        const value = fragment.values[index]!;
        if (isFragment(value)) return part + render(value);
        if (Array.isArray(value)) return part + value.map(placeholder).join(', ');
        return part + placeholder(value as SqlValue);
      })
      .join('');
  return { text: render(statement), values };
}

/**
 * A value as an SQL literal. PostgreSQL scripts run with standard_conforming_strings on
 * (set by the executor), so only quotes are doubled; MariaDB also treats backslash as escape.
 */
export function literal(value: SqlValue, engine: Engine): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw refuse(`not a finite number: ${value}`);
    return String(value);
  }
  if (value.includes('\0')) throw refuse('text values cannot contain NUL bytes');
  const escaped = engine === 'mariadb' ? value.replace(/\\/g, '\\\\').replace(/'/g, "''") : value.replace(/'/g, "''");
  return `'${escaped}'`;
}

/** Renders with literals inlined: what exec targets pipe into psql/mysql and what previews show. */
export function toText(statement: Sql, engine: Engine): string {
  const { text, values } = toParameterized(statement, engine);
  if (engine === 'postgresql') return text.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]!, engine));
  let index = 0;
  return text.replace(/\?/g, () => literal(values[index++]!, engine));
}

/**
 * Rows a step selected to change, re-checked inside its transaction: they are locked
 * (SELECT ... FOR UPDATE) and the whole transaction is refused when one of them no longer
 * satisfies `still` (it became final, or is gone) since the plan looked at it.
 */
export interface RowGuard {
  table: string;
  ids: readonly number[];
  still: Sql;
}

export interface TransactionOptions {
  guards?: readonly RowGuard[];
  /** Serialises transactions of the same name on one database (advisory lock / GET_LOCK). */
  lock?: string;
}

/** What the executors raise when a guard or the lock refuses; mapped back to a refusal. */
export const REFUSAL_MARK = 'harbor-kb-refused:';

export function guardRefusal(guard: RowGuard, still: number): PlaybookError {
  return refuse(`${guard.table}: ${guard.ids.length - still} of the ${guard.ids.length} selected rows changed since the plan read them (now final, or gone); nothing changed. Rerun to plan again.`);
}

export function lockRefusal(lock: string): PlaybookError {
  return refuse(`another run (${lock}) is changing this database right now; nothing changed. Wait for it to finish, then rerun.`);
}

/** Maps a refusal raised inside a script (REFUSAL_MARK lock | guard <index> <still>) back to its message. */
export function scriptRefusal(output: string, options: TransactionOptions): PlaybookError | undefined {
  // The last mention: the mysql client echoes the failed statement, which names every refusal, before its error.
  const match = [...output.matchAll(new RegExp(`${REFUSAL_MARK} (lock|guard (\\d+) (\\d+))`, 'g'))].at(-1);
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
export const guardLockSql = (guard: RowGuard): Sql => sql`SELECT id FROM ${sql.raw(guard.table)} WHERE id IN (${sql.ids(guard.ids)}) FOR UPDATE`;
// InnoDB reads a snapshot unless told to lock: the count reads the rows' latest versions too.
export const guardCountSql = (guard: RowGuard, engine: Engine): Sql =>
  sql`SELECT count(*) AS n FROM ${sql.raw(guard.table)} WHERE id IN (${sql.ids(guard.ids)}) AND (${guard.still})${sql.raw(engine === 'mariadb' ? ' FOR UPDATE' : '')}`;

/** The lock and guards as one PL/pgSQL block (psql scripts cannot branch otherwise; DO exists from 9.0). */
export function postgresPreconditions(options: TransactionOptions): string | undefined {
  const lines: string[] = [];
  if (options.lock) lines.push(`IF NOT pg_try_advisory_xact_lock(hashtext(${literal(lockName(options.lock), 'postgresql')})) THEN RAISE EXCEPTION USING MESSAGE = '${REFUSAL_MARK} lock'; END IF;`);
  (options.guards ?? []).forEach((guard, index) => {
    lines.push(`PERFORM 1 FROM ${guard.table} WHERE id IN (${guard.ids.map((id) => literal(id, 'postgresql')).join(', ')}) FOR UPDATE;`);
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
    lines.push(`IF GET_LOCK(LEFT(CONCAT(${literal(lockName(options.lock), 'mariadb')}, ':', DATABASE()), 64), 0) IS NOT TRUE THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${REFUSAL_MARK} lock'; END IF;`);
  }
  (options.guards ?? []).forEach((guard, index) => {
    const ids = guard.ids.map((id) => literal(id, 'mariadb')).join(', ');
    lines.push(`SELECT count(*) INTO @harbor_kb_locked FROM ${guard.table} WHERE id IN (${ids}) FOR UPDATE;`);
    lines.push(`SELECT count(*) INTO @harbor_kb_still FROM ${guard.table} WHERE id IN (${ids}) AND (${toText(guard.still, 'mariadb')}) FOR UPDATE;`);
    lines.push(`IF @harbor_kb_still <> ${guard.ids.length} THEN SET @harbor_kb_message = CONCAT('${REFUSAL_MARK} guard ${index} ', @harbor_kb_still); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @harbor_kb_message; END IF;`);
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
  return incomplete(`the database did not confirm the COMMIT (${reason})`, [`${statements} statement(s) may or may not have been committed: check before rerunning`]);
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

/** A connection to Harbor's database, however it is reached. */
export interface Database {
  readonly engine: Engine;
  /** Read-only query; values come back as the driver gives them (compare with Number()/String()). */
  query(statement: Sql): Promise<Row[]>;
  /** Runs all statements in one transaction; returns the affected row count of each. */
  transaction(statements: readonly Sql[], options?: TransactionOptions): Promise<number[]>;
  close(): Promise<void>;
}

/** Every transaction on `db` takes the lock `name` (the runner passes the playbook's name). */
export function lockedTransactions(db: Database, name: string): Database {
  return { engine: db.engine, query: (statement) => db.query(statement), close: () => db.close(), transaction: (statements, options) => db.transaction(statements, { ...options, lock: name }) };
}
