// The release ↔ schema version mapping (Harbor's own migrations, src/lib/harbor-migration-releases.ts) and the fit rules.
import { describe, expect, it } from 'vitest';
import { releasesForSchemaVersion, schemaFitsRelease, schemaVersionForRelease } from './harbor-version.ts';

describe('schema versions', () => {
  it.each([
    ['1.5.4', 'mariadb'],
    ['1.6.3', 1],
    ['1.7.0', 3],
    ['1.8.1', 4],
    ['1.8.6', 5],
    ['1.9.0', 10],
    ['1.9.3', 11],
    ['1.9.4', 12],
    ['1.10.19', 15],
    ['2.0.3', 31],
    ['2.1.6', 41],
    ['2.2.0', 50],
    ['2.7.3', 100],
    ['2.14.1', 171],
    ['2.15.2', 180],
    ['2.16.0', undefined],
    ['1.2.0', undefined],
  ])('Harbor %s runs schema %s', (release, version) => {
    expect(schemaVersionForRelease(release)).toBe(version);
  });

  it('names the releases of a schema version', () => {
    expect([5, 15, 41, 100, 2, 181].map(releasesForSchemaVersion)).toEqual(['1.8.2–1.8.6', '1.10.x', '2.1.4–2.1.6', '2.7.x', undefined, undefined]);
  });

  it.each([
    [12, '1.9.4', 'same', true],
    [5, '1.9.4', 'upgrade', true],
    [12, '1.8.6', 'newer', false],
    [41, '2.2.0', 'gap', false],
    [41, '2.2.1', 'upgrade', true],
    [5, '2.0.0', 'too-old', false],
    [12, '2.1.0', 'too-old', false],
    [15, '2.9.0', 'too-old', false],
    [30, '2.9.0', 'upgrade', true],
    [12, '1.5.0', 'engine', false],
    [12, '3.0.0', 'unknown-release', false],
  ] as const)('schema %s under Harbor %s: %s', (version, release, kind, fits) => {
    expect(schemaFitsRelease(version, release)).toMatchObject({ kind, fits });
  });
});
