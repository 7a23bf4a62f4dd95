// wait-for-core against the Harbor 1.x stand-in (core down answers 502 through nginx until
// the test brings it up) while the test writes core's quota-sync log; the k8s target goes
// through the command shim (kubectl logs / get deployment answered from files).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliUntilPrinted } from '../test/support/cli.ts';
import { createShim, type Shim } from '../test/support/shim.ts';
import { startHarborStandIn, type HarborStandIn } from '../test/support/harbor-stand-in.ts';
import { readSync } from './wait-for-core.ts';

let dir: string;
let harbor: HarborStandIn;
let shim: Shim;
const log = () => join(dir, 'core.log');
const line = (time: string, text: string) => `2019-10-21T08:${time}Z [INFO] [/core/api/quota/migrator.go:90]: ${text}\n`;
// Harbor 1.9/1.10 log the two passes as registry.go writes them, [i/N] counting from 0.
const pass1 = (time: string, i: number, n: number, phase = 'start') =>
  line(time, `[Quota-Sync]:: ${phase} to persist artifact&blob for project: p${i}, progress... [${i}/${n}]`);
const pass2 = (time: string, i: number, n: number, phase = 'start') =>
  line(time, `[Quota-Sync]:: ${phase} to persist project&blob for project: p${i}, progress... [${i}/${n}]`);
// The chart 1.2.x core deployment: liveness on /api/ping after 300 s, every 10 s, 3 failures.
const DEPLOYMENT = {
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'core', livenessProbe: { httpGet: { path: '/api/ping', port: 8080 }, initialDelaySeconds: 300, periodSeconds: 10, failureThreshold: 3 } },
        ],
      },
    },
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-wait-'));
  harbor = await startHarborStandIn({ major: 1, password: 'unused', repositories: {} });
  writeFileSync(join(dir, 'deployment.json'), JSON.stringify(DEPLOYMENT));
  shim = createShim({
    otherwise: 'fail',
    answers: [
      { prefix: ['kubectl', '-n', 'harbor', 'get', 'deployment/hk-harbor-core', '-o', 'json'], file: join(dir, 'deployment.json') },
      { prefix: ['kubectl', '-n', 'harbor', 'logs', 'deploy/hk-harbor-core', '--tail', '500'], file: log() },
      { prefix: ['docker', 'logs', '--tail', '500', 'harbor-core'], file: log() },
    ],
  });
});

afterAll(async () => {
  shim?.cleanup();
  await harbor?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('wait-for-core', () => {
  it('reads the [i/N] progress of both passes, failures and the end of the sync from core log lines', () => {
    const text = line('00:00', 'Start to sync quota data .....') + pass1('00:00', 1, 40) + pass1('00:10', 2, 40, 'success');
    expect(readSync(text)).toMatchObject({
      pass: 1,
      done: 3,
      total: 40,
      firstDone: 1,
      finished: false,
      firstAt: Date.parse('2019-10-21T08:00:00Z'),
      lastAt: Date.parse('2019-10-21T08:00:10Z'),
    });
    const second = readSync(text + pass1('00:20', 39, 40, 'success') + pass2('00:30', 0, 40) + pass2('00:40', 4, 40));
    expect(second).toMatchObject({
      pass: 2,
      done: 4,
      total: 40,
      firstDone: 0,
      firstAt: Date.parse('2019-10-21T08:00:30Z'),
      startedAt: Date.parse('2019-10-21T08:00:00Z'),
    });
    expect(readSync(text + line('00:20', 'Success to sync quota data .....')).finished).toBe(true);
    expect(readSync(text + line('00:20', 'Fail to sync quota data, pq: sorry, too many clients already')).failure).toBe(
      'Fail to sync quota data, pq: sorry, too many clients already',
    );
  });

  it('the estimate starts over with the second pass, which counts to N again', async () => {
    harbor.setCoreUp(false);
    // Pass 1 ran at 10 projects/s; pass 2 runs at 1/s: 90 s are left, not 180 (the old single count).
    writeFileSync(
      log(),
      line('00:00', 'Start to sync quota data .....') +
        pass1('00:00', 0, 100) +
        pass1('00:09', 99, 100, 'success') +
        pass2('00:10', 0, 100) +
        pass2('00:20', 10, 100),
    );
    const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--core-log', log(), '--interval', '1', '--timeout', '2']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('quota sync pass 2 of 2, 10/100 projects, about 90 s left in this pass');
    expect(result.stderr).toContain('The quota sync was at pass 2 of 2, 10/100 projects');
  });

  it('k8s: follows the sync, warns that the liveness probe would kill core first, and returns when core answers', async () => {
    harbor.setCoreUp(false);
    writeFileSync(log(), line('00:00', 'Start to sync quota data .....') + pass1('00:00', 1, 1000) + pass1('00:02', 2, 1000));
    const waiting = runCliUntilPrinted(
      ['run', 'wait-for-core', '--harbor-url', harbor.url, '--namespace', 'harbor', '--release', 'hk', '--interval', '1', '--timeout', '60'],
      { env: { PATH: shim.path } },
      'quota sync pass 1 of 2, 2/1000 projects',
    );
    await waiting.printed;
    appendFileSync(log(), pass1('00:04', 3, 1000) + line('00:05', 'Success to sync quota data .....'));
    harbor.setCoreUp(true);
    const result = await waiting.run;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('quota sync pass 1 of 2, 2/1000 projects, about 1996 s left in this pass');
    expect(result.stdout).toMatch(
      /the core liveness probe restarts core after about 330 s \(initialDelaySeconds 300\), but the sync needs about 1998 s for the first of its two passes alone/,
    );
    // The value exists only in charts v1.1.4-v1.1.6 and v1.2.1-v1.4.x (goharbor/harbor-helm tags).
    expect(result.stdout).toMatch(
      /Charts v1\.1\.4–v1\.1\.6 and v1\.2\.1–v1\.4\.x have the value: helm upgrade <release> harbor\/harbor --reuse-values --set core\.livenessProbe\.initialDelaySeconds=6000\. Charts up to v1\.1\.3 and v1\.2\.0 hard-code 20 s, so --set does nothing there/,
    );
    expect(result.stdout).toContain(
      `kubectl -n harbor patch deployment hk-harbor-core -p '{"spec":{"template":{"spec":{"containers":[{"name":"core","livenessProbe":{"initialDelaySeconds":6000}}]}}}}'`,
    );
    expect(result.stdout).toMatch(/Core answers \/api\/ping after \d+ s of waiting/);
    expect(shim.calls().map((call) => call.join(' '))).toEqual(
      expect.arrayContaining(['kubectl -n harbor get deployment/hk-harbor-core -o json', 'kubectl -n harbor logs deploy/hk-harbor-core --tail 500']),
    );
  });

  it('compose: reads the sync from docker logs of the core container', async () => {
    harbor.setCoreUp(false);
    writeFileSync(log(), line('00:00', 'Start to sync quota data .....') + pass1('00:00', 7, 9));
    const waiting = runCliUntilPrinted(
      ['run', 'wait-for-core', '--harbor-url', harbor.url, '--target', 'compose', '--interval', '1', '--timeout', '60'],
      { env: { PATH: shim.path } },
      'quota sync pass 1 of 2, 7/9 projects',
    );
    await waiting.printed;
    harbor.setCoreUp(true);
    const result = await waiting.run;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Following the quota sync in docker logs --tail 500 harbor-core');
    expect(result.stdout).toContain('quota sync pass 1 of 2, 7/9 projects');
    expect(result.stdout).toContain('The quota sync reached pass 1 of 2, 7/9 projects');
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

  it('compose with the syslog logging driver: says docker logs cannot read core\'s log instead of "no progress"', async () => {
    harbor.setCoreUp(false);
    const syslog = createShim({
      otherwise: 'fail',
      answers: [
        {
          prefix: ['docker', 'logs', '--tail', '500', 'harbor-core'],
          stderr: 'Error response from daemon: configured logging driver does not support reading\n',
          exitCode: 1,
        },
      ],
    });
    try {
      const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--target', 'compose', '--interval', '1', '--timeout', '2'], {
        env: { PATH: syslog.path },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `docker logs --tail 500 harbor-core cannot read core's log ("Error response from daemon: configured logging driver does not support reading")`,
      );
      expect(result.stderr).toContain('--core-log /var/log/harbor/core.log');
      expect(result.stderr).not.toContain('No [Quota-Sync] progress');
    } finally {
      syslog.cleanup();
    }
  });

  it('--core-log: a device such as /dev/zero, or a FIFO, is refused at once (exit 2), not read without end', async () => {
    const fifo = join(dir, 'core.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const path of ['/dev/zero', fifo]) {
      const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--core-log', path, '--timeout', '5']);
      expect(result.code, path).toBe(2);
      expect(result.stderr).toContain(`--core-log ${path} is not a regular file`);
    }
  });

  it('--core-log: only the end of a huge log is read (a 3 GiB file holding the progress at its end)', async () => {
    harbor.setCoreUp(false);
    const huge = join(dir, 'huge.log');
    const grown = spawnSync('truncate', ['-s', '3G', huge]);
    expect(grown.status).toBe(0);
    appendFileSync(huge, '\n' + line('00:00', 'Start to sync quota data .....') + pass1('00:00', 7, 9));
    try {
      const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--core-log', huge, '--interval', '1', '--timeout', '2']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The quota sync was at pass 1 of 2, 7/9 projects');
    } finally {
      rmSync(huge, { force: true });
    }
  });

  it('--core-log: a log that keeps growing (sparse, gigabytes a second) still ends at --timeout', async () => {
    harbor.setCoreUp(false);
    const growing = join(dir, 'growing.log');
    writeFileSync(growing, line('00:00', 'Start to sync quota data .....') + pass1('00:00', 2, 9));
    const grower = spawn('sh', ['-c', `while :; do truncate -s +256M '${growing}'; sleep 0.05; done`], { stdio: 'ignore' });
    try {
      const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--core-log', growing, '--interval', '1', '--timeout', '3']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`within 3 s`);
    } finally {
      grower.kill();
      rmSync(growing, { force: true });
    }
  });

  it('--core-log: follows new lines from the last offset, and a rotated (shorter) log from its start', async () => {
    harbor.setCoreUp(false);
    const followed = join(dir, 'followed.log');
    writeFileSync(followed, line('00:00', 'Start to sync quota data .....') + pass1('00:00', 3, 9));
    const seen: string[] = [];
    const result = await runCli(['run', 'wait-for-core', '--harbor-url', harbor.url, '--core-log', followed, '--interval', '1', '--timeout', '120'], {
      onSpawn: (child) =>
        child.stdout!.on('data', (chunk: Buffer) => {
          const text = chunk.toString();
          if (text.includes('3/9 projects') && !seen.includes('3')) {
            seen.push('3');
            appendFileSync(followed, pass1('00:01', 5, 9));
          } else if (text.includes('5/9 projects') && !seen.includes('5')) {
            seen.push('5');
            writeFileSync(followed, pass2('00:02', 1, 9));
          } else if (text.includes('pass 2 of 2, 1/9 projects') && !seen.includes('rotated')) {
            seen.push('rotated');
            harbor.setCoreUp(true);
          }
        }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(seen).toEqual(['3', '5', 'rotated']);
    expect(result.stdout).toContain('The quota sync reached pass 2 of 2, 1/9 projects');
  });

  it('refuses bad input with exit 2', async () => {
    for (const args of [['--harbor-url', harbor.url, '--interval', '0'], [], ['--harbor-url', 'ftp://127.0.0.1/']]) {
      const result = await runCli(['run', 'wait-for-core', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });
});

describe('wait-for-core on the charts of Harbor 1.9/1.10', () => {
  it('k8s, chart 1.2/1.3 (Harbor 1.9/1.10) with release "harbor": finds deployment harbor-harbor-core (the pre-1.7.0 fullname) and names it in the patch', async () => {
    harbor.setCoreUp(false);
    const own = mkdtempSync(join(dir, 'legacy-'));
    writeFileSync(join(own, 'core.log'), line('00:00', 'Start to sync quota data .....') + pass1('00:00', 1, 1000) + pass1('00:02', 2, 1000));
    const legacy = createShim({
      otherwise: 'fail',
      answers: [
        { prefix: ['kubectl', '-n', 'harbor', 'get', 'deployment/harbor-harbor-core', '-o', 'json'], file: join(dir, 'deployment.json') },
        { prefix: ['kubectl', '-n', 'harbor', 'logs', 'deploy/harbor-harbor-core', '--tail', '500'], file: join(own, 'core.log') },
      ],
    });
    try {
      // Core never answers here: the run ends at --timeout (exit 1) after one poll of the log.
      const result = await runCli(
        ['run', 'wait-for-core', '--harbor-url', harbor.url, '--namespace', 'harbor', '--release', 'harbor', '--interval', '1', '--timeout', '1'],
        { env: { PATH: legacy.path } },
      );
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain('The quota sync was at pass 1 of 2, 2/1000 projects');
      expect(result.stdout).toContain(
        `kubectl -n harbor patch deployment harbor-harbor-core -p '{"spec":{"template":{"spec":{"containers":[{"name":"core","livenessProbe":{"initialDelaySeconds":6000}}]}}}}'`,
      );
      expect(legacy.calls().map((call) => call.join(' '))).toEqual(
        expect.arrayContaining(['kubectl -n harbor get deployment/harbor-harbor-core -o json', 'kubectl -n harbor logs deploy/harbor-harbor-core --tail 500']),
      );
    } finally {
      legacy.cleanup();
    }
  });
});
