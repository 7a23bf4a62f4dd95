// The rig itself: the Harbor that the reproductions run against is the real one, up and
// reporting the release it was built from.
import { expect, it } from 'vitest';
import { describeHarbor, useRealHarbor } from '../support/use-real-harbor.ts';

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
    const migrated = await harbor.postgres.client('registry');
    try {
      const { rows } = await migrated.query('SELECT version, dirty FROM schema_migrations');
      expect(rows).toEqual([{ version: '15', dirty: false }]);
    } finally {
      await migrated.end();
    }
  });
});
