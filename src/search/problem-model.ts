/**
 * A second opinion on results that rest on words alone. Near misses share most of their words
 * with one of our pages (another key "is not set", another job stuck, another 500), and no rule
 * on lexical evidence told them apart without losing as many real matches as it caught. This is
 * a model trained at build time (build/problem-model-data.ts) on how real queries were worded:
 * the dev split of the held-out corpus, our own query set, the pages' own words, and the other
 * problems described in operators' words. Given a query, it says how likely each of our pages is,
 * and how likely another problem. A page that words alone made a result stays one only if the
 * model gives it at least MIN_CONFIRMATION (pipeline.ts); otherwise it is not listed as a result:
 * it is the first uncertain suggestion when no page is a result, and is left out when another is.
 *
 * The model is multinomial logistic regression over the query's words and pairs of adjacent
 * words, line by line. It is loaded (gzip, about 90 KB) only when a result rests on words
 * alone, so a paste a conclusive signature recognises never downloads it.
 */
import { base64Bytes } from './base64.ts';
import { fetchGzipped, inflatedText } from './gzipped.ts';
import { hanPairs } from './han-pairs.ts';
import { loadedOnce } from './loaded-once.ts';
import type { NormalisedQuery } from './normalise.ts';

/** The class of every problem that is not one of our pages. */
export const OTHER_PROBLEM = '';

/** Where the search page fetches the model, gzip-compressed (src/pages/search-model.bin.ts). */
export const PROBLEM_MODEL_URL = '/search-model.bin';

/** The model as served: sparse weights of hashed features, quantised to signed bytes. */
export interface ProblemModelData {
  /** The classes: page ids, and OTHER_PROBLEM. */
  classes: string[];
  /** Per class, its bias. */
  bias: number[];
  /** A weight is stored as round(weight / scale) in a signed byte. */
  scale: number;
  /** base64 of the kept features' hashes (uint32, ascending). */
  features: string;
  /** base64 of uint32: where each feature's weights start in `columns`/`weights` (one more than features). */
  starts: string;
  /** base64 of uint8: the class of each weight. */
  columns: string;
  /** base64 of int8: the weights. */
  weights: string;
}

/** FNV-1a, 32 bits: features travel as hashes, not as words. */
export function featureHash(feature: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    hash ^= feature.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * What the model reads of a query: each line's words and each pair of adjacent words, as the
 * normaliser leaves them, and in Chinese each pair of adjacent Han characters (han-pairs.ts: the
 * same in every engine, where words are cut by the engine's dictionary). Pairs never cross lines:
 * two pasted lines are two messages.
 */
export function modelFeatures(query: NormalisedQuery): string[] {
  const features = new Set<string>();
  for (const line of query.lines) {
    for (const [i, term] of line.terms.entries()) {
      features.add(`w\0${term}`);
      if (i > 0) features.add(`b\0${line.terms[i - 1]}\0${term}`);
    }
    for (const pair of hanPairs(line.text)) features.add(`h\0${pair}`);
  }
  return [...features];
}

export interface ProblemModel {
  /** How likely each class is for the query (they sum to 1). */
  probabilities(query: NormalisedQuery): Map<string, number>;
}

export function problemModelOf(data: ProblemModelData): ProblemModel {
  const features = new Uint32Array(base64Bytes(data.features).buffer);
  const starts = new Uint32Array(base64Bytes(data.starts).buffer);
  const columns = base64Bytes(data.columns);
  const weights = new Int8Array(base64Bytes(data.weights).buffer);
  const find = (hash: number) => {
    let low = 0;
    let high = features.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = features[middle]!;
      if (value === hash) return middle;
      if (value < hash) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };
  return {
    probabilities(query) {
      const found = modelFeatures(query);
      const scores = [...data.bias];
      // Each query is a unit vector of its features (as in training), so long pastes do not outvote short ones.
      const norm = found.length > 0 ? 1 / Math.sqrt(found.length) : 0;
      for (const feature of found) {
        const at = find(featureHash(feature));
        if (at < 0) continue;
        for (let k = starts[at]!; k < starts[at + 1]!; k++) scores[columns[k]!]! += norm * data.scale * weights[k]!;
      }
      const top = Math.max(...scores);
      const exps = scores.map((score) => Math.exp(score - top));
      const sum = exps.reduce((total, value) => total + value, 0);
      return new Map(data.classes.map((name, i) => [name, exps[i]! / sum]));
    },
  };
}

/** The model, fetched and inflated on first use by the search page. */
export type ProblemModelLoader = () => Promise<ProblemModel>;

/** The served model (gzip-compressed JSON, as fetched) as a model. */
export async function problemModelFrom(gzipped: Blob): Promise<ProblemModel> {
  return problemModelOf(JSON.parse(await inflatedText(gzipped)) as ProblemModelData);
}

/** The model, fetched on first use; a failed fetch is tried again by the next query that needs it. */
export const loadProblemModel: ProblemModelLoader = loadedOnce(() => fetchGzipped(PROBLEM_MODEL_URL).then(problemModelFrom));
