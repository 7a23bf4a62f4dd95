// Restores a db-backup dump into the target database: the supported way back from a failed
// upgrade. It refuses unless the dump's schema fits the Harbor release that will run on it, and
// while anything else (core, jobservice) is connected to the database. A MariaDB dump runs
// through the mysql client, so it is loaded with --binary-mode and refused if it holds a client
// command (`\!`, `system`: a shell as the operator). MariaDB cannot roll back its DROPs: a
// failure after them ends with exit 3 and the command that loads the pre-restore dump.
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { dumpDatabase, manifestPath, readVerifiedDump, type DumpManifest } from '../src/playbook/run/backup.ts';
import { commandError, commandText, runWithFiles, type Command } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, type PlaybookError, refuse } from '../src/playbook/errors.ts';
import { boolean, duration, path, version } from '../src/playbook/flags.ts';
import { alembicFitsRelease, describeHarbor, detectHarbor, newestReleaseAt, schemaFitsRelease } from '../src/playbook/sql/harbor-version.ts';
import { scanMysqlDump } from '../src/playbook/sql/mysql-dump-scan.ts';
import { sql, type Database } from '../src/playbook/sql/sql.ts';
import { tableChecksums } from '../src/playbook/sql/table-checksums.ts';
import type { Target } from '../src/playbook/platform/targets.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';

function checkFit(manifest: DumpManifest, release: string): PlanFinding {
  if (manifest.engine === 'mariadb') {
    const fit = alembicFitsRelease(manifest.alembicVersion, release, 'the backup');
    if (!fit.fits)
      throw refuse(
        `refusing to restore: ${fit.message}${fit.kind === 'newer' || fit.kind === 'migrator' ? ' (or name the release the backup came from)' : ''}`,
      );
    return { level: 'info', message: `MariaDB backup (alembic_version ${manifest.alembicVersion}) fits Harbor ${release}` };
  }
  if (manifest.schemaVersion === undefined) throw refuse('the backup manifest records no schema version');
  const fit = schemaFitsRelease(manifest.schemaVersion, release, 'the backup');
  if (!fit.fits) throw refuse(`refusing to restore: ${fit.message}`);
  return { level: 'info', message: `backup schema ${manifest.schemaVersion} (Harbor ${manifest.releases ?? '?'}): ${fit.message}` };
}

/** The record of an earlier restore of this backup; a file that is not one is named, so it can be removed. */
function parseRestoreRecord(path: string): RestoreRecord {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RestoreRecord;
  } catch {
    throw refuse(`${path} is not a restore record harbor-kb wrote (not JSON): move it away and rerun`);
  }
}

/** The schema_migrations row the PostgreSQL dump itself holds (pg_restore -a -t schema_migrations), or undefined when it holds none. */
async function dumpedSchemaMigrations(target: Target, file: string): Promise<{ version: number; dirty: boolean } | undefined> {
  const read = target.databaseTool('postgresql', 'pg_restore', ['-a', '-t', 'schema_migrations', '-f', '-'], true);
  const result = await runWithFiles(read, { stdin: file });
  if (result.exitCode !== 0) throw refuse(`${file} cannot be read as a pg_dump archive: ${commandError(read, result)}`);
  const lines = result.stdout.split('\n');
  const copy = lines.findIndex((line) => /^COPY \S*schema_migrations \(version, dirty\) FROM stdin;$/.test(line));
  const row = copy < 0 ? undefined : lines[copy + 1]?.split('\t');
  if (!row || row[0] === '\\.' || row.length !== 2) return undefined;
  return { version: Number(row[0]), dirty: row[1] === 't' };
}

/**
 * Refuses a PostgreSQL dump whose own schema_migrations is not what its manifest says (the checksum
 * covers only the dump); returns whether it is dirty (a manifest from before the flag has none).
 */
async function dumpIsDirty(target: Target, file: string, manifest: DumpManifest): Promise<boolean> {
  const dumped = await dumpedSchemaMigrations(target, file);
  if (dumped?.version !== manifest.schemaVersion || (dumped && manifest.dirty !== undefined && dumped.dirty !== manifest.dirty)) {
    const says = (version?: number, dirty?: boolean) => `${version ?? '(none)'}${dirty ? ' (dirty)' : ''}`;
    throw refuse(
      `the dump's schema_migrations holds version ${says(dumped?.version, dumped?.dirty)} but its manifest ${manifestPath(file)} says ${says(manifest.schemaVersion, manifest.dirty)}; refusing a backup that does not match its manifest`,
    );
  }
  return dumped?.dirty === true;
}

const FLAGS = {
  file: path({
    required: true,
    help: 'The backup to restore: a .dump or .sql written by db-backup (its .manifest.json must be beside it).',
    example: './harbor-kb-backups/2026-01-01T00-00-00-000Z-db-backup-registry.dump',
  }),
  'harbor-version': version({ required: true, help: 'The Harbor release that will run on the restored database, e.g. 1.8.6.', example: '1.8.6' }),
  'allow-dirty': boolean({
    help: 'Restore a backup whose schema_migrations is dirty (a pre-restore or pre-reset dump taken from a dirty database), to put that state back; core stops on it until schema-doctor resets it.',
  }),
  'lock-timeout': duration({ default: 30, min: 1, max: 3600, help: 'Give up (and change nothing on PostgreSQL) when a table stays locked this long.' }),
};
type Context = RunContext<typeof FLAGS, 'database'>;

/** How to stop what writes to Harbor's database, by target (never `docker compose down`: it removes harbor-db too). */
function stopAdvice(context: Context): string {
  if (context.target.kubernetes) {
    const { fullname, namespace } = context.target.kubernetes;
    return `kubectl -n ${namespace} scale deployment ${fullname}-core ${fullname}-jobservice --replicas=0 (charts for Harbor ≤1.7 also ${fullname}-adminserver), and back to their replica counts after the restore`;
  }
  if (context.target.kind === 'compose') {
    return 'docker stop harbor-core harbor-jobservice (Harbor 1.7 also harbor-adminserver; ≤1.6 harbor-ui harbor-jobservice harbor-adminserver), and docker start them after the restore. Not docker compose down: it removes harbor-db as well';
  }
  return 'stop Harbor core and jobservice (and adminserver up to 1.7) wherever they run, leaving the database up';
}

/** Other sessions on the target database: Harbor core, jobservice, anyone. */
async function otherSessions(db: Database): Promise<string[]> {
  const rows =
    db.engine === 'postgresql'
      ? // usename is null for the server's own background processes.
        await db.query(
          sql`SELECT pid AS id, usename AS "user", application_name AS app, client_addr::text AS addr FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename IS NOT NULL`,
        )
      : await db.query(
          sql`SELECT id, user, '' AS app, host AS addr FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command NOT IN ('Daemon', 'Binlog Dump')`,
        );
  return rows.map((row) => `session ${row.id} (user ${row.user}${row.app ? `, ${row.app}` : ''}${row.addr ? ` from ${row.addr}` : ''})`);
}

/** Why the restore must wait, or undefined when the database is free. */
async function sessionsProblem(context: Context): Promise<string | undefined> {
  const sessions = await otherSessions(context.db);
  if (sessions.length === 0) return undefined;
  return `${sessions.length} other session(s) use the database: ${sessions.join(', ')}. Harbor core and jobservice write to it and would mix their rows into the restored data. Stop them first: ${stopAdvice(context)}`;
}

/** Refuses while other sessions stay: a client that just closed (our own pg_dump) leaves its backend for a moment. */
async function requireNoSessions(context: Context): Promise<void> {
  let problem = await sessionsProblem(context);
  for (let attempt = 0; problem && attempt < 10; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    problem = await sessionsProblem(context);
  }
  if (problem) throw refuse(`refusing to restore while ${problem}`);
}

/**
 * Drops public (with the tables newer migrations added) and creates it again with the owner and
 * grants it has now. A bare CREATE SCHEMA would give it to the restoring user with no grants, and
 * PostgreSQL 15's pg_dump leaves public's default grants out of the dump: a role that owns
 * Harbor's database but is not a superuser could then no longer reach a single table.
 */
const RECREATE_PUBLIC = `DO $$
DECLARE
  owner text;
  acl aclitem[];
  entry record;
BEGIN
  SELECT nspowner::regrole::text, nspacl INTO owner, acl FROM pg_namespace WHERE nspname = 'public';
  DROP SCHEMA IF EXISTS public CASCADE;
  IF owner IS NULL THEN
    CREATE SCHEMA public;
    RETURN;
  END IF;
  EXECUTE format('CREATE SCHEMA public AUTHORIZATION %s', owner);
  IF acl IS NULL THEN
    RETURN;
  END IF;
  EXECUTE format('REVOKE ALL ON SCHEMA public FROM %s', owner);
  FOR entry IN SELECT grantee, privilege_type, is_grantable FROM aclexplode(acl) LOOP
    EXECUTE format('GRANT %s ON SCHEMA public TO %s%s', entry.privilege_type,
      CASE WHEN entry.grantee = 0 THEN 'PUBLIC' ELSE entry.grantee::regrole::text END,
      CASE WHEN entry.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
END $$;
`;

/**
 * pg_restore turning the dump into SQL with its grants and, for a superuser, its owners (ALTER …
 * OWNER TO), so each table goes back to the role that owned it. Any other user can create objects
 * only as itself: its restore keeps them (--no-owner), as Harbor's role restoring its own database.
 */
const convertCommand = (target: Target, superuser: boolean) =>
  target.databaseTool('postgresql', 'pg_restore', [...(superuser ? [] : ['--no-owner']), '-f', '-'], true);

/** Whether the connection's user is a PostgreSQL superuser. */
async function isSuperuser(db: Database): Promise<boolean> {
  const [row] = await db.query(sql`SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END AS superuser FROM pg_roles WHERE rolname = current_user`);
  return Number(row?.superuser) === 1;
}

/** The restore as one script: empty the database, then load the dump, waiting at most `lockSeconds` for any lock. */
async function restoreScript(target: Target, db: Database, dumpPath: string, scriptPath: string, lockSeconds: number, superuser: boolean): Promise<void> {
  if (db.engine === 'postgresql') {
    await writeFile(scriptPath, `SET lock_timeout = '${lockSeconds}s';\n${RECREATE_PUBLIC}`, { mode: 0o600 });
    const convert = convertCommand(target, superuser);
    const sqlPath = `${scriptPath}.body`;
    const result = await runWithFiles(convert, { stdin: dumpPath, stdout: sqlPath });
    if (result.exitCode !== 0) throw fail(`reading the backup failed: ${commandError(convert, result)}`);
    await appendFileFrom(scriptPath, sqlPath);
    rmSync(sqlPath, { force: true });
    return;
  }
  const tables = await db.query(sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name`);
  const drops = tables.map((row) => `DROP TABLE IF EXISTS \`${String(row.name).replace(/`/g, '``')}\`;\n`).join('');
  await writeFile(
    scriptPath,
    `SET SESSION lock_wait_timeout = ${lockSeconds};\nSET SESSION innodb_lock_wait_timeout = ${lockSeconds};\nSET FOREIGN_KEY_CHECKS=0;\n${drops}`,
    { mode: 0o600 },
  );
  await appendFileFrom(scriptPath, dumpPath);
  await appendFile(scriptPath, 'SET FOREIGN_KEY_CHECKS=1;\n');
}

/** The roles that own tables in public now. */
async function ownersOfTables(db: Database): Promise<string[]> {
  const rows = await db.query(
    sql`SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1`,
  );
  return rows.map((row) => String(row.owner));
}

/**
 * The database's owner and the roles that owned its tables before the restore (Harbor core's
 * role is one of them) that cannot now use every table and sequence in public as core does.
 */
async function rolesLockedOut(db: Database, tableOwners: string[]): Promise<string[]> {
  const rows = await db.query(sql`
    WITH roles AS (
      SELECT datdba AS oid, true AS "databaseOwner" FROM pg_database WHERE datname = current_database()
      ${tableOwners.length ? sql`UNION ALL SELECT oid, false FROM pg_roles WHERE rolname IN (${tableOwners})` : sql``}
    )
    SELECT pg_get_userbyid(r.oid) AS role, bool_or(r."databaseOwner") AS "databaseOwner", count(DISTINCT c.oid) AS missing, min(c.relname) AS example
    FROM roles r CROSS JOIN pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S')
      AND NOT (has_schema_privilege(r.oid, c.relnamespace, 'USAGE') AND CASE WHEN c.relkind = 'S'
        THEN has_sequence_privilege(r.oid, c.oid, 'USAGE')
        ELSE has_table_privilege(r.oid, c.oid, 'SELECT') AND has_table_privilege(r.oid, c.oid, 'INSERT')
          AND has_table_privilege(r.oid, c.oid, 'UPDATE') AND has_table_privilege(r.oid, c.oid, 'DELETE') END)
    GROUP BY r.oid ORDER BY 1`);
  return rows.map(
    (row) =>
      `role ${row.role} (${row.databaseOwner ? "the database's owner" : 'owner of its tables before the restore'}) cannot use ${row.missing} of the restored tables and sequences (e.g. ${row.example})`,
  );
}

/** Refuses a backup that is not Harbor's database, not this engine's, dirty (without --allow-dirty) or not what its manifest says; returns whether it is dirty. */
async function checkBackup(context: Context, file: string, manifest: DumpManifest): Promise<boolean> {
  const { target } = context;
  const { engine } = context.db;
  if (manifest.database)
    throw refuse(
      `${file} is a dump of the ${manifest.database} database, not Harbor's own; restore it with: pg_restore --clean --if-exists -d ${manifest.database} ${file}`,
    );
  if (manifest.engine !== engine) throw refuse(`the backup is a ${manifest.engine} dump but the target database is ${engine}`);
  const dirty = manifest.engine === 'postgresql' && (await dumpIsDirty(target, file, manifest));
  if (dirty && !context.values['allow-dirty'])
    throw refuse(
      `${file} is a backup of a dirty schema (schema_migrations version ${manifest.schemaVersion}, dirty): migration ${manifest.schemaVersion} had failed part-way when it was taken, and core stops on it with "Dirty database version ${manifest.schemaVersion}". Restore a clean backup, or fix the database with schema-doctor; pass --allow-dirty only to put this state back on purpose (a pre-restore or pre-reset dump)`,
    );
  if (manifest.engine === 'mariadb') {
    const scan = await scanMysqlDump(file);
    if (scan.clientCommand)
      throw refuse(
        `${file} holds the mysql client command "${scan.clientCommand.command}" at line ${scan.clientCommand.line}, which would run on this machine as you, not in the database; db-backup never writes one, so the file was changed after the backup. Refusing to load it`,
      );
    if (scan.alembicVersion !== manifest.alembicVersion)
      throw refuse(
        `the dump inserts alembic_version ${scan.alembicVersion ?? '(none)'} but its manifest says ${manifest.alembicVersion ?? '(none)'}; refusing a backup that does not match its manifest`,
      );
  }
  return dirty;
}

/** The error for a load that failed (`why`) or was stopped: the tables tell whether anything changed. */
async function failedLoad(db: Database, before: Record<string, string>, file: string, why: string, putBack: string): Promise<PlaybookError> {
  // psql --single-transaction rolls back unless it failed after its COMMIT (a dropped connection);
  // MariaDB cannot roll back its DROP TABLEs.
  const after = await tableChecksums(db).catch(() => undefined);
  if (after && sameTables(before, after))
    return fail(`the restore failed${db.engine === 'postgresql' ? ' and was rolled back' : ' before it changed a table'}; nothing changed: ${why}`);
  const what =
    db.engine === 'postgresql'
      ? [`the database may now hold ${file}, in whole or in part (its transaction may have committed)`]
      : [`the tables of the database were dropped and ${file} was loaded only in part`];
  return incomplete(`the restore failed part-way: ${why}${after ? '' : '; the database could not be read back'}`, what, [putBack]);
}

/** What a restore left behind, so a second run can tell that nothing has changed since. */
interface RestoreRecord {
  target: string;
  backupSha256: string;
  tables: Record<string, string>;
}

function sameTables(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

function appendFileFrom(target: string, source: string): Promise<void> {
  return pipeline(createReadStream(source), createWriteStream(target, { flags: 'a' }));
}

export const dbRestore = definePlaybook({
  name: 'db-restore',
  title: "Restore Harbor's database from a db-backup",
  summary:
    'Restores a backup written by db-backup into the target database, after checking its checksum and that its schema version fits the Harbor release you will run (--harbor-version); a backup of a dirty schema only with --allow-dirty. It refuses while core, jobservice or anything else is connected to the database, and refuses MariaDB dumps that hold mysql client commands. The current database is dumped first; PostgreSQL restores run in one transaction, and a MariaDB restore that fails after its DROPs ends with exit 3 and the command that loads that dump.',
  remediates: ['core-downgrade-schema'],
  flags: FLAGS,
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const { db, harbor } = context;
    const { file, 'harbor-version': release, 'lock-timeout': lockSeconds, 'statement-timeout': statementTimeout } = context.values;
    const manifest = await readVerifiedDump(file);
    const dirty = await checkBackup(context, file, manifest);
    const findings: PlanFinding[] = [
      { level: 'info', message: `backup ${file}: sha256 matches its manifest (${manifest.sha256.slice(0, 12)}…), written ${manifest.createdAt}` },
      checkFit(manifest, release),
      { level: 'info', message: `the target database now holds: ${harbor.releases ? describeHarbor(harbor) : 'no recognised Harbor schema'}` },
      {
        level: 'warn',
        message: `Nothing else may use the database during the restore: ${stopAdvice(context)}. Start the Harbor release you named afterwards.`,
      },
    ];
    if (dirty)
      findings.push({
        level: 'warn',
        message: `--allow-dirty: the backup is dirty at version ${manifest.schemaVersion}, so the restored database is too; core stops on it until schema-doctor resets it`,
      });
    if (db.engine === 'mariadb')
      findings.push({
        level: 'warn',
        message:
          'MariaDB cannot roll back DDL: if the restore fails after its DROP TABLEs, the run ends with exit 3 and prints the command that loads the pre-restore dump it writes first.',
      });
    const recordPath = join(context.backupDir, `db-restore-${manifest.sha256.slice(0, 16)}.json`);
    if (existsSync(recordPath)) {
      const record = parseRestoreRecord(recordPath);
      if (record.target === context.target.description && sameTables(record.tables, await tableChecksums(db))) {
        findings.push({ level: 'info', message: `the database still holds exactly what restoring this backup wrote (table checksums match ${recordPath})` });
        return { findings, steps: [], facts: { manifest, release } };
      }
    }
    if (context.apply) await requireNoSessions(context);
    else {
      const problem = await sessionsProblem(context);
      if (problem) findings.push({ level: 'problem', message: `--apply would refuse now: ${problem}` });
    }
    const scriptPath = context.backupPath('script', 'sql');
    const load: Command =
      db.engine === 'postgresql'
        ? context.target.databaseTool('postgresql', 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction'])
        : // --binary-mode: the client parses no command but \C and DELIMITER in piped input (checked with the 10.11 client).
          context.target.databaseTool('mariadb', 'mysql', ['--binary-mode']);
    const superuser = db.engine === 'postgresql' && (await isSuperuser(db));
    let tableOwners: string[] = [];
    const preRestore = context.backupPath('pre-restore', db.engine === 'postgresql' ? 'dump' : 'sql');
    const previousRelease = newestReleaseAt(harbor);
    const putBack = `harbor-kb run db-restore <the same target options> --file ${preRestore} --harbor-version ${previousRelease ?? '<the release that ran before>'}${harbor.dirty ? ' --allow-dirty' : ''} --apply`;
    return {
      findings,
      facts: { manifest, release },
      steps: [
        {
          description: `replace the database's contents with ${file}`,
          preview: [
            db.engine === 'postgresql'
              ? `${commandText(convertCommand(context.target, superuser))} < ${file}  (converted to SQL with its grants${superuser ? ' and owners' : ', every object owned by you'}, after SET lock_timeout = '${lockSeconds}s'; DROP SCHEMA public CASCADE; CREATE SCHEMA public with the owner and grants it has now)`
              : `SET SESSION lock_wait_timeout = ${lockSeconds}; DROP TABLE for each table, then the dump ${file}`,
            `${commandText(load)} < ${scriptPath}`,
          ],
          backup: async () => {
            const dump = await dumpDatabase(context.target, harbor, preRestore, statementTimeout);
            return {
              path: preRestore,
              description: `pre-restore dump of the current database (sha256 ${dump.sha256.slice(0, 12)}…)`,
              sha256: dump.sha256,
              restore: [putBack],
            };
          },
          async execute() {
            // Confirm right before the DROPs: core may have been started since the plan.
            await requireNoSessions(context);
            if (db.engine === 'postgresql') tableOwners = await ownersOfTables(db);
            const before = await tableChecksums(db);
            let result: Awaited<ReturnType<typeof runWithFiles>>;
            try {
              await restoreScript(context.target, db, file, scriptPath, lockSeconds, superuser);
              // A psql whose script stops moving for --statement-timeout waits on a server that no longer answers.
              result = await context.report.spin('restoring', () =>
                runWithFiles({ ...load, stallTimeoutMs: statementTimeout && statementTimeout * 1000 }, { stdin: scriptPath }),
              );
            } finally {
              rmSync(scriptPath, { force: true });
            }
            if (result.exitCode !== 0 || result.timedOut)
              throw await failedLoad(
                db,
                before,
                file,
                result.timedOut
                  ? `${db.engine === 'postgresql' ? 'psql' : 'mysql'} got no answer from the database for ${statementTimeout}s (--statement-timeout ${statementTimeout})`
                  : commandError(load, result),
                putBack,
              );
            try {
              const record: RestoreRecord = { target: context.target.description, backupSha256: manifest.sha256, tables: await tableChecksums(db) };
              writeFileSync(recordPath, JSON.stringify(record, null, 1) + '\n', { mode: 0o600 });
            } catch (error) {
              throw incomplete(`restored ${file}, but could not record it (${(error as Error).message})`, [`the database now holds ${file}`], [putBack]);
            }
            return { changed: 1, detail: `restored ${file}` };
          },
          async verify() {
            const now = await detectHarbor(db);
            const matches = db.engine === 'postgresql' ? now.schemaVersion === manifest.schemaVersion : now.alembicVersion === manifest.alembicVersion;
            if (!matches) throw fail(`after the restore the database reports ${describeHarbor(now)}, not the backup's schema`);
            if (db.engine === 'postgresql') {
              const locked = await rolesLockedOut(db, tableOwners);
              if (locked.length) throw fail(`after the restore ${locked.join('; ')}: Harbor core connecting as that role would find no tables`);
            }
            return `the database is at the backup's schema (${describeHarbor(now)})`;
          },
        },
      ],
    };
  },
});
