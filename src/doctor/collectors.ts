/**
 * Where `harbor-kb doctor --compose` and `--k8s` find Harbor's logs. Command lines
 * are built with zx templates (each value one argument, never a shell string), and
 * output is streamed, never kept: zx is given a store that discards.
 *
 * - compose: the harbor-log files (/var/log/harbor/*.log) when there are any, since
 *   the compose file sends every container's output to the syslog driver, where
 *   `docker logs` cannot read it; otherwise `docker logs` of each Harbor container.
 * - k8s: `kubectl logs` of every container of the release's pods (label release=R,app=harbor).
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessPromise } from 'zx';
import { COMPOSE_LOG_CONTAINERS } from '../lib/harbor/compose-containers.ts';
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
/** zx is loaded only when a collector runs: reading files does not pay for it. */
const zx = async () => (await import('zx')).$;
const streaming = ($: Awaited<ReturnType<typeof zx>>) => $({ quiet: true, nothrow: true, store: { stdout: discard(), stderr: discard(), stdall: discard() } });

/** `--since` in whole seconds, a form docker and kubectl both accept. */
const sinceArgs = (flag: string, sinceMs: number | undefined) => (sinceMs === undefined ? [] : [`${flag}=${Math.ceil(sinceMs / 1000)}s`]);

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
  const $ = await zx();
  const ps = await $({ quiet: true, nothrow: true })`docker ps --all --format ${'{{.Names}}'}`;
  if (ps.exitCode !== 0) throw new LogInputError(`no log files in ${dir}, and docker ps failed (exit ${ps.exitCode}): ${ps.stderr.trim()}`);
  const running = new Set(ps.stdout.split('\n').map((line) => line.trim()));
  const containers = COMPOSE_LOG_CONTAINERS.filter((name) => running.has(name));
  if (containers.length === 0)
    throw new LogInputError(`no log files in ${dir} and no Harbor containers (${COMPOSE_LOG_CONTAINERS.slice(0, 3).join(', ')}, ...) in docker ps`);
  return {
    sources: containers.map((name) =>
      commandSource(
        name,
        () => streaming($)`docker logs --timestamps ${sinceArgs('--since', options.sinceMs)} ${name}`,
        `docker logs ${name} (Harbor's compose file sends logs to harbor-log: point --log-dir at its *.log files if ${dir} is not where they are)`,
      ),
    ),
  };
}

/** Every container of the Helm release's pods. */
export async function k8sSources(options: { namespace: string; release: string; sinceMs?: number }): Promise<LogSource[]> {
  const { namespace, release } = options;
  const $ = await zx();
  const get = await $({ quiet: true, nothrow: true })`kubectl -n ${namespace} get pods -l ${`release=${release},app=harbor`} -o name`;
  if (get.exitCode !== 0) throw new LogInputError(`kubectl get pods failed (exit ${get.exitCode}): ${get.stderr.trim()}`);
  const pods = get.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (pods.length === 0) throw new LogInputError(`no pods with labels release=${release},app=harbor in namespace ${namespace}`);
  return pods.map((pod) =>
    commandSource(
      pod.replace(/^pod\//, ''),
      () => streaming($)`kubectl -n ${namespace} logs ${pod} --all-containers=true --timestamps=true ${sinceArgs('--since', options.sinceMs)}`,
      `kubectl logs ${pod}`,
    ),
  );
}
