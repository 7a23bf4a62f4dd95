import { describe, expect, it } from 'vitest';
import { compileSignatures } from '../matcher/signature-matcher.ts';
import { ABOUT_END_WORD, ERROR_LINES_WORD } from './fragment-pages.ts';
import { nearMisses } from './near-misses.ts';
import { explainedElsewhere } from './described-problems.ts';
import { MIN_CONFIRMATION, runQuery, type EngineHit, type IndexLang, type OtherProblemCheck, type SearchEngine } from './pipeline.ts';
import { OTHER_PROBLEM, type ProblemModelLoader } from './problem-model.ts';

/**
 * A stand-in for Pagefind with its semantics: every word of a query must occur in a
 * page (prefix match), and hits carry word positions. Two tiny pages per language. Each page
 * starts with what it is about (title, then ERROR_LINES_WORD and its error lines), closed by
 * ABOUT_END_WORD, as the index holds it (pagefind-index.ts); its body follows.
 */
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, ' ')
    .trim();
const aboutZone = (header: string, ...errorLines: string[]) => `${words(header)} ${ERROR_LINES_WORD} ${words(errorLines.join(' '))} ${ABOUT_END_WORD}`.trim();
const FETCH_ABOUT = aboutZone(
  'Pull replication fails on repositories with thousands of tags',
  'failed to fetch image: FetchImages error when collect tags for repos',
);
const STUCK_ABOUT = aboutZone('Replication jobs stuck in pending cannot be stopped', 'policy has running/retrying/pending jobs, can not be deleted');
const BODIES: Record<IndexLang, Record<string, string>> = {
  en: {
    fetch: `${FETCH_ABOUT} pull replication fails failed to fetch image fetchimages error when collect tags for repos nginx timeout on the source`,
    stuck: `${STUCK_ABOUT} replication jobs stuck pending running cannot be stopped policy has running jobs can not be deleted update the database`,
  },
  zh: {
    fetch: `拉取式复制失败 ${aboutZone('', 'failed to fetch image: FetchImages error when collect tags for repos')} 拉取 复制 失败 tag 太多 fetchimages error when collect tags for repos`,
    stuck: `复制任务卡住无法停止 ${aboutZone('', 'policy has running/retrying/pending jobs, can not be deleted')} 复制 任务 卡住 无法 停止 规则 删除 失败 pending running`,
  },
};

function fakeEngine(bodies: Record<IndexLang, Record<string, string>> = BODIES): SearchEngine & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    pageCount: () => 2,
    async search(query, lang) {
      queries.push(`${lang}:${query}`);
      const hits: EngineHit[] = [];
      for (const [pageId, body] of Object.entries(bodies[lang])) {
        const words = body.split(' ');
        const positions = query.split(' ').map((term) => words.flatMap((word, i) => (word.startsWith(term) ? [i] : [])));
        if (positions.every((p) => p.length > 0)) hits.push({ pageId, score: positions.flat().length, positions: positions.flat() });
      }
      return hits.sort((a, b) => b.score - a.score);
    },
  };
}

const signatures = compileSignatures([{ id: 'stuck', signatures: [{ pattern: 'failed to stop job id-[0-9]+ uuid-', ignoreCase: false, weight: 3 }] }]);
const ids = async (raw: string, engine = fakeEngine()) => (await runQuery(engine, signatures, raw)).pages.map((page) => page.pageId);

describe('runQuery', () => {
  it('finds the page from a noisy pasted log line that plain all-words search misses', async () => {
    const engine = fakeEngine();
    const line =
      '2021-03-02T07:11:40Z [ERROR] [/replication/operation/controller.go:108]: the execution 57 failed: failed to fetch image: FetchImages error when collect tags for repos on harbor-prod-01';
    expect(await ids(line, engine)).toEqual(['fetch']);
    // The strict all-words query found nothing ("harbor-prod-01" is in no page); the per-term lookups did.
    expect((await engine.search(engine.queries.find((q) => q.split(' ').length > 3)!.slice(3), 'en')).length).toBe(0);
  });

  it('lets every line of a multi-line paste contribute', async () => {
    const paste = ['GET /api/ping r:/api/ping', 'policy has running/retrying/pending jobs, can not be deleted', 'GET /api/ping'].join('\n');
    expect(await ids(paste)).toEqual(['stuck']);
  });

  it('puts a signature hit first even when the words point elsewhere', async () => {
    expect((await ids('failed to stop job id-42 uuid-abc while fetching images and collecting tags for repos'))[0]).toBe('stuck');
  });

  it('answers a paraphrase in the reader’s words', async () => {
    expect((await ids('replication stuck in pending, cannot delete the policy'))[0]).toBe('stuck');
  });

  it('lets words no page contains weigh little in a question, and fully in an error line', async () => {
    // Five of the eight words are in no page: the asker's phrasing, not the problem's words.
    const words = 'replication jobs stuck forever overnight, somehow weirdly unexpectedly';
    expect(await ids(`why are ${words}?`)).toEqual(['stuck']);
    // In a logged error the same unknown words say it is another error.
    expect(await ids(`[ERROR] ${words}`)).toEqual([]);
  });

  it('lets a clause of a few of the page’s words speak for a long error line only in proportion', async () => {
    // "pending jobs replication" is in the stuck page, out of order; the rest is another error.
    expect(await ids('[ERROR] pending jobs replication: contacting notary server: trust delegation rejected upstream signer key rotation')).toEqual([]);
    // A clause that repeats the page's own error words in order still speaks for the whole line.
    expect(
      await ids('[ERROR] policy has running/retrying/pending jobs: contacting notary server: trust delegation rejected upstream signer key rotation'),
    ).toEqual(['stuck']);
  });

  it('weighs a question’s word that no page is about (found only in some body) like a common word', async () => {
    const bodies: Record<IndexLang, Record<string, string>> = {
      en: { ...BODIES.en, other: 'a page whose body mentions bridge, then downtown, lanes, heavy, slowly, moving, traffic and morning', third: 'another page' },
      zh: BODIES.zh,
    };
    const engine = { ...fakeEngine(bodies), pageCount: () => 4 };
    // "morning traffic ... bridge" is only in another page's body: the asker's phrasing, not evidence against the stuck page.
    expect(await ids('why are replication jobs stuck pending, morning traffic moving slowly over heavy lanes downtown bridge', engine)).toEqual(['stuck']);
  });

  it('weighs the words of generic network and file-system failures like common words: what failed decides', async () => {
    const bodies: Record<IndexLang, Record<string, string>> = {
      en: {
        ...BODIES.en,
        logdriver: `${aboutZone('Containers do not start after reboot', 'failed to initialize logging driver: dial tcp connect: connection refused')} containers do not start after reboot`,
      },
      zh: BODIES.zh,
    };
    const engine = () => ({ ...fakeEngine(bodies), pageCount: () => 3 });
    const run = async (raw: string) => (await runQuery(engine(), signatures, raw)).pages.map((page) => page.pageId);
    // Redis refusing a connection is not the log driver refusing one.
    expect(await run('[ERROR] [/lib/cache/redis/redis.go:57]: failed to ping redis: dial tcp 172.18.0.4:6379: connect: connection refused')).toEqual([]);
    expect(await run('Cannot start service registry: failed to initialize logging driver: dial tcp 127.0.0.1:1514: connect: connection refused')).toEqual([
      'logdriver',
    ]);
  });

  it('does not give a pasted error line a page that lacks its marks (status, code, operation): a suggestion at most', async () => {
    const family = 'failed to fetch image: FetchImages error when collect tags for repos';
    expect(await ids(`[ERROR] ${family}`)).toEqual(['fetch']);
    // The same family with a status the page never shows is another error of the family.
    const status = await runQuery(fakeEngine(), signatures, `[ERROR] ${family}: http status code: 403`);
    expect(status.pages).toEqual([]);
    expect(status.suggestions.map((page) => page.pageId)).toEqual(['fetch']);
    // ...and so is another operation, or an identifier the page never names.
    expect(await ids(`[ERROR] failed to delete image: FetchImages error when collect tags for repos`)).toEqual([]);
    expect(await ids(`[ERROR] ${family} scan_all_policy`)).toEqual([]);
    // A person's sentence is not held to the marks of a program's line.
    expect(await ids('why does fetch image fail with FetchImages error when collect tags for repos, 403 maybe?')).toEqual(['fetch']);
  });

  it('holds a line a program printed to the error lines a page shows, and a person’s words to all it is about', async () => {
    // The fetch page's title has these words; its error line has none but "tags".
    const words = 'replication fails for thousands of tags in repositories on pull';
    expect(await ids(words)).toEqual(['fetch']);
    expect(await ids(`2021-03-02T07:11:40Z [ERROR] [/jobservice/job/impl/x.go:12]: ${words}`)).toEqual([]);
    // Even the words of its error lines count only when two of them follow each other as there.
    expect(await ids('2021-03-02T07:11:40Z [ERROR] [/jobservice/job/impl/x.go:12]: tags image repos collect fetch')).toEqual([]);
    expect(await ids('2021-03-02T07:11:40Z [ERROR] [/jobservice/job/impl/x.go:12]: collect tags: image fetch repos')).toEqual(['fetch']);
    // A progress line says what the program was doing: its words count as a person's do.
    expect(await ids(`2021-03-02T07:11:40Z [INFO] [/jobservice/job/impl/x.go:12]: ${words}`)).toEqual(['fetch']);
  });

  it('lists no further page for a line that prints another page’s error verbatim, unless it is about all of that error', async () => {
    const family: Record<IndexLang, Record<string, string>> = {
      en: {
        schema: `${aboutZone('Core fails after a downgrade', 'failed to initialize database postgresql: file does not exist')} core downgrade schema migration`,
        clients: `${aboutZone('Core fails when the database is full', 'failed to initialize database postgresql: sorry, too many clients already')} core postgres clients`,
      },
      zh: { schema: '', clients: '' },
    };
    const verbatim = (weight: number) =>
      compileSignatures([
        { id: 'schema', signatures: [{ pattern: 'failed to initialize database postgresql: file does not exist', ignoreCase: false, weight }] },
      ]);
    const paste = '[FATAL] [/core/main.go:103]: failed to initialize database postgresql: file does not exist';
    const pages = async (raw: string, weight: number) => (await runQuery(fakeEngine(family), verbatim(weight), raw)).pages.map((page) => page.pageId);
    // A signature short of conclusive leaves the family's other page listed on its shared words...
    expect(await pages(paste, 2)).toEqual(['schema', 'clients']);
    // ...a conclusive one says the line is that page's error: the other page lacks "file does not exist".
    expect(await pages(paste, 3)).toEqual(['schema']);
    // Another line of the paste still speaks for the other page.
    expect(await pages(`${paste}\n[FATAL] failed to initialize database postgresql: sorry, too many clients already`, 3)).toEqual(['schema', 'clients']);
  });

  it('lets a conclusive signature override a near-miss rule; a hint only makes the page a suggestion', async () => {
    const rules = nearMisses([{ id: 'stuck', notWhen: [{ pattern: 'notary' }] }], async () => []);
    const hinted = (weight: number) => compileSignatures([{ id: 'stuck', signatures: [{ pattern: 'policy has running', ignoreCase: false, weight }] }]);
    const raw = 'policy has running/retrying/pending jobs, can not be deleted; notary';
    expect((await runQuery(fakeEngine(), hinted(3), raw, rules)).pages.map((page) => page.pageId)).toEqual(['stuck']);
    const hint = await runQuery(fakeEngine(), hinted(1), raw, rules);
    expect(hint.pages).toEqual([]);
    // Not for certain, but perhaps: the hinted page is offered as a suggestion.
    expect(hint.suggestions.map((page) => page.pageId)).toEqual(['stuck']);
  });

  it('searches a Chinese query in the Chinese index', async () => {
    const engine = fakeEngine();
    expect((await ids('复制任务卡住无法停止', engine))[0]).toBe('stuck');
    expect(engine.queries.every((q) => q.startsWith('zh:'))).toBe(true);
  });

  it('returns no match for an unrelated error instead of the least bad page', async () => {
    expect(await ids('x509: certificate signed by unknown authority')).toEqual([]);
    expect(await ids('dial tcp: lookup harbor-redis: no such host')).toEqual([]);
  });

  it('does not search version numbers as words', async () => {
    const engine = fakeEngine();
    await ids('fetchimages on 1.9.4', engine);
    expect(engine.queries.some((q) => q.includes('1.9.4') || q.includes('194'))).toBe(false);
  });
});

describe('runQuery’s lookups in the index', () => {
  it('looks up where each page’s markers are once per engine and language, not for every query', async () => {
    const engine = fakeEngine();
    const markerLookups = () => engine.queries.filter((query) => query.endsWith(ABOUT_END_WORD) || query.endsWith(ERROR_LINES_WORD));
    expect(await ids('replication jobs stuck in pending', engine)).toEqual(['stuck']);
    expect(markerLookups()).toEqual([`en:${ABOUT_END_WORD}`, `en:${ERROR_LINES_WORD}`]);
    expect(await ids('failed to fetch image: FetchImages error when collect tags for repos', engine)).toEqual(['fetch']);
    expect(await ids('复制任务卡住无法停止', engine)).toEqual(['stuck']);
    expect(markerLookups()).toEqual([`en:${ABOUT_END_WORD}`, `en:${ERROR_LINES_WORD}`, `zh:${ABOUT_END_WORD}`, `zh:${ERROR_LINES_WORD}`]);
  });
});

describe('runQuery telling near misses apart', () => {
  const rules = nearMisses([{ id: 'stuck', notWhen: [{ pattern: 'garbage|scan', unless: 'replicat' }] }], async () => [
    'please upgrade to version [0-9.]+ first',
  ]);
  const run = (raw: string) => runQuery(fakeEngine(), signatures, raw, rules);

  it('rules a page out when the paste is its message family for another job type', async () => {
    expect((await run('replication jobs stuck in pending, cannot be stopped')).pages.map((p) => p.pageId)).toEqual(['stuck']);
    const gc = await run('garbage collection jobs stuck in pending, cannot be stopped');
    expect(gc.pages).toEqual([]);
    expect(gc.suggestions).toEqual([]);
  });

  it('keeps a ruled-out page when its own signature matched', async () => {
    expect((await run('scan: failed to stop job id-42 uuid-abc')).pages.map((p) => p.pageId)).toEqual(['stuck']);
  });

  it('answers a well-known other problem as such, with no page and no suggestion', async () => {
    const outcome = await run('[FATAL] failed to migrate: please upgrade to version 1.10 first, replication jobs stuck');
    expect(outcome.pages).toEqual([]);
    expect(outcome.suggestions).toEqual([]);
    expect(outcome.otherProblem).toBe(0);
  });
});

describe('runQuery when no page is conclusive', () => {
  it('offers the closest pages as suggestions, never as pages', async () => {
    // "replication" is what both pages are about, "timeout" is only in the body of one: some evidence, not conclusive.
    const outcome = await runQuery(fakeEngine(), signatures, 'replication timeout strangely');
    expect(outcome.pages).toEqual([]);
    expect(outcome.suggestions.map((p) => p.pageId)).toEqual(['fetch']);
  });

  it('fills the suggestions from the meaning fallback, never the pages, and survives one that cannot load', async () => {
    const query = 'replication timeout strangely';
    const meaning = async () => ({
      closest: () => [
        { pageId: 'stuck', score: 40 },
        { pageId: 'fetch', score: 30 },
      ],
    });
    const outcome = await runQuery(fakeEngine(), signatures, query, undefined, meaning);
    expect(outcome.pages).toEqual([]);
    expect(outcome.suggestions.map((p) => [p.pageId, p.meaning])).toEqual([
      ['fetch', undefined],
      ['stuck', 40],
    ]);
    const broken = await runQuery(fakeEngine(), signatures, query, undefined, () => Promise.reject(new Error('offline')));
    expect(broken.suggestions.map((p) => p.pageId)).toEqual(['fetch']);
  });

  it('does not load the meaning fallback when a page is conclusive', async () => {
    let loaded = false;
    const meaning = async () => {
      loaded = true;
      return { closest: () => [] };
    };
    expect(
      (await runQuery(fakeEngine(), signatures, 'failed to fetch image: FetchImages error when collect tags for repos', undefined, meaning)).pages.length,
    ).toBe(1);
    expect(loaded).toBe(false);
  });

  it('offers nothing when no page holds the words', async () => {
    const outcome = await runQuery(fakeEngine(), signatures, 'x509: certificate signed by unknown authority');
    expect(outcome.suggestions).toEqual([]);
  });
});

describe('runQuery and what a page is about in the index', () => {
  // The operators' words of each page come before ABOUT_END_WORD in the index; the facts do not carry them.
  const withWords = (stuckWords: string) => ({
    en: {
      fetch: `${BODIES.en.fetch} ${ABOUT_END_WORD} copy one two three four waits five six seven eight overnight`,
      stuck: `${stuckWords} ${ABOUT_END_WORD} ${BODIES.en.stuck}`,
    },
    zh: BODIES.zh,
  });
  const question = 'the copy waits overnight and then nothing';

  it('counts a word found before ABOUT_END_WORD as what the page is about', async () => {
    expect(await ids(question, fakeEngine(withWords('copy one two three four waits five six seven eight overnight')))).toEqual(['stuck']);
  });

  it('counts the same words after it, scattered, as body words only', async () => {
    expect(await ids(question, fakeEngine(withWords('')))).toEqual([]);
  });
});

describe('runQuery on a long paste', () => {
  it('looks up a bounded number of terms, error-like lines first', async () => {
    const engine = fakeEngine();
    const noise = Array.from({ length: 60 }, (_, i) => `GET /api/${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10)]}word`);
    const outcome = await runQuery(engine, signatures, [...noise, '[ERROR] failed to fetch image: FetchImages error when collect tags for repos'].join('\n'));
    expect(outcome.pages[0]?.pageId).toBe('fetch');
    expect(engine.queries.length).toBeLessThanOrEqual(41);
  });
});

describe('runQuery against well-known other problems described in operators’ words', () => {
  // Records of the other problems' index: everything a record holds is what it is about.
  const others = fakeEngine({
    en: {
      'retag-event': 'event based replication never fires when an existing image is retagged with a new tag scheduled replication copies it',
      'robot-login': 'docker login with a robot account is unauthorized robot token expired in the pipeline',
    },
    zh: { 'retag-event': '重新 打 标签 的 镜像 不会 触发 事件 复制', 'robot-login': '机器人 账号 无法 登录' },
  });
  const check = (engine: SearchEngine = others) => {
    const asked: string[] = [];
    const otherProblems: OtherProblemCheck = (words, results, suggested) => {
      asked.push(words.words.join(' '));
      return explainedElsewhere(engine, words, results, suggested);
    };
    return { asked, otherProblems };
  };
  const run = (raw: string, otherProblems: OtherProblemCheck) => runQuery(fakeEngine(), signatures, raw, undefined, undefined, otherProblems);

  it('answers a question another problem explains clearly better with that problem, and offers our page as a suggestion', async () => {
    const question = 'replication jobs stuck in pending since we retagged an image, event based replication never fires';
    expect((await runQuery(fakeEngine(), signatures, question)).pages.map((page) => page.pageId)).toEqual(['stuck']);
    const outcome = await run(question, check().otherProblems);
    expect(outcome.pages).toEqual([]);
    expect(outcome.describedProblem).toBe('retag-event');
    expect(outcome.suggestions.map((page) => page.pageId)).toEqual(['stuck']);
  });

  it('keeps our page when it explains the question as well as any other problem', async () => {
    const { asked, otherProblems } = check();
    const outcome = await run('replication stuck in pending, cannot delete the policy', otherProblems);
    expect(outcome.pages.map((page) => page.pageId)).toEqual(['stuck']);
    expect(outcome.describedProblem).toBeUndefined();
    expect(asked).toHaveLength(1);
  });

  it('does not consult the other problems when a signature of ours matched, nor when no page comes close', async () => {
    const { asked, otherProblems } = check();
    expect((await run('failed to stop job id-42 uuid-abc after a retagged image, event based replication never fires', otherProblems)).pages[0]?.pageId).toBe(
      'stuck',
    );
    expect((await run('x509: certificate signed by unknown authority', otherProblems)).pages).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('names the other problem beside pages that are only suggestions when it holds every word of the query', async () => {
    const question = 'replication never fires when an image is retagged';
    const alone = await runQuery(fakeEngine(), signatures, question);
    expect(alone.pages).toEqual([]);
    expect(alone.suggestions.map((page) => page.pageId)).toEqual(['fetch']);
    const outcome = await run(question, check().otherProblems);
    expect(outcome.pages).toEqual([]);
    expect(outcome.describedProblem).toBe('retag-event');
    expect(outcome.suggestions.map((page) => page.pageId)).toEqual(['fetch']);
  });

  it('does not name an other problem that holds only part of a query whose pages are only suggestions', async () => {
    // Half of it is the retag record's, half the stuck page's: neither is the answer.
    const outcome = await run('event based replication never fires for a retagged image, the policy jobs do not run', check().otherProblems);
    expect(outcome.pages).toEqual([]);
    expect(outcome.describedProblem).toBeUndefined();
    expect(outcome.suggestions.map((page) => page.pageId)).toContain('stuck');
  });

  it('leaves the answer to our pages when the other problems cannot be loaded', async () => {
    const outcome = await run('replication jobs stuck in pending since we retagged an image, event based replication never fires', () =>
      Promise.reject(new Error('offline')),
    );
    expect(outcome.pages.map((page) => page.pageId)).toEqual(['stuck']);
  });
});

describe('runQuery confirming results that rest on words alone with the problem model', () => {
  /** A model that gives each page the probability in `likelihood` (the rest to another problem), counting its loads. */
  const model = (likelihood: Record<string, number>, loads = { count: 0 }): ProblemModelLoader => {
    const pages = Object.entries(likelihood);
    return async () => {
      loads.count += 1;
      return { probabilities: () => new Map([...pages, [OTHER_PROBLEM, 1 - pages.reduce((sum, [, p]) => sum + p, 0)]]) };
    };
  };
  const question = 'replication jobs stuck in pending cannot be stopped';
  const run = (raw: string, problemModel?: ProblemModelLoader) => runQuery(fakeEngine(), signatures, raw, undefined, undefined, undefined, problemModel);

  it('keeps a page the model gives at least MIN_CONFIRMATION', async () => {
    const outcome = await run(question, model({ stuck: MIN_CONFIRMATION }));
    expect(outcome.pages.map((page) => page.pageId)).toEqual(['stuck']);
  });

  it('offers a page the model gives less as the first uncertain suggestion, never a result', async () => {
    expect((await run(question)).pages.map((page) => page.pageId)).toEqual(['stuck']);
    const outcome = await run(question, model({ stuck: MIN_CONFIRMATION / 2, fetch: 0.5 }));
    expect(outcome.pages).toEqual([]);
    expect(outcome.suggestions[0]?.pageId).toBe('stuck');
  });

  it('lets a confirmed page below an unconfirmed one be the result, and lists the unconfirmed one no more', async () => {
    const both = 'replication jobs stuck in pending cannot be stopped\nfailed to fetch image: FetchImages error when collect tags for repos';
    expect((await run(both)).pages.map((page) => page.pageId)).toEqual(['fetch', 'stuck']);
    const outcome = await run(both, model({ stuck: 0.9, fetch: 0.01 }));
    expect(outcome.pages.map((page) => page.pageId)).toEqual(['stuck']);
    // Suggestions are offered only when nothing is a result: the unconfirmed page is not listed.
    expect(outcome.suggestions).toEqual([]);
  });

  it('does not load the model when a conclusive signature found a page, and leaves that page a result', async () => {
    const loads = { count: 0 };
    const outcome = await run('failed to stop job id-12 uuid-3', model({ stuck: 0 }, loads));
    expect(outcome.pages.map((page) => page.pageId)).toEqual(['stuck']);
    expect(loads.count).toBe(0);
    // Nor for the pages words list after it.
    const both = await run(
      'failed to stop job id-12 uuid-3\nfailed to fetch image: FetchImages error when collect tags for repos',
      model({ stuck: 0, fetch: 0 }, loads),
    );
    expect(both.pages.map((page) => page.pageId)).toEqual(['stuck', 'fetch']);
    expect(loads.count).toBe(0);
    await run(question, model({ stuck: 0 }, loads));
    expect(loads.count).toBe(1);
  });

  it('leaves the results as words gave them when the model cannot load', async () => {
    const outcome = await run(question, () => Promise.reject(new Error('offline')));
    expect(outcome.pages.map((page) => page.pageId)).toEqual(['stuck']);
  });
});
