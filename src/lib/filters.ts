/**
 * The one filter model of the site: what a reader can narrow the known problems by,
 * under the name the home page's form, the search page's URL (search/filters.ts) and
 * the Pagefind index (PagefindFilters.astro) all use, and each page's values.
 */
import { affectedLines } from './harbor/releases.ts';
import type { SharedFields } from '../schemas/issue.ts';

/** Filter names, in the order the index lists them. */
export const FILTER_NAMES = ['status', 'version', 'install', 'component'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** A page's value(s) for every filter; `version` holds the release lines that have an affected release. */
export function filterValues(shared: SharedFields): Record<FilterName, readonly string[]> {
  return { status: [shared.status], version: affectedLines(shared.harbor.affected), install: shared.install, component: shared.components };
}
