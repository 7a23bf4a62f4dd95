/**
 * The CLI reads the content tree from disk (lib/content/node.ts) and must run the
 * same cross-file checks as the site build, so the doctor never works from pages
 * the build would reject.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentError } from '../../src/lib/content/assemble.ts';
import { loadIssuePages, loadSignatureViews } from '../../src/lib/content/node.ts';
import { contentScratch, VALID_CONTENT as VALID } from '../support/content-tree.ts';

const { contentTree: brokenTree, removeScratch } = contentScratch();

afterAll(removeScratch);

describe('the CLI content loader', () => {
  it('reads every language of a valid tree and serves the signature view with the English title', async () => {
    const pages = await loadIssuePages(VALID);
    expect(pages.map((page) => `${page.lang}:${page.id}`)).toEqual(['en:sample-problem', 'zh:sample-problem']);
    const [view] = await loadSignatureViews(VALID);
    expect(Object.keys(view ?? {}).sort()).toEqual(['components', 'harbor', 'id', 'playbooks', 'signatures', 'title']);
    expect(view?.title).toBe(pages[0]?.title);
  });

  it('rejects a page without its translation, as the build does', async () => {
    const dir = await brokenTree((d) => rm(path.join(d, 'zh/sample-problem.mdx')));
    const failure = await loadIssuePages(dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ContentError);
    expect((failure as ContentError).problems).toEqual(['zh/sample-problem.mdx: missing; en/sample-problem.mdx has no zh translation']);
  });

  it('rejects a page that names a playbook whose remediates does not name it', async () => {
    const dir = await brokenTree(async (d) => {
      const file = path.join(d, 'en/sample-problem.mdx');
      await writeFile(file, (await readFile(file, 'utf8')).replace('playbooks: []', 'playbooks: [schema-doctor]'));
    });
    const failure = await loadIssuePages(dir).catch((error: unknown) => error);
    expect((failure as ContentError).problems).toEqual([
      `${path.join(dir, 'en/sample-problem.mdx')}: field "playbooks" names "schema-doctor", whose "remediates" does not name "sample-problem"`,
    ]);
  });

  it('names the file and the field of broken frontmatter', async () => {
    const dir = await brokenTree(async (d) => {
      const file = path.join(d, 'en/sample-problem.mdx');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^status: \w+$/m, 'status: maybe'));
    });
    await expect(loadIssuePages(dir)).rejects.toThrow(/sample-problem\.mdx[\s\S]*status/);
  });
});
