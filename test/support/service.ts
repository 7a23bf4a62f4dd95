// A long-running program a test starts and stops (Harbor's core, jobservice, ...): output
// appended to its own log file, ready when a probe says so, and a clear error with the log's
// tail when it dies or never gets ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';

export interface ServiceSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (the tests run as root), e.g. the registry as Harbor's image runs it, 10000:10000. */
  user?: { uid: number; gid: number };
  /** Where stdout and stderr go (appended across restarts). */
  log: string;
  /** True once the service answers. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface Service {
  name: string;
  log: string;
  /** Starts it and waits until ready; throws (with the log's tail) if it exits first. */
  start(): Promise<void>;
  /** Starts it without waiting: for a start that is expected to fail. */
  spawn(): void;
  /** Resolves with the exit code once the current process has exited. */
  exited(): Promise<number | null>;
  running(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** The log text written since `offset` (a byte offset from logSize()). */
  logSince(offset: number): string;
  logSize(): number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function defineService(spec: ServiceSpec): Service {
  let child: ChildProcess | undefined;
  let exit: Promise<number | null> = Promise.resolve(null);
  /** Why the program could not be started at all (e.g. not installed). */
  let spawnError: Error | undefined;
  const size = () => {
    try {
      return statSync(spec.log).size;
    } catch {
      return 0;
    }
  };
  const since = (offset: number) => {
    try {
      return readFileSync(spec.log).subarray(offset).toString('utf8');
    } catch {
      return '';
    }
  };
  const running = () => child !== undefined && !spawnError && child.exitCode === null && child.signalCode === null;
  const launch = () => {
    if (running()) throw new Error(`${spec.name} is already running`);
    spawnError = undefined;
    const fd = openSync(spec.log, 'a');
    try {
      child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, stdio: ['ignore', fd, fd], ...spec.user });
    } finally {
      closeSync(fd);
    }
    const current = child;
    exit = new Promise((resolve) => {
      current.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
      current.once('error', (error) => {
        spawnError = error;
        resolve(-1);
      });
    });
  };
  const service: Service = {
    name: spec.name,
    log: spec.log,
    spawn: launch,
    exited: () => exit,
    running,
    logSince: since,
    logSize: size,
    async start() {
      const offset = size();
      launch();
      const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
      while (!(await spec.ready().catch(() => false))) {
        if (spawnError) throw new Error(`cannot start ${spec.name} (${spec.command}): ${spawnError.message}`);
        if (!running()) throw new Error(`${spec.name} exited during start-up (${spec.log}):\n${tail(since(offset))}`);
        if (Date.now() > deadline) throw new Error(`${spec.name} did not get ready (${spec.log}):\n${tail(since(offset))}`);
        await pause(100);
      }
    },
    async stop(graceMs = 10_000) {
      if (!running()) return;
      child!.kill('SIGTERM');
      const done = await Promise.race([exit.then(() => true), pause(graceMs).then(() => false)]);
      if (!done) await service.kill();
    },
    async kill() {
      if (!running()) return;
      child!.kill('SIGKILL');
      await exit;
    },
  };
  return service;
}

/** A probe for `ready`: the URL answers with one of `statuses`. */
export function answers(url: string, statuses: readonly number[] = [200], init?: RequestInit): () => Promise<boolean> {
  return async () => {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return statuses.includes(response.status);
  };
}

/** Polls `check` until it returns something truthy; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await pause(200);
  }
}
