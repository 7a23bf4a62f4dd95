// Streams between a command and a file, on real commands and the kernel's own full device:
// a dump that cannot be written ends with a clean error and no partial file; a command that
// stops reading its input early does not crash the run.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runWithFiles } from './commands.ts';
import { PlaybookError } from '../errors.ts';
import { runCli } from '../../../test/support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'hkb-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('ENOSPC while writing a dump: a clean failure (exit 1) and the incomplete file removed', async () => {
  // /dev/full answers every write with ENOSPC, as a full disk does; the dump path is a link to it.
  const dump = join(dir, 'registry.dump');
  symlinkSync('/dev/full', dump);
  const error = await runWithFiles({ argv: ['head', '-c', String(4 * 1024 * 1024), '/dev/zero'] }, { stdout: dump }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PlaybookError);
  expect((error as PlaybookError).exitCode).toBe(1);
  expect((error as Error).message).toBe(`cannot write ${dump}: no space left on the device`);
  expect(existsSync(dump)).toBe(false);
});

it('EPIPE: a command that exits without reading all of its input reports its own exit, nothing crashes', async () => {
  const input = join(dir, 'big.sql');
  writeFileSync(input, Buffer.alloc(8 * 1024 * 1024, 'x'));
  const result = await runWithFiles({ argv: ['sh', '-c', 'head -c 10 >/dev/null; exit 3'] }, { stdin: input });
  expect(result.exitCode).toBe(3);
});

it('a password sent as the first stdin line (kubectl exec passes no environment) reaches the command before a streamed file, never its argv', async () => {
  const dump = join(dir, 'dump.sql');
  writeFileSync(dump, 'SELECT 1;\n');
  const out = join(dir, 'seen.txt');
  const wrapped = ['sh', '-c', 'IFS= read -r MYSQL_PWD && export MYSQL_PWD && exec "$@"', 'sh', 'sh', '-c', 'printf "%s|" "$MYSQL_PWD"; cat'];
  const result = await runWithFiles({ argv: wrapped, stdinPrefix: 'p@ss word\n' }, { stdin: dump, stdout: out });
  expect(result.exitCode).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe('p@ss word|SELECT 1;\n');
  expect(wrapped.join(' ')).not.toContain('p@ss');
});

it('a command that cannot be started says why (here: no bash on PATH, which zx runs every command through), not "exited 1: no output"', async () => {
  const emptyPath = mkdtempSync(join(dir, 'no-bin-'));
  const result = await runCli(['run', 'schema-doctor', '--target', 'compose'], { env: { PATH: emptyPath } });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('cannot start docker: harbor-kb runs commands through bash, and there is no bash on PATH');
  expect(result.stderr).not.toMatch(/no output|check --db-container|quote function/);
});
