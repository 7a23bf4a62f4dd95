/**
 * Browser-test fixtures: the served site as baseURL, and a guard that fails any
 * test whose page requests a host other than the site itself.
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export { SEED_PAGE_IDS, ISSUE15_PAGE_IDS, PAGE_IDS } from '../support/page-ids.ts';

export const test = base.extend<{ foreignRequests: string[] }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this destructuring; this one has none.
  baseURL: async ({}, use) => {
    const url = process.env.HARBOR_KB_SITE_URL;
    if (!url) throw new Error('HARBOR_KB_SITE_URL is not set: the global setup did not run');
    await use(url);
  },
  foreignRequests: [
    async ({ page, baseURL }, use) => {
      const siteHost = new URL(baseURL ?? 'http://invalid').host;
      const foreign: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (['data:', 'blob:', 'about:'].includes(url.protocol)) return;
        if (url.host !== siteHost) foreign.push(request.url());
      });
      await use(foreign);
      expect(foreign, 'requests to hosts other than the site').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The axe rules that read colours: the only ones whose answer a colour scheme can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * The serious and critical axe violations of the page as it is now, one line each (empty when
 * there are none). Every rule runs in the light scheme; in the dark one only the rules that read
 * colours. That holds because our dark scheme changes only colours (the custom properties under
 * prefers-color-scheme in global.css), so the other rules gave their answer in the light run, and
 * callers check both. Should the dark scheme ever hide, show or swap anything, run every rule in
 * both. A full run of a long page takes seconds, on 40 pages.
 *
 * Legacy mode runs axe in the page itself. The default mode also opens a blank page per run to
 * merge the results of each frame, about a second each time on this machine (measured: a light
 * run 4.6 -> 2.7 s, a dark one 1.9 -> 1.3 s). Our pages have no frames, so nothing is lost; a page
 * that gains one fails here rather than going unchecked.
 */
export async function blockingViolations(page: Page, colorScheme: 'light' | 'dark'): Promise<string[]> {
  if (page.frames().length > 1) throw new Error(`${page.url()} has frames: run axe without legacy mode`);
  // Only violations are read: axe then keeps one node per passing or incomplete rule instead of
  // every node it checked, which halves a run on a long page (2.7 -> 1.1 s for all rules).
  const axe = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  const results = await (colorScheme === 'dark' ? axe.withRules(COLOUR_RULES) : axe).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${colorScheme}: ${v.id} (${v.impact}) ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}
