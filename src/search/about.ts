import type { Lang } from '../schemas/issue.ts';
import { cleanLine, lineTerms } from './normalise.ts';

/**
 * Does a query word belong to what a page is about (its titles, summaries and error
 * lines, in every language)? A query word found there counts for more than one found
 * only in the page's body. Matched loosely, the way people vary words: "upgrading" finds "upgrade",
 * "log" finds "login", "username" finds "user name"; Chinese words by substring.
 */
export interface AboutMatcher {
  /** Is the word in what the page is about? */
  has(term: string, pageId: string): boolean;
  /**
   * The longest run of consecutive query terms that are consecutive words of one line
   * of what the page is about: "list tags repo" in "List tags for repo '…' error".
   */
  phrase(terms: readonly string[], pageId: string): number;
}

const SUFFIX = /(?:ings?|ions?|ed|es|s|e)$/;
const HAN = /\p{Script=Han}/u;
/** A variant adds an ending ("log" → "login", "collect" → "collection"), not another word ("job" → "jobservice"). */
const MAX_ENDING = 4;

function stem(term: string): string {
  const stripped = term.replace(SUFFIX, '');
  return stripped.length >= 3 ? stripped : term;
}

interface AboutSource {
  id: string;
  errors: readonly string[];
  phrasings?: readonly string[];
  title: Partial<Record<Lang, string>>;
  summary: Partial<Record<Lang, string>>;
}

/** The error lines and the paraphrases people search with, as a query sees them (ids, addresses, key=value noise say nothing about the problem), titles and summaries. */
function aboutLines(page: Omit<AboutSource, 'id'>): string[] {
  const errors = [...page.errors, ...(page.phrasings ?? [])];
  return [...errors.map(cleanLine), ...Object.values(page.title), ...Object.values(page.summary)].map((line) => line.toLowerCase());
}

/** Longest run of equal consecutive items (stems) in both lists. */
function longestCommonRun(terms: readonly string[], words: readonly string[]): number {
  let longest = 0;
  for (let i = 0; i < terms.length; i++) {
    for (let j = 0; j < words.length; j++) {
      let k = 0;
      while (i + k < terms.length && j + k < words.length && terms[i + k] === words[j + k]) k++;
      longest = Math.max(longest, k);
    }
  }
  return longest;
}

export function aboutMatcher(pages: readonly AboutSource[]): AboutMatcher {
  const index = new Map(
    pages.map((page) => {
      const lines = aboutLines(page);
      const text = lines.join('\n');
      const words = [...new Set(text.split(/[^\p{L}\p{N}_]+/u).filter(Boolean))];
      // Words run together per line, for a query that writes two words as one ("username", "fetchimages").
      const joined = lines.map((line) => line.replace(/[^\p{L}\p{N}_]+/gu, ''));
      return [page.id, { text, words, joined, stems: lines.map((line) => lineTerms(line).map(stem)) }] as const;
    }),
  );
  // A query asks about the same words for every page, line and clause: remember the answers.
  const known = new Map<string, boolean>();
  function lookUp(term: string, pageId: string): boolean {
    const page = index.get(pageId);
    if (!page) return false;
    if (HAN.test(term)) return page.text.includes(term);
    const root = stem(term);
    const variant = (word: string) => word.startsWith(root) && word.length - root.length <= MAX_ENDING;
    return page.words.some(variant) || (term.length >= 6 && page.joined.some((line) => line.includes(term)));
  }
  return {
    has(term, pageId) {
      const key = `${pageId}\u0000${term}`;
      let found = known.get(key);
      if (found === undefined) {
        found = lookUp(term, pageId);
        known.set(key, found);
      }
      return found;
    },
    phrase(terms, pageId) {
      const page = index.get(pageId);
      if (!page) return 0;
      const stems = terms.map(stem);
      return Math.max(0, ...page.stems.map((words) => longestCommonRun(stems, words)));
    },
  };
}
