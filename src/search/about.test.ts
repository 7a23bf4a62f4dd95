import { describe, expect, it } from 'vitest';
import { aboutMatcher } from './about.ts';

const about = aboutMatcher([
  { id: 'login', errors: ['Invalid user name or password.'], title: { en: 'Login fails after upgrading to 1.9', zh: '升级后登录失败' }, summary: {} },
  { id: 'zero', errors: ['level=error msg="response completed with error" auth.user.name=admin err.message="filesystem: Path not found"'], title: {}, summary: {} },
  { id: 'race', errors: ['an error occurred while pulling manifest: 404 MANIFEST_UNKNOWN'], phrasings: ['pull manifest from local registry failed, 404 tag unknown'], title: {}, summary: {} },
]);

describe('aboutMatcher', () => {
  it('matches word variants by stem and prefix', () => {
    expect(about.has('upgrade', 'login')).toBe(true);
    expect(about.has('upgraded', 'login')).toBe(true);
    expect(about.has('log', 'login')).toBe(true);
    expect(about.has('passwords', 'login')).toBe(true);
  });

  it('does not take a longer word for a variant', () => {
    expect(about.has('pass', 'login')).toBe(false);
  });

  it('finds the longest run of query words that follow each other in one of the page’s lines', () => {
    expect(about.phrase(['invalid', 'user', 'name', 'password'], 'login')).toBe(4);
    expect(about.phrase(['password', 'invalid'], 'login')).toBe(1);
    expect(about.phrase(['logins', 'fail', 'upgrading'], 'login')).toBe(3);
    expect(about.phrase(['anything'], 'missing')).toBe(0);
  });

  it('counts the words people search with (a paraphrase) as what the page is about', () => {
    expect(about.has('local', 'race')).toBe(true);
    expect(about.phrase(['pull', 'manifest', 'local', 'registry'], 'race')).toBe(4);
  });

  it('ignores the key=value noise of error lines', () => {
    expect(about.has('admin', 'zero')).toBe(false);
    expect(about.has('filesystem', 'zero')).toBe(true);
  });

  it('matches two words written as one, but not a word inside another', () => {
    expect(about.has('username', 'login')).toBe(true);
    expect(about.has('authority', 'zero')).toBe(false);
    expect(about.has('certificate', 'zero')).toBe(false);
  });

  it('matches Chinese words by substring, and knows nothing of unknown pages', () => {
    expect(about.has('登录', 'login')).toBe(true);
    expect(about.has('证书', 'login')).toBe(false);
    expect(about.has('login', 'missing')).toBe(false);
  });
});
