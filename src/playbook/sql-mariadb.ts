// MariaDB executors (Harbor <= 1.5): `mysql2` for the direct target, and the mysql client
// fed a script on stdin for compose/k8s. The client aborts a script at the first error, and
// the open transaction rolls back with the session, so a failed apply leaves nothing behind.
import mysql from 'mysql2/promise';
import { runChecked, type Command } from './commands.ts';
import type { ConnectionSettings } from './sql-postgres.ts';
import { driverTransaction, toParameterized, toText, type Database, type Row, type Sql } from './sql.ts';

export async function connectMariadb(settings: ConnectionSettings): Promise<Database> {
  const connection = await mysql.createConnection({ ...settings, connectTimeout: 10_000, dateStrings: true });
  connection.on('error', () => {});
  return {
    engine: 'mariadb',
    async query(statement: Sql): Promise<Row[]> {
      const { text, values } = toParameterized(statement, 'mariadb');
      const [rows] = await connection.query(text, values);
      return rows as Row[];
    },
    transaction: (statements: readonly Sql[]) =>
      driverTransaction(
        (command) => connection.query(command === 'BEGIN' ? 'START TRANSACTION' : command),
        async (statement) => {
          const { text, values } = toParameterized(statement, 'mariadb');
          const [result] = await connection.query(text, values);
          return (result as mysql.ResultSetHeader).affectedRows ?? 0;
        },
        statements,
      ),
    close: () => connection.end().catch(() => {}),
  };
}

/** Undoes mysql --batch escaping (\t \n \\ \0) and maps the NULL marker. */
function batchValue(field: string): string | null {
  if (field === 'NULL') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', '0': '\0', '\\': '\\' })[c] ?? c);
}

export function mysqlDatabase(client: (flags: string[]) => Command): Database {
  const run = (flags: string[], script: string) => runChecked(client(flags), script);
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
    async transaction(statements: readonly Sql[]): Promise<number[]> {
      const body = statements.map((statement) => `${toText(statement, 'mariadb')};\nSELECT ROW_COUNT();\n`).join('');
      const stdout = await run(['--batch', '--skip-column-names'], `START TRANSACTION;\n${body}COMMIT;\nSELECT 'COMMITTED';\n`);
      const lines = stdout.split('\n').filter((line) => line !== '');
      if (lines.at(-1) !== 'COMMITTED') throw new Error('mysql did not commit');
      return lines.slice(0, -1).map(Number);
    },
    close: async () => {},
  };
}
