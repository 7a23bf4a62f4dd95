import { describe, expect, it } from 'vitest';
import { canonicalPageSchema } from '../schemas/issue.ts';
import { searchFacts } from './build-facts.ts';

const shared = canonicalPageSchema.parse({
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

describe('searchFacts', () => {
  it('keeps a paraphrase out of the error lines a result shows, and hands it to matching as phrasings', () => {
    const facts = searchFacts([{ id: 'race', lang: 'en', title: shared.title, summary: shared.summary, shared }]);
    expect(facts.pages[0]?.errors).toEqual(['an error occurred while pulling manifest: 404 MANIFEST_UNKNOWN']);
    expect(facts.pages[0]?.phrasings).toEqual(['pull manifest from local registry failed, 404 tag unknown']);
  });

  it('adds no phrasings field to a page without a paraphrase', () => {
    const plain = { ...shared, errors: shared.errors.filter((error) => !error.paraphrase) };
    const facts = searchFacts([{ id: 'race', lang: 'en', title: shared.title, summary: shared.summary, shared: plain }]);
    expect(facts.pages[0]).not.toHaveProperty('phrasings');
  });
});
