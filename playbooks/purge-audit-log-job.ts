// Harbor 2.6+'s own audit purge (Log Rotation), started once through its API for
// purge-audit-log: POST /system/purgeaudit/schedule with a Manual schedule, then the execution
// polled until it ends (swagger v2.15.2; the handler of 2.6–2.12 takes include_operations,
// 2.13+ include_event_types). The job runs one DELETE per table with its own NOW(), so the
// step exports every row older than the plan's cut-off first and, right before the job starts,
// gives it a retention that puts its cut-off an hour before the plan's: it can then only delete
// rows that were exported.
import { fail, incomplete, refuse } from '../src/playbook/errors.ts';
import { jsonList, parseJson, type HarborApi } from '../src/playbook/http/harbor-api.ts';
import { sql, type Database } from '../src/playbook/sql/sql.ts';
import type { Step } from '../src/playbook/types.ts';

/** 0160_2.13.0 added audit_log_ext; the same release renamed the job's filter parameter. */
const EVENT_TYPES_SCHEMA = 160;

// 2.6–2.12: the legacy table's filter (src/pkg/audit/dao/dao.go permitOps) keeps only these.
const OPERATIONS = 'create,delete,pull';
// 2.13+: the list goes to both tables; audit_log_ext keeps event types (its "other" stands for
// every type after the first three), audit_log still keeps only create/delete/pull.
const EVENT_TYPES = `create_artifact,delete_artifact,pull_artifact,other,${OPERATIONS}`;

const FINAL = new Set(['Success', 'Error', 'Stopped']);

/** The Schedule body of POST /system/purgeaudit/schedule for a run now. */
export function purgeJobRequest(schemaVersion: number, retentionHours: number) {
  const filter = schemaVersion >= EVENT_TYPES_SCHEMA ? { include_event_types: EVENT_TYPES } : { include_operations: OPERATIONS };
  return { schedule: { type: 'Manual' }, parameters: { audit_retention_hour: retentionHours, ...filter, dry_run: false } };
}

/** Hours of retention that keep the job's own cut-off at or before the plan's for an hour after it. */
export const retentionHoursFor = (olderThanSeconds: number) => Math.ceil(olderThanSeconds / 3600) + 1;

interface ExecHistory {
  id: number;
  job_status: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PurgeJob {
  api: HarborApi;
  db: Database;
  schemaVersion: number;
  retentionHours: number;
  cutoff: string;
  tables: readonly string[];
  /** Rows older than the cut-off, before the job (the plan's count). */
  expected: number;
  backupPath: string;
  restoreCommand: string;
  /** Writes every row older than the cut-off of every table to `backupPath`; returns the count. */
  exportRows(): Promise<number>;
  timeoutSeconds: number;
  progress(line: string): void;
}

async function olderRows(job: PurgeJob): Promise<number> {
  let total = 0;
  for (const table of job.tables) {
    const [row] = await job.db.query(sql`SELECT count(*) AS n FROM ${sql.raw(table)} WHERE op_time < ${job.cutoff}::timestamp`);
    total += Number(row?.n ?? 0);
  }
  return total;
}

const NEWEST_EXECUTION = '/system/purgeaudit?page=1&page_size=1&sort=-id';

/** The newest purge execution's id (0 when there is none). */
async function newestExecution(api: HarborApi): Promise<number> {
  const answer = await api.request('GET', NEWEST_EXECUTION);
  if (answer.status !== 200) throw fail(`GET ${NEWEST_EXECUTION} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return jsonList<ExecHistory>(answer.body, `GET ${NEWEST_EXECUTION}`)[0]?.id ?? 0;
}

/**
 * In the plan, before anything is exported: Harbor answers the purge history, the route the step
 * reads first, with these credentials. An unreachable URL (the client refuses with the request
 * and the reason), a refused password or a user who is not a system administrator is exit 2 here,
 * not a failure halfway through the apply.
 */
export async function requirePurgeApi(api: HarborApi, user: string): Promise<void> {
  const request = `GET ${api.baseUrl}${NEWEST_EXECUTION}`;
  const answer = await api.request('GET', NEWEST_EXECUTION);
  if (answer.status === 401)
    throw refuse(`${request}: Harbor refused the credentials of ${user} (HTTP 401; the password comes from HARBOR_PASSWORD or the prompt); nothing changed`);
  if (answer.status === 403) throw refuse(`${request}: ${user} may not read the purge history (HTTP 403; it needs a system administrator); nothing changed`);
  if (answer.status !== 200) throw refuse(`${request} answered HTTP ${answer.status}, not Harbor 2.6+'s purge history: check --harbor-url; nothing changed`);
  try {
    jsonList<ExecHistory>(answer.body, request);
  } catch {
    throw refuse(`${request} answered something that is not Harbor's list of purge executions: check --harbor-url; nothing changed`);
  }
}

/** Polls the execution until it is final or the time is up; its last status, and whether it is final. */
async function waitForExecution(job: PurgeJob, id: number): Promise<{ status: string; final: boolean }> {
  const deadline = Date.now() + job.timeoutSeconds * 1000;
  for (;;) {
    const answer = await job.api.request('GET', `/system/purgeaudit/${id}`);
    const status =
      answer.status === 200
        ? String((parseJson(answer.body, `GET /system/purgeaudit/${id}`, "Harbor's API") as ExecHistory).job_status)
        : `HTTP ${answer.status}`;
    if (FINAL.has(status)) return { status, final: true };
    if (Date.now() > deadline) return { status, final: false };
    job.progress(`   purge job ${id}: ${status}`);
    await sleep(2000);
  }
}

/**
 * The retention to send now: whole hours that put the job's cut-off, NOW() − retention, at least
 * an hour before the plan's, however long the export took. The job can then reach only exported
 * rows even if it waits up to an hour in jobservice's queue.
 */
async function retentionNow(job: PurgeJob): Promise<number> {
  const [row] = await job.db.query(sql`SELECT ceil(extract(epoch FROM LOCALTIMESTAMP - ${job.cutoff}::timestamp) / 3600)::int + 1 AS hours`);
  const hours = Number(row?.hours);
  if (!Number.isSafeInteger(hours) || hours < job.retentionHours) throw fail(`the database reported the time since the cut-off as ${String(row?.hours)} hours`);
  return hours;
}

export function purgeJobStep(job: PurgeJob): Step {
  return {
    description: `export the ${job.expected} rows of ${job.tables.join(' + ')} older than ${job.cutoff} to ${job.backupPath}, then run Harbor's own purge job with a retention of at least ${job.retentionHours} h (${job.api.baseUrl})`,
    preview: [
      `POST ${job.api.baseUrl}/system/purgeaudit/schedule ${JSON.stringify(purgeJobRequest(job.schemaVersion, job.retentionHours))}  -- audit_retention_hour recomputed right before, so the job's cut-off is an hour before the plan's`,
      `GET ${job.api.baseUrl}/system/purgeaudit/<id>  -- until Success, Error or Stopped (at most ${job.timeoutSeconds}s)`,
    ],
    expected: job.expected,
    async backup() {
      const rows = await job.exportRows();
      return {
        path: job.backupPath,
        description: `${rows} rows older than ${job.cutoff}, as a psql script that puts them back`,
        restore: [job.restoreCommand],
      };
    },
    async execute() {
      const request = purgeJobRequest(job.schemaVersion, await retentionNow(job));
      const before = await olderRows(job);
      const previous = await newestExecution(job.api);
      const changed = async () => [
        `Harbor's purge job deleted ${before - (await olderRows(job))} rows older than ${job.cutoff}; they are in ${job.backupPath}`,
      ];
      // A POST without an answer (connection lost, timeout) may still have started the job.
      const started = await job.api.request('POST', '/system/purgeaudit/schedule', request).catch(async (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw incomplete(
          `POST /system/purgeaudit/schedule got no answer (${reason}): Harbor may have started the purge job; see its Clean Up history`,
          await changed(),
          [job.restoreCommand],
        );
      });
      if (started.status !== 201)
        throw fail(`Harbor refused the purge job: POST /system/purgeaudit/schedule answered ${started.status} ${started.body.slice(0, 300)}`);
      // From here the job runs in Harbor whatever this run sees: an unreachable API or an odd answer is not "nothing changed".
      const afterStart = async <T>(read: () => Promise<T>): Promise<T> => {
        try {
          return await read();
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw incomplete(`after Harbor accepted the purge job its state could not be read (${reason})`, await changed(), [job.restoreCommand]);
        }
      };
      const id = await afterStart(() => newestExecution(job.api));
      if (id <= previous) throw incomplete('Harbor accepted the purge job but lists no new execution of it', await changed(), [job.restoreCommand]);
      const { status, final } = await afterStart(() => waitForExecution(job, id));
      const deleted = before - (await olderRows(job));
      // A job that has not ended may still delete after this run: whatever it deleted so far, that is a change.
      if (!final)
        throw incomplete(
          `Harbor's purge job ${id} is still ${status} after ${job.timeoutSeconds}s and may go on deleting rows older than ${job.cutoff}; stop it (PUT /system/purgeaudit/${id}) or let it end, then rerun`,
          await changed(),
          [job.restoreCommand],
        );
      if (status !== 'Success') {
        if (deleted === 0) throw fail(`Harbor's purge job ${id} ended ${status} and deleted nothing`);
        throw incomplete(`Harbor's purge job ${id} ended ${status}`, await changed(), [job.restoreCommand]);
      }
      return {
        changed: deleted,
        detail: `Harbor's purge job ${id} succeeded: ${deleted} rows older than ${job.cutoff} deleted; the rest, if any, follow in batches`,
      };
    },
  };
}
