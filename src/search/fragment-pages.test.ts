import { describe, expect, it } from 'vitest';
import { pageOfUrl } from './fragment-pages.ts';

describe('pageOfUrl', () => {
  it('reads the page id of an issue page in any language', () => {
    expect(pageOfUrl('/issues/replication-job-stuck/')).toBe('replication-job-stuck');
    expect(pageOfUrl('/zh/issues/admiral-url-not-set/')).toBe('admiral-url-not-set');
  });

  it('knows no id for other pages', () => {
    expect(pageOfUrl('/search/')).toBeUndefined();
    expect(pageOfUrl('/zh/')).toBeUndefined();
  });
});
