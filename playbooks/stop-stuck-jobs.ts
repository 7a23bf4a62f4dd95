// Stops jobs of any vendor type (scan, Scan All, GC, retention, replication, ...) that Harbor
// 2.2+ keeps non-final in its execution/task tables after jobservice lost them
// (content/issues/en/stuck-jobs-scan-gc-retention.mdx): Harbor's own stop routes first (the
// vendor's route, or the Job Service Dashboard's job stop on 2.7+), then the shared stop of
// stuck-work.ts for whatever is still stale: a jobservice restart where the API cannot stop
// every selected job (or --restart-jobservice asks for it), then the guarded transaction.
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { boolean, duration, enumeration, exclusive, integer } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS } from '../src/playbook/http/harbor-api.ts';
import { describeHarbor, requireKnownClean, schemaVersionForRelease, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { sql, type Database, type Sql } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';
import {
  activeExecution,
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
} from './shared/stuck-work.ts';

/**
 * The execution.vendor_type values Harbor writes, with the release that first creates such
 * executions (the execMgr.Create callers at each tag; constants in src/jobservice/job/known_jobs.go).
 * 2.2 moved scans, Scan All, GC, retention and replication onto execution/task (0050_2.2.0);
 * webhooks and Slack moved there in 2.8 (0110_2.8.0), from notification_job.
 */
export const VENDOR_SINCE = {
  IMAGE_SCAN: '2.2.0',
  SCAN_ALL: '2.2.0',
  GARBAGE_COLLECTION: '2.2.0',
  RETENTION: '2.2.0',
  REPLICATION: '2.2.0',
  P2P_PREHEAT: '2.2.0',
  SCHEDULER: '2.2.0',
  PURGE_AUDIT_LOG: '2.6.0',
  SYSTEM_ARTIFACT_CLEANUP: '2.6.0',
  SCAN_DATA_EXPORT: '2.6.0',
  EXECUTION_SWEEP: '2.8.0',
  WEBHOOK: '2.8.0',
  SLACK: '2.8.0',
  AUDIT_LOGS_GDPR_COMPLIANT: '2.10.0',
  SBOM: '2.11.0',
} as const;
type Vendor = keyof typeof VENDOR_SINCE;
const VENDORS = Object.keys(VENDOR_SINCE) as Vendor[];

const STATUS_CHOICES = ['any', 'pending', 'scheduled', 'running'] as const;
const TASK_STATUS = { pending: 'Pending', scheduled: 'Scheduled', running: 'Running' } as const;

/** The first release that answers a route, as the schema version it runs at. */
const atLeast = (harbor: HarborDetection, release: string) => (harbor.schemaVersion ?? 0) >= Number(schemaVersionForRelease(release) ?? Infinity);

/** 0050_2.2.0 added task.vendor_type: from there every vendor's work has the same layout. */
function refuseUnsupported(harbor: HarborDetection, vendor: Vendor): void {
  if (harbor.engine !== 'postgresql' || !atLeast(harbor, '2.2.0')) {
    throw refuse(
      `stop-stuck-jobs needs Harbor 2.2 or later, where every job kind lives in the execution/task tables (0050_2.2.0); this is ${describeHarbor(harbor)}. For stuck replication on Harbor 1.x-2.1 run stop-stuck-replication.`,
    );
  }
  if (!atLeast(harbor, VENDOR_SINCE[vendor])) {
    throw refuse(`${vendor} jobs are kept in execution/task from Harbor ${VENDOR_SINCE[vendor].replace(/\.0$/, '')} on; this is ${describeHarbor(harbor)}`);
  }
}

/**
 * A schedule (GC, Scan All, retention, replication, preheat, ...) is one SCHEDULER execution whose
 * periodic task stays Scheduled for as long as the schedule exists, never updated (src/pkg/scheduler/scheduler.go;
 * 0040_2.1.0 creates that pair for every schedule there was). That is its healthy state, so no age
 * makes it stuck, and stopping it would stop the schedule. The jobs a schedule starts have vendors of their own.
 */
function refuseSchedules(vendor: Vendor): void {
  if (vendor === 'SCHEDULER') {
    throw refuse(
      'SCHEDULER executions are schedules, not jobs: each keeps one task in Scheduled for as long as the schedule exists, which is its healthy state. Change or remove a schedule in Harbor (the GC, Scan All, retention or replication settings); to stop the jobs a schedule started, name their vendor (GARBAGE_COLLECTION, SCAN_ALL, RETENTION, REPLICATION, ...).',
    );
  }
}

/** The artifact a scan execution is about (its extra_attrs.artifact), with its project's name. */
interface ScannedArtifact {
  project: string;
  repository: string;
  digest: string;
}

/** An execution as the stop routes need it. */
interface StoppableExecution {
  id: number;
  vendorId: number;
  artifact?: ScannedArtifact;
}

/**
 * A scan's stop route (2.4+) names the artifact by project, repository and digest; Harbor finds
 * the execution by extra_attrs.artifact.digest (src/controller/scan/base_controller.go Stop).
 * The repository goes without its project prefix and, as the swagger says, URL-encoded twice.
 * From 2.11 the body names the scan type.
 */
function scanStop(harbor: HarborDetection, vendor: Vendor, artifact: ScannedArtifact | undefined): ApiCall | undefined {
  if (!artifact || !atLeast(harbor, '2.4.0')) return undefined;
  const repository = artifact.repository.startsWith(`${artifact.project}/`) ? artifact.repository.slice(artifact.project.length + 1) : artifact.repository;
  const path = `/projects/${encodeURIComponent(artifact.project)}/repositories/${encodeURIComponent(encodeURIComponent(repository))}/artifacts/${encodeURIComponent(artifact.digest)}/scan/stop`;
  return atLeast(harbor, '2.11.0') ? { method: 'POST', path, body: { scan_type: vendor === 'SBOM' ? 'sbom' : 'vulnerability' } } : { method: 'POST', path };
}

/**
 * The vendor's own stop route for one execution, in the swagger of the release that added it
 * (api/v2.0/swagger.yaml): replication and retention from 2.2, one artifact's scan and Scan All
 * from 2.4, GC and purge-audit from 2.6. Other vendors have none. The scan and Scan All routes
 * name no execution: Harbor stops the one its lookup finds (harborLookup).
 */
function vendorStop(harbor: HarborDetection, vendor: Vendor, execution: StoppableExecution): ApiCall | undefined {
  switch (vendor) {
    case 'IMAGE_SCAN':
    case 'SBOM':
      return scanStop(harbor, vendor, execution.artifact);
    case 'REPLICATION':
      return { method: 'PUT', path: `/replication/executions/${execution.id}` };
    case 'RETENTION':
      return { method: 'PATCH', path: `/retentions/${execution.vendorId}/executions/${execution.id}`, body: { action: 'stop' } };
    case 'GARBAGE_COLLECTION':
      return atLeast(harbor, '2.6.0') ? { method: 'PUT', path: `/system/gc/${execution.id}` } : undefined;
    case 'PURGE_AUDIT_LOG':
      return atLeast(harbor, '2.6.0') ? { method: 'PUT', path: `/system/purgeaudit/${execution.id}` } : undefined;
    case 'SCAN_ALL':
      return atLeast(harbor, '2.4.0') ? { method: 'POST', path: '/system/scanAll/stop' } : undefined;
    default:
      return undefined;
  }
}

/**
 * The executions Harbor looks through when a stop route names none; it stops the first by
 * start_time DESC, the default sort of dao.Execution (src/pkg/task/dao/model.go at v2.4.0 and
 * v2.15.2). Scan All's stop takes the latest Scan All of any trigger and status
 * (src/server/v2.0/handler/scan_all.go StopScanAll -> getLatestScanAllExecution at v2.4.0,
 * v2.7.0, v2.15.2), so a stale scheduled run beside a newer manual one (only manual starts are
 * refused while a manual one runs) is not what it stops. One artifact's scan stop takes the first
 * execution naming the digest in extra_attrs.artifact (src/controller/scan/base_controller.go Stop
 * at v2.4.0), from 2.11 only of the scan type's vendor with that extra_attrs.enabled_capabilities.type
 * (at v2.11.0), which executions created before 2.11 lack.
 */
function harborLookup(harbor: HarborDetection, vendor: Vendor, execution: StoppableExecution): Sql | undefined {
  if (vendor === 'SCAN_ALL') return sql`vendor_type = 'SCAN_ALL'`;
  if ((vendor !== 'IMAGE_SCAN' && vendor !== 'SBOM') || !execution.artifact) return undefined;
  const byDigest = sql`extra_attrs -> 'artifact' ->> 'digest' = ${execution.artifact.digest}`;
  if (!atLeast(harbor, '2.11.0')) return byDigest;
  return sql`vendor_type = ${vendor} AND ${byDigest} AND extra_attrs -> 'enabled_capabilities' ->> 'type' = ${vendor === 'SBOM' ? 'sbom' : 'vulnerability'}`;
}

/** The execution Harbor's lookup stops (as it sorts: NULL start times first); undefined when it finds none, or two that tie. */
async function harborsPick(db: Database, lookup: Sql): Promise<number | undefined> {
  const [first, second] = await db.query(sql`SELECT id, start_time::text AS started FROM execution WHERE ${lookup} ORDER BY start_time DESC LIMIT 2`);
  if (!first || (second && second.started === first.started)) return undefined;
  return Number(first.id);
}

const pickText = (pick: number | undefined) => (pick === undefined ? 'no single execution' : `execution ${pick}`);

/**
 * jobservice's queue for a vendor's jobs: the job name it registers (src/jobservice/runtime/bootstrap.go).
 * Scan All and SBOM executions run IMAGE_SCAN jobs; the purge-audit job was named PURGE_AUDIT until 2.8.
 */
function queueOf(harbor: HarborDetection, vendor: Vendor): string {
  if (vendor === 'SCAN_ALL' || vendor === 'SBOM') return 'IMAGE_SCAN';
  if (vendor === 'PURGE_AUDIT_LOG' && !atLeast(harbor, '2.8.0')) return 'PURGE_AUDIT';
  return vendor;
}

const FLAGS = {
  vendor: enumeration(VENDORS, {
    required: true,
    help: 'The vendor_type of the jobs to stop (execution.vendor_type): IMAGE_SCAN, SCAN_ALL, GARBAGE_COLLECTION, RETENTION, REPLICATION, P2P_PREHEAT (2.2+); PURGE_AUDIT_LOG, SYSTEM_ARTIFACT_CLEANUP, SCAN_DATA_EXPORT (2.6+); EXECUTION_SWEEP, WEBHOOK, SLACK (2.8+); AUDIT_LOGS_GDPR_COMPLIANT (2.10+); SBOM (2.11+). SCHEDULER (schedules, not jobs) is refused.',
    example: 'GARBAGE_COLLECTION',
  }),
  execution: integer({ min: 1, max: 2147483647, help: 'Stop only this execution of the vendor type.' }),
  'older-than': duration({
    default: 86400,
    min: 60,
    max: 31536000,
    help: 'Only work with no status update for this long is stuck (seconds, or 90m, 24h); anything younger is left alone, and a selected row that moves again refuses the apply.',
  }),
  status: enumeration(STATUS_CHOICES, { default: 'any', help: 'Which non-final task status to stop: pending, scheduled, running, or any of them.' }),
  ...HARBOR_API_FLAGS,
  'stop-queue': boolean({
    help: "Harbor 2.7+, with --harbor-url: also stop the pending jobs of the vendor's jobservice queue (the Job Service Dashboard's stop; it drops every pending job of that kind, stuck or not).",
  }),
  ...RESTART_FLAGS,
  'restart-jobservice': boolean({
    help: "Restart jobservice (and ask the API again) even when Harbor's API stops every selected job; the restart stops every job jobservice runs, healthy ones too. Where the API cannot, jobservice is restarted unless --no-restart.",
  }),
};
type Context = RunContext<typeof FLAGS, 'database' | 'harbor-api'>;

function executionScope(vendor: Vendor, execution: number | undefined): Sql {
  return execution === undefined ? sql`vendor_type = ${vendor}` : sql`vendor_type = ${vendor} AND id = ${execution}`;
}

/** --execution must name an execution of the vendor; one that is active but moved recently is healthy and refused. */
async function checkExecution(db: Database, vendor: Vendor, execution: number, olderThan: number): Promise<void> {
  // 1/0 rather than booleans: psql prints those as t/f, the driver gives true/false.
  const [row] = await db.query(sql`SELECT
      CASE WHEN ${activeExecution(sql`TRUE`)} THEN 1 ELSE 0 END AS active,
      CASE WHEN GREATEST(COALESCE(update_time, start_time), (SELECT max(COALESCE(t.update_time, t.start_time, t.creation_time)) FROM task t WHERE t.execution_id = execution.id))
        >= ${staleBefore(olderThan)} THEN 1 ELSE 0 END AS recent
    FROM execution WHERE ${executionScope(vendor, execution)}`);
  if (!row) throw refuse(`${vendor} execution ${execution} does not exist`);
  if (Number(row.active) === 1 && Number(row.recent) === 1) {
    throw refuse(`${vendor} execution ${execution} is active and changed within --older-than ${olderThan}s: it is not stuck; nothing changed`);
  }
}

/** The artifact an execution's extra_attrs names (scans write {artifact: {project_id, repository_name, digest}}), if any. */
function artifactOf(extraAttrs: unknown): { projectId: number; repository: string; digest: string } | undefined {
  try {
    const artifact = (JSON.parse(String(extraAttrs)) as { artifact?: { project_id?: unknown; repository_name?: unknown; digest?: unknown } }).artifact;
    const { project_id: projectId, repository_name: repository, digest } = artifact ?? {};
    return typeof projectId === 'number' && typeof repository === 'string' && typeof digest === 'string' ? { projectId, repository, digest } : undefined;
  } catch {
    return undefined;
  }
}

async function stoppableExecutions(db: Database, ids: readonly number[]): Promise<StoppableExecution[]> {
  if (ids.length === 0) return [];
  // As text: the driver would parse json into an object, psql prints text.
  const rows = await db.query(sql`SELECT id, vendor_id, extra_attrs::text AS extra_attrs FROM execution WHERE id IN (${sql.ids(ids)}) ORDER BY id`);
  const artifacts = new Map(rows.map((row) => [Number(row.id), artifactOf(row.extra_attrs)]));
  const projectIds = [...new Set([...artifacts.values()].flatMap((artifact) => (artifact ? [artifact.projectId] : [])))];
  const projects = projectIds.length > 0 ? await db.query(sql`SELECT project_id, name FROM project WHERE project_id IN (${sql.ids(projectIds)})`) : [];
  const projectName = new Map(projects.map((row) => [Number(row.project_id), String(row.name)]));
  return rows.map((row) => {
    const artifact = artifacts.get(Number(row.id));
    const project = artifact && projectName.get(artifact.projectId);
    return {
      id: Number(row.id),
      vendorId: Number(row.vendor_id),
      artifact: artifact && project ? { project, repository: artifact.repository, digest: artifact.digest } : undefined,
    };
  });
}

/** Harbor's API calls for the selected work, and the selected tasks none of them stops. */
interface ApiStop {
  calls: ApiCall[];
  notStopped: number[];
  /** Why a route was passed over. */
  notes: string[];
}

/**
 * Each selected execution through its vendor's route, where the route stops that execution and no
 * other; every other selected task through the Job Service Dashboard's job stop (2.7+), which
 * stops the task holding that job id and marks one jobservice does not know Stopped
 * (src/controller/jobmonitor/monitor.go stopJob, src/pkg/task/task.go Stop at v2.7.0).
 */
async function apiStop(context: Context, vendor: Vendor, executions: readonly number[], tasks: readonly number[]): Promise<ApiStop> {
  const { db, harbor } = context;
  const calls: ApiCall[] = [];
  const notes: string[] = [];
  const byRoute: number[] = [];
  for (const execution of await stoppableExecutions(db, executions)) {
    const route = vendorStop(harbor, vendor, execution);
    if (!route) continue;
    const lookup = harborLookup(harbor, vendor, execution);
    if (!lookup) {
      calls.push(route);
      byRoute.push(execution.id);
      continue;
    }
    const pick = await harborsPick(db, lookup);
    if (pick !== execution.id) {
      notes.push(
        `${route.method} ${route.path} would stop ${pickText(pick)}, not the stale ${vendor} execution ${execution.id}: Harbor stops the latest execution its lookup finds, so it is not called.`,
      );
      continue;
    }
    // The check again right before the request: a run started since the plan would be the one stopped.
    const confirm = async () => {
      const now = await harborsPick(db, lookup);
      if (now !== execution.id)
        throw refuse(
          `${route.method} ${route.path} would now stop ${pickText(now)}, not the stale ${vendor} execution ${execution.id} the plan selected (Harbor stops the latest execution its lookup finds), so it is not sent. Rerun to plan again: the plan then stops execution ${execution.id} another way.`,
        );
    };
    calls.push({ ...route, confirm });
    byRoute.push(execution.id);
  }
  const outsideRoutes = byRoute.length > 0 ? sql` AND execution_id NOT IN (${sql.ids(byRoute)})` : sql``;
  const others = tasks.length > 0 ? await db.query(sql`SELECT id, job_id FROM task WHERE id IN (${sql.ids(tasks)})${outsideRoutes} ORDER BY id`) : [];
  const notStopped: number[] = [];
  for (const task of others) {
    const jobId = String(task.job_id ?? '');
    if (hasJobServiceDashboard(harbor) && jobId !== '') calls.push({ method: 'PUT', path: `/jobservice/jobs/${encodeURIComponent(jobId)}` });
    else notStopped.push(Number(task.id));
  }
  if (context.values['stop-queue']) {
    calls.push({ method: 'PUT', path: `/jobservice/queues/${queueOf(harbor, vendor)}`, body: { action: 'stop' } });
  }
  return { calls, notStopped, notes };
}

/** Whether Harbor's API stops each selected job, so that no jobservice restart is needed. */
const stopsEveryJob = (stop: ApiStop) => stop.calls.length > 0 && stop.notStopped.length === 0;

/** What the restart costs, and what would spare the other jobs, true for this plan. */
function restartWarning(harbor: HarborDetection, vendor: Vendor, stop: ApiStop, context: { apiGiven: boolean; asked: boolean; selectedTasks: number }): string {
  const cost = `Restarting jobservice stops every job it is running, not only these ${vendor} jobs: other scans, GC, replication and retention runs fail and must be rerun.`;
  if (stopsEveryJob(stop)) {
    return context.asked
      ? `${cost} --restart-jobservice asks for it: without it${context.apiGiven ? '' : ' and with --harbor-url'}, Harbor's API stops these jobs and jobservice is left alone.`
      : `${cost} Harbor's API can stop every one of them: rerun with --harbor-url and jobservice is not restarted, or with --no-restart.`;
  }
  const which =
    stop.notStopped.length === context.selectedTasks
      ? `these ${vendor} jobs`
      : `${stop.notStopped.length} of the ${context.selectedTasks} selected ${vendor} tasks`;
  return `${cost} ${describeHarbor(harbor)} has no API route that stops ${which} alone, so only the restart drops them; --no-restart leaves jobservice alone.`;
}

const hours = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds}s`);

export const stopStuckJobs = definePlaybook({
  name: 'stop-stuck-jobs',
  title: 'Stop stuck jobs of any kind (scan, GC, retention, ...)',
  summary:
    "Stops the executions and tasks of one vendor type (IMAGE_SCAN, SCAN_ALL, GARBAGE_COLLECTION, RETENTION, ...) that Harbor 2.2+ keeps pending/running with no update for --older-than: through Harbor's stop route or the Job Service Dashboard first when --harbor-url is given (refusing jobs jobservice still runs; Scan All's and a scan's route only when the selected run is the one Harbor would stop), then restarts jobservice and asks again unless the API stops every selected job (--restart-jobservice restarts it anyway), then marks the still stale rows stopped in one transaction that locks and re-checks them, backed up first.",
  remediates: ['stuck-jobs-scan-gc-retention'],
  flags: FLAGS,
  groups: [exclusive('restart', 'no-restart', 'restart-jobservice')],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database', 'harbor-api'],
  async plan(context) {
    const { db, harbor, values } = context;
    requireKnownClean(harbor);
    const { vendor, execution } = values;
    refuseUnsupported(harbor, vendor);
    refuseSchedules(vendor);
    refuseStopApiOptions(harbor, values);
    const olderThan = values['older-than'];
    if (execution !== undefined) await checkExecution(db, vendor, execution, olderThan);
    const statuses = values.status === 'any' ? TASK_ACTIVE : [TASK_STATUS[values.status]];
    const executions = executionScope(vendor, execution);
    const tables = staleWork(vendor, executions, { statuses, olderThanSeconds: olderThan });
    const selected: Record<string, number[]> = {};
    for (const rows of tables) selected[rows.table] = await selectIds(db, rows.table, rows.where);
    const counts = Object.fromEntries(Object.entries(selected).map(([table, ids]) => [table, ids.length]));
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const scopeName = `${vendor} ${execution === undefined ? 'executions' : `execution ${execution}`} (no update for ${hours(olderThan)})`;
    const [active] = await db.query(
      sql`SELECT count(*) AS n FROM task WHERE vendor_type = ${vendor} AND execution_id IN (SELECT id FROM execution WHERE ${executions}) AND status IN (${TASK_ACTIVE})`,
    );
    const leftAlone = Number(active?.n ?? 0) - (counts.task ?? 0);
    const findings: PlanFinding[] = [
      {
        level: total ? 'problem' : 'info',
        message: `${scopeName}: ${counts.execution} stale execution rows, ${counts.task} stale task rows`,
        data: { counts },
      },
    ];
    if (leftAlone > 0)
      findings.push({
        level: 'info',
        message: `${leftAlone} other non-final ${vendor} task rows are left alone (recent, or not in --status ${values.status}).`,
      });
    if (total === 0) return { findings, steps: [], facts: { vendor, counts } };

    const client = await context.api.harbor(2);
    const taskIds = selected.task ?? [];
    // Confirm before change: jobservice's own list of running jobs says which are alive (2.7+).
    const watched = client && hasJobServiceDashboard(harbor) ? client : undefined;
    if (watched) await refuseRunning(db, watched, taskIds);
    else
      findings.push({
        level: 'warn',
        message: `Whether jobservice still runs a job is checked only on Harbor 2.7+ with --harbor-url (the Job Service Dashboard's worker list): a long ${vendor} run can go without a status update for --older-than, so make sure the jobservice log shows it is not working before --apply.`,
      });
    // Planned without --harbor-url too: the restart warning says whether the API would spare the other jobs.
    const apiStopped = await apiStop(context, vendor, selected.execution ?? [], taskIds);
    const api = client ? { client, calls: apiStopped.calls } : undefined;
    if (client) findings.push(...apiStopped.notes.map((message) => ({ level: 'info' as const, message })));
    // A restart stops every job jobservice runs, healthy ones too: not when the API stops each selected job.
    const apiStopsAll = api !== undefined && stopsEveryJob(apiStopped);
    const restart = !values['no-restart'] && (!apiStopsAll || values['restart-jobservice']);
    if (apiStopsAll && !values['restart-jobservice'] && !values['no-restart'])
      findings.push({
        level: 'info',
        message:
          "jobservice is not restarted: Harbor's API stops every selected job, and a restart would stop every job jobservice runs. --restart-jobservice restarts it anyway.",
      });
    const stop = stopSteps(context, {
      scopeName,
      tables,
      selected,
      api,
      restart,
      restartWarning: restartWarning(harbor, vendor, apiStopped, {
        apiGiven: client !== undefined,
        asked: values['restart-jobservice'],
        selectedTasks: taskIds.length,
      }),
      confirm: watched ? () => refuseRunning(db, watched, taskIds) : undefined,
    });
    findings.push(...stop.findings);
    return { findings, steps: stop.steps, facts: { vendor, counts } };
  },
});
