import type { PageFacts } from './facts.ts';
import { cleanLine } from './normalise.ts';

/**
 * Does a query word belong to what a page is about (its titles, summaries and error
 * lines, in every language)? A query word found there counts for more than one found
 * only in the page's body. Matched loosely, the way people vary words: "upgrading" finds "upgrade",
 * "log" finds "login", "username" finds "user name"; Chinese words by substring.
 */
export type AboutMatcher = (term: string, pageId: string) => boolean;

const SUFFIX = /(?:ings?|ions?|ed|es|ers?|s|e)$/;
const HAN = /\p{Script=Han}/u;
/** A variant adds an ending ("log" → "login", "collect" → "collection"), not another word ("job" → "jobservice"). */
const MAX_ENDING = 4;

function stem(term: string): string {
  const stripped = term.replace(SUFFIX, '');
  return stripped.length >= 3 ? stripped : term;
}

/** The error lines as a query sees them (ids, addresses, key=value noise say nothing about the problem), titles and summaries. */
function aboutText(page: Pick<PageFacts, 'errors' | 'title' | 'summary'>): string {
  return [...page.errors.map(cleanLine), ...Object.values(page.title), ...Object.values(page.summary)].join('\n').toLowerCase();
}

export function aboutMatcher(pages: readonly Pick<PageFacts, 'id' | 'errors' | 'title' | 'summary'>[]): AboutMatcher {
  const index = new Map(
    pages.map((page) => {
      const text = aboutText(page);
      const words = [...new Set(text.split(/[^\p{L}\p{N}_]+/u).filter(Boolean))];
      // Words run together per line, for a query that writes two words as one ("username", "fetchimages").
      const joined = text.split('\n').map((line) => line.replace(/[^\p{L}\p{N}_]+/gu, ''));
      return [page.id, { text, words, joined }] as const;
    }),
  );
  return (term, pageId) => {
    const page = index.get(pageId);
    if (!page) return false;
    if (HAN.test(term)) return page.text.includes(term);
    const root = stem(term);
    const variant = (word: string) => word.startsWith(root) && word.length - root.length <= MAX_ENDING;
    return page.words.some(variant) || (term.length >= 6 && page.joined.some((line) => line.includes(term)));
  };
}
