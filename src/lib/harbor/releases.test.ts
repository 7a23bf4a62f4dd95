import { describe, expect, it } from 'vitest';
import { RELEASE_LINES, versionAffected } from './releases.ts';
import { SCHEMA_RELEASES } from './schema-releases.ts';

describe('the release catalogue', () => {
  it('offers every release line the schema table knows, and 1.5, the last MariaDB line, before them', () => {
    const schemaLines = [...new Set(SCHEMA_RELEASES.map(({ from }) => from.split('.').slice(0, 2).join('.')))];
    expect(RELEASE_LINES).toEqual(['1.5', ...schemaLines]);
  });
});

describe('versionAffected', () => {
  const affected = ['>=1.9.0 <1.10.1'];
  it('takes a release or a line, with or without the v', () => {
    expect(['1.9.4', 'v1.10.0', '1.10', 'v1.9'].map((version) => versionAffected(affected, version))).toEqual([true, true, true, true]);
    expect(['1.10.1', '1.8', '2.0.0'].map((version) => versionAffected(affected, version))).toEqual([false, false, false]);
  });
  it('is false for what is not a version', () => {
    expect(versionAffected(affected, 'latest')).toBe(false);
  });
});
