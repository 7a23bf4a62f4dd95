/**
 * Part of `npm run bench:playbooks`: the registry playbooks against a real distribution 2.8
 * registry holding one 10,000-tag repository (pushed through the API, sharing one config and
 * layer; 25 of its tags made dangling as the 2.6.2 race left them). Times, in the same run:
 * `harbor-kb run tag-scan` (whole CLI process), `skopeo list-tags` on the same repository, and
 * `harbor-kb run dangling-tags` over the storage tree. Each playbook should finish under 5 s.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../test/support/cli.ts';
import { buildImageLayout, pushManyTags, skopeoListTags, skopeoPush } from '../test/support/oci.ts';
import { startRegistry } from '../test/support/registry.ts';

const TAGS = 10_000;
const DANGLING = 25;
const LIMIT_MS = 5_000;

async function timed<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await task();
  return { ms: performance.now() - started, value };
}

const registry = await startRegistry();
const tags = Array.from({ length: TAGS }, (_, index) => `t${index}`);
const layout = await buildImageLayout(tags.slice(0, DANGLING));
let over = false;
try {
  const setup = await timed(async () => {
    await skopeoPush(layout, registry, 'bench/tags', tags[0]!);
    await pushManyTags(layout, registry, 'bench/tags', tags.slice(1), 12);
  });
  for (const tag of tags.slice(0, DANGLING)) {
    const hex = layout.manifests.get(tag)!.digest.slice('sha256:'.length);
    rmSync(join(registry.v2, 'repositories/bench/tags/_manifests/revisions/sha256', hex), { recursive: true });
  }
  console.log(`setup: ${TAGS} tags pushed through the registry API in ${(setup.ms / 1000).toFixed(1)} s; ${DANGLING} made dangling`);

  const scan = await timed(() => runCli(['run', 'tag-scan', '--registry-url', registry.url, '--json']));
  if (scan.value.code !== 0) throw new Error(`tag-scan exited ${scan.value.code}: ${scan.value.stderr}`);
  const scanned = (JSON.parse(scan.value.stdout) as { facts: { totalTags: number } }).facts.totalTags;
  const skopeo = await timed(() => skopeoListTags(registry, 'bench/tags'));
  const dangling = await timed(() =>
    runCli(['run', 'dangling-tags', '--registry-storage', registry.storage, '--json', '--backup-dir', join(registry.storage, '..', 'backups')]),
  );
  if (dangling.value.code !== 0) throw new Error(`dangling-tags exited ${dangling.value.code}: ${dangling.value.stderr}`);
  const found = (JSON.parse(dangling.value.stdout) as { facts: { scanned: number; dangling: number } }).facts;

  const rows: [string, number, string, boolean][] = [
    ['harbor-kb run tag-scan (CLI process)', scan.ms, `${scanned} tags`, true],
    ['skopeo list-tags (same repository)', skopeo.ms, `${skopeo.value.length} tags`, false],
    ['harbor-kb run dangling-tags (CLI process)', dangling.ms, `${found.scanned} tags scanned, ${found.dangling} dangling`, true],
  ];
  console.log('\nregistry playbooks, 10,000-tag repository (limit 5 s each)');
  for (const [name, ms, what, limited] of rows) {
    const verdict = limited ? (ms < LIMIT_MS ? 'ok' : 'OVER 5 s') : 'reference';
    if (limited && ms >= LIMIT_MS) over = true;
    console.log(`  ${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${what.padEnd(36)} ${verdict}`);
  }
  if (scanned !== TAGS || found.scanned !== TAGS || found.dangling !== DANGLING) {
    over = true;
    console.log(`  unexpected counts: tag-scan ${scanned}, dangling-tags ${found.scanned}/${found.dangling}`);
  }
} finally {
  layout.cleanup();
  await registry.stop();
}
process.exitCode = over ? 1 : 0;
