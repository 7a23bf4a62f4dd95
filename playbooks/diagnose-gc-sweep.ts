// Diagnoses a garbage collection that failed at its sweep (content/issues/en/gc-sweep-deleteblob-failure.mdx)
// and, with --apply, puts blob rows stuck in a delete state where the next GC can take them again.
//
// What Harbor does, from its source (goharbor/harbor at v2.1.0 and v2.15.2, the same in between):
// - src/pkg/blob/models/blob.go StatusMap: a blob goes to `delete` only from none/delete/deletefailed,
//   to `deleting` only from delete, to `deletefailed` only from deleting.
// - src/jobservice/job/impl/gc/garbage_collection.go mark: every unreferenced blob older than the time
//   window is set to `delete`; for a blob in `deleting` that update changes no row, and the job logs
//   "no blob found to mark gc candidate, skip it": a blob left in `deleting` is never swept again.
// - sweep: DeleteBlob errors that are "not found" are ignored (ignoreNotFound, gc/util.go) and
//   registryctl answers 404 for a blob whose data is gone (registryctl/api/base.go HandleError), so
//   a `deletefailed` blob whose data is gone has its row removed by the next GC.
// - src/server/middleware/blob/head_blob.go: a HEAD of a blob in `deleting` for longer than the window
//   moves it to `deletefailed` itself; a blob in `deletefailed` is answered 404 so clients upload it again.
// So the repair: `deleting` (older than the window) or `deletefailed` rows whose data is still in the
// storage go back to `none` (the blob is intact; the next GC marks it again if nothing references it);
// `deleting` rows whose data is gone go to `deletefailed`, as Harbor's own HEAD handler would, so the
// next GC removes the row. No row is deleted: removing rows is GC's job, and a row some artifact still
// references (project_blob) must stay so a push can restore the data.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { backupRows } from '../src/playbook/run/backup.ts';
import { commandError, runProcess } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { isSecretName } from '../src/playbook/secrets.ts';
import { duration, integer, path } from '../src/playbook/flags.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { checkIsRegistry, presentBlobs, registryStorage, STORAGE_FLAGS, type RegistryStorage } from '../src/playbook/storage/registry-storage.ts';
import { sql, toText, type Database, type Engine, type RowGuard, type Sql } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext, Step } from '../src/playbook/types.ts';
import { runsHarborsOwnGc } from './shared/harbor-gc.ts';

const PAGE = '/issues/gc-sweep-deleteblob-failure/';
const SECTION = {
  firstFailure: `${PAGE}#1-find-the-first-failing-blob-and-the-storage-error`,
  count: `${PAGE}#2-count-the-blobs-waiting-in-each-delete-state`,
  storage: `${PAGE}#3-check-one-failing-blob-in-the-storage`,
  rerun: `${PAGE}#4-fix-the-storage-cause-then-run-gc-again`,
  stuck: `${PAGE}#5-only-if-blobs-stay-in-deleting-with-no-gc-running`,
  missing: '/issues/gc-removed-referenced-blobs/#fix',
};

/** 0050_2.2.0 moved GC runs from admin_job to execution/task. */
const EXECUTION_SCHEMA = 50;

// ---------------------------------------------------------------------------------------------
// The GC job log

/** What one log line says about a blob GC could not delete. */
export interface SweepFailure {
  digest?: string;
  /** The releases whose GC writes this line. */
  releases: string;
  /** The blob status printed in the line (deletefailed once Harbor marked it, deleting before). */
  status?: string;
  error: string;
  /** registryctl's reason (the storage driver's error), when its log was read too. */
  storageError?: string;
}

const DIGEST = 'sha256:[0-9a-f]{64}';
// 2.1-2.4 wrap the error (errors.Wrapf "...: %s, %s" then ": cause"); the sweep returns it and the job ends.
const WRAPPED = new RegExp(`failed to delete blob from storage: (${DIGEST}), (\\w+): (.*)$`);
// 2.5+ log each failure and go on ("..., %s, errMsg=%v"); 2.8 prefixes [i/N], 2.9+ [uuid][i/N].
const LOGGED = new RegExp(`failed to delete blob from storage: (${DIGEST}), (\\w+), errMsg=(.*)$`);
// Retries carry no digest: 2.3.1-2.3.x "retry after 1s : <err>", 2.4+ "error: <err>, will retry again after: 1s".
const RETRY_23 = /failed to exec DeleteBlob retry after \S+ : (.*)$/;
const RETRY_24 = /failed to exec DeleteBlob, error: (.*), will retry again after: \S+$/;
const REGISTRYCTL = new RegExp(`failed to remove blob: (${DIGEST}), with error:(.*)$`);

export interface LogReading {
  failures: SweepFailure[];
  /** Retry lines by release range and error text: they name no blob. */
  retries: Map<string, { releases: string; error: string; count: number }>;
  sweepAborted: boolean;
}

/**
 * A storage driver's error may quote its configuration as YAML or JSON (`secretkey: …`,
 * `"accountkey":"…"`). The runner masks `NAME=value` and JSON fields in every line it prints, but
 * not `name: value`, which its own messages use as prose ("no password: set PGPASSWORD"). Text
 * from the log is no prose of ours: there a secret's name before a colon masks what follows.
 */
const NAME_COLON = /(["']?)([A-Za-z_][\w.-]*)\1\s*:\s*/g;
/** A value after the colon: quoted, or up to a space or a delimiter (`map[secretkey:…]`, `{…, …}`). */
const CONFIG_VALUE = /^(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;"'}\]]+)/;

function maskConfigSecrets(text: string): string {
  let masked = '';
  let from = 0;
  // Only a secret's value is skipped, so a secret named right after another name's colon (`s3aws: secretkey: …`) is seen too.
  for (const match of text.matchAll(NAME_COLON)) {
    if (match.index < from || !isSecretName(match[2] ?? '')) continue;
    const start = match.index + match[0].length;
    const value = CONFIG_VALUE.exec(text.slice(start))?.[0];
    if (!value) continue;
    const quote = /^["']/.test(value) ? value.charAt(0) : '';
    masked += `${text.slice(from, start)}${quote}***${quote}`;
    from = start + value.length;
  }
  return masked + text.slice(from);
}

/** A piece of the log as findings quote it: secrets in configuration form masked, at most 240 characters. */
const short = (text: string) => {
  const masked = maskConfigSecrets(text);
  return (masked.length > 240 ? `${masked.slice(0, 240)}…` : masked).trim();
};

/** The DeleteBlob failures a GC (or jobservice/registryctl) log shows, one per blob. */
export function readSweepLog(text: string): LogReading {
  const byDigest = new Map<string, SweepFailure>();
  const storageErrors = new Map<string, string>();
  const retries = new Map<string, { releases: string; error: string; count: number }>();
  let sweepAborted = false;
  for (const line of text.split('\n')) {
    if (line.includes('failed to execute GC job at sweep phase')) sweepAborted = true;
    let match = LOGGED.exec(line);
    if (match) byDigest.set(match[1]!, { digest: match[1]!, releases: '2.5+', status: match[2]!, error: short(match[3]!) });
    else if ((match = WRAPPED.exec(line))) byDigest.set(match[1]!, { digest: match[1]!, releases: '2.1–2.4', status: match[2]!, error: short(match[3]!) });
    const newer = RETRY_24.exec(line);
    const retry = newer ?? RETRY_23.exec(line);
    if (retry) {
      const releases = newer ? '2.4+' : '2.3.1–2.3.x';
      const error = short(retry[1]!);
      const key = `${releases} ${error}`;
      retries.set(key, { releases, error, count: (retries.get(key)?.count ?? 0) + 1 });
    }
    if ((match = REGISTRYCTL.exec(line))) storageErrors.set(match[1]!, short(match[2]!));
  }
  for (const [digest, error] of storageErrors) {
    const failure = byDigest.get(digest);
    if (failure) failure.storageError = error;
    else byDigest.set(digest, { digest, releases: 'registryctl', error: `registryctl: ${error}`, storageError: error });
  }
  return { failures: [...byDigest.values()], retries, sweepAborted };
}

/** At most this much of the end of --gc-log is read: the failures of one run are near its end. */
const LOG_LIMIT = 16 << 20;

/** The last LOG_LIMIT bytes of a regular file (a FIFO or device would never end). */
function readLogTail(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(`--gc-log ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse(`--gc-log ${file} is not a regular file: pass the GC job's log saved to a file, or jobservice's log`);
    const length = Math.min(stat.size, LOG_LIMIT);
    const buffer = Buffer.alloc(length);
    const read = length ? readSync(fd, buffer, 0, length, stat.size - length) : 0;
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// The blob rows

/** One blob row in a delete state, as the plan read it. */
interface StuckBlob {
  id: number;
  digest: string;
  status: string;
  version: number;
  size: number;
  /** Older than the GC time window: a sweep that is still alive would have finished with it. */
  settled: boolean;
  /** A project_blob row refers to it: an artifact of that project uses it. */
  referenced: boolean;
  /** Its data file is in the storage; undefined when the storage was not given. */
  present?: boolean;
}

const DELETE_STATES = ['delete', 'deleting', 'deletefailed'];
/** Findings name at most this many blobs one by one (a failed sweep of a large store leaves hundreds of thousands). */
const LISTED = 200;

async function readStuckBlobs(db: Database, windowSeconds: number): Promise<StuckBlob[]> {
  const rows = await db.query(sql`SELECT b.id, b.digest, b.status, b.version, b.size,
       CASE WHEN b.update_time <= now() - ${windowSeconds} * interval '1 second' THEN 1 ELSE 0 END AS settled,
       CASE WHEN EXISTS (SELECT 1 FROM project_blob pb WHERE pb.blob_id = b.id) THEN 1 ELSE 0 END AS referenced
  FROM blob b WHERE b.status IN (${DELETE_STATES}) ORDER BY b.id`);
  return rows.map((row) => ({
    id: Number(row.id),
    digest: String(row.digest),
    status: String(row.status),
    version: Number(row.version),
    size: Number(row.size),
    settled: Number(row.settled) === 1,
    referenced: Number(row.referenced) === 1,
  }));
}

/**
 * GC runs that are not over: 2.1 keeps them in admin_job (IMAGE_GC), 2.2+ in execution/task.
 * In admin_job a manual run is a Generic row of its own; a schedule is one Periodic row whose
 * status each scheduled run sets (the admin job hook writes the run's status to the schedule's
 * row, src/core/service/notifications/admin/handler.go): running while it runs, scheduled between runs.
 */
async function runningGc(db: Database, harbor: HarborDetection): Promise<string[]> {
  if ((harbor.schemaVersion ?? 0) < EXECUTION_SCHEMA) {
    const rows = await db.query(
      sql`SELECT id, status FROM admin_job WHERE job_name = 'IMAGE_GC' AND deleted = false
   AND ((job_kind = 'Generic' AND status IN ('pending', 'running', 'scheduled')) OR (job_kind = 'Periodic' AND status = 'running')) ORDER BY id`,
    );
    return rows.map((row) => `admin_job ${row.id} (${row.status})`);
  }
  const rows = await db.query(sql`SELECT e.id, e.status FROM execution e WHERE e.vendor_type = 'GARBAGE_COLLECTION'
   AND (e.status = 'Running' OR EXISTS (SELECT 1 FROM task t WHERE t.execution_id = e.id AND t.status IN ('Pending', 'Scheduled', 'Running'))) ORDER BY e.id`);
  return rows.map((row) => `execution ${row.id} (${row.status || 'no status yet'})`);
}

/** A repair: the rows that go from one state to another, and why. */
interface Repair {
  from: readonly string[];
  to: 'none' | 'deletefailed';
  /** Whether the blob's data must be in the storage (true) or gone (false) when the change is made. */
  present: boolean;
  blobs: StuckBlob[];
  why: string;
}

function planRepairs(blobs: readonly StuckBlob[]): Repair[] {
  const settled = (blob: StuckBlob) => blob.status === 'deletefailed' || (blob.status === 'deleting' && blob.settled);
  return [
    {
      from: ['deleting', 'deletefailed'],
      to: 'none' as const,
      present: true,
      blobs: blobs.filter((blob) => blob.present === true && settled(blob)),
      why: 'the data is still in the storage, so the blob is intact: back to none, and the next GC marks it again if nothing references it',
    },
    {
      from: ['deleting'],
      to: 'deletefailed' as const,
      present: false,
      blobs: blobs.filter((blob) => blob.present === false && blob.status === 'deleting' && blob.settled),
      why: "the data is gone: deletefailed, as Harbor's own HEAD handler does after the time window, so the next GC removes the row (registryctl answers 404, which GC ignores)",
    },
  ].filter((repair) => repair.blobs.length > 0);
}

/** (id, version) pairs as literal SQL: only safe integers reach the text. */
function idVersionPairs(blobs: readonly StuckBlob[]): Sql {
  if (!blobs.every((blob) => Number.isSafeInteger(blob.id) && Number.isSafeInteger(blob.version))) throw refuse('blob ids and versions must be integers');
  return sql.raw(blobs.map((blob) => `(${blob.id}, ${blob.version})`).join(', '));
}

/**
 * The row as the plan read it: same status and version (Harbor bumps version on every status
 * change), and a row in deleting still there for longer than the window.
 */
function unchangedSince(repair: Repair, windowSeconds: number): Sql {
  return sql`status IN (${repair.from}) AND (id, version) IN (${idVersionPairs(repair.blobs)}) AND (status <> 'deleting' OR update_time <= now() - ${windowSeconds} * interval '1 second')`;
}

const BACKUP_COLUMNS = sql.raw(`id, digest, status, version, to_char(update_time, 'YYYY-MM-DD HH24:MI:SS.US') AS update_time`);

/** One UPDATE per row that puts status, version and update_time back as the backup holds them. */
function restoreStatements(rows: readonly Record<string, unknown>[], engine: Engine): string[] {
  return rows.map(
    (row) =>
      `${toText(
        sql`UPDATE blob SET status = ${String(row.status)}, version = ${Number(row.version)}, update_time = ${String(row.update_time)} WHERE id = ${Number(row.id)}`,
        engine,
      )};`,
  );
}

const FLAGS = {
  'gc-log': path({
    help: "The failed GC run's log on this host (Garbage Collection → History → Logs, or GET /api/v2.0/system/gc/<id>/log, saved to a file) or jobservice's log; append registryctl's log to the same file (cat gc.log registryctl.log > both.log) to see the storage's reason per blob. Only the last 16 MiB are read.",
    example: './gc-42.log',
  }),
  'log-lines': integer({
    default: 5000,
    min: 0,
    max: 1_000_000,
    help: "compose/k8s: how many of jobservice's latest log lines to read (docker logs / kubectl logs); 0 reads none.",
  }),
  ...STORAGE_FLAGS,
  'registry-storage': path({
    help: "The registry's filesystem storage root (direct: on this host, e.g. /data/registry; compose/k8s: inside the registry container, /storage). Without it the blobs are not checked in the storage and --apply is refused.",
    example: '/data/registry',
  }),
  'time-window': duration({
    default: 7200,
    min: 0,
    max: 30 * 86_400,
    help: "Harbor's GC time window (GC_TIME_WINDOW_HOURS, 2 hours by default): a blob in deleting is touched only once it has been there this long.",
  }),
};
type Context = RunContext<typeof FLAGS, 'database'>;

async function readLogs(context: Context, findings: PlanFinding[]): Promise<LogReading | undefined> {
  const texts: string[] = [];
  const file = context.values['gc-log'];
  if (file) texts.push(readLogTail(file));
  const lines = context.values['log-lines'];
  const command = lines > 0 ? context.target.logs('jobservice', lines) : undefined;
  if (command) {
    const result = await runProcess(command);
    if (result.exitCode === 0) texts.push(result.stdout + result.stderr);
    else
      findings.push({
        level: 'warn',
        message: `jobservice's log could not be read (${commandError(command, result)}); Harbor's compose file logs through syslog: pass the GC log with --gc-log`,
      });
  }
  return texts.length ? readSweepLog(texts.join('\n')) : undefined;
}

function logFindings(reading: LogReading, blobs: ReadonlyMap<string, StuckBlob>): PlanFinding[] {
  const findings: PlanFinding[] = [];
  if (reading.sweepAborted)
    findings.push({
      level: 'problem',
      message: `the GC job ended at its sweep phase (Harbor 2.1–2.4 stop at the first failing blob) — see ${SECTION.firstFailure}`,
    });
  for (const failure of reading.failures.slice(0, LISTED)) {
    const row = failure.digest ? blobs.get(failure.digest) : undefined;
    const now = row ? `its row is ${row.status} now` : 'no row in a delete state now';
    const reason = failure.storageError ? `; the storage said: ${failure.storageError}` : '';
    findings.push({
      level: 'problem',
      message: `GC could not delete ${failure.digest} (Harbor ${failure.releases} line, ${failure.status ?? 'status not logged'}: ${failure.error}${reason}); ${now} — see ${SECTION.firstFailure}`,
      data: { ...failure },
    });
  }
  if (reading.failures.length > LISTED)
    findings.push({
      level: 'info',
      message: `${reading.failures.length - LISTED} more failed blobs in the log are not listed one by one; --json lists every one in facts.logFailures`,
    });
  for (const retry of reading.retries.values())
    findings.push({
      level: 'warn',
      message: `DeleteBlob was retried ${retry.count} time(s) (Harbor ${retry.releases} line): ${retry.error} — see ${SECTION.firstFailure}`,
    });
  if (reading.failures.length === 0 && reading.retries.size === 0 && !reading.sweepAborted)
    findings.push({ level: 'info', message: 'the log shows no DeleteBlob failure' });
  return findings;
}

function blobFinding(blob: StuckBlob, windowSeconds: number): PlanFinding {
  const where = blob.present === undefined ? 'storage not checked' : blob.present ? 'data still in the storage' : 'data gone from the storage';
  const use = blob.referenced ? ', still referenced by a project (project_blob)' : '';
  let next: string;
  if (blob.status === 'delete') next = `the next GC sweeps it again — see ${SECTION.rerun}`;
  else if (blob.status === 'deleting' && !blob.settled)
    next = `in deleting for less than the time window (${windowSeconds / 3600} h): a GC may still be sweeping it, left alone — see ${SECTION.stuck}`;
  else if (blob.present === undefined) next = `give --registry-storage to decide — see ${SECTION.storage}`;
  else if (blob.present) next = `--apply sets it back to none — see ${SECTION.stuck}`;
  else if (blob.status === 'deleting') next = `--apply sets it to deletefailed so the next GC removes the row — see ${SECTION.stuck}`;
  else next = `the next GC removes the row (registryctl answers 404, which GC ignores) — see ${SECTION.rerun}`;
  const missing = blob.referenced && blob.present === false ? ` An artifact still uses this blob: push it again — see ${SECTION.missing}` : '';
  return {
    level: blob.status === 'delete' ? 'warn' : 'problem',
    message: `blob ${blob.id} ${blob.digest} is ${blob.status} (${where}${use}): ${next}${missing}`,
    data: { ...blob },
  };
}

function summary(blobs: readonly StuckBlob[]): PlanFinding {
  const counts = Object.fromEntries(DELETE_STATES.map((status) => [status, blobs.filter((blob) => blob.status === status).length]));
  return {
    level: blobs.length ? 'warn' : 'info',
    message: `blob rows in a delete state: ${DELETE_STATES.map((status) => `${counts[status]} ${status}`).join(', ')} — see ${SECTION.count}`,
    data: { counts },
  };
}

async function checkStorage(storage: RegistryStorage, blobs: StuckBlob[], context: Context): Promise<void> {
  const present = await context.report.spin(`checking ${blobs.length} blobs in ${storage.description}`, () =>
    presentBlobs(
      storage,
      blobs.map((blob) => blob.digest),
    ),
  );
  for (const blob of blobs) blob.present = present.has(blob.digest);
}

function repairStep(context: Context, storage: RegistryStorage, repairs: Repair[]): Step {
  const { db, harbor } = context;
  const windowSeconds = context.values['time-window'];
  const guards: RowGuard[] = repairs.map((repair) => ({
    table: 'blob',
    ids: repair.blobs.map((blob) => blob.id),
    still: unchangedSince(repair, windowSeconds),
  }));
  const updates = repairs.map(
    (repair) =>
      sql`UPDATE blob SET status = ${repair.to}, version = version + 1, update_time = now() WHERE id IN (${sql.ids(repair.blobs.map((blob) => blob.id))}) AND ${unchangedSince(repair, windowSeconds)}`,
  );
  const all = repairs.flatMap((repair) => repair.blobs);
  return {
    description: `put ${all.length} stuck blob rows where the next GC takes them again (one transaction; each blob is checked in the storage again and its row locked and re-read first)`,
    preview: [
      `# right before: no GC running, and each blob's data file still ${repairs.map((repair) => `${repair.present ? 'present' : 'absent'} for the ${repair.to} rows`).join(', ')} (test -f in ${storage.description})`,
      ...guards.map(
        (guard) => `${toText(sql`SELECT id FROM blob WHERE id IN (${sql.ids(guard.ids)}) FOR UPDATE`, db.engine)};  -- refused if any changed since the plan`,
      ),
      ...updates.map((update, index) => `${toText(update, db.engine)};  -- ${repairs[index]!.why}`),
    ],
    expected: all.length,
    async backup() {
      const path = context.backupPath('blob-rows', 'json');
      const record = await backupRows(db, path, {
        blob: sql`SELECT ${BACKUP_COLUMNS} FROM blob WHERE id IN (${sql.ids(all.map((blob) => blob.id))}) ORDER BY id`,
      });
      const rows = (JSON.parse(readFileSync(record.path, 'utf8')) as { tables: { blob: Record<string, unknown>[] } }).tables.blob;
      return { ...record, restore: [`# in the database, to put the rows back as ${record.path} holds them:`, ...restoreStatements(rows, db.engine)] };
    },
    async execute() {
      const present = await presentBlobs(
        storage,
        all.map((blob) => blob.digest),
      );
      const moved = repairs.flatMap((repair) => repair.blobs.filter((blob) => present.has(blob.digest) !== repair.present));
      if (moved.length)
        throw refuse(
          `${moved.length} blob(s) changed in the storage since the plan (${moved.map((blob) => blob.digest).join(', ')}); nothing changed. Rerun to plan again`,
        );
      // Last before the transaction: a storage check of many blobs takes a while, and a GC may start meanwhile.
      const running = await runningGc(db, harbor);
      if (running.length) throw refuse(`a garbage collection is running (${running.join(', ')}); nothing changed. Let it finish or stop it, then rerun`);
      const changed = await db.transaction(updates, { guards });
      return {
        changed: changed.reduce((sum, n) => sum + n, 0),
        detail: repairs.map((repair, index) => `${changed[index]} rows set to ${repair.to}`).join(', '),
      };
    },
    async verify() {
      const rows = await db.query(sql`SELECT id, status FROM blob WHERE id IN (${sql.ids(all.map((blob) => blob.id))})`);
      const status = new Map(rows.map((row) => [Number(row.id), String(row.status)]));
      for (const repair of repairs) {
        const off = repair.blobs.filter((blob) => status.get(blob.id) !== repair.to);
        if (off.length) throw fail(`${off.length} row(s) meant to be ${repair.to} are not (ids ${off.map((blob) => blob.id).join(', ')})`);
      }
      return `${all.length} rows are in their new state; the next GC run that starts more than the time window from now takes the unreferenced ones`;
    },
  };
}

export const diagnoseGcSweep = definePlaybook({
  name: 'diagnose-gc-sweep',
  title: 'Diagnose a GC that failed at the sweep phase',
  summary:
    "Reads the GC job log for DeleteBlob failures (2.1–2.4, 2.3.1+ retries, 2.5+ lines), lists the blob rows in delete, deleting and deletefailed and checks each blob's data in the registry storage. With --apply, when no GC runs: rows in deleting (older than the GC time window) or deletefailed whose data is still there go back to none, rows in deleting whose data is gone to deletefailed, so the next GC takes them again (backed up, re-checked, one transaction).",
  remediates: ['gc-sweep-deleteblob-failure'],
  flags: FLAGS,
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const { db, harbor } = context;
    requireKnownClean(harbor);
    if (!runsHarborsOwnGc(harbor))
      throw refuse(
        `this playbook is for Harbor 2.1 and later (its own GC and the blob.status column of migration 0040_2.1.0); this database is ${harbor.releases}`,
      );
    const windowSeconds = context.values['time-window'];
    const findings: PlanFinding[] = [];
    const reading = await readLogs(context, findings);
    const blobs = await readStuckBlobs(db, windowSeconds);
    const root = context.values['registry-storage'];
    const storage = root ? registryStorage(context.target, { 'registry-storage': root }) : undefined;
    if (storage) {
      await checkIsRegistry(storage);
      await checkStorage(storage, blobs, context);
    }
    if (reading) findings.push(...logFindings(reading, new Map(blobs.map((blob) => [blob.digest, blob]))));
    findings.push(summary(blobs));
    for (const blob of blobs.slice(0, LISTED)) findings.push(blobFinding(blob, windowSeconds));
    if (blobs.length > LISTED)
      findings.push({
        level: 'info',
        message: `${blobs.length - LISTED} more blob rows in a delete state are not listed one by one; --json lists every one in facts.blobs`,
      });
    const running = await runningGc(db, harbor);
    if (running.length)
      findings.push({
        level: 'warn',
        message: `a garbage collection is running (${running.join(', ')}): rows it is sweeping are not stuck — see ${SECTION.stuck}`,
      });
    const facts = { blobs, logFailures: reading?.failures ?? [], runningGc: running };
    if (!storage) {
      if (context.apply && blobs.some((blob) => blob.status !== 'delete'))
        throw refuse('--apply needs --registry-storage: each blob is checked in the storage before its row changes');
      return { findings, steps: [], facts };
    }
    const repairs = planRepairs(blobs);
    if (repairs.length === 0) return { findings, steps: [], facts };
    if (running.length && context.apply) throw refuse(`a garbage collection is running (${running.join(', ')}); nothing changed. Let it finish, then rerun`);
    return { findings, steps: [repairStep(context, storage, repairs)], facts };
  },
});
