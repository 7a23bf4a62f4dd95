/**
 * Search filters as they live in the URL: `version` (one or more Harbor versions or
 * release lines, comma or space separated), `install` and `component` (repeatable).
 * Several values of one filter combine as "any"; different filters as "all".
 */
import type { PageFacts } from './facts.ts';
import { isVersionTerm, normaliseQuery } from './normalise.ts';

/** `versionAffected` of lib/harbor/releases, passed in so the page loads semver only once a version filter is set. */
export type VersionCheck = (affected: readonly string[], version: string) => boolean;

export interface SearchFilters {
  versions: string[];
  install: string[];
  components: string[];
}

function values(params: URLSearchParams, name: string): string[] {
  return [
    ...new Set(
      params
        .getAll(name)
        .flatMap((value) => value.split(/[\s,]+/))
        .filter(Boolean),
    ),
  ];
}

export function filtersFromParams(params: URLSearchParams): SearchFilters {
  return {
    // As typed: they are checked and normalised by version-filter.ts, which the page loads only
    // once a version filter is used, so the first search does not carry the version parser.
    versions: values(params, 'version'),
    install: values(params, 'install'),
    components: values(params, 'component'),
  };
}

export const hasFilters = (filters: SearchFilters) => filters.versions.length + filters.install.length + filters.components.length > 0;

const anyOf = (wanted: readonly string[], has: readonly string[]) => wanted.length === 0 || wanted.some((w) => has.includes(w));

export function pageMatchesFilters(page: PageFacts, filters: SearchFilters, versionAffected: VersionCheck): boolean {
  return (
    (filters.versions.length === 0 || filters.versions.some((version) => versionAffected(page.affected, version))) &&
    anyOf(filters.install, page.install) &&
    anyOf(filters.components, page.components)
  );
}

/**
 * A query of nothing but Harbor versions ("harbor 1.9.4") asks which problems affect
 * them: its versions, to be used as a version filter; undefined for any other query.
 */
export function versionsOfQuery(raw: string): string[] | undefined {
  const { terms } = normaliseQuery(raw);
  return terms.length > 0 && terms.every(isVersionTerm) ? terms : undefined;
}
