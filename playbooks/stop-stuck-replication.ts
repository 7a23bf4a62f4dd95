// Stops replication work stuck in pending/running for one policy or execution, on every
// era of Harbor's schema (content/issues/en/replication-job-stuck.mdx): Harbor's API first when reachable, then
// a jobservice restart (waited for on k8s) and the API once more, then the rows that are
// still not final, locked and re-checked in the one transaction that changes them.
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { boolean, exactlyOne, integer } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS } from '../src/playbook/http/harbor-api.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { sql, type Database, type Sql } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';
import {
  activeExecution,
  allActiveWork,
  hasJobServiceDashboard,
  refuseStopApiOptions,
  RESTART_FLAGS,
  selectIds,
  stopSteps,
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

/** Executions of the scope that are not final (or whose tasks are not): the ones Harbor's API is asked to stop. */
function activeExecutions(era: Exclude<ReplicationEra, 'replication_job'>, scope: Scope): { table: string; where: Sql } {
  const executions = scopedExecutions(era, scope);
  if (era === 'replication_execution') {
    return {
      table: 'replication_execution',
      where: sql`${executions} AND (status IN ('InProgress', '') OR status IS NULL OR id IN (SELECT execution_id FROM replication_task WHERE status IN (${LEGACY_TASK_ACTIVE})))`,
    };
  }
  return { table: 'execution', where: activeExecution(executions) };
}

function stuckRows(era: ReplicationEra, scope: Scope): StuckTable[] {
  switch (era) {
    case 'replication_job':
      // --execution is refused in this era (checkScopeExists), so the scope is a policy.
      return [
        {
          table: 'replication_job',
          where: sql`policy_id = ${'policy' in scope ? scope.policy : 0} AND operation IN (${JOB_OPERATIONS}) AND status IN (${JOB_ACTIVE})`,
          set: sql`status = 'stopped', update_time = CURRENT_TIMESTAMP`,
          columns: ['status', 'update_time'],
        },
      ];
    case 'replication_execution': {
      const executions = scopedExecutions(era, scope);
      const taskScope =
        'execution' in scope ? sql`execution_id = ${scope.execution}` : sql`execution_id IN (SELECT id FROM replication_execution WHERE ${executions})`;
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
    case 'task':
      return allActiveWork('REPLICATION', scopedExecutions(era, scope));
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
  ...HARBOR_API_FLAGS,
  'stop-queue': boolean({
    help: "Harbor 2.7+, with --harbor-url: also stop the pending jobs of jobservice's REPLICATION queue (the Job Service Dashboard's stop; it drops every policy's pending replication jobs).",
  }),
  ...RESTART_FLAGS,
};
type Context = RunContext<typeof FLAGS, 'database' | 'harbor-api'>;

async function apiCalls(context: Context, era: ReplicationEra, scope: Scope): Promise<ApiCall[]> {
  const calls: ApiCall[] = [];
  if (era === 'replication_job') {
    calls.push({ method: 'PUT', path: '/jobs/replication', body: { policy_id: 'policy' in scope ? scope.policy : undefined, status: 'stop' } });
  } else {
    const executions = activeExecutions(era, scope);
    for (const id of await selectIds(context.db, executions.table, executions.where)) calls.push({ method: 'PUT', path: `/replication/executions/${id}` });
  }
  if (context.values['stop-queue']) {
    // swagger v2.7+: PUT /jobservice/queues/{job_type} with ActionRequest {action: stop}.
    calls.push({ method: 'PUT', path: '/jobservice/queues/REPLICATION', body: { action: 'stop' } });
  }
  return calls;
}

function restartWarning(harbor: HarborDetection): string | undefined {
  if (harborMajor(harbor) !== 2) return undefined;
  return `Restarting jobservice stops every job it is running, not only this replication: garbage collection, scans and other replication rules fail and must be rerun.${hasJobServiceDashboard(harbor) ? ' On Harbor 2.7+ the Job Service Dashboard can stop the pending replication jobs instead: rerun with --harbor-url (and --stop-queue for the REPLICATION queue), or --no-restart.' : ' Pass --harbor-url to stop it through the API first, or --no-restart.'}`;
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
    refuseStopApiOptions(harbor, context.values);
    const { policy, execution } = context.values;
    // The scope group makes exactly one of them present.
    const scope: Scope = execution !== undefined ? { execution } : { policy: policy ?? 0 };
    const era = replicationEra(harbor);
    const scopeName = await checkScopeExists(db, era, scope);
    const tables = stuckRows(era, scope);
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

    const client = await context.api.harbor(harborMajor(harbor));
    const api = client ? { client, calls: await apiCalls(context, era, scope) } : undefined;
    const stop = stopSteps(context, { scopeName, tables, selected, api, restartWarning: restartWarning(harbor) });
    findings.push(...stop.findings, { level: 'info', message: 'Afterwards the replication rule can be deleted in the UI or API.' });
    return { findings, steps: stop.steps, facts: { era, counts } };
  },
});
