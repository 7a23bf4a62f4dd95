/**
 * Picks the page's error line that best matches the query and marks the query's
 * words in it, so a result shows why it was found.
 */
export interface Segment {
  text: string;
  mark: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A word of the line that starts with a query term (Pagefind matches by stem and prefix too). */
function termPattern(terms: readonly string[]): RegExp | undefined {
  const usable = terms.filter((term) => term.length >= 3 || /\p{Script=Han}/u.test(term));
  if (usable.length === 0) return undefined;
  const alternatives = usable.sort((a, b) => b.length - a.length).map(escape).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})[\\p{L}\\p{N}_]*`, 'giu');
}

export function markTerms(line: string, terms: readonly string[]): Segment[] {
  const pattern = termPattern(terms);
  if (!pattern) return [{ text: line, mark: false }];
  const segments: Segment[] = [];
  let last = 0;
  for (const found of line.matchAll(pattern)) {
    if (found.index > last) segments.push({ text: line.slice(last, found.index), mark: false });
    segments.push({ text: found[0], mark: true });
    last = found.index + found[0].length;
  }
  if (last < line.length) segments.push({ text: line.slice(last), mark: false });
  return segments;
}

/** The line with the most distinct marked words; the first line when none matches. */
export function bestLine(lines: readonly string[], terms: readonly string[]): Segment[] {
  let best: Segment[] = [];
  let bestScore = -1;
  for (const line of lines) {
    const segments = markTerms(line, terms);
    const score = new Set(segments.filter((s) => s.mark).map((s) => s.text.toLowerCase())).size;
    if (score > bestScore) {
      best = segments;
      bestScore = score;
    }
  }
  return best;
}
