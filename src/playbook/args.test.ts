// Option parsing from Parameter metadata: everything malformed is refused before any I/O.
import { describe, expect, it } from 'vitest';
import { parseArguments } from './args.ts';
import { PlaybookError } from './errors.ts';
import type { Parameter } from './types.ts';

const parameters: Parameter[] = [
  { name: 'policy', type: 'integer', min: 1, group: 'scope', groupRequired: true, help: '' },
  { name: 'execution', type: 'integer', min: 1, group: 'scope', help: '' },
  { name: 'harbor-version', type: 'version', help: '' },
  { name: 'apply', type: 'boolean', default: false, help: '' },
  { name: 'target', type: 'enum', choices: ['compose', 'k8s', 'direct'], help: '' },
  { name: 'namespace', type: 'string', default: 'default', pattern: /[a-z0-9-]+/, help: '' },
  { name: 'timeout', type: 'duration', help: '' },
];

const refusal = (argv: string[]) => {
  try {
    parseArguments(parameters, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(PlaybookError);
    return { code: (error as PlaybookError).exitCode, message: (error as Error).message };
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseArguments', () => {
  it('converts values, applies defaults and records what was given', () => {
    const parsed = parseArguments(parameters, ['--policy=8', '--apply', '--harbor-version', 'v1.8', '--timeout', '5m']);
    expect(parsed.values).toEqual({ policy: 8, apply: true, 'harbor-version': '1.8.0', namespace: 'default', timeout: 300 });
    expect([...parsed.given].sort()).toEqual(['apply', 'harbor-version', 'policy', 'timeout']);
  });

  it.each([
    [['--policy', '8; drop table project'], /whole number/],
    [['--policy', '-1'], /whole number/],
    [['--policy', '0'], /at least 1/],
    [['--policy', '1', '--execution', '2'], /only one of/],
    [[], /give one of --policy or --execution/],
    [['--policy', '1', '--policy', '2'], /given twice/],
    [['--policy'], /needs a value/],
    [['--policy', '1', '--target', 'swarm'], /one of compose, k8s, direct/],
    [['--policy', '1', '--namespace', 'Bad NS'], /must be/],
    [['--policy', '1', '--harbor-version', 'latest'], /Harbor release/],
    [['--policy', '1', '--apply=maybe'], /takes no value/],
    [['--policy', '1', '--bogus'], /unknown option --bogus/],
    [['policy'], /unexpected argument/],
  ])('refuses %j', (argv, message) => {
    const { code, message: text } = refusal(argv);
    expect(code).toBe(2);
    expect(text).toMatch(message);
  });
});
