import { describe, expect, it } from 'vitest';
import { bestLine, hasMarks, markTerms } from './highlight.ts';

const marked = (segments: { text: string; mark: boolean }[]) => segments.filter((s) => s.mark).map((s) => s.text);

describe('highlight', () => {
  it('marks whole words that start with a query term, case-insensitively', () => {
    expect(marked(markTerms('failed to fetch image: FetchImages error', ['fetch', 'image']))).toEqual(['fetch', 'image', 'FetchImages']);
    expect(
      markTerms('a b', [])
        .map((s) => s.text)
        .join(''),
    ).toBe('a b');
  });

  it('marks Chinese words inside a sentence', () => {
    expect(marked(markTerms('复制任务卡在 pending 无法停止', ['停止', '复制']))).toEqual(['复制', '停止']);
  });

  it('keeps the text intact around the marks', () => {
    expect(
      markTerms('x admiral_url y', ['admiral_url'])
        .map((s) => s.text)
        .join(''),
    ).toBe('x admiral_url y');
  });

  it('picks the line with the most matched words', () => {
    const lines = ['Invalid user name or password.', 'Start to sync quota data', 'capture system signal'];
    expect(
      bestLine(lines, ['sync', 'quota'])
        .map((s) => s.text)
        .join(''),
    ).toBe('Start to sync quota data');
    expect(
      bestLine(lines, ['nothing'])
        .map((s) => s.text)
        .join(''),
    ).toBe('Invalid user name or password.');
    expect(hasMarks(bestLine(lines, ['nothing']))).toBe(false);
  });
});
