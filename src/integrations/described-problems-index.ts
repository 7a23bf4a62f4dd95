/**
 * The second, small Pagefind bundle: one record per well-known other Harbor problem and language
 * (src/search/other-problems-described.ts), its words cut like our pages' (indexedText), so a
 * query's words are stemmed and matched in it exactly as in the main index. The search page
 * merges it into its Pagefind instance (mergeIndex) only when the pipeline consults it: it needs
 * no loader or wasm of its own, and those Pagefind writes are removed.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { LANGS, type Lang } from '../schemas/issue.ts';
import { indexedText } from '../search/normalise.ts';
import { DESCRIBED_OTHER_PROBLEMS, describedProblemUrl, describedText, OTHER_PROBLEMS_BUNDLE } from '../search/other-problems-described.ts';

/** The language each site language's records are indexed in, as Pagefind names our pages' indexes (their `<html lang>`, lower case), so both bundles split alike. */
const RECORD_LANGUAGE: Record<Lang, string> = { en: 'en', zh: 'zh-cn' };

/** What a merged bundle is read with (the primary's loader and wasm) or never read at all. */
const NOT_NEEDED = /^(pagefind[\w-]*\.(js|css)|wasm\.[\w-]+\.pagefind)$/;

/** Writes the bundle into the built site and returns its directory. Call while Pagefind's service is open. */
export async function indexDescribedProblems(site: string): Promise<string> {
  const bundle = path.join(site, OTHER_PROBLEMS_BUNDLE);
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  for (const problem of DESCRIBED_OTHER_PROBLEMS) {
    for (const lang of LANGS) {
      // Each phrase cut as the index cuts a page's header (indexedText).
      const content = describedText(problem, lang).map(indexedText).join(' ');
      const added = await index.addCustomRecord({ url: describedProblemUrl(problem.id, lang), content, language: RECORD_LANGUAGE[lang] });
      if (added.errors.length > 0) throw new Error(`Pagefind failed to index ${problem.id} (${lang}): ${added.errors.join('; ')}`);
    }
  }
  const written = await index.writeFiles({ outputPath: bundle });
  if (written.errors.length > 0) throw new Error(`Pagefind failed to write the other problems' index: ${written.errors.join('; ')}`);
  for (const file of await readdir(bundle)) if (NOT_NEEDED.test(file)) await rm(path.join(bundle, file));
  return bundle;
}
