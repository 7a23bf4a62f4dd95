// manifest-ready against a real distribution 2.8 registry: the tag is pushed (with skopeo)
// while the playbook polls, and the readiness it reports covers the wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliUntilPrinted } from '../test/support/cli.ts';
import { expectRefusals, type RefusalCase } from '../test/support/refusals.ts';
import { freeLoopbackPort } from '../test/support/net.ts';
import { buildImageLayout, skopeoPush, type ImageLayout } from '../test/support/oci.ts';
import { startRegistry, type RegistryServer } from '../test/support/registry.ts';
import { startStallingProxy } from '../test/support/stalling-proxy.ts';

let registry: RegistryServer;
let layout: ImageLayout;
const run = (args: string[]) => runCli(['run', 'manifest-ready', '--registry-url', registry.url, ...args]);

beforeAll(async () => {
  registry = await startRegistry();
  layout = await buildImageLayout(['v1', 'late']);
  await skopeoPush(layout, registry, 'proj/app', 'v1');
});

afterAll(async () => {
  layout?.cleanup();
  await registry?.stop();
});

describe('manifest-ready', () => {
  it('answers at once for a tag that is there', async () => {
    const result = await run(['--repository', 'proj/app', '--tag', 'v1', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const facts = (JSON.parse(result.stdout) as { facts: { digest: string; tries: number } }).facts;
    expect(facts).toMatchObject({ digest: layout.manifests.get('v1')!.digest, tries: 1 });
  });

  it('polls with backoff until a tag pushed meanwhile is served, and says which Harbor waits would have covered it', async () => {
    // Push only once the playbook is polling (its first line is printed before it polls).
    const { run: result, printed } = runCliUntilPrinted(
      ['run', 'manifest-ready', '--registry-url', registry.url, '--repository', 'proj/app', '--tag', 'late', '--timeout', '20'],
      {},
      '',
    );
    await printed;
    // Well past Harbor 1.7's 750 ms, with room for a loaded machine between the playbook's first
    // line and its first HEAD (the playbook's clock starts at that HEAD).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await skopeoPush(layout, registry, 'proj/app', 'late');
    const { code, stdout, stderr } = await result;
    expect(code, stderr).toBe(0);
    const ready = /proj\/app:late is ready \((sha256:[0-9a-f]{64})\) after (\d+) ms and (\d+) HEAD request\(s\)/.exec(stdout);
    expect(ready?.[1]).toBe(layout.manifests.get('late')!.digest);
    expect(Number(ready?.[2])).toBeGreaterThanOrEqual(1000);
    expect(Number(ready?.[3])).toBeGreaterThanOrEqual(4);
    expect(stdout).toMatch(/! Harbor 1\.7-1\.8 waits up to 750 ms: too short for this push/);
    expect(stdout).toContain('2.0 removed the race');
  });

  it('stops at --timeout with exit 1 and a clear message', async () => {
    const result = await run(['--repository', 'proj/app', '--tag', 'never', '--timeout', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/proj\/app:never was not ready after 1 s \(\d+ HEAD requests, last answer 404\)/);
  });

  it('a registry that holds the HEAD past --timeout is this timeout (exit 1), naming the request; an unreachable one is named too (exit 2)', async () => {
    const proxy = await startStallingProxy(registry.url);
    try {
      proxy.stall();
      const held = await runCli(['run', 'manifest-ready', '--registry-url', proxy.url, '--repository', 'proj/app', '--tag', 'v1', '--timeout', '2', '--json']);
      expect(held.code, held.stderr).toBe(1);
      expect(held.stderr).toContain(
        `proj/app:v1 was not ready after 2 s (1 HEAD requests; the last, HEAD ${proxy.url}/v2/proj/app/manifests/v1: no answer within 2 s)`,
      );
      expect(proxy.stalled()).toEqual(['HEAD /v2/proj/app/manifests/v1']);
    } finally {
      await proxy.stop();
    }
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const unreachable = await runCli(['run', 'manifest-ready', '--registry-url', closed, '--repository', 'proj/app', '--tag', 'v1']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(`cannot reach the registry at ${closed}: GET ${closed}/v2/: ECONNREFUSED`);
  });

  it('refuses bad input with exit 2', async () => {
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const cases: RefusalCase[] = [
      [['--repository', '../etc', '--tag', 'v1'], /--repository must be a repository name/],
      [['--repository', 'proj/app', '--tag', 'bad tag'], /--tag must be a tag/],
      [['--repository', 'proj/app'], /--tag is required/],
      [['--repository', 'proj/app', '--tag', layout.manifests.get('v1')!.digest], /--tag must be a tag \(letters, digits, _ \. -; up to 128\), not a digest/],
    ];
    await expectRefusals(run, cases);
    // The help says what the refusal says: a tag, never "the reference".
    const help = await runCli(['run', 'manifest-ready', '--help']);
    expect(help.stdout).toMatch(/--tag STRING +Tag to wait for \(a tag, not a digest/);
    expect(help.stdout).not.toContain('reference');
    const unreachable = await runCli(['run', 'manifest-ready', '--registry-url', closed, '--repository', 'proj/app', '--tag', 'v1']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach the registry at .*ECONNREFUSED/);
  });
});
