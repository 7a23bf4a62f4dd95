// npm run bench:doctor: first how often the doctor names the right page in the held-out
// corpus's pastes, and names none for its near misses (dev and the frozen test split side by
// side, test/support/doctor-eval.ts); then its throughput and peak memory beside
// `grep -E -c` with the same patterns on the same generated 1 GB log, in one run.
// The log (realistic Harbor lines of every component, with a sprinkling of the
// pages' own error lines) is written to a temp dir and removed afterwards.
// Peak memory is GNU time's maximum resident set size (Debian package "time").
// BENCH_DOCTOR_BYTES overrides the size.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCanonicalPages } from '../src/lib/content/node.ts';
import { titledSignatureView } from '../src/lib/content/signatures.ts';
import { caseFoldedPattern } from '../src/matcher/signature-matcher.ts';
import { scoreDoctor } from '../test/support/doctor-eval.ts';
import { CORPUS_DIR, existingPageIds, FROZEN_SPLITS, readQuerySet } from '../test/support/search-eval.ts';

const SIZE = Number(process.env.BENCH_DOCTOR_BYTES ?? 1024 ** 3);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install time`);
const CLI = fileURLToPath(new URL('../bin/harbor-kb.mjs', import.meta.url));

const pages = await loadCanonicalPages();

// Recognition on queries nobody here wrote: the frozen split is scored, never read.
const doctorPages = pages.map(titledSignatureView);
const known = existingPageIds();
const splits: [string, string][] = [['dev', `${CORPUS_DIR}/dev.json`], ...FROZEN_SPLITS.map((split): [string, string] => [split.name, split.set])];
const recognition = splits.map(([name, file]) => [name, scoreDoctor(readQuerySet(file), doctorPages, known)] as const);
const percent = (share: number) => (Number.isNaN(share) ? 'n/a' : share.toFixed(3));
process.stdout.write(
  [
    'doctor on the held-out corpus: pastes with a page (named first / named at all), near misses named',
    ...recognition.map(
      ([name, f]) =>
        `${name.padEnd(14)} ${String(f.pastes).padStart(4)} pastes ${percent(f.namedFirst)} / ${percent(f.named)}   ${String(f.nearMisses).padStart(4)} near misses ${percent(f.nearMissesNamed)}`,
    ),
    '',
  ].join('\n'),
);
const problems = pages.flatMap((page) => page.shared.errors.filter((error) => error.source !== 'web-ui').map((error) => error.text));

/** grep -E has no per-pattern case flag: case-insensitive patterns get [aA] classes (kept as they are when they have a class). */
const grepPattern = (pattern: string, ignoreCase: boolean) => (ignoreCase ? (caseFoldedPattern(pattern) ?? pattern) : pattern);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** One block of ~2000 lines as Harbor 1.x/2.x components write them. */
function block(seq: number, withProblem: boolean): string {
  const lines: string[] = [];
  const base = Date.UTC(2020, 4, 17) + seq * 1000;
  for (let i = 0; i < 2000; i++) {
    const t = new Date(base + i * 7);
    const iso = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}Z`;
    const slash = `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
    const ip = `10.14.${i % 250}.${(seq + i) % 250}`;
    switch (i % 8) {
      case 0:
        lines.push(`${slash} [D] [server.go:2774] |  ${ip}| 200 |   ${(i % 97) / 10}ms|   match| GET      /api/ping   r:/api/ping`);
        break;
      case 1:
        lines.push(
          `${slash} [D] [server.go:2774] |  ${ip}| 200 |  ${(i % 89) + 3}.18ms|   match| GET      /api/projects/${i % 40}/summary   r:/api/projects/:id([0-9]+)/summary`,
        );
        break;
      case 2:
        lines.push(
          `${iso} [INFO] [/jobservice/worker/cworker/c_worker.go:72]: Job incoming: {"name":"REPLICATION","id":"${(seq * 2000 + i).toString(16)}a9e1c0f3","kind":"Generic"}`,
        );
        break;
      case 3:
        lines.push(
          `time="${iso}" level=info msg="response completed" go.version=go1.13.8 http.request.host=core:8080 http.request.id=${(seq + i).toString(36)}-4d1 http.request.method=GET http.request.remoteaddr=${ip} http.request.uri="/v2/library/app${i % 30}/manifests/v1.${i % 9}" http.response.duration=${i % 50}.2ms http.response.status=200 service=registry`,
        );
        break;
      case 4:
        lines.push(
          `${ip} - - [17/May/2020:15:${pad((seq + i) % 60)}:${pad(i % 60)} +0000] "GET /v2/library/app${i % 30}/blobs/sha256:${(seq * 7919 + i).toString(16).padStart(12, '0')} HTTP/1.1" 200 ${1000 + i} "-" "docker/19.03.8 go/go1.13.8" ${(i % 9) / 100} ${(i % 9) / 100} .`,
        );
        break;
      case 5:
        lines.push(`${iso} [WARNING] [/core/systeminfo/imagestorage/filesystem/driver.go:51]: The path /data is not found, will return zero value of capacity`);
        break;
      case 6:
        lines.push(`${iso} [INFO] [/pkg/scheduler/scheduler.go:${100 + (i % 50)}]: the periodic job ${seq % 100} is scheduled, next run at ${iso}`);
        break;
      default:
        lines.push(
          `${iso.replace('T', ' ').replace('Z', '.123 UTC')} [${(seq + i) % 9000}] LOG:  checkpoint complete: wrote ${i % 300} buffers (0.${i % 10}%); 0 WAL file(s) added, 0 removed, 1 recycled`,
        );
    }
  }
  if (withProblem && problems.length > 0) lines[seq % 2000] = `2020-05-17T15:32:55Z ${problems[seq % problems.length]}`;
  return `${lines.join('\n')}\n`;
}

function timed(command: string[]): { seconds: number; peakKiB: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(TIME, ['-f', '%M', ...command], { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && !(command[0] === 'grep' && result.status === 1)) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr}`);
  const peakKiB = Number(result.stderr.trim().split('\n').at(-1));
  return { seconds, peakKiB, stdout: result.stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'harbor-kb-bench-'));
try {
  const log = join(dir, 'harbor.log');
  const out = createWriteStream(log);
  let written = 0;
  for (let seq = 0; written < SIZE; seq++) {
    const text = block(seq, seq % 5 === 0);
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const bytes = statSync(log).size;

  const patterns = join(dir, 'patterns.txt');
  writeFileSync(patterns, pages.flatMap((page) => page.shared.signatures.map((s) => grepPattern(s.pattern, s.ignoreCase))).join('\n') + '\n');
  // Warm the page cache so neither side pays for the disk.
  spawnSync('cat', [log], { stdio: ['ignore', 'ignore', 'inherit'] });

  const grep = timed(['grep', '-E', '-c', '-f', patterns, log]);
  const doctor = timed([process.execPath, CLI, 'doctor', '--json', log]);
  const report = JSON.parse(doctor.stdout) as { findings: { id: string; lines: number }[] };

  const mb = bytes / 1e6;
  const row = (name: string, run: { seconds: number; peakKiB: number }) =>
    `${name.padEnd(18)} ${run.seconds.toFixed(2).padStart(7)} s ${(mb / run.seconds).toFixed(0).padStart(6)} MB/s ${(run.peakKiB / 1024).toFixed(0).padStart(6)} MiB peak`;
  const ratio = grep.seconds / doctor.seconds;
  const peakMiB = doctor.peakKiB / 1024;
  process.stdout.write(
    [
      `log: ${(bytes / 1024 ** 3).toFixed(2)} GiB, ${pages.reduce((n, p) => n + p.shared.signatures.length, 0)} signatures of ${pages.length} pages`,
      row('grep -E -c', grep),
      row('harbor-kb doctor', doctor),
      `matching lines: grep ${grep.stdout.trim()}; doctor per problem ${report.findings.map((f) => `${f.id}=${f.lines}`).join(', ')}`,
      `doctor/grep throughput: ${ratio.toFixed(2)} (target >= 0.5) ${ratio >= 0.5 ? 'ok' : 'MISSED'}`,
      `doctor peak memory: ${peakMiB.toFixed(0)} MiB (target < 200) ${peakMiB < 200 ? 'ok' : 'MISSED'}`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
