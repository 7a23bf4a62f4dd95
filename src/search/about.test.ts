import { describe, expect, it } from 'vitest';
import { aboutMatcher } from './about.ts';

const about = aboutMatcher([
  { id: 'login', errors: ['Invalid user name or password.'], title: { en: 'Login fails after upgrading to 1.9', zh: '升级后登录失败' }, summary: {} },
  { id: 'zero', errors: ['level=error msg="response completed with error" auth.user.name=admin err.message="filesystem: Path not found"'], title: {}, summary: {} },
]);

describe('aboutMatcher', () => {
  it('matches word variants by stem and prefix', () => {
    expect(about('upgrade', 'login')).toBe(true);
    expect(about('upgraded', 'login')).toBe(true);
    expect(about('log', 'login')).toBe(true);
    expect(about('passwords', 'login')).toBe(true);
  });

  it('does not take a longer word for a variant', () => {
    expect(about('pass', 'login')).toBe(false);
  });

  it('ignores the key=value noise of error lines', () => {
    expect(about('admin', 'zero')).toBe(false);
    expect(about('filesystem', 'zero')).toBe(true);
  });

  it('matches two words written as one, but not a word inside another', () => {
    expect(about('username', 'login')).toBe(true);
    expect(about('authority', 'zero')).toBe(false);
    expect(about('certificate', 'zero')).toBe(false);
  });

  it('matches Chinese words by substring, and knows nothing of unknown pages', () => {
    expect(about('登录', 'login')).toBe(true);
    expect(about('证书', 'login')).toBe(false);
    expect(about('login', 'missing')).toBe(false);
  });
});
