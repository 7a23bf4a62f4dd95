/**
 * What each page says in its frontmatter, read straight from content/issues outside the site
 * build (the dev harness trains the problem model per fold with it). The build reads the same
 * fields through Astro's content collections; error lines are the English page's, in both languages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { PageWords } from '../../src/search/build/page-words.ts';

interface Frontmatter {
  id: string;
  title: string;
  summary: string;
  describedAs?: string[];
  errors?: { text: string }[];
}

const frontmatterOf = (file: string) => parse(readFileSync(file, 'utf8').split(/^---$/m)[1] ?? '') as Frontmatter;

export function pageWordsOfContent(contentDir = 'content/issues'): PageWords[] {
  const canonical = new Map(
    readdirSync(path.join(contentDir, 'en')).map((file) => {
      const page = frontmatterOf(path.join(contentDir, 'en', file));
      return [page.id, page] as const;
    }),
  );
  return (['en', 'zh'] as const).flatMap((lang) =>
    readdirSync(path.join(contentDir, lang)).map((file) => {
      const page = frontmatterOf(path.join(contentDir, lang, file));
      return {
        id: page.id,
        lang,
        title: page.title,
        summary: page.summary,
        describedAs: page.describedAs ?? [],
        errors: (canonical.get(page.id)?.errors ?? []).map((error) => error.text),
      };
    }),
  );
}
