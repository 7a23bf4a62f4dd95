// Stops replication work stuck in pending/running for one policy or execution, on every
// era of Harbor's schema (content/issues/en/replication-job-stuck.mdx): Harbor's API first when reachable, then
// a jobservice restart (waited for on k8s) and the API once more, then the rows that are
// still not final, locked and re-checked in the one transaction that changes them.
import { readFileSync } from 'node:fs';
import { backupRows } from '../src/playbook/run/backup.ts';
import { commandError, commandText, runProcess, type Command } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, refuse } from '../src/playbook/errors.ts';
import { boolean, duration, exactlyOne, integer } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS, type HarborApi } from '../src/playbook/http/harbor-api.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { sql, toText, type Database, type Engine, type RowGuard, type Sql, type SqlValue } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext, Step } from '../src/playbook/types.ts';

/** Which tables hold replication work, by schema era. */
type ReplicationEra = 'replication_job' | 'replication_execution' | 'task';

export function replicationEra(harbor: HarborDetection): ReplicationEra {
  if (harbor.engine === 'mariadb' || (harbor.schemaVersion ?? 0) <= 3) return 'replication_job';
  // 0050_2.2.0 moved replication onto the execution/task framework and dropped the old tables.
  return (harbor.schemaVersion ?? 0) < 50 ? 'replication_execution' : 'task';
}

const harborMajor = (harbor: HarborDetection) => (harbor.engine === 'mariadb' || (harbor.schemaVersion ?? 0) < 30 ? 1 : 2);
/** 0100_2.7.0: the release that added the Job Service Dashboard (PUT /jobservice/queues/{job_type}). */
const hasJobServiceDashboard = (harbor: HarborDetection) => harbor.engine === 'postgresql' && (harbor.schemaVersion ?? 0) >= 100;

/** One table's stuck rows: which ones, and what "stopped" means there. */
interface StuckRows {
  table: string;
  /** Scope and non-final status; also what each selected row must still satisfy when changed. */
  where: Sql;
  set: Sql;
  /** The columns `set` writes, saved so an incomplete run can print how to put them back. */
  columns: string[];
}

// Non-final status values per era, from Harbor's Go sources (see the schema facts).
// Up to 1.7 the policy delete check blocks on pending/running/retrying transfer and delete
// jobs; 'schedule' rows are the policy's cron trigger and are left alone.
const JOB_ACTIVE = ['pending', 'running', 'retrying'];
const JOB_OPERATIONS = ['transfer', 'delete'];
// 1.8-2.1: 0004_1.8.0 mapped pending/running/scheduled/error/finished to the new names but
// carried 1.x 'retrying' into replication_task as it was; it never finishes on its own.
const LEGACY_TASK_ACTIVE = ['Initialized', 'Pending', 'InProgress', 'retrying'];
const TASK_ACTIVE = ['Pending', 'Scheduled', 'Running'];

/** Executions of the scope that are not final (or whose tasks are not): the ones Harbor's API is asked to stop. */
function activeExecutions(era: Exclude<ReplicationEra, 'replication_job'>, scope: { policy?: number; execution?: number }): { table: string; where: Sql } {
  const { policy, execution } = scope;
  if (era === 'replication_execution') {
    const executions = execution !== undefined ? sql`id = ${execution}` : sql`policy_id = ${policy!}`;
    return {
      table: 'replication_execution',
      where: sql`${executions} AND (status IN ('InProgress', '') OR status IS NULL OR id IN (SELECT execution_id FROM replication_task WHERE status IN (${LEGACY_TASK_ACTIVE})))`,
    };
  }
  const executions =
    execution !== undefined ? sql`id = ${execution} AND vendor_type = 'REPLICATION'` : sql`vendor_type = 'REPLICATION' AND vendor_id = ${policy!}`;
  // 2.1-2.x executions start with status '' (or NULL) before their first status update.
  return {
    table: 'execution',
    where: sql`${executions} AND (status IN ('Running', '') OR status IS NULL OR id IN (SELECT execution_id FROM task WHERE status IN (${TASK_ACTIVE})))`,
  };
}

function stuckRows(era: ReplicationEra, scope: { policy?: number; execution?: number }): StuckRows[] {
  const { policy, execution } = scope;
  switch (era) {
    case 'replication_job':
      return [
        {
          table: 'replication_job',
          where: sql`policy_id = ${policy!} AND operation IN (${JOB_OPERATIONS}) AND status IN (${JOB_ACTIVE})`,
          set: sql`status = 'stopped', update_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'update_time'],
        },
      ];
    case 'replication_execution': {
      const executions = execution !== undefined ? sql`id = ${execution}` : sql`policy_id = ${policy!}`;
      const taskScope =
        execution !== undefined ? sql`execution_id = ${execution}` : sql`execution_id IN (SELECT id FROM replication_execution WHERE policy_id = ${policy!})`;
      return [
        // Harbor 1.8-2.1 derives a running execution's status and counters from its tasks when
        // it is read (src/replication/dao/execution.go fillExecution), so only the tasks change;
        // an execution without any task has nothing to derive from and is stopped itself.
        {
          table: 'replication_task',
          where: sql`${taskScope} AND status IN (${LEGACY_TASK_ACTIVE})`,
          set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'end_time'],
        },
        {
          table: 'replication_execution',
          where: sql`${executions} AND (status IN ('InProgress', '') OR status IS NULL) AND NOT EXISTS (SELECT 1 FROM replication_task t WHERE t.execution_id = replication_execution.id)`,
          set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'end_time'],
        },
      ];
    }
    case 'task': {
      const active = activeExecutions('task', scope);
      return [
        // Executions first: "still has active tasks" must be read before the tasks change.
        { table: 'execution', where: active.where, set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP`, columns: ['status', 'end_time'] },
        {
          table: 'task',
          where: sql`vendor_type = 'REPLICATION' AND execution_id IN (SELECT id FROM execution WHERE ${execution !== undefined ? sql`id = ${execution} AND vendor_type = 'REPLICATION'` : sql`vendor_type = 'REPLICATION' AND vendor_id = ${policy!}`}) AND status IN (${TASK_ACTIVE})`,
          set: sql`status = 'Stopped', status_code = 3, end_time = CURRENT_TIMESTAMP, update_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'status_code', 'end_time', 'update_time'],
        },
      ];
    }
  }
}

async function selectIds(db: Database, table: string, where: Sql): Promise<number[]> {
  return (await db.query(sql`SELECT id FROM ${sql.raw(table)} WHERE ${where} ORDER BY id`)).map((row) => Number(row.id));
}

async function count(db: Database, rows: StuckRows): Promise<number> {
  const [row] = await db.query(sql`SELECT count(*) AS n FROM ${sql.raw(rows.table)} WHERE ${rows.where}`);
  return Number(row?.n ?? 0);
}

async function checkScopeExists(db: Database, era: ReplicationEra, policy: number | undefined, execution: number | undefined): Promise<string> {
  if (execution !== undefined) {
    if (era === 'replication_job') throw refuse('Harbor up to 1.7 has no replication executions; use --policy');
    const query =
      era === 'task'
        ? sql`SELECT vendor_id AS policy FROM execution WHERE id = ${execution} AND vendor_type = 'REPLICATION'`
        : sql`SELECT policy_id AS policy FROM replication_execution WHERE id = ${execution}`;
    const [row] = await db.query(query);
    if (!row) throw refuse(`replication execution ${execution} does not exist`);
    return `execution ${execution} (policy ${row.policy})`;
  }
  const [row] = await db.query(sql`SELECT name FROM replication_policy WHERE id = ${policy!}`);
  if (!row) throw refuse(`replication policy ${policy} does not exist`);
  return `policy ${policy} (${row.name})`;
}

interface ApiCall {
  path: string;
  body?: unknown;
}

function apiStep(description: string, api: HarborApi, calls: readonly ApiCall[]): Step {
  return {
    description,
    preview: calls.map((call) => `PUT ${api.baseUrl}${call.path}${call.body ? ' ' + JSON.stringify(call.body) : ''}`),
    expected: calls.length,
    async execute() {
      // Harbor only logs jobservice failures here (#7057), so the database step still follows.
      const answers = [];
      for (const call of calls) {
        const answer = await api.request('PUT', call.path, call.body).catch((error: Error) => ({ status: 0, body: error.message }));
        answers.push(`${call.path}: ${answer.status || answer.body}`);
      }
      const ok = answers.filter((answer) => / 2\d\d$/.test(answer)).length;
      return { changed: ok, detail: `${ok}/${calls.length} stop requests accepted (${answers.join(', ')})` };
    },
  };
}

const FLAGS = {
  policy: integer({ min: 1, max: 2147483647, help: 'Replication policy id whose pending/running work to stop.', example: '8' }),
  execution: integer({ min: 1, max: 2147483647, help: 'Stop one replication execution instead (Harbor 1.8+).' }),
  ...HARBOR_API_FLAGS,
  'stop-queue': boolean({
    help: "Harbor 2.7+, with --harbor-url: also stop the pending jobs of jobservice's REPLICATION queue (the Job Service Dashboard's stop; it drops every policy's pending replication jobs).",
  }),
  'no-restart': boolean({ help: 'Do not restart jobservice after the change.' }),
  'rollout-timeout': duration({
    default: 300,
    min: 10,
    max: 3600,
    help: 'k8s: how long to wait for the restarted jobservice to roll out before editing the database.',
  }),
};
type Context = RunContext<typeof FLAGS, 'database' | 'harbor-api'>;

async function apiCalls(context: Context, era: ReplicationEra, scope: { policy?: number; execution?: number }): Promise<ApiCall[]> {
  const { harbor } = context;
  const calls: ApiCall[] = [];
  if (era === 'replication_job') {
    calls.push({ path: '/jobs/replication', body: { policy_id: scope.policy, status: 'stop' } });
  } else {
    const executions = activeExecutions(era, scope);
    for (const id of await selectIds(context.db, executions.table, executions.where)) calls.push({ path: `/replication/executions/${id}` });
  }
  if (context.values['stop-queue']) {
    if (!hasJobServiceDashboard(harbor)) throw refuse('--stop-queue needs Harbor 2.7 or later (the Job Service Dashboard API)');
    // swagger v2.7+: PUT /jobservice/queues/{job_type} with ActionRequest {action: stop}.
    calls.push({ path: '/jobservice/queues/REPLICATION', body: { action: 'stop' } });
  }
  return calls;
}

/** SQL that puts the changed columns back from the backup, one UPDATE per set of old values. */
function restoreStatements(backupPath: string, tables: readonly StuckRows[], engine: Engine): string[] {
  const backup = JSON.parse(readFileSync(backupPath, 'utf8')) as { tables: Record<string, Record<string, unknown>[]> };
  const statements: string[] = [];
  for (const rows of tables) {
    const groups = new Map<string, number[]>();
    for (const row of backup.tables[rows.table] ?? []) {
      const key = JSON.stringify(rows.columns.map((column) => row[column] ?? null));
      groups.set(key, [...(groups.get(key) ?? []), Number(row.id)]);
    }
    for (const [key, ids] of groups) {
      const values = JSON.parse(key) as SqlValue[];
      const assignments = sql.join(
        rows.columns.map((column, index) => sql`${sql.raw(column)} = ${values[index] ?? null}`),
        ', ',
      );
      statements.push(`${toText(sql`UPDATE ${sql.raw(rows.table)} SET ${assignments} WHERE id IN (${sql.ids(ids)})`, engine)};`);
    }
  }
  return statements;
}

function restartStep(restart: Command, rollout: Command | undefined, timeoutSeconds: number): Step {
  return {
    // Before the database edit: on start jobservice re-queues the jobs it had in progress, and
    // their status hooks would overwrite an edit made earlier. On k8s the restart only starts a
    // rollout: its end is waited for, or the edit would still race the new pod.
    description: rollout
      ? 'restart jobservice and wait for the new pod, so it drops the stuck jobs from its queue'
      : 'restart jobservice so it drops the stuck jobs from its queue',
    preview: [commandText(restart), ...(rollout ? [commandText(rollout)] : [])],
    async execute() {
      const restarted = await runProcess(restart);
      if (restarted.exitCode !== 0) throw fail(commandError(restart, restarted));
      if (rollout) {
        const done = await runProcess(rollout);
        if (done.exitCode !== 0) {
          throw incomplete(
            `jobservice did not finish rolling out within ${timeoutSeconds}s (${commandError(rollout, done)}); the database was not edited`,
            ['jobservice restart started (kubectl rollout restart)'],
            [`${commandText(rollout)}   # see whether it finishes, then rerun this playbook`],
          );
        }
      }
      return { changed: 1, detail: rollout ? 'jobservice restarted and rolled out' : 'jobservice restarted' };
    },
  };
}

export const stopStuckReplication = definePlaybook({
  name: 'stop-stuck-replication',
  title: 'Stop stuck replication jobs',
  summary:
    'Stops the pending/running replication work of one policy or execution that Harbor cannot stop itself: through the API first when --harbor-url is given, then restarts jobservice (and waits for it on k8s) and asks the API again, then marks the non-final rows in the database stopped (one transaction that locks and re-checks them, backed up first). Afterwards the policy can be deleted.',
  remediates: ['replication-job-stuck'],
  flags: FLAGS,
  groups: [exactlyOne('scope', 'policy', 'execution')],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database', 'harbor-api'],
  async plan(context) {
    const { db, harbor } = context;
    requireKnownClean(harbor);
    const { policy, execution } = context.values;
    const era = replicationEra(harbor);
    const scopeName = await checkScopeExists(db, era, policy, execution);
    const tables = stuckRows(era, { policy, execution });
    const findings: PlanFinding[] = [{ level: 'info', message: `Replication work lives in ${tables.map((rows) => rows.table).join(' + ')} in this release.` }];
    const selected: Record<string, number[]> = {};
    for (const rows of tables) selected[rows.table] = await selectIds(db, rows.table, rows.where);
    const counts = Object.fromEntries(Object.entries(selected).map(([table, ids]) => [table, ids.length]));
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    findings.push({
      level: total ? 'problem' : 'info',
      message: `${scopeName}: ${tables.map((rows) => `${counts[rows.table]} non-final ${rows.table} rows`).join(', ')}`,
      data: { counts },
    });
    if (total === 0) return { findings, steps: [], facts: { era, counts } };

    const steps: Step[] = [];
    const api = await context.api.harbor(harborMajor(harbor));
    const calls = api ? await apiCalls(context, era, { policy, execution }) : [];
    if (api) steps.push(apiStep(`ask Harbor's API to stop it (${api.baseUrl})`, api, calls));
    else if (context.values['stop-queue']) throw refuse('--stop-queue needs --harbor-url');
    const restart = context.values['no-restart'] ? undefined : context.target.restart('jobservice');
    if (restart) {
      const timeoutSeconds = context.values['rollout-timeout'];
      steps.push(restartStep(restart, context.target.rollout('jobservice', timeoutSeconds), timeoutSeconds));
      // Jobs jobservice re-queued on start are stopped through the API before the edit.
      if (api) steps.push(apiStep(`ask Harbor's API again, now that jobservice has restarted (${api.baseUrl})`, api, calls));
      if (!api && harborMajor(harbor) === 2) {
        findings.push({
          level: 'warn',
          message: `Restarting jobservice stops every job it is running, not only this replication: garbage collection, scans and other replication rules fail and must be rerun.${hasJobServiceDashboard(harbor) ? ' On Harbor 2.7+ the Job Service Dashboard can stop the pending replication jobs instead: rerun with --harbor-url (and --stop-queue for the REPLICATION queue), or --no-restart.' : ' Pass --harbor-url to stop it through the API first, or --no-restart.'}`,
        });
      }
    } else if (!context.values['no-restart']) {
      findings.push({
        level: 'warn',
        message:
          'The direct target cannot reach jobservice: restart it first (docker restart harbor-jobservice, or kubectl rollout restart deployment/<fullname>-jobservice and wait for kubectl rollout status), then run this, so that re-queued jobs cannot overwrite the change; --no-restart silences this.',
      });
    }
    const changing = tables.filter((rows) => selected[rows.table]!.length > 0);
    // After Harbor's own stop (an earlier step) some rows may be final already: that is the API
    // doing its job, not a misjudged row, and the updates' WHERE leaves them as they are.
    const guards: RowGuard[] = changing.map((rows) => ({ table: rows.table, ids: selected[rows.table]!, still: rows.where, acceptSettled: api !== undefined }));
    const updates = changing.map(
      (rows) => sql`UPDATE ${sql.raw(rows.table)} SET ${rows.set} WHERE id IN (${sql.ids(selected[rows.table]!)}) AND ${rows.where}`,
    );
    steps.push({
      description: `mark the non-final rows of ${scopeName} as stopped (one transaction; the rows are locked and re-checked first)`,
      preview: [
        ...guards.map(
          (guard) =>
            `${toText(sql`SELECT id FROM ${sql.raw(guard.table)} WHERE id IN (${sql.ids(guard.ids)}) FOR UPDATE`, db.engine)};  -- ${guard.acceptSettled ? 'rows the API stop settled are left as they are' : 'refused if any is final by now'}`,
        ),
        ...updates.map((update) => toText(update, db.engine) + ';'),
      ],
      expected: total,
      async backup() {
        const record = await backupRows(
          db,
          context.backupPath('rows', 'json'),
          Object.fromEntries(changing.map((rows) => [rows.table, sql`SELECT * FROM ${sql.raw(rows.table)} WHERE id IN (${sql.ids(selected[rows.table]!)})`])),
        );
        return {
          ...record,
          restore: [`# in the database, to put the rows back as ${record.path} holds them:`, ...restoreStatements(record.path, changing, db.engine)],
        };
      },
      async execute() {
        const changed = await db.transaction(updates, { guards });
        return {
          changed: changed.reduce((sum, n) => sum + n, 0),
          detail: changing.map((rows, index) => `${changed[index]} ${rows.table}`).join(', ') + ' rows stopped',
        };
      },
      async verify() {
        for (const rows of tables) {
          const left = await count(db, rows);
          if (left) throw fail(`${left} ${rows.table} rows of ${scopeName} are not final again (jobservice still runs them?)`);
        }
        return `no non-final rows left for ${scopeName}`;
      },
    });
    findings.push({ level: 'info', message: 'Afterwards the replication rule can be deleted in the UI or API.' });
    return { findings, steps, facts: { era, counts } };
  },
});
