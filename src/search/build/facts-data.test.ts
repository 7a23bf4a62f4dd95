import { describe, expect, it } from 'vitest';
import { canonicalPageSchema, sharedFieldsSchema } from '../../schemas/issue.ts';
import { filterFacts, searchFacts, shownFacts, type FactSource } from './facts-data.ts';

const race = canonicalPageSchema.parse({
  id: 'race',
  title: 'Replication fails right after a push',
  summary: 'The job fails with 404 and works a second later.',
  status: 'solved',
  harbor: { affected: ['>=1.1.0 <2.0.0'], fixed: '2.0.0' },
  install: ['compose'],
  components: ['jobservice'],
  errors: [
    { text: 'an error occurred while pulling manifest: 404 MANIFEST_UNKNOWN', source: 'jobservice' },
    { text: 'pull manifest from local registry failed, 404 tag unknown', source: 'jobservice', paraphrase: true },
  ],
  signatures: [{ pattern: 'pulling manifest.*MANIFEST_UNKNOWN' }],
  upstream: [{ repo: 'goharbor/harbor', number: 5166, kind: 'issue', title: 'replication failed' }],
});

const shared = (notWhen: { pattern: string; unless?: string }[]) =>
  sharedFieldsSchema.parse({
    status: 'solved',
    harbor: { affected: ['>=1.8.0 <1.9.0'], fixed: '1.9.0' },
    install: ['helm'],
    components: ['core'],
    errors: [{ text: 'failed to get key admiral_url', source: 'core' }],
    signatures: [{ pattern: 'failed to get key admiral_url' }],
    upstream: [{ repo: 'goharbor/harbor', number: 1, kind: 'issue', title: 'x y z' }],
    notWhen,
  });

const TLS = { pattern: 'x509' };
const pages: FactSource[] = [
  { id: 'a', lang: 'en', title: 'Problem a', summary: 'about a', shared: shared([TLS, { pattern: 'gc', unless: 'replicat' }]) },
  { id: 'a', lang: 'zh', title: '问题 a', summary: '关于 a', shared: shared([TLS, { pattern: 'gc', unless: 'replicat' }]) },
  { id: 'b', lang: 'en', title: 'Problem b', summary: 'about b', shared: shared([TLS]) },
  { id: 'b', lang: 'zh', title: '问题 b', summary: '关于 b', shared: shared([TLS]) },
];

describe('searchFacts', () => {
  it('keeps a paraphrase out of the error lines a result shows', () => {
    const shown = shownFacts({ id: 'race', lang: 'en', title: race.title, summary: race.summary, shared: race });
    expect(shown.errors).toEqual(['an error occurred while pulling manifest: 404 MANIFEST_UNKNOWN']);
    expect(shown).toMatchObject({ title: race.title, summary: race.summary, status: 'solved' });
  });

  it('carries each near-miss rule once, and per page where its rules are', () => {
    const facts = searchFacts(pages);
    expect(facts.notWhen.rules).toEqual([['x509'], ['gc', 'replicat']]);
    expect(facts.ids).toEqual(['a', 'b']);
    expect(facts.notWhen.pages).toEqual([[0, 1], [0]]);
  });

  it('carries no page text: signatures as tuples in the order of the ids, and both indexes counted', () => {
    const facts = searchFacts(pages);
    expect(facts.signatures).toEqual([[['failed to get key admiral_url', 2]], [['failed to get key admiral_url', 2]]]);
    expect(facts.pageCount).toEqual({ en: 2, zh: 2 });
  });

  it('gives the filters each page once, with what they read', () => {
    expect(filterFacts(pages)).toEqual([
      { id: 'a', affected: ['>=1.8.0 <1.9.0'], install: ['helm'], components: ['core'] },
      { id: 'b', affected: ['>=1.8.0 <1.9.0'], install: ['helm'], components: ['core'] },
    ]);
  });
});
