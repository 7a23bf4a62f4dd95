// Runs a command on a pseudo-terminal (util-linux `script`), answering prompts as they
// appear: the way to test interactive password prompts and confirmations.
import { spawn } from 'node:child_process';

export interface TerminalResult {
  code: number;
  /** Everything the terminal showed (program output plus any echo). */
  screen: string;
}

export function runOnTerminal(
  argv: readonly string[],
  answers: readonly {
    when: string;
    type: string /** Runs when the prompt is up, before the answer is typed (e.g. to change what the run will re-check). */;
    before?: () => void;
  }[],
  env: Record<string, string | undefined> = {},
): Promise<TerminalResult> {
  const quoted = argv.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const merged = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', quoted, '/dev/null'], { env: merged, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let next = 0;
    const onData = (chunk: Buffer) => {
      screen += chunk.toString();
      const answer = answers[next];
      if (answer && screen.includes(answer.when)) {
        next++;
        answer.before?.();
        // Type only once the prompt is up, as a person would.
        setTimeout(() => child.stdin.write(answer.type + '\r'), 100);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen }));
  });
}
