// The rig itself: the Harbor the reproductions run against is the real one, up and reporting
// the release it was built from; and a healthy run of it gives the log doctor nothing to say.
import { expect, it } from 'vitest';
import { createProject, pushImage } from '../support/real-harbor-images.ts';
import { describeHarbor, expectDoctorNames, useRealHarbor } from '../support/use-real-harbor.ts';

const rig = useRealHarbor();

describeHarbor('a real Harbor 1.10 on loopback', () => {
  it('reports the release it was built from on /api/systeminfo, on a schema its own migrations made', async () => {
    const { harbor } = rig;
    const info = await harbor.api('GET', '/api/systeminfo');
    expect(info.status).toBe(200);
    const { harbor_version: version } = info.json<{ harbor_version: string }>();
    console.log(`Harbor reports harbor_version ${version}`);
    expect(version).toBe(`${harbor.build.version}-${harbor.build.commit}`);
    expect(harbor.build.version).toMatch(/^v1\.10\.\d+$/);
    expect(await harbor.query('SELECT version, dirty FROM schema_migrations')).toEqual([{ version: '15', dirty: false }]);
  });

  it('a healthy run (push, list, delete a tag) leaves logs in which the doctor finds no problem', async () => {
    const { harbor } = rig;
    await createProject(harbor, 'healthy');
    await pushImage(harbor, 'healthy/app', 'v1');
    const tags = await harbor.api('GET', '/api/repositories/healthy/app/tags');
    expect(tags.json<{ name: string }[]>().map((tag) => tag.name)).toEqual(['v1']);
    expect((await harbor.api('DELETE', '/api/repositories/healthy/app/tags/v1')).status).toBe(200);
    expect(harbor.logFiles().length).toBeGreaterThanOrEqual(4);
    await expectDoctorNames(harbor, []);
  });
});
