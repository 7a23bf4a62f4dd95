// A full logical backup of Harbor's database through the target, with the schema version and
// checksum beside it, so db-restore has something it can check before restoring. From 1.6 the
// harbor-db PostgreSQL also holds notary's notaryserver and notarysigner databases
// (make/photon/db/initial-notary*.sql): those are dumped beside it when present.
import { dumpCommand, dumpDatabase, dumpOtherDatabase } from '../src/playbook/run/backup.ts';
import { commandText } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { describeHarbor } from '../src/playbook/sql/harbor-version.ts';
import { sql } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, Step } from '../src/playbook/types.ts';

const NOTARY_DATABASES: readonly string[] = ['notaryserver', 'notarysigner'];

export const dbBackup = definePlaybook({
  name: 'db-backup',
  title: "Back up Harbor's database",
  summary:
    "Writes a full logical backup of the Harbor database (pg_dump custom format, or mysqldump for Harbor ≤1.5) into --backup-dir, with a manifest recording its schema version and sha256, plus notary's notaryserver and notarysigner databases when the same PostgreSQL holds them. Run it before every upgrade: it is what db-restore rolls back to.",
  remediates: ['core-downgrade-schema', 'replication-job-stuck'],
  flags: {},
  targets: ['compose', 'k8s', 'direct'],
  mutates: false,
  requires: ['database'],
  async plan(context) {
    const { harbor } = context;
    const extension = harbor.engine === 'postgresql' ? 'dump' : 'sql';
    const path = context.backupPath('registry', extension);
    const findings: PlanFinding[] = harbor.releases ? [] : [{ level: 'warn', message: `backing up anyway: ${describeHarbor(harbor)}` }];
    if (harbor.dirty)
      findings.push({
        level: 'warn',
        message: `schema_migrations is dirty at version ${harbor.schemaVersion} (a migration failed part-way): the backup records it, and db-restore restores it only with --allow-dirty, because core stops on it with "Dirty database version ${harbor.schemaVersion}". To fix the database itself, run schema-doctor`,
      });
    const steps: Step[] = [
      {
        description: `dump the database to ${path}`,
        preview: [`${commandText(dumpCommand(context.target, harbor.engine))} > ${path}`],
        readOnly: true,
        async execute() {
          const manifest = await context.report.spin('dumping the database', () =>
            dumpDatabase(context.target, harbor, path, context.values['statement-timeout']),
          );
          return {
            changed: 1,
            detail: `wrote ${path} (${manifest.bytes} bytes, sha256 ${manifest.sha256}, schema ${manifest.schemaVersion ?? manifest.alembicVersion}); restore with: harbor-kb run db-restore --file ${path} --harbor-version <release> --apply`,
            data: { path, manifest },
          };
        },
      },
    ];
    if (harbor.engine === 'mariadb') {
      findings.push({
        level: 'warn',
        message:
          "Harbor ≤1.5 keeps notary's data in its own notary-db container (make/docker-compose.notary.tpl), which this backup does NOT include: if notary is installed, dump it there too (docker exec notary-db mysqldump --all-databases).",
      });
      return { findings, steps };
    }
    const present = (await context.db.query(sql`SELECT datname FROM pg_database WHERE datname IN (${NOTARY_DATABASES}) ORDER BY datname`)).map((row) =>
      String(row.datname),
    );
    findings.push(
      present.length
        ? { level: 'info', message: `this server also holds notary's ${present.join(' and ')}: backed up beside Harbor's database` }
        : {
            level: 'info',
            message:
              "no notaryserver or notarysigner database on this server (notary is not installed, or its databases are elsewhere): only Harbor's database is backed up",
          },
    );
    for (const database of present) {
      const notaryPath = context.backupPath(database, 'dump');
      steps.push({
        description: `dump notary's ${database} database to ${notaryPath}`,
        preview: [`${commandText(dumpCommand(context.target, 'postgresql', database))} > ${notaryPath}`],
        readOnly: true,
        async execute() {
          const manifest = await context.report.spin(`dumping ${database}`, () =>
            dumpOtherDatabase(context.target, database, notaryPath, context.values['statement-timeout']),
          );
          return {
            changed: 1,
            detail: `wrote ${notaryPath} (${manifest.bytes} bytes, sha256 ${manifest.sha256}); restore with pg_restore --clean --if-exists -d ${database} ${notaryPath} while notary-server and notary-signer are stopped`,
            data: { path: notaryPath, manifest },
          };
        },
      });
    }
    return { findings, steps };
  },
});
