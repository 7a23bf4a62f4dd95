// A backup that is itself the restore: SQL statements written to a file only the operator can
// read, and the psql command (through the same target) that loads it. Used where the saved
// values are secrets of a kind (a password hash, a role's verifier) that must not be printed.
import { writeFileSync } from 'node:fs';
import { commandText } from '../../src/playbook/platform/commands.ts';
import type { Target } from '../../src/playbook/platform/targets.ts';
import { sha256File } from '../../src/playbook/run/backup.ts';
import { toText, type Sql } from '../../src/playbook/sql/sql.ts';
import type { BackupRecord } from '../../src/playbook/types.ts';

/** The psql command that runs a script file on Harbor's database through `target`, as the operator types it. */
export function psqlScriptCommand(target: Target, path: string): string {
  const quoted = /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
  return `${commandText(target.databaseTool('postgresql', 'psql', ['-X', '-v', 'ON_ERROR_STOP=1']))} < ${quoted}`;
}

/** Writes `statements` as one transaction to `path` (mode 0600) and returns the backup record whose restore loads it. */
export async function writeRestoreScript(target: Target, path: string, statements: readonly Sql[], description: string): Promise<BackupRecord> {
  // toText doubles quotes only: the script says the setting it relies on.
  const body = statements.map((statement) => `${toText(statement, 'postgresql')};`).join('\n');
  writeFileSync(path, `SET standard_conforming_strings = on;\nBEGIN;\n${body}\nCOMMIT;\n`, { mode: 0o600 });
  return { path, description, sha256: await sha256File(path), restore: [psqlScriptCommand(target, path)] };
}
