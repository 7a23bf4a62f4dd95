// `harbor-kb doctor` end to end: the real CLI in a child process, on the cited
// fixture logs. The --compose and --k8s collectors run against the test shim
// (test/support/shim.ts): `docker` and `kubectl` first on PATH, recording their command
// line and printing fixture logs, as the real tools would print the containers' output.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliSync } from '../../../test/support/cli.ts';
import { freeLoopbackPort } from '../../../test/support/net.ts';
import { createShim, type Shim } from '../../../test/support/shim.ts';
import { DOCTOR_FIXTURES as FIXTURES, fixtureLog } from '../../../test/support/doctor-fixtures.ts';

const work = mkdtempSync(join(tmpdir(), 'harbor-kb-doctor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Log files as an operator has them: the cited excerpts (without their header) inside healthy logs. */
function logFile(name: string, ...parts: string[]): string {
  const path = join(work, name);
  writeFileSync(path, fixtureLog(...parts));
  return path;
}
const HEALTHY = logFile('healthy-core.log', 'healthy/core.log');
const DOWNGRADE = logFile('core.log', 'healthy/core.log', 'excerpts/core-downgrade-schema--helm-1246.log');
const ZERO_BYTE = logFile('registry.log', 'healthy/registry.log', 'excerpts/zero-byte-tag-undeletable--distribution-2514.log');

const doctor = (args: string[], options: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}) => runCliSync(['doctor', ...args], options);

interface JsonReport {
  sources: string[];
  bytes: number;
  findings: {
    id: string;
    lines: number;
    firstSeen: string | null;
    lastSeen: string | null;
    example: { source: string; text: string };
    page: string;
    components: string[];
    playbooks: { name: string; command: string }[];
  }[];
}

describe('harbor-kb doctor on files and stdin', () => {
  it('reports a known problem in a file, in text', () => {
    const run = doctor([DOWNGRADE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[core-downgrade-schema]');
    expect(run.stdout).toContain('first seen 2022-08-01T08:24:09.000Z, last seen 2022-08-01T08:24:09.000Z');
    expect(run.stdout).toContain('page: /issues/core-downgrade-schema/');
  });

  it('prints the JSON shape, with page links on --site', () => {
    const run = doctor(['--json', '--site', 'https://kb.example.org', DOWNGRADE, ZERO_BYTE]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.sources).toEqual([DOWNGRADE, ZERO_BYTE]);
    expect(report.bytes).toBe(readFileSync(DOWNGRADE).length + readFileSync(ZERO_BYTE).length);
    expect(report.findings.map((f) => f.id).sort()).toEqual(['core-downgrade-schema', 'zero-byte-tag-undeletable']);
    const downgrade = report.findings.find((f) => f.id === 'core-downgrade-schema');
    expect(downgrade).toMatchObject({
      lines: 3,
      firstSeen: '2022-08-01T08:24:09.000Z',
      lastSeen: '2022-08-01T08:24:09.000Z',
      page: 'https://kb.example.org/issues/core-downgrade-schema/',
      example: { source: DOWNGRADE },
    });
    for (const finding of report.findings) {
      for (const playbook of finding.playbooks) expect(playbook.command).toBe(`harbor-kb run ${playbook.name}`);
    }
  });

  it('reads stdin, plain and gzip', () => {
    const log = readFileSync(ZERO_BYTE);
    for (const input of [log, gzipSync(log)]) {
      const report = JSON.parse(doctor(['--json'], { input }).stdout) as JsonReport;
      expect(report.sources).toEqual(['stdin']);
      expect(report.findings.map((f) => f.id)).toEqual(['zero-byte-tag-undeletable']);
    }
  });

  it('reads .gz files and keeps UTF-8 in example lines', () => {
    const file = join(work, 'core-upgrade.log.gz');
    const text = `2022-08-01T08:24:08Z [FATAL] [/core/main.go:188]: 升级失败 failed to migrate: file does not exist\n${readFileSync(DOWNGRADE, 'utf8')}`;
    writeFileSync(file, gzipSync(text));
    const report = JSON.parse(doctor(['--json', file]).stdout) as JsonReport;
    expect(report.findings[0]).toMatchObject({
      id: 'core-downgrade-schema',
      firstSeen: '2022-08-01T08:24:08.000Z',
      lastSeen: '2022-08-01T08:24:09.000Z',
      example: { text: '2022-08-01T08:24:08Z [FATAL] [/core/main.go:188]: 升级失败 failed to migrate: file does not exist' },
    });
    expect(report.bytes).toBe(Buffer.byteLength(text));
  });

  it('reads a .gz file larger than one read, whose chunks zlib keeps while the next read happens', () => {
    const noise = Array.from(
      { length: 60_000 },
      (_, i) => `2020-05-17T15:31:19Z [INFO] [/core/main.go:1]: request ${randomBytes(16).toString('hex')} ${i}`,
    ).join('\n');
    const file = join(work, 'big-core.log.gz');
    writeFileSync(file, gzipSync(`${noise}\n${readFileSync(DOWNGRADE, 'utf8')}`));
    expect(readFileSync(file).length).toBeGreaterThan(1024 * 1024);
    const run = doctor(['--json', file]);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => [f.id, f.lines])).toEqual([['core-downgrade-schema', 3]]);
  });
});

describe('harbor-kb doctor options', () => {
  it('--fail-on-match exits 1 on a finding and 0 on a healthy log', () => {
    expect(doctor(['--fail-on-match', DOWNGRADE]).code).toBe(1);
    const healthy = doctor(['--fail-on-match', HEALTHY]);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('No known Harbor problem found.');
  });

  it('--since skips matching lines older than the window', () => {
    const recent = new Date(Date.now() - 30 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const input = `2019-09-16T14:02:03Z [FATAL] [/core/main.go:103]: failed to initialize database: file does not exist\n${recent} [ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set\n`;
    const report = JSON.parse(doctor(['--json', '--since', '2h'], { input }).stdout) as JsonReport;
    expect(report.findings.map((f) => f.id)).toEqual(['admiral-url-not-set']);
  });

  it('--harbor keeps only the problems of that release or line', () => {
    const ids = (version: string) => (JSON.parse(doctor(['--json', '--harbor', version, DOWNGRADE, ZERO_BYTE]).stdout) as JsonReport).findings.map((f) => f.id);
    // core-downgrade-schema affects >=1.8.0, zero-byte-tag-undeletable >=1.1.0 <2.0.0.
    expect(ids('2.5.0')).toEqual(['core-downgrade-schema']);
    expect(ids('1.7')).toEqual(['zero-byte-tag-undeletable']);
    const report = JSON.parse(doctor(['--json', DOWNGRADE]).stdout) as JsonReport & { findings: { harbor: { affected: string[] } }[] };
    expect(report.findings[0]?.harbor.affected).toEqual(['>=1.8.0']);
  });

  it.each([
    [['--harbor', 'latest'], /--harbor "latest"/],
    [['missing.log'], /missing\.log: no such file/],
    [[join(FIXTURES, 'excerpts')], /not a file/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--since', 'yesterday'], /--since "yesterday"/],
    [['--k8s'], /--k8s needs --release/],
    [['--compose', DOWNGRADE], /not several/],
  ])('refuses bad input %j with exit 2', (args, message) => {
    const run = doctor(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it.each([['javascript:alert(1)'], ['mailto:ops@example.org'], ['data:text/html,<script>alert(1)</script>'], ['ftp://kb.example.org']])(
    'refuses --site %s (only http:// and https:// page links), exit 2, no stack trace',
    (site) => {
      const run = doctor(['--site', site, DOWNGRADE]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is not an http:// or https:// URL');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('harbor-kb doctor on what it must not read as it is', () => {
  it('refuses a named pipe before opening it (it would block forever), exit 2', () => {
    const fifo = join(work, 'core.fifo');
    execFileSync('mkfifo', [fifo]);
    // A CLI blocked in open() would wait forever; the time limit turns that into a failure.
    const result = runCliSync(['doctor', fifo], { timeoutMs: 20_000 });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('not a regular file (a named pipe)');
  });

  it('prints a file name with terminal escape sequences as text, not as escapes', () => {
    const file = join(work, 'core\u001b[2J\u001b]0;owned\u0007.log');
    writeFileSync(file, readFileSync(DOWNGRADE));
    const run = doctor([file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\\x1b[2J');
    expect(run.stdout).not.toMatch(/[\u001b\u0007]/);
    const missing = doctor([join(work, 'gone\u001b[2J.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toContain('\u001b');
  });

  it('refuses a .gz file that is not gzip with exit 2', () => {
    const file = join(work, 'plain.log.gz');
    writeFileSync(file, 'not gzip\n');
    const run = doctor([file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plain.log.gz: not in gzip format');
  });

  it('prints its help', () => {
    const run = doctor(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: harbor-kb doctor [options] [FILE...]');
    const usage = runCliSync(['--help']);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/doctor\s+Find known Harbor problems/);
  });
});

/**
 * The collectors' commands, answered by the test shim (test/support/shim.ts) as the real tools
 * would: container names for `docker ps`, a container's log for `docker logs` (the registry's on
 * stderr), pod names for `kubectl get pods`, a pod's log for `kubectl logs`. `failLogsOf`: the
 * container whose `docker logs` fails as with a logging driver that keeps no copy.
 */
function createCollectorShim(failLogsOf?: string): Shim {
  const names = join(work, 'docker-ps.txt');
  writeFileSync(names, 'harbor-core\nregistry\nsome-other-app\nharbor-jobservice\nclair-db\nnotary-db\n');
  const pods = join(work, 'kubectl-get-pods.txt');
  writeFileSync(pods, 'pod/harbor-core-5f7d9\npod/harbor-registry-7c4b8\n');
  return createShim({
    otherwise: 'fail',
    answers: [
      { prefix: ['docker', 'ps'], file: names },
      ...(failLogsOf
        ? [
            {
              prefix: ['docker', 'logs'],
              last: failLogsOf,
              stderr: 'Error response from daemon: configured logging driver does not support reading',
              exitCode: 1,
            },
          ]
        : []),
      { prefix: ['docker', 'logs'], last: 'harbor-core', file: DOWNGRADE },
      { prefix: ['docker', 'logs'], last: 'registry', stderrFile: ZERO_BYTE },
      { prefix: ['docker', 'logs'], file: HEALTHY },
      { prefix: ['kubectl'], includes: ['get'], file: pods },
      { prefix: ['kubectl'], includes: ['logs', 'pod/harbor-core-5f7d9'], file: DOWNGRADE },
      { prefix: ['kubectl'], includes: ['logs'], file: ZERO_BYTE },
    ],
  });
}

describe('harbor-kb doctor collectors (command shim)', () => {
  const shim = createCollectorShim();
  afterAll(() => shim.cleanup());
  const emptyDir = join(work, 'no-logs');
  mkdirSync(emptyDir, { recursive: true });

  it('--compose reads docker logs of the Harbor containers, stdout and stderr, with --since', () => {
    const run = doctor(['--compose', '--log-dir', emptyDir, '--since', '2h', '--json'], { env: { PATH: shim.path } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const calls = shim.calls();
    expect(calls).toContainEqual(['docker', 'ps', '--all', '--format', '{{.Names}}']);
    expect(calls).toContainEqual(['docker', 'logs', '--timestamps', '--since=7200s', 'harbor-core']);
    expect(calls).toContainEqual(['docker', 'logs', '--timestamps', '--since=7200s', 'registry']);
    expect(calls.some((call) => call.includes('some-other-app'))).toBe(false);
    const report = JSON.parse(run.stdout) as JsonReport;
    // Harbor 1.5's notary-db and clair-db are Harbor's too.
    expect(report.sources).toEqual(['harbor-core', 'harbor-jobservice', 'registry', 'notary-db', 'clair-db']);
    // --since 2h: every matching line of the fixture logs is years old.
    expect(report.findings).toEqual([]);
  });

  it('--compose reports problems from the containers by name', () => {
    const report = JSON.parse(doctor(['--compose', '--log-dir', emptyDir, '--json'], { env: { PATH: shim.path } }).stdout) as JsonReport;
    expect(report.findings.map((f) => [f.id, f.example.source]).sort()).toEqual([
      ['core-downgrade-schema', 'harbor-core'],
      ['zero-byte-tag-undeletable', 'registry'],
    ]);
  });

  it('--compose prefers the harbor-log files when there are some', () => {
    const logDir = join(work, 'var-log-harbor');
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'core.log'), readFileSync(DOWNGRADE));
    writeFileSync(join(logDir, 'registry.log.gz'), gzipSync(readFileSync(ZERO_BYTE)));
    writeFileSync(join(logDir, 'notes.txt'), 'not a log');
    const before = shim.calls().length;
    const report = JSON.parse(doctor(['--compose', '--log-dir', logDir, '--json'], { env: { PATH: shim.path } }).stdout) as JsonReport;
    expect(shim.calls().length).toBe(before);
    expect(report.sources).toEqual([join(logDir, 'core.log'), join(logDir, 'registry.log.gz')]);
    expect(report.findings.map((f) => f.id).sort()).toEqual(['core-downgrade-schema', 'zero-byte-tag-undeletable']);
  });

  it('--k8s reads every container of the release pods through kubectl', () => {
    const run = doctor(['--k8s', '--namespace', 'registry-ns', '--release', 'harbor', '--json'], { env: { PATH: shim.path } });
    expect(run.code).toBe(0);
    const calls = shim.calls();
    expect(calls).toContainEqual(['kubectl', '-n', 'registry-ns', 'get', 'pods', '-l', 'release=harbor,app=harbor', '-o', 'name']);
    expect(calls).toContainEqual(['kubectl', '-n', 'registry-ns', 'logs', 'pod/harbor-core-5f7d9', '--all-containers=true', '--timestamps=true']);
    expect(calls).toContainEqual(['kubectl', '-n', 'registry-ns', 'logs', 'pod/harbor-registry-7c4b8', '--all-containers=true', '--timestamps=true']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.sources).toEqual(['harbor-core-5f7d9', 'harbor-registry-7c4b8']);
    expect(report.findings.map((f) => f.id).sort()).toEqual(['core-downgrade-schema', 'zero-byte-tag-undeletable']);
  });

  it('--compose fails with exit 2 and a hint when docker logs cannot read a container', () => {
    const failing = createCollectorShim('registry');
    try {
      const run = doctor(['--compose', '--log-dir', emptyDir], { env: { PATH: failing.path } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('docker logs registry');
      expect(run.stderr).toContain('--log-dir');
    } finally {
      failing.cleanup();
    }
  });

  it('--k8s fails with exit 2 when kubectl cannot list the pods', () => {
    const run = doctor(['--k8s', '--release', 'harbor'], { env: { PATH: `${join(work, 'no-tools')}:/usr/bin:/bin` } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/kubectl/);
  });
});

/**
 * --namespace/--release mean what the playbooks' Target says: the doctor reads the logs of the
 * pods harbor-helm labels release=<release>, and wait-for-core follows core's log through the
 * deployment the chart names after the same release. The shim knows the pods (labels, owning
 * deployment, log) as the API server would; two releases side by side show each run lands on
 * its own release's core pod: "harbor" (chart fullname harbor, deployment harbor-core) and
 * "prod" (fullname prod-harbor, deployment prod-harbor-core).
 */
describe('harbor-kb doctor and the playbooks resolve --release to the same pods', () => {
  const sync = (done: number, total: number) =>
    '2019-10-21T08:00:00Z [INFO] [/core/api/quota/migrator.go:90]: Start to sync quota data .....\n' +
    `2019-10-21T08:00:01Z [INFO] [/core/api/quota/migrator.go:90]: [Quota-Sync]:: start to persist artifact&blob for project: p${done}, progress... [${done}/${total}]\n`;
  const coreLog = (name: string, fixture: string, done: number, total: number) => {
    const path = join(work, name);
    writeFileSync(path, readFileSync(fixture, 'utf8') + sync(done, total));
    return path;
  };
  const labels = (release: string, component: string) => ({ release, app: 'harbor', component });
  const deployment = join(work, 'core-deployment.json');
  writeFileSync(deployment, JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'core' }] } } } }));
  const shim = createShim({
    otherwise: 'fail',
    pods: [
      {
        namespace: 'registry-ns',
        name: 'prod-harbor-core-5f7d9',
        labels: labels('prod', 'core'),
        deployment: 'prod-harbor-core',
        log: coreLog('prod-core.log', DOWNGRADE, 3, 7),
      },
      { namespace: 'registry-ns', name: 'prod-harbor-registry-7c4b8', labels: labels('prod', 'registry'), deployment: 'prod-harbor-registry', log: HEALTHY },
      {
        namespace: 'registry-ns',
        name: 'harbor-core-6d2c1',
        labels: labels('harbor', 'core'),
        deployment: 'harbor-core',
        log: coreLog('harbor-core.log', ZERO_BYTE, 5, 9),
      },
      { namespace: 'other-ns', name: 'prod-harbor-core-0a1b2', labels: labels('prod', 'core'), deployment: 'prod-harbor-core', log: HEALTHY },
    ],
    answers: [
      // Release "harbor" on a chart from 1.7.0 on: no deployment by the older fullname rule, which wait-for-core tries first.
      {
        prefix: ['kubectl', '-n', 'registry-ns', 'get'],
        includes: ['deployment/harbor-harbor-core'],
        stderr: 'Error from server (NotFound): deployments.apps "harbor-harbor-core" not found',
        exitCode: 1,
      },
      { prefix: ['kubectl', '-n', 'registry-ns', 'get'], includes: ['-o', 'json'], file: deployment },
    ],
  });
  afterAll(() => shim.cleanup());
  // Core never answers (nothing listens on the port): wait-for-core reads the log once and stops
  // at its 1 s timeout with what it saw.
  const waitForCore = async (release: string) =>
    runCliSync(
      [
        'run',
        'wait-for-core',
        '--harbor-url',
        `http://127.0.0.1:${await freeLoopbackPort()}`,
        '--namespace',
        'registry-ns',
        '--release',
        release,
        '--interval',
        '1',
        '--timeout',
        '1',
      ],
      { env: { PATH: shim.path } },
    );
  const doctorOn = (release: string) =>
    JSON.parse(doctor(['--k8s', '--namespace', 'registry-ns', '--release', release, '--json'], { env: { PATH: shim.path } }).stdout) as JsonReport;

  it.each([
    { release: 'prod', pod: 'prod-harbor-core-5f7d9', finding: 'core-downgrade-schema', progress: '3/7 projects', others: ['prod-harbor-registry-7c4b8'] },
    { release: 'harbor', pod: 'harbor-core-6d2c1', finding: 'zero-byte-tag-undeletable', progress: '5/9 projects', others: [] },
  ])('--release $release: both read the log of pod $pod', async ({ release, pod, finding, progress, others }) => {
    const report = doctorOn(release);
    expect(report.sources.sort()).toEqual([pod, ...others].sort());
    // The pod's own problem, and the quota sync it is in the middle of.
    expect(report.findings.map((f) => [f.id, f.example.source]).sort()).toEqual(
      [
        [finding, pod],
        ['login-fails-during-quota-migration', pod],
      ].sort(),
    );
    const waited = await waitForCore(release);
    expect(waited.code).toBe(1);
    // The progress printed is in that pod's log and in no other pod's.
    expect(waited.stderr).toContain(`The quota sync was at pass 1 of 2, ${progress}`);
  });
});
