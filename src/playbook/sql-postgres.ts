// PostgreSQL executors: the `pg` driver for the direct target, and psql fed a script on
// stdin for compose/k8s. Scripts stay 9.6-compatible (Harbor 1.6-2.2): no `psql --csv`,
// results come back as one json_agg document instead.
import pg from 'pg';
import { runChecked, type Command } from './commands.ts';
import { redact } from './secrets.ts';
import { driverTransaction, toParameterized, toText, type Database, type Row, type Sql } from './sql.ts';

export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

export async function connectPostgres(settings: ConnectionSettings): Promise<Database> {
  const client = new pg.Client({ ...settings, connectionTimeoutMillis: 10_000 });
  // A killed backend surfaces as an 'error' event; the failing query reports it.
  client.on('error', () => {});
  await client.connect();
  return {
    engine: 'postgresql',
    async query(statement: Sql): Promise<Row[]> {
      const { text, values } = toParameterized(statement, 'postgresql');
      return (await client.query(text, values)).rows as Row[];
    },
    transaction: (statements: readonly Sql[]) =>
      driverTransaction(
        (command) => client.query(command),
        async (statement) => {
          const { text, values } = toParameterized(statement, 'postgresql');
          return (await client.query(text, values)).rowCount ?? 0;
        },
        statements,
      ),
    close: () => client.end().catch(() => {}),
  };
}

const PSQL_FLAGS = ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
const PREAMBLE = 'SET standard_conforming_strings = on;\n';

/** `psql` reached through a command (docker exec / kubectl exec / local). */
export function psqlDatabase(psql: (flags: string[]) => Command): Database {
  const run = (flags: string[], script: string) => runChecked(psql(flags), script);
  return {
    engine: 'postgresql',
    async query(statement: Sql): Promise<Row[]> {
      const script = `${PREAMBLE}SELECT coalesce(json_agg(q), '[]'::json) FROM (\n${toText(statement, 'postgresql')}\n) q;\n`;
      const stdout = await run([...PSQL_FLAGS, '-q'], script);
      try {
        return JSON.parse(stdout) as Row[];
      } catch {
        throw new Error(redact(`psql returned something that is not a result: ${stdout.slice(0, 200)}`));
      }
    },
    async transaction(statements: readonly Sql[]): Promise<number[]> {
      const body = statements.map((statement) => `${toText(statement, 'postgresql')};\n`).join('');
      const stdout = await run(PSQL_FLAGS, `${PREAMBLE}BEGIN;\n${body}COMMIT;\n`);
      // psql prints one command tag per statement: SET, BEGIN, UPDATE n, ..., COMMIT.
      const tags = stdout.split('\n').map((line) => line.trim()).filter(Boolean);
      const begin = tags.indexOf('BEGIN');
      if (begin < 0 || tags.at(-1) !== 'COMMIT') throw new Error(`psql did not commit: ${redact(tags.join(' | '))}`);
      return tags.slice(begin + 1, -1).map((tag) => Number(/ (\d+)$/.exec(tag)?.[1] ?? 0));
    },
    close: async () => {},
  };
}
