// replication-many-tags-fetch-images on a real Harbor 1.10: a repository with 2,000 tags,
// pushed through core, beside a small one. tag-scan lists them through the real 1.10 API (the
// routes a pull replication uses, with the details that make core pull every manifest) and
// flags the large one, not the small one.
import { expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createProject, pushImage, pushTags } from '../support/real-harbor-images.ts';
import { waitFor } from '../support/service.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();
const TAGS = 2000;

describeHarbor('tag-scan against a real Harbor 1.10', () => {
  it(`flags the repository with ${TAGS} tags and counts every tag through the 1.10 API`, async () => {
    const { harbor } = rig;
    const project = await createProject(harbor, 'big');
    const manifest = await pushImage(harbor, 'big/many', 't0');
    const started = Date.now();
    await pushTags(
      harbor,
      'big/many',
      manifest,
      Array.from({ length: TAGS - 1 }, (_, index) => `t${index + 1}`),
    );
    console.log(`pushed ${TAGS - 1} tags through core in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await pushImage(harbor, 'big/few', 'v1');
    // Core learns of repositories from the registry's push notifications, which come later.
    await waitFor(
      'Harbor to list both repositories',
      async () => (await harbor.api('GET', `/api/repositories?project_id=${project}`)).json<unknown[]>().length === 2,
    );

    const registryLog = harbor.registryService.logSize();
    const result = await runCli(['run', 'tag-scan', '--harbor-url', harbor.url, '--threshold', '1000', '--json'], {
      env: { HARBOR_PASSWORD: harbor.admin.password },
    });
    expect(result.code, result.stderr).toBe(0);
    const { findings, facts } = JSON.parse(result.stdout) as {
      findings: { level: string; message: string }[];
      facts: { source: string; totalTags: number; repositories: { repository: string; tags?: number; error?: string }[] };
    };
    console.log(findings.map((finding) => `${finding.level}: ${finding.message}`).join('\n'));
    expect(facts.source).toMatch(/^Harbor 1\.x API/);
    expect(
      facts.repositories.map(({ repository, tags, error }) => ({ repository, tags, error })).sort((a, b) => a.repository.localeCompare(b.repository)),
    ).toEqual([
      { repository: 'big/few', tags: 1, error: undefined },
      { repository: 'big/many', tags: TAGS, error: undefined },
    ]);
    // It listed the tags the way replication does: core pulled every manifest from the registry.
    const manifestPulls = harbor.registryService.logSince(registryLog).match(/"GET \/v2\/big\/many\/manifests\/t\d+ HTTP/g) ?? [];
    expect(manifestPulls).toHaveLength(TAGS);
    // Slow, but nothing failed: the logs show no problem of the knowledge base beyond races core retried.
    await expectDoctorNames(harbor, []);
    expect(findings.filter((finding) => finding.level === 'warn').map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^big\/many: 2000 tags \(over 1000\)/),
    ]);
  });
});
