// The CLI's dispatch, run as an operator runs it: names that are members of every JavaScript
// object must be unknown commands and playbooks like any other, not crash the CLI.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.ts';

describe('harbor-kb dispatch', () => {
  it.each([['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty']])('%s as a command: unknown command, exit 2', async (name) => {
    const result = await runCli([name]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: unknown command "${name}"`);
    expect(result.stderr).not.toMatch(/\n\s+at |TypeError|not iterable/);
  });

  it.each([['constructor'], ['__proto__'], ['toString'], ['valueOf']])('%s as a playbook: no such playbook, exit 2', async (name) => {
    const result = await runCli(['run', name, '--help']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: no playbook named "${name}"`);
    expect(result.stderr).not.toMatch(/\n\s+at |TypeError|not iterable/);
  });

  it('prints escape sequences in a name it refuses, not their effect', async () => {
    const result = await runCli(['run', 'x\u001b]0;owned\u0007\u009b2J']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  it("--help lists exit codes 0 to 3, and so does a playbook's --help", async () => {
    const usage = await runCli(['--help']);
    expect(usage.stdout).toMatch(/3 changed something but could not finish or verify/);
    const help = await runCli(['run', 'stop-stuck-replication', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 .*; 1 .*; 2 .*; 3 changed something but could not finish\s+or verify/s);
    expect(help.stdout).toContain('--statement-timeout DURATION');
  });

  it('list: --json gives the playbooks as JSON; an argument it does not take is refused (exit 2)', async () => {
    const listed = await runCli(['list', '--json']);
    expect(listed.code).toBe(0);
    const playbooks = JSON.parse(listed.stdout) as { name: string; changes: boolean; fixes: string[] }[];
    expect(playbooks.find((playbook) => playbook.name === 'stop-stuck-jobs')).toMatchObject({ changes: true, fixes: ['stuck-jobs-scan-gc-retention'] });
    const bogus = await runCli(['list', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('error: list takes no "--bogus"');
    expect(bogus.stdout).toBe('');
  });

  it('run: --help prints how to run one; a name that is not a playbook still ends --json with a result object', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: harbor-kb run <playbook> [options]');
    const unknown = await runCli(['run', 'nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ playbook: 'nope', ok: false, exitCode: 2, error: 'no playbook named "nope"; run "harbor-kb list"' });
  });
});
