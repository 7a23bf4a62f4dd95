// Harbor 2.6+'s own audit purge (Log Rotation), started once through its API for
// purge-audit-log: POST /system/purgeaudit/schedule with a Manual schedule, then the execution
// polled until it ends (swagger v2.15.2; the handler of 2.6–2.12 takes include_operations,
// 2.13+ include_event_types). The job's cut-off is not the plan's: each of its DELETEs compares
// op_time with its own NOW() − retention when it runs (src/pkg/audit/dao/dao.go and
// src/pkg/auditext/dao/dao.go at v2.15.2, audit/dao/dao.go at v2.6.0), which may be long after
// the POST if it waits in jobservice's queue. So the step exports every row older than the
// plan's cut-off first, refuses to start the job into a paused queue, gives it a retention that
// keeps its cut-off before the plan's for all of --job-timeout and an hour more, and afterwards
// counts the rows newer than the cut-off: one gone is one no export holds, and the run says so.
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

/** The job's type, the name of its queue in jobservice (src/jobservice/job/known_jobs.go at v2.15.2). */
const JOB_TYPE = 'PURGE_AUDIT_LOG';
/** 0100_2.7.0 added job_queue_status, where the Job Service Dashboard records a paused queue. */
const QUEUE_STATUS_SCHEMA = 100;

/** The Schedule body of POST /system/purgeaudit/schedule for a run now. */
export function purgeJobRequest(schemaVersion: number, retentionHours: number) {
  const filter = schemaVersion >= EVENT_TYPES_SCHEMA ? { include_event_types: EVENT_TYPES } : { include_operations: OPERATIONS };
  return { schedule: { type: 'Manual' }, parameters: { audit_retention_hour: retentionHours, ...filter, dry_run: false } };
}

/**
 * Hours of retention that keep the job's own cut-off at or before the plan's for `waitSeconds`
 * (--job-timeout) and an hour more: a job that waits in jobservice's queue that long still
 * reaches only exported rows, and an operator told at the timeout to stop it has that hour.
 */
export const retentionHoursFor = (olderThanSeconds: number, waitSeconds: number) => Math.ceil((olderThanSeconds + waitSeconds) / 3600) + 1;

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

/**
 * A paused PURGE_AUDIT_LOG queue holds the job until someone resumes it, and the job then measures
 * its cut-off from that moment, possibly long after this run has exported and ended. Pausing from
 * the Job Service Dashboard (PUT /jobservice/queues/{job_type}, 2.7+) writes job_queue_status
 * before it answers (src/controller/jobmonitor/monitor.go pauseQueue at v2.15.2), and jobservice
 * restores its Redis flag from that table (src/jobservice/sync/schedule.go syncQueueStatus).
 */
export async function requireQueueRunning(db: Database, schemaVersion: number): Promise<void> {
  if (schemaVersion < QUEUE_STATUS_SCHEMA) return;
  const [row] = await db.query(sql`SELECT count(*) AS n, max(update_time)::text AS since FROM job_queue_status WHERE job_type = ${JOB_TYPE} AND paused`);
  if (Number(row?.n ?? 0) === 0) return;
  throw refuse(
    `Harbor's ${JOB_TYPE} queue is paused (Job Service Dashboard, since ${String(row?.since)}): a purge job started now would wait there and, once resumed, delete with a cut-off measured from then, past the rows this run exports. Resume the queue (Administration → Job Service Dashboard, or PUT /api/v2.0/jobservice/queues/${JOB_TYPE} {"action":"resume"}) or run without --harbor-url to delete in batches only; nothing changed`,
  );
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

/** Rows newer than the cut-off of one table, up to the id that was its newest before the job: count by hour of op_time. */
type NewerByHour = Map<string, { count: number; until: string }>;

// The job runs on 2.6+ only, where both audit tables (audit_log, audit_log_ext) key on id.
async function newerByHour(job: PurgeJob, table: string, newestId: number): Promise<NewerByHour> {
  const rows = await job.db.query(
    sql`SELECT date_trunc('hour', op_time)::text AS hour, (date_trunc('hour', op_time) + interval '1 hour')::text AS until, count(*) AS n FROM ${sql.raw(table)} WHERE op_time >= ${job.cutoff}::timestamp AND id <= ${newestId} GROUP BY 1, 2`,
  );
  return new Map(rows.map((row) => [String(row.hour), { count: Number(row.n), until: String(row.until) }]));
}

/** One table right before the job starts: its newest id, and the rows up to it that no export holds, by hour. */
interface KeptRows {
  table: string;
  newestId: number;
  newer: NewerByHour;
}

async function keptRows(job: PurgeJob): Promise<KeptRows[]> {
  const kept: KeptRows[] = [];
  for (const table of job.tables) {
    const [row] = await job.db.query(sql`SELECT coalesce(max(id), 0) AS newest FROM ${sql.raw(table)}`);
    const newestId = Number(row?.newest ?? 0);
    kept.push({ table, newestId, newer: await newerByHour(job, table, newestId) });
  }
  return kept;
}

const rowCount = (newer: NewerByHour) => [...newer.values()].reduce((sum, hour) => sum + hour.count, 0);

/**
 * Of the rows `keptRows` counted, those gone now, as a sentence naming each table's count and the
 * hours of op_time they had (undefined when none is gone). Harbor deletes audit rows only by
 * purging, so a row gone here was deleted by a purge whose cut-off was later than the plan's.
 */
async function lostRows(job: PurgeJob, kept: readonly KeptRows[]): Promise<string | undefined> {
  const lost: string[] = [];
  let total = 0;
  for (const { table, newestId, newer } of kept) {
    const now = await newerByHour(job, table, newestId);
    const hours = [...newer].flatMap(([hour, { count, until }]) => {
      const gone = count - (now.get(hour)?.count ?? 0);
      return gone > 0 ? [{ hour, until, gone }] : [];
    });
    if (hours.length === 0) continue;
    hours.sort((a, b) => a.hour.localeCompare(b.hour));
    const gone = hours.reduce((sum, hour) => sum + hour.gone, 0);
    total += gone;
    lost.push(`${table} ${gone} with op_time from ${hours[0]!.hour} to ${hours.at(-1)!.until}`);
  }
  if (total === 0) return undefined;
  return `${total} rows newer than the cut-off ${job.cutoff} are gone and no export holds them (${lost.join('; ')}): the restore below does not bring them back`;
}

/**
 * The retention to send now: whole hours that keep the job's cut-off, NOW() − retention, before
 * the plan's for --job-timeout and an hour more, however long the export took; and the database
 * time at which it would pass the plan's cut-off (`safeUntil`), after which the job would delete
 * rows no export holds.
 */
async function retentionNow(job: PurgeJob): Promise<{ hours: number; safeUntil: string }> {
  const [row] = await job.db.query(
    sql`SELECT hours, (${job.cutoff}::timestamp + hours * interval '1 hour')::text AS safe_until FROM (SELECT ceil((extract(epoch FROM LOCALTIMESTAMP - ${job.cutoff}::timestamp) + ${job.timeoutSeconds}) / 3600)::int + 1 AS hours) AS retention`,
  );
  const hours = Number(row?.hours);
  if (!Number.isSafeInteger(hours) || hours < job.retentionHours) throw fail(`the database reported the time since the cut-off as ${String(row?.hours)} hours`);
  return { hours, safeUntil: String(row?.safe_until) };
}

export function purgeJobStep(job: PurgeJob): Step {
  return {
    description: `export the ${job.expected} rows of ${job.tables.join(' + ')} older than ${job.cutoff} to ${job.backupPath}, then run Harbor's own purge job with a retention of at least ${job.retentionHours} h (${job.api.baseUrl})`,
    preview: [
      `POST ${job.api.baseUrl}/system/purgeaudit/schedule ${JSON.stringify(purgeJobRequest(job.schemaVersion, job.retentionHours))}  -- unless the ${JOB_TYPE} queue is paused; audit_retention_hour recomputed right before, so the job's cut-off stays before the plan's for --job-timeout (${job.timeoutSeconds}s) and an hour more`,
      `GET ${job.api.baseUrl}/system/purgeaudit/<id>  -- until Success, Error or Stopped (at most ${job.timeoutSeconds}s); then every row newer than the cut-off must still be there`,
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
      const previous = await newestExecution(job.api);
      // Again right before the POST: the export may have taken long, and the plan's check is old.
      await requireQueueRunning(job.db, job.schemaVersion);
      const { hours, safeUntil } = await retentionNow(job);
      const request = purgeJobRequest(job.schemaVersion, hours);
      const before = await olderRows(job);
      const kept = await keptRows(job);
      const changed = async () => {
        const lost = await lostRows(job, kept);
        return [
          `Harbor's purge job deleted ${before - (await olderRows(job))} rows older than ${job.cutoff}; they are in ${job.backupPath}`,
          ...(lost ? [lost] : []),
        ];
      };
      // Said whenever the job may still run after this run ends: letting it run is safe only until safeUntil.
      const stopIt = (id: number | undefined) =>
        `stop it now (PUT ${job.api.baseUrl}/system/purgeaudit/${id ?? `<id>, the newest id of GET ${job.api.baseUrl}/system/purgeaudit`}): until ${safeUntil} (database time) it deletes only rows older than ${job.cutoff}, which are in ${job.backupPath}; if it starts later, its cut-off passes ${job.cutoff} and it also deletes newer rows that no export holds. Then rerun`;
      // A POST without an answer (connection lost, timeout) may still have started the job.
      const started = await job.api.request('POST', '/system/purgeaudit/schedule', request).catch(async (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw incomplete(
          `POST /system/purgeaudit/schedule got no answer (${reason}): Harbor may have started the purge job; see its Clean Up history, and if it is there, ${stopIt(undefined)}`,
          await changed(),
          [job.restoreCommand],
        );
      });
      if (started.status !== 201)
        throw fail(`Harbor refused the purge job: POST /system/purgeaudit/schedule answered ${started.status} ${started.body.slice(0, 300)}`);
      // From here the job runs in Harbor whatever this run sees: an unreachable API or an odd answer is not "nothing changed".
      const afterStart = async <T>(read: () => Promise<T>, id?: number): Promise<T> => {
        try {
          return await read();
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw incomplete(`after Harbor accepted the purge job its state could not be read (${reason}); unless it has ended, ${stopIt(id)}`, await changed(), [
            job.restoreCommand,
          ]);
        }
      };
      const id = await afterStart(() => newestExecution(job.api));
      if (id <= previous) throw incomplete('Harbor accepted the purge job but lists no new execution of it', await changed(), [job.restoreCommand]);
      const { status, final } = await afterStart(() => waitForExecution(job, id), id);
      const deleted = before - (await olderRows(job));
      // The check that can fail: rows newer than the cut-off gone means a cut-off later than the plan's, whatever the job reports.
      const lost = await lostRows(job, kept);
      if (lost)
        throw incomplete(
          `rows newer than ${job.cutoff} were deleted while Harbor's purge job ${id} ran (now ${status}), by a purge whose cut-off was later than the plan's: this job running after ${safeUntil} (its retention is ${hours} h), another Log Rotation with a shorter retention running meanwhile, or Harbor's database session in another time zone than this run's${final ? '' : `. The job has not ended: ${stopIt(id)}`}`,
          await changed(),
          [job.restoreCommand],
        );
      // A job that has not ended may still delete after this run: whatever it deleted so far, that is a change.
      if (!final)
        throw incomplete(`Harbor's purge job ${id} is still ${status} after ${job.timeoutSeconds}s: ${stopIt(id)}`, await changed(), [job.restoreCommand]);
      if (status !== 'Success') {
        if (deleted === 0) throw fail(`Harbor's purge job ${id} ended ${status} and deleted nothing`);
        throw incomplete(`Harbor's purge job ${id} ended ${status}`, await changed(), [job.restoreCommand]);
      }
      const checked = kept.reduce((sum, table) => sum + rowCount(table.newer), 0);
      return {
        changed: deleted,
        detail: `Harbor's purge job ${id} succeeded: ${deleted} rows older than ${job.cutoff} deleted, all ${checked} newer rows still there; the rest of the older ones, if any, follow in batches`,
      };
    },
  };
}
