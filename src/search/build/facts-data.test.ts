import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalPageSchema, sharedFieldsSchema } from '../../schemas/issue.ts';
import { notWhenOfPages, searchFactsFrom, signaturesOf, signatureText } from '../facts.ts';
import { filterFacts, searchFacts, shownFacts, topLevelAlternatives, type FactSource } from './facts-data.ts';

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

  it('carries each near-miss alternative once, and per page its rules', () => {
    const facts = searchFacts(pages);
    expect(facts.notWhen).toEqual({ alternatives: 'x509`gc`replicat', pages: ['00 01-02', '00'] });
    expect(facts.ids).toEqual(['a', 'b']);
    expect(notWhenOfPages(facts)).toEqual([
      { id: 'a', notWhen: [TLS, { pattern: 'gc', unless: 'replicat' }] },
      { id: 'b', notWhen: [TLS] },
    ]);
  });

  it('carries an alternative shared by rules once, and gives every rule back as written', () => {
    const tricky = [
      { pattern: '(^|[^a-z])gc([^a-z]|$)|垃圾|x509', unless: 'a\\|b|[|]|x509' },
      { pattern: 'x509|证书' },
      { pattern: '^.', unless: 'replicat|复制|同步' },
    ];
    const facts = searchFacts([{ id: 'c', lang: 'en', title: 'c', summary: 'c', shared: shared(tricky) }]);
    expect(facts.notWhen.alternatives.split('`')).toEqual(['(^|[^a-z])gc([^a-z]|$)', '垃圾', 'x509', 'a\\|b', '[|]', '证书', '^.', 'replicat', '复制', '同步']);
    expect(notWhenOfPages(facts)).toEqual([{ id: 'c', notWhen: tricky }]);
  });

  it('gives every signature back with its weight and case', () => {
    const signatures = [
      { pattern: 'invalid x509', weight: 3, ignoreCase: true },
      { pattern: 'c[0-9]+', weight: 1, ignoreCase: false },
    ];
    const facts = { ...searchFacts(pages), ids: ['x', 'y'], signatures: [signatures.map(signatureText).join('`'), ''] };
    expect(signaturesOf(facts)).toEqual([
      { id: 'x', signatures },
      { id: 'y', signatures: [] },
    ]);
  });

  it('splits a pattern only at a bar outside groups, classes and escapes', () => {
    expect(topLevelAlternatives('a|(b|c)|[|]|d\\|e')).toEqual(['a', '(b|c)', '[|]', 'd\\|e']);
  });

  it('carries no page text: signatures as tuples in the order of the ids, and both indexes counted', () => {
    const facts = searchFacts(pages);
    expect(facts.signatures).toEqual(['bfailed to get key admiral_url', 'bfailed to get key admiral_url']);
    expect(signaturesOf(facts)[0]).toEqual({ id: 'a', signatures: [{ pattern: 'failed to get key admiral_url', weight: 2, ignoreCase: false }] });
    expect(facts.pageCount).toEqual({ en: 2, zh: 2 });
  });

  it('come back whole from the gzip-compressed file the search page fetches', async () => {
    const facts = searchFacts(pages);
    expect(await searchFactsFrom(new Blob([gzipSync(JSON.stringify(facts))]))).toEqual(facts);
  });

  it('gives the filters each page once, with what they read', () => {
    expect(filterFacts(pages)).toEqual([
      { id: 'a', affected: ['>=1.8.0 <1.9.0'], install: ['helm'], components: ['core'] },
      { id: 'b', affected: ['>=1.8.0 <1.9.0'], install: ['helm'], components: ['core'] },
    ]);
  });
});
