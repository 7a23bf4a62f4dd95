// Passwords come from the URL, PGPASSWORD / MYSQL_PWD, or a prompt; they are never
// required on the command line, and every message that could carry one goes through redact().
import { createInterface } from 'node:readline';
import type { Engine } from './sql.ts';

const knownSecrets = new Set<string>();

/** Remember a secret so redact() removes it from any text, however it got there. */
export function registerSecret(secret: string | undefined): void {
  if (secret) knownSecrets.add(secret);
}

/** Removes URL credentials and every registered secret from text meant for output. */
export function redact(text: string): string {
  let result = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(:[^/@\s]*)?@/gi, (_, scheme: string, user: string) => `${scheme}${user}:***@`);
  for (const secret of knownSecrets) {
    result = result.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) result = result.split(encoded).join('***');
  }
  return result;
}

export function passwordEnvName(engine: Engine): 'PGPASSWORD' | 'MYSQL_PWD' {
  return engine === 'postgresql' ? 'PGPASSWORD' : 'MYSQL_PWD';
}

/** Asks on the terminal without echo; undefined when there is no terminal to ask on. */
export async function promptSecret(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write(question);
  output._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/** URL password, else the engine's environment variable, else a prompt (if interactive). */
export async function resolvePassword(engine: Engine, fromUrl: string | undefined, who: string): Promise<string | undefined> {
  const password = fromUrl || process.env[passwordEnvName(engine)] || (await promptSecret(`Password for ${who}: `));
  registerSecret(password);
  return password;
}
