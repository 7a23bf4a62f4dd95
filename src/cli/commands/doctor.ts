// harbor-kb doctor: which known Harbor problems do these logs show? Streams every
// input through the shared signature matcher in constant memory.
import { statSync, type Stats } from 'node:fs';
import { parseArgs } from 'node:util';
import { composeSources, DEFAULT_COMPOSE_LOG_DIR, k8sSources, type LogSource } from '../../doctor/collectors.ts';
import { createDoctor, type Doctor, type DoctorPage, type Finding, mergeFindings } from '../../doctor/findings.ts';
import { scanInParts } from '../../doctor/parallel-scan.ts';
import { fileBytes, LogInputError, logText, stdinBytes, utf8Line } from '../../doctor/read-log.ts';
import { reportJson, reportText } from '../../doctor/report.ts';
import { loadSignatureViews } from '../../lib/content/node.ts';
import { parseDuration } from '../../lib/duration.ts';
import { versionAffected } from '../../lib/harbor/releases.ts';
import { parseHarborVersion, versionText } from '../../lib/harbor/version.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED } from '../../playbook/errors.ts';
import { printable } from '../../playbook/run/output.ts';
import type { CliCommand } from '../command.ts';

const HELP = `Usage: harbor-kb doctor [options] [FILE...]

Reads Harbor logs and reports the known problems they show, strongest evidence
first: matching lines, first and last seen, an example line, the component, the
knowledge-base page and the playbook to run next. Reads stdin when no FILE is
given; .gz files (and gzip on stdin) are read directly. Memory stays constant
whatever the size of the logs.

Sources:
  FILE...                 log files, plain or gzip
  --compose               a docker-compose install: ${DEFAULT_COMPOSE_LOG_DIR}/*.log, or
                          \`docker logs\` of the Harbor containers when there are none
  --log-dir DIR           where --compose looks for log files (default ${DEFAULT_COMPOSE_LOG_DIR})
  --k8s                   a Helm install: \`kubectl logs\` of the release's pods
  --namespace NS          namespace of the release (with --k8s; default "default")
  --release R             Helm release name (with --k8s; required)

Options:
  --since DURATION        only lines from the last 90s, 30m, 2h, 7d (lines without a
                          timestamp still count); passed on to docker and kubectl
  --harbor VERSION        only problems that occur on this Harbor release (1.9.4) or line (1.9)
  --json                  print one JSON object instead of text
  --fail-on-match         exit 1 when a known problem is found (for CI and cron)
  --site URL              base URL of the knowledge base (http:// or https://), for full
                          page links
  -h, --help              this help

Exit codes: 0 read (nothing found, or found without --fail-on-match); 1 a known
problem found with --fail-on-match; 2 bad input (unknown option, missing file,
a named pipe or device instead of a file, not gzip, a collector that cannot run).
`;

function parseDoctorArguments(argv: readonly string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      compose: { type: 'boolean', default: false },
      'log-dir': { type: 'string' },
      k8s: { type: 'boolean', default: false },
      namespace: { type: 'string', default: 'default' },
      release: { type: 'string' },
      since: { type: 'string' },
      harbor: { type: 'string' },
      json: { type: 'boolean', default: false },
      'fail-on-match': { type: 'boolean', default: false },
      site: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** 'file' for a regular file (after symlinks), else why it cannot be read as a log. */
function fileKind(path: string): string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
  }
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'not a file (a directory)';
  if (stats.isFIFO()) return 'not a regular file (a named pipe); pipe it to stdin instead: cat FILE | harbor-kb doctor';
  return 'not a regular file (a device or socket)';
}

async function scanStream(doctor: Doctor, stream: AsyncIterable<Buffer>, name: string, count: (bytes: number) => void): Promise<void> {
  for await (const text of logText(stream, name, count)) doctor.scan(text, name);
}

async function scanCommand(doctor: Doctor, source: LogSource, count: (bytes: number) => void): Promise<void> {
  const { streams, done } = source.open();
  // Awaited below; until then a failure must not count as an unhandled rejection.
  done.catch(() => undefined);
  await Promise.all(streams.map((stream) => scanStream(doctor, stream, source.name, count)));
  await done;
}

type DoctorValues = ReturnType<typeof parseDoctorArguments>['values'];

/** The options checked before any log is read: a refusal's reason, or what the scan needs from them. */
function checkedOptions(values: DoctorValues, files: readonly string[]): string | { sinceMs?: number; harbor?: string } {
  const sourceKinds = [files.length > 0, values.compose, values.k8s].filter(Boolean).length;
  if (sourceKinds > 1) return 'give log files, --compose or --k8s, not several';
  if (values.k8s && !values.release) return '--k8s needs --release R (and --namespace NS unless it is "default")';
  const sinceMs = values.since === undefined ? undefined : parseDuration(values.since);
  if (values.since !== undefined && sinceMs === undefined) return `--since ${JSON.stringify(values.since)}: use a duration such as 90s, 30m, 2h or 7d`;
  const version = values.harbor === undefined ? undefined : parseHarborVersion(values.harbor);
  if (values.harbor !== undefined && !version) return `--harbor ${JSON.stringify(values.harbor)}: use a release such as 1.9.4 or a line such as 1.9`;
  // Page links are printed and may be opened: only web addresses (not javascript:, data:, mailto:).
  if (values.site !== undefined && !(URL.canParse(values.site) && ['http:', 'https:'].includes(new URL(values.site).protocol))) {
    return `--site ${JSON.stringify(values.site)} is not an http:// or https:// URL`;
  }
  // Opening a FIFO or a device blocks or never ends: only regular files are read.
  for (const file of files) {
    const kind = fileKind(file);
    if (kind !== 'file') return `${file}: ${kind}`;
  }
  return { sinceMs, harbor: version && versionText(version) };
}

interface Scanned {
  /** Findings of large files scanned on every core, in file order. */
  parts: Finding[][];
  sources: string[];
  bytes: number;
}

/** Reads every log the options name (the cluster's or compose's, the files, else stdin) into the doctor. */
async function scanLogs(
  doctor: Doctor,
  values: DoctorValues,
  files: string[],
  pages: readonly DoctorPage[],
  scanOptions: { since?: number; reference: number },
  sinceMs?: number,
): Promise<Scanned> {
  const scanned: Scanned = { parts: [], sources: [], bytes: 0 };
  const count = (n: number) => {
    scanned.bytes += n;
  };
  const collected = async (sources: LogSource[]) => {
    for (const source of sources) {
      scanned.sources.push(source.name);
      await scanCommand(doctor, source, count);
    }
  };
  if (values.k8s) await collected(await k8sSources({ namespace: values.namespace, release: values.release as string, sinceMs }));
  else if (values.compose) {
    const found = await composeSources({ logDir: values['log-dir'], sinceMs });
    if ('files' in found) files.push(...found.files);
    else await collected(found.sources);
  }
  if (files.length === 0 && scanned.sources.length === 0) {
    if (process.stdin.isTTY) process.stderr.write('Reading logs from stdin (end with Ctrl-D); see harbor-kb doctor --help.\n');
    scanned.sources.push('stdin');
    await scanStream(doctor, stdinBytes(), 'stdin', count);
  }
  for (const file of files) {
    const split = await scanInParts(file, pages, scanOptions);
    scanned.sources.push(file);
    // Awaited below; until then a failure must not count as an unhandled rejection.
    split.others.catch(() => undefined);
    await scanStream(doctor, await fileBytes(file, split.first), file, count);
    const others = await split.others;
    scanned.parts.push(...others.parts);
    count(others.bytes);
  }
  return scanned;
}

export const doctorCommand: CliCommand = {
  summary: 'Find known Harbor problems in logs (files, stdin, --compose, --k8s)',
  async run(argv) {
    let options: ReturnType<typeof parseDoctorArguments>;
    try {
      options = parseDoctorArguments(argv);
    } catch (error) {
      process.stderr.write(`error: ${(error as Error).message}\nRun harbor-kb doctor --help for the options.\n`);
      return EXIT_REFUSED;
    }
    const { values, positionals: files } = options;
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT_OK;
    }
    const refuse = (message: string) => {
      process.stderr.write(`error: ${printable(message)}\n`);
      return EXIT_REFUSED;
    };
    const checked = checkedOptions(values, files);
    if (typeof checked === 'string') return refuse(checked);
    const { sinceMs, harbor } = checked;

    const pages = (await loadSignatureViews()).filter((page) => harbor === undefined || versionAffected(page.harbor?.affected ?? [], harbor));
    const scanOptions = { since: sinceMs === undefined ? undefined : Date.now() - sinceMs, reference: Date.now() };
    const doctor = createDoctor(pages, { ...scanOptions, decode: utf8Line });
    let scanned: Scanned;
    try {
      scanned = await scanLogs(doctor, values, files, pages, scanOptions, sinceMs);
    } catch (error) {
      if (error instanceof LogInputError) return refuse(error.message);
      throw error;
    }

    const findings = mergeFindings([doctor.findings(), ...scanned.parts]);
    const context = { sources: scanned.sources, bytes: scanned.bytes, site: values.site };
    process.stdout.write(values.json ? `${JSON.stringify(reportJson(findings, context), null, 2)}\n` : printable(reportText(findings, context)));
    return values['fail-on-match'] && findings.length > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
