import semver from 'semver';
import { lineOf, parseHarborVersion, releaseOf } from './version.ts';

/**
 * Harbor's minor release lines, oldest first, as the version filter offers them.
 * 1.5 is the last MariaDB line; 2.15 is the newest release line.
 */
export const RELEASE_LINES = [
  '1.5',
  '1.6',
  '1.7',
  '1.8',
  '1.9',
  '1.10',
  '2.0',
  '2.1',
  '2.2',
  '2.3',
  '2.4',
  '2.5',
  '2.6',
  '2.7',
  '2.8',
  '2.9',
  '2.10',
  '2.11',
  '2.12',
  '2.13',
  '2.14',
  '2.15',
] as const;

function lineRange(line: string): string {
  const [major, minor] = line.split('.').map(Number);
  return `>=${major}.${minor}.0 <${major}.${(minor ?? 0) + 1}.0`;
}

/** Release lines that have at least one release inside any of the affected ranges. */
export function affectedLines(affected: readonly string[]): string[] {
  return RELEASE_LINES.filter((line) => affected.some((range) => semver.intersects(range, lineRange(line))));
}

/** "1.9" and "1.9.4" alike: does any affected range contain this version or line? */
export function versionAffected(affected: readonly string[], version: string): boolean {
  const parsed = parseHarborVersion(version);
  if (!parsed) return false;
  if (parsed.patch === undefined) return affectedLines(affected).includes(lineOf(parsed));
  return affected.some((range) => semver.satisfies(releaseOf(parsed), range));
}

/** A range as people read it: ">=1.5.0 <1.8.3" becomes "1.5.0 – 1.8.2 (before 1.8.3)". */
export function describeRange(range: string): string {
  const lower = range.match(/>=\s*([\d.]+)/)?.[1];
  const upper = range.match(/<\s*([\d.]+)/)?.[1];
  if (lower && upper) return `${lower} … < ${upper}`;
  if (lower) return `≥ ${lower}`;
  if (upper) return `< ${upper}`;
  return range;
}
