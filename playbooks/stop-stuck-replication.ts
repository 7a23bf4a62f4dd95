// Stops replication work stuck in pending/running for one policy or execution, on every
// era of Harbor's schema (research sheet section 4): Harbor's API first when reachable, then
// a jobservice restart, then the rows that are still not final, in one transaction.
import { backupFileName, backupRows } from '../src/playbook/backup.ts';
import { commandText, commandError, runCommand } from '../src/playbook/commands.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { harborApi, HARBOR_API_PARAMETERS } from '../src/playbook/harbor-api.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/harbor-version.ts';
import { sql, toText, type Database, type Sql } from '../src/playbook/sql.ts';
import type { Finding, Playbook, RunContext, Step } from '../src/playbook/types.ts';
import { join } from 'node:path';

/** Which tables hold replication work, by schema era. */
type ReplicationEra = 'replication_job' | 'replication_execution' | 'task';

export function replicationEra(harbor: HarborDetection): ReplicationEra {
  if (harbor.engine === 'mariadb' || (harbor.schemaVersion ?? 0) <= 3) return 'replication_job';
  // 0050_2.2.0 moved replication onto the execution/task framework and dropped the old tables.
  return (harbor.schemaVersion ?? 0) < 50 ? 'replication_execution' : 'task';
}

/** One table's stuck rows: which ones, and what "stopped" means there. */
interface StuckRows {
  table: string;
  where: Sql;
  set: Sql;
  /** Ids this era's API can stop (executions); absent where the API stops by policy. */
  apiStop?: 'executions';
}

// Non-final status values per era, from Harbor's Go sources (see the schema facts).
// Up to 1.7 the policy delete check blocks on pending/running/retrying transfer and delete
// jobs; 'schedule' rows are the policy's cron trigger and are left alone.
const JOB_ACTIVE = ['pending', 'running', 'retrying'];
const JOB_OPERATIONS = ['transfer', 'delete'];
const LEGACY_TASK_ACTIVE = ['Initialized', 'Pending', 'InProgress'];
const TASK_ACTIVE = ['Pending', 'Scheduled', 'Running'];

function stuckRows(era: ReplicationEra, scope: { policy?: number; execution?: number }): StuckRows[] {
  const { policy, execution } = scope;
  switch (era) {
    case 'replication_job':
      return [{ table: 'replication_job', where: sql`policy_id = ${policy!} AND operation IN (${JOB_OPERATIONS}) AND status IN (${JOB_ACTIVE})`, set: sql`status = 'stopped', update_time = CURRENT_TIMESTAMP` }];
    case 'replication_execution': {
      const executions = execution !== undefined ? sql`id = ${execution}` : sql`policy_id = ${policy!}`;
      const taskScope = execution !== undefined ? sql`execution_id = ${execution}` : sql`execution_id IN (SELECT id FROM replication_execution WHERE policy_id = ${policy!})`;
      return [
        // Executions first: "still has active tasks" must be read before the tasks change.
        {
          table: 'replication_execution',
          where: sql`${executions} AND (status = 'InProgress' OR id IN (SELECT execution_id FROM replication_task WHERE status IN (${LEGACY_TASK_ACTIVE})))`,
          set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP, stopped = stopped + in_progress, in_progress = 0`,
          apiStop: 'executions',
        },
        { table: 'replication_task', where: sql`${taskScope} AND status IN (${LEGACY_TASK_ACTIVE})`, set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP` },
      ];
    }
    case 'task': {
      const executions = execution !== undefined
        ? sql`id = ${execution} AND vendor_type = 'REPLICATION'`
        : sql`vendor_type = 'REPLICATION' AND vendor_id = ${policy!}`;
      return [
        {
          table: 'execution',
          // 2.1-2.x executions start with status '' (or NULL) before their first status update.
          where: sql`${executions} AND (status IN ('Running', '') OR status IS NULL OR id IN (SELECT execution_id FROM task WHERE status IN (${TASK_ACTIVE})))`,
          set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP`,
          apiStop: 'executions',
        },
        {
          table: 'task',
          where: sql`vendor_type = 'REPLICATION' AND execution_id IN (SELECT id FROM execution WHERE ${executions}) AND status IN (${TASK_ACTIVE})`,
          set: sql`status = 'Stopped', status_code = 3, end_time = CURRENT_TIMESTAMP, update_time = CURRENT_TIMESTAMP`,
        },
      ];
    }
  }
}

async function count(db: Database, rows: StuckRows): Promise<number> {
  const [row] = await db.query(sql`SELECT count(*) AS n FROM ${sql.raw(rows.table)} WHERE ${rows.where}`);
  return Number(row?.n ?? 0);
}

async function checkScopeExists(db: Database, era: ReplicationEra, policy: number | undefined, execution: number | undefined): Promise<string> {
  if (execution !== undefined) {
    if (era === 'replication_job') throw refuse('Harbor up to 1.7 has no replication executions; use --policy');
    const query = era === 'task'
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

async function apiStep(context: RunContext, era: ReplicationEra, db: Database, tables: StuckRows[], policy: number | undefined): Promise<Step | undefined> {
  const major = context.harbor!.engine === 'mariadb' || (context.harbor!.schemaVersion ?? 0) < 30 ? 1 : 2;
  const api = await harborApi(context.values, major);
  if (!api) return undefined;
  let calls: { path: string; body?: unknown }[];
  if (era === 'replication_job') {
    calls = [{ path: '/jobs/replication', body: { policy_id: policy, status: 'stop' } }];
  } else {
    const executions = tables.find((rows) => rows.apiStop === 'executions')!;
    const ids = await db.query(sql`SELECT id FROM ${sql.raw(executions.table)} WHERE ${executions.where} ORDER BY id`);
    calls = ids.map((row) => ({ path: `/replication/executions/${Number(row.id)}` }));
  }
  return {
    description: `ask Harbor's API to stop it (${api.baseUrl})`,
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

export const stopStuckReplication: Playbook = {
  name: 'stop-stuck-replication',
  title: 'Stop stuck replication jobs',
  summary:
    'Stops the pending/running replication work of one policy or execution that Harbor cannot stop itself: through the API first when --harbor-url is given, then restarts jobservice, then marks the non-final rows in the database stopped (one transaction, backed up first). Afterwards the policy can be deleted.',
  remediates: ['replication-job-stuck'],
  parameters: [
    { name: 'policy', type: 'integer', min: 1, max: 2147483647, group: 'scope', groupRequired: true, help: 'Replication policy id whose pending/running work to stop.', example: '8' },
    { name: 'execution', type: 'integer', min: 1, max: 2147483647, group: 'scope', help: 'Stop one replication execution instead (Harbor 1.8+).' },
    ...HARBOR_API_PARAMETERS,
    { name: 'no-restart', type: 'boolean', default: false, help: 'Do not restart jobservice after the change.' },
  ],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const db = context.db!;
    const harbor = context.harbor!;
    requireKnownClean(harbor);
    const policy = context.values.policy as number | undefined;
    const execution = context.values.execution as number | undefined;
    const era = replicationEra(harbor);
    const scope = await checkScopeExists(db, era, policy, execution);
    const tables = stuckRows(era, { policy, execution });
    const findings: Finding[] = [{ level: 'info', message: `Replication work lives in ${tables.map((rows) => rows.table).join(' + ')} in this release.` }];
    const counts: Record<string, number> = {};
    for (const rows of tables) counts[rows.table] = await count(db, rows);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    findings.push({
      level: total ? 'problem' : 'info',
      message: `${scope}: ${tables.map((rows) => `${counts[rows.table]} non-final ${rows.table} rows`).join(', ')}`,
      data: { counts },
    });
    if (total === 0) return { findings, steps: [], facts: { era, counts } };

    const steps: Step[] = [];
    const api = await apiStep(context, era, db, tables, policy);
    if (api) steps.push(api);
    const restart = context.values['no-restart'] ? undefined : context.target.restartJobservice();
    if (restart) {
      steps.push({
        // Before the database edit: on start jobservice re-queues the jobs it had in progress, and
        // their status hooks would overwrite an edit made earlier.
        description: 'restart jobservice so it drops the stuck jobs from its queue',
        preview: [commandText(restart)],
        async execute() {
          const result = await runCommand(restart);
          if (result.exitCode !== 0) throw new Error(commandError(restart, result));
          return { changed: 1, detail: 'jobservice restarted' };
        },
      });
    } else if (!context.values['no-restart']) {
      findings.push({ level: 'warn', message: 'The direct target cannot reach jobservice: restart it first (docker restart harbor-jobservice, or kubectl rollout restart deployment/<release>-harbor-jobservice), then run this, so that re-queued jobs cannot overwrite the change; --no-restart silences this.' });
    }
    const updates = tables.map((rows) => sql`UPDATE ${sql.raw(rows.table)} SET ${rows.set} WHERE ${rows.where}`);
    steps.push({
      description: `mark the non-final rows of ${scope} as stopped (one transaction)`,
      preview: updates.map((update) => toText(update, db.engine) + ';'),
      expected: total,
      backup: () => backupRows(db, join(context.backupDir, backupFileName('stop-stuck-replication', 'rows', 'json')),
        Object.fromEntries(tables.map((rows) => [rows.table, sql`SELECT * FROM ${sql.raw(rows.table)} WHERE ${rows.where}`]))),
      async execute() {
        const changed = await db.transaction(updates);
        return { changed: changed.reduce((sum, n) => sum + n, 0), detail: tables.map((rows, index) => `${changed[index]} ${rows.table}`).join(', ') + ' rows stopped' };
      },
      async verify() {
        for (const rows of tables) {
          const left = await count(db, rows);
          if (left) throw fail(`${left} ${rows.table} rows of ${scope} are still not final`);
        }
        return `no non-final rows left for ${scope}`;
      },
    });
    findings.push({ level: 'info', message: 'Afterwards the replication rule can be deleted in the UI or API.' });
    return { findings, steps, facts: { era, counts } };
  },
};
