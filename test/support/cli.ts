// Runs the real CLI (bin/harbor-kb.mjs) in a child process, as an operator would: the one way
// tests run it (runCli, or runCliSync where a test feeds stdin and waits with a time limit).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${REPO_ROOT}bin/harbor-kb.mjs`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called with the child once it runs (e.g. to interfere with it). */
  onSpawn?: (child: ChildProcess) => void;
}

/** This process's environment with `extra` over it; an undefined value removes the variable. */
function childEnv(extra: CliOptions['env']): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

/** Runs `node <script> ...args`; the default script is the harbor-kb CLI. */
export function runNode(script: string, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = childEnv(options.env);
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runNode(CLI, args, options);
}

/**
 * The CLI, and `printed`, which settles once its stdout holds `text` (any output for '') or it has
 * ended: a test changes what the run sees after the run saw the state before, never after a
 * guessed delay, which a loaded machine outlasts before the CLI has even started.
 */
export function runCliUntilPrinted(args: readonly string[], options: Omit<CliOptions, 'onSpawn'>, text: string) {
  let stdout = '';
  let seen: () => void = () => {};
  const printed = new Promise<void>((resolve) => (seen = resolve));
  const run = runCli(args, {
    ...options,
    onSpawn: (child) =>
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes(text)) seen();
      }),
  });
  return { run, printed: Promise.race([printed, run.then(() => undefined)]) };
}

/**
 * The CLI with `input` on stdin, waited for synchronously; after `timeoutMs` it is killed and
 * the result has code -1 (a CLI that blocks fails the test instead of hanging it).
 */
export function runCliSync(
  args: readonly string[],
  options: Pick<CliOptions, 'env' | 'cwd'> & { input?: string | Buffer; timeoutMs?: number } = {},
): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
