// Backups: the rows a playbook is about to change (JSON, before every apply) and full
// logical dumps of Harbor's database (pg_dump custom format / mysqldump) with a manifest
// that records the schema version and checksum, so a restore can check both.
import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { commandError, runWithFiles, type Command } from '../platform/commands.ts';
import { fail, refuse } from '../errors.ts';
import type { HarborDetection } from '../sql/harbor-version.ts';
import type { Database, Engine, Sql } from '../sql/sql.ts';
import type { Target } from '../platform/targets.ts';
import type { BackupRecord } from '../types.ts';

/** Creates the directory if needed and proves it is writable (refuse otherwise: exit 2). */
export function ensureWritableDir(dir: string): string {
  const path = resolve(dir);
  const probe = join(path, `.write-test-${process.pid}`);
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    if (!statSync(path).isDirectory()) throw new Error('not a directory');
    accessSync(path, constants.W_OK);
    writeFileSync(probe, '');
    rmSync(probe);
    return path;
  } catch (error) {
    throw refuse(`backup dir ${path} is not writable (${(error as Error).message}); pass a writable --backup-dir`);
  }
}

/** A file name unique to this run: <UTC time>-<playbook>-<what>.<ext>. */
export function backupFileName(playbook: string, what: string, extension: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `${stamp}-${playbook}-${what}.${extension}`;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Saves the rows each query selects (the rows about to change) as JSON. */
export async function backupRows(db: Database, path: string, queries: Record<string, Sql>): Promise<BackupRecord> {
  const tables: Record<string, unknown[]> = {};
  let count = 0;
  for (const [table, query] of Object.entries(queries)) {
    tables[table] = await db.query(query);
    count += tables[table].length;
  }
  writeFileSync(path, JSON.stringify({ createdAt: new Date().toISOString(), tables }, null, 1), { mode: 0o600 });
  return { path, description: `${count} rows as they were before the change`, sha256: await sha256File(path) };
}

export interface DumpManifest {
  format: 'harbor-kb-dump/1';
  engine: Engine;
  dumpFormat: 'pg_dump-custom' | 'mysqldump-sql';
  file: string;
  sha256: string;
  bytes: number;
  createdAt: string;
  schemaVersion?: number;
  alembicVersion?: string;
  releases?: string;
  /** schema_migrations was dirty (a migration had failed part-way) when the dump was taken. */
  dirty?: boolean;
  /** Set for a database other than Harbor's own (notaryserver, notarysigner). */
  database?: string;
}

const isText = (value: unknown) => typeof value === 'string' && value !== '';
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/** Each field db-backup writes, and what it must hold; an optional field may also be absent. */
const MANIFEST_FIELDS: Record<keyof DumpManifest, { optional?: boolean; holds: string; valid: (value: unknown) => boolean }> = {
  format: { holds: 'harbor-kb-dump/1', valid: (value) => value === 'harbor-kb-dump/1' },
  engine: { holds: 'postgresql or mariadb', valid: (value) => value === 'postgresql' || value === 'mariadb' },
  dumpFormat: { holds: 'pg_dump-custom or mysqldump-sql', valid: (value) => value === 'pg_dump-custom' || value === 'mysqldump-sql' },
  file: { holds: 'a file name', valid: isText },
  sha256: { holds: 'a sha256 in hex', valid: (value) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) },
  bytes: { holds: 'a byte count', valid: isCount },
  createdAt: { holds: 'a time', valid: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) },
  schemaVersion: { optional: true, holds: 'a schema_migrations version (a whole number)', valid: isCount },
  alembicVersion: { optional: true, holds: 'an alembic_version such as 1.5.0', valid: (value) => typeof value === 'string' && /^\d+\.\d+\.\d+$/.test(value) },
  releases: { optional: true, holds: 'a release range', valid: isText },
  dirty: { optional: true, holds: 'true or false', valid: (value) => typeof value === 'boolean' },
  database: { optional: true, holds: 'a database name', valid: isText },
};

/** Why the parsed `value` is not a manifest db-backup writes, or undefined when it is one. */
function manifestProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const fields = value as Record<string, unknown>;
  if (fields.format !== 'harbor-kb-dump/1') return 'it is not a harbor-kb backup manifest';
  for (const [name, field] of Object.entries(MANIFEST_FIELDS)) {
    const present = fields[name];
    if (present === undefined && field.optional) continue;
    if (!field.valid(present)) return `its ${name} is ${JSON.stringify(present) ?? 'missing'}, not ${field.holds}`;
  }
  if (fields.dumpFormat !== (fields.engine === 'postgresql' ? 'pg_dump-custom' : 'mysqldump-sql'))
    return `its dumpFormat ${String(fields.dumpFormat)} is not the one db-backup writes for ${String(fields.engine)}`;
  return undefined;
}

export const manifestPath = (dumpPath: string) => `${dumpPath}.manifest.json`;

const DUMP_OPTIONS: Record<Engine, readonly string[]> = {
  // -Fc keeps every object's owner and grants (pg_dump ignores --no-owner for archives); db-restore puts them back.
  postgresql: ['-Fc'],
  mariadb: ['--single-transaction', '--routines', '--triggers', '--hex-blob'],
};

/** The dump command for Harbor's database, or (PostgreSQL) another database on the same server. */
export function dumpCommand(target: Target, engine: Engine, database?: string): Command {
  // pg_dump takes the last -d it is given, so this reaches another database through the same target.
  return engine === 'postgresql'
    ? target.databaseTool('postgresql', 'pg_dump', [...(database ? ['-d', database] : []), ...DUMP_OPTIONS.postgresql])
    : target.databaseTool('mariadb', 'mysqldump', DUMP_OPTIONS.mariadb);
}

/**
 * Runs the dump into `path` and writes its manifest. `statementTimeout` (seconds, --statement-timeout,
 * which the runner always sets) stops a dump whose output has not moved for that long: the server
 * stopped answering.
 */
async function writeDump(
  command: Command,
  path: string,
  statementTimeout: number | undefined,
  manifest: Omit<DumpManifest, 'sha256' | 'bytes' | 'file' | 'createdAt' | 'format'>,
): Promise<DumpManifest> {
  const result = await runWithFiles({ ...command, stallTimeoutMs: statementTimeout && statementTimeout * 1000 }, { stdout: path });
  if (result.exitCode !== 0 || result.timedOut) {
    rmSync(path, { force: true });
    const tool = manifest.engine === 'postgresql' ? 'pg_dump' : 'mysqldump';
    throw fail(
      `backup failed: ${result.timedOut ? `${tool} got no answer from the database for ${statementTimeout}s (--statement-timeout ${statementTimeout}): it may be stopped, overloaded or unreachable; the incomplete dump was removed` : commandError(command, result)}`,
    );
  }
  const written: DumpManifest = {
    format: 'harbor-kb-dump/1',
    ...manifest,
    file: basename(path),
    sha256: await sha256File(path),
    bytes: statSync(path).size,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(manifestPath(path), JSON.stringify(written, null, 2) + '\n');
  return written;
}

/** Full logical dump through the target: pg_dump -Fc or mysqldump --single-transaction. */
export function dumpDatabase(target: Target, harbor: HarborDetection, path: string, statementTimeout: number | undefined): Promise<DumpManifest> {
  return writeDump(dumpCommand(target, harbor.engine), path, statementTimeout, {
    engine: harbor.engine,
    dumpFormat: harbor.engine === 'postgresql' ? 'pg_dump-custom' : 'mysqldump-sql',
    schemaVersion: harbor.schemaVersion,
    alembicVersion: harbor.alembicVersion,
    releases: harbor.releases,
    ...(harbor.engine === 'postgresql' && harbor.schemaVersion !== undefined ? { dirty: harbor.dirty === true } : {}),
  });
}

/** pg_dump -Fc of another database on Harbor's PostgreSQL server (notary's). */
export function dumpOtherDatabase(target: Target, database: string, path: string, statementTimeout: number | undefined): Promise<DumpManifest> {
  return writeDump(dumpCommand(target, 'postgresql', database), path, statementTimeout, { engine: 'postgresql', dumpFormat: 'pg_dump-custom', database });
}

/** Reads a dump's manifest and checks the dump against it; any mismatch is a refusal. */
export async function readVerifiedDump(path: string): Promise<DumpManifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath(path), 'utf8'));
  } catch {
    throw refuse(`${path} has no readable manifest (${basename(manifestPath(path))}); only backups written by db-backup can be restored`);
  }
  // The checksum covers the dump, not its manifest: a hand-edited manifest must not steer the version checks.
  const problem = manifestProblem(parsed);
  if (problem) throw refuse(`${manifestPath(path)} is not a manifest db-backup wrote: ${problem}`);
  const manifest = parsed as DumpManifest;
  let actual: string;
  try {
    actual = await sha256File(path);
  } catch {
    throw refuse(`backup file ${path} cannot be read`);
  }
  if (actual !== manifest.sha256) throw refuse(`backup ${path} is corrupt: its sha256 does not match the manifest`);
  return manifest;
}
