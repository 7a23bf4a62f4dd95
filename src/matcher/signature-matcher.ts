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

/** A line of a scanned text that at least one signature matches. */
export interface MatchedLine {
  /** The line without its line break. */
  line: string;
  /** Offset of the line's first character in the scanned text. */
  start: number;
  hits: SignatureHit[];
}

/**
 * Scans a whole text (many lines) at once: one combined regular expression per
 * case mode finds the next candidate line, and only that line is matched
 * signature by signature. Lines no signature matches cost one regex pass over
 * the text, so a buffer of log lines is scanned at close to regex-engine speed.
 * Lines are split at "\n" with a trailing "\r" dropped, as `matchLine` sees them.
 */
export function createChunkScanner(compiled: readonly CompiledSignature[]): (text: string) => Generator<MatchedLine> {
  // Case-insensitive signatures join the case-sensitive prefilter with [aA] classes
  // where they can, so that one pass over the text serves all signatures.
  const sensitive: string[] = [];
  const insensitive: string[] = [];
  for (const signature of compiled) {
    const folded = signature.regex.ignoreCase ? caseFoldedPattern(signature.pattern) : signature.pattern;
    if (folded === undefined) insensitive.push(signature.pattern);
    else sensitive.push(folded);
  }
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
      const hits = matchLine(compiled, line);
      if (hits.length > 0) yield { line, start, hits };
      prefilters.forEach((prefilter, i) => {
        if (candidates[i] === start) candidates[i] = end >= text.length ? -1 : nextCandidate(prefilter, text, end + 1);
      });
    }
  };
}
