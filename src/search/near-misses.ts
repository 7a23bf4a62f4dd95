/**
 * Telling near misses apart. Two kinds of rule, both data:
 *
 * - a page's `notWhen` (frontmatter): the same message family as the page, but what differs
 *   (the config key, the job type, the status code, where the 404 came from) says it is
 *   another problem; the page is ruled out unless one of its own signatures matched;
 * - the catalogue of other well-known Harbor errors (other-problems.ts): a paste carrying one,
 *   and no signature of ours, is "another problem", never the nearest page.
 */
import type { NotWhen } from '../schemas/issue.ts';

export interface PageNotWhen {
  id: string;
  notWhen: readonly NotWhen[];
}

export interface NearMisses {
  /** Pages whose notWhen rules say the paste is another problem of the same family. */
  ruledOut(raw: string): Set<string>;
  /** The catalogue position of the well-known other problem the paste carries, if any (other-problems.ts). */
  otherProblem(raw: string): number | undefined;
}

const caseless = (pattern: string) => new RegExp(pattern, 'i');

export function nearMisses(pages: readonly PageNotWhen[], otherPatterns: readonly string[]): NearMisses {
  const rules = pages.flatMap((page) =>
    page.notWhen.map((rule) => ({ id: page.id, pattern: caseless(rule.pattern), unless: rule.unless ? caseless(rule.unless) : undefined })),
  );
  const catalogue = otherPatterns.map(caseless);
  return {
    ruledOut(raw) {
      return new Set(rules.filter((rule) => rule.pattern.test(raw) && !rule.unless?.test(raw)).map((rule) => rule.id));
    },
    otherProblem(raw) {
      const found = catalogue.findIndex((regex) => regex.test(raw));
      return found < 0 ? undefined : found;
    },
  };
}
