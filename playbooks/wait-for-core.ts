// Waits out the quota sync of the first Harbor 1.9/1.10 start (research sheet section 3):
// core does not listen until `[Quota-Sync]` has persisted every project, so login fails with
// "Invalid user name or password" meanwhile. Polls /api/ping (1.x) or /api/v2.0/ping, follows
// the sync's [i/N] progress in the core log where the target reaches it, estimates the rest,
// and on k8s warns when the liveness probe will kill core before the sync can finish.
import { readFileSync } from 'node:fs';
import { commandText, runCommand, type Command } from '../src/playbook/commands.ts';
import { fail } from '../src/playbook/errors.ts';
import { HARBOR_API_PARAMETERS } from '../src/playbook/harbor-api.ts';
import { ping, type PingAnswer } from '../src/playbook/harbor-ping.ts';
import { kube } from '../src/playbook/kube.ts';
import { httpUrl } from '../src/playbook/registry-client.ts';
import type { Finding, Playbook, RunContext } from '../src/playbook/types.ts';

export interface SyncState {
  done?: number;
  total?: number;
  /** When the log says so (Harbor's lines start with an ISO time): ms since epoch of the first and latest progress line. */
  firstAt?: number;
  firstDone?: number;
  lastAt?: number;
  finished: boolean;
  failure?: string;
}

const PROGRESS = /\[Quota-Sync\]::.*progress\.{0,3}\s*\[(\d+)\/(\d+)\]/;

/** What the core log says about the quota sync, from its latest lines. */
export function readSync(log: string): SyncState {
  const state: SyncState = { finished: false };
  for (const line of log.split('\n')) {
    const at = Date.parse(/^(\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(line)?.[1] ?? '');
    const match = PROGRESS.exec(line);
    if (match) {
      state.done = Number(match[1]);
      state.total = Number(match[2]);
      if (state.firstDone === undefined || state.done < state.firstDone) {
        state.firstDone = state.done;
        state.firstAt = Number.isNaN(at) ? undefined : at;
      }
      state.lastAt = Number.isNaN(at) ? undefined : at;
    }
    if (/Start to sync quota data/.test(line)) Object.assign(state, { finished: false, failure: undefined });
    if (/Success to sync quota data/.test(line)) state.finished = true;
    const failed = /(Fail to sync quota data.*|quota migration error.*)$/.exec(line);
    if (failed) state.failure = failed[1]!.trim();
  }
  return state;
}

interface Probe {
  budgetSeconds: number;
  initialDelaySeconds: number;
}

interface Deployment {
  spec?: { template?: { spec?: { containers?: { name: string; livenessProbe?: { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number } }[] } } };
}

function logCommand(context: RunContext): Command | undefined {
  if (context.target.kind === 'compose') return { argv: ['docker', 'logs', '--tail', '500', String(context.values['core-container'])] };
  if (context.target.kind === 'k8s') {
    const k = kube(context.values);
    return k.kubectl(['logs', `deploy/${k.fullname}-core`, '--tail', '500']);
  }
  return undefined;
}

async function readLog(context: RunContext, command: Command | undefined): Promise<string | undefined> {
  const file = context.values['core-log'];
  if (typeof file === 'string') {
    try {
      return readFileSync(file, 'utf8').split('\n').slice(-500).join('\n');
    } catch {
      return undefined;
    }
  }
  if (!command) return undefined;
  const result = await runCommand(command);
  // Until core's container runs there is no log to read; keep polling.
  return result.exitCode === 0 ? result.stdout + result.stderr : undefined;
}

async function livenessProbe(context: RunContext): Promise<Probe | undefined> {
  if (context.target.kind !== 'k8s') return undefined;
  const k = kube(context.values);
  const deployment = await k.getJson<Deployment>('deployment', `${k.fullname}-core`);
  const probe = deployment.spec?.template?.spec?.containers?.find((container) => container.name === 'core')?.livenessProbe;
  if (!probe) return undefined;
  const initialDelaySeconds = probe.initialDelaySeconds ?? 0;
  return { initialDelaySeconds, budgetSeconds: initialDelaySeconds + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) };
}

const answered = (answer: PingAnswer) => 'status' in answer && answer.status === 200 && /pong/i.test(answer.body);
const describe = (answer: PingAnswer) => ('error' in answer ? answer.error : `HTTP ${answer.status}`);

export const waitForCore: Playbook = {
  name: 'wait-for-core',
  title: 'Wait for core to finish the quota sync',
  summary:
    "Polls core's ping until it answers, following the [Quota-Sync] progress in the core log where the target reaches it (with an estimate of the time left); on k8s warns when the core liveness probe will kill the pod before the sync finishes and prints the change that prevents it. Stops with a clear message at --timeout.",
  remediates: ['login-fails-during-quota-migration'],
  parameters: [
    { ...HARBOR_API_PARAMETERS.find((parameter) => parameter.name === 'harbor-url')!, required: true, help: "Harbor's external URL; /api/ping (1.x) and /api/v2.0/ping need no login." },
    { name: 'timeout', type: 'duration', default: 3600, min: 1, max: 86_400, help: 'Give up after this long (a 1 TB registry took about 6 minutes; 20k tags on S3 about an hour).' },
    { name: 'interval', type: 'duration', default: 5, min: 1, max: 300, help: 'Seconds between polls.' },
    { name: 'core-container', type: 'string', default: 'harbor-core', pattern: /[\w][\w.-]*/, patternHelp: 'a container name', help: 'compose: the core container whose log (docker logs) shows the sync.' },
    { name: 'core-log', type: 'path', help: "A file with core's log on this host, e.g. /var/log/harbor/core.log (compose's syslog), instead of docker/kubectl logs." },
  ],
  targets: ['direct', 'compose', 'k8s'],
  mutates: false,
  requires: ['harbor-api'],
  async plan(context) {
    const { values, report } = context;
    const url = httpUrl(String(values['harbor-url']), '--harbor-url');
    const base = url.origin + url.pathname.replace(/\/+$/, '');
    const timeoutMs = Number(values.timeout) * 1000;
    const intervalMs = Number(values.interval) * 1000;
    const probe = await livenessProbe(context);
    const logs = logCommand(context);
    const findings: Finding[] = [];
    if (logs || values['core-log']) findings.push({ level: 'info', message: `Following the quota sync in ${typeof values['core-log'] === 'string' ? values['core-log'] : commandText(logs!)}.` });
    const started = Date.now();
    const seen: { at: number; done: number }[] = [];
    const bar = report.progress('quota sync');
    let warned = false;
    let last: PingAnswer = { error: 'not polled yet' };
    let sync: SyncState = { finished: false };
    for (;;) {
      const answers = await Promise.all([ping(base, 2), ping(base, 1)]);
      last = answers[1];
      const up = answers.find(answered);
      if (up) {
        bar.finish();
        const seconds = Math.round((Date.now() - started) / 1000);
        findings.push({ level: 'info', message: `Core answers ${answers[0] === up ? '/api/v2.0/ping' : '/api/ping'} after ${seconds} s of waiting: log in again.${sync.total ? ` The quota sync reached ${sync.done}/${sync.total} projects.` : ''}` });
        return { findings, steps: [], facts: { waitedSeconds: seconds, sync } };
      }
      const log = await readLog(context, logs);
      if (log !== undefined) {
        sync = readSync(log);
        if (sync.failure) throw fail(`the quota sync failed: "${sync.failure}". Core exits and restarts the sync; fix the cause first (for "too many clients", raise PostgreSQL max_connections). From 1.9.2, SYNC_QUOTA=false in core's environment skips the sync (rerun it later with POST /api/internal/syncquota).`);
        if (sync.done !== undefined && sync.total) {
          const now = Date.now();
          if (seen.at(-1)?.done !== sync.done) seen.push({ at: now, done: sync.done });
          bar.update(sync.done, sync.total);
          const rate = sync.firstAt !== undefined && sync.lastAt !== undefined && sync.lastAt > sync.firstAt
            ? (sync.done - sync.firstDone!) / ((sync.lastAt - sync.firstAt) / 1000)
            : seen.length > 1 ? (seen.at(-1)!.done - seen[0]!.done) / ((seen.at(-1)!.at - seen[0]!.at) / 1000) : undefined;
          const remaining = rate ? Math.round((sync.total - sync.done) / rate) : undefined;
          report.info(`quota sync: ${sync.done}/${sync.total} projects${remaining !== undefined ? `, about ${remaining} s left` : ''}`);
          if (probe && remaining !== undefined && !warned) {
            const elapsed = sync.firstAt !== undefined && sync.lastAt !== undefined ? (sync.lastAt - sync.firstAt) / 1000 : (now - seen[0]!.at) / 1000;
            const needed = Math.ceil(elapsed + remaining);
            if (needed > probe.budgetSeconds) {
              warned = true;
              const k = kube(values);
              const delay = Math.ceil((needed * 1.5) / 60) * 60;
              const patch = k.kubectl(['patch', 'deployment', `${k.fullname}-core`, '-p', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'core', livenessProbe: { initialDelaySeconds: delay } }] } } } })]);
              const warning = `the core liveness probe restarts core after about ${probe.budgetSeconds} s (initialDelaySeconds ${probe.initialDelaySeconds}), but the sync needs about ${needed} s: core will be killed and the sync starts over. Raise the delay in the chart values: helm upgrade <release> harbor/harbor --reuse-values --set core.livenessProbe.initialDelaySeconds=${delay} (or at once: ${commandText(patch)}; either restarts core, and the sync, now), or skip the sync with SYNC_QUOTA=false in core's environment (1.9.2+) and run it later with POST /api/internal/syncquota.`;
              report.warn(warning);
              findings.push({ level: 'warn', message: warning, data: { budgetSeconds: probe.budgetSeconds, neededSeconds: needed, initialDelaySeconds: delay } });
            }
          }
        }
      }
      if (Date.now() - started + intervalMs > timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    bar.finish();
    const progress = sync.total ? ` The quota sync was at ${sync.done}/${sync.total} projects; core answers only when it is done: wait longer (--timeout) and keep the liveness probe from killing it.` : logs || values['core-log'] ? ' No [Quota-Sync] progress in the core log: check that core is running and what it logs.' : ' Pass --target compose or k8s (or --core-log) to follow the sync in the core log.';
    throw fail(`core did not answer /api/ping or /api/v2.0/ping at ${base} within ${values.timeout} s (last answer: ${describe(last)}).${progress}`);
  },
};
