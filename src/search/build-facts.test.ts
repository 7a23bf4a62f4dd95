import { describe, expect, it } from 'vitest';
import { canonicalPageSchema, sharedFieldsSchema } from '../schemas/issue.ts';
import { searchFacts, type FactSource } from './build-facts.ts';

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
  it('keeps a paraphrase out of the error lines a result shows, and hands it to matching as phrasings', () => {
    const facts = searchFacts([{ id: 'race', lang: 'en', title: race.title, summary: race.summary, shared: race }], 'en');
    expect(facts.pages[0]?.errors).toEqual(['an error occurred while pulling manifest: 404 MANIFEST_UNKNOWN']);
    expect(facts.pages[0]?.phrasings).toEqual(['pull manifest from local registry failed, 404 tag unknown']);
  });

  it('adds no phrasings field to a page without a paraphrase', () => {
    const plain = { ...race, errors: race.errors.filter((error) => !error.paraphrase) };
    const facts = searchFacts([{ id: 'race', lang: 'en', title: race.title, summary: race.summary, shared: plain }], 'en');
    expect(facts.pages[0]).not.toHaveProperty('phrasings');
  });

  it('carries each near-miss rule once, and per page where its rules are', () => {
    const facts = searchFacts(pages, 'en');
    expect(facts.notWhen.rules).toEqual([['x509'], ['gc', 'replicat']]);
    expect(facts.notWhen.pages).toEqual({ a: [0, 1], b: [0] });
  });

  it('carries the titles and summaries of the search page’s language only, and counts both indexes', () => {
    const facts = searchFacts(pages, 'zh');
    expect(facts.pages.map((page) => page.title)).toEqual([{ zh: '问题 a' }, { zh: '问题 b' }]);
    expect(facts.pageCount).toEqual({ en: 2, zh: 2 });
  });
});
