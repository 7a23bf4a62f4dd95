// Every external command (docker, kubectl, psql, pg_dump, ...) runs through zx with an argv
// array, so arguments are quoted by zx and never assembled into a shell string here.
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import type { ProcessOutput } from 'zx';
import { fail } from '../errors.ts';
import { redact } from '../secrets.ts';

export interface Command {
  argv: readonly string[];
  /** Extra environment (passwords travel here, never in argv). */
  env?: Record<string, string>;
  /** Text fed to the command's stdin before any other input (a secret that must not be in argv). */
  stdinPrefix?: string;
  /** The command is stopped after this long and reported as not answering. */
  timeoutMs?: number;
  /**
   * runWithFiles: the command is stopped (and reported as timed out) once neither its input file
   * nor its output has moved for this long, e.g. pg_dump or psql on a server that stopped answering.
   */
  stallTimeoutMs?: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Stopped by `timeoutMs`. */
  timedOut?: boolean;
  /** The command never started, and why (commandError says this instead of an exit status). */
  notStarted?: string;
}

/** The command as the operator would type it (for previews and the audit record). */
export function commandText(command: Command): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return redact(command.argv.map(quote).join(' '));
}

/**
 * Starts a command; `input` (after the command's stdinPrefix) is its whole stdin, or 'stream' when
 * the caller writes it. zx is loaded on the first command: loading it costs a CLI start about
 * 0.05 s of CPU, and many runs (--help, a refusal, most of the direct target's) start no command.
 */
async function shell(command: Command, input?: string | 'stream') {
  const { $ } = await import('zx');
  const whole =
    input === 'stream' ? undefined : command.stdinPrefix !== undefined || input !== undefined ? (command.stdinPrefix ?? '') + (input ?? '') : undefined;
  const child = $({
    quiet: true,
    nothrow: true,
    input: whole,
    env: { ...process.env, ...command.env },
  })`${command.argv}`;
  let timedOut = false;
  const timer =
    command.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void child.kill('SIGKILL').catch(() => {});
        }, command.timeoutMs);
  return { child, timedOut: () => timedOut, done: () => clearTimeout(timer) };
}

export async function runProcess(command: Command, input?: string): Promise<CommandResult> {
  const run = await shell(command, input);
  try {
    const output = await run.child;
    return resultOf(command, output, { stdout: output.stdout, timedOut: run.timedOut() });
  } finally {
    run.done();
  }
}

/** Runs a command and returns its stdout; a non-zero exit throws with the command's own reason. */
export async function runChecked(command: Command, input?: string): Promise<string> {
  const result = await runProcess(command, input);
  if (result.exitCode !== 0) throw new Error(commandError(command, result));
  return result.stdout;
}

/**
 * Runs a command with files as its stdin and/or stdout (binary-safe: pg_dump -Fc, restores).
 * A failure to write the output file (ENOSPC) stops the command and removes the incomplete
 * file; a command that stops reading its input early (EPIPE) is reported by its own exit.
 */
export async function runWithFiles(command: Command, files: { stdin?: string; stdout?: string }): Promise<CommandResult> {
  const { child } = await shell(command, files.stdin ? 'stream' : undefined);
  const stall = stallWatch(command.stallTimeoutMs, () => void child.kill('SIGKILL').catch(() => {}));
  // Only a watched command gets listeners: the others stream exactly as before.
  if (command.stallTimeoutMs !== undefined) child.stdout.on('data', stall.moved);
  let streamError: Error | undefined;
  const failed = (what: string) => (error: NodeJS.ErrnoException) => {
    streamError ??= fail(`${what}: ${error.code === 'ENOSPC' ? 'no space left on the device' : error.message}`);
    void child.kill('SIGKILL').catch(() => {});
  };
  if (files.stdin) {
    const source = createReadStream(files.stdin);
    source.on('error', failed(`cannot read ${files.stdin}`));
    if (command.stallTimeoutMs !== undefined) source.on('data', stall.moved);
    // EPIPE: the command exited without reading everything; its exit status says why.
    child.stdin.on('error', () => {});
    if (command.stdinPrefix) child.stdin.write(command.stdinPrefix);
    source.pipe(child.stdin);
  }
  const sink = files.stdout ? createWriteStream(files.stdout, { mode: 0o600 }) : undefined;
  if (sink) {
    sink.on('error', failed(`cannot write ${files.stdout}`));
    child.stdout.pipe(sink);
  }
  const output = await child.finally(stall.stop);
  // The dump file is complete only once the sink has flushed it (or was torn down by an error).
  if (sink && !streamError && !sink.writableFinished && !sink.destroyed)
    await new Promise((resolve) => {
      sink.once('finish', resolve);
      sink.once('close', resolve);
    });
  if (streamError) {
    if (files.stdout) rmSync(files.stdout, { force: true });
    throw streamError;
  }
  return resultOf(command, output, { stdout: sink ? '' : output.stdout, timedOut: stall.stalled() });
}

/** Calls `stopIt` once `moved` has not been called for `limitMs` (never when there is no limit). */
function stallWatch(limitMs: number | undefined, stopIt: () => void) {
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const moved = () => {
    if (limitMs === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      stopIt();
    }, limitMs);
  };
  moved();
  return { moved, stalled: () => stalled, stop: () => clearTimeout(timer) };
}

/** Runs a command with stdout streamed into a file. */
export function runToFile(command: Command, file: string): Promise<CommandResult> {
  return runWithFiles(command, { stdout: file });
}

/**
 * What a finished command returns. zx reports a command that could not be started as an exit
 * with neither a code nor a signal, the reason in its cause; without `notStarted` it read as
 * "exited 1: no output".
 */
function resultOf(command: Command, output: ProcessOutput, { stdout, timedOut }: { stdout: string; timedOut: boolean }): CommandResult {
  const result: CommandResult = { stdout, stderr: output.stderr, exitCode: output.exitCode ?? 1, ...(timedOut ? { timedOut: true } : {}) };
  if (output.exitCode !== null || output.signal !== null) return result;
  const cause = output.cause instanceof Error ? output.cause.message : output.message;
  // zx runs every command through bash; without one it has no way to quote the arguments.
  const why = /no quote function/i.test(cause)
    ? 'harbor-kb runs commands through bash, and there is no bash on PATH'
    : (cause.split('\n')[0] ?? 'unknown reason');
  return { ...result, notStarted: `cannot start ${command.argv[0]}: ${why}` };
}

export function commandError(command: Command, result: CommandResult): string {
  if (result.notStarted) return redact(result.notStarted);
  const why = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ');
  return redact(`${command.argv[0]} exited ${result.exitCode}: ${why || 'no output'}`);
}
