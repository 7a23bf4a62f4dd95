// PostgreSQL executors: the `pg` driver for the direct target, and psql fed a script on
// stdin for compose/k8s. Scripts stay 9.6-compatible (Harbor 1.6-2.2): no `psql --csv`,
// results come back as one json_agg document instead.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { runProcess, commandError, type Command } from '../platform/commands.ts';
import { incomplete, noAnswer, refuse } from '../errors.ts';
import { redact } from '../secrets.ts';
import { toParameterized, toText, type Database, type Row, type Sql, type TransactionOptions } from './sql.ts';
import { driverTransaction, postgresPreconditions, scriptRefusal } from './transaction.ts';

export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** PostgreSQL over TLS, as --db-url's sslmode asks (libpq's meanings); absent: plain TCP. */
  tls?: PostgresTls;
}

/** libpq's sslmode values this tool honours, with the CA file of sslrootcert for the verifying ones. */
export interface PostgresTls {
  mode: 'require' | 'verify-ca' | 'verify-full';
  rootCert?: string;
}

/**
 * Node's TLS options for a PostgresTls, as libpq reads sslmode: require encrypts without checking
 * the certificate; verify-ca checks it against the CA; verify-full also checks the host name.
 */
function tlsOptions(tls: PostgresTls): ConnectionOptions {
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  const ca = tls.rootCert === undefined ? {} : { ca: readFileSync(tls.rootCert, 'utf8') };
  return tls.mode === 'verify-ca' ? { ...ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { ...ca, rejectUnauthorized: true };
}

// timestamp, timestamptz: kept as the server's text, as psql and mysql give them. A JavaScript
// Date keeps milliseconds only and reads a zoneless timestamp as local time, so a backup
// written from it could not put a row back exactly.
const TIMESTAMP_TYPES = new Set([1114, 1184]);
const timestampsAsText = (types: typeof pg.types) =>
  ((oid: number, format?: 'text' | 'binary') =>
    TIMESTAMP_TYPES.has(oid) ? (value: string) => value : types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser;

/**
 * `timeoutMs` bounds every statement twice: on the server (statement_timeout, which also
 * ends lock waits) and in the client, for a server that does not answer at all (stopped,
 * network gone), where only dropping the connection helps.
 */
export async function connectPostgres(settings: ConnectionSettings, timeoutMs: number): Promise<Database> {
  let socket: Socket | undefined;
  // Loaded here, not at the top: the site reads playbook metadata without loading the driver.
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    // Without one, a random string that cannot be anyone's password: the driver cannot answer a
    // password request with none (it throws inside the handshake and the run never ends), and the
    // server's refusal of this one is said below as what it is.
    password: settings.password ?? randomBytes(24).toString('hex'),
    database: settings.database,
    ssl: settings.tls ? tlsOptions(settings.tls) : false,
    application_name: 'harbor-kb',
    connectionTimeoutMillis: 10_000,
    statement_timeout: timeoutMs,
    // A little later than the server's own limit, so a live server reports first.
    query_timeout: timeoutMs + 5_000,
    stream: () => (socket = new Socket()),
    types: { getTypeParser: timestampsAsText(pg.types) },
  });
  // A killed backend surfaces as an 'error' event; the failing query reports it.
  client.on('error', () => {});
  await client.connect().catch((error: unknown) => {
    // No password was given (the stand-in above was sent) and the server wanted one.
    if (settings.password === undefined && (error as { code?: string }).code === '28P01') {
      throw refuse(
        `the server asks for the password of ${settings.user} and none was given: set PGPASSWORD, or run on a terminal to be asked (a password in --db-url works too, but ps shows it)`,
      );
    }
    throw error;
  });
  const run = async (text: string, values?: unknown[]) => {
    try {
      return await client.query(text, values);
    } catch (error) {
      if ((error as Error).message === 'Query read timeout') {
        socket?.destroy();
        throw noAnswer(timeoutMs);
      }
      throw error;
    }
  };
  return {
    engine: 'postgresql',
    async query(statement: Sql): Promise<Row[]> {
      const { text, values } = toParameterized(statement, 'postgresql');
      return (await run(text, values)).rows as Row[];
    },
    async transaction(statements: readonly Sql[], options?: TransactionOptions) {
      const select = async (statement: Sql) => {
        const { text, values } = toParameterized(statement, 'postgresql');
        return (await run(text, values)).rows as Row[];
      };
      return driverTransaction(
        'postgresql',
        (command) => run(command),
        async (statement) => {
          const { text, values } = toParameterized(statement, 'postgresql');
          return (await run(text, values)).rowCount ?? 0;
        },
        select,
        statements,
        options,
      );
    },
    async close() {
      if (socket?.destroyed) return;
      await client.end().catch(() => {});
    },
  };
}

const PSQL_FLAGS = ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
const preamble = (timeoutMs: number) => `SET standard_conforming_strings = on;\nSET statement_timeout = ${Math.round(timeoutMs)};\n`;

/** `psql` reached through a command (docker exec / kubectl exec / local). */
export function psqlDatabase(psql: (flags: string[]) => Command, timeoutMs: number): Database {
  const run = async (flags: string[], script: string, options: TransactionOptions = {}) => {
    const command: Command = { ...psql(flags), timeoutMs: timeoutMs * 2 + 10_000 };
    const result = await runProcess(command, script);
    if (result.timedOut) throw noAnswer(timeoutMs);
    if (result.exitCode !== 0) throw scriptRefusal(result.stderr, options) ?? new Error(commandError(command, result));
    return result.stdout;
  };
  return {
    engine: 'postgresql',
    async query(statement: Sql): Promise<Row[]> {
      const script = `${preamble(timeoutMs)}SELECT coalesce(json_agg(q), '[]'::json) FROM (\n${toText(statement, 'postgresql')}\n) q;\n`;
      const stdout = await run([...PSQL_FLAGS, '-q'], script);
      try {
        return JSON.parse(stdout) as Row[];
      } catch {
        throw new Error(redact(`psql returned something that is not a result: ${stdout.slice(0, 200)}`));
      }
    },
    async transaction(statements: readonly Sql[], options: TransactionOptions = {}): Promise<number[]> {
      const preconditions = postgresPreconditions(options);
      const body = statements.map((statement) => `${toText(statement, 'postgresql')};\n`).join('');
      const script = `${preamble(timeoutMs)}BEGIN;\n${preconditions ?? ''}${body}COMMIT;\n`;
      // psql prints one command tag per statement: SET, SET, BEGIN, [DO,] UPDATE n, ..., COMMIT.
      const tagsOf = (stdout: string) =>
        stdout
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
      const limitMs = timeoutMs * 2 + 10_000;
      const command: Command = { ...psql(PSQL_FLAGS), timeoutMs: limitMs };
      const result = await runProcess(command, script);
      // Killed at the time limit, or the connection lost (exit 2), after every statement had run:
      // the COMMIT was sent and the server may have carried it out.
      const sentCommit = tagsOf(result.stdout).length >= 3 + (preconditions ? 1 : 0) + statements.length;
      if ((result.timedOut || result.exitCode === 2) && sentCommit)
        throw incomplete(
          `the database did not confirm the COMMIT (${result.timedOut ? `no answer within ${Math.round(limitMs / 1000)}s` : redact(commandError(command, result))})`,
          [`${statements.length} statement(s) may or may not have been committed: check before rerunning`],
        );
      if (result.timedOut) throw noAnswer(timeoutMs);
      if (result.exitCode !== 0) throw scriptRefusal(result.stderr, options) ?? new Error(commandError(command, result));
      const tags = tagsOf(result.stdout);
      const begin = tags.indexOf('BEGIN');
      if (begin < 0 || tags.at(-1) !== 'COMMIT') throw new Error(`psql did not commit: ${redact(tags.join(' | '))}`);
      return tags.slice(begin + 1 + (preconditions ? 1 : 0), -1).map((tag) => Number(/ (\d+)$/.exec(tag)?.[1] ?? 0));
    },
    close: async () => {},
  };
}
