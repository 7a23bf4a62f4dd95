// replication-manifest-404-race on a real Harbor 1.10: manifest-ready polls the manifest
// through core (token auth by core's token service) while a push is still under way, and
// reports it ready with the digest the push stored; a tag nobody pushes is never ready.
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createProject, pushImage } from '../support/real-harbor-images.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();

const manifestReady = (repository: string, tag: string, timeout: string) =>
  runCli(
    [
      'run',
      'manifest-ready',
      '--registry-url',
      rig.harbor.url,
      '--registry-user',
      'admin',
      '--repository',
      repository,
      '--tag',
      tag,
      '--timeout',
      timeout,
      '--json',
    ],
    {
      env: { REGISTRY_PASSWORD: rig.harbor.admin.password },
    },
  );

describeHarbor('manifest-ready against a real Harbor 1.10', () => {
  it('started before the push finishes, it waits and reports the pushed manifest ready', async () => {
    const { harbor } = rig;
    await createProject(harbor, 'race');
    const offset = harbor.registryService.logSize();
    const waiting = manifestReady('race/app', 'v1', '120');
    // The push starts once the playbook has asked for the manifest and been told it is not there.
    await waitFor('manifest-ready to ask the registry for race/app:v1', () =>
      /HEAD \/v2\/race\/app\/manifests\/v1 HTTP\/1\.1" 404/.test(harbor.registryService.logSince(offset)),
    );
    const manifest = await pushImage(rig.harbor, 'race/app', 'v1');
    const result = await waiting;
    expect(result.code, result.stderr).toBe(0);
    const { facts } = JSON.parse(result.stdout) as { facts: { digest: string; tries: number; readyMs: number } };
    console.log(`ready after ${facts.readyMs} ms, ${facts.tries} HEAD requests`);
    expect(facts.digest).toBe(`sha256:${createHash('sha256').update(manifest).digest('hex')}`);
    expect(facts.tries).toBeGreaterThan(1);
    // 1.10's core waits for the manifest itself: at most a retried race in its logs.
    await expectDoctorNames(harbor, []);
  });

  it('a tag that is never pushed is not reported ready (exit 1)', async () => {
    const result = await manifestReady('race/app', 'never', '2');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/race\/app:never was not ready after 2 s/);
  });
});
