import { describe, expect, it } from 'vitest';
import { loadedOnce, loadedOncePerKey } from './loaded-once.ts';

describe('loadedOnce', () => {
  it('starts the load on the first call and shares it with later calls', async () => {
    let loads = 0;
    const load = loadedOnce(async () => ++loads);
    expect(await Promise.all([load(), load()])).toEqual([1, 1]);
    expect(await load()).toBe(1);
    expect(loads).toBe(1);
  });

  it('forgets a load that failed, so the next call tries again', async () => {
    let loads = 0;
    const load = loadedOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('offline');
      return loads;
    });
    await expect(load()).rejects.toThrow('offline');
    expect(await load()).toBe(2);
    expect(await load()).toBe(2);
  });
});

describe('loadedOncePerKey', () => {
  it('loads each key once, apart from the others, and retries a key whose load failed', async () => {
    const calls: string[] = [];
    const load = loadedOncePerKey(async (id: string) => {
      calls.push(id);
      if (id === 'flaky' && calls.filter((call) => call === 'flaky').length === 1) throw new Error('503');
      return `facts of ${id}`;
    });
    expect(await Promise.all([load('a'), load('b'), load('a')])).toEqual(['facts of a', 'facts of b', 'facts of a']);
    await expect(load('flaky')).rejects.toThrow('503');
    expect(await load('flaky')).toBe('facts of flaky');
    expect(calls).toEqual(['a', 'b', 'flaky', 'flaky']);
  });
});
