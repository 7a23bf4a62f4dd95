/**
 * Telling near misses apart. Two kinds of rule, both data:
 *
 * - a page's `notWhen` (frontmatter): the same message family as the page, but what differs
 *   (the config key, the job type, the status code, where the 404 came from) says it is
 *   another problem; the page is ruled out unless one of its own signatures matched;
 * - the catalogue of other well-known Harbor errors (other-problems.ts): a paste carrying one,
 *   and no signature of ours, is "another problem", never the nearest page. Its patterns are
 *   loaded the first time a paste needs them (one with no signature of ours).
 */
import type { NotWhen } from '../schemas/issue.ts';
import { loadedOnce } from './loaded-once.ts';

export interface PageNotWhen {
  id: string;
  notWhen: readonly NotWhen[];
}

export interface NearMisses {
  /** Pages whose notWhen rules say the paste is another problem of the same family. */
  ruledOut(raw: string): Set<string>;
  /**
   * The catalogue position of the well-known other problem the paste carries, if any
   * (other-problems.ts). Undefined too when the catalogue could not be loaded: the search goes on
   * without it, and the next paste tries again.
   */
  otherProblem(raw: string): Promise<number | undefined>;
}

/** Loads the catalogue's patterns, in catalogue order. */
export type OtherPatternsLoader = () => Promise<readonly string[]>;

const caseless = (pattern: string) => new RegExp(pattern, 'i');

export function nearMisses(pages: readonly PageNotWhen[], loadOtherPatterns: OtherPatternsLoader): NearMisses {
  const rules = pages.flatMap((page) =>
    page.notWhen.map((rule) => ({ id: page.id, pattern: caseless(rule.pattern), unless: rule.unless ? caseless(rule.unless) : undefined })),
  );
  const compiledCatalogue = loadedOnce(() => loadOtherPatterns().then((patterns) => patterns.map(caseless)));
  return {
    ruledOut(raw) {
      return new Set(rules.filter((rule) => rule.pattern.test(raw) && !rule.unless?.test(raw)).map((rule) => rule.id));
    },
    async otherProblem(raw) {
      const regexes = await compiledCatalogue().catch(() => []);
      const found = regexes.findIndex((regex) => regex.test(raw));
      return found < 0 ? undefined : found;
    },
  };
}
