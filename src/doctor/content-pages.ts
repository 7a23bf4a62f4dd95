/**
 * The CLI doctor's knowledge: every English page's frontmatter, read from the
 * content files at run time and checked with the page schema, so the CLI and the
 * site (which serves the same fields as /signatures.json) share one source of truth.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { canonicalPageSchema, CANONICAL_LANG, type CanonicalPage } from '../schemas/issue.ts';
import type { DoctorPage } from './findings.ts';

/** The site's content tree; HARBOR_KB_CONTENT_DIR points tests at fixture trees, as for the build. */
export const contentRoot = () => process.env.HARBOR_KB_CONTENT_DIR ?? fileURLToPath(new URL('../../content/issues', import.meta.url));

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/** Every English page's frontmatter, validated. */
export async function loadCanonicalPages(root: string = contentRoot()): Promise<CanonicalPage[]> {
  const dir = join(root, CANONICAL_LANG);
  const files = (await readdir(dir)).filter((file) => file.endsWith('.mdx')).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), 'utf8');
      const frontmatter = FRONTMATTER.exec(text)?.[1];
      if (frontmatter === undefined) throw new Error(`${join(dir, file)}: no frontmatter`);
      const result = canonicalPageSchema.safeParse(parse(frontmatter));
      if (!result.success) throw new Error(`${join(dir, file)}: ${result.error.message}`);
      return result.data;
    }),
  );
}

export async function loadDoctorPages(root: string = contentRoot()): Promise<DoctorPage[]> {
  return (await loadCanonicalPages(root)).map((page) => ({
    id: page.id,
    title: page.title,
    components: page.components,
    playbooks: page.playbooks,
    signatures: page.signatures,
    harbor: page.harbor,
  }));
}
