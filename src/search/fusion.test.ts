import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './fusion.ts';

describe('reciprocalRankFusion', () => {
  it('adds weight / (k + rank) over every list', () => {
    const fused = reciprocalRankFusion(
      [
        { items: ['a', 'b'], weight: 1 },
        { items: ['b'], weight: 2 },
      ],
      10,
    );
    expect(fused.get('a')).toBeCloseTo(1 / 11);
    expect(fused.get('b')).toBeCloseTo(1 / 12 + 2 / 11);
  });

  it('prefers an item ranked well by several lists over one ranked first by one list', () => {
    const fused = reciprocalRankFusion([
      { items: ['x', 'y'], weight: 1 },
      { items: ['y', 'z'], weight: 1 },
      { items: ['z', 'y'], weight: 1 },
    ]);
    const order = [...fused].sort((a, b) => b[1] - a[1]).map(([item]) => item);
    expect(order[0]).toBe('y');
  });
});
