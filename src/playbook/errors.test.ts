// What an operator reads when a file, a command or an API answered something unexpected:
// the reason in words, never the text it could not read nor an engine's internals.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeError } from './errors.ts';
import { redact } from './secrets.ts';

const thrown = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

it('a JSON.parse failure on a file does not quote the file', () => {
  const error = thrown(() => JSON.parse(readFileSync('/etc/passwd', 'utf8')));
  const message = describeError(error, redact);
  expect(message).toContain('not the JSON expected');
  expect(message).not.toContain('root');
});

it('a spread of an answer that is not a list says so in words', () => {
  const answer = JSON.parse('{"repositories": 3}') as { repositories: unknown };
  const error = thrown(() => [...(answer.repositories as string[])]);
  const message = describeError(error, redact);
  expect(message).toContain('received data of an unexpected shape');
  expect(message).not.toMatch(/Spread syntax|Symbol\.iterator/);
});
