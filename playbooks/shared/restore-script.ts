// A restore that is a script: SQL statements written as one transaction to a file only the
// operator can read, and the database client command (through the same target) that loads it.
// Used where a backup must be put back by one command, including where the saved values are
// secrets of a kind (a password hash, a role's verifier) that must not be printed.
import { writeFileSync } from 'node:fs';
import { commandText } from '../../src/playbook/platform/commands.ts';
import type { Target } from '../../src/playbook/platform/targets.ts';
import { sha256File } from '../../src/playbook/run/backup.ts';
import { toText, type Engine, type Sql } from '../../src/playbook/sql/sql.ts';
import type { BackupRecord } from '../../src/playbook/types.ts';

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes `statements` (already rendered for `engine`) as one transaction to `path`, mode 0600, and
 * returns the command that runs it through the target's database client; undefined where that
 * client takes its password on stdin (MariaDB on k8s), so the file cannot be its input.
 */
export function writeRestoreFile(target: Target, engine: Engine, path: string, statements: readonly string[]): string | undefined {
  const client = target.databaseTool(engine, engine === 'postgresql' ? 'psql' : 'mysql', engine === 'postgresql' ? ['-X', '-v', 'ON_ERROR_STOP=1'] : []);
  if (client.stdinPrefix !== undefined) return undefined;
  // toText doubles quotes only: a PostgreSQL script says the setting it relies on.
  const prelude = engine === 'postgresql' ? ['SET standard_conforming_strings = on;'] : [];
  writeFileSync(path, [...prelude, 'BEGIN;', ...statements, 'COMMIT;', ''].join('\n'), { mode: 0o600 });
  return `${commandText(client)} < ${shellWord(path)}`;
}

/** A PostgreSQL backup that is its own restore: the script at `path` and the record whose restore loads it. */
export async function writeRestoreScript(target: Target, path: string, statements: readonly Sql[], description: string): Promise<BackupRecord> {
  const command = writeRestoreFile(
    target,
    'postgresql',
    path,
    statements.map((statement) => `${toText(statement, 'postgresql')};`),
  );
  return { path, description, sha256: await sha256File(path), restore: command ? [command] : [] };
}
