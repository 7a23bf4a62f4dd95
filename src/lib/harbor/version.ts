/**
 * The one parser for a Harbor version as people type it: a release (1.8.6,
 * v2.10.1) or a release line (1.9, v2.2). Plain code, no semver: the search page
 * runs it too.
 */
export interface HarborVersion {
  major: number;
  minor: number;
  /** Absent for a release line. */
  patch?: number;
}

const HARBOR_VERSION = /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/;

export function parseHarborVersion(text: string): HarborVersion | undefined {
  const found = HARBOR_VERSION.exec(text.trim());
  if (!found) return undefined;
  const [major, minor, patch] = found.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  return { major: major!, minor: minor!, ...(patch === undefined ? {} : { patch }) };
}

/** "1.9" for a line or "1.9.4" for a release, without the v. */
export const lineOf = (version: HarborVersion): string => `${version.major}.${version.minor}`;

/** A full release; a line stands for its first release (2.2 → 2.2.0). */
export const releaseOf = (version: HarborVersion): string => `${lineOf(version)}.${version.patch ?? 0}`;

/** As typed, without the v: "1.9" for a line, "1.9.4" for a release. */
export const versionText = (version: HarborVersion): string => (version.patch === undefined ? lineOf(version) : releaseOf(version));

/** The same shape for an HTML input's `pattern` attribute (matched whole by the browser). */
export const HARBOR_VERSION_INPUT_PATTERN = HARBOR_VERSION.source.replace(/^\^|\$$/g, '');
