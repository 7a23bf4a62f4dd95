/**
 * Recognises known Harbor problems in text by the `signatures` of each page.
 * Plain TypeScript with no Node or browser specifics: the search page, the log
 * doctor page and the `harbor-kb doctor` CLI all use this one module.
 */
import type { Signature } from '../schemas/issue.ts';

/** A signature as matching needs it: its frontmatter entry, or that entry without the fields left at their defaults. */
export type SignatureSource = Pick<Signature, 'pattern' | 'weight'> & Partial<Pick<Signature, 'ignoreCase' | 'component'>>;

/** What a page contributes to matching: its id and its signatures. */
export interface PageSignatures {
  id: string;
  signatures: SignatureSource[];
}

export interface CompiledSignature {
  pageId: string;
  /** Position of the signature in its page's list. */
  index: number;
  pattern: string;
  weight: number;
  component?: string;
  regex: RegExp;
}

export interface SignatureHit {
  pageId: string;
  signature: CompiledSignature;
  /** The matched text. */
  match: string;
}

export function compileSignatures(pages: readonly PageSignatures[]): CompiledSignature[] {
  return pages.flatMap((page) =>
    page.signatures.map((signature, index) => ({
      pageId: page.id,
      index,
      pattern: signature.pattern,
      weight: signature.weight,
      component: signature.component,
      regex: new RegExp(signature.pattern, signature.ignoreCase ? 'i' : ''),
    })),
  );
}

/** Every signature that matches one line (or any text treated as a unit). */
export function matchLine(compiled: readonly CompiledSignature[], line: string): SignatureHit[] {
  const hits: SignatureHit[] = [];
  for (const signature of compiled) {
    const found = signature.regex.exec(line);
    if (found) hits.push({ pageId: signature.pageId, signature, match: found[0] });
  }
  return hits;
}

/**
 * Evidence per page in a pasted text: the sum of the weights of the distinct
 * signatures that match any of its lines. Repeating one line does not add evidence.
 */
export function scorePages(compiled: readonly CompiledSignature[], text: string): Map<string, number> {
  const matched = new Set<CompiledSignature>();
  for (const line of text.split(/\r?\n/)) {
    for (const hit of matchLine(compiled, line)) matched.add(hit.signature);
  }
  const scores = new Map<string, number>();
  for (const signature of matched) scores.set(signature.pageId, (scores.get(signature.pageId) ?? 0) + signature.weight);
  return scores;
}

/**
 * A case-insensitive pattern written case-sensitively, each letter as [aA]; for
 * one engine or flag serving every signature (the chunk scanner's prefilter,
 * `grep -E`). Undefined when the pattern has a character class, whose ranges
 * cannot be folded this way.
 */
export function caseFoldedPattern(pattern: string): string | undefined {
  let folded = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      folded += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') return undefined;
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    folded += lower !== upper && lower.length === 1 && upper.length === 1 ? `[${lower}${upper}]` : c;
  }
  return folded;
}

/** Below this length a run of text is too common in logs to narrow the chunk scanner's search. */
const MIN_REQUIRED_LITERAL = 4;

/** How rare a run of text is likely to be in a log: punctuation or digits ("x509: ") beat words (" registry "). */
const rarity = (run: string) => run.length + (/[^A-Za-z ]/.test(run) ? 10 : 0);

/**
 * A run of plain text that every match of `pattern` contains, the rarest-looking of them (rarity):
 * outside any group, with no quantifier that could drop its last character, escaped punctuation
 * unescaped. Undefined when the pattern chooses at its top level (an alternation outside any
 * group), uses an escape that is not punctuation (`\s`, `\x41`) or has no run of
 * MIN_REQUIRED_LITERAL characters.
 */
export function requiredLiteral(pattern: string): string | undefined {
  let best = '';
  let run = '';
  for (const piece of topLevelPieces(pattern)) {
    if (piece === UNREADABLE) return undefined;
    if (typeof piece === 'string') {
      run += piece;
      continue;
    }
    // The quantified character (or group) may be absent or repeated: the run ends before it.
    if (piece === OPTIONAL_LAST) run = run.slice(0, -1);
    best = rarer(best, run);
    run = '';
  }
  best = rarer(best, run);
  return best === '' ? undefined : best;
}

/** The rarer-looking of the best run so far and a finished one long enough to count. */
const rarer = (best: string, run: string) => (run.length >= MIN_REQUIRED_LITERAL && rarity(run) > rarity(best) ? run : best);

/** What requiredLiteral reads a pattern as: text at the top level, breaks between runs, or a pattern it cannot read. */
const BREAK = Symbol('break');
const OPTIONAL_LAST = Symbol('the last character or group is quantified');
const UNREADABLE = Symbol('unreadable');

/**
 * A pattern's tokens: an escape, a character class (to its first unescaped "]", as in
 * JavaScript), a counted quantifier, an unclosed "{", one syntax character, or one other character.
 */
const PATTERN_TOKEN = /\\.?|\[(?:\\.|[^\]\\])*\]?|\{[^}]*\}|[{()|*+?.^$]|[^\\[{()|*+?.^$]/gs;

/** The pattern's top-level characters as text (escaped punctuation unescaped), and what ends a run of them. */
function* topLevelPieces(pattern: string): Generator<string | typeof BREAK | typeof OPTIONAL_LAST | typeof UNREADABLE> {
  let depth = 0;
  for (const [token] of pattern.matchAll(PATTERN_TOKEN)) {
    if (token === '(') depth++;
    if (token === ')') depth--;
    const piece = tokenPiece(token, depth);
    if (piece !== undefined) yield piece;
    if (piece === UNREADABLE) return;
  }
}

/** What one token of a pattern is to requiredLiteral at `depth` (0: outside any group); undefined when nothing. */
function tokenPiece(token: string, depth: number): string | typeof BREAK | typeof OPTIONAL_LAST | typeof UNREADABLE | undefined {
  if (token.startsWith('\\')) return /^\\[0-9A-Za-z]?$/.test(token) ? UNREADABLE : depth === 0 ? token.slice(1) : undefined;
  if (token === '{' || (token === '|' && depth === 0)) return UNREADABLE;
  if (token.startsWith('{') || '*+?'.includes(token)) return OPTIONAL_LAST;
  if (token.startsWith('[') || '(.^$'.includes(token)) return BREAK;
  if (token === ')' || token === '|') return undefined;
  return depth === 0 ? token : undefined;
}

/** `text` as a pattern that matches exactly it. */
const literalPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One pattern that matches wherever any of `texts` occurs, written as a tree of their shared
 * beginnings ("fail(?:ed to get key|ed to remove blob)"): V8 then rejects most positions on
 * their first character instead of trying every text there.
 */
function literalTree(texts: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  let ends = false;
  for (const text of texts) {
    if (text === '') ends = true;
    else byFirst.set(text[0] as string, [...(byFirst.get(text[0] as string) ?? []), text.slice(1)]);
  }
  // A text that ends here is enough: a longer one that starts with it adds nothing.
  if (ends) return '';
  const branches = [...byFirst].map(([first, rests]) => literalPattern(first) + literalTree(rests));
  return branches.length === 1 ? (branches[0] as string) : `(?:${branches.join('|')})`;
}

/** A line of a scanned text that at least one signature matches. */
export interface MatchedLine {
  /** The line without its line break. */
  line: string;
  /** Offset of the line's first character in the scanned text. */
  start: number;
  hits: SignatureHit[];
}

/**
 * Scans a whole text (many lines) at once: one combined regular expression per case mode finds
 * the next candidate line, and only that line is matched, by the signatures whose required text
 * it holds. The combined expression looks for each case-sensitive signature's required text
 * (requiredLiteral) as a tree of shared beginnings, and for the others' whole patterns: V8 tries
 * every alternative at every position, and with 95 signatures one expression of all their patterns
 * read the bench's log at a quarter of grep's speed. Lines are split at "\n" with a trailing "\r" dropped,
 * as `matchLine` sees them.
 */
export function createChunkScanner(compiled: readonly CompiledSignature[]): (text: string) => Generator<MatchedLine> {
  // Case-insensitive signatures join the case-sensitive expression with [aA] classes where they
  // can, so that one pass over the text serves all signatures.
  const sensitive: string[] = [];
  const insensitive: string[] = [];
  // Text every match of a case-sensitive signature contains, where it has one (requiredLiteral).
  const literalOf = new Map(compiled.map((signature) => [signature, signature.regex.ignoreCase ? undefined : requiredLiteral(signature.pattern)]));
  for (const signature of compiled) {
    if (literalOf.get(signature) !== undefined) continue;
    const folded = signature.regex.ignoreCase ? caseFoldedPattern(signature.pattern) : signature.pattern;
    if (folded === undefined) insensitive.push(signature.pattern);
    else sensitive.push(folded);
  }
  const literals = new Set([...literalOf.values()].filter((literal) => literal !== undefined));
  if (literals.size > 0) sensitive.unshift(literalTree([...literals]));
  const prefilters = [sensitive, insensitive].flatMap((patterns, i) => {
    if (patterns.length === 0) return [];
    // Multiline mode only when a pattern may anchor at a line: it costs V8 speed.
    const multiline = patterns.some((pattern) => /[\^$]/.test(pattern)) ? 'm' : '';
    return [new RegExp(patterns.map((pattern) => `(?:${pattern})`).join('|'), `g${i === 1 ? 'i' : ''}${multiline}`)];
  });

  /** Start of the first line at or after `from` that a prefilter matches, or -1. */
  function nextCandidate(prefilter: RegExp, text: string, from: number): number {
    prefilter.lastIndex = from;
    const found = prefilter.exec(text);
    return found ? text.lastIndexOf('\n', found.index - 1) + 1 : -1;
  }

  /** The signatures that can match a line: those whose required text it holds, and those without one. */
  const possible = (line: string) =>
    compiled.filter((signature) => {
      const literal = literalOf.get(signature);
      return literal === undefined || line.includes(literal);
    });

  return function* scan(text: string): Generator<MatchedLine> {
    // The leftmost match of a prefilter is in the earliest line any of its signatures
    // matches, so every line before the smallest candidate is clean.
    const candidates = prefilters.map((prefilter) => nextCandidate(prefilter, text, 0));
    for (;;) {
      let start = -1;
      for (const candidate of candidates) if (candidate >= 0 && (start < 0 || candidate < start)) start = candidate;
      if (start < 0) return;
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      const hits = matchLine(possible(line), line);
      if (hits.length > 0) yield { line, start, hits };
      prefilters.forEach((prefilter, i) => {
        if (candidates[i] === start) candidates[i] = end >= text.length ? -1 : nextCandidate(prefilter, text, end + 1);
      });
    }
  };
}
