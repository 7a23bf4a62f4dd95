// A full logical backup of Harbor's database through the target, with the schema version and
// checksum beside it, so db-restore has something it can check before restoring.
import { join } from 'node:path';
import { backupFileName, dumpDatabase } from '../src/playbook/backup.ts';
import { commandText } from '../src/playbook/commands.ts';
import { describeHarbor } from '../src/playbook/harbor-version.ts';
import type { Playbook } from '../src/playbook/types.ts';

export const dbBackup: Playbook = {
  name: 'db-backup',
  title: "Back up Harbor's database",
  summary:
    'Writes a full logical backup of the Harbor database (pg_dump custom format, or mysqldump for Harbor ≤1.5) into --backup-dir, with a manifest recording its schema version and sha256. Run it before every upgrade: it is what db-restore rolls back to.',
  remediates: ['core-downgrade-schema', 'replication-job-stuck'],
  parameters: [],
  targets: ['compose', 'k8s', 'direct'],
  mutates: false,
  requires: ['database'],
  async plan(context) {
    const harbor = context.harbor!;
    const extension = harbor.engine === 'postgresql' ? 'dump' : 'sql';
    const path = join(context.backupDir, backupFileName('db-backup', 'registry', extension));
    const command = harbor.engine === 'postgresql'
      ? context.target.databaseTool('postgresql', 'pg_dump', ['-Fc', '--no-owner'])
      : context.target.databaseTool('mariadb', 'mysqldump', ['--single-transaction', '--routines', '--triggers', '--hex-blob']);
    return {
      findings: harbor.releases ? [] : [{ level: 'warn', message: `backing up anyway: ${describeHarbor(harbor)}` }],
      steps: [
        {
          description: `dump the database to ${path}`,
          preview: [`${commandText(command)} > ${path}`],
          readOnly: true,
          async execute() {
            const manifest = await context.report.spin('dumping the database', () => dumpDatabase(context.target, harbor, path));
            return {
              changed: 1,
              detail: `wrote ${path} (${manifest.bytes} bytes, sha256 ${manifest.sha256}, schema ${manifest.schemaVersion ?? manifest.alembicVersion}); restore with: harbor-kb run db-restore --file ${path} --harbor-version <release> --apply`,
              data: { path, manifest },
            };
          },
        },
      ],
    };
  },
};
