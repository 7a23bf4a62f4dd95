/**
 * Our pages against well-known other Harbor problems described in operators' words
 * (other-problems-described.ts, indexed as a second Pagefind bundle). A question that shares
 * words with one of our pages ("cannot docker login with a robot account" and the login pages)
 * may be another well-known problem, which no rule of ours names. The query's words are looked
 * up in the other problems' index too, every word is weighed by how many records of both indexes
 * hold it, and each record's evidence is the evidence our pages get (lineEvidence): in that index
 * everything a record holds is what it is about. When an other problem explains the query clearly
 * better than the best of the pages that would be results, it is the answer. Error lines are
 * weighed too: a pasted line of another well-known problem is as much a near miss as a sentence.
 *
 * Loaded on first use: a paste our signatures recognise, or one no page fits, never fetches it.
 */
export { mergedBundleEngine } from './pagefind-merged.ts';
import {
  aboutInIndex,
  askersWords,
  COMMON_WEIGHT,
  GENERIC_FAILURE_WORDS,
  idf,
  lineEvidence,
  lookUpTerms,
  MIN_EVIDENCE,
  type EngineHit,
  type RankedPage,
  type SearchEngine,
  type TermStats,
  type WordsInPages,
} from './pipeline.ts';

/** Record ids of the other index are kept apart from page ids by this prefix while both are weighed together. */
const OTHER = 'other:';
/**
 * How much more evidence an other problem needs than our best page: words both share (login,
 * replication, storage) give close scores, and a close score is no reason to take a page away.
 * Chosen on one half of dev (the smallest factor that cost no positive there, with the record's
 * share of the query's weight at least our page's) and checked on the other half (docs/search.md).
 */
const CLEARLY_BETTER = 1.2;
/**
 * Beside pages that are only suggestions, an other problem is named only when every word of the
 * query is in what it is about: a vague question ("harbor core is slow to come up") half-matches
 * some record as easily as it half-matches a page, and a named problem reads as an answer.
 */
const WHOLE_QUERY = 1;

/**
 * Whether a described other problem explains the query clearly better than the best of `results`
 * (pages that its words alone made results): that problem's id, or undefined.
 */
export async function explainedElsewhere(
  others: SearchEngine,
  asked: WordsInPages,
  results: readonly RankedPage[],
  suggested = false,
): Promise<string | undefined> {
  const otherStats = await lookUpTerms(others, asked.lang, asked.words);
  // The other index's record count is known once a search in that language has returned.
  const pagesAndRecords = asked.pageCount + others.pageCount(asked.lang);
  const stats = new Map<string, TermStats>();
  const records = new Set<string>();
  for (const term of asked.words) {
    const hits = new Map<string, EngineHit>(asked.stats.get(term)?.hits);
    for (const [id, hit] of otherStats.get(term)?.hits ?? []) {
      hits.set(`${OTHER}${id}`, hit);
      records.add(`${OTHER}${id}`);
    }
    const weight = GENERIC_FAILURE_WORDS.has(term) ? COMMON_WEIGHT : idf(hits.size, pagesAndRecords);
    stats.set(term, { hits, weight, phrasingWeight: hits.size === 0 ? COMMON_WEIGHT : weight });
  }
  // A record's words are all what it is about: its zone never ends.
  const ends = new Map(asked.zoneEnds);
  for (const record of records) ends.set(record, Number.POSITIVE_INFINITY);
  const about = aboutInIndex(ends, stats);
  askersWords(stats, about);
  const evidence = (id: string) => {
    const lines = asked.query.lines.map((line) => lineEvidence(line, id, stats, about, asked.conclusive));
    return { score: Math.max(0, ...lines.map((line) => line.score)), share: Math.max(0, ...lines.map((line) => line.share)) };
  };
  const ours = results.map((page) => evidence(page.pageId));
  const oursScore = Math.max(...ours.map((page) => page.score));
  const oursShare = Math.max(...ours.map((page) => page.share));
  let best: { id: string; score: number } | undefined;
  for (const record of records) {
    const { score, share } = evidence(record);
    const explainsBetter = score >= (suggested ? WHOLE_QUERY : MIN_EVIDENCE) && score > CLEARLY_BETTER * oursScore && share >= oursShare;
    if (explainsBetter && score > (best?.score ?? 0)) best = { id: record.slice(OTHER.length), score };
  }
  return best?.id;
}
