// Whether the syslog logging driver of Harbor's docker-compose containers can reach harbor-log:
// the daemon dials the compose file's syslog-address (tcp://127.0.0.1:1514 up to 2.2,
// tcp://localhost:1514 from 2.3), and a container whose driver cannot connect is not started.
// Dials 127.0.0.1, ::1 and every address the host name resolves to, in the resolver's order.
// Page: compose-startup-log-driver-1514.
import { lookup } from 'node:dns/promises';
import { connect, isIP } from 'node:net';
import { pageSection, type CheckFinding } from './finding.ts';

const PAGE = 'compose-startup-log-driver-1514';
const HARBOR_LOG = pageSection(PAGE, '1. Check harbor-log and port 1514');
const DRIVER_ADDRESS = pageSection(PAGE, '2. Check which address the logging driver dials');

export const DEFAULT_SYSLOG_ADDRESS = 'tcp://localhost:1514';

export interface LogDriverPortOptions {
  /** The syslog-address of docker-compose.yml (default tcp://localhost:1514). */
  address?: string;
  timeoutMs?: number;
}

export interface Dial {
  address: string;
  listening: boolean;
  /** Why not, e.g. ECONNREFUSED. */
  error: string | undefined;
}

export interface LogDriverPortReport {
  host: string;
  port: number;
  /** What the host name resolves to, first first (as getent ahosts lists it); the literal for an IP. */
  resolved: string[];
  dials: Dial[];
  findings: CheckFinding[];
  /** The page's step 2 edit, when the driver should dial 127.0.0.1 instead. */
  fix: string | undefined;
}

/** The first syslog-address in a docker-compose.yml, without quotes. */
export function readSyslogAddress(composeYaml: string): string | undefined {
  return /^\s*syslog-address:\s*["']?([^"'\s]+)["']?/m.exec(composeYaml)?.[1];
}

function dial(address: string, port: number, timeoutMs: number): Promise<Dial> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (error: string | undefined) => {
      socket.destroy();
      resolve({ address, listening: error === undefined, error });
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

const hostPort = (address: string, port: number) => (isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);

export async function checkLogDriverPort(options: LogDriverPortOptions = {}): Promise<LogDriverPortReport> {
  const address = options.address ?? DEFAULT_SYSLOG_ADDRESS;
  const url = new URL(address);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 514);
  const report: LogDriverPortReport = { host, port, resolved: [], dials: [], findings: [], fix: undefined };
  try {
    report.resolved = isIP(host) ? [host] : (await lookup(host, { all: true, order: 'verbatim' })).map((entry) => entry.address);
  } catch (error) {
    report.findings.push({
      level: 'error',
      message: `${host} does not resolve: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      section: DRIVER_ADDRESS,
    });
    return report;
  }
  const addresses = [...new Set([...report.resolved, '127.0.0.1', '::1'])];
  report.dials = await Promise.all(addresses.map((candidate) => dial(candidate, port, options.timeoutMs ?? 3000)));
  const first = report.dials.find((entry) => entry.address === report.resolved[0])!;
  const listening = report.dials.filter((entry) => entry.listening).map((entry) => hostPort(entry.address, port));
  const via = isIP(host) ? '' : `${host} resolves to ${report.resolved.join(', ')}; `;
  if (first.listening) {
    report.findings.push({
      level: 'ok',
      message: `${via}the driver's first address ${hostPort(first.address, port)} accepts connections`,
      section: HARBOR_LOG,
    });
  } else if (listening.length === 0) {
    report.findings.push({
      level: 'error',
      message: `nothing listens on ${addresses.map((candidate) => hostPort(candidate, port)).join(', ')} (${first.error}): harbor-log is down or not healthy`,
      section: HARBOR_LOG,
    });
  } else {
    report.findings.push({
      level: 'error',
      message: `${via}nothing listens on ${hostPort(first.address, port)} (${first.error}), but ${listening.join(', ')} does`,
      section: DRIVER_ADDRESS,
    });
    if (report.dials.some((entry) => entry.address === '127.0.0.1' && entry.listening)) {
      report.fix = `sed -i 's#syslog-address: "${address}"#syslog-address: "tcp://127.0.0.1:${port}"#' docker-compose.yml`;
    }
  }
  return report;
}
