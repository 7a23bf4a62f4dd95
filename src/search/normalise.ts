/**
 * Turns pasted text (log lines, API responses, a sentence in English or Chinese)
 * into the words that carry the error: timestamps, log levels, source references,
 * addresses, ids, digests, `key=value` noise and plain numbers go; version numbers
 * and the message stay. Every pasted line is kept apart so each can contribute.
 */

export interface NormalisedLine {
  /** The line with the noise removed, words in their original order. */
  text: string;
  /** Search terms of the line, lowercased, stopwords removed, in order, without repeats. */
  terms: string[];
  /**
   * Terms of each clause of a line that chains messages ("context: cause: cause"), when
   * the line has several: the error's own words are often one clause among noisy ones.
   */
  clauses: string[][];
  /** The original line is an error (level ERROR/FATAL, "failed", "error:", ...), not a person's sentence quoting one. */
  errorLike: boolean;
  /**
   * A program printed the line, as far as its marks show: a bracketed error or warning level, a
   * `.go:` reference, or a program's other marks (key=value, a JSON body, "error: ...", the Docker
   * daemon's reply) with none of the words only people write. A progress line (INFO, DEBUG) is not:
   * it says what the program was doing, in words that describe the situation as a person's do.
   */
  printed: boolean;
  /**
   * Terms that set one error apart from the others of its message family, as a program marks
   * them: HTTP error statuses (404 vs 500), error codes (`NOT_FOUND` vs `UNKNOWN`), identifiers
   * (`admiral_url` vs `ldap_url`) and the operation (push vs delete).
   */
  marks: string[];
}

export interface NormalisedQuery {
  lines: NormalisedLine[];
  /** Every term of every line, first occurrence order. */
  terms: string[];
}

/** Clauses of a log line: Go errors chain messages with ": ", others use "; " or " - ". */
const CLAUSE_BREAK = /[:;]\s+|\s+[-–]\s+/;
/** A clause with fewer terms says too little on its own. */
const MIN_CLAUSE_TERMS = 3;

/**
 * A line is read up to this many characters: a log line's message comes early, and some of
 * the noise rules take time that grows faster than the length of one unbroken run of text.
 */
const MAX_LINE_LENGTH = 4096;
/** Pasted logs can be long; beyond this many lines the error-like ones are kept first. */
const MAX_LINES = 24;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';

// Order matters: every rule runs on the output of the previous ones.
const NOISE: RegExp[] = [
  // ANSI colour codes
  /\u001b\[[0-9;]*m/g,
  // ISO 8601 and Go/syslog-style dates with times: 2021-03-02T07:11:40Z, 2019/05/07 09:23:35.123+08:00
  /\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?)?/g,
  // syslog: "Dec 11 15:48:59", "Mon Jan  2 15:04:05 2006"
  new RegExp(`(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?\\s+\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:\\s+\\d{4})?`, 'g'),
  // bare clock times
  /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b/g,
  // log levels: [ERROR], [D], <E>, level=error is handled with key=value below
  /\[(?:ERROR|ERRO|ERR|INFO|WARN|WARNING|DEBUG|DEBU|FATAL|PANIC|TRACE|NOTICE|CRITICAL|[DIWEF])\]/gi,
  // Go-style source references, with or without brackets and paths: [/core/main.go:103]: , server.go:2619
  /\[?[\w./-]*\.(?:go|py|js|ts|java|rs|c|cc|rb|sh)(?::\d+)+\]?:?/g,
  // the registry's storage layout and the repository name in a storage path; what follows
  // (_manifests/tags/v1/current/link, _uploads) says what was touched and stays
  // (tried only where a word starts, which keeps it linear on long unbroken text)
  /(?<=^|\s)\S*?\/docker\/registry\/v2\/(?:repositories|blobs)\/\S*?(?=_manifests|_uploads|_layers|sha256\/)/g,
  // URLs: the scheme and host are noise, the path may be telling and stays
  /\b[a-z][a-z0-9+.-]*:\/\/[^/\s"'<>]+/gi,
  // UUIDs
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  // content digests
  /\b(?:sha256|sha384|sha512|md5):[0-9a-f]{6,}\b/gi,
  // IPv6, optionally bracketed with a port, or with a zone: ::1, fe80::1%eth0, [2001:db8::1]:5000
  /(?<![\w:])\[?(?=[0-9a-f:]*[0-9a-f])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%[\w.]+)?\]?(?::\d+)?(?![\w:])/gi,
  // quoted repository and image names: 'library/nginx', "team/app:1.2"
  /(['"])[\w.-]+(?:\/[\w.-]+)+(?::[\w.-]+|@sha256)?\1/g,
  // image references with a tag: elk-log/kibana:6.2.1, library/alpine:3.9
  /\b[\w.-]+(?:\/[\w.-]+)+:[\w][\w.-]*\b/g,
  // IPv4, optionally with a port or a CIDR suffix
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+|\/\d{1,2})?\b/g,
  // host:port
  /\b[\w-]+(?:\.[\w-]+)*:\d{2,5}\b/g,
  // durations and sizes: 846.014µs, 1.06ms, 30s, 12MB
  /\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s|m|h|[kmgt]i?b|b)\b/gi,
];

/** Keys of `key=value` pairs whose value is the message itself. */
const MESSAGE_KEYS = /^(?:msg|message|err|error|err\.message|err\.detail|error\.message|detail|reason|description)$/i;
const KEY_VALUE = /([\w.-]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;

/** HTTP error statuses are the one kind of plain number that says what went wrong (404 tag unknown, 504 from nginx). */
const HTTP_ERROR_STATUS = /^[45]\d\d$/;

/** A version number: 1.9.4, v2.6.2, 1.10, 2.0.0-rc1. */
const VERSION = /^v?\d{1,2}\.\d{1,3}(?:\.\d{1,4})?(?:-[a-z]+\.?\d*)?$/i;

const ENGLISH_STOPWORDS = new Set(
  // One string, space-separated: a template literal's line breaks would travel in the page's script.
  (
    'a an the and or but if then else of to in on at by for from with without into onto over under as is are was were be been being ' +
    'it its this that these those there here i me my we our you your he she they them their his her ' +
    'do does did done doing have has had having will would should could can cannot unable may might must shall not no nor ' +
    'so such than too very just also only again still yet once ever now even really actually already anymore maybe perhaps quite rather seem seems seemed ' +
    'what which who whom whose when where why how all any both each few more most other some same own ' +
    'after before during while until since about above below up down out off ' +
    'please help thanks thank hi hello anyone someone something got get gets getting ' +
    'error errors err erro fail failed failure fatal info warn warning debug level msg message code http https post put patch ' +
    'harbor goharbor log logs line lines see shows showed shown says said'
  ).split(' '),
);

const CHINESE_STOPWORDS = new Set(
  // One string, space-separated: a template literal's line breaks would travel in the page's script.
  (
    '的 了 是 在 我 我们 你 你们 他 她 它 有 和 就 不 都 也 很 到 说 要 会 着 没 没有 看 这 那 这个 那个 这样 吗 呢 吧 啊 呀 ' +
    '后 时 时候 一 个 一个 上 下 中 把 被 给 让 对 与 及 或 但 但是 还 又 而 然后 之后 以后 怎么 怎么办 为什么 如何 什么 一直 已经 ' +
    '问题 报错 错误 出现 提示 显示 请问 求助 大家 帮忙 一下 如下 如果 可以 能 不能 无法 不了 时候 里 里面'
  ).split(' '),
);

/** Common variant spellings in Chinese questions, written the way the pages write them. */
const CHINESE_VARIANTS: [RegExp, string][] = [
  [/登陆|登入/g, '登录'],
  [/帐号/g, '账号'],
  [/镜象/g, '镜像'],
];

const HAN = /\p{Script=Han}/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function removeKeyValueNoise(line: string): string {
  return line.replace(KEY_VALUE, (_whole, key: string, value: string) => {
    if (!MESSAGE_KEYS.test(key)) return ' ';
    return ` ${value.replace(/^["']|["']$/g, '')} `;
  });
}

/** A run of letters and digits that is an id rather than a word: s6nm5, 67dcd898b6, ab3f3f63... */
function isIdLike(piece: string): boolean {
  if (/^[0-9a-f]{8,}$/i.test(piece) && /\d/.test(piece)) return true;
  const digitRuns = piece.match(/\d+/g)?.length ?? 0;
  return piece.length >= 5 && digitRuns >= 2 && /[a-z]/i.test(piece);
}

/**
 * Chinese words of a run of Han characters. Characters the segmenter leaves on their
 * own (words missing from its dictionary, such as 镜像) are joined back together.
 */
function chineseTerms(text: string): string[] {
  const run = CHINESE_VARIANTS.reduce((result, [variant, usual]) => result.replace(variant, usual), text);
  const terms: string[] = [];
  let single = '';
  const flush = () => {
    if (single.length > 0 && !CHINESE_STOPWORDS.has(single)) terms.push(single);
    single = '';
  };
  for (const { segment, isWordLike } of segmenter.segment(run)) {
    if (!isWordLike || !HAN.test(segment)) {
      flush();
    } else if (segment.length === 1 && !CHINESE_STOPWORDS.has(segment)) {
      single += segment;
    } else {
      flush();
      if (!CHINESE_STOPWORDS.has(segment)) terms.push(segment);
    }
  }
  flush();
  return terms;
}

function latinTerms(token: string): string[] {
  if (VERSION.test(token)) return [token.toLowerCase().replace(/^v(?=\d)/, '')];
  const terms: string[] = [];
  for (const piece of token.split(/[^\p{L}\p{N}_]+/u)) {
    const word = piece.replace(/^_+|_+$/g, '').toLowerCase();
    if (word.length < 2 || (/^\d+$/.test(word) && !HTTP_ERROR_STATUS.test(word)) || isIdLike(word) || ENGLISH_STOPWORDS.has(word)) continue;
    terms.push(word);
  }
  return terms;
}

/** A word without the punctuation around it. */
const bare = (word: string) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * The words of a text, each cut where its script changes: a word may mix scripts
 * ("同步失败:failed"), and Han runs are segmented while the rest is split on punctuation.
 */
function* scriptRuns(text: string): Generator<{ run: string; han: boolean }> {
  for (const word of text.split(/\s+/)) {
    for (const run of word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) yield { run, han: HAN.test(run) };
  }
}

/** The cleaned text of one line: noise removed, whitespace collapsed. */
/**
 * A size of zero ("0 B", "0B", "0 bytes") is a symptom (an empty tag or layer), while any other
 * size is noise like a number. It is kept as one word, on the query side and in the index alike.
 */
const ZERO_SIZE = /(?<![\w.])0(?:\.0+)?\s?(?:b|bytes?|[kmg]i?b)(?!\w)/gi;
const ZERO_SIZE_WORD = ' zerosize ';

export function cleanLine(line: string): string {
  let text = removeKeyValueNoise(line.replace(ZERO_SIZE, ZERO_SIZE_WORD));
  for (const rule of NOISE) text = text.replace(rule, ' ');
  // ids and plain numbers that stand alone as words
  text = text
    .split(/\s+/)
    .filter((word) => {
      const core = bare(word);
      if (core === '') return false;
      if (VERSION.test(core) || HTTP_ERROR_STATUS.test(core)) return true;
      if (/^[\d.,:#-]+$/.test(core)) return false;
      return !core.split(/[^\p{L}\p{N}]+/u).every((piece) => piece === '' || isIdLike(piece));
    })
    .join(' ');
  return text.trim();
}

/** Search terms of a cleaned line: Latin words and versions, and Chinese words split by a word segmenter. */
export function lineTerms(text: string): string[] {
  const terms: string[] = [];
  for (const { run, han } of scriptRuns(text)) terms.push(...(han ? chineseTerms(run) : latinTerms(bare(run))));
  return [...new Set(terms)];
}

const ERROR_LIKE =
  /\b(?:error|err|erro|fatal|panic|fail(?:ed|ure|s)?|unable|cannot|can ?not|denied|refused|invalid|not found|unknown|timeout|timed out)\b|\b[A-Z][A-Za-z]*(?:Error|Exception)\b|\[(?:E|F|ERROR|FATAL)\]|失败|错误|无法|报错|不正确/i;

/** What only a program writes: a log level in brackets, key=value, a Go source reference, a JSON error body, "error: ...". */
const LOG_MARKS = /\[(?:E|F|W|ERROR|ERRO|FATAL|WARN|WARNING)\]|\b(?:level|err|msg)=|\.go:\d|\{"|\b(?:error|err|fatal|panic)\b\s*:|Error response from daemon/i;
/** Words people write and programs do not: who did what, and when, and asking for help. */
const PROSE_WORDS =
  /\b(?:i|we|our|my|me|us|you|your|when|whenever|after|since|yesterday|today|tried|trying|seems|anyone|someone|how|why|please|kindly|suggest|help|solution|issue|problem|sometimes|observing|noticed|seeing|happens|happened|thanks|it|it's|they|them|their|usually|every|would)\b/gi;
/** The same in Chinese: Harbor's programs print English, so these are a person writing. */
const CHINESE_PROSE = /我|你|怎么|如何|为什么|请问|时候|之后|以后|但是|却|发现|遇到|问题|吗|呢|了/g;

/**
 * A line that is an error: error words, and not a person's sentence about one. In "our jobservice
 * complained manifest unknown for images we had just pushed" the error words are quoted inside
 * prose, whose other words are the asker's (see the pipeline's phrasing weight). A sentence is
 * two or more of PROSE_WORDS with none of a program's LOG_MARKS.
 */
function isErrorLine(line: string): boolean {
  if (!ERROR_LIKE.test(line)) return false;
  return LOG_MARKS.test(line) || proseWords(line) < 2;
}

function proseWords(line: string): number {
  return (line.match(PROSE_WORDS)?.length ?? 0) + (line.match(CHINESE_PROSE)?.length ?? 0);
}

/** An error or warning level in brackets, or a Go source reference: no person writes these into a sentence. */
const LOG_PREFIX = /\[(?:E|F|W|ERROR|ERRO|FATAL|WARN|WARNING)\]|\.go:\d/;
/** A progress line's level: what the program was doing, not what failed. */
const PROGRESS_LEVEL = /\[(?:I|D|INFO|DEBUG)\]|\blevel=(?:info|debug)\b/i;

/** NormalisedLine.printed: Harbor's own messages hold words like "after" and "it" too. */
function isPrintedLine(line: string): boolean {
  if (PROGRESS_LEVEL.test(line)) return false;
  return LOG_PREFIX.test(line) || (LOG_MARKS.test(line) && proseWords(line) === 0);
}

/** An error code as programs print it in a JSON error body: `"code":"UNKNOWN"` (an `UPPER_SNAKE` code is an identifier already). */
const ERROR_CODE = /"code"\s*:\s*"(\w+)"/g;
/** An identifier: a configuration key, a table or a job type (`admiral_url`, `audit_log`). */
const IDENTIFIER = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

/** A URL or a path: any word with a slash in it. */
const URL_OR_PATH = /\S*\/\S*/g;
/** What was being done: one of the operations on a registry or on Harbor's objects (`push`, `pushing`, `deleted`). */
const OPERATION = /^(?:(?:push|pull|list|fetch|copy|upload|mount|stop)(?:ed|ing|s)?|(?:delet|creat|updat)(?:e|es|ed|ing)|stopp(?:ed|ing))$/;

/** The terms of a line that tell errors of one family apart (NormalisedLine.marks). */
function marksOf(original: string): string[] {
  // The message's own words: a URL's or a path's words (`client_id`, `/blobs/uploads/`) are where, not what.
  const message = original.replace(URL_OR_PATH, ' ');
  const codes = new Set([...message.matchAll(ERROR_CODE)].map((match) => (match[1] ?? '').toLowerCase()));
  // What a person says they did is not what a program reports failing.
  const operations = LOG_MARKS.test(original);
  return lineTerms(cleanLine(message)).filter(
    (term) => HTTP_ERROR_STATUS.test(term) || IDENTIFIER.test(term) || codes.has(term) || (operations && OPERATION.test(term)),
  );
}

export function normaliseQuery(raw: string): NormalisedQuery {
  const seen = new Set<string>();
  let lines: NormalisedLine[] = [];
  for (const whole of raw.split(/\r?\n/)) {
    const original = whole.slice(0, MAX_LINE_LENGTH);
    const text = cleanLine(original);
    const terms = lineTerms(text);
    const key = terms.join(' ');
    if (terms.length === 0 || seen.has(key)) continue;
    seen.add(key);
    const clauses = text
      .split(CLAUSE_BREAK)
      .map(lineTerms)
      .filter((clause) => clause.length >= MIN_CLAUSE_TERMS);
    lines.push({
      text,
      terms,
      clauses: clauses.length > 1 ? clauses : [],
      errorLike: isErrorLine(original),
      printed: isPrintedLine(original),
      marks: marksOf(original),
    });
  }
  if (lines.length > MAX_LINES) {
    const ranked = [...lines.keys()].sort((a, b) => Number(lines[b]!.errorLike) - Number(lines[a]!.errorLike) || a - b);
    const keep = new Set(ranked.slice(0, MAX_LINES));
    lines = lines.filter((_, index) => keep.has(index));
  }
  return { lines, terms: [...new Set(lines.flatMap((line) => line.terms))] };
}

/** True when a term is written in Chinese characters (searched in the Chinese index). */
export const isChineseTerm = (term: string) => HAN.test(term);

/** True for a version number term such as 1.9.4. */
export const isVersionTerm = (term: string) => VERSION.test(term);

/**
 * Page text as the search index should hold it: only words a query can ask for, so the
 * index every first search downloads carries nothing else. Latin words stay as written
 * (Pagefind still splits FetchImages or replication_job itself) when the query side would
 * keep them: stopwords, plain numbers, ids and version numbers go. Chinese is cut into
 * words the way queries are, each set apart, stopwords dropped.
 */
export function indexedText(text: string): string {
  const words: string[] = [];
  for (const { run, han } of scriptRuns(text.replace(ZERO_SIZE, ZERO_SIZE_WORD))) {
    if (han) words.push(...chineseTerms(run));
    else if (latinTerms(bare(run)).some((term) => !isVersionTerm(term))) words.push(run);
  }
  return words.join(' ');
}
