// What the operator sees: plain text on stdout (or nothing but the JSON result with --json),
// and a spinner / progress bar on stderr only when stderr is a terminal.
import { redact } from '../secrets.ts';

export interface Progress {
  /** Advance a bar (`total` known) or a counter. */
  update(done: number, total?: number): void;
  finish(message?: string): void;
}

export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** Runs `task` with a spinner labelled `label`. */
  spin<T>(label: string, task: () => Promise<T>): Promise<T>;
  progress(label: string): Progress;
}

/**
 * Control characters shown as escapes: a repository, file or container name can carry
 * terminal escape sequences, which must be printed, not obeyed.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createReporter(json: boolean, stream: NodeJS.WriteStream = process.stderr): Reporter {
  const live = !json && stream.isTTY === true;
  const print = (line: string) => {
    if (!json) process.stdout.write(printable(redact(line)) + '\n');
  };
  const draw = (text: string) => stream.write(`\r\x1b[2K${printable(redact(text))}`);
  return {
    info: print,
    warn: (message) => print(`warning: ${message}`),
    async spin(label, task) {
      if (!live) return task();
      let frame = 0;
      const timer = setInterval(() => draw(`${FRAMES[frame++ % FRAMES.length]} ${label}`), 80);
      try {
        return await task();
      } finally {
        clearInterval(timer);
        draw('');
        stream.write('\r');
      }
    },
    progress(label) {
      return {
        update(done, total) {
          if (!live) return;
          if (total) {
            const width = 30;
            const filled = Math.round((Math.min(done, total) / total) * width);
            draw(`${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
          } else draw(`${label} ${done}`);
        },
        finish(message) {
          if (live) draw('');
          if (live) stream.write('\r');
          if (message) print(message);
        },
      };
    },
  };
}
