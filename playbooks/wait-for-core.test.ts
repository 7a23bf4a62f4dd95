// wait-for-core against the Harbor 1.x stand-in (core down answers 502 through nginx until
// the test brings it up) while the test writes core's quota-sync log; the k8s target goes
// through the command shim (kubectl logs / get deployment answered from files).
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/support/cli.ts';
import { createCommandShim, type CommandShim } from '../test/support/command-shim.ts';
import { startHarborStandIn, type HarborStandIn } from '../test/support/harbor-stand-in.ts';
import { readSync } from './wait-for-core.ts';

let dir: string;
let harbor: HarborStandIn;
let shim: CommandShim;
const log = () => join(dir, 'core.log');
const line = (time: string, text: string) => `2019-10-21T08:${time}Z [INFO] [/core/api/quota/migrator.go:90]: ${text}\n`;
// The chart 1.2.x core deployment: liveness on /api/ping after 300 s, every 10 s, 3 failures.
const DEPLOYMENT = { spec: { template: { spec: { containers: [{ name: 'core', livenessProbe: { httpGet: { path: '/api/ping', port: 8080 }, initialDelaySeconds: 300, periodSeconds: 10, failureThreshold: 3 } }] } } } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-wait-'));
  harbor = await startHarborStandIn({ major: 1, password: 'unused', repositories: {} });
  writeFileSync(join(dir, 'deployment.json'), JSON.stringify(DEPLOYMENT));
  shim = createCommandShim({
    answers: [
      { prefix: ['-n', 'harbor', 'get', 'deployment/hk-harbor-core', '-o', 'json'], file: join(dir, 'deployment.json') },
      { prefix: ['-n', 'harbor', 'logs', 'deploy/hk-harbor-core', '--tail', '500'], file: log() },
      { prefix: ['logs', '--tail', '500', 'harbor-core'], file: log() },
    ],
  });
});

afterAll(async () => {
  shim?.cleanup();
  await harbor?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('wait-for-core', () => {
  it('reads the [i/N] progress, failures and the end of the sync from core log lines', () => {
    const text = line('00:00', 'Start to sync quota data .....') + line('00:00', '[Quota-Sync]:: start to persist artifact&blob for project: a, progress... [1/40]') + line('00:10', '[Quota-Sync]:: start to persist artifact&blob for project: b, progress... [3/40]');
    expect(readSync(text)).toMatchObject({ done: 3, total: 40, firstDone: 1, finished: false, firstAt: Date.parse('2019-10-21T08:00:00Z'), lastAt: Date.parse('2019-10-21T08:00:10Z') });
    expect(readSync(text + line('00:20', 'Success to sync quota data .....')).finished).toBe(true);
    expect(readSync(text + line('00:20', 'Fail to sync quota data, pq: sorry, too many clients already')).failure).toBe('Fail to sync quota data, pq: sorry, too many clients already');
  });

  it('k8s: follows the sync, warns that the liveness probe would kill core first, and returns when core answers', async () => {
    harbor.setCoreUp(false);
    writeFileSync(log(), line('00:00', 'Start to sync quota data .....') + line('00:00', '[Quota-Sync]:: start to persist artifact&blob for project: p1, progress... [1/1000]') + line('00:02', '[Quota-Sync]:: start to persist artifact&blob for project: p2, progress... [2/1000]'));
    const waiting = runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--namespace', 'harbor', '--release', 'hk', '--interval', '1', '--timeout', '60'], { env: { PATH: shim.path } });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    appendFileSync(log(), line('00:04', '[Quota-Sync]:: start to persist artifact&blob for project: p3, progress... [3/1000]') + line('00:05', 'Success to sync quota data .....'));
    harbor.setCoreUp(true);
    const result = await waiting;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('quota sync: 2/1000 projects, about 1996 s left');
    expect(result.stdout).toMatch(/the core liveness probe restarts core after about 330 s \(initialDelaySeconds 300\), but the sync needs about 1998 s/);
    expect(result.stdout).toContain('--set core.livenessProbe.initialDelaySeconds=3000');
    expect(result.stdout).toContain(`kubectl -n harbor patch deployment hk-harbor-core -p '{"spec":{"template":{"spec":{"containers":[{"name":"core","livenessProbe":{"initialDelaySeconds":3000}}]}}}}'`);
    expect(result.stdout).toMatch(/Core answers \/api\/ping after \d+ s of waiting/);
    expect(shim.calls().map((call) => call.join(' '))).toEqual(expect.arrayContaining(['kubectl -n harbor get deployment/hk-harbor-core -o json', 'kubectl -n harbor logs deploy/hk-harbor-core --tail 500']));
  });

  it('compose: reads the sync from docker logs of the core container', async () => {
    harbor.setCoreUp(false);
    writeFileSync(log(), line('00:00', 'Start to sync quota data .....') + line('00:00', '[Quota-Sync]:: start to persist artifact&blob for project: p1, progress... [7/9]'));
    const waiting = runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--target', 'compose', '--interval', '1', '--timeout', '60'], { env: { PATH: shim.path } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    harbor.setCoreUp(true);
    const result = await waiting;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Following the quota sync in docker logs --tail 500 harbor-core');
    expect(result.stdout).toContain('quota sync: 7/9 projects');
    expect(result.stdout).toContain('The quota sync reached 7/9 projects');
  });

  it('stops at --timeout with exit 1 and says what it saw', async () => {
    harbor.setCoreUp(false);
    const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--interval', '1', '--timeout', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`core did not answer /api/ping or /api/v2.0/ping at ${harbor.url} within 2 s (last answer: HTTP 502)`);
    expect(result.stderr).toContain('Pass --target compose or k8s (or --core-log)');
  });

  it('stops with exit 1 when the log says the sync failed', async () => {
    harbor.setCoreUp(false);
    writeFileSync(log(), line('00:00', 'Start to sync quota data .....') + line('00:01', 'Fail to sync quota data, pq: sorry, too many clients already'));
    const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--core-log', log(), '--interval', '1', '--timeout', '30']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the quota sync failed: "Fail to sync quota data, pq: sorry, too many clients already"');
    expect(result.stderr).toContain('max_connections');
  });

  it('refuses bad input with exit 2', async () => {
    for (const args of [['--harbor-url', harbor.url, '--interval', '0'], [], ['--harbor-url', 'ftp://127.0.0.1/']]) {
      const result = await runCli(['run', 'wait-for-core', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });
});
