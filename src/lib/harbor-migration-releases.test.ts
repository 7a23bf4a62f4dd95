// The repo's copy of releases.tsv must be the shared file, byte for byte, and the release-line
// labels of harbor-version.ts must agree with it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';
import { SCHEMA_RELEASES } from './harbor/schema-releases.ts';
import { sharedDir } from '../../test/support/harbor-migrations.ts';
import { migrationsOfRelease, previousMigration, RELEASE_MIGRATIONS, RELEASES_TSV, releasesShipping } from './harbor-migration-releases.ts';

const shared = sharedDir();
const sharedTsv = shared && join(shared, 'harbor-migrations/releases.tsv');

it.runIf(sharedTsv && existsSync(sharedTsv))('equals ../shared/harbor-migrations/releases.tsv', () => {
  expect(RELEASES_TSV).toBe(readFileSync(sharedTsv!, 'utf8'));
});

it('every release falls in the SCHEMA_RELEASES range of the last migration it ships', () => {
  for (const [release, numbers] of RELEASE_MIGRATIONS) {
    const range = SCHEMA_RELEASES.find((entry) => semver.gte(release, entry.from) && semver.lte(release, entry.to));
    expect(range?.version, release).toBe(numbers.at(-1));
  }
});

it('0041 ships in 2.1.4+ and 2.2.1+, not in 2.2.0: the restart point of 50 depends on the image', () => {
  expect(migrationsOfRelease('2.2.0')).not.toContain(41);
  expect(releasesShipping(41).slice(0, 4)).toEqual(['2.1.4', '2.1.5', '2.1.6', '2.2.1']);
  expect(previousMigration('2.2.0', 50)).toBe(40);
  expect(previousMigration('v2.2.1', 50)).toBe(41);
  expect(previousMigration('1.10.0', 1)).toBeUndefined();
  expect(previousMigration('2.1.0', 50)).toBeUndefined();
});
