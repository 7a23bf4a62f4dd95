// Restores a db-backup dump into the target database: the supported way back from a failed
// upgrade. It refuses unless the dump's schema fits the Harbor release that will run on it.
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { backupFileName, dumpDatabase, readVerifiedDump, type DumpManifest } from '../src/playbook/backup.ts';
import { commandError, commandText, runWithFiles, type Command } from '../src/playbook/commands.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { describeHarbor, detectHarbor, schemaFitsRelease, schemaVersionForRelease } from '../src/playbook/harbor-version.ts';
import { sql, type Database } from '../src/playbook/sql.ts';
import { tableChecksums } from '../src/playbook/table-checksums.ts';
import type { Target } from '../src/playbook/targets.ts';
import type { Finding, Playbook } from '../src/playbook/types.ts';

function checkFit(manifest: DumpManifest, release: string): Finding {
  if (manifest.engine === 'mariadb') {
    if (schemaVersionForRelease(release) !== 'mariadb') throw refuse(`the backup is a MariaDB (Harbor ≤1.5) dump; Harbor ${release} runs on PostgreSQL and migrates MariaDB data only through its migrator`);
    return { level: 'info', message: `MariaDB backup (alembic ${manifest.alembicVersion}) for Harbor ${release}` };
  }
  if (manifest.schemaVersion === undefined) throw refuse('the backup manifest records no schema version');
  const fit = schemaFitsRelease(manifest.schemaVersion, release);
  if (!fit.fits) throw refuse(`refusing to restore: ${fit.message}`);
  return { level: 'info', message: `backup schema ${manifest.schemaVersion} (Harbor ${manifest.releases ?? '?'}): ${fit.message}` };
}

/** The restore as one script: empty the database, then load the dump. */
async function restoreScript(target: Target, db: Database, dumpPath: string, scriptPath: string): Promise<void> {
  if (db.engine === 'postgresql') {
    // DROP SCHEMA removes tables that newer migrations added; the dump recreates the rest.
    await writeFile(scriptPath, 'DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n', { mode: 0o600 });
    const convert = target.databaseTool('postgresql', 'pg_restore', ['--no-owner', '-f', '-'], true);
    const sqlPath = `${scriptPath}.body`;
    const result = await runWithFiles(convert, { stdin: dumpPath, stdout: sqlPath });
    if (result.exitCode !== 0) throw fail(`reading the backup failed: ${commandError(convert, result)}`);
    await appendFileFrom(scriptPath, sqlPath);
    rmSync(sqlPath, { force: true });
    return;
  }
  const tables = await db.query(sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()`);
  const drops = tables.map((row) => `DROP TABLE IF EXISTS \`${String(row.name).replace(/`/g, '``')}\`;\n`).join('');
  await writeFile(scriptPath, `SET FOREIGN_KEY_CHECKS=0;\n${drops}`, { mode: 0o600 });
  await appendFileFrom(scriptPath, dumpPath);
  await appendFile(scriptPath, 'SET FOREIGN_KEY_CHECKS=1;\n');
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

export const dbRestore: Playbook = {
  name: 'db-restore',
  title: "Restore Harbor's database from a db-backup",
  summary:
    'Restores a backup written by db-backup into the target database, after checking its checksum and that its schema version fits the Harbor release you will run (--harbor-version). The current database is dumped first, and PostgreSQL restores run in one transaction.',
  remediates: ['core-downgrade-schema'],
  parameters: [
    { name: 'file', type: 'path', required: true, help: 'The backup to restore: a .dump or .sql written by db-backup (its .manifest.json must be beside it).', example: './harbor-kb-backups/2026-01-01T00-00-00-000Z-db-backup-registry.dump' },
    { name: 'harbor-version', type: 'version', required: true, help: 'The Harbor release that will run on the restored database, e.g. 1.8.6.', example: '1.8.6' },
  ],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const db = context.db!;
    const file = String(context.values.file);
    const release = String(context.values['harbor-version']);
    const manifest = await readVerifiedDump(file);
    if (manifest.engine !== db.engine) throw refuse(`the backup is a ${manifest.engine} dump but the target database is ${db.engine}`);
    const findings: Finding[] = [
      { level: 'info', message: `backup ${file}: sha256 matches its manifest (${manifest.sha256.slice(0, 12)}…), written ${manifest.createdAt}` },
      checkFit(manifest, release),
      { level: 'info', message: `the target database now holds: ${context.harbor!.releases ? describeHarbor(context.harbor!) : 'no recognised Harbor schema'}` },
      { level: 'warn', message: 'Stop Harbor (docker compose down, or scale core and jobservice to 0) before applying, and start the Harbor release you named afterwards.' },
    ];
    if (db.engine === 'mariadb') findings.push({ level: 'warn', message: 'MariaDB cannot roll back DDL: if the restore fails midway, restore the pre-restore dump this run writes first.' });
    const recordPath = join(context.backupDir, `db-restore-${manifest.sha256.slice(0, 16)}.json`);
    if (existsSync(recordPath)) {
      const record = JSON.parse(readFileSync(recordPath, 'utf8')) as RestoreRecord;
      if (record.target === context.target.description && sameTables(record.tables, await tableChecksums(db))) {
        findings.push({ level: 'info', message: `the database still holds exactly what restoring this backup wrote (table checksums match ${recordPath})` });
        return { findings, steps: [], facts: { manifest, release } };
      }
    }
    const scriptPath = join(context.backupDir, backupFileName('db-restore', 'script', 'sql'));
    const load: Command = db.engine === 'postgresql'
      ? context.target.databaseTool('postgresql', 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction'])
      : context.target.databaseTool('mariadb', 'mysql', []);
    const preRestore = join(context.backupDir, backupFileName('db-restore', 'pre-restore', db.engine === 'postgresql' ? 'dump' : 'sql'));
    return {
      findings,
      facts: { manifest, release },
      steps: [
        {
          description: `replace the database's contents with ${file}`,
          preview: [
            db.engine === 'postgresql' ? `${commandText(context.target.databaseTool('postgresql', 'pg_restore', ['--no-owner', '-f', '-'], true))} < ${file}  (converted to SQL, after DROP SCHEMA public CASCADE; CREATE SCHEMA public)` : `DROP TABLE for each table, then the dump ${file}`,
            `${commandText(load)} < ${scriptPath}`,
          ],
          backup: async () => {
            const dump = await dumpDatabase(context.target, context.harbor!, preRestore);
            return { path: preRestore, description: `pre-restore dump of the current database (sha256 ${dump.sha256.slice(0, 12)}…)`, sha256: dump.sha256 };
          },
          async execute() {
            try {
              await restoreScript(context.target, db, file, scriptPath);
              const result = await context.report.spin('restoring', () => runWithFiles(load, { stdin: scriptPath }));
              if (result.exitCode !== 0) throw new Error(commandError(load, result));
            } finally {
              rmSync(scriptPath, { force: true });
            }
            const record: RestoreRecord = { target: context.target.description, backupSha256: manifest.sha256, tables: await tableChecksums(db) };
            writeFileSync(recordPath, JSON.stringify(record, null, 1) + '\n', { mode: 0o600 });
            return { changed: 1, detail: `restored ${file}` };
          },
          async verify() {
            const now = await detectHarbor(db);
            const matches = db.engine === 'postgresql' ? now.schemaVersion === manifest.schemaVersion : now.alembicVersion === manifest.alembicVersion;
            if (!matches) throw fail(`after the restore the database reports ${describeHarbor(now)}, not the backup's schema`);
            return `the database is at the backup's schema (${describeHarbor(now)})`;
          },
        },
      ],
    };
  },
};
