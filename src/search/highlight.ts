/**
 * Picks the page's error line that best matches the query and marks the query's
 * words in it, so a result shows why it was found.
 */
export interface Segment {
  text: string;
  mark: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const HAN = /\p{Script=Han}/u;
const longestFirst = (terms: string[]) =>
  terms
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');

/**
 * A word of the line that starts with a query term (Pagefind matches by stem and prefix
 * too); Chinese, written without spaces, matches as it stands.
 */
function termPattern(terms: readonly string[]): RegExp | undefined {
  const latin = terms.filter((term) => term.length >= 3 && !HAN.test(term));
  const chinese = terms.filter((term) => HAN.test(term));
  const alternatives = [
    ...(latin.length ? [`(?<![\\p{L}\\p{N}_])(?:${longestFirst(latin)})[\\p{L}\\p{N}_]*`] : []),
    ...(chinese.length ? [longestFirst(chinese)] : []),
  ];
  return alternatives.length ? new RegExp(alternatives.join('|'), 'giu') : undefined;
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

export const hasMarks = (segments: readonly Segment[]) => segments.some((segment) => segment.mark);

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
