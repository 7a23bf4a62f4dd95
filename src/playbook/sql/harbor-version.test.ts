// The release ↔ schema version mapping (Harbor's own migrations, src/lib/harbor-migration-releases.ts) and the fit rules.
import { describe, expect, it } from 'vitest';
import { alembicFitsRelease, releasesForSchemaVersion, schemaFitsRelease, schemaVersionForRelease } from './harbor-version.ts';

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

  // Core 1.3-1.5 starts only on its own alembic_version; the migrator image upgrades an older one.
  it.each([
    ['1.5.0', '1.5.2', 'same', true],
    ['1.4.0', '1.5.0', 'migrator', false],
    ['1.5.0', '1.4.0', 'newer', false],
    ['1.5.0', '1.6.0', 'engine', false],
    ['1.5.0', '2.0.0', 'engine', false],
    ['1.6.0', '1.5.0', 'unknown-schema', false],
    [undefined, '1.5.0', 'unknown-schema', false],
    ['1.5.0', '3.0.0', 'unknown-release', false],
  ] as const)('MariaDB at alembic_version %s under Harbor %s: %s', (alembic, release, kind, fits) => {
    expect(alembicFitsRelease(alembic, release)).toMatchObject({ kind, fits });
  });

  it('says what core prints when the MariaDB schema is not its own', () => {
    expect(alembicFitsRelease('1.5.0', '1.4.0').message).toContain('"unexpected database schema version, expected 1.4.0, got 1.5.0"');
    expect(alembicFitsRelease('1.4.0', '1.5.1').message).toContain('vmware/harbor-migrator:v1.5.1, "up"');
    expect(alembicFitsRelease('1.3.0', '1.4.0').message).toContain('the harbor-db-migrator image of Harbor 1.4 (vmware/harbor-db-migrator, "up head")');
    expect(alembicFitsRelease('1.2.0', '1.3.0').message).toContain('vmware/harbor-db-migrator:1.2');
  });
});
