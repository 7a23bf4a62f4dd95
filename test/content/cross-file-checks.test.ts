import { describe, expect, it } from 'vitest';
import { assemblePages, ContentError, type StoredEntry } from '../../src/lib/content/assemble.ts';
import { canonicalPageSchema, type CanonicalPage, type TranslationPage } from '../../src/schemas/issue.ts';

function canonical(id: string, overrides: Partial<CanonicalPage> = {}, body = ''): StoredEntry<CanonicalPage> {
  const data = canonicalPageSchema.parse({
    id,
    title: `Problem ${id}`,
    summary: 'Something an operator saw and could not explain.',
    status: 'solved',
    harbor: { affected: ['>=1.9.0 <1.10.0'], fixed: '1.10.0' },
    install: ['helm'],
    components: ['core'],
    errors: [{ text: 'failed to initialize database: file does not exist', source: 'core' }],
    signatures: [{ pattern: 'failed to initialize database: file does not exist' }],
    playbooks: [],
    upstream: [{ repo: 'goharbor/harbor', number: 354, kind: 'issue', title: 'file does not exist' }],
    ...overrides,
  });
  return { id, data, body, filePath: `content/issues/en/${id}.mdx` };
}

function translation(lang: string, id: string, body = '', extra: Partial<TranslationPage> = {}): StoredEntry<TranslationPage> {
  return {
    id: `${lang}/${id}`,
    data: { id, title: `问题 ${id}`, summary: '运维人员看到但无法解释的现象。', describedAs: [`${id} 的复制一直卡住`], ...extra },
    body,
    filePath: `content/issues/${lang}/${id}.mdx`,
  };
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ContentError) return error.problems;
    throw error;
  }
  return [];
}

describe('cross-file checks of the content tree (assemblePages)', () => {
  it('joins each canonical page with its translation and shares its facts', () => {
    const pages = assemblePages([canonical('a')], [translation('zh', 'a')], {});
    expect(pages.map((p) => `${p.lang}:${p.id}`)).toEqual(['en:a', 'zh:a']);
    const zh = pages.find((p) => p.lang === 'zh');
    expect(zh?.title).toBe('问题 a');
    expect(zh?.shared.errors[0]?.text).toBe('failed to initialize database: file does not exist');
    expect(zh?.shared).not.toHaveProperty('title');
  });

  it("keeps each language's own operators' words (describedAs), never the other language's", () => {
    const pages = assemblePages([canonical('a', { describedAs: ['replication of a hangs'] })], [translation('zh', 'a')], {});
    expect(pages.map((p) => p.describedAs)).toEqual([['replication of a hangs'], ['a 的复制一直卡住']]);
  });

  it('names the missing translation', () => {
    expect(problemsOf(() => assemblePages([canonical('a'), canonical('b')], [translation('zh', 'a')], {}))).toEqual([
      'zh/b.mdx: missing; en/b.mdx has no zh translation',
    ]);
  });

  it('names a translation without a canonical page and an unknown language', () => {
    const problems = problemsOf(() => assemblePages([], [translation('zh', 'orphan'), translation('fr', 'x')], {}));
    expect(problems).toContain('content/issues/zh/orphan.mdx: translation of "orphan", but there is no en/orphan.mdx');
    expect(problems).toContain('content/issues/fr/x.mdx: "fr" is not a site language (en, zh)');
  });

  it('rejects an id that differs from the file name', () => {
    const entry = { ...canonical('a'), id: 'b' };
    expect(problemsOf(() => assemblePages([entry], [translation('zh', 'b')], {}))[0]).toBe(
      'content/issues/en/a.mdx: field "id" is "a" but the file is named "b.mdx"',
    );
  });

  it('rejects playbook names that are not in the registry', () => {
    const page = canonical('a', { playbooks: ['schema-doctor', 'no-such-playbook'] });
    expect(problemsOf(() => assemblePages([page], [translation('zh', 'a')], { 'schema-doctor': { remediates: ['a'] } }))).toEqual([
      'content/issues/en/a.mdx: field "playbooks" names "no-such-playbook", which is not a playbook (known: schema-doctor)',
    ]);
  });

  it("requires a page's playbooks and the playbooks' remediates to agree, in both directions", () => {
    const page = canonical('a', { playbooks: ['db-backup'] });
    const playbooks = { 'db-backup': { remediates: ['b'] }, 'schema-doctor': { remediates: ['a', 'not-in-this-tree'] } };
    expect(problemsOf(() => assemblePages([page], [translation('zh', 'a')], playbooks))).toEqual([
      'content/issues/en/a.mdx: field "playbooks" names "db-backup", whose "remediates" does not name "a"',
      'content/issues/en/a.mdx: playbook "schema-doctor" remediates "a", but field "playbooks" does not list it',
    ]);
  });

  it('accepts pages and playbooks that name each other, and a playbook that names a page the tree leaves out', () => {
    const page = canonical('a', { playbooks: ['schema-doctor'] });
    const playbooks = { 'schema-doctor': { remediates: ['a', 'not-in-this-tree'] } };
    expect(problemsOf(() => assemblePages([page], [translation('zh', 'a')], playbooks))).toEqual([]);
  });

  it('gives each language its own versionNote, and names a page that has it in one language only', () => {
    const en = canonical('a', { versionNote: 'Fixed for chart users by chart 1.2.0.' });
    const pages = assemblePages([en], [translation('zh', 'a', '', { versionNote: '对 Chart 用户来说由 Chart 1.2.0 修复。' })], {});
    expect(pages.map((p) => p.versionNote)).toEqual(['Fixed for chart users by chart 1.2.0.', '对 Chart 用户来说由 Chart 1.2.0 修复。']);
    expect(problemsOf(() => assemblePages([en], [translation('zh', 'a')], {}))).toEqual([
      'content/issues/zh/a.mdx: field "versionNote" must be in every language of "a" or in none',
    ]);
    expect(problemsOf(() => assemblePages([canonical('b')], [translation('zh', 'b', '', { versionNote: '只有中文有这条说明。' })], {}))).toEqual([
      'content/issues/zh/b.mdx: field "versionNote" must be in every language of "b" or in none',
    ]);
    expect(assemblePages([canonical('c')], [translation('zh', 'c')], {}).every((p) => !('versionNote' in p))).toBe(true);
  });

  it('requires every GitHub link in a body, in any language, to be listed upstream', () => {
    const en = canonical('a', {}, 'See [#354](https://github.com/goharbor/harbor/issues/354) and [#1](https://github.com/goharbor/harbor/pull/1).');
    const zh = translation('zh', 'a', '见 https://github.com/goharbor/harbor-helm/issues/226。');
    expect(problemsOf(() => assemblePages([en], [zh], {}))).toEqual([
      'content/issues/en/a.mdx: links https://github.com/goharbor/harbor/pull/1, which is not listed in "upstream" of en/a.mdx',
      'content/issues/zh/a.mdx: links https://github.com/goharbor/harbor-helm/issues/226, which is not listed in "upstream" of en/a.mdx',
    ]);
  });
});
