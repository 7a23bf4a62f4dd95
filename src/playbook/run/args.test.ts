// Option parsing from flag schemas: everything malformed is refused before any I/O.
import { describe, expect, it } from 'vitest';
import { commandLine as playbookCommandLine, parseArguments } from './args.ts';
import { definePlaybook } from '../define.ts';
import { resolveTarget } from '../platform/targets.ts';
import { PlaybookError } from '../errors.ts';
import { boolean, describeParameters, duration, enumeration, exactlyOne, integer, text, version } from '../flags.ts';

const commandLine = {
  flags: {
    policy: integer({ min: 1, help: '' }),
    execution: integer({ min: 1, help: '' }),
    'harbor-version': version({ help: '' }),
    apply: boolean({ help: '' }),
    target: enumeration(['compose', 'k8s', 'direct'], { help: '' }),
    namespace: text({ default: 'default', pattern: /[a-z0-9-]+/, help: '' }),
    timeout: duration({ help: '' }),
    'older-than': duration({ min: 3600, max: 31536000, help: '' }),
    interval: duration({ min: 90, help: '' }),
  },
  groups: [exactlyOne('scope', 'policy', 'execution')],
};

const refusal = (argv: string[]) => {
  try {
    parseArguments(commandLine, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(PlaybookError);
    return { code: (error as PlaybookError).exitCode, message: (error as Error).message };
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseArguments', () => {
  it('converts values, applies defaults and records what was given', () => {
    const parsed = parseArguments(commandLine, ['--policy=8', '--apply', '--harbor-version', 'v1.8', '--timeout', '5m']);
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
    [['--policy', '1', '--timeout', '2d'], /--timeout must be a whole number of seconds \(or 5m, 1h\)/],
    [['--policy', '1', '--timeout', '9'.repeat(30)], /--timeout must be a whole number of seconds/],
    // A duration's bounds are said in the largest unit that writes them whole, as it may be typed.
    [['--policy', '1', '--older-than', '59m'], /--older-than must be at least 1h, got "59m"/],
    [['--policy', '1', '--older-than', '9000h'], /--older-than must be at most 8760h, got "9000h"/],
    [['--policy', '1', '--interval', '1m'], /--interval must be at least 90s, got "1m"/],
    [['--policy', '1', '--apply=maybe'], /takes no value/],
    [['--policy', '1', '--bogus'], /unknown option --bogus/],
    [['policy'], /unexpected argument/],
  ])('refuses %j', (argv, message) => {
    const { code, message: text } = refusal(argv);
    expect(code).toBe(2);
    expect(text).toMatch(message);
  });
});

describe('a target the playbook does not support', () => {
  const composeOnly = definePlaybook({
    name: 'compose-only',
    title: 'compose only',
    summary: '',
    remediates: [],
    flags: {},
    targets: ['compose'],
    targetNote: 'the chart has no such container',
    mutates: true,
    requires: [],
    plan: async () => ({ findings: [], steps: [] }),
  });

  it("is refused with exit 2 and the playbook's reason, not as an unknown option", async () => {
    const parsed = parseArguments(playbookCommandLine(composeOnly), ['--target', 'k8s']);
    const refused = await resolveTarget(parsed.values, parsed.given, composeOnly.targets, false, composeOnly.targetNote).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlaybookError);
    expect((refused as PlaybookError).exitCode).toBe(2);
    expect((refused as PlaybookError).message).toBe('this playbook does not support the k8s target (supported: compose): the chart has no such container');
  });

  it('--help says which target and why', () => {
    const help = describeParameters(playbookCommandLine(composeOnly).flags, []).find((parameter) => parameter.name === 'target');
    expect(help?.help).toBe('Where Harbor runs: compose only for this playbook: the chart has no such container.');
  });

  it('is accepted when it names the one target', async () => {
    const parsed = parseArguments(playbookCommandLine(composeOnly), ['--target', 'compose']);
    expect((await resolveTarget(parsed.values, parsed.given, composeOnly.targets, false, composeOnly.targetNote)).kind).toBe('compose');
  });
});
