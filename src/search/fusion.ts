/**
 * Weighted reciprocal rank fusion: every ranked list votes 1/(k + rank) for each
 * of its items, scaled by the list's weight. Lists need not agree on scores or
 * even on which items they contain, only on the order they give.
 */
export interface RankedList<T> {
  items: readonly T[];
  weight: number;
}

/** k damps the advantage of the very first ranks; 60 is the usual choice for long lists, short ones want less. */
export function reciprocalRankFusion<T>(lists: readonly RankedList<T>[], k = 10): Map<T, number> {
  const fused = new Map<T, number>();
  for (const { items, weight } of lists) {
    items.forEach((item, rank) => {
      fused.set(item, (fused.get(item) ?? 0) + weight / (k + rank + 1));
    });
  }
  return fused;
}
