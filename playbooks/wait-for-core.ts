// Waits out the quota sync of the first Harbor 1.9/1.10 start (content/issues/en/login-fails-during-quota-migration.mdx):
// core does not listen until `[Quota-Sync]` has persisted every project, so login fails with
// "Invalid user name or password" meanwhile. Polls /api/ping (1.x) or /api/v2.0/ping, follows
// the sync's [i/N] progress in the core log where the target reaches it, estimates the rest,
// and on k8s warns when the liveness probe will kill core before the sync can finish.
// The sync walks the projects twice, each pass counting [i/N] from 0 (Migrator.Persist, then
// persistPB, src/core/api/quota/registry/registry.go in v1.9.0 through v1.10.18).
import { closeSync, constants, fstatSync, openSync, readSync as readFd } from 'node:fs';
import { commandText, runProcess, type Command } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { duration, path, url } from '../src/playbook/flags.ts';
import { CORE_CONTAINER_FLAGS } from '../src/playbook/platform/targets.ts';
import { ping, type PingAnswer } from '../src/playbook/http/harbor-ping.ts';
import { httpUrl } from '../src/playbook/http/registry-api.ts';
import type { Kube } from '../src/playbook/platform/kube.ts';
import type { PlanFinding } from '../src/playbook/types.ts';
import { firstDeployment, type Deployment } from './shared/deployment-env.ts';

export interface SyncState {
  /** 1: artifact&blob rows per project; 2: project&blob rows per project. Each counts to `total`. */
  pass?: 1 | 2;
  done?: number;
  total?: number;
  /** When the log says so (Harbor's lines start with an ISO time): ms since epoch of the first and latest progress line of this pass. */
  firstAt?: number;
  firstDone?: number;
  lastAt?: number;
  /** ms since epoch of "Start to sync quota data" (or the first progress line): what the liveness probe counts from, near enough. */
  startedAt?: number;
  finished: boolean;
  failure?: string;
}

const PROGRESS = /\[Quota-Sync\]:: (start|success) to persist (artifact|project)&blob for project: .*progress\.{0,3}\s*\[(\d+)\/(\d+)\]/;

/** What the core log says about the quota sync, from its latest lines, continuing `state`. */
export function readSync(log: string, state: SyncState = { finished: false }): SyncState {
  const next = { ...state };
  for (const line of log.split('\n')) {
    const at = Date.parse(/^(\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(line)?.[1] ?? '');
    const match = PROGRESS.exec(line);
    if (match) {
      const pass = match[2] === 'artifact' ? 1 : 2;
      // [i/N] counts from 0: "start ... [i/N]" has i projects done, "success ... [i/N]" i + 1.
      const done = Number(match[3]) + (match[1] === 'success' ? 1 : 0);
      if (next.pass !== pass) Object.assign(next, { pass, firstDone: undefined, firstAt: undefined });
      next.done = done;
      next.total = Number(match[4]);
      if (next.firstDone === undefined || done < next.firstDone) {
        next.firstDone = done;
        next.firstAt = Number.isNaN(at) ? undefined : at;
      }
      next.lastAt = Number.isNaN(at) ? undefined : at;
      next.startedAt ??= next.firstAt;
    }
    if (/Start to sync quota data/.test(line)) {
      Object.assign(next, {
        finished: false,
        failure: undefined,
        pass: undefined,
        done: undefined,
        total: undefined,
        firstDone: undefined,
        firstAt: undefined,
        lastAt: undefined,
        startedAt: Number.isNaN(at) ? undefined : at,
      });
    }
    if (/Success to sync quota data/.test(line)) next.finished = true;
    const failed = /(Fail to sync quota data.*|quota migration error.*)$/.exec(line);
    if (failed) next.failure = failed[1]!.trim();
  }
  return next;
}

/** At most this much of --core-log is read per poll: the latest lines are what counts. */
const READ_LIMIT = 1 << 20;

/**
 * Follows a log file from where the last poll stopped, never reading more than READ_LIMIT at a
 * time: a log that grows faster is skipped ahead to its end, one that shrank (rotated) restarts.
 */
export class LogFile {
  private offset: number | undefined;
  private partial = '';

  readonly path: string;

  constructor(path: string) {
    this.path = path;
    let fd: number;
    try {
      fd = LogFile.open(path);
    } catch (error) {
      throw refuse(`--core-log ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const regular = fstatSync(fd).isFile();
    closeSync(fd);
    if (!regular)
      throw refuse(
        `--core-log ${path} is not a regular file (a device or FIFO never ends, a directory is no log): pass the file core logs to, e.g. /var/log/harbor/core.log`,
      );
  }

  /** Non-blocking, so a FIFO put in the log's place cannot stall the poll. */
  private static open(path: string): number {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  }

  /** The complete lines added since the last call (the latest READ_LIMIT bytes at most). */
  readNew(): string | undefined {
    let fd: number;
    try {
      fd = LogFile.open(this.path);
    } catch {
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return undefined;
      const size = stat.size;
      if (this.offset === undefined || size < this.offset) this.offset = Math.max(0, size - READ_LIMIT);
      if (size - this.offset > READ_LIMIT) {
        this.offset = size - READ_LIMIT;
        this.partial = '';
      }
      const buffer = Buffer.alloc(Math.min(size - this.offset, READ_LIMIT));
      const read = buffer.length ? readFd(fd, buffer, 0, buffer.length, this.offset) : 0;
      this.offset += read;
      const text = this.partial + buffer.subarray(0, read).toString('utf8');
      const end = text.lastIndexOf('\n');
      // A line longer than the limit is no progress line: drop it rather than hold it.
      this.partial = end === -1 ? (text.length > READ_LIMIT ? '' : text) : text.slice(end + 1).slice(-READ_LIMIT);
      return end === -1 ? '' : text.slice(0, end);
    } finally {
      closeSync(fd);
    }
  }
}

interface Probe {
  budgetSeconds: number;
  initialDelaySeconds: number;
}

const FLAGS = {
  'harbor-url': url({
    required: true,
    help: "Harbor's external URL; /api/ping (1.x) and /api/v2.0/ping need no login.",
    example: 'https://harbor.example.com',
  }),
  timeout: duration({
    default: 3600,
    min: 1,
    max: 86_400,
    help: 'Give up after this long (a 1 TB registry took about 6 minutes; 20k tags on S3 about an hour).',
  }),
  interval: duration({ default: 5, min: 1, max: 300, help: 'Seconds between polls.' }),
  ...CORE_CONTAINER_FLAGS,
  'core-log': path({ help: "A file with core's log on this host, e.g. /var/log/harbor/core.log (compose's syslog), instead of docker/kubectl logs." }),
};

/** docker logs of a container whose logging driver keeps no copy (Harbor's compose files use syslog). */
const UNREADABLE_DRIVER = /does not support reading|command is supported only for/;

/** What the latest poll of the log says, or why the log cannot be read. */
type LogRead = { sync: SyncState } | { unreadable: string } | undefined;

async function readLog(command: Command | undefined, file: LogFile | undefined, sync: SyncState): Promise<LogRead> {
  if (file) {
    const text = file.readNew();
    return text === undefined ? undefined : { sync: readSync(text, sync) };
  }
  if (!command) return undefined;
  const result = await runProcess(command);
  if (result.exitCode === 0) return { sync: readSync(result.stdout + result.stderr) };
  if (UNREADABLE_DRIVER.test(result.stderr + result.stdout)) return { unreadable: (result.stderr || result.stdout).trim() };
  // Until core's container runs there is no log to read; keep polling.
  return undefined;
}

/**
 * The core deployment's names on k8s. The quota sync is Harbor 1.9/1.10, charts 1.2.x/1.3.x, which
 * name it <release>-harbor-core (the pre-1.7.0 fullname rule, harbor-helm templates/_helpers.tpl at
 * v1.2.0): that name first, then the 1.7.0+ rule's (a release named "harbor": harbor-core), unless --fullname says.
 */
const coreDeploymentNames = (k: Kube) => [...new Set([`${k.legacyFullname}-core`, `${k.fullname}-core`])];

function livenessProbe(deployment: Deployment): Probe | undefined {
  const probe = deployment.containers.find((container) => container.name === 'core')?.livenessProbe;
  if (!probe) return undefined;
  const initialDelaySeconds = probe.initialDelaySeconds ?? 0;
  return { initialDelaySeconds, budgetSeconds: initialDelaySeconds + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) };
}

const answered = (answer: PingAnswer) => 'status' in answer && answer.status === 200 && /pong/i.test(answer.body);
const describeAnswer = (answer: PingAnswer) => ('error' in answer ? answer.error : `HTTP ${answer.status}`);

export const waitForCore = definePlaybook({
  name: 'wait-for-core',
  title: 'Wait for core to finish the quota sync',
  summary:
    "Polls core's ping until it answers, following the two [Quota-Sync] passes in the core log where the target reaches it (with an estimate of the time left in each); on k8s warns when the core liveness probe will kill the pod before the sync finishes and prints the change that prevents it. Stops with a clear message at --timeout.",
  remediates: ['login-fails-during-quota-migration'],
  flags: FLAGS,
  targets: ['direct', 'compose', 'k8s'],
  mutates: false,
  requires: ['harbor-api', 'kubernetes'],
  async plan(context) {
    const { values, report } = context;
    const harborUrl = httpUrl(values['harbor-url'], '--harbor-url');
    const base = harborUrl.origin + harborUrl.pathname.replace(/\/+$/, '');
    const timeoutMs = values.timeout * 1000;
    const intervalMs = values.interval * 1000;
    const k = context.kube;
    const core = k && (await firstDeployment(k, coreDeploymentNames(k)));
    const probe = core && livenessProbe(core);
    const file = values['core-log'] === undefined ? undefined : new LogFile(values['core-log']);
    // On k8s the log of the deployment found above, whichever fullname rule named it.
    const logs = file ? undefined : k && core ? k.kubectl(['logs', `deploy/${core.name}`, '--tail', '500']) : context.target.logs('core', 500);
    const findings: PlanFinding[] = [];
    if (logs || file) findings.push({ level: 'info', message: `Following the quota sync in ${file ? file.path : commandText(logs!)}.` });
    const started = Date.now();
    let seen: { at: number; done: number }[] = [];
    let firstSeen: number | undefined;
    const bar = report.progress('quota sync');
    let warned = false;
    let unreadable: string | undefined;
    let last: PingAnswer = { error: 'not polled yet' };
    let sync: SyncState = { finished: false };
    const where = () => (sync.total ? `pass ${sync.pass} of 2, ${sync.done}/${sync.total} projects` : '');
    for (;;) {
      // A ping that hangs may not outlast --timeout: each waits at most the time that is left (and 5 s).
      const pingMs = Math.max(1, Math.min(5_000, timeoutMs - (Date.now() - started)));
      const answers = await Promise.all([ping(base, 2, pingMs), ping(base, 1, pingMs)]);
      last = answers[1];
      const up = answers.find(answered);
      if (up) {
        bar.finish();
        const seconds = Math.round((Date.now() - started) / 1000);
        findings.push({
          level: 'info',
          message: `Core answers ${answers[0] === up ? '/api/v2.0/ping' : '/api/ping'} after ${seconds} s of waiting: log in again.${sync.total ? ` The quota sync reached ${where()}.` : ''}`,
        });
        return { findings, steps: [], facts: { waitedSeconds: seconds, sync } };
      }
      const log = unreadable ? undefined : await readLog(logs, file, sync);
      if (log && 'unreadable' in log) {
        unreadable = `${commandText(logs!)} cannot read core's log ("${log.unreadable}"): its logging driver keeps no copy. Harbor's docker-compose.yml sends core's log to syslog, which Docker before 20.10 (or with its dual-logging cache off) cannot read back. Pass --core-log /var/log/harbor/core.log (the log location in harbor.yml) to follow the sync.`;
        report.warn(unreadable);
        findings.push({ level: 'warn', message: unreadable });
      } else if (log) {
        const pass = sync.pass;
        sync = log.sync;
        if (sync.failure)
          throw fail(
            `the quota sync failed: "${sync.failure}". Core exits and restarts the sync; fix the cause first (for "too many clients", raise PostgreSQL max_connections). From 1.9.2, SYNC_QUOTA=false in core's environment skips the sync (rerun it later with POST /api/internal/syncquota).`,
          );
        if (sync.done !== undefined && sync.total) {
          const now = Date.now();
          // Each pass counts from 0 again: its rate says nothing about the other's.
          if (sync.pass !== pass) seen = [];
          if (seen.at(-1)?.done !== sync.done) seen.push({ at: now, done: sync.done });
          firstSeen ??= now;
          bar.update((sync.pass === 2 ? sync.total : 0) + sync.done, 2 * sync.total);
          const rate =
            sync.firstAt !== undefined && sync.lastAt !== undefined && sync.lastAt > sync.firstAt
              ? (sync.done - sync.firstDone!) / ((sync.lastAt - sync.firstAt) / 1000)
              : seen.length > 1
                ? (seen.at(-1)!.done - seen[0]!.done) / ((seen.at(-1)!.at - seen[0]!.at) / 1000)
                : undefined;
          const remaining = rate ? Math.round((sync.total - sync.done) / rate) : undefined;
          report.info(`quota sync ${where()}${remaining !== undefined ? `, about ${remaining} s left in this pass` : ''}`);
          if (probe && k && core && remaining !== undefined && !warned) {
            const elapsed = sync.startedAt !== undefined && sync.lastAt !== undefined ? (sync.lastAt - sync.startedAt) / 1000 : (now - firstSeen) / 1000;
            const needed = Math.ceil(elapsed + remaining);
            if (needed > probe.budgetSeconds) {
              warned = true;
              // In pass 1 the second pass is still ahead: allow as long again.
              const delay = Math.ceil((needed * (sync.pass === 1 ? 2 : 1) * 1.5) / 60) * 60;
              const patch = k.kubectl([
                'patch',
                'deployment',
                core.name,
                '-p',
                JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'core', livenessProbe: { initialDelaySeconds: delay } }] } } } }),
              ]);
              const warning = `the core liveness probe restarts core after about ${probe.budgetSeconds} s (initialDelaySeconds ${probe.initialDelaySeconds}), but the sync needs about ${needed} s${sync.pass === 1 ? ' for the first of its two passes alone' : ''}: core will be killed and the sync starts over. Raise the delay to ${delay} s. Charts v1.1.4–v1.1.6 and v1.2.1–v1.4.x have the value: helm upgrade <release> harbor/harbor --reuse-values --set core.livenessProbe.initialDelaySeconds=${delay}. Charts up to v1.1.3 and v1.2.0 hard-code 20 s, so --set does nothing there: patch the deployment (${commandText(patch)}; the next helm upgrade undoes it) or move to chart v1.2.1+. Either way core, and the sync, restart now. Or skip the sync with SYNC_QUOTA=false in core's environment (1.9.2+) and run it later with POST /api/internal/syncquota.`;
              report.warn(warning);
              findings.push({
                level: 'warn',
                message: warning,
                data: { budgetSeconds: probe.budgetSeconds, neededSeconds: needed, initialDelaySeconds: delay },
              });
            }
          }
        }
      }
      if (Date.now() - started + intervalMs > timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    bar.finish();
    const progress = sync.total
      ? ` The quota sync was at ${where()}; core answers only when it is done: wait longer (--timeout) and keep the liveness probe from killing it.`
      : unreadable
        ? ` ${unreadable}`
        : logs || file
          ? ' No [Quota-Sync] progress in the core log: check that core is running and what it logs.'
          : ' Pass --target compose or k8s (or --core-log) to follow the sync in the core log.';
    throw fail(`core did not answer /api/ping or /api/v2.0/ping at ${base} within ${values.timeout} s (last answer: ${describeAnswer(last)}).${progress}`);
  },
});
