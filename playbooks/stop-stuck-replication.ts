// Stops replication work stuck in pending/running for one policy or execution, on every
// era of Harbor's schema (content/issues/en/replication-job-stuck.mdx): only work that saw no
// change for --older-than (and, on 2.7+ with the API, that jobservice does not run) is stuck.
// Harbor's API first when reachable, then a jobservice restart (waited for on k8s) and the API
// once more, then the rows that are still stale, locked and re-checked in the one transaction
// that changes them.
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { boolean, duration, exactlyOne, integer } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS } from '../src/playbook/http/harbor-api.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { sql, type Database, type Engine, type Sql } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';
import {
  hasJobServiceDashboard,
  refuseRunning,
  refuseStopApiOptions,
  RESTART_FLAGS,
  selectIds,
  staleBefore,
  staleWork,
  stopSteps,
  TASK_ACTIVE,
  type ApiCall,
  type StuckTable,
} from './shared/stuck-work.ts';

/** Which tables hold replication work, by schema era. */
type ReplicationEra = 'replication_job' | 'replication_execution' | 'task';

export function replicationEra(harbor: HarborDetection): ReplicationEra {
  if (harbor.engine === 'mariadb' || (harbor.schemaVersion ?? 0) <= 3) return 'replication_job';
  // 0050_2.2.0 moved replication onto the execution/task framework and dropped the old tables.
  return (harbor.schemaVersion ?? 0) < 50 ? 'replication_execution' : 'task';
}

const harborMajor = (harbor: HarborDetection) => (harbor.engine === 'mariadb' || (harbor.schemaVersion ?? 0) < 30 ? 1 : 2);

/** What to stop: every replication of a policy, or one execution. */
type Scope = { policy: number } | { execution: number };

// Non-final status values per era, from Harbor's Go sources (see the schema facts).
// Up to 1.7 the policy delete check blocks on pending/running/retrying transfer and delete
// jobs; 'schedule' rows are the policy's cron trigger and are left alone.
const JOB_ACTIVE = ['pending', 'running', 'retrying'];
const JOB_OPERATIONS = ['transfer', 'delete'];
// 1.8-2.1: 0004_1.8.0 mapped pending/running/scheduled/error/finished to the new names but
// carried 1.x 'retrying' into replication_task as it was; it never finishes on its own.
const LEGACY_TASK_ACTIVE = ['Initialized', 'Pending', 'InProgress', 'retrying'];

/** The execution rows of the scope, in the 1.8-2.1 table or the 2.2+ one. */
function scopedExecutions(era: Exclude<ReplicationEra, 'replication_job'>, scope: Scope): Sql {
  if (era === 'replication_execution') return 'execution' in scope ? sql`id = ${scope.execution}` : sql`policy_id = ${scope.policy}`;
  return 'execution' in scope ? sql`id = ${scope.execution} AND vendor_type = 'REPLICATION'` : sql`vendor_type = 'REPLICATION' AND vendor_id = ${scope.policy}`;
}

/** How long work must go without a change to count as stuck, and the database that compares. */
interface Staleness {
  olderThanSeconds: number;
  engine: Engine;
}

function stuckRows(era: ReplicationEra, scope: Scope, staleness: Staleness): StuckTable[] {
  const cutoff = staleBefore(staleness.olderThanSeconds, staleness.engine);
  switch (era) {
    case 'replication_job': {
      // --execution is refused in this era (checkScopeExists), so the scope is a policy.
      const active = sql`policy_id = ${'policy' in scope ? scope.policy : 0} AND operation IN (${JOB_OPERATIONS}) AND status IN (${JOB_ACTIVE})`;
      return [
        {
          table: 'replication_job',
          // Up to 1.7 nothing groups a run's jobs, and Harbor's stop acts on the whole policy: the
          // policy is the unit. Its jobs are stuck only when none of them changed for --older-than
          // (every status change sets update_time: ON UPDATE in 1.5's registry.sql, the
          // replication_job_update_time_at_modtime trigger of 0001_initial_schema); a queued job waits
          // unchanged while its siblings run. The newest change is read from a derived table, which
          // MariaDB before 10.3.2 needs to read the table an UPDATE changes (error 1093 otherwise).
          where: sql`${active} AND ${cutoff} > (SELECT newest FROM (SELECT max(update_time) AS newest FROM replication_job WHERE ${active}) AS policy_jobs)`,
          active,
          set: sql`status = 'stopped', update_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'update_time'],
        },
      ];
    }
    case 'replication_execution': {
      const executions = scopedExecutions(era, scope);
      const taskScope =
        'execution' in scope ? sql`execution_id = ${scope.execution}` : sql`execution_id IN (SELECT id FROM replication_execution WHERE ${executions})`;
      const activeTasks = sql`${taskScope} AND status IN (${LEGACY_TASK_ACTIVE})`;
      // A task's times are its creation (start_time) and its end; its other status hooks write no
      // time (UpdateTaskStatus in src/replication/dao/execution.go at v1.10.18 sets end_time to Go's
      // zero time for them). While any task of an execution was created or ended within
      // --older-than, the execution runs and none of its tasks is stuck.
      const moved = (execution: Sql) =>
        sql`EXISTS (SELECT 1 FROM replication_task m WHERE m.execution_id = ${execution} AND GREATEST(m.start_time, m.end_time) >= ${cutoff})`;
      // Harbor stops an execution without tasks (still listing what to copy) only while its own
      // row says InProgress (StopReplication in src/replication/operation/controller.go at v1.10.18).
      const taskless = sql`${executions} AND status = 'InProgress' AND NOT EXISTS (SELECT 1 FROM replication_task t WHERE t.execution_id = replication_execution.id)`;
      return [
        // Harbor 1.8-2.1 derives a running execution's status and counters from its tasks when
        // it is read (src/replication/dao/execution.go fillExecution), so only the tasks change;
        // an execution without any task has nothing to derive from and is stopped itself.
        {
          table: 'replication_task',
          where: sql`${activeTasks} AND NOT ${moved(sql`replication_task.execution_id`)}`,
          active: activeTasks,
          set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'end_time'],
        },
        {
          table: 'replication_execution',
          where: sql`${taskless} AND start_time < ${cutoff}`,
          active: taskless,
          set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'end_time'],
        },
      ];
    }
    case 'task':
      return staleWork('REPLICATION', scopedExecutions(era, scope), { statuses: TASK_ACTIVE, olderThanSeconds: staleness.olderThanSeconds });
  }
}

async function checkScopeExists(db: Database, era: ReplicationEra, scope: Scope): Promise<string> {
  if ('execution' in scope) {
    const { execution } = scope;
    if (era === 'replication_job') throw refuse('Harbor up to 1.7 has no replication executions; use --policy');
    const query =
      era === 'task'
        ? sql`SELECT vendor_id AS policy FROM execution WHERE id = ${execution} AND vendor_type = 'REPLICATION'`
        : sql`SELECT policy_id AS policy FROM replication_execution WHERE id = ${execution}`;
    const [row] = await db.query(query);
    if (!row) throw refuse(`replication execution ${execution} does not exist`);
    return `execution ${execution} (policy ${row.policy})`;
  }
  const [row] = await db.query(sql`SELECT name FROM replication_policy WHERE id = ${scope.policy}`);
  if (!row) throw refuse(`replication policy ${scope.policy} does not exist`);
  return `policy ${scope.policy} (${row.name})`;
}

const FLAGS = {
  policy: integer({ min: 1, max: 2147483647, help: 'Replication policy id whose pending/running work to stop.', example: '8' }),
  execution: integer({ min: 1, max: 2147483647, help: 'Stop one replication execution instead (Harbor 1.8+).' }),
  'older-than': duration({
    default: 86400,
    min: 60,
    max: 31536000,
    help: 'Only work with no change for this long is stuck (seconds, or 90m, 24h): jobs of a policy (1.5-1.7) or an execution (1.8+) any of which changed more recently are left alone, and a selected row that moves again refuses the apply.',
  }),
  ...HARBOR_API_FLAGS,
  'stop-queue': boolean({
    help: "Harbor 2.7+, with --harbor-url: also stop the pending jobs of jobservice's REPLICATION queue (the Job Service Dashboard's stop; it drops every policy's pending replication jobs).",
  }),
  ...RESTART_FLAGS,
};
type Context = RunContext<typeof FLAGS, 'database' | 'harbor-api'>;

/**
 * Harbor's stop for what was selected: up to 1.7 the policy's (every active job of it is stale, or
 * none would be selected), from 1.8 each execution that holds selected rows. On 1.8-2.1 those are
 * the executions of the selected tasks: the execution row itself says InProgress long after its
 * tasks finished, as Harbor never writes the status it derives back (fillExecution).
 */
async function apiCalls(context: Context, era: ReplicationEra, scope: Scope, selected: Readonly<Record<string, number[]>>): Promise<ApiCall[]> {
  const calls: ApiCall[] = [];
  if (era === 'replication_job') {
    calls.push({ method: 'PUT', path: '/jobs/replication', body: { policy_id: 'policy' in scope ? scope.policy : undefined, status: 'stop' } });
  } else {
    const ids = new Set(era === 'task' ? selected.execution : selected.replication_execution);
    const tasks = selected.replication_task ?? [];
    if (era === 'replication_execution' && tasks.length > 0) {
      const rows = await context.db.query(sql`SELECT DISTINCT execution_id FROM replication_task WHERE id IN (${sql.ids(tasks)})`);
      for (const row of rows) ids.add(Number(row.execution_id));
    }
    for (const id of [...ids].sort((a, b) => a - b)) calls.push({ method: 'PUT', path: `/replication/executions/${id}` });
  }
  if (context.values['stop-queue']) {
    // swagger v2.7+: PUT /jobservice/queues/{job_type} with ActionRequest {action: stop}.
    calls.push({ method: 'PUT', path: '/jobservice/queues/REPLICATION', body: { action: 'stop' } });
  }
  return calls;
}

/**
 * The restart's warning, with advice that holds: this playbook restarts jobservice whether or not
 * --harbor-url is given (jobservice re-queues in-progress jobs on start), so only --no-restart avoids it.
 */
function restartWarning(harbor: HarborDetection, apiGiven: boolean): string | undefined {
  if (harborMajor(harbor) !== 2) return undefined;
  const avoid = apiGiven
    ? ' To leave jobservice alone, rerun with --no-restart: the API stop and the database step only.'
    : hasJobServiceDashboard(harbor)
      ? ' To leave jobservice alone, rerun with --harbor-url (on Harbor 2.7+ the Job Service Dashboard stops the pending replication jobs; --stop-queue also stops the REPLICATION queue) and --no-restart.'
      : ' To leave jobservice alone, rerun with --no-restart (and --harbor-url to stop it through the API first).';
  return `Restarting jobservice stops every job it is running, not only this replication: garbage collection, scans and other replication rules fail and must be rerun.${avoid}`;
}

export const stopStuckReplication = definePlaybook({
  name: 'stop-stuck-replication',
  title: 'Stop stuck replication jobs',
  summary:
    "Stops the pending/running replication work of one policy or execution that Harbor cannot stop itself: only work with no change for --older-than (default 24h) whose policy (1.5-1.7) or execution (1.8+) saw none either, and on 2.7+ with --harbor-url none that jobservice's worker list shows running. Through the API first when --harbor-url is given, then restarts jobservice (and waits for it on k8s) and asks the API again, then marks the still stale rows in the database stopped (one transaction that locks and re-checks them, backed up first); a selected row that moved meanwhile refuses the apply. Afterwards the policy can be deleted.",
  remediates: ['replication-job-stuck'],
  flags: FLAGS,
  groups: [exactlyOne('scope', 'policy', 'execution')],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database', 'harbor-api'],
  async plan(context) {
    const { db, harbor, values } = context;
    requireKnownClean(harbor);
    refuseStopApiOptions(harbor, values);
    const { policy, execution } = values;
    // The scope group makes exactly one of them present.
    const scope: Scope = execution !== undefined ? { execution } : { policy: policy ?? 0 };
    const era = replicationEra(harbor);
    const scopeName = await checkScopeExists(db, era, scope);
    const olderThan = values['older-than'];
    const tables = stuckRows(era, scope, { olderThanSeconds: olderThan, engine: db.engine });
    const findings: PlanFinding[] = [{ level: 'info', message: `Replication work lives in ${tables.map((rows) => rows.table).join(' + ')} in this release.` }];
    const selected: Record<string, number[]> = {};
    let active = 0;
    for (const rows of tables) {
      selected[rows.table] = await selectIds(db, rows.table, rows.where);
      const [row] = await db.query(sql`SELECT count(*) AS n FROM ${sql.raw(rows.table)} WHERE ${rows.active ?? rows.where}`);
      active += Number(row?.n ?? 0);
    }
    const counts = Object.fromEntries(Object.entries(selected).map(([table, ids]) => [table, ids.length]));
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    findings.push({
      level: total ? 'problem' : 'info',
      message: `${scopeName}: ${tables.map((rows) => `${counts[rows.table]} stale ${rows.table} rows`).join(', ')} (no change for --older-than ${olderThan}s)`,
      data: { counts },
    });
    const leftAlone = active - total;
    if (leftAlone > 0) {
      findings.push({
        level: 'info',
        message: `${leftAlone} other non-final rows are left alone: they, or other jobs of their ${era === 'replication_job' ? 'policy' : 'execution'}, changed within --older-than ${olderThan}s.`,
      });
    }
    if (total === 0) {
      if ('execution' in scope && leftAlone > 0) {
        throw refuse(`replication execution ${scope.execution} is active and changed within --older-than ${olderThan}s: it is not stuck; nothing changed`);
      }
      return { findings, steps: [], facts: { era, counts } };
    }

    const client = await context.api.harbor(harborMajor(harbor));
    // Confirm before change: jobservice's own list of running jobs says which are alive (2.7+).
    const watched = client && hasJobServiceDashboard(harbor) ? client : undefined;
    const taskIds = selected.task ?? [];
    if (watched) await refuseRunning(db, watched, taskIds);
    else
      findings.push({
        level: 'warn',
        message:
          "Whether jobservice still runs a job is checked only on Harbor 2.7+ with --harbor-url (the Job Service Dashboard's worker list): a long transfer can go without a status change for --older-than, so make sure the jobservice log shows it is not working before --apply.",
      });
    const api = client ? { client, calls: await apiCalls(context, era, scope, selected) } : undefined;
    const stop = stopSteps(context, {
      scopeName,
      tables,
      selected,
      api,
      restartWarning: restartWarning(harbor, client !== undefined),
      confirm: watched ? () => refuseRunning(db, watched, taskIds) : undefined,
    });
    findings.push(...stop.findings, { level: 'info', message: 'Afterwards the replication rule can be deleted in the UI or API.' });
    return { findings, steps: stop.steps, facts: { era, counts } };
  },
});
