import { describe, expect, it } from 'vitest';
import { nearMisses } from './near-misses.ts';
import { OTHER_PROBLEMS, otherProblemPatterns } from './other-problems.ts';

describe('nearMisses', () => {
  const rules = nearMisses([{ id: 'admiral', notWhen: [{ pattern: 'failed to get key|configure value', unless: 'admiral' }] }], async () =>
    otherProblemPatterns(),
  );

  it('rules a page out for the same message family with another key', () => {
    expect([...rules.ruledOut('failed to get key ldap_url, error: the configure value is not set')]).toEqual(['admiral']);
    expect([...rules.ruledOut('failed to get key admiral_url, error: the configure value is not set')]).toEqual([]);
    expect([...rules.ruledOut('replication stuck')]).toEqual([]);
  });

  it('finds a well-known other problem, case-insensitively', async () => {
    const found = await rules.otherProblem('[FATAL] failed to migrate: Please upgrade to version 1.10 first');
    expect(OTHER_PROBLEMS[found ?? -1]?.source).toBe('https://github.com/goharbor/harbor/issues/13398');
    expect(OTHER_PROBLEMS[(await rules.otherProblem('it says CSRF token invalid')) ?? -1]?.what.zh).toMatch(/CSRF/);
    expect(await rules.otherProblem('failed to get key admiral_url, error: the configure value is not set')).toBeUndefined();
  });

  it('loads the catalogue once, and again after a failed load', async () => {
    let loads = 0;
    let fail = true;
    const flaky = nearMisses([], async () => {
      loads += 1;
      if (fail) throw new Error('offline');
      return ['CSRF token invalid'];
    });
    // A catalogue that could not be loaded answers nothing, and the search goes on without it.
    expect(await flaky.otherProblem('CSRF token invalid')).toBeUndefined();
    fail = false;
    expect(await flaky.otherProblem('CSRF token invalid')).toBe(0);
    expect(await flaky.otherProblem('csrf token invalid')).toBe(0);
    expect(loads).toBe(2);
  });

  it('has a valid pattern, both languages and a public source for every catalogue entry', () => {
    for (const entry of OTHER_PROBLEMS) {
      expect(() => new RegExp(entry.pattern, 'i')).not.toThrow();
      expect(entry.what.en.length).toBeGreaterThan(5);
      expect(entry.what.zh.length).toBeGreaterThan(3);
      expect(entry.source).toMatch(/^https:\/\//);
    }
  });
});
