// Deletes audit rows older than a retention, in batches, each batch exported to a restore
// script before it is deleted (content/issues/en/audit-log-table-growth.mdx). Harbor keeps
// them in access_log (1.6–1.10), audit_log (2.0+, 0030 converts and drops access_log) and
// from 2.13 also audit_log_ext (0160). Harbor ≤1.5 (MariaDB) is not handled. On 2.6+ with
// --harbor-url, Harbor's own purge job runs first (purge-audit-log-job.ts).
import { appendFileSync, closeSync, fsyncSync, openSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { commandText } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, IncompleteChangeError, refuse } from '../src/playbook/errors.ts';
import { duration, integer } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS, type HarborApi } from '../src/playbook/http/harbor-api.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { sql, toText, type Database, type Row } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext, Step, StepOutcome } from '../src/playbook/types.ts';
import { purgeJobStep, requirePurgeApi, requireQueueRunning, retentionHoursFor } from './purge-audit-log-job.ts';

/** An audit table of one schema era: its name, key column, and the migrations that add and drop it. */
interface AuditTable {
  name: string;
  key: string;
  createdBy: number;
  droppedBy?: number;
}

const AUDIT_TABLES: readonly AuditTable[] = [
  // 0001_initial_schema (1.6.0) creates access_log; 0030_2.0.0_schema copies it into audit_log and drops it.
  { name: 'access_log', key: 'log_id', createdBy: 1, droppedBy: 30 },
  { name: 'audit_log', key: 'id', createdBy: 30 },
  // 0160_2.13.0_schema adds audit_log_ext for the event types 2.13 records; Harbor's purge job cleans both.
  { name: 'audit_log_ext', key: 'id', createdBy: 160 },
];

export function auditTables(harbor: HarborDetection): AuditTable[] {
  const version = harbor.schemaVersion ?? 0;
  return AUDIT_TABLES.filter((table) => version >= table.createdBy && (table.droppedBy === undefined || version < table.droppedBy));
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The table's columns in their order, as the export and the restore name them. */
async function columnsOf(db: Database, table: string): Promise<string[]> {
  const rows = await db.query(
    sql`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`,
  );
  const columns = rows.map((row) => String(row.name));
  if (columns.length === 0) throw refuse(`refusing: the schema says this release has ${table}, but the database has no such table`);
  const odd = columns.find((column) => !IDENTIFIER.test(column));
  if (odd) throw refuse(`refusing: ${table} has a column named ${JSON.stringify(odd)}, which is not one of Harbor's`);
  return columns;
}

/** One value in COPY's text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * One batch as a self-contained block of the restore script: its own transaction loads the rows
 * into a temporary table and inserts those whose key is not in the table, so the script can be
 * run twice, or after a batch whose delete did not happen, without duplicating a row.
 */
function restoreBlock(table: AuditTable, columns: readonly string[], rows: readonly Row[], batch: number): string {
  const list = columns.join(', ');
  const data = rows.map((row) => columns.map((column) => copyValue(row[column])).join('\t')).join('\n');
  return [
    `-- batch ${batch}: ${rows.length} rows of ${table.name}`,
    'BEGIN;',
    `CREATE TEMP TABLE harbor_kb_restore ON COMMIT DROP AS SELECT ${list} FROM ${table.name} WITH NO DATA;`,
    `COPY harbor_kb_restore (${list}) FROM stdin;`,
    data,
    '\\.',
    `INSERT INTO ${table.name} (${list}) SELECT ${list} FROM harbor_kb_restore r WHERE NOT EXISTS (SELECT 1 FROM ${table.name} t WHERE t.${table.key} = r.${table.key});`,
    'COMMIT;',
    '',
  ].join('\n');
}

/** Appends and forces to disk: a batch is deleted only after its rows are on disk. */
function appendDurably(path: string, text: string): void {
  appendFileSync(path, text);
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface TableState {
  old: number;
  total: number;
  oldest?: string;
  bytes: number;
}

async function tableState(db: Database, table: AuditTable, cutoff: string): Promise<TableState> {
  const name = sql.raw(table.name);
  const [row] = await db.query(
    sql`SELECT (SELECT count(*) FROM ${name} WHERE op_time < ${cutoff}::timestamp) AS old, (SELECT count(*) FROM ${name}) AS total, (SELECT min(op_time)::text FROM ${name}) AS oldest, pg_total_relation_size(${table.name}) AS bytes`,
  );
  return { old: Number(row?.old ?? 0), total: Number(row?.total ?? 0), oldest: row?.oldest ? String(row.oldest) : undefined, bytes: Number(row?.bytes ?? 0) };
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const FLAGS = {
  'older-than': duration({
    required: true,
    min: 3600,
    help: 'Delete audit rows older than this (seconds, or 90m, 2160h = 90 days). The cut-off is fixed when the plan is made.',
    example: '2160h',
  }),
  'batch-size': integer({
    default: 10000,
    min: 1,
    max: 1000000,
    help: 'Rows exported and deleted per transaction: each batch commits on its own, so no transaction holds millions of row versions.',
  }),
  ...HARBOR_API_FLAGS,
  'job-timeout': duration({
    default: 1800,
    min: 10,
    max: 86400,
    help: "Harbor 2.6+ with --harbor-url: how long to wait for Harbor's own purge job to end. Its retention is raised by this much and an hour, so a job that waits that long in jobservice's queue still deletes only exported rows.",
  }),
};
type Context = RunContext<typeof FLAGS, 'database' | 'harbor-api'>;

/** Signals that end a run between batches instead of in the middle of one. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A flag that turns true on Ctrl-C / SIGTERM while `body` runs, so the loop stops after its current batch. */
async function interruptible<T>(onSignal: (name: string) => void, body: (stopped: () => string | undefined) => Promise<T>): Promise<T> {
  let signal: string | undefined;
  const handler = (name: NodeJS.Signals) => {
    signal = name;
    onSignal(name);
  };
  for (const name of STOP_SIGNALS) process.on(name, handler);
  try {
    return await body(() => signal);
  } finally {
    for (const name of STOP_SIGNALS) process.off(name, handler);
  }
}

interface PurgePlan {
  table: AuditTable;
  columns: string[];
  cutoff: string;
  state: TableState;
  backupPath: string;
  restoreCommand: string;
}

function batchStatements(purge: PurgePlan, batchSize: number, after: number) {
  const { table, columns, cutoff } = purge;
  const key = sql.raw(table.key);
  const olderIn = (alias: string) => sql`${sql.raw(alias)}op_time < ${cutoff}::timestamp`;
  const older = olderIn('');
  // Every value as text (exactly what COPY reads back); the order is the key's own (t.), not its text's.
  const values = sql.raw(columns.map((column) => `t.${column}::text AS ${column}`).join(', '));
  const select = sql`SELECT ${values} FROM ${sql.raw(table.name)} t WHERE ${olderIn('t.')} AND t.${key} > ${after} ORDER BY t.${key} LIMIT ${batchSize}`;
  const remove = (ids: readonly number[]) => sql`DELETE FROM ${sql.raw(table.name)} WHERE ${key} IN (${sql.ids(ids)}) AND ${older}`;
  return { older, select, remove };
}

/**
 * Writes one batch to the export (on disk before anything is deleted), then deletes it in its
 * own transaction and returns the count deleted. The file holds exactly the deleted batches.
 */
async function exportAndDelete(
  db: Database,
  purge: PurgePlan,
  statements: ReturnType<typeof batchStatements>,
  rows: readonly Row[],
  ids: readonly number[],
  batch: number,
): Promise<number> {
  const { table, backupPath } = purge;
  const sizeBefore = statSync(backupPath).size;
  try {
    appendDurably(backupPath, restoreBlock(table, purge.columns, rows, batch));
    // One transaction per batch, not one for the whole purge: a single DELETE of millions of
    // rows (what Harbor's own purge job runs) keeps every deleted row version and its WAL until
    // it commits, and holds back vacuum meanwhile. The guard re-reads the batch under FOR
    // UPDATE: every row must still be there and older than the cut-off, or nothing is deleted.
    const [removed = 0] = await db.transaction([statements.remove(ids)], {
      guards: [{ table: table.name, key: table.key, ids, still: statements.older }],
    });
    return removed;
  } catch (error) {
    // A write that failed (disk full) or a batch that rolled back leaves no block behind; an
    // unconfirmed COMMIT may have deleted the batch, so then its rows stay in the export.
    if (!(error instanceof IncompleteChangeError)) truncateSync(backupPath, sizeBefore);
    throw error;
  }
}

/** Exports and deletes batch after batch until none is left; any stop after a committed batch is exit 3 with the restore. */
async function purgeInBatches(context: Context, purge: PurgePlan, stopped: () => string | undefined): Promise<StepOutcome> {
  const { db } = context;
  const batchSize = context.values['batch-size'];
  const { table, cutoff, state, backupPath, restoreCommand } = purge;
  let deleted = 0;
  let batch = 0;
  let after = 0;
  const changedSoFar = () => [`deleted ${deleted} ${table.name} rows older than ${cutoff} in ${batch} batches; they are in ${backupPath}`];
  for (;;) {
    const signal = stopped();
    if (signal) throw incomplete(`interrupted by ${signal} after batch ${batch}`, changedSoFar(), [restoreCommand]);
    const statements = batchStatements(purge, batchSize, after);
    const rows = await db.query(statements.select);
    if (rows.length === 0) break;
    const ids = rows.map((row) => Number(row[table.key]));
    let removed: number;
    try {
      removed = await exportAndDelete(db, purge, statements, rows, ids, batch + 1);
    } catch (error) {
      if (deleted === 0) throw error;
      throw incomplete(`batch ${batch + 1} of ${table.name} failed (${error instanceof Error ? error.message : String(error)})`, changedSoFar(), [
        restoreCommand,
      ]);
    }
    deleted += removed;
    batch += 1;
    if (removed !== ids.length)
      throw incomplete(`batch ${batch} of ${table.name} deleted ${removed} rows but exported ${ids.length}`, changedSoFar(), [restoreCommand]);
    after = ids.at(-1) ?? after;
    context.report.info(`   batch ${batch}: ${deleted}/${state.old} ${table.name} rows exported and deleted`);
  }
  return { changed: deleted, detail: `${deleted} ${table.name} rows deleted in ${batch} batches, exported to ${backupPath}` };
}

/** Writes every row older than the cut-off of each table to `path`, batch by batch, deleting nothing; returns the count. */
async function exportOlderRows(context: Context, purges: readonly PurgePlan[], path: string): Promise<number> {
  writeFileSync(path, `-- harbor-kb purge-audit-log: rows older than the cut-off, exported before Harbor's purge job ran.\n`, { mode: 0o600 });
  let exported = 0;
  for (const purge of purges) {
    let after = 0;
    for (let batch = 1; ; batch++) {
      const rows = await context.db.query(batchStatements(purge, context.values['batch-size'], after).select);
      if (rows.length === 0) break;
      appendDurably(path, restoreBlock(purge.table, purge.columns, rows, batch));
      exported += rows.length;
      after = Number(rows.at(-1)?.[purge.table.key] ?? after);
    }
  }
  return exported;
}

/** Harbor 2.6+ with --harbor-url: its own purge job first, on everything exported beforehand. */
function jobStep(context: Context, api: HarborApi, purges: readonly PurgePlan[], restoreTool: string, cutoff: string): Step {
  const backupPath = context.backupPath('before-purge-job', 'sql');
  return purgeJobStep({
    api,
    db: context.db,
    schemaVersion: context.harbor.schemaVersion ?? 0,
    retentionHours: retentionHoursFor(context.values['older-than'], context.values['job-timeout']),
    cutoff,
    tables: purges.map((purge) => purge.table.name),
    expected: purges.reduce((sum, purge) => sum + purge.state.old, 0),
    backupPath,
    restoreCommand: `${restoreTool} < ${backupPath}`,
    exportRows: () => exportOlderRows(context, purges, backupPath),
    timeoutSeconds: context.values['job-timeout'],
    progress: (line) => context.report.info(line),
  });
}

function purgeStep(context: Context, purge: PurgePlan, afterJob: boolean): Step {
  const { db } = context;
  const batchSize = context.values['batch-size'];
  const { table, cutoff, state, backupPath, restoreCommand } = purge;
  const example = batchStatements(purge, batchSize, 0);
  return {
    description: `${afterJob ? `delete what Harbor's job left of` : `delete`} the ${state.old} ${table.name} rows older than ${cutoff} in batches of ${batchSize}, each batch written to ${backupPath} before it is deleted (one transaction per batch)`,
    preview: [
      `${toText(example.select, 'postgresql')};  -- the next batch (keyset on ${table.key}), appended to the export file`,
      `BEGIN; SELECT ${table.key} FROM ${table.name} WHERE ${table.key} IN (<batch>) FOR UPDATE;  -- refused unless every row is still there and older than the cut-off`,
      `${toText(example.remove([0]), 'postgresql').replace('IN (0)', 'IN (<batch>)')}; COMMIT;  -- the count must equal the rows exported`,
    ],
    expected: afterJob ? undefined : state.old,
    async backup() {
      writeFileSync(
        backupPath,
        `-- harbor-kb purge-audit-log: ${table.name} rows older than ${cutoff}, exported batch by batch before each was deleted.\n-- Restore: ${restoreCommand}\n-- Each batch is one transaction that skips rows already present, so running it twice is harmless.\n`,
        { mode: 0o600 },
      );
      return {
        path: backupPath,
        description: `the ${table.name} rows of each batch, as a psql script that puts them back`,
        restore: [restoreCommand],
      };
    },
    async execute() {
      const onSignal = (name: string) => context.report.warn(`${name}: stopping once the current batch of ${table.name} has committed`);
      return interruptible(onSignal, (stopped) => purgeInBatches(context, purge, stopped));
    },
    async verify() {
      const now = await tableState(db, table, cutoff);
      if (now.old > 0) throw fail(`${now.old} ${table.name} rows older than ${cutoff} are still there`);
      return `no ${table.name} rows older than ${cutoff} left (${now.total} newer rows kept); pg_total_relation_size ${megabytes(state.bytes)} before, ${megabytes(now.bytes)} now`;
    },
  };
}

/** The cut-off as the database's own time, fixed for the whole run (op_time is a timestamp without time zone). */
async function cutoffFor(db: Database, seconds: number): Promise<string> {
  const [row] = await db.query(sql`SELECT (LOCALTIMESTAMP - CAST(${`${seconds} seconds`} AS interval))::text AS cutoff`);
  if (!row?.cutoff) throw fail('the database did not report its time');
  return String(row.cutoff);
}

function spaceFinding(tables: readonly string[]): PlanFinding {
  const names = tables.join(', ');
  return {
    level: 'info',
    message: `Deleted rows free space inside ${names} only: autovacuum (or VACUUM ${names}) makes it reusable by new rows without blocking Harbor; the files shrink and the disk gets it back only with VACUUM FULL, which rewrites the table under an ACCESS EXCLUSIVE lock (Harbor's audit writes and the Logs page wait until it ends) and needs free disk for the copy. Run it in a quiet hour: see /issues/audit-log-table-growth/#4-give-the-space-back`,
  };
}

export const purgeAuditLog = definePlaybook({
  name: 'purge-audit-log',
  title: 'Purge old audit log rows',
  summary:
    "Deletes audit rows older than --older-than from access_log (1.6–1.10), audit_log (2.0+) and audit_log_ext (2.13+), in batches of --batch-size, each batch exported first to a psql script that puts the rows back; on 2.6+ with --harbor-url, Harbor's own purge job does the bulk after everything it may delete is exported. Reports the tables' size before and after.",
  remediates: ['audit-log-table-growth'],
  flags: FLAGS,
  mutates: true,
  requires: ['database', 'harbor-api'],
  targets: ['compose', 'k8s', 'direct'],
  async plan(context) {
    const { db, harbor } = context;
    if (harbor.engine === 'mariadb') throw refuse('refusing: Harbor ≤1.5 keeps access_log in MariaDB, which this playbook does not handle');
    requireKnownClean(harbor);
    const tables = auditTables(harbor);
    const cutoff = await cutoffFor(db, context.values['older-than']);
    const restoreTool = commandText(context.target.databaseTool('postgresql', 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1']));
    const findings: PlanFinding[] = [
      { level: 'info', message: `Audit rows live in ${tables.map((table) => table.name).join(' + ')} in this release; cut-off ${cutoff} (database time).` },
    ];
    const purges: PurgePlan[] = [];
    for (const table of tables) {
      const columns = await columnsOf(db, table.name);
      const state = await tableState(db, table, cutoff);
      findings.push({
        level: state.old > 0 ? 'problem' : 'info',
        message: `${table.name}: ${state.total} rows (${megabytes(state.bytes)} with indexes), ${state.old} older than the cut-off${state.oldest ? `, oldest ${state.oldest}` : ''}`,
        data: { table: table.name, ...state },
      });
      if (state.old === 0) continue;
      const backupPath = context.backupPath(table.name, 'sql');
      purges.push({ table, columns, cutoff, state, backupPath, restoreCommand: `${restoreTool} < ${backupPath}` });
    }
    if (purges.length === 0) return { findings, steps: [], facts: { cutoff, tables: tables.map((table) => table.name) } };
    findings.push(spaceFinding(purges.map((purge) => purge.table.name)));
    // 0090_2.6.0: the release that added Log Rotation (/system/purgeaudit).
    const hasPurgeJob = (harbor.schemaVersion ?? 0) >= 90;
    const api = hasPurgeJob ? await context.api.harbor(2) : undefined;
    if (api) {
      await requirePurgeApi(api, context.values['harbor-user']);
      await requireQueueRunning(db, harbor.schemaVersion ?? 0);
    }
    if (hasPurgeJob) {
      findings.push({
        level: 'info',
        message: `Harbor 2.6+ purges old rows itself once Log Rotation is scheduled (Administration → Clean Up); schedule it so the table does not grow back.${api ? '' : ' With --harbor-url this run starts that job once (after exporting the rows) and deletes in batches only what it leaves.'}`,
      });
    } else if (context.values['harbor-url']) {
      findings.push({ level: 'info', message: 'Harbor before 2.6 has no purge API: the rows are deleted in batches in the database.' });
    }
    const steps = [
      ...(api ? [jobStep(context, api, purges, restoreTool, cutoff)] : []),
      ...purges.map((purge) => purgeStep(context, purge, api !== undefined)),
    ];
    return {
      findings,
      steps,
      facts: { cutoff, tables: tables.map((table) => table.name), counts: Object.fromEntries(purges.map((purge) => [purge.table.name, purge.state.old])) },
    };
  },
});
