// restart-compose-stack against a fake compose host: the docker shim (test/support/shim.ts)
// keeps the containers' states in a file and acts as the daemon does, dialling each
// container's syslog-address over real TCP before it starts it; harbor-log's process is a real
// syslog-style TCP listener on a random loopback port, standing in for 127.0.0.1:1514.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../test/support/cli.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { expectRefusals } from '../test/support/refusals.ts';
import { createShim, type ComposeContainer, type ComposeState, type Shim } from '../test/support/shim.ts';
import { runOnTerminal } from '../test/support/terminal.ts';

/** The containers of a Harbor 2.10 compose install (make/photon/prepare/templates/docker_compose/docker-compose.yml.jinja at v2.10.0). */
const STACK = ['harbor-log', 'registry', 'registryctl', 'harbor-db', 'harbor-core', 'harbor-portal', 'harbor-jobservice', 'redis', 'nginx'];
/** The order the playbook must start them in: each after what it depends_on there. */
const START_ORDER = ['harbor-log', 'harbor-db', 'redis', 'registry', 'registryctl', 'harbor-core', 'harbor-portal', 'harbor-jobservice', 'nginx'];
/** nginx is left restarting in a loop (host not found in upstream "core:8080"): it is restarted, the others started. */
const verb = (name: string) => (name === 'nginx' ? 'restart' : 'start');

// rsyslog in harbor-log needs a moment before it listens; so does this stand-in. Given a count
// and two files, it copies the first over the second when that many connections have come in.
const LISTENER = `
const { createServer } = require('node:net');
const { appendFileSync, copyFileSync } = require('node:fs');
const [port, file, count, from, to] = process.argv.slice(1);
let connections = 0;
const server = createServer((socket) => {
  connections += 1;
  if (connections === Number(count)) copyFileSync(from, to);
  socket.on('data', (chunk) => appendFileSync(file, chunk));
});
setTimeout(() => server.listen(Number(port), '127.0.0.1'), 300);
`;

let dir: string;
let port: number;
let stateFile: string;
let shim: Shim;
let backups: string;

function writeState(containers: Record<string, ComposeContainer>): void {
  writeFileSync(stateFile, JSON.stringify({ containers } satisfies ComposeState, null, 2));
}
const readState = () => JSON.parse(readFileSync(stateFile, 'utf8')) as ComposeState;
const statuses = () => Object.fromEntries(Object.entries(readState().containers).map(([name, container]) => [name, container.status]));

/** The daemon's own error when a container's syslog driver cannot connect (as the page quotes it, with this test's port). */
const driverError = () => `failed to create task for container: failed to initialize logging driver: dial tcp 127.0.0.1:${port}: connect: connection refused`;

/** After a reboot: harbor-log is down and the daemon could not start the others. */
function brokenStack(): Record<string, ComposeContainer> {
  const syslogAddress = `tcp://127.0.0.1:${port}`;
  return Object.fromEntries(
    STACK.map((name) => {
      const image = `goharbor/${name === 'harbor-log' ? 'harbor-log' : name}:v2.10.0`;
      if (name === 'harbor-log')
        return [name, { image, status: 'exited', exitCode: 255, run: [process.execPath, '-e', LISTENER, String(port), join(dir, 'syslog.txt')] }];
      return [name, { image, status: name === 'nginx' ? 'restarting' : 'created', syslogAddress }];
    }),
  );
}

/** docker as the operator runs it, through the shim. */
const docker = (...argv: string[]) => execFileSync('docker', argv, { env: { ...process.env, PATH: shim.path }, encoding: 'utf8', stdio: 'pipe' });

const accepting = (target: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: target });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const run = (args: string[]) => runCli(['run', 'restart-compose-stack', '--backup-dir', backups, ...args], { env: { PATH: shim.path } });
const startCalls = () => shim.calls().filter((call) => call[0] === 'docker' && ['start', 'restart', 'stop'].includes(call[1]!));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-compose-'));
  port = await freeLoopbackPort();
  stateFile = join(dir, 'compose.json');
  backups = join(dir, 'backups');
  shim = createShim({ compose: stateFile });
});

afterEach(() => {
  for (const container of Object.values(readState().containers)) {
    if (container.pid) {
      try {
        process.kill(container.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  shim.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('restart-compose-stack: diagnose and start', () => {
  it('reproduces the failure: with harbor-log down the daemon refuses to start a container whose driver cannot connect', () => {
    writeState(brokenStack());
    expect(() => docker('start', 'harbor-core')).toThrow(driverError());
    expect(readState().containers['harbor-core']).toMatchObject({ status: 'created', error: driverError() });
  });

  it('dry-run names the containers the driver error kept down and changes nothing; --apply starts them in dependency order; a second run has nothing to do; the printed restore stops them again', async () => {
    writeState(brokenStack());
    expect(() => docker('start', 'harbor-core')).toThrow(driverError());
    const before = readFileSync(stateFile, 'utf8');

    const dry = await run(['--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { findings: { level: string; message: string }[]; changes: { preview: string[] }[] };
    const problems = plan.findings.filter((finding) => finding.level === 'problem').map((finding) => finding.message);
    expect(problems[0]).toMatch(new RegExp(`nothing listens on 127\\.0\\.0\\.1:${port}.*harbor-log is down`));
    expect(problems).toContainEqual(expect.stringMatching(/^harbor-log: exited \(exit 255\)/));
    expect(problems).toContainEqual(
      `harbor-core: created, last start failed: ${driverError()} — its logging driver could not reach harbor-log (see /issues/compose-startup-log-driver-1514/#fix, "1. Check harbor-log and port 1514")`,
    );
    expect(plan.changes[0]!.preview.filter((line) => line.startsWith('docker '))).toEqual(START_ORDER.map((name) => `docker ${verb(name)} ${name}`));
    expect(readFileSync(stateFile, 'utf8')).toBe(before);
    expect(startCalls()).toEqual([['docker', 'start', 'harbor-core']]);
    expect(await accepting(port)).toBe(false);

    const applied = await run(['--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(startCalls().slice(1)).toEqual(START_ORDER.map((name) => ['docker', verb(name), name]));
    expect(Object.values(statuses())).toEqual(STACK.map(() => 'running'));
    expect(await accepting(port)).toBe(true);
    const result = JSON.parse(applied.stdout) as { changes: { verified: string; backup: string; restore: string[] }[] };
    expect(result.changes[0]!.verified).toBe(`all 9 container(s) are running and tcp://127.0.0.1:${port} accepts connections`);
    const record = JSON.parse(readFileSync(result.changes[0]!.backup, 'utf8')) as { containers: { name: string; status: string }[] };
    expect(record.containers.map(({ name, status }) => [name, status])).toEqual(
      START_ORDER.map((name) => [name, name === 'harbor-log' ? 'exited' : name === 'nginx' ? 'restarting' : 'created']),
    );
    // What the run started goes back to not running; nginx, restarting before, is left running.
    const started = START_ORDER.filter((name) => verb(name) === 'start');
    expect(result.changes[0]!.restore).toEqual([`docker stop ${[...started].reverse().join(' ')}`]);

    const again = await run(['--apply', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do.');
    expect(startCalls()).toHaveLength(1 + START_ORDER.length);

    docker(...result.changes[0]!.restore[0]!.split(' ').slice(1));
    expect(statuses()).toEqual(Object.fromEntries(STACK.map((name) => [name, name === 'nginx' ? 'running' : 'exited'])));
    expect(await accepting(port)).toBe(false);
  });

  it('on a healthy stack finds nothing to do and starts nothing', async () => {
    writeState(brokenStack());
    for (const name of START_ORDER) {
      docker('start', name);
      // harbor-log's listener needs its moment, as rsyslog does
      while (name === 'harbor-log' && !(await accepting(port))) await new Promise((done) => setTimeout(done, 50));
    }
    const calls = startCalls().length;
    for (const args of [[], ['--apply', '--yes']]) {
      const result = await run(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Nothing to do.');
      expect(result.stdout).not.toMatch(/^x /m);
    }
    expect(startCalls()).toHaveLength(calls);
  });

  it('restarts harbor-log when it runs but its port does not accept, with --syslog-address naming the port', async () => {
    writeState(brokenStack());
    for (const name of START_ORDER) {
      docker('start', name);
      while (name === 'harbor-log' && !(await accepting(port))) await new Promise((done) => setTimeout(done, 50));
    }
    // rsyslog died inside a container that Docker still shows as running
    const state = readState();
    process.kill(state.containers['harbor-log']!.pid!, 'SIGKILL');
    state.containers['harbor-log']!.pid = 0;
    writeFileSync(stateFile, JSON.stringify(state));
    const calls = startCalls().length;
    const result = await run(['--syslog-address', `tcp://127.0.0.1:${port}`, '--apply', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(startCalls().slice(calls)).toEqual([['docker', 'restart', 'harbor-log']]);
    expect(await accepting(port)).toBe(true);
  });
});

describe('restart-compose-stack: other layouts', () => {
  it('Harbor 1.5 with notary and clair: their own databases notary-db and clair-db are inspected and started before the services that depend on them', async () => {
    // make/docker-compose.tpl, docker-compose.notary.tpl and docker-compose.clair.tpl at v1.5.0, in their depends_on order
    const order15 = [
      'harbor-log',
      'harbor-db',
      'redis',
      'registry',
      'harbor-adminserver',
      'harbor-ui',
      'harbor-jobservice',
      'notary-db',
      'notary-signer',
      'notary-server',
      'clair-db',
      'clair',
      'nginx',
    ];
    const syslogAddress = `tcp://127.0.0.1:${port}`;
    writeState(
      Object.fromEntries(
        order15.map((name) => [
          name,
          name === 'harbor-log'
            ? {
                image: 'vmware/harbor-log:v1.5.0',
                status: 'exited',
                exitCode: 255,
                run: [process.execPath, '-e', LISTENER, String(port), join(dir, 'syslog.txt')],
              }
            : { image: `vmware/${name}:v1.5.0`, status: 'created', syslogAddress },
        ]),
      ),
    );
    const dry = await run(['--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { findings: { message: string }[]; changes: { preview: string[] }[] };
    expect(plan.findings[0]!.message).toBe('Harbor 1.5.0 (harbor-log image vmware/harbor-log:v1.5.0); 13 Harbor containers found.');
    expect(plan.changes[0]!.preview.filter((line) => line.startsWith('docker '))).toEqual(order15.map((name) => `docker start ${name}`));
    const applied = await run(['--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(startCalls()).toEqual(order15.map((name) => ['docker', 'start', name]));
    expect(statuses()).toEqual(Object.fromEntries(order15.map((name) => [name, 'running'])));
    expect((JSON.parse(applied.stdout) as { changes: { verified: string }[] }).changes[0]!.verified).toBe(
      `all 13 container(s) are running and ${syslogAddress} accepts connections`,
    );
  });

  it('--log-container names a renamed harbor-log: it starts first, and a container named harbor-log stays in the order', async () => {
    const stack = brokenStack();
    stack['log-1514'] = { ...stack['harbor-log']!, image: 'registry.example.com/goharbor/harbor-log:v2.10.0' };
    // What is left of an earlier install: a harbor-log container beside it, stopped.
    stack['harbor-log'] = { image: 'goharbor/harbor-log:v2.10.0', status: 'exited' };
    writeState(stack);
    const applied = await run(['--log-container', 'log-1514', '--apply', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(startCalls()).toEqual([['docker', 'start', 'log-1514'], ...START_ORDER.map((name) => ['docker', verb(name), name])]);
    expect(Object.values(statuses())).toEqual([...STACK, 'log-1514'].map(() => 'running'));
  });
});

/** A listener that stops accepting after its first connection. */
const ONE_CONNECTION_LISTENER = `
const { createServer } = require('node:net');
const server = createServer((socket) => {
  socket.resume();
  server.close();
});
setTimeout(() => server.listen(Number(process.argv[1]), '127.0.0.1'), 300);
`;

/** The printed restore (docker stop ...), run as the operator would. */
const runRestore = (restore: readonly string[]) => {
  for (const line of restore) docker(...line.split(' ').slice(1));
};

describe('restart-compose-stack: exit 3 after a start', () => {
  it('harbor-log starts but its port never accepts: exit 3 naming harbor-log as started, nothing else started, and the restore stops it', async () => {
    const stack = brokenStack();
    // rsyslog that never comes up inside a running container
    stack['harbor-log']!.run = [process.execPath, '-e', 'setInterval(() => {}, 1000)'];
    writeState(stack);
    const applied = await run(['--apply', '--yes', '--json', '--wait', '1']);
    expect(applied.code, applied.stderr).toBe(3);
    const result = JSON.parse(applied.stdout) as { error: string; changedBeforeFailure: string[]; restore: string[] };
    expect(result.error).toContain(`harbor-log started, but tcp://127.0.0.1:${port} did not accept connections within 1 s`);
    expect(result.changedBeforeFailure).toEqual(['harbor-log started']);
    expect(result.restore).toEqual(['docker stop harbor-log']);
    expect(startCalls()).toEqual([['docker', 'start', 'harbor-log']]);
    expect(statuses()['harbor-log']).toBe('running');
    runRestore(result.restore);
    expect(statuses()).toEqual(Object.fromEntries(STACK.map((name) => [name, name === 'harbor-log' ? 'exited' : name === 'nginx' ? 'restarting' : 'created'])));
  });

  it('the verify re-reads the containers: one gone by then fails it with exit 3, naming that one, and the restore stops what was started', async () => {
    const stack = brokenStack();
    // After the last container's driver connected (1 wait dial + 8 starts), docker inspect no longer finds harbor-core.
    const inspectAnswer = join(dir, 'inspect.json');
    const afterStart = join(dir, 'inspect-after.json');
    const inspected = (status: (name: string) => string, names: readonly string[]) =>
      JSON.stringify(
        names.map((name) => ({
          Name: `/${name}`,
          Config: { Image: stack[name]!.image },
          State: { Status: status(name), ExitCode: 0, Error: '' },
          HostConfig: { LogConfig: { Type: 'syslog', Config: { 'syslog-address': `tcp://127.0.0.1:${port}` } } },
        })),
      );
    const selected = START_ORDER;
    writeFileSync(
      inspectAnswer,
      inspected((name) => stack[name]!.status, selected),
    );
    writeFileSync(
      afterStart,
      inspected(
        () => 'running',
        selected.filter((name) => name !== 'harbor-core'),
      ),
    );
    stack['harbor-log']!.run = [process.execPath, '-e', LISTENER, String(port), join(dir, 'syslog.txt'), '9', afterStart, inspectAnswer];
    writeState(stack);
    shim.cleanup();
    shim = createShim({
      compose: stateFile,
      answers: [
        {
          prefix: ['docker', 'inspect', '--type', 'container', ...selected],
          file: inspectAnswer,
          stderr: 'Error: No such container: harbor-core',
          exitCode: 1,
        },
      ],
    });
    const applied = await run(['--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(3);
    const result = JSON.parse(applied.stdout) as { error: string; changedBeforeFailure: string[]; restore: string[] };
    expect(result.error).toContain('after the start: harbor-core is gone');
    expect(result.error).not.toContain('harbor-log is gone');
    expect(result.changedBeforeFailure).toEqual([
      expect.stringMatching(/^start 9 Harbor container\(s\) .*: started harbor-log, .* restarted nginx \(not verified\)$/),
    ]);
    const started = START_ORDER.filter((name) => verb(name) === 'start');
    expect(result.restore).toEqual([`docker stop ${[...started].reverse().join(' ')}`]);
    runRestore(result.restore);
    expect(statuses()).toEqual(Object.fromEntries(STACK.map((name) => [name, name === 'nginx' ? 'running' : 'exited'])));
  });

  it('a restart whose start fails takes down a container that was up: exit 3, naming it, with docker start as its restore', async () => {
    const stack = brokenStack();
    // rsyslog that accepts one connection (the wait for the address) and then dies inside its container
    stack['harbor-log']!.run = [process.execPath, '-e', ONE_CONNECTION_LISTENER, String(port)];
    // Everything else came up earlier; nginx is restarting in a loop.
    for (const name of STACK) if (name !== 'harbor-log' && name !== 'nginx') stack[name]!.status = 'running';
    writeState(stack);
    const applied = await run(['--apply', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(3);
    const result = JSON.parse(applied.stdout) as { error: string; changedBeforeFailure: string[]; restore: string[] };
    expect(result.error).toContain('could not restart nginx: ');
    expect(result.changedBeforeFailure).toEqual(['harbor-log started', 'nginx was restarting and is exited after the failed restart']);
    expect(result.restore).toEqual(['docker start nginx', 'docker stop harbor-log']);
    expect(startCalls()).toEqual([
      ['docker', 'start', 'harbor-log'],
      ['docker', 'restart', 'nginx'],
    ]);
    expect(statuses()).toMatchObject({ 'harbor-log': 'running', nginx: 'exited', 'harbor-core': 'running' });
  });
});

describe('restart-compose-stack: refusals', () => {
  it('refuses --apply when the driver dials [::1] while harbor-log listens on IPv4 only, and names the sed of step 2', async () => {
    writeState(brokenStack());
    docker('start', 'harbor-log');
    while (!(await accepting(port))) await new Promise((done) => setTimeout(done, 50));
    const before = readFileSync(stateFile, 'utf8');
    const calls = startCalls().length;
    const address = ['--syslog-address', `tcp://[::1]:${port}`];
    const dry = await run(address);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`nothing listens on [::1]:${port}`);
    expect(dry.stdout).toContain(`sed -i 's#syslog-address: "tcp://[::1]:${port}"#syslog-address: "tcp://127.0.0.1:${port}"#' docker-compose.yml`);
    const applied = await run([...address, '--apply', '--yes']);
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain('which listens on IPv4 only: point the driver at 127.0.0.1 first');
    expect(startCalls()).toHaveLength(calls);
    expect(readFileSync(stateFile, 'utf8')).toBe(before);
  });

  it('refuses the whole apply, starting nothing, when a selected container is running by the time it confirms', async () => {
    writeState(brokenStack());
    const screen = await runOnTerminal(
      [process.execPath, CLI, 'run', 'restart-compose-stack', '--backup-dir', backups, '--apply'],
      [
        {
          when: 'Type "yes"',
          type: 'yes',
          // Someone runs docker compose up meanwhile: harbor-log and the database come up.
          before: () => {
            docker('start', 'harbor-log');
            const state = readState();
            state.containers['harbor-db']!.status = 'running';
            writeFileSync(stateFile, JSON.stringify(state));
          },
        },
      ],
      { PATH: shim.path },
    );
    expect(screen.code, screen.screen).toBe(2);
    expect(screen.screen).toContain('harbor-db is running now');
    expect(screen.screen).toContain('Nothing was started');
    expect(startCalls()).toEqual([['docker', 'start', 'harbor-log']]);
    expect(readState().containers['harbor-core']!.status).toBe('created');
  });

  it('refuses a --log-container that is not harbor-log, restarting nothing: one that logs through syslog, or runs another image', async () => {
    const stack = brokenStack();
    stack['harbor-db']!.status = 'running';
    stack.redis!.status = 'running';
    stack.exporter = { image: 'goharbor/harbor-exporter:v2.10.0', status: 'running' };
    writeState(stack);
    const before = readFileSync(stateFile, 'utf8');
    for (const [name, why] of [
      ['redis', `redis logs through the syslog driver to tcp://127.0.0.1:${port} itself, so it is not Harbor's harbor-log container`],
      ['harbor-db', `harbor-db logs through the syslog driver to tcp://127.0.0.1:${port} itself`],
      ['exporter', 'exporter runs goharbor/harbor-exporter:v2.10.0, not the harbor-log image'],
    ]) {
      for (const apply of [[], ['--apply', '--yes']]) {
        const result = await run(['--log-container', name!, ...apply, '--json']);
        expect(result.code, result.stderr).toBe(2);
        expect((JSON.parse(result.stdout) as { error: string }).error).toContain(why);
      }
    }
    expect(startCalls()).toEqual([]);
    expect(readFileSync(stateFile, 'utf8')).toBe(before);
  });

  it('refuses other targets, bad options and a host without harbor-log (exit 2)', async () => {
    writeState(brokenStack());
    await expectRefusals(run, [
      [['--target', 'k8s'], /does not support the k8s target \(supported: compose\): it starts .*the Helm chart has no harbor-log and no port 1514/],
      [['--target', 'direct'], /does not support the direct target \(supported: compose\): it starts/],
      [['--target', 'swarm'], /--target must be one of compose, k8s, direct/],
      [['--namespace', 'harbor'], /unknown option --namespace/],
      [['--syslog-address', 'localhost:1514'], /--syslog-address must be a URL/],
      [['--syslog-address', 'udp://127.0.0.1:1514'], /--syslog-address must be a tcp:\/\/ address/],
      [['--wait', '0'], /--wait must be at least 1s, got "0"/],
      [['--log-container', 'harbor log'], /--log-container must be a container name/],
      [['--log-container', 'no-such-log'], /no no-such-log container on this host/],
    ]);
    // No docker to run (here not even the shell zx starts it with): not the same as a host without harbor-log.
    const noDocker = await runCli(['run', 'restart-compose-stack', '--backup-dir', backups], { env: { PATH: dirname(process.execPath) } });
    expect(noDocker.code).toBe(2);
    expect(noDocker.stderr).toContain(
      'cannot ask Docker for the containers: cannot start docker: harbor-kb runs commands through bash, and there is no bash on PATH',
    );
    expect(noDocker.stderr).not.toContain('no output');
    expect(noDocker.stderr).not.toContain('no harbor-log container');
    writeState({ ...brokenStack(), 'harbor-log': { image: 'vmware/harbor-log:v1.4.0', status: 'exited' } });
    const old = await run([]);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('Harbor 1.4.0; this playbook knows the compose files of Harbor 1.5 and later');
    expect(startCalls()).toEqual([]);
  });
});
