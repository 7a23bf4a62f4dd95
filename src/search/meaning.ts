/**
 * The meaning fallback: when no page is conclusive and the words of a query say too little
 * on their own, which pages come closest in meaning. Loaded only then (a separate chunk and
 * one JSON file per language, built by build/meaning-data.ts), so a paste that matches by its words
 * never downloads it. What it finds is offered as uncertain suggestions, never as results.
 */
import { base64Bytes } from './base64.ts';
import { hanPairs } from './han-pairs.ts';
import type { NormalisedQuery } from './normalise.ts';
import type { IndexLang } from './fragment-pages.ts';

export interface MeaningData {
  /** Page ids, in the order of each word's similarities. */
  pages: string[];
  /** English: the words, space-separated, and per word one signed byte per page (base64). */
  words?: string;
  sims?: string;
  /** Chinese: per page, its adjacent Han character pairs, space-separated. */
  pairs?: string[];
}

/** Where the search page fetches a language's meaning data. */
export const meaningUrl = (lang: IndexLang) => `/search-meaning/${lang}.json`;

/** Mean centred similarity (build/meaning-data.ts, SIMILARITY_SCALE 400) a page needs to be suggested. */
const MIN_SIMILARITY = 15;
/** Share of a Chinese query's character pairs a page needs to be suggested. */
const MIN_PAIR_SHARE = 0.3;
/** Fewer known words than this say nothing about meaning. */
const MIN_WORDS = 2;

export interface Meaning {
  /** Pages that come closest in meaning to the query, best first, with a score. */
  closest(query: NormalisedQuery): { pageId: string; score: number }[];
}

function english(data: MeaningData): Meaning {
  const words = new Map((data.words ?? '').split(' ').map((word, row) => [word, row]));
  const sims = new Int8Array(base64Bytes(data.sims ?? '').buffer);
  const width = data.pages.length;
  return {
    closest(query) {
      const rows = query.terms.flatMap((term) => (words.has(term) ? [words.get(term)!] : []));
      if (rows.length < MIN_WORDS) return [];
      // Words that come near no page count as nothing for every page: they dilute the score.
      return data.pages
        .map((pageId, column) => ({ pageId, score: rows.reduce((sum, row) => sum + sims[row * width + column]!, 0) / query.terms.length }))
        .filter((page) => page.score >= MIN_SIMILARITY)
        .sort((a, b) => b.score - a.score);
    },
  };
}

function chinese(data: MeaningData): Meaning {
  const pages = (data.pairs ?? []).map((pairs) => new Set(pairs.split(' ')));
  return {
    closest(query) {
      const pairs = hanPairs(query.lines.map((line) => line.text).join(' '));
      if (pairs.length < MIN_WORDS) return [];
      return data.pages
        .map((pageId, i) => ({ pageId, score: pairs.filter((pair) => pages[i]!.has(pair)).length / pairs.length }))
        .filter((page) => page.score >= MIN_PAIR_SHARE)
        .sort((a, b) => b.score - a.score);
    },
  };
}

export const meaningOf = (data: MeaningData): Meaning => (data.pairs ? chinese(data) : english(data));

const loaded = new Map<IndexLang, Promise<Meaning>>();

/** The meaning data of one language, fetched on first use. */
export function meaningIn(lang: IndexLang): Promise<Meaning> {
  let meaning = loaded.get(lang);
  if (!meaning) {
    meaning = fetch(meaningUrl(lang)).then(async (response) => meaningOf((await response.json()) as MeaningData));
    loaded.set(lang, meaning);
  }
  return meaning;
}
