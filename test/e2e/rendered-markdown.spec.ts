// Markdown that did not render: every built page, in every language, is read as the
// reader sees it (JavaScript off, so it is the built HTML and nothing the scripts add),
// and its visible text outside code must hold no `**`, `__` or pair of backticks.
// CommonMark leaves such marks as literal text when a delimiter cannot open or close,
// e.g. a bold span ending in full-width punctuation followed directly by a letter.
import { existsSync, readdirSync } from 'node:fs';
import { test, expect } from './fixtures.ts';

/** Every HTML file of the build, as the path the site serves it at (none without a build: the first test says so). */
const PAGES = (existsSync('dist') ? readdirSync('dist', { recursive: true, encoding: 'utf8' }) : [])
  .filter((file) => file.endsWith('.html'))
  .map((file) => `/${file.replace(/\\/g, '/')}`.replace(/index\.html$/, ''))
  .sort();

/**
 * Marks of Markdown left in the visible text of the document, with some context. Runs in
 * the page (self-contained: Playwright sends its source).
 */
function unrenderedMarks(): string[] {
  // Text in code is shown as written; text under `hidden` is never shown (the index's
  // copy of each error line). Text in a closed <details> or only for screen readers counts.
  const SKIPPED = 'code, pre, kbd, samp, script, style, template, textarea, [hidden]';
  const BLOCK = 'p, li, dd, dt, td, th, h1, h2, h3, h4, h5, h6, blockquote, figcaption, summary, caption, title';
  const blocks = new Map<Element, string>();
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIPPED)) continue;
    // A pair of backticks may be split by markup that did render (a link between them):
    // text is joined per block, leaving out the code in it.
    const block = parent.closest(BLOCK) ?? parent;
    blocks.set(block, `${blocks.get(block) ?? ''}${node.textContent ?? ''}`);
  }
  const found: string[] = [];
  for (const text of blocks.values()) {
    const mark = /\*\*|__|`[^`]*`/.exec(text);
    if (mark) found.push(`${mark[0]} in "${text.slice(Math.max(0, mark.index - 40), mark.index + 60).replace(/\s+/g, ' ')}"`);
  }
  return found;
}

test.use({ javaScriptEnabled: false });

test('the check finds each kind of leftover mark, and nothing in code or hidden text', async ({ page }) => {
  await page.setContent(`<main>
    <p><strong>rendered</strong> and **Harbor 1.6 及更早版本：**新 tag</p>
    <li>__init__ left as is</li>
    <p>run \`docker logs <a href="#">harbor-core</a>\` first</p>
    <p>fine: <code>**glob** __x__ \`y\`</code></p>
    <span hidden>**index copy**</span>
  </main>`);
  const found = await page.evaluate(unrenderedMarks);
  expect(found.map((entry) => entry.split(' in ')[0])).toEqual(['**', '__', '`docker logs harbor-core`']);
});

test('the build has pages in both languages to check', () => {
  expect(PAGES).toContain('/');
  expect(PAGES).toContain('/zh/');
  expect(PAGES.filter((path) => path.startsWith('/zh/issues/')).length).toBeGreaterThan(0);
});

for (const path of PAGES) {
  test(`no unrendered Markdown in the text of ${path}`, async ({ page }) => {
    await page.goto(path);
    const leftovers = await page.evaluate(unrenderedMarks);
    expect(leftovers).toEqual([]);
  });
}
