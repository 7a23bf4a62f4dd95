/**
 * Adjacent pairs of Han characters in a text. Chinese has no spaces, and how Intl.Segmenter cuts
 * it into words depends on the engine's dictionary (Node's ICU at build time, the reader's
 * browser at query time); character pairs are the same everywhere, and they match where words
 * share a character but not a cut ("卡住"/"卡死"). Used by the meaning fallback and the problem model.
 */
export function hanPairs(text: string): string[] {
  const pairs = new Set<string>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) for (let i = 0; i + 1 < run.length; i++) pairs.add(run.slice(i, i + 2));
  return [...pairs];
}
