import semver from 'semver';
import { test, expect, SEED_PAGE_IDS, PAGE_IDS } from './fixtures.ts';

const SECTION_IDS = ['environment', 'errors', 'symptom', 'cause', 'fix', 'prevention', 'references'];

for (const id of SEED_PAGE_IDS) {
  for (const prefix of ['', '/zh']) {
    test(`${prefix || '/en'} page ${id} renders every section in order`, async ({ page }) => {
      const response = await page.goto(`${prefix}/issues/${id}/`);
      expect(response?.status()).toBe(200);
      await expect(page.locator('html')).toHaveAttribute('lang', prefix ? 'zh-CN' : 'en');
      await expect(page.locator('h1')).toHaveCount(1);
      const headingIds = await page.locator('article h2[id]').evaluateAll((nodes) => nodes.map((n) => n.id));
      const present = headingIds.filter((h) => SECTION_IDS.includes(h));
      expect(present).toEqual(SECTION_IDS);
      for (const section of ['symptom', 'cause', 'fix', 'prevention']) {
        const text = await page.locator(`h2#${section}`).evaluate((h) => {
          let text = '';
          for (let node = h.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling) text += node.textContent ?? '';
          return text.trim();
        });
        expect(text.length, `#${section} has content`).toBeGreaterThan(40);
      }
      expect(await page.locator('[data-error-line]').count()).toBeGreaterThan(0);
      expect(await page.locator('#references ~ ul a[href^="https://"]').count()).toBeGreaterThan(0);
    });
  }
}

test('the language switch lands on the counterpart page, both ways', async ({ page }) => {
  for (const id of SEED_PAGE_IDS) {
    await page.goto(`/issues/${id}/`);
    await page.locator('[data-language-switch]').click();
    await expect(page).toHaveURL(new RegExp(`/zh/issues/${id}/$`));
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await page.locator('[data-language-switch]').click();
    await expect(page).toHaveURL(new RegExp(`/issues/${id}/$`));
    expect(new URL(page.url()).pathname).toBe(`/issues/${id}/`);
  }
  await page.goto('/');
  await page.locator('[data-language-switch]').click();
  expect(new URL(page.url()).pathname).toBe('/zh/');
});

test('a copy button puts the exact command on the clipboard', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/issues/replication-job-stuck/');
  const block = page
    .locator('#fix ~ * .expressive-code')
    .filter({ has: page.locator('button[data-code]') })
    .first();
  const button = block.locator('button[data-code]');
  const expected = (await button.getAttribute('data-code'))?.replace(/\u007f/g, '\n') ?? '';
  const shown = (await block.locator('pre').innerText()).trim();
  expect(expected.trim()).toBe(shown);
  await block.hover();
  await button.click();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  expect(clipboard).toBe(expected);
  expect(clipboard.length).toBeGreaterThan(5);
});

test('the problem index groups every page and filters by version and install method', async ({ page }) => {
  await page.goto('/');
  const items = page.locator('[data-problem]');
  await expect(items).toHaveCount(PAGE_IDS.length);
  const all = await items.evaluateAll((nodes) =>
    nodes.map((n) => {
      const data = (n as HTMLElement).dataset;
      return { id: data.problem ?? '', affected: JSON.parse(data.affected ?? '[]') as string[], install: (data.install ?? '').split(' ') };
    }),
  );
  const visible = () => page.locator('[data-problem]:visible').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.problem).sort());
  // The expected sets come from semver itself, not from the page's own filter code.
  const affectedBy = (version: string) => all.filter((p) => p.affected.some((range) => semver.satisfies(version, range)));

  for (const version of ['1.5.0', '1.9.4', '2.15.2']) {
    await page.getByLabel('Your Harbor version').fill(version);
    const expected = affectedBy(version)
      .map((p) => p.id)
      .sort();
    expect(await visible(), `pages affecting ${version}`).toEqual(expected);
    expect(expected.length).toBeLessThan(PAGE_IDS.length);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.url()).toContain(`version=${version}`);
  }

  await page.getByLabel('Your Harbor version').fill('1.9.4');
  await page.getByLabel('Install method').selectOption('compose');
  const composeOn194 = affectedBy('1.9.4')
    .filter((p) => p.install.includes('compose'))
    .map((p) => p.id)
    .sort();
  expect(await visible()).toEqual(composeOn194);

  await page.getByLabel('Your Harbor version').fill('');
  await page.getByLabel('Install method').selectOption('');
  expect((await visible()).length).toBe(PAGE_IDS.length);

  await page.goto('/zh/?version=1.9.4');
  expect(await visible()).toEqual(
    affectedBy('1.9.4')
      .map((p) => p.id)
      .sort(),
  );
  await expect(page.getByLabel('你的 Harbor 版本')).toHaveValue('1.9.4');
});

test('a paraphrase is shown as a quotation, never as a log line, in both languages', async ({ page }) => {
  for (const [prefix, label] of [
    ['', 'not a line Harbor prints'],
    ['/zh', '并非 Harbor 打印的原文'],
  ] as const) {
    await page.goto(`${prefix}/issues/replication-manifest-404-race/`);
    const paraphrase = page.locator('[data-error-line][data-paraphrase]');
    await expect(paraphrase).toHaveCount(1);
    await expect(paraphrase).toContainText(label);
    await expect(paraphrase.locator('q')).toContainText('pull manifest from local registry failed');
    await expect(paraphrase.locator('pre, code')).toHaveCount(0);
    // The real lines stay code blocks, and none of them is the paraphrase.
    const logLines = page.locator('[data-error-line]:not([data-paraphrase]) pre');
    expect(await logLines.count()).toBeGreaterThan(0);
    expect((await logLines.allTextContents()).join('\n')).not.toContain('pull manifest from local registry failed');
  }
});

test('a versionNote is shown under the versions in the page language', async ({ page }) => {
  await page.goto('/issues/admiral-url-not-set/');
  await expect(page.locator('[data-version-note]')).toContainText('chart 1.2.0');
  await page.goto('/zh/issues/admiral-url-not-set/');
  await expect(page.locator('[data-version-note]')).toContainText('Chart 1.2.0');
  await page.goto('/issues/replication-job-stuck/');
  await expect(page.locator('[data-version-note]')).toHaveCount(0);
});
