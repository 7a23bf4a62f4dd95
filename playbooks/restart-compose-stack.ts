// Brings a docker-compose Harbor back after a reboot or a Docker restart left only some of its
// containers running (content/issues/en/compose-startup-log-driver-1514.mdx): every container
// but harbor-log logs through Docker's syslog driver to harbor-log's port 1514, and the daemon
// refuses to start a container whose driver cannot connect. Reads each container's state with
// docker inspect, dials the driver's address, and with --apply starts harbor-log, waits until
// the address accepts, then starts the others one by one in the order of Harbor's compose
// templates (COMPOSE_START_ORDER). It never runs `docker compose down`, which would remove
// the containers, and changes nothing on disk.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findingLine, pageSection, seeSection } from '../src/checks/finding.ts';
import { checkLogDriverPort, DEFAULT_SYSLOG_ADDRESS, type LogDriverPortReport } from '../src/checks/port-listener.ts';
import { COMPOSE_START_ORDER } from '../src/lib/harbor/compose-containers.ts';
import { parseHarborVersion, releaseOf, type HarborVersion } from '../src/lib/harbor/version.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, refuse } from '../src/playbook/errors.ts';
import { duration, text, url } from '../src/playbook/flags.ts';
import { commandError, commandText, runProcess, type Command } from '../src/playbook/platform/commands.ts';
import { CONTAINER_NAME } from '../src/playbook/platform/targets.ts';
import type { PlanFinding, Step } from '../src/playbook/types.ts';

const PAGE = 'compose-startup-log-driver-1514';
const SEE_CHECK = seeSection(pageSection(PAGE, '1. Check harbor-log and port 1514'));
const SEE_ADDRESS = seeSection(pageSection(PAGE, '2. Check which address the logging driver dials'));
const SEE_RESTART = seeSection(pageSection(PAGE, '3. Restart the stack in dependency order'));

/** What docker inspect says about one container (the fields this playbook reads). */
interface Inspected {
  Name: string;
  Config?: { Image?: string };
  State: { Status: string; Running?: boolean; ExitCode?: number; Error?: string };
  HostConfig?: { LogConfig?: { Type?: string; Config?: Record<string, string> } };
}

interface ContainerState {
  name: string;
  status: string;
  exitCode: number;
  error: string;
  image: string;
  /** HostConfig.LogConfig.Type: harbor-log logs with Docker's default (json-file), every other Harbor container with syslog. */
  logDriver: string;
  syslogAddress: string | undefined;
}

/** How --apply brings a container up: start a stopped one, restart one stuck restarting (or harbor-log not accepting). */
interface Action {
  container: ContainerState;
  verb: 'start' | 'restart';
}

const docker = (argv: readonly string[]): Command => ({ argv: ['docker', ...argv] });

/** The Harbor containers that exist, by name, from one docker inspect of every name a compose install may use. */
async function inspectStack(names: readonly string[]): Promise<Map<string, ContainerState>> {
  const command = docker(['inspect', '--type', 'container', ...names]);
  const result = await runProcess(command);
  // docker inspect prints the containers it found and exits 1 when any name is missing, saying so
  // for each; a docker that ran and says nothing at all gets a hint (one that could not be started
  // says why itself: commandError).
  const errors = result.stderr.split('\n').filter(Boolean);
  const missingOnly = errors.length > 0 && errors.every((line) => /No such (object|container)/i.test(line));
  if (result.exitCode !== 0 && !missingOnly) {
    const silent =
      !result.notStarted && errors.length === 0 && !result.stdout.trim()
        ? ' (docker could not be run: is it installed and on PATH, and may this user use it?)'
        : '';
    throw refuse(`cannot ask Docker for the containers: ${commandError(command, result)}${silent}`);
  }
  const found = JSON.parse(result.stdout.trim() || '[]') as Inspected[];
  return new Map(
    found.map((entry) => {
      const name = entry.Name.replace(/^\//, '');
      const log = entry.HostConfig?.LogConfig;
      return [
        name,
        {
          name,
          status: entry.State.Status,
          exitCode: entry.State.ExitCode ?? 0,
          error: entry.State.Error ?? '',
          image: entry.Config?.Image ?? '',
          logDriver: log?.Type ?? '',
          syslogAddress: log?.Type === 'syslog' ? log.Config?.['syslog-address'] : undefined,
        },
      ];
    }),
  );
}

/** The release in harbor-log's image tag (goharbor/harbor-log:v2.10.0), when it has one. */
function releaseOfImage(image: string): HarborVersion | undefined {
  const tag = /:([^:/]+)$/.exec(image)?.[1];
  return tag === undefined ? undefined : parseHarborVersion(tag);
}

const FLAGS = {
  'syslog-address': url({
    help: "The logging driver's syslog-address (docker-compose.yml). Default: what the containers' own log configuration says (docker inspect), else tcp://localhost:1514 (tcp://127.0.0.1:1514 up to Harbor 2.2).",
    example: 'tcp://127.0.0.1:1514',
  }),
  'log-container': text({
    default: 'harbor-log',
    ...CONTAINER_NAME,
    help: 'The harbor-log container (its name, if docker-compose.yml renames it), whose rsyslog the address reaches; a container that is not harbor-log (another image, or one that logs through syslog itself) is refused.',
  }),
  wait: duration({
    default: 60,
    min: 1,
    max: 3600,
    help: 'How long to wait for the address to accept connections after harbor-log starts.',
  }),
};

/** Whether the driver's address accepts: its first resolved address must (the daemon dials that one). */
const accepts = (port: LogDriverPortReport) => port.dials.some((dial) => dial.address === port.resolved[0] && dial.listening);

async function waitUntilAccepting(address: string, seconds: number): Promise<LogDriverPortReport> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const port = await checkLogDriverPort({ address, timeoutMs: 1000 });
    if (accepts(port) || Date.now() > deadline) return port;
    await new Promise((done) => setTimeout(done, 250));
  }
}

function describeState(container: ContainerState): string {
  const exit = container.status === 'exited' ? ` (exit ${container.exitCode})` : '';
  return `${container.name}: ${container.status}${exit}${container.error ? `, last start failed: ${container.error}` : ''}`;
}

/**
 * Confirm before change: right before the first start, each selected container is read again
 * and a stopped one must still not be running (harbor-log, selected because its port did not
 * accept, must still not accept). One that is fine now refuses the whole apply with nothing
 * started. A container that was restarting in a loop is restarted whatever it shows.
 */
async function confirmStillDown(actions: readonly Action[], logName: string, address: string): Promise<void> {
  const now = await inspectStack(actions.map((action) => action.container.name));
  const healthy: string[] = [];
  for (const action of actions) {
    const { container } = action;
    const current = now.get(container.name);
    if (!current) healthy.push(`${container.name} no longer exists`);
    else if (container.name === logName && current.status === 'running' && accepts(await checkLogDriverPort({ address, timeoutMs: 1000 })))
      healthy.push(`${logName} is running and ${address} accepts now`);
    // A container caught in a restart loop shows `running` between two crashes: only a stopped one counts as fixed when it runs.
    else if (container.name !== logName && action.verb === 'start' && current.status === 'running') healthy.push(`${container.name} is running now`);
  }
  if (healthy.length)
    throw refuse(
      `right before starting anything, the stack no longer matched the plan (${healthy.join('; ')}): something else is starting it. Nothing was started; rerun the dry-run.`,
    );
}

/**
 * docker restart stops the container before it starts it again, so a restart whose start half
 * failed has taken down a container that was up (running, or kept restarting by its policy):
 * that is a change, with `docker start` as its restore. Empty when it is still up, or for a start.
 */
async function downAfterFailedRestart(action: Action): Promise<string[]> {
  if (action.verb !== 'restart') return [];
  const { name, status } = action.container;
  let now: string;
  try {
    now = (await inspectStack([name])).get(name)?.status ?? 'gone';
  } catch {
    now = 'in an unknown state (docker inspect failed)';
  }
  return now === 'running' || now === 'restarting' ? [] : [`${name} was ${status} and is ${now} after the failed restart`];
}

function restartStep(actions: Action[], logName: string, address: string, waitSeconds: number, backupPath: (what: string, extension: string) => string): Step {
  const command = (action: Action) => docker([action.verb, action.container.name]);
  const log = actions.find((action) => action.container.name === logName);
  const others = actions.filter((action) => action !== log);
  // What "back as it was" means here: the containers this run starts stopped again.
  const stopAgain = (started: readonly Action[]) =>
    started.filter((action) => action.verb === 'start').length
      ? [
          commandText(
            docker([
              'stop',
              ...started
                .filter((action) => action.verb === 'start')
                .map((action) => action.container.name)
                .reverse(),
            ]),
          ),
        ]
      : [];
  return {
    description: `start ${actions.length} Harbor container(s) in dependency order${log ? `, ${logName} first and waiting for ${address}` : ''}`,
    preview: [
      `re-read each container first (docker inspect): if any is running now, nothing starts`,
      ...(log ? [commandText(command(log)), `wait until ${address} accepts connections (at most ${waitSeconds} s)`] : []),
      ...others.map((action) => commandText(command(action))),
    ],
    expected: actions.length,
    async backup() {
      // Starting containers changes no file: this records the states it found, not a copy of anything.
      const path = resolve(backupPath('states', 'json'));
      const states = actions.map(({ container, verb }) => ({ ...container, action: verb }));
      writeFileSync(path, JSON.stringify({ syslogAddress: address, containers: states }, null, 2) + '\n', { mode: 0o600 });
      return {
        path,
        description: `the containers' states before the start (nothing on disk changes, so there is nothing else to back up; ${stopAgain(actions)[0] ?? 'no container is started'} stops them again)`,
        restore: stopAgain(actions),
      };
    },
    async execute() {
      await confirmStillDown(actions, logName, address);
      const done: Action[] = [];
      const stopped = async (why: string, failed?: Action) => {
        const down = failed ? await downAfterFailedRestart(failed) : [];
        if (done.length === 0 && down.length === 0) return fail(`${why}; nothing was started`);
        return incomplete(
          why,
          [...done.map((action) => `${action.container.name} ${action.verb}ed`), ...down],
          [...(down.length && failed ? [commandText(docker(['start', failed.container.name]))] : []), ...stopAgain(done)],
        );
      };
      if (log) {
        const result = await runProcess(command(log));
        if (result.exitCode !== 0) throw await stopped(`could not ${log.verb} ${logName}: ${commandError(command(log), result)}`, log);
        done.push(log);
        const port = await waitUntilAccepting(address, waitSeconds);
        if (!accepts(port)) {
          throw await stopped(
            `${logName} ${log.verb}ed, but ${address} did not accept connections within ${waitSeconds} s (${port.findings.map((finding) => finding.message).join('; ')}); the other containers were not started. Read docker logs ${logName} (${SEE_CHECK})`,
          );
        }
      }
      const skipped: string[] = [];
      for (const action of others) {
        // Right before each start: its restart policy may have brought a stopped one up meanwhile.
        const current = action.verb === 'start' ? (await inspectStack([action.container.name])).get(action.container.name) : undefined;
        if (current?.status === 'running') {
          skipped.push(action.container.name);
          continue;
        }
        const result = await runProcess(command(action));
        if (result.exitCode !== 0) throw await stopped(`could not ${action.verb} ${action.container.name}: ${commandError(command(action), result)}`, action);
        done.push(action);
      }
      const alreadyUp = skipped.length ? `; ${skipped.join(', ')} came up on ${skipped.length === 1 ? 'its' : 'their'} own meanwhile` : '';
      return {
        changed: done.length,
        detail: `${done.map((action) => `${action.verb}ed ${action.container.name}`).join(', ')}${alreadyUp}`,
        data: { order: done.map((action) => action.container.name), skipped },
      };
    },
    async verify() {
      const now = await inspectStack(actions.map((action) => action.container.name));
      const down = actions.flatMap(({ container: { name } }) => {
        const current = now.get(name);
        if (!current) return [`${name} is gone`];
        return current.status === 'running' ? [] : [describeState(current)];
      });
      const port = await checkLogDriverPort({ address, timeoutMs: 1000 });
      const problems = [...down, ...(accepts(port) ? [] : [`${address} does not accept connections`])];
      if (problems.length) throw fail(`after the start: ${problems.join('; ')}`);
      return `all ${actions.length} container(s) are running and ${address} accepts connections`;
    },
  };
}

/**
 * --log-container must name harbor-log itself (renamed, perhaps): restarting any other container
 * while harbor-log is down stops it, and its syslog driver then keeps it from starting again.
 * harbor-log runs Harbor's harbor-log image (goharbor/harbor-log, vmware/harbor-log up to 1.5)
 * and, being the syslog server, does not log through the syslog driver itself.
 */
function refuseUnlessLogContainer(log: ContainerState): void {
  const wrong = (why: string) =>
    refuse(
      `${log.name} ${why}, so it is not Harbor's harbor-log container; --log-container names the container whose rsyslog the logging driver's address reaches (${SEE_CHECK})`,
    );
  if (log.logDriver === 'syslog') throw wrong(`logs through the syslog driver${log.syslogAddress ? ` to ${log.syslogAddress}` : ''} itself`);
  const repository = log.image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  if (!/(^|\/)harbor-log$/.test(repository)) throw wrong(`runs ${log.image || 'an image without a name'}, not the harbor-log image`);
}

/** Which Harbor harbor-log's image names; refuses the releases before 1.5, whose compose files this playbook does not know. */
function releaseFinding(log: ContainerState, containers: number): PlanFinding {
  const version = releaseOfImage(log.image);
  if (!version)
    return {
      level: 'warn',
      message: `${log.name} runs ${log.image || 'an image without a tag'}, which names no Harbor release; going by the container names of Harbor 1.5 and later.`,
    };
  const release = releaseOf(version);
  if (version.major === 0 || (version.major === 1 && version.minor < 5))
    throw refuse(`${log.name} runs ${log.image}: Harbor ${release}; this playbook knows the compose files of Harbor 1.5 and later`);
  return { level: 'info', message: `Harbor ${release} (${log.name} image ${log.image}); ${containers} Harbor containers found.` };
}

/** The containers to bring up, in start order, each with a finding; a dead or paused one is named and left alone. */
function selectActions(
  order: readonly string[],
  stack: ReadonlyMap<string, ContainerState>,
  logName: string,
  port: LogDriverPortReport,
  findings: PlanFinding[],
): Action[] {
  const driverError = new RegExp(`failed to initialize logging driver: dial tcp [^ ]*:${port.port}\\b`, 'i');
  const actions: Action[] = [];
  for (const name of order) {
    const container = stack.get(name);
    if (!container || (container.status === 'running' && (name !== logName || accepts(port)))) continue;
    const cause = driverError.test(container.error) ? ' — its logging driver could not reach harbor-log' : '';
    findings.push({ level: 'problem', message: `${describeState(container)}${cause} (${SEE_CHECK})`, data: { ...container } });
    if (container.status === 'dead' || container.status === 'paused') {
      const remedy = container.status === 'paused' ? `docker unpause ${name}` : 'remove it and let docker compose up -d recreate it';
      findings.push({ level: 'warn', message: `${name} is ${container.status}: ${remedy}; this playbook leaves it alone.` });
      continue;
    }
    actions.push({ container, verb: container.status === 'running' || container.status === 'restarting' ? 'restart' : 'start' });
  }
  return actions;
}

export const restartComposeStack = definePlaybook({
  name: 'restart-compose-stack',
  title: 'Restart a docker-compose Harbor in dependency order',
  summary:
    "Reads the state of every Harbor container (docker inspect) and whether the logging driver's address (port 1514) accepts connections, names the containers the daemon did not start because their syslog driver could not connect, and with --apply starts harbor-log, waits until the port accepts, then starts the other stopped containers one by one in the order of Harbor's compose file (database, redis, registry, core, portal, jobservice, nginx). Never runs docker compose down. docker-compose installs of Harbor 1.5 and later.",
  remediates: ['compose-startup-log-driver-1514'],
  flags: FLAGS,
  targets: ['compose'],
  targetNote:
    'it starts the containers of a docker-compose install; the Helm chart has no harbor-log and no port 1514 (its pods log to stdout), and direct has no containers',
  mutates: true,
  requires: [],
  async plan(context) {
    const { values } = context;
    const given = values['syslog-address'];
    // A udp or unix address never refuses a container's start: only a TCP one can cause this failure, and only a TCP one is dialled here.
    if (given !== undefined && !/^tcp(\+tls)?:$/.test(new URL(given).protocol))
      throw refuse(`--syslog-address must be a tcp:// address (Harbor's compose file uses tcp://…:1514), got ${given}`);
    const logName = values['log-container'];
    const order = [logName, ...COMPOSE_START_ORDER.filter((name) => name !== logName)];
    const stack = await inspectStack(order);
    const log = stack.get(logName);
    if (!log)
      throw refuse(
        `no ${logName} container on this host: this is not a Harbor docker-compose host, or its containers were removed (docker compose down). In the folder of Harbor's docker-compose.yml, docker compose up -d creates them (${SEE_RESTART})`,
      );
    refuseUnlessLogContainer(log);
    const findings: PlanFinding[] = [releaseFinding(log, stack.size)];
    const fromContainers = [...stack.values()].find((container) => container.syslogAddress)?.syslogAddress;
    const address = values['syslog-address'] ?? fromContainers ?? DEFAULT_SYSLOG_ADDRESS;
    const port = await checkLogDriverPort({ address, timeoutMs: 2000 });
    for (const finding of port.findings) {
      findings.push({ level: finding.level === 'ok' ? 'info' : 'problem', message: findingLine(finding) });
    }
    const actions = selectActions(order, stack, logName, port, findings);
    const facts = { syslogAddress: address, accepting: accepts(port), containers: [...stack.values()].map(({ name, status }) => ({ name, status })) };
    if (actions.length === 0) return { findings, steps: [], facts };
    // The driver dials an address nobody listens on while another one answers (localhost → ::1): starting again cannot help.
    if (port.fix && log.status === 'running') {
      const why = `${address} does not reach ${logName}, which listens on IPv4 only: point the driver at 127.0.0.1 first (${port.fix}, then docker compose up -d) (${SEE_ADDRESS})`;
      if (context.apply) throw refuse(`${why}; nothing was started`);
      findings.push({ level: 'warn', message: `${why}; --apply is refused until then.` });
      return { findings, steps: [], facts };
    }
    return { findings, steps: [restartStep(actions, logName, address, values.wait, context.backupPath)], facts };
  },
});
