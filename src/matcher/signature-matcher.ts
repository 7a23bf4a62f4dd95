/**
 * Recognises known Harbor problems in text by the `signatures` of each page.
 * Plain TypeScript with no Node or browser specifics: the search page, the log
 * doctor page and the `harbor-kb doctor` CLI all use this one module.
 */
import type { Signature } from '../schemas/issue.ts';

/** What a page contributes to matching: its id and its signatures, as in its frontmatter. */
export interface PageSignatures {
  id: string;
  signatures: Signature[];
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
