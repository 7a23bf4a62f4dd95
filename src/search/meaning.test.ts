import { describe, expect, it } from 'vitest';
import { meaningData } from './build/meaning-data.ts';
import type { PageWords } from './build/page-words.ts';
import { meaningOf } from './meaning.ts';
import { normaliseQuery } from './normalise.ts';

/** Two pages about different things, in both languages, with the real reduced word vectors. */
const PAGES: PageWords[] = [
  {
    id: 'stuck',
    lang: 'en',
    title: 'Replication jobs stuck in pending',
    summary: 'The copy job hangs and never finishes.',
    describedAs: ['stop does nothing'],
    errors: [],
  },
  {
    id: 'password',
    lang: 'en',
    title: 'Login fails with an invalid password',
    summary: 'The user name and password are rejected at sign-in.',
    describedAs: [],
    errors: [],
  },
  { id: 'stuck', lang: 'zh', title: '复制任务卡住', summary: '同步任务一直不结束', describedAs: ['停止任务没有反应'], errors: [] },
  { id: 'password', lang: 'zh', title: '登录失败,密码错误', summary: '用户名和密码被拒绝', describedAs: [], errors: [] },
];

const closest = (lang: 'en' | 'zh', text: string) =>
  meaningOf(meaningData(PAGES, lang))
    .closest(normaliseQuery(text))
    .map((page) => page.pageId);

describe('the meaning fallback', () => {
  it('finds the page whose words are near the query’s, with none of the same words', () => {
    // "halted" and "waiting" are on neither page; they are near "stuck", "pending", "hangs".
    expect(closest('en', 'the task halted and is waiting')).toEqual(['stuck']);
  });

  it('says nothing from fewer than two known words', () => {
    expect(closest('en', 'halted')).toEqual([]);
  });

  it('matches Chinese by shared character pairs', () => {
    expect(closest('zh', '同步任务卡死了')[0]).toBe('stuck');
    expect(closest('zh', '完全无关的内容描述')).toEqual([]);
  });

  it('keeps only the words that come near some page, and the page order', () => {
    const data = meaningData(PAGES, 'en');
    expect(data.pages).toEqual(['stuck', 'password']);
    const words = (data.words ?? '').split(' ');
    expect(words.length).toBeGreaterThan(50);
    expect(words).not.toContain('said');
    expect(Buffer.from(data.sims ?? '', 'base64').length).toBe(words.length * 2);
  });
});
