import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../test/support/net.ts';
import { checkLogDriverPort, readSyslogAddress } from './port-listener.ts';

// Real listeners on loopback stand for harbor-log's published port; a random free port stands
// for 1514 so the tests do not depend on (or collide with) anything on the machine.
const listeners: Server[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listenOn(port: number, ...addresses: string[]) {
  for (const address of addresses) {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, address, resolve));
    listeners.push(server);
  }
}

describe('checkLogDriverPort with real listeners', () => {
  it('passes when the driver address accepts connections', async () => {
    const port = await freeLoopbackPort();
    await listenOn(port, '127.0.0.1');
    const report = await checkLogDriverPort({ address: `tcp://127.0.0.1:${port}` });
    expect(report.dials).toEqual([
      { address: '127.0.0.1', listening: true, error: undefined },
      { address: '::1', listening: false, error: 'ECONNREFUSED' },
    ]);
    expect(report.findings).toEqual([
      {
        level: 'ok',
        message: `the driver's first address 127.0.0.1:${port} accepts connections`,
        section: 'compose-startup-log-driver-1514 › 1. Check harbor-log and port 1514',
      },
    ]);
    expect(report.fix).toBeUndefined();
  });

  it('resolves localhost as the system does and passes when both loopbacks listen', async () => {
    const port = await freeLoopbackPort();
    await listenOn(port, '127.0.0.1', '::1');
    const report = await checkLogDriverPort({ address: `tcp://localhost:${port}` });
    const system = (await lookup('localhost', { all: true, order: 'verbatim' })).map((entry) => entry.address);
    expect(report.resolved).toEqual(system);
    expect(report.findings.map((finding) => finding.level)).toEqual(['ok']);
    expect(report.findings[0]!.message).toMatch(/^localhost resolves to /);
  });

  it('names 127.0.0.1 and gives the sed when the driver dials ::1 where nothing listens', async () => {
    const port = await freeLoopbackPort();
    await listenOn(port, '127.0.0.1');
    const report = await checkLogDriverPort({ address: `tcp://[::1]:${port}` });
    expect(report.findings).toEqual([
      {
        level: 'error',
        message: `nothing listens on [::1]:${port} (ECONNREFUSED), but 127.0.0.1:${port} does`,
        section: 'compose-startup-log-driver-1514 › 2. Check which address the logging driver dials',
      },
    ]);
    expect(report.fix).toBe(`sed -i 's#syslog-address: "tcp://[::1]:${port}"#syslog-address: "tcp://127.0.0.1:${port}"#' docker-compose.yml`);
  });

  it('says harbor-log is down when nothing listens anywhere', async () => {
    const port = await freeLoopbackPort();
    const report = await checkLogDriverPort({ address: `tcp://localhost:${port}` });
    expect(report.dials.every((entry) => !entry.listening)).toBe(true);
    expect(report.findings).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/^nothing listens on .*127\.0\.0\.1:\d+.*\[::1\]:\d+ \(ECONNREFUSED\): harbor-log is down/),
      }),
    ]);
    expect(report.fix).toBeUndefined();
  });

  it('reports a name that does not resolve', async () => {
    const report = await checkLogDriverPort({ address: 'tcp://no-such-host.invalid:1514' });
    expect(report.findings).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/^no-such-host\.invalid does not resolve: ENOTFOUND/) }),
    ]);
  });
});

describe('readSyslogAddress', () => {
  it("reads the address of Harbor's compose file, 2.3+ and 2.2 spellings", () => {
    const compose = [
      'services:',
      '  registry:',
      '    logging:',
      '      driver: "syslog"',
      '      options:',
      '        syslog-address: "tcp://localhost:1514"',
      '        tag: "registry"',
    ].join('\n');
    expect(readSyslogAddress(compose)).toBe('tcp://localhost:1514');
    expect(readSyslogAddress('      options:\n        syslog-address: tcp://127.0.0.1:1514\n')).toBe('tcp://127.0.0.1:1514');
    expect(readSyslogAddress('services: {}\n')).toBeUndefined();
  });
});
