// What stopping stuck jobservice work looks like for any kind of job, shared by
// stop-stuck-replication and stop-stuck-jobs: Harbor's API first (each call a playbook picks),
// then a jobservice restart (waited for on k8s) and the API once more, then the rows that are
// still not final, backed up, locked and re-checked in the one transaction that marks them
// stopped, and read back afterwards. The tables and conditions come from the playbook; the 2.2+
// execution/task layout that every vendor type shares is described here too.
import { readFileSync } from 'node:fs';
import { fail, incomplete, refuse } from '../../src/playbook/errors.ts';
import { boolean, duration } from '../../src/playbook/flags.ts';
import { harborUrl, jsonList, type HarborApi, type HarborApiValues } from '../../src/playbook/http/harbor-api.ts';
import { commandError, commandText, runProcess, type Command } from '../../src/playbook/platform/commands.ts';
import type { Target } from '../../src/playbook/platform/targets.ts';
import { backupRows } from '../../src/playbook/run/backup.ts';
import type { HarborDetection } from '../../src/playbook/sql/harbor-version.ts';
import { sql, toText, type Database, type Engine, type RowGuard, type Sql, type SqlValue } from '../../src/playbook/sql/sql.ts';
import type { PlanFinding, Step } from '../../src/playbook/types.ts';
import { writeRestoreFile } from './restore-script.ts';

/** One table's stuck rows: which ones, and what "stopped" means there. */
export interface StuckTable {
  table: string;
  /** The rows to stop: scope, non-final status and any age or other selection. Each selected row must still satisfy it when it is changed. */
  where: Sql;
  /**
   * Scope and non-final status only, when `where` selects more narrowly (by age). Then a row
   * that Harbor's API stop settled (no longer active) is accepted, but one that is still active
   * and no longer matches `where` (it moved again: jobservice runs it) refuses the apply.
   */
  active?: Sql;
  set: Sql;
  /** The columns `set` writes, saved so an incomplete run can print how to put them back. */
  columns: string[];
}

// Task status values (src/jobservice/job/status.go): Pending, Scheduled and Running are not final;
// status_code 3 is every final one (Stopped, Error, Success).
export const TASK_ACTIVE = ['Pending', 'Scheduled', 'Running'];

/** 0100_2.7.0: the release that added the Job Service Dashboard (the /jobservice/* API). */
export const hasJobServiceDashboard = (harbor: HarborDetection) => harbor.engine === 'postgresql' && (harbor.schemaVersion ?? 0) >= 100;

/** Bad or conflicting API options are refused whatever the database holds, before any work is looked at. */
export function refuseStopApiOptions(harbor: HarborDetection, values: HarborApiValues & { 'stop-queue': boolean }): void {
  const url = harborUrl(values);
  if (!values['stop-queue']) return;
  if (!url) throw refuse('--stop-queue needs --harbor-url');
  if (!hasJobServiceDashboard(harbor)) throw refuse('--stop-queue needs Harbor 2.7 or later (the Job Service Dashboard API)');
}

/** Executions of a scope that are not final, or whose tasks are not: 2.1+ executions start with status '' (or NULL). */
export const activeExecution = (executions: Sql): Sql =>
  sql`${executions} AND (status IN ('Running', '') OR status IS NULL OR id IN (SELECT execution_id FROM task WHERE status IN (${TASK_ACTIVE})))`;

const STOP_EXECUTION_WITH_UPDATE_TIME = {
  set: sql`status = 'Stopped', end_time = CURRENT_TIMESTAMP, update_time = CURRENT_TIMESTAMP`,
  columns: ['status', 'end_time', 'update_time'],
};
const STOP_TASK = {
  set: sql`status = 'Stopped', status_code = 3, end_time = CURRENT_TIMESTAMP, update_time = CURRENT_TIMESTAMP`,
  columns: ['status', 'status_code', 'end_time', 'update_time'],
};

/**
 * The moment before which a row's last change makes it stale. Harbor's timestamp columns (without
 * time zone) hold the database session's wall clock, hence LOCALTIMESTAMP; MariaDB (Harbor 1.5)
 * has no `n * INTERVAL`.
 */
export function staleBefore(olderThanSeconds: number, engine: Engine = 'postgresql'): Sql {
  return engine === 'mariadb' ? sql`LOCALTIMESTAMP - INTERVAL ${olderThanSeconds} SECOND` : sql`LOCALTIMESTAMP - ${olderThanSeconds} * INTERVAL '1 second'`;
}

/** Which of the non-final work of `executions` counts as stuck: the statuses, and how long without an update. */
export interface StaleSelection {
  statuses: readonly string[];
  olderThanSeconds: number;
}

/**
 * The stale part of the non-final work of `executions`: tasks in one of `statuses` that saw no
 * update for `olderThanSeconds` in an execution none of whose tasks did either, and executions
 * just as old none of whose other tasks is still active. A Scan All, retention or replication run
 * creates all its tasks at once and jobservice works them off its queue, so a task can wait longer
 * than `olderThanSeconds` while its siblings run and finish: while any task of an execution moves,
 * the execution is alive and none of its tasks is stuck.
 */
export function staleWork(vendorType: string, executions: Sql, selection: StaleSelection): StuckTable[] {
  const cutoff = staleBefore(selection.olderThanSeconds);
  // A task's last sign of life: status hooks set update_time; creation_time is set when it is created.
  const lastSign = (alias: string) => sql`COALESCE(${sql.raw(alias)}.update_time, ${sql.raw(alias)}.start_time, ${sql.raw(alias)}.creation_time)`;
  const staleTask = (alias: string) => sql`${sql.raw(alias)}.status IN (${[...selection.statuses]}) AND ${lastSign(alias)} < ${cutoff}`;
  const executionMoved = sql`EXISTS (SELECT 1 FROM task r WHERE r.execution_id = task.execution_id AND ${lastSign('r')} >= ${cutoff})`;
  const tasks = sql`vendor_type = ${vendorType} AND execution_id IN (SELECT id FROM execution WHERE ${executions})`;
  return [
    {
      table: 'execution',
      where: sql`${executions} AND (status IN ('Running', '') OR status IS NULL OR id IN (SELECT s.execution_id FROM task s WHERE ${staleTask('s')}))
        AND COALESCE(update_time, start_time) < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM task t WHERE t.execution_id = execution.id AND t.status IN (${TASK_ACTIVE}) AND NOT (${staleTask('t')}))`,
      active: activeExecution(executions),
      ...STOP_EXECUTION_WITH_UPDATE_TIME,
    },
    {
      table: 'task',
      where: sql`${tasks} AND ${staleTask('task')} AND NOT ${executionMoved}`,
      active: sql`${tasks} AND status IN (${TASK_ACTIVE})`,
      ...STOP_TASK,
    },
  ];
}

/** Job ids of the given `task` rows that jobservice is running now (the Job Service Dashboard's worker list, 2.7+). */
async function runningJobs(db: Database, api: HarborApi, taskIds: readonly number[]): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const answer = await api.request('GET', '/jobservice/pools/all/workers');
  if (answer.status !== 200) throw refuse(`GET ${api.baseUrl}/jobservice/pools/all/workers answered ${answer.status}: cannot tell which jobs jobservice runs`);
  const running = new Set(jsonList<{ job_id?: string }>(answer.body, 'GET /jobservice/pools/all/workers').map((worker) => worker.job_id));
  const rows = await db.query(sql`SELECT id, job_id FROM task WHERE id IN (${sql.ids(taskIds)}) AND job_id IS NOT NULL ORDER BY id`);
  return rows.filter((row) => running.has(String(row.job_id))).map((row) => `task ${row.id} (job ${row.job_id})`);
}

/** Refuses (exit 2) when jobservice runs any of the given `task` rows: a job it runs is not stuck, however old its row. */
export async function refuseRunning(db: Database, api: HarborApi, taskIds: readonly number[]): Promise<void> {
  const running = await runningJobs(db, api, taskIds);
  if (running.length > 0) {
    throw refuse(`jobservice is running ${running.join(', ')}: not stuck, so nothing is changed; stop it in the Job Service Dashboard or wait for it`);
  }
}

export async function selectIds(db: Database, table: string, where: Sql): Promise<number[]> {
  return (await db.query(sql`SELECT id FROM ${sql.raw(table)} WHERE ${where} ORDER BY id`)).map((row) => Number(row.id));
}

/**
 * Rows not final after the change. Without `active`, every row of the scope `where` selects (a job
 * jobservice re-queued counts too); with it, the selected rows that are active again (an
 * execution with a new active task counts), since a re-queued job is too young for `where`.
 */
async function notFinal(db: Database, rows: StuckTable, ids: readonly number[]): Promise<number> {
  if (rows.active && ids.length === 0) return 0;
  const where = rows.active ? sql`id IN (${sql.ids(ids)}) AND ${rows.active}` : rows.where;
  const [row] = await db.query(sql`SELECT count(*) AS n FROM ${sql.raw(rows.table)} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** The options every stop playbook shares. */
export const RESTART_FLAGS = {
  'no-restart': boolean({ help: 'Do not restart jobservice after the change.' }),
  'rollout-timeout': duration({
    default: 300,
    min: 10,
    max: 3600,
    help: 'k8s: how long to wait for the restarted jobservice to roll out before editing the database.',
  }),
};

/** One request to Harbor's API that asks it to stop something. */
export interface ApiCall {
  method: 'PUT' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  /** Re-reads what the request would stop right before it is sent (each time); throws to refuse. */
  confirm?: () => Promise<void>;
}

const callText = (api: HarborApi, call: ApiCall) => `${call.method} ${api.baseUrl}${call.path}${call.body ? ' ' + JSON.stringify(call.body) : ''}`;

function apiStep(description: string, api: HarborApi, calls: readonly ApiCall[]): Step {
  return {
    description,
    preview: calls.map((call) => callText(api, call)),
    expected: calls.length,
    async execute() {
      for (const call of calls) await call.confirm?.();
      // Harbor only logs jobservice failures here (#7057), so the database step still follows.
      const answers = [];
      for (const call of calls) {
        const answer = await api.request(call.method, call.path, call.body).catch((error: Error) => ({ status: 0, body: error.message }));
        answers.push(`${call.path}: ${answer.status || answer.body}`);
      }
      const ok = answers.filter((answer) => / 2\d\d$/.test(answer)).length;
      return { changed: ok, detail: `${ok}/${calls.length} stop requests accepted (${answers.join(', ')})` };
    },
  };
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

/** SQL that puts the changed columns back from the backup, one UPDATE per set of old values. */
export function restoreStatements(backupPath: string, tables: readonly StuckTable[], engine: Engine): string[] {
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

/**
 * The re-check a row guard makes. Without an API step each row must still be selected as it was.
 * After Harbor's own stop some rows may be final already: that is the API doing its job, not a
 * misjudged row, and the updates' WHERE leaves them as they are.
 */
function guardOf(rows: StuckTable, ids: number[], apiStopped: boolean): RowGuard {
  if (!apiStopped) return { table: rows.table, ids, still: rows.where };
  if (!rows.active) return { table: rows.table, ids, still: rows.where, acceptSettled: true };
  return { table: rows.table, ids, still: sql`NOT (${rows.active}) OR (${rows.where})` };
}

/** What the platform gives a stop plan: the database, where Harbor runs, and the backup folder. */
export interface StopEnvironment {
  db: Database;
  harbor: HarborDetection;
  target: Target;
  backupPath(what: string, extension: string): string;
  values: { 'no-restart': boolean; 'rollout-timeout': number };
}

/** The work a playbook found and how to stop it. */
export interface StuckWork {
  /** What the rows belong to, for messages: "policy 8 (nightly)", "GARBAGE_COLLECTION executions". */
  scopeName: string;
  tables: readonly StuckTable[];
  /** The ids the plan selected per table. */
  selected: Readonly<Record<string, number[]>>;
  /** Harbor's API, with the calls that ask it to stop the work (asked again after the restart). */
  api?: { client: HarborApi; calls: readonly ApiCall[] };
  /** Whether jobservice is restarted (a playbook may leave it out where its API calls stop the work); unset: unless --no-restart. */
  restart?: boolean;
  /** What restarting jobservice costs (Harbor 2.x: every job in flight), said whenever the plan restarts it or asks the operator to. */
  restartWarning?: string;
  /** A last look at the live system right before the transaction (jobservice's running jobs); throws to refuse. */
  confirm?: () => Promise<void>;
}

/** Steps: the API's stop, the jobservice restart (and the API again), and the guarded database settle with its backup and verify. */
export function stopSteps(environment: StopEnvironment, work: StuckWork): { findings: PlanFinding[]; steps: Step[] } {
  const { db, target, values } = environment;
  const { scopeName, tables, selected, api } = work;
  const findings: PlanFinding[] = [];
  const steps: Step[] = [];
  if (api && api.calls.length > 0) steps.push(apiStep(`ask Harbor's API to stop it (${api.client.baseUrl})`, api.client, api.calls));
  const restartWanted = work.restart ?? !values['no-restart'];
  const restart = restartWanted ? target.restart('jobservice') : undefined;
  if (restart) {
    const timeoutSeconds = values['rollout-timeout'];
    steps.push(restartStep(restart, target.rollout('jobservice', timeoutSeconds), timeoutSeconds));
    // Jobs jobservice re-queued on start are stopped through the API before the edit.
    if (api && api.calls.length > 0)
      steps.push(apiStep(`ask Harbor's API again, now that jobservice has restarted (${api.client.baseUrl})`, api.client, api.calls));
  } else if (restartWanted) {
    findings.push({
      level: 'warn',
      message:
        'The direct target cannot reach jobservice: restart it first (docker restart harbor-jobservice, or kubectl rollout restart deployment/<fullname>-jobservice and wait for kubectl rollout status), then run this, so that re-queued jobs cannot overwrite the change; --no-restart silences this.',
    });
  }
  // The restart stops healthy jobs too, API stop or not: never planned or advised without saying so.
  if (restartWanted && work.restartWarning) findings.push({ level: 'warn', message: work.restartWarning });
  const changing = tables.flatMap((rows) => {
    const ids = selected[rows.table] ?? [];
    return ids.length > 0 ? [{ rows, ids }] : [];
  });
  const apiStopped = api !== undefined && api.calls.length > 0;
  // Confirm before change: an API stop or the jobservice restart touches the selected work before
  // the transaction can lock it, so each row is re-read right before the first of them, as the plan
  // selected it, and jobservice is asked again; one that moved or runs refuses the whole apply.
  // (Without them the transaction's own guards and `confirm` are the check.)
  const confirmStillStuck = async () => {
    for (const { rows, ids } of changing) {
      const still = new Set(await selectIds(db, rows.table, sql`id IN (${sql.ids(ids)}) AND ${rows.where}`));
      const moved = ids.filter((id) => !still.has(id));
      if (moved.length > 0)
        throw refuse(
          `${rows.table} rows ${moved.join(', ')} of ${scopeName} changed since the plan read them (final, moved again, or gone): not stuck, so nothing is changed. Rerun to plan again.`,
        );
    }
    await work.confirm?.();
  };
  const [first] = steps;
  if (first) {
    const execute = first.execute;
    first.execute = async () => {
      await confirmStillStuck();
      return execute();
    };
  }
  const guards = changing.map(({ rows, ids }) => guardOf(rows, ids, apiStopped));
  const updates = changing.map(({ rows, ids }) => sql`UPDATE ${sql.raw(rows.table)} SET ${rows.set} WHERE id IN (${sql.ids(ids)}) AND ${rows.where}`);
  const guardNote = apiStopped ? 'rows the API stop settled are left as they are' : 'refused if any is final by now';
  steps.push({
    description: `mark the non-final rows of ${scopeName} as stopped (one transaction; the rows are locked and re-checked first)`,
    preview: [
      ...guards.map(
        (guard) => `${toText(sql`SELECT id FROM ${sql.raw(guard.table)} WHERE id IN (${sql.ids(guard.ids)}) FOR UPDATE`, db.engine)};  -- ${guardNote}`,
      ),
      ...updates.map((update) => toText(update, db.engine) + ';'),
    ],
    expected: changing.reduce((sum, { ids }) => sum + ids.length, 0),
    async backup() {
      const record = await backupRows(
        db,
        environment.backupPath('rows', 'json'),
        Object.fromEntries(changing.map(({ rows, ids }) => [rows.table, sql`SELECT * FROM ${sql.raw(rows.table)} WHERE id IN (${sql.ids(ids)})`])),
      );
      const statements = restoreStatements(
        record.path,
        changing.map(({ rows }) => rows),
        db.engine,
      );
      const command = writeRestoreFile(target, db.engine, `${record.path.replace(/\.json$/, '')}-restore.sql`, statements);
      return {
        ...record,
        description: command ? `${record.description}; to put them back: ${command}` : record.description,
        restore: [...(command ? [command] : []), `# in the database, to put the rows back as ${record.path} holds them:`, ...statements],
      };
    },
    async execute() {
      await work.confirm?.();
      const changed = await db.transaction(updates, { guards });
      return {
        changed: changed.reduce((sum, n) => sum + n, 0),
        detail: changing.map(({ rows }, index) => `${changed[index]} ${rows.table}`).join(', ') + ' rows stopped',
      };
    },
    async verify() {
      for (const rows of tables) {
        const left = await notFinal(db, rows, selected[rows.table] ?? []);
        if (left) throw fail(`${left} ${rows.table} rows of ${scopeName} are not final again (jobservice still runs them?)`);
      }
      return `no non-final rows left for ${scopeName}`;
    },
  });
  return { findings, steps };
}
