import { describe, expect, it } from 'vitest';
import { loadIssuePages } from '../lib/content/node.ts';
import { LANGS } from '../schemas/issue.ts';
import { cleanLine, lineTerms } from './normalise.ts';
import { DESCRIBED_OTHER_PROBLEMS, describedProblemOfUrl, describedProblemUrl } from './other-problems-described.ts';

/** Words in a row an other problem's phrase may share with one of our pages' phrases: a longer run is our page's phrase. */
const SHARED_RUN = 4;

const termsOf = (text: string) => lineTerms(cleanLine(text));

/** The first run of SHARED_RUN terms of `phrase` that also follow each other in `page`, if any. */
function sharedRun(phrase: readonly string[], page: readonly string[]): string | undefined {
  const runs = new Set(page.slice(0, page.length - SHARED_RUN + 1).map((_, i) => page.slice(i, i + SHARED_RUN).join(' ')));
  return phrase
    .slice(0, Math.max(0, phrase.length - SHARED_RUN + 1))
    .map((_, i) => phrase.slice(i, i + SHARED_RUN).join(' '))
    .find((run) => runs.has(run));
}

describe('the other problems described in operators’ words', () => {
  it('are no problem of ours, and none of their phrases is a phrase of our pages', async () => {
    const pages = await loadIssuePages();
    const ids = new Set(pages.map((page) => page.id));
    // What each page is about, as the index holds it: title, summary, operators' words, error lines.
    const pagePhrases = pages.flatMap((page) =>
      [page.title, page.summary, ...page.describedAs, ...page.shared.errors.map((error) => error.text)].map((text) => ({ id: page.id, terms: termsOf(text) })),
    );
    const overlaps = DESCRIBED_OTHER_PROBLEMS.flatMap((problem) =>
      LANGS.flatMap((lang) => [problem.what[lang], ...problem.describedAs[lang]]).flatMap((phrase) =>
        pagePhrases.flatMap((page) => {
          const run = sharedRun(termsOf(phrase), page.terms);
          return run ? [`${problem.id}: "${phrase}" shares "${run}" with ${page.id}`] : [];
        }),
      ),
    );
    expect(overlaps).toEqual([]);
    expect(DESCRIBED_OTHER_PROBLEMS.filter((problem) => ids.has(problem.id))).toEqual([]);
  });

  it('each have a unique id, a thread upstream and three to six phrases in every language', () => {
    const ids = DESCRIBED_OTHER_PROBLEMS.map((problem) => problem.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const problem of DESCRIBED_OTHER_PROBLEMS) {
      expect(problem.source).toMatch(/^https:\/\/github\.com\/goharbor\/harbor(-helm)?\/issues\/\d+$/);
      for (const lang of LANGS) {
        expect(problem.what[lang].trim()).not.toBe('');
        expect(problem.describedAs[lang].length).toBeGreaterThanOrEqual(3);
        expect(problem.describedAs[lang].length).toBeLessThanOrEqual(6);
      }
    }
  });

  it('are named by the URL of their record in every language', () => {
    for (const lang of LANGS) expect(describedProblemOfUrl(describedProblemUrl('proxy-cache-pull', lang))).toBe('proxy-cache-pull');
    expect(describedProblemOfUrl('/issues/replication-job-stuck/')).toBeUndefined();
  });
});
