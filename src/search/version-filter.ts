/**
 * What a version filter needs, loaded by the search page only once one is set: the one Harbor
 * version parser and the release ranges (semver), which a plain search never uses.
 */
import { parseHarborVersion, versionText } from '../lib/harbor/version.ts';

export { versionAffected } from '../lib/harbor/releases.ts';

/** The typed values that are Harbor versions, normalised (`v1.8` -> `1.8`); anything else is dropped. */
export function usableVersions(typed: readonly string[]): string[] {
  return typed.flatMap((value) => {
    const version = parseHarborVersion(value);
    return version ? [versionText(version)] : [];
  });
}
