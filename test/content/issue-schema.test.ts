import { describe, expect, it } from 'vitest';
import { canonicalPageSchema, translationPageSchema, upstreamUrl } from '../../src/schemas/issue.ts';

const valid = {
  id: 'replication-job-stuck',
  title: 'Replication jobs stuck',
  summary: 'Stop does nothing and the rule cannot be deleted.',
  status: 'workaround',
  harbor: { affected: ['>=1.5.0 <1.8.3'], fixed: '1.8.3' },
  install: ['compose'],
  components: ['jobservice'],
  errors: [{ text: 'policy has running/retrying/pending jobs, can not be deleted', source: 'api' }],
  signatures: [{ pattern: 'policy has running/retrying/pending jobs' }],
  upstream: [{ repo: 'goharbor/harbor', number: 7057, kind: 'issue', title: 'Impossible to delete replication rule' }],
};

function issuePaths(data: unknown): string[] {
  const result = canonicalPageSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('page frontmatter schema', () => {
  it('accepts a complete page and defaults signature weight and playbooks', () => {
    const page = canonicalPageSchema.parse(valid);
    expect(page.signatures[0]).toEqual({ pattern: 'policy has running/retrying/pending jobs', ignoreCase: false, weight: 2 });
    expect(page.playbooks).toEqual([]);
  });

  it.each([
    ['status', { status: 'fixed' }],
    ['harbor.affected.0', { harbor: { affected: ['one point five'], fixed: null } }],
    ['harbor.fixed', { harbor: { affected: ['>=1.5.0'], fixed: '1.8' } }],
    ['install.0', { install: ['kubectl'] }],
    ['components.0', { components: ['database-server'] }],
    ['errors', { errors: [] }],
    ['errors.0.harbor', { errors: [{ text: 'policy has running/retrying/pending jobs', source: 'api', harbor: 'one point five' }] }],
    ['errors.0.paraphrase', { errors: [{ text: 'policy has running/retrying/pending jobs', source: 'api', paraphrase: 'yes' }] }],
    ['versionNote', { versionNote: 'short' }],
    ['signatures.0.pattern', { signatures: [{ pattern: 'unclosed (group' }] }],
    ['signatures.0.pattern', { signatures: [{ pattern: 'version \\d+ is dirty' }] }],
    ['id', { id: 'Not A Slug' }],
    ['upstream.0', { upstream: [{ repo: 'goharbor/harbor', number: 'seven', kind: 'issue', title: 'x y z' }] }],
    ['', { extra: true }],
  ])('names the field %s when it is wrong', (field, change) => {
    expect(issuePaths({ ...valid, ...change })).toContain(field);
  });

  it('accepts a paraphrase and an error line labelled with the releases that print it', () => {
    const errors = [
      { text: "the execution 12 has tasks that aren't in final status, stop the tasks first", source: 'api', harbor: '>=2.2.0' },
      { text: 'replication stuck and the rule cannot be deleted', source: 'api', paraphrase: true },
    ];
    expect(canonicalPageSchema.parse({ ...valid, errors }).errors).toEqual(errors);
  });

  it('keeps shared facts out of translations', () => {
    const result = translationPageSchema.safeParse({ id: 'x', title: '复制任务卡住', summary: '停止按钮没有反应,规则也删不掉。', status: 'solved' });
    expect(result.success).toBe(false);
  });

  it('derives upstream URLs GitHub resolves', () => {
    expect(upstreamUrl({ repo: 'goharbor/harbor', number: 6223, kind: 'pr', title: 'Wait for manifest' })).toBe('https://github.com/goharbor/harbor/pull/6223');
    expect(upstreamUrl({ repo: 'goharbor/harbor', path: 'src/common/dao/pgsql.go', ref: 'v1.8.6', title: 'pgsql' })).toBe(
      'https://github.com/goharbor/harbor/blob/v1.8.6/src/common/dao/pgsql.go',
    );
  });
});
