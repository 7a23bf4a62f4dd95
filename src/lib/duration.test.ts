import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads the units docker and kubectl take', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('2h'), parseDuration('7d')]).toEqual([90_000, 1_800_000, 7_200_000, 604_800_000]);
  });
  it('rejects anything else', () => {
    expect([parseDuration('2 hours'), parseDuration('h'), parseDuration('-1h')]).toEqual([undefined, undefined, undefined]);
  });
  it('counts a bare number in the unit a caller allows, and only the units it allows', () => {
    expect(parseDuration('300', { units: ['s', 'm', 'h'], bareUnit: 's' })).toBe(300_000);
    expect(parseDuration('5m', { units: ['s', 'm', 'h'], bareUnit: 's' })).toBe(300_000);
    expect(parseDuration('300')).toBeUndefined();
    expect(parseDuration('7d', { units: ['s', 'm', 'h'] })).toBeUndefined();
  });
});
