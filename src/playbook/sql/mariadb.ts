// MariaDB executors (Harbor <= 1.5): `mysql2` for the direct target, and the mysql client
// fed a script on stdin for compose/k8s. The client aborts a script at the first error, and
// the open transaction rolls back with the session, so a failed apply leaves nothing behind.
import { createConnection, type Socket } from 'node:net';
import type mysql from 'mysql2/promise';
import { commandError, runProcess, type Command } from '../platform/commands.ts';
import { noAnswer, PlaybookError } from '../errors.ts';
import type { ConnectionSettings } from './postgres.ts';
import { sql, toParameterized, toText, type Database, type Row, type Sql, type TransactionOptions } from './sql.ts';
import { driverTransaction, lockName, mariadbPreconditions, scriptRefusal } from './transaction.ts';

/** Server-side limits (10.1+): a statement, and a row-lock wait, end after `timeoutMs`. */
const sessionLimits = (timeoutMs: number) => {
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  return `SET SESSION max_statement_time = ${seconds}, SESSION innodb_lock_wait_timeout = ${seconds}`;
};

export async function connectMariadb(settings: ConnectionSettings, timeoutMs: number): Promise<Database> {
  // Only driver options: anything else (say an `engine` field) makes mysql2 print a warning.
  const { host, port, user, password, database } = settings;
  // Our own socket: mysql2's destroy() only ends it, which never completes against a stopped server.
  let socket: Socket | undefined;
  // Loaded here, not at the top: the site reads playbook metadata without loading the driver.
  const { default: mysql } = await import('mysql2/promise');
  const connection = await mysql.createConnection({
    host,
    port,
    user,
    password,
    database,
    connectTimeout: 10_000,
    dateStrings: true,
    stream: () => (socket = createConnection({ host, port })),
  });
  const drop = () => {
    connection.destroy();
    socket?.destroy();
  };
  connection.on('error', () => {});
  let lost = false;
  // A client-side limit too, a little later than the server's: a server that does not answer at all.
  // A session that is gone (killed, timed out) takes nothing more: no ROLLBACK or RELEASE_LOCK
  // waiting on it; the server rolls back and unlocks a dropped session itself.
  const run = async (text: string, values?: unknown[]) => {
    if (lost) throw new Error('the database connection is gone');
    // Our own timer rather than mysql2's query timeout, whose timer outlives a dropped connection.
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(noAnswer(timeoutMs)), timeoutMs + 5_000);
    });
    try {
      return await Promise.race([connection.query(text, values), silence]);
    } catch (error) {
      const { code, fatal } = error as { code?: string; fatal?: boolean };
      if (fatal || code === 'ER_CONNECTION_KILLED' || error instanceof PlaybookError) {
        lost = true;
        drop();
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  await run(sessionLimits(timeoutMs));
  const select = async (statement: Sql) => {
    const { text, values } = toParameterized(statement, 'mariadb');
    return (await run(text, values))[0] as Row[];
  };
  return {
    engine: 'mariadb',
    query: select,
    async transaction(statements: readonly Sql[], options?: TransactionOptions) {
      try {
        return await driverTransaction(
          'mariadb',
          (command) => run(command === 'BEGIN' ? 'START TRANSACTION' : command),
          async (statement) => {
            const { text, values } = toParameterized(statement, 'mariadb');
            const [result] = await run(text, values);
            return (result as mysql.ResultSetHeader).affectedRows ?? 0;
          },
          select,
          statements,
          options,
        );
      } finally {
        // GET_LOCK belongs to the session, which outlives the transaction here.
        if (options?.lock && !lost) await select(sql`SELECT RELEASE_LOCK(LEFT(CONCAT(${lockName(options.lock)}, ':', DATABASE()), 64))`).catch(() => {});
      }
    },
    close: () => (lost ? Promise.resolve() : connection.end().catch(() => {})),
  };
}

/** Undoes mysql --batch escaping (\t \n \\ \0) and maps the NULL marker. */
function batchValue(field: string): string | null {
  if (field === 'NULL') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', '0': '\0', '\\': '\\' })[c] ?? c);
}

export function mysqlDatabase(client: (flags: string[]) => Command, timeoutMs: number): Database {
  const run = async (flags: string[], script: string, options: TransactionOptions = {}) => {
    const command: Command = { ...client(flags), timeoutMs: timeoutMs * 2 + 10_000 };
    const result = await runProcess(command, `${sessionLimits(timeoutMs)};\n${script}`);
    if (result.timedOut) throw noAnswer(timeoutMs);
    if (result.exitCode !== 0) throw scriptRefusal(result.stderr, options) ?? new Error(commandError(command, result));
    return result.stdout;
  };
  return {
    engine: 'mariadb',
    async query(statement: Sql): Promise<Row[]> {
      const stdout = await run(['--batch'], `${toText(statement, 'mariadb')};\n`);
      const [header, ...lines] = stdout.split('\n').filter((line) => line !== '');
      if (!header) return [];
      const names = header.split('\t');
      return lines.map((line) => {
        const fields = line.split('\t');
        return Object.fromEntries(names.map((name, index) => [name, batchValue(fields[index] ?? 'NULL')]));
      });
    },
    async transaction(statements: readonly Sql[], options: TransactionOptions = {}): Promise<number[]> {
      const body = statements.map((statement) => `${toText(statement, 'mariadb')};\nSELECT ROW_COUNT();\n`).join('');
      const script = `START TRANSACTION;\n${mariadbPreconditions(options) ?? ''}${body}COMMIT;\nSELECT 'COMMITTED';\n`;
      const stdout = await run(['--batch', '--skip-column-names'], script, options);
      const lines = stdout.split('\n').filter((line) => line !== '');
      if (lines.at(-1) !== 'COMMITTED') throw new Error('mysql did not commit');
      return lines.slice(0, -1).map(Number);
    },
    close: async () => {},
  };
}
