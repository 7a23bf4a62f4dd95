// A `docker` and a `kubectl` placed first on PATH for tests of the compose and k8s targets of
// the registry playbooks. Each records its exact argv (JSON lines). `docker exec <container>`
// and `kubectl exec <workload> -c <container> --` run the inner command locally (the test
// passes a local storage path, so the paths inside are real); every other command line is
// answered from `answers`: the current content of a file (e.g. a log the test appends to),
// or a JSON object that `kubectl patch --type merge -p` merges into (e.g. a configmap).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShimAnswer {
  /** The argv (after the tool name) starts with these. */
  prefix: string[];
  /** Printed on stdout (read when called). */
  file?: string;
  /** With `kubectl patch ... -p <json>`: merged into `file` (a JSON object). */
  mergePatch?: boolean;
  /** Printed on stderr (e.g. a daemon's error). */
  stderr?: string;
  exitCode?: number;
}

export interface CommandShimOptions {
  /** docker exec: the only container that exists. */
  container?: string;
  /** kubectl exec: the namespace, workload and container that exist. */
  namespace?: string;
  workload?: string;
  kubeContainer?: string;
  answers?: ShimAnswer[];
}

export interface CommandShim {
  /** PATH with the shims first. */
  path: string;
  calls(): string[][];
  cleanup(): void;
}

const SOURCE = String.raw`
const { appendFileSync, readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { basename } = require('node:path');
const config = JSON.parse(readFileSync(process.env.HKB_COMMAND_SHIM ?? __CONFIG__, 'utf8'));
const tool = basename(process.argv[1]);
const argv = process.argv.slice(2);
appendFileSync(config.log, JSON.stringify([tool, ...argv]) + '\n');
const runLocally = (inner) => {
  const result = spawnSync(inner[0], inner.slice(1), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
};
if (tool === 'docker' && argv[0] === 'exec') {
  let i = 1;
  while (argv[i] && argv[i].startsWith('-')) i += argv[i] === '-e' ? 2 : 1;
  if (argv[i] !== config.container) { process.stderr.write('Error response from daemon: No such container: ' + argv[i] + '\n'); process.exit(1); }
  runLocally(argv.slice(i + 1));
}
if (tool === 'kubectl' && argv.includes('exec')) {
  const at = argv.indexOf('exec');
  const workload = argv.slice(at + 1).find((arg) => !arg.startsWith('-'));
  const container = argv[argv.indexOf('-c') + 1];
  if (argv[1] !== config.namespace || workload !== config.workload || container !== config.kubeContainer) {
    process.stderr.write('Error from server (NotFound): ' + workload + ' not found\n');
    process.exit(1);
  }
  runLocally(argv.slice(argv.indexOf('--') + 1));
}
const answer = config.answers.find((candidate) => candidate.prefix.every((part, index) => argv[index] === part));
if (!answer) { process.stderr.write(tool + ': no answer for ' + argv.join(' ') + '\n'); process.exit(1); }
if (answer.mergePatch) {
  const patch = JSON.parse(argv[argv.indexOf('-p') + 1]);
  const object = JSON.parse(readFileSync(answer.file, 'utf8'));
  for (const [key, value] of Object.entries(patch)) object[key] = typeof value === 'object' && value ? { ...object[key], ...value } : value;
  writeFileSync(answer.file, JSON.stringify(object));
} else if (answer.file) process.stdout.write(readFileSync(answer.file, 'utf8'));
if (answer.stderr) process.stderr.write(answer.stderr);
process.exit(answer.exitCode ?? 0);
`;

export function createCommandShim(options: CommandShimOptions): CommandShim {
  const dir = mkdtempSync(join(tmpdir(), 'hkb-cmdshim-'));
  const log = join(dir, 'calls.jsonl');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    log,
    container: options.container ?? 'registry',
    namespace: options.namespace ?? 'default',
    workload: options.workload ?? 'deploy/harbor-registry',
    kubeContainer: options.kubeContainer ?? 'registry',
    answers: options.answers ?? [],
  }));
  for (const tool of ['docker', 'kubectl']) {
    const file = join(dir, tool);
    writeFileSync(file, `#!${process.execPath}\n${SOURCE.replace('__CONFIG__', JSON.stringify(configFile))}`);
    chmodSync(file, 0o755);
  }
  return {
    path: `${dir}:${process.env.PATH}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]) : []),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
