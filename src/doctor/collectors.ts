/**
 * Where `harbor-kb doctor --compose` and `--k8s` find Harbor's logs. The commands come
 * from the playbooks' Target (src/playbook/platform/targets.ts), so container names and
 * what --namespace/--release select are decided in one place; output is streamed, never
 * kept: zx is given a store that discards.
 *
 * - compose: the harbor-log files (/var/log/harbor/*.log) when there are any, since
 *   the compose file sends every container's output to the syslog driver, where
 *   `docker logs` cannot read it; otherwise `docker logs` of each Harbor container.
 * - k8s: `kubectl logs` of every container of the release's pods (harbor-helm labels them
 *   release=R,app=harbor).
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessPromise } from 'zx';
import type { Command } from '../playbook/platform/commands.ts';
import type { Target, TargetKind } from '../playbook/platform/targets.ts';
import { LogInputError } from './read-log.ts';

/** One command's log: its name in the report; `open` starts the command. */
export interface LogSource {
  name: string;
  open(): {
    /** stdout and stderr: read both at once, or the command blocks on a full pipe. */
    streams: AsyncIterable<Buffer>[];
    /** Resolves once the command ended; rejects with its failure. */
    done: Promise<void>;
  };
}

export const DEFAULT_COMPOSE_LOG_DIR = '/var/log/harbor';

const discard = () => Object.assign([] as (string | Buffer)[], { push: () => 0 });
/** zx and the target are loaded only when a collector runs: reading files does not pay for them. */
const zx = async () => (await import('zx')).$;
const streaming = ($: Awaited<ReturnType<typeof zx>>) => $({ quiet: true, nothrow: true, store: { stdout: discard(), stderr: discard(), stdall: discard() } });

/** The placement-only target (no database) the playbooks build from the same options. */
async function placement(kind: TargetKind, options: { namespace?: string; release?: string }): Promise<Target> {
  const { resolveTarget } = await import('../playbook/platform/targets.ts');
  return resolveTarget({ target: kind, ...options }, new Set(Object.keys(options)), [kind], false);
}

/** The parts of the install that keep a log, by the target's own listing; `failed` and `none` say what went wrong. */
async function listParts(
  target: Target,
  failed: (why: string) => string,
  none: (wanted: string) => string,
): Promise<{ $: Awaited<ReturnType<typeof zx>>; parts: string[] }> {
  const parts = target.logParts();
  if (!parts) throw new Error(`the ${target.kind} target has no logs to list`);
  const $ = await zx();
  const listed = await $({ quiet: true, nothrow: true })`${parts.list.argv}`;
  if (listed.exitCode !== 0) throw new LogInputError(failed(`(exit ${listed.exitCode}): ${listed.stderr.trim()}`));
  const names = parts.select(listed.stdout);
  if (names.length === 0) throw new LogInputError(none(parts.wanted));
  return { $, parts: names };
}

/** One part's log as the target reads it (`--since` in whole seconds). */
function partLog(target: Target, part: string, sinceMs: number | undefined): Command {
  const command = target.partLog(part, sinceMs === undefined ? undefined : Math.ceil(sinceMs / 1000));
  if (!command) throw new Error(`the ${target.kind} target has no logs to read`);
  return command;
}

async function ended(child: ProcessPromise, what: string): Promise<void> {
  const output = await child;
  if (output.exitCode !== 0) throw new LogInputError(`${what} failed (exit ${output.exitCode})`);
}

function commandSource(name: string, start: () => ProcessPromise, what: string): LogSource {
  return {
    name,
    open() {
      const child = start();
      return { streams: [child.stdout, child.stderr] as AsyncIterable<Buffer>[], done: ended(child, what) };
    },
  };
}

const isRegularFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The compose install's logs: harbor-log files if present, else the containers' own logs. */
export async function composeSources(options: { logDir?: string; sinceMs?: number }): Promise<{ files: string[] } | { sources: LogSource[] }> {
  const dir = options.logDir ?? DEFAULT_COMPOSE_LOG_DIR;
  // Regular files only: a named pipe or device among them would block the scan.
  const files = await readdir(dir).then(
    (names) =>
      names
        .filter((name) => (name.endsWith('.log') || name.endsWith('.log.gz')) && isRegularFile(join(dir, name)))
        .sort()
        .map((name) => join(dir, name)),
    () => [],
  );
  if (files.length > 0) return { files };
  const target = await placement('compose', {});
  const { $, parts } = await listParts(
    target,
    (why) => `no log files in ${dir}, and docker ps failed ${why}`,
    (wanted) => `no log files in ${dir} and no ${wanted}`,
  );
  return {
    sources: parts.map((name) =>
      commandSource(
        name,
        () => streaming($)`${partLog(target, name, options.sinceMs).argv}`,
        `docker logs ${name} (Harbor's compose file sends logs to harbor-log: point --log-dir at its *.log files if ${dir} is not where they are)`,
      ),
    ),
  };
}

/** Every container of the Helm release's pods. */
export async function k8sSources(options: { namespace: string; release: string; sinceMs?: number }): Promise<LogSource[]> {
  const target = await placement('k8s', { namespace: options.namespace, release: options.release });
  const { $, parts } = await listParts(
    target,
    (why) => `kubectl get pods failed ${why}`,
    (wanted) => `no ${wanted}`,
  );
  return parts.map((pod) => commandSource(pod, () => streaming($)`${partLog(target, pod, options.sinceMs).argv}`, `kubectl logs pod/${pod}`));
}
