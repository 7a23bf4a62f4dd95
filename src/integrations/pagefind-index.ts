/**
 * Builds the Pagefind index over the finished site as the last step of `astro build`,
 * so `npm run build` alone yields a searchable site.
 */
import { fileURLToPath } from 'node:url';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { transform } from 'esbuild';
import { ABOUT_END_WORD, ERROR_LINES_WORD, fragmentPagesFile, pageOfUrl } from '../search/fragment-pages.ts';
import { indexedText } from '../search/normalise.ts';
import { describedProblemOfUrl } from '../search/other-problems-described.ts';
import { indexDescribedProblems } from './described-problems-index.ts';

/**
 * Pagefind names each result by its fragment hash; the search page ranks pages by id
 * across many small searches, so it gets the hash → page id map up front instead of
 * fetching every result's fragment.
 */
/** Returns the number of pages (records) indexed; `pageOf` names the page of a record's URL. */
async function writeFragmentPages(bundle: string, pageOf: (url: string) => string | undefined = pageOfUrl): Promise<number> {
  const dir = path.join(bundle, 'fragment');
  const maps = new Map<string, Record<string, string>>();
  let count = 0;
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.pf_fragment')) continue;
    const text = gunzipSync(await readFile(path.join(dir, file))).toString('utf8');
    const fragment = JSON.parse(text.slice(text.indexOf('{'))) as { url?: string };
    const page = fragment.url ? pageOf(fragment.url) : undefined;
    if (!page) throw new Error(`Pagefind indexed ${fragment.url ?? file}, which it should not have`);
    const hash = file.replace(/\.pf_fragment$/, '');
    const prefix = hash.slice(0, hash.lastIndexOf('_'));
    maps.set(prefix, { ...maps.get(prefix), [hash]: page });
    count += 1;
  }
  for (const [prefix, map] of maps) await writeFile(path.join(bundle, fragmentPagesFile(prefix)), JSON.stringify(map));
  return count;
}

/**
 * Pagefind ships its loader unminified (47 KB); every first search downloads it, so it is
 * minified here (about 32 KB) for servers that do not compress JavaScript.
 */
async function minifyLoader(bundle: string): Promise<void> {
  const file = path.join(bundle, 'pagefind.js');
  const { code } = await transform(await readFile(file, 'utf8'), { minify: true, format: 'esm', target: 'es2020' });
  await writeFile(file, code);
}

/**
 * Commands and SQL in a page's body are for copying, not for finding the page; left out of
 * the index they keep the first search's download small. Error lines stay indexed.
 */
const NOT_INDEXED = ['.body .expressive-code'];

/**
 * Cause, Fix and Prevention run from the Cause heading to the end of the page body (the
 * Playbook or References section follows). They say why and what to do; an operator's query
 * says what they see, which the header, the error lines and the Symptom hold. Left in, they
 * doubled the index every first search downloads (24 → 12 KB in English with 19 pages), and
 * their words (ports, versions, other components named in passing) matched near misses.
 */
const CAUSE_TO_END = /<h2 id="cause"[\s\S]*?(?=<\/div>\s*<section aria-labelledby="(?:playbook|references)")/;
/** Markup (comments, scripts and styles whole; tags with quoted attributes, which may hold ">") or the text between. */
const MARKUP_OR_TEXT = /(<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\2>|<(?:[^>"']|"[^"]*"|'[^']*')*>)|([^<]+)/g;

/** An opening tag whose text is a Pagefind filter or meta value (not "key:value" or "key[attribute]"). */
const FILTER_OR_META = /^<[a-z][\w-]*\s[^>]*\bdata-pagefind-(?:filter|meta)="[\w-]+"/;

/**
 * A text node's words (see indexedText). A word that runs into the next node's, split only
 * by inline markup ("<code>tag</code>s"), stays joined to it when both are kept; anywhere
 * else a space keeps the words of neighbouring nodes apart ("start (<a>#354</a>)").
 */
function indexedTextNode(text: string): string {
  const words = indexedText(text);
  const tokens = text.split(/\s+/);
  const kept = words.split(' ');
  const joinsStart = /^[\p{L}\p{N}_]/u.test(text) && kept[0] === tokens[0];
  const joinsEnd = /[\p{L}\p{N}_]$/u.test(text) && kept.at(-1) === tokens.at(-1);
  if (words === '') return ' ';
  return `${joinsStart ? '' : ' '}${words}${joinsEnd ? '' : ' '}`;
}

/**
 * What a page is indexed by: everything before its Cause section, and of that only the
 * words a query can ask for (see indexedText). Cause, Fix and Prevention say why and what to
 * do next, not how an operator describes the problem; stopwords, numbers and ids are never
 * searched. Both cuts shrink the index a first search downloads without losing a match.
 * The page as served is unchanged.
 */
export function searchableHtml(html: string): string {
  return (
    html
      .replace(CAUSE_TO_END, '')
      // The page's header (title, summary, operators' words) and its error lines are what it is
      // about: mark where they end, before the body (the search page carries none of them).
      .replace(/(<article data-pagefind-body[\s\S]*?)(<div class="body\b)/, `$1 ${ABOUT_END_WORD} $2`)
      // ...and where its error lines begin.
      .replace(/(<article data-pagefind-body[\s\S]*?)(<ul class="error-lines\b)/, `$1 ${ERROR_LINES_WORD} $2`)
      .replace(/<article data-pagefind-body[\s\S]*<\/article>/, (article) => {
        // A filter or meta value (the text right after its tag) is data, not words: it stays as written.
        let value = false;
        return article.replace(MARKUP_OR_TEXT, (_node, markup: string | undefined, _tag, text: string | undefined) => {
          if (markup !== undefined) {
            value = FILTER_OR_META.test(markup);
            return markup;
          }
          const kept = value ? (text ?? '') : indexedTextNode(text ?? '');
          value = false;
          return kept;
        });
      })
  );
}

/** The site's HTML files, as paths relative to the site, leaving out Pagefind's own bundle. */
async function htmlFiles(site: string): Promise<string[]> {
  const files = await readdir(site, { recursive: true });
  return files.filter((file) => file.endsWith('.html') && !file.startsWith(`pagefind${path.sep}`));
}

export function pagefindIndex(): AstroIntegration {
  return {
    name: 'harbor-kb:pagefind-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        const bundle = path.join(site, 'pagefind');
        const { index, errors } = await pagefind.createIndex({ excludeSelectors: NOT_INDEXED });
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        for (const sourcePath of await htmlFiles(site)) {
          const content = searchableHtml(await readFile(path.join(site, sourcePath), 'utf8'));
          const added = await index.addHTMLFile({ sourcePath, content });
          if (added.errors.length > 0) throw new Error(`Pagefind failed to index ${sourcePath}: ${added.errors.join('; ')}`);
        }
        const written = await index.writeFiles({ outputPath: bundle });
        if (written.errors.length > 0) throw new Error(`Pagefind failed to write its index: ${written.errors.join('; ')}`);
        const describedBundle = await indexDescribedProblems(site);
        await pagefind.close();
        await minifyLoader(bundle);
        const indexed = await writeFragmentPages(bundle);
        const described = await writeFragmentPages(describedBundle, describedProblemOfUrl);
        logger.info(`indexed ${indexed} pages into ${bundle}, ${described} records of other problems beside it`);
      },
    },
  };
}
