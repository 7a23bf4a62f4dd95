import { describe, expect, it } from 'vitest';
import { cleanLine, indexedText, lineTerms, normaliseQuery } from './normalise.ts';

const terms = (text: string) => normaliseQuery(text).terms;

describe('cleanLine drops log noise and keeps the message', () => {
  it('drops ISO 8601 timestamps, with zone, fraction or offset', () => {
    expect(cleanLine('2021-03-02T07:11:40Z failed to fetch image')).toBe('failed to fetch image');
    expect(cleanLine('2018-12-11T07:48:59.125019435Z boom')).toBe('boom');
    expect(cleanLine('2020-05-17 15:30:48+08:00 boom')).toBe('boom');
  });

  it('drops Go and syslog timestamps', () => {
    expect(cleanLine('2019/05/07 09:23:35 [D] [server.go:2619] GET /api/ping')).toBe('GET /api/ping');
    expect(cleanLine('Dec 11 15:48:59 172.18.0.1 registry[3597772]: boom')).toBe('registry[3597772]: boom');
    expect(cleanLine('Sep  1 17:11:42 172.18.0.1 core[13401]: boom')).toBe('core[13401]: boom');
  });

  it('drops log levels and Go-style file:line references, with or without a path', () => {
    expect(cleanLine('[ERROR] [/replication/operation/controller.go:108]: the execution failed')).toBe('the execution failed');
    expect(cleanLine('[FATAL] [main.go:103]: failed to initialize database')).toBe('failed to initialize database');
    expect(cleanLine('at handler.go:253 the job')).toBe('at the job');
  });

  it('drops IPv4 addresses with ports, and keeps version numbers', () => {
    expect(cleanLine('|     10.112.0.1| 200 | upgraded to 1.9.4')).toBe('upgraded to 1.9.4');
    expect(cleanLine('dial 192.168.56.102:80 on v2.6.2')).toBe('dial on v2.6.2');
    expect(terms('from 10.112.0.1 after 1.9.4 and 1.10')).toEqual(['1.9.4', '1.10']);
  });

  it('drops IPv6 addresses, bracketed with a port or with a zone', () => {
    expect(cleanLine('connect to [2001:db8::1]:5000 refused')).toBe('connect to refused');
    expect(cleanLine('from fe80::1ff:fe23:4567:890a%eth0 and ::1 denied')).toBe('from and denied');
    expect(cleanLine('[Quota-Sync]:: start to ping server')).toBe('[Quota-Sync]:: start to ping server');
  });

  it('drops sha256 digests, UUIDs, long hex ids and generated pod suffixes', () => {
    expect(cleanLine('manifests/sha256:3e533db287adef4291610c6186c49efcb808e8eb76f5b8e8873077a769fd09bc gone')).toBe('manifests/ gone');
    expect(cleanLine('request 51bbb9d6-22cc-46d5-a204-c76f28955cb8 done')).toBe('request done');
    expect(terms('POST /api/v1/jobs/ab3f3f6327dce749c5449ec1 harbor-core-67dcd898b6-s6nm5')).toEqual(['api', 'v1', 'jobs', 'core']);
  });

  it('keeps the message of key=value lines and drops the other pairs', () => {
    const line =
      'time="2018-12-11T07:48:59Z" level=error msg="response completed with error" auth.user.name=admin err.message="filesystem: Path not found: /x/current/link" http.request.id=abc go.version=go1.7.3';
    expect(cleanLine(line)).toBe('response completed with error filesystem: Path not found: /x/current/link');
  });

  it('drops repository and image names, quoted or with a tag', () => {
    expect(cleanLine("List tags for repo 'somename/ffmpeg-docker' error")).toBe('List tags for repo error');
    expect(cleanLine('pulling manifest of payments/checkout-svc:2.3.1 from')).toBe('pulling manifest of from');
    expect(cleanLine('policy has running/retrying/pending jobs')).toBe('policy has running/retrying/pending jobs');
  });

  it('drops the registry storage layout and repository name from a storage path, keeping what was touched', () => {
    expect(cleanLine('filesystem: Path not found: /docker/registry/v2/repositories/team/app/_manifests/tags/v1/current/link')).toBe(
      'filesystem: Path not found: _manifests/tags/v1/current/link',
    );
    expect(cleanLine('mkdir /storage/docker/registry/v2/repositories/apps/api/_uploads/3f2a91c0-77d1-4b6e-9e0a-1c5b8d2e4f60: no space left')).toBe(
      'mkdir _uploads/ no space left',
    );
  });

  it('drops plain numbers and durations, keeps words with digits such as x509', () => {
    expect(cleanLine('the execution 57 failed after 846.014µs: x509')).toBe('the execution failed after x509');
  });

  it('keeps a size of zero as one word, a symptom, and drops other sizes', () => {
    for (const size of ['0B', '0 B', '0 bytes', '0KB']) expect(normaliseQuery(`image ${size} created 1/1/1`).terms).toEqual(['image', 'zerosize', 'created']);
    expect(normaliseQuery('layer of 30GB').terms).toEqual(['layer']);
    expect(normaliseQuery('镜像大小显示为0B').terms).toContain('zerosize');
  });

  it('keeps HTTP error statuses, which say what went wrong, and drops success codes', () => {
    expect(terms('| 200 | GET /v2/ 404 tag unknown, code 504')).toEqual(['v2', '404', 'tag', 'unknown', '504']);
  });
});

describe('lineTerms', () => {
  it('lowercases, splits on punctuation, drops stopwords and repeats', () => {
    expect(lineTerms('failed to get key admiral_url, error: the configure value is not set')).toEqual(['key', 'admiral_url', 'configure', 'value', 'set']);
    expect(lineTerms('FetchImages error when collect tags for repos tags')).toEqual(['fetchimages', 'collect', 'tags', 'repos']);
  });

  it('segments Chinese into words and drops Chinese stopwords', () => {
    expect(lineTerms('复制任务卡住了,无法停止')).toEqual(expect.arrayContaining(['复制', '任务', '停止']));
    expect(lineTerms('复制任务卡住了,无法停止')).not.toContain('了');
    expect(lineTerms('复制任务卡住了,无法停止')).not.toContain('无法');
  });

  it('writes common Chinese variant spellings the usual way', () => {
    expect(lineTerms('UI登陆报错无法登陆')).toContain('登录');
  });

  it('joins characters the segmenter leaves alone back into one word', () => {
    expect(lineTerms('推送镜像失败')).toContain('镜像');
  });

  it('splits mixed Chinese and English tokens', () => {
    expect(lineTerms('同步失败:failed to fetch image')).toEqual(expect.arrayContaining(['同步', '失败', 'fetch', 'image']));
  });
});

describe('normaliseQuery', () => {
  it('keeps every line of a multi-line paste apart, without duplicate lines', () => {
    const query = normaliseQuery(
      [
        '2019-05-07T09:23:43Z [ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
        '2019-05-07T09:23:45Z [ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
        '2019/05/07 09:23:43 [D] [server.go:2619] |     10.112.0.1| 200 |   1.063696ms|   match| GET      /api/ping   r:/api/ping',
        '',
      ].join('\n'),
    );
    expect(query.lines).toHaveLength(2);
    expect(query.lines[0]?.errorLike).toBe(true);
    expect(query.lines[1]?.terms).toEqual(['match', 'api', 'ping']);
  });

  it('tells a line a program printed from one a person wrote or a program’s progress line', () => {
    const printed = (line: string) => normaliseQuery(line).lines[0]?.printed;
    expect(printed('2020-03-01T08:00:00Z [ERROR] [/core/api/user.go:300]: User does not exist')).toBe(true);
    // Harbor's own messages hold words people use too; the level and the source reference decide.
    expect(printed('2020-03-01T08:00:00Z [ERROR] [/common/utils/utils.go:68]: failed to connect to tcp://db:5432, retry after 2 seconds')).toBe(true);
    expect(printed('time="2024-03-01T10:00:00Z" level=error msg="response completed with error" err.code=unknown')).toBe(true);
    expect(printed('Error response from daemon: Get "https://harbor.example.com/v2/": unauthorized')).toBe(true);
    expect(printed('2019-09-24T07:11:13Z [INFO] [/core/main.go:146]: capture system signal terminated')).toBe(false);
    expect(printed('we got error: the configure value is not set when we installed')).toBe(false);
    expect(printed('failed to fetch image: FetchImages error when collect tags for repos')).toBe(false);
  });

  it('tells a person’s sentence quoting an error from an error line', () => {
    const errorLike = (line: string) => normaliseQuery(line).lines[0]?.errorLike;
    expect(errorLike('our jobservice complained manifest unknown for images we had just pushed')).toBe(false);
    expect(errorLike('replication failed: manifest unknown')).toBe(true);
    // A program's marks make it an error line whoever pasted it.
    expect(errorLike('we got [ERROR] failed to get key admiral_url when we installed')).toBe(true);
    expect(errorLike('how do I fix this? error: the configure value is not set')).toBe(true);
    expect(errorLike('replication jobs stuck in pending since yesterday')).toBe(false);
    expect(errorLike('observing core pod in CrashLoopBackOff due to Dirty database version 91 error. Kindly suggest a solution')).toBe(false);
    // Pronouns and habits are a person's; a Go message's "because" and "while" are not.
    expect(errorLike("The specific sha we see in the error, it's usually a sha recently cleaned by the GC")).toBe(false);
    expect(errorLike('the quota sync runs on every launch, and it will break the launch if any failure is thrown')).toBe(false);
    expect(
      errorLike(
        'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "harbor-ca")',
      ),
    ).toBe(true);
    // Python's and Java's exceptions are named, not spelled "error:".
    expect(errorLike("KeyError: 'log_location'")).toBe(true);
    // Chinese writers' words count the same way; Harbor's programs print English.
    expect(errorLike('我在服务器上使用docker login命令登录的时候，却是报证书错误')).toBe(false);
    expect(errorLike('docker login 报错 x509')).toBe(true);
    expect(errorLike('我遇到了 [ERROR] failed to get key admiral_url')).toBe(true);
  });

  it('marks what sets an error apart in its family: status, error code, identifier, operation', () => {
    const [line] = normaliseQuery(
      '[ERROR] failed to push manifest of artifact: http status code: 500, body: {"errors":[{"code":"UNKNOWN","message":"unknown error"}]}',
    ).lines;
    expect(line?.marks).toEqual(['push', '500', 'unknown']);
    expect(normaliseQuery('failed to get key ldap_search_dn, error: the configure value is not set').lines[0]?.marks).toEqual(['ldap_search_dn']);
    expect(normaliseQuery('GC sweep: {"errors":[{"code":"NOT_FOUND"}]} while deleting').lines[0]?.marks).toEqual(['not_found', 'deleting']);
    // "unknown" is a mark only where the program printed it as a code.
    expect(normaliseQuery('manifest unknown').lines[0]?.marks).toEqual([]);
  });

  it('reads a very long line only up to its first 4,096 characters', () => {
    const query = normaliseQuery(`failed to fetch image ${'x/'.repeat(50_000)} trailingword`);
    expect(query.terms).toContain('fetch');
    expect(query.terms).not.toContain('trailingword');
  });

  it('keeps error-like lines first when a paste is very long', () => {
    const noise = Array.from(
      { length: 40 },
      (_, i) =>
        `GET /api/projects/${i} r:/api/projects${'x'.repeat(i % 5)}/word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7) % 26))}`,
    );
    const query = normaliseQuery([...noise, '[ERROR] failed to fetch image: FetchImages error when collect tags for repos'].join('\n'));
    expect(query.lines.some((line) => line.terms.includes('fetchimages'))).toBe(true);
    expect(query.lines.length).toBeLessThanOrEqual(24);
  });
});

describe('indexedText keeps only the words a query can ask for', () => {
  it('drops English stopwords, plain numbers, ids and version numbers', () => {
    expect(indexedText('The execution 57 of job ab3f3f6327dce749c5449ec1 has failed on 1.9.4 and is still running')).toBe('execution job running');
  });

  it('keeps other words as written, so compounds can still be split by the index', () => {
    expect(indexedText('FetchImages error when collecting tags (replication_job)')).toBe('FetchImages collecting tags (replication_job)');
  });

  it('keeps HTTP error statuses and words with digits', () => {
    expect(indexedText('answers 404 with x509 and 200')).toBe('answers 404 x509');
  });

  it('writes a size of zero the way queries do', () => {
    expect(indexedText('tags left at 0 B')).toBe('tags left zerosize');
  });

  it('cuts Chinese into the words queries are cut into, without stopwords', () => {
    const indexed = indexedText('批量删除的时候镜像一直删不掉').split(' ');
    expect(indexed).toEqual(expect.arrayContaining(['批量', '删除', '镜像']));
    expect(indexed).not.toContain('的');
    expect(indexed).not.toContain('一直');
    // Every word a query for the same text looks up is in the index.
    expect(indexed).toEqual(expect.arrayContaining(lineTerms('批量删除镜像')));
  });
});
