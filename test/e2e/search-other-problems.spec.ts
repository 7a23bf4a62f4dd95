/**
 * Well-known OTHER Harbor problems described in operators' words (src/search/other-problems-described.ts,
 * weighed in src/search/described-problems.ts): a sentence of one of them that shares words with one
 * of our pages gets no page, the other problem named with where it is discussed, and our close page
 * as an uncertain suggestion. The queries were written for these tests.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const search = (query: string) => `?q=${encodeURIComponent(query)}`;

/** Requests for the other problems' bundle or the code that weighs it. */
function otherProblemRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pagefind-other/') || /\/described-problems\.[\w-]+\.js$/.test(path)) seen.push(path);
  });
  return seen;
}

async function done(page: Page) {
  await expect(page.locator('[data-search-done]')).toHaveCount(1);
}

test.describe('other problems described in operators’ words', () => {
  test('a sentence of another well-known problem gets no result, names that problem and offers our close page as a suggestion', async ({ page }) => {
    const seen = otherProblemRequests(page);
    await page.goto(`/search/${search('we pushed a new tag onto an existing image and event based replication did not pick it up')}`);
    await done(page);
    await expect(page.locator('a[data-result]')).toHaveCount(0);
    const noMatch = page.locator('[data-no-match]');
    await expect(noMatch).toContainText('another Harbor problem');
    await expect(noMatch.locator('[data-other-problem]')).toBeVisible();
    await expect(noMatch.locator('[data-other-problem] a')).toHaveAttribute('href', 'https://github.com/goharbor/harbor/issues/20897');
    await expect(noMatch.locator('a[data-suggestion="replication-manifest-404-race"]')).toHaveAttribute('href', '/issues/replication-manifest-404-race/');
    expect(seen.some((path) => path.startsWith('/pagefind-other/'))).toBe(true);
  });

  test('on the Chinese site the other problem is named in Chinese and the suggestion opens the Chinese page', async ({ page }) => {
    await page.goto(`/zh/search/${search('Trivy cannot download the vulnerability database through our proxy')}`);
    await done(page);
    await expect(page.locator('a[data-result]')).toHaveCount(0);
    await expect(page.locator('[data-no-match]')).toContainText('Trivy 无法下载漏洞库');
    const suggestions = page.locator('[data-no-match] a[data-suggestion]');
    expect(await suggestions.count()).toBeGreaterThan(0);
    for (const href of await suggestions.evaluateAll((links) => links.map((link) => link.getAttribute('href')))) expect(href).toMatch(/^\/zh\/issues\//);
  });

  test('a sentence of one of our problems still gets its page as a result after the other problems were weighed', async ({ page }) => {
    const seen = otherProblemRequests(page);
    await page.goto(`/search/${search('replication jobs pending for a whole day until we restarted Harbor')}`);
    await done(page);
    await expect(page.locator('a[data-result]').first()).toHaveAttribute('href', '/issues/replication-job-stuck/');
    await expect(page.locator('[data-no-match]')).toHaveCount(0);
    expect(seen.some((path) => path.startsWith('/pagefind-other/'))).toBe(true);
  });

  test('a paste our signatures recognise does not download them', async ({ page }) => {
    const seen = otherProblemRequests(page);
    // A conclusive signature (weight 3) of the page matches this line.
    const line = "2021-03-02T07:11:40Z [ERROR] [/replication/adapter/native/adapter.go:207]: List tags for repo 'library/nginx' error: http error: code 504";
    await page.goto(`/search/${search(line)}`);
    await done(page);
    await expect(page.locator('a[data-result]').first()).toHaveAttribute('href', '/issues/replication-many-tags-fetch-images/');
    expect(seen).toEqual([]);
  });

  test('when what the named problem shows cannot be fetched, the search still ends with our close pages, and the next search fetches it again', async ({
    page,
  }) => {
    let failNext = true;
    const asked: string[] = [];
    await page.route('**/other-problems-described.json', async (route) => {
      asked.push(route.request().url());
      if (failNext) {
        failNext = false;
        await route.fulfill({ status: 503, body: 'unavailable' });
      } else await route.continue();
    });
    const query = 'we pushed a new tag onto an existing image and event based replication did not pick it up';
    await page.goto(`/search/${search(query)}`);
    await done(page);
    await expect(page.locator('a[data-result]')).toHaveCount(0);
    await expect(page.locator('[data-no-match] a[data-suggestion="replication-manifest-404-race"]')).toBeVisible();
    await expect(page.locator('[data-no-match] [data-other-problem]')).toBeHidden();

    await page.locator('#search-query').fill(query);
    await page.locator('#search-query').press('Enter');
    await expect(page.locator('[data-no-match] [data-other-problem] a')).toHaveAttribute('href', 'https://github.com/goharbor/harbor/issues/20897');
    expect(asked).toHaveLength(2);
  });
});
