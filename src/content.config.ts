import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { canonicalPageSchema, translationPageSchema, CANONICAL_LANG } from './schemas/issue.ts';
import { contentDir } from './lib/content/dir.ts';

/** Canonical (English) pages: every shared fact of a problem lives here. */
const issues = defineCollection({
  loader: glob({ pattern: `${CANONICAL_LANG}/*.mdx`, base: contentDir(), generateId: ({ entry }) => entry.replace(/^.*\//, '').replace(/\.mdx$/, '') }),
  schema: canonicalPageSchema,
});

/** Translations: `<lang>/<id>.mdx` for every language but the canonical one. */
const translations = defineCollection({
  loader: glob({ pattern: [`*/*.mdx`, `!${CANONICAL_LANG}/*.mdx`], base: contentDir(), generateId: ({ entry }) => entry.replace(/\.mdx$/, '') }),
  schema: translationPageSchema,
});

export const collections = { issues, translations };
