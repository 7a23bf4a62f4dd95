// Every external command (docker, kubectl, psql, pg_dump, ...) runs through zx with an argv
// array, so arguments are quoted by zx and never assembled into a shell string here.
import { createReadStream, createWriteStream } from 'node:fs';
import { $ } from 'zx';
import { redact } from './secrets.ts';

export interface Command {
  argv: readonly string[];
  /** Extra environment (passwords travel here, never in argv). */
  env?: Record<string, string>;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The command as the operator would type it (for previews and the audit record). */
export function commandText(command: Command): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return redact(command.argv.map(quote).join(' '));
}

function shell(command: Command, input?: string) {
  return $({
    quiet: true,
    nothrow: true,
    input,
    env: { ...process.env, ...command.env },
  })`${command.argv}`;
}

export async function runCommand(command: Command, input?: string): Promise<CommandResult> {
  const output = await shell(command, input);
  return { stdout: output.stdout, stderr: output.stderr, exitCode: output.exitCode ?? 1 };
}

/** Runs a command and returns its stdout; a non-zero exit throws with the command's own reason. */
export async function runChecked(command: Command, input?: string): Promise<string> {
  const result = await runCommand(command, input);
  if (result.exitCode !== 0) throw new Error(commandError(command, result));
  return result.stdout;
}

/** Runs a command with files as its stdin and/or stdout (binary-safe: pg_dump -Fc, restores). */
export async function runWithFiles(command: Command, files: { stdin?: string; stdout?: string }): Promise<CommandResult> {
  const child = shell(command);
  if (files.stdin) createReadStream(files.stdin).pipe(child.stdin);
  const sink = files.stdout ? createWriteStream(files.stdout, { mode: 0o600 }) : undefined;
  if (sink) child.stdout.pipe(sink);
  const output = await child;
  if (sink) await new Promise((resolve) => (sink.writableFinished ? resolve(null) : sink.once('finish', resolve)));
  return { stdout: sink ? '' : output.stdout, stderr: output.stderr, exitCode: output.exitCode ?? 1 };
}

/** Runs a command with stdout streamed into a file. */
export function runToFile(command: Command, file: string): Promise<CommandResult> {
  return runWithFiles(command, { stdout: file });
}

export function commandError(command: Command, result: CommandResult): string {
  const why = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ');
  return redact(`${command.argv[0]} exited ${result.exitCode}: ${why || 'no output'}`);
}
