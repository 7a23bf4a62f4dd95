// Exit codes are part of the interface (docs/playbooks.md): 0 done, nothing to do, or a
// dry-run that printed its plan; 1 failed with nothing changed; 2 refused; 3 something
// changed but the run could not finish or could not verify it.
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_REFUSED = 2;
export const EXIT_INCOMPLETE = 3;

export type ErrorExitCode = typeof EXIT_FAILED | typeof EXIT_REFUSED | typeof EXIT_INCOMPLETE;

export class PlaybookError extends Error {
  readonly exitCode: ErrorExitCode;
  constructor(exitCode: ErrorExitCode, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

/**
 * A step whose change did (at least partly) happen before it failed: a delete done before a
 * later write failed, a commit whose client died, a restore that could not load. `changed`
 * says in words what is now different, `restore` the commands that put it back.
 */
export class IncompleteChangeError extends PlaybookError {
  readonly changed: string[];
  readonly restore: string[];
  constructor(message: string, changed: readonly string[], restore: readonly string[] = []) {
    super(EXIT_INCOMPLETE, message);
    this.changed = [...changed];
    this.restore = [...restore];
  }
}

/** Something changed and the run could not finish or verify it: exit 3. */
export function incomplete(message: string, changed: readonly string[], restore: readonly string[] = []): IncompleteChangeError {
  return new IncompleteChangeError(message, changed, restore);
}

/** Bad input or a failed preflight: nothing was attempted. */
export function refuse(message: string): PlaybookError {
  return new PlaybookError(EXIT_REFUSED, message);
}

/** The change failed and was rolled back (or never started): nothing changed. */
export function fail(message: string): PlaybookError {
  return new PlaybookError(EXIT_FAILED, message);
}

/** A database that did not answer within --statement-timeout (stopped, overloaded, network gone). */
export function noAnswer(timeoutMs: number): PlaybookError {
  const seconds = Math.round(timeoutMs / 1000);
  return fail(
    `the database did not answer within ${seconds}s (--statement-timeout ${seconds}): it may be stopped, overloaded or unreachable. Nothing was committed; rerun once it answers`,
  );
}

const CAUSES: Record<string, string> = {
  '28P01': 'authentication failed: check the password (URL, PGPASSWORD or the prompt)',
  '28000': 'the server rejected this user or host (pg_hba.conf)',
  '3D000': 'the database does not exist',
  '53300':
    'the database has no connection slot left: connect as a superuser while Harbor uses a role without SUPERUSER (superuser_reserved_connections keeps slots for it), or free one first (docker stop harbor-jobservice, or scale the jobservice deployment to 0) and rerun',
  ER_ACCESS_DENIED_ERROR: 'authentication failed: check the password (URL, MYSQL_PWD or the prompt)',
  ER_BAD_DB_ERROR: 'the database does not exist',
  ECONNREFUSED: 'connection refused: nothing listens at that host and port',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  '57014': 'a statement ran longer than --statement-timeout and the server cancelled it',
  ER_STATEMENT_TIMEOUT: 'a statement ran longer than --statement-timeout and the server cancelled it',
  ER_LOCK_WAIT_TIMEOUT: 'a row lock was not granted within --statement-timeout',
  PROTOCOL_SEQUENCE_TIMEOUT: 'the database did not answer within --statement-timeout',
  ENOSPC: 'no space left on the device',
  EPIPE: 'the other end of a pipe closed early',
};

/**
 * Errors that come from reading data of an unexpected shape (an API answer, a file, a
 * command's output) rather than from the operation: JSON.parse quotes the text it could not
 * read (which may be a file's content) and a spread of a non-list names engine internals.
 */
function dataShapeError(error: unknown): string | undefined {
  if (error instanceof SyntaxError && /JSON/.test(error.message))
    return 'received text that is not the JSON expected (a file, a command or an API answered something else)';
  if (
    error instanceof TypeError &&
    /iterable|is not a function|Cannot read properties of (undefined|null)|Cannot convert undefined or null/.test(error.message)
  ) {
    return 'received data of an unexpected shape (an API or command answered with something other than what this release documents)';
  }
  return undefined;
}

/** A one-line reason for an error from a driver, a command or Node, without secrets. */
export function describeError(error: unknown, redact: (text: string) => string): string {
  if (error instanceof PlaybookError) return error.message;
  const shape = dataShapeError(error);
  if (shape) return shape;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const cause = code ? CAUSES[code] : undefined;
  return redact(cause ? `${cause} (${message || code})` : message || String(code ?? 'unknown error'));
}
