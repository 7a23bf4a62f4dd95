/**
 * The issue pages as the CLI reads them: every language's file from the content
 * tree at run time, checked with the page schemas and then with the same
 * cross-file checks the site build runs (assemble.ts), so the CLI and the site
 * never disagree about what a page says.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { playbooks } from '../../../playbooks/all.ts';
import { canonicalPageSchema, translationPageSchema, CANONICAL_LANG, type CanonicalPage, type TranslationPage } from '../../schemas/issue.ts';
import { assemblePages, type AssembledPage, type StoredEntry } from './assemble.ts';
import { contentDir } from './dir.ts';
import { titledSignatureView, type SignatureView } from './signatures.ts';

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

type PageFile = StoredEntry<CanonicalPage> | StoredEntry<TranslationPage>;

async function readPage<Data>(file: string, id: string, schema: z.ZodType<Data>): Promise<StoredEntry<Data>> {
  const text = await readFile(file, 'utf8');
  const frontmatter = FRONTMATTER.exec(text);
  if (!frontmatter) throw new Error(`${file}: no frontmatter`);
  const result = schema.safeParse(parse(frontmatter[1] ?? ''));
  if (!result.success) throw new Error(`${file}: ${result.error.message}`);
  return { id, data: result.data, body: text.slice(frontmatter[0].length), filePath: file };
}

const mdxFiles = async (dir: string) => (await readdir(dir)).filter((file) => file.endsWith('.mdx')).sort();

/** Every page in every language, assembled and checked as the site build does. */
export async function loadIssuePages(root: string = contentDir()): Promise<AssembledPage<PageFile>[]> {
  const langs = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const canonical = await Promise.all(
    (await mdxFiles(join(root, CANONICAL_LANG))).map((file) => readPage(join(root, CANONICAL_LANG, file), file.replace(/\.mdx$/, ''), canonicalPageSchema)),
  );
  const translations = (
    await Promise.all(
      langs
        .filter((lang) => lang !== CANONICAL_LANG)
        .map(async (lang) =>
          Promise.all(
            (await mdxFiles(join(root, lang))).map((file) => readPage(join(root, lang, file), `${lang}/${file.replace(/\.mdx$/, '')}`, translationPageSchema)),
          ),
        ),
    )
  ).flat();
  return assemblePages(canonical, translations, playbooks);
}

/** The canonical (English) page of every problem. */
export async function loadCanonicalPages(root: string = contentDir()): Promise<AssembledPage<PageFile>[]> {
  return (await loadIssuePages(root)).filter((page) => page.lang === CANONICAL_LANG);
}

/** The signature view of every problem with its English title, as the CLI doctor reads it. */
export async function loadSignatureViews(root: string = contentDir()): Promise<(SignatureView & { title: string })[]> {
  return (await loadCanonicalPages(root)).map(titledSignatureView);
}
