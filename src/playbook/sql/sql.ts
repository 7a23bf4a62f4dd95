// SQL as data: a tagged template keeps values apart from text, so the same statement runs
// with driver parameters (direct target) or with safely quoted literals piped into
// psql/mysql (compose and k8s targets), and prints exactly as it runs.
import { refuse } from '../errors.ts';

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

/** The statement's text with each value rendered by `value` (a placeholder, or a literal). */
function render(statement: Sql, value: (item: SqlValue) => string): string {
  const walk = (fragment: Sql): string =>
    fragment.parts
      .map((part, index) => {
        if (index === fragment.values.length) return part;
        const item = fragment.values[index]!;
        if (isFragment(item)) return part + walk(item);
        if (Array.isArray(item)) return part + item.map(value).join(', ');
        return part + value(item as SqlValue);
      })
      .join('');
  return walk(statement);
}

/** Renders with placeholders: `$1` for PostgreSQL, `?` for MariaDB. */
export function toParameterized(statement: Sql, engine: Engine): { text: string; values: SqlValue[] } {
  const values: SqlValue[] = [];
  const text = render(statement, (value) => {
    values.push(value);
    return engine === 'postgresql' ? `$${values.length}` : '?';
  });
  return { text, values };
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

/**
 * Renders with literals inlined: what exec targets pipe into psql/mysql and what previews show.
 * Values are rendered in place, so a `$1` or `?` inside the statement's own text (a SCRAM
 * verifier in sql.raw, a quoted string) stays as written.
 */
export function toText(statement: Sql, engine: Engine): string {
  return render(statement, (value) => literal(value, engine));
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

/**
 * Rows a step selected to change, re-checked inside its transaction: they are locked
 * (SELECT ... FOR UPDATE) and the whole transaction is refused when one of them no longer
 * satisfies `still` (it became final, or is gone) since the plan looked at it.
 */
export interface RowGuard {
  table: string;
  /** The key column the ids name; `id` unless the table says otherwise (access_log: log_id). */
  key?: string;
  ids: readonly number[];
  still: Sql;
  /**
   * An earlier step of this same run (Harbor's own stop through its API) may have settled some
   * of the rows: they are still locked, the statements' own conditions leave the settled ones
   * untouched, and a settled row is not taken as a sign that the plan misjudged it.
   */
  acceptSettled?: boolean;
}

export interface TransactionOptions {
  guards?: readonly RowGuard[];
  /** Serialises transactions of the same name on one database (advisory lock / GET_LOCK). */
  lock?: string;
}
