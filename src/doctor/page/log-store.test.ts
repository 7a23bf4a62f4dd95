import { describe, expect, it } from 'vitest';
import { createLineSplitter, createLogStore, floorIndex } from './log-store.ts';

describe('log store', () => {
  it('numbers lines across blocks and sources, without line breaks', () => {
    const store = createLogStore();
    store.beginSource('core.log');
    store.addBlock('a1\na2\r\n');
    store.addBlock('a3\n');
    store.beginSource('registry.log.gz');
    const last = store.addBlock('b1\n\nb3');
    expect(store.lineCount).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((line) => store.lineText(line))).toEqual(['a1', 'a2', 'a3', 'b1', '', 'b3']);
    expect(store.origin(4)).toEqual({ source: 'registry.log.gz', line: 2 });
    expect(store.origin(2)).toEqual({ source: 'core.log', line: 3 });
    expect(store.lineAt(last, 'b1\n\n'.length)).toBe(5);
  });

  it('finds the last element not above a value', () => {
    expect([-1, 0, 5, 9].map((value) => floorIndex([0, 3, 7], value))).toEqual([-1, 0, 1, 2]);
  });
});

describe('line splitter', () => {
  it('cuts streamed text into blocks of whole lines, long lines at the size', () => {
    const blocks: string[] = [];
    const splitter = createLineSplitter((text) => blocks.push(text), 8);
    for (const chunk of ['ab\ncd', 'ef\ngh\n', '0123456789abc', '\nend']) splitter.push(chunk);
    splitter.end();
    expect(blocks).toEqual(['ab\ncdef\n', 'gh\n', '01234567', '89abc\n', 'end']);
    expect(blocks.join('')).toBe('ab\ncdef\ngh\n0123456789abc\nend');
  });
});
