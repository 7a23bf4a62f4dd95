import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PageWords } from './build/page-words.ts';
import { trainingExamples, trainProblemModel, TRAINING, type LabelledText } from './build/problem-model-data.ts';
import { normaliseQuery } from './normalise.ts';
import type { DescribedProblem } from './other-problems-described.ts';
import { featureHash, modelFeatures, OTHER_PROBLEM, problemModelFrom, problemModelOf } from './problem-model.ts';

/** Two pages and one other problem of the same families (a key not set, a job stuck). */
const PAGES: PageWords[] = [
  {
    id: 'admiral',
    lang: 'en',
    title: 'Core logs that the admiral URL is not set',
    summary: 'failed to get key admiral_url, the configure value is not set',
    describedAs: ['core keeps complaining about admiral_url'],
    errors: ['failed to get key admiral_url, error: the configure value is not set'],
  },
  {
    id: 'stuck',
    lang: 'en',
    title: 'Replication jobs stuck in pending',
    summary: 'A replication never leaves pending and stop does nothing',
    describedAs: ['replication pending for a day, fine after restarting harbor'],
    errors: ['policy has running/retrying/pending jobs, can not be deleted'],
  },
];
const DESCRIBED: DescribedProblem[] = [
  {
    id: 'ldap-url',
    what: { en: 'The LDAP URL is not configured', zh: '没有配置 LDAP 地址' },
    source: 'https://github.com/goharbor/harbor/issues/1',
    describedAs: { en: ['failed to get key ldap_url, the configure value is not set', 'ldap search fails, ldap_url is empty'], zh: ['ldap_url 没有配置'] },
  },
];
const QUERIES: LabelledText[] = [
  { text: '[ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set', problem: 'admiral' },
  { text: 'core says admiral_url is not set after helm upgrade', problem: 'admiral' },
  { text: '[ERROR] failed to get key ldap_url, error: the configure value is not set', problem: OTHER_PROBLEM },
  { text: 'failed to get key ldap_base_dn, error: the configure value is not set', problem: OTHER_PROBLEM },
  { text: 'failed to get key email_host, error: the configure value is not set', problem: OTHER_PROBLEM },
  { text: 'replication stuck in pending, cannot delete the policy', problem: 'stuck' },
  { text: 'gc job stuck in pending for hours', problem: OTHER_PROBLEM },
  { text: 'tag retention stuck running forever', problem: OTHER_PROBLEM },
];

const train = (options = TRAINING) => trainProblemModel(trainingExamples(PAGES, DESCRIBED, QUERIES), ['stuck', 'admiral'], options);
const likelihood = (text: string, options = TRAINING) => problemModelOf(train(options)).probabilities(normaliseQuery(text));

describe('the problem model', () => {
  it('reads each line’s words and adjacent pairs, never a pair across two lines', () => {
    const features = modelFeatures(normaliseQuery('replication stuck\npending forever'));
    expect(features).toContain('w\0replication');
    expect(features).toContain('b\0replication\0stuck');
    expect(features).toContain('b\0pending\0forever');
    expect(features.some((feature) => feature.startsWith('b\0stuck\0'))).toBe(false);
  });

  it('reads Chinese as adjacent Han character pairs too, which no engine’s word cutting changes', () => {
    const features = modelFeatures(normaliseQuery('复制任务卡住了\n停止没有反应'));
    expect(features).toEqual(expect.arrayContaining(['h\0复制', 'h\0任务', 'h\0卡住', 'h\0停止']));
    expect(features).not.toContain('h\0住停');
  });

  it('learns each page text once, though both languages carry the same error lines', () => {
    const zh: PageWords = { ...PAGES[0]!, lang: 'zh', title: '核心日志提示 admiral URL 未设置', summary: '配置值未设置', describedAs: [] };
    const examples = trainingExamples([...PAGES, zh], [], []);
    expect(examples.filter((example) => example.text === PAGES[0]!.errors[0])).toHaveLength(1);
    expect(examples.filter((example) => example.problem === 'admiral')).toHaveLength(4 + 2);
  });

  it('learns from pages, described problems and queries, each labelled with its problem', () => {
    const examples = trainingExamples(PAGES, DESCRIBED, [...QUERIES, { text: 'a page the site no longer has', problem: 'gone' }]);
    expect(examples.filter((example) => example.problem === 'admiral')).toHaveLength(4 + 2);
    // the described problem in both languages (what it is and its phrases), and two queries
    expect(examples.filter((example) => /ldap/i.test(example.text))).toHaveLength(3 + 2 + 2);
    expect(examples.at(-1)).toEqual({ text: 'a page the site no longer has', problem: OTHER_PROBLEM });
  });

  it('tells a key of the same message family apart by the key', () => {
    // Another problem's examples at full weight: the site's model weighs them down because it has
    // hundreds of them; these are three.
    const evenly = { ...TRAINING, otherWeight: 1 };
    const admiral = likelihood('2024-01-01T00:00:00Z [ERROR] [manager.go:88]: failed to get key admiral_url, error: the configure value is not set', evenly);
    const ldap = likelihood('2024-01-01T00:00:00Z [ERROR] [manager.go:88]: failed to get key ldap_url, error: the configure value is not set', evenly);
    expect(admiral.get('admiral')).toBeGreaterThan(0.5);
    expect(ldap.get('admiral')).toBeLessThan(admiral.get('admiral')! / 2);
    expect(ldap.get(OTHER_PROBLEM)).toBeGreaterThan(ldap.get('admiral')!);
  });

  it('gives probabilities over every page and another problem that sum to one', () => {
    const probabilities = likelihood('replication pending since yesterday');
    expect([...probabilities.keys()].sort()).toEqual([OTHER_PROBLEM, 'admiral', 'stuck']);
    expect([...probabilities.values()].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
    expect(probabilities.get('stuck')).toBeGreaterThan(probabilities.get('admiral')!);
  });

  it('serves sparse, hashed, quantised weights that read back through gzip as the same model', async () => {
    const data = train();
    const hashes = new Uint32Array(Uint8Array.from(Buffer.from(data.features, 'base64')).buffer);
    expect([...hashes]).toEqual([...hashes].sort((a, b) => a - b));
    expect(hashes).toContain(featureHash('w\0admiral_url'));
    const starts = new Uint32Array(Uint8Array.from(Buffer.from(data.starts, 'base64')).buffer);
    expect(starts.length).toBe(hashes.length + 1);
    expect(starts.at(-1)).toBe(Buffer.from(data.weights, 'base64').length);
    const served = await problemModelFrom(new Blob([gzipSync(JSON.stringify(data))]));
    const query = normaliseQuery('core says admiral_url is not set');
    expect([...served.probabilities(query)]).toEqual([...problemModelOf(data).probabilities(query)]);
  });

  it('leaves out weights below the minimum it is given', () => {
    const all = train({ ...TRAINING, minWeight: 0 });
    const some = train();
    expect(Buffer.from(some.weights, 'base64').length).toBeLessThan(Buffer.from(all.weights, 'base64').length);
  });

  it('knows nothing of a query with no word it learnt: the biases alone decide', () => {
    const probabilities = likelihood('zzzz qqqq');
    const data = train();
    const exps = data.bias.map(Math.exp);
    const sum = exps.reduce((total, value) => total + value, 0);
    for (const [i, name] of data.classes.entries()) expect(probabilities.get(name)).toBeCloseTo(exps[i]! / sum, 9);
  });
});
