import { blockingViolations, test, expect, PAGE_IDS } from './fixtures.ts';

const PAGES = ['/', '/zh/', ...PAGE_IDS.flatMap((id) => [`/issues/${id}/`, `/zh/issues/${id}/`])];

for (const path of PAGES) {
  test(`axe finds no serious or critical violation on ${path}, light and dark`, async ({ page }) => {
    // An axe run of every rule and one of the colour rules on a long page: seconds each, more on a loaded machine.
    test.slow();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(path);
      expect(await blockingViolations(page, colorScheme)).toEqual([]);
    }
  });
}

test('the dark scheme is still checked for contrast', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/issues/${PAGE_IDS[0]}/`);
  await page.addStyleTag({ content: 'main p { color: #333 !important; }' });
  expect((await blockingViolations(page, 'dark')).some((line) => line.startsWith('dark: color-contrast'))).toBe(true);
});

test('every internal link and anchor resolves', async ({ page, request, baseURL }) => {
  // It visits every page of the site in one test.
  test.slow();
  const site = new URL(baseURL ?? '');
  const queue = ['/', '/zh/'];
  const seen = new Set<string>();
  const broken: string[] = [];
  while (queue.length > 0) {
    const path = queue.shift() ?? '/';
    if (seen.has(path)) continue;
    seen.add(path);
    const response = await page.goto(path);
    if (response?.status() !== 200) {
      broken.push(`${path}: HTTP ${response?.status()}`);
      continue;
    }
    if (!(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    const links = await page.locator('a[href]').evaluateAll((nodes) => nodes.map((n) => (n as HTMLAnchorElement).href));
    for (const link of links) {
      const url = new URL(link);
      if (url.host !== site.host) continue;
      if (url.hash) {
        const target = decodeURIComponent(url.hash.slice(1));
        if (url.pathname === new URL(page.url()).pathname) {
          const found = await page.evaluate((id) => document.getElementById(id) !== null, target);
          if (!found) broken.push(`${path}: anchor #${target} does not exist`);
        } else {
          queue.push(`${url.pathname}${url.hash}`.replace(/#.*/, ''));
          const html = await (await request.get(url.pathname)).text();
          if (!html.includes(`id="${target}"`)) broken.push(`${path}: link to ${url.pathname}#${target} has no such anchor`);
        }
      }
      if (url.pathname.endsWith('.mjs') || url.pathname.endsWith('.gz')) {
        const asset = await request.get(url.pathname);
        if (asset.status() !== 200) broken.push(`${path}: ${url.pathname} HTTP ${asset.status()}`);
        continue;
      }
      queue.push(url.pathname + url.search);
    }
  }
  expect(broken).toEqual([]);
  for (const id of PAGE_IDS) {
    expect(seen.has(`/issues/${id}/`)).toBe(true);
    expect(seen.has(`/zh/issues/${id}/`)).toBe(true);
  }
});

test('keyboard users can skip to the content and reach the search box with "/"', async ({ page }) => {
  await page.goto(`/issues/${PAGE_IDS[0]}/`);
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  await page.keyboard.press('/');
  await expect(page.locator('[data-site-search]')).toBeFocused();
});

test('the Pagefind index filters issue pages by version line, install method, component and status', async ({ page }) => {
  await page.goto('/');
  const filters = await page.evaluate(async () => {
    const pagefind = await import(/* @vite-ignore */ `${location.origin}/pagefind/pagefind.js`);
    await pagefind.init();
    return pagefind.filters();
  });
  expect(Object.keys(filters).sort()).toEqual(['component', 'install', 'status', 'version']);
  expect(Object.keys(filters.install).sort()).toEqual(['compose', 'helm']);
  expect(filters.version['1.9']).toBeGreaterThan(0);
  expect(filters.component.jobservice).toBeGreaterThan(0);
});
