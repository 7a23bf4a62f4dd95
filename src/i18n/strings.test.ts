import { describe, expect, it } from 'vitest';
import { COMPONENTS, ERROR_SOURCES, INSTALL_METHODS, LANGS, STATUSES } from '../schemas/issue.ts';
import { en } from './en.ts';
import { STRINGS, stringsOf, useTranslations } from './index.ts';
import { AUTHORED_SECTIONS } from './sections.ts';
import { zh } from './zh.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((found) => found[1]).sort();

describe('the translation files', () => {
  it('have the same keys in every language, in the same order', () => {
    expect(Object.keys(zh)).toEqual(Object.keys(en));
    for (const lang of LANGS) expect(Object.keys(STRINGS[lang])).toEqual(Object.keys(en));
  });

  it('keep every {placeholder} of a string in its translation', () => {
    const differing = (Object.keys(en) as (keyof typeof en)[]).filter((key) => placeholders(en[key]).join() !== placeholders(zh[key]).join());
    expect(differing).toEqual([]);
  });

  it('name every authored section and label every value of the frontmatter enums that is not shown as it is', () => {
    const wanted = [
      ...AUTHORED_SECTIONS.map((s) => `section.${s}`),
      ...STATUSES.map((s) => `status.${s}`),
      ...INSTALL_METHODS.map((m) => `install.${m}`),
      ...ERROR_SOURCES.filter((s) => !(COMPONENTS as readonly string[]).includes(s)).map((s) => `source.${s}`),
    ];
    expect(wanted.filter((key) => !(key in en))).toEqual([]);
    expect(
      Object.keys(en)
        .filter((key) => /^(section|status|install|source)\./.test(key))
        .sort(),
    ).toEqual(wanted.sort());
  });
});

describe('t and stringsOf', () => {
  it('fill placeholders and leave unknown ones', () => {
    const t = useTranslations('en');
    expect(t('doctor.lines', { n: 3 })).toBe('3 matching lines');
    expect(t('doctor.reading', { source: 'core.log' })).toBe('Reading core.log: {size} read');
  });

  it('give a namespace by short key, without its nested namespaces', () => {
    expect(stringsOf('zh', 'status')).toEqual({ solved: '已解决', workaround: '有变通方案', unsolved: '未解决' });
    expect(Object.keys(stringsOf('en', 'search'))).not.toContain('script.searching');
    expect(stringsOf('en', 'search.script').searching).toBe('Searching…');
  });
});
