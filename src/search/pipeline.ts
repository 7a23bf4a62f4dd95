/**
 * The query pipeline in front of Pagefind. Plain Pagefind requires every word of a
 * query; a pasted log line never passes that test. Here every line and every term
 * of the pasted text is looked up on its own, and the evidence is weighed:
 *
 * - signature hits (the pages' frontmatter regexes on the raw paste) are the strongest;
 * - per line, the share of the line's informative terms a page contains (terms that
 *   few pages contain count more; a term in the page's titles, summaries or error
 *   lines counts fully, one only in the body counts for little), and whether they
 *   occur in the page as a phrase, in the same order, close together;
 * - Pagefind's own ranking of the strict query and of each term.
 *
 * The ranked lists are fused by reciprocal rank; a page is shown only when its
 * evidence clears a threshold, so an unrelated error yields no match rather than
 * the least bad page.
 */
import { matchLine, scorePages, type CompiledSignature } from '../matcher/signature-matcher.ts';
import { ABOUT_END_WORD, ERROR_LINES_WORD, type IndexLang } from './fragment-pages.ts';
import { reciprocalRankFusion, type RankedList } from './fusion.ts';
import type { Meaning } from './meaning.ts';
import type { ProblemModelLoader } from './problem-model.ts';
import type { NearMisses } from './near-misses.ts';
import { cleanLine, isChineseTerm, isVersionTerm, lineTerms, normaliseQuery, type NormalisedLine, type NormalisedQuery } from './normalise.ts';

export type { IndexLang };

export interface EngineHit {
  pageId: string;
  score: number;
  /** Word positions of the match in the page, as Pagefind reports them. */
  positions: readonly number[];
}

/**
 * Does a query word belong to what a page is about (its title, summary, operators' words and
 * error lines, before ABOUT_END_WORD in the index)? A query word found there counts for more
 * than one found only in the page's body.
 */
export interface AboutMatcher {
  has(term: string, pageId: string): boolean;
  /** The longest run of consecutive query terms that follow each other in what the page is about. */
  phrase(terms: readonly string[], pageId: string): number;
}

/** What the pipeline needs from a full-text engine (Pagefind in the browser, a fake in tests). */
export interface SearchEngine {
  /** Pages of one language's index matching every word of `query`, best first. */
  search(query: string, lang: IndexLang): Promise<EngineHit[]>;
  /** Number of pages in one language's index. */
  pageCount(lang: IndexLang): number;
}

export interface RankedPage {
  pageId: string;
  /** Fused rank score; only the order means anything. */
  score: number;
  /** Best per-line evidence: about 0..1, a little more when the page's own lines share a phrase with the query. */
  evidence: number;
  /** Best per-line share of the line's weight the page holds, with no minimum: what an uncertain suggestion rests on. */
  share: number;
  /** Sum of the weights of the page's signatures that matched the raw text. */
  signature: number;
  /** Set when the page was suggested by the meaning fallback (its score there), not by the query's words. */
  meaning?: number;
}

/** The meaning fallback of one index language, loaded on first use (meaning.ts). */
export type MeaningLoader = (lang: IndexLang) => Promise<Meaning>;

/** What the pipeline found out about a query's words in our pages: what another index's evidence is weighed against. */
export interface WordsInPages {
  query: NormalisedQuery;
  lang: IndexLang;
  /** The terms looked up (lookupTerms). */
  words: readonly string[];
  stats: ReadonlyMap<string, TermStats>;
  /** Where each page's about zone ends. */
  zoneEnds: ReadonlyMap<string, number>;
  /** The errors the paste prints in a page's own words (conclusiveErrors). */
  conclusive: readonly (readonly string[])[];
  /** Pages in the index of `lang`. */
  pageCount: number;
}

/**
 * Whether a well-known other Harbor problem, described in operators' words, explains the query
 * clearly better than `pages`: that problem's id, or undefined (described-problems.ts, loaded on
 * first use). `suggested`: the pages are only suggestions (no page was a result), so the other
 * problem must hold the whole query.
 */
export type OtherProblemCheck = (words: WordsInPages, pages: readonly RankedPage[], suggested: boolean) => Promise<string | undefined>;

export interface QueryOutcome {
  query: NormalisedQuery;
  /** Relevant pages, best first; empty when nothing in the knowledge base fits. */
  pages: RankedPage[];
  /** When no page is conclusive: the closest pages, best first, to offer as uncertain. */
  suggestions: RankedPage[];
  /** A well-known Harbor problem this knowledge base has no page for, when the paste carries one: its place in the catalogue (other-problems.ts). */
  otherProblem?: number;
  /** A well-known Harbor problem with no page that a question describes better than our pages do: its id (other-problems-described.ts). */
  describedProblem?: string;
}

/** A page needs at least this much line evidence to be shown without a signature hit. */
export const MIN_EVIDENCE = 0.5;
/**
 * The smallest probability the problem model (problem-model.ts) must give a page for words alone to
 * make it a result. Chosen on five folds of dev, each fold's queries scored by a model trained
 * without them (scripts/search-dev-harness.ts --model-folds), before any frozen set was scored with it:
 * the point past which recall@1 falls faster than near misses (0.05 until session 13; 0.08 since the
 * model also learns the helpers' queries, which made it surer of pages).
 */
export const MIN_CONFIRMATION = 0.08;
/** What a query term found only in a page's body (not in what the page is about) is worth. */
const BODY_CREDIT = 0.3;
/** Weight (summed inverse document frequency) of about-zone words a match needs: one rare word, or two fairly distinctive ones. */
const MIN_ABOUT_WEIGHT = 2;
/** ...or, for a short query of common words, half of what the query weighs. */
const ABOUT_SHARE = 0.5;
/** Evidence added per word of a phrase shared with the page's own lines (up to five). */
const ABOUT_PHRASE_BONUS = 0.04;
/** Words at most this far apart in a page still count as one phrase (stopwords were dropped from the query). */
const PHRASE_GAP = 3;
/** A clause weighing less than this share of its line speaks for it only in proportion. */
const CLAUSE_SHARE = 0.5;
/** A phrase must cover this share of a line's terms to count as the line's phrase. */
const PHRASE_SHARE = 0.6;

/** A page holding this share of a line's weight is offered as an uncertain suggestion when nothing is conclusive. */
const SUGGESTION_SHARE = 0.35;
const MAX_SUGGESTIONS = 3;

/** Terms looked up per query at most (see lookupTerms). */
const MAX_LOOKUPS = 40;

/**
 * Rank fusion keeps only the order of the evidence; how much stronger one page's evidence
 * is than another's also counts, at this scale (a rank-1 signature vote is 3/11).
 */
const EVIDENCE_SCALE = 0.25;

const LIST_WEIGHTS = { signature: 3, evidence: 2, strict: 1, terms: 1 };

/**
 * Words of the messages Go's network, TLS and file-system code prints for any cause
 * ("dial tcp …: connect: connection refused", "permission denied", "certificate has expired").
 * They say how something failed, not what: Redis, the token service and the log driver all
 * refuse connections in the same words. A page holding one is rare among ours, but the words
 * are common among Harbor errors, so they weigh like a word every page holds, and neither
 * count as what a page is about nor make a phrase; the rest of the line (what was dialled,
 * which path, whose certificate) decides.
 */
export const GENERIC_FAILURE_WORDS: ReadonlySet<string> = new Set([
  'dial',
  'tcp',
  'udp',
  'connect',
  'connection',
  'refused',
  'reset',
  'peer',
  'getsockopt',
  'lookup',
  'eof',
  'timeout',
  'permission',
  'denied',
  'operation',
  'permitted',
  'certificate',
  'expired',
]);

/** A signature of this weight or more is conclusive enough to override a page's near-miss rule; a hint (weight 1) is not. */
const OVERRIDING_SIGNATURE = 2;
/** A signature of this weight is conclusive (schemas/issue.ts): the line it matched is that page's error. */
const CONCLUSIVE_SIGNATURE = 3;

export interface TermStats {
  hits: Map<string, EngineHit>;
  /** Inverse document frequency; terms no page contains weigh as much as the rarest. */
  weight: number;
  /**
   * The weight in a line that is not an error (a question in the user's own words). There
   * a word no page contains is mostly the asker's phrasing ("forever", "hung") and weighs
   * like a word every page contains. In an error line every word is the program's, and one
   * the knowledge base has never seen points to another error: it keeps its full weight.
   */
  phrasingWeight: number;
}

/** Inverse document frequency of a term found in `found` of `total` pages. */
export const idf = (found: number, total: number) => Math.log(1 + total / Math.max(found, 1));
/** The weight of a word every page holds. */
export const COMMON_WEIGHT = idf(1, 1);

export async function lookUpTerms(engine: SearchEngine, lang: IndexLang, terms: readonly string[]): Promise<Map<string, TermStats>> {
  const entries = await Promise.all(
    terms.map(async (term) => {
      const hits = new Map<string, EngineHit>();
      for (const hit of await engine.search(term, lang)) if (!hits.has(hit.pageId)) hits.set(hit.pageId, hit);
      const total = Math.max(engine.pageCount(lang), 1);
      const weight = GENERIC_FAILURE_WORDS.has(term) ? COMMON_WEIGHT : idf(hits.size, total);
      return [term, { hits, weight, phrasingWeight: hits.size === 0 ? COMMON_WEIGHT : weight }] as const;
    }),
  );
  return new Map(entries);
}

function adjacent(before: readonly number[], after: readonly number[]): boolean {
  return before.some((a) => after.some((b) => b > a && b - a <= PHRASE_GAP));
}

interface Evidence {
  score: number;
  /** Share of the weight the page holds, with no minimum on the about-zone words. */
  share: number;
  /** How many of the terms are in what the page is about. */
  aboutTerms: number;
  /** Summed weight of the terms. */
  weight: number;
  /** Longest run of the terms that is also a run of words in one of the page's own lines. */
  aboutPhrase: number;
}

/** Evidence that a run of terms (a line or a clause) is about one page: weighted term coverage, raised by phrase matches. */
function termsEvidence(terms: readonly string[], errorLike: boolean, pageId: string, stats: ReadonlyMap<string, TermStats>, about: AboutMatcher): Evidence {
  let total = 0;
  let matched = 0;
  let aboutTerms = 0;
  let aboutWeight = 0;
  for (const term of terms) {
    const stat = stats.get(term);
    if (!stat) continue;
    const weight = errorLike ? stat.weight : stat.phrasingWeight;
    total += weight;
    if (about.has(term, pageId)) {
      matched += weight;
      if (!GENERIC_FAILURE_WORDS.has(term)) {
        aboutWeight += weight;
        aboutTerms += 1;
      }
    } else if (stat.hits.has(pageId)) {
      matched += weight * BODY_CREDIT;
    }
  }
  const longestRun = longestPhrase(terms, pageId, stats);
  const specific = terms.filter((term) => !GENERIC_FAILURE_WORDS.has(term));
  if (total === 0) return { score: 0, share: 0, aboutTerms, weight: 0, aboutPhrase: 0 };
  // Coverage counts only when the words the page is about carry real weight: two or three
  // common words ("status", "500") found in its description do not make a match.
  const coverage = aboutWeight >= Math.min(MIN_ABOUT_WEIGHT, ABOUT_SHARE * total) ? matched / total : 0;
  // Most of the words (three or more), in order and together in the page: that is the error's own phrase.
  const phrase = longestRun >= 3 && longestRun >= PHRASE_SHARE * specific.length ? Math.min(1, 0.5 + 0.1 * longestRun) : 0;
  // Words that follow each other in one of the page's own error lines or titles rank it above
  // a page that merely has the same words scattered about.
  const aboutPhrase = about.phrase(specific, pageId);
  const bonus = aboutPhrase >= 2 ? ABOUT_PHRASE_BONUS * Math.min(aboutPhrase, 5) : 0;
  return { score: Math.max(coverage, phrase) + (coverage > 0 || phrase > 0 ? bonus : 0), share: matched / total, aboutTerms, weight: total, aboutPhrase };
}

/** The longest run of the terms that follow each other in the page (anywhere in it); a generic word carries a run on without lengthening it. */
function longestPhrase(terms: readonly string[], pageId: string, stats: ReadonlyMap<string, TermStats>): number {
  let run = 1;
  let longest = 0;
  let previous: EngineHit | undefined;
  for (const term of terms) {
    const stat = stats.get(term);
    if (!stat) continue;
    const hit = stat.hits.get(pageId);
    const generic = GENERIC_FAILURE_WORDS.has(term);
    const carried = hit && previous && adjacent(previous.positions, hit.positions);
    run = carried ? run + (generic ? 0 : 1) : generic ? 0 : 1;
    if (hit) longest = Math.max(longest, run);
    previous = hit;
  }
  return longest;
}

/**
 * How far a clause may speak for its line. A clause that repeats three or more words of the
 * page's own error lines or titles in order fully ("List tags for repo"); any other clause in
 * proportion to its share of the line's weight, so a few common words ("docker push fails")
 * in front of another error's message do not make a match.
 */
function clauseStanding(clause: Evidence, line: Evidence): number {
  return clause.aboutPhrase >= 3 ? 1 : Math.min(1, clause.weight / (CLAUSE_SHARE * line.weight));
}

/**
 * A line's evidence is that of the whole line, or of its best clause when that clause
 * shares at least two words with what the page is about (one common word is not enough
 * to let a short clause speak for a whole line), weighed by its standing (clauseStanding).
 * `aboutPhrase` is the whole line's longest run of words in a row in what the page is about.
 */
export function lineEvidence(
  line: NormalisedLine,
  pageId: string,
  stats: ReadonlyMap<string, TermStats>,
  about: AboutMatcher,
  conclusive: readonly (readonly string[])[],
): { score: number; share: number; aboutPhrase: number } {
  const whole = termsEvidence(line.terms, line.errorLike, pageId, stats, about);
  const clauses = line.clauses.map((terms) => termsEvidence(terms, line.errorLike, pageId, stats, about)).filter((clause) => clause.aboutTerms >= 2);
  const score = Math.max(whole.score, ...clauses.map((clause) => clause.score * clauseStanding(clause, whole)));
  const another = line.errorLike && (!sameMarks(line, pageId, stats, about) || !sameConclusiveError(line, conclusive, pageId, stats, about));
  return { score: another ? 0 : score, share: whole.share, aboutPhrase: whole.aboutPhrase };
}

/**
 * A line a program printed, against a page: held to the error lines the page shows (`errorLines`,
 * not its title or operators' words), and only when two of its words follow each other there as in
 * one of them. Harbor logs hundreds of messages built from the same few words ("failed to get
 * registry", "failed to write response", "User does not exist"); words of ours scattered over such
 * a line are no sign that it prints one of our errors.
 */
function printedLineEvidence(
  line: NormalisedLine,
  pageId: string,
  stats: ReadonlyMap<string, TermStats>,
  errorLines: AboutMatcher,
  conclusive: readonly (readonly string[])[],
): { score: number; share: number } {
  // The whole line's phrase was measured in the error lines already (termsEvidence's aboutPhrase).
  const evidence = lineEvidence(line, pageId, stats, errorLines, conclusive);
  return evidence.aboutPhrase >= 2 ? evidence : { ...evidence, score: 0 };
}

/**
 * The terms of each error the paste prints in a page's own words (a conclusive signature's
 * match), without the generic failure words. A line holding one is that page's error.
 */
function conclusiveErrors(signatures: readonly CompiledSignature[], raw: string): string[][] {
  return raw
    .split(/\r?\n/)
    .flatMap((line) => matchLine(signatures, line))
    .filter((hit) => hit.signature.weight >= CONCLUSIVE_SIGNATURE)
    .map((hit) => lineTerms(cleanLine(hit.match)).filter((term) => !GENERIC_FAILURE_WORDS.has(term)));
}

/**
 * Whether a page whose own signatures did not match can still be the error of a line that
 * prints another page's error verbatim (conclusiveErrors): only when every word of that error
 * is in what the page is about too. Pages of one message family share the start of the line
 * ("failed to initialize database: ...") and part ways on what follows ("file does not exist",
 * "too many clients"), and that part is the page's own. Like the marks, the pages' own words
 * decide; the page may still be suggested when nothing is conclusive.
 */
function sameConclusiveError(
  line: NormalisedLine,
  conclusive: readonly (readonly string[])[],
  pageId: string,
  stats: ReadonlyMap<string, TermStats>,
  about: AboutMatcher,
): boolean {
  return conclusive
    .filter((terms) => terms.every((term) => line.terms.includes(term)))
    .every((terms) => terms.every((term) => !stats.has(term) || about.has(term, pageId)));
}

/**
 * Whether a page can be the error a pasted error line prints, as far as the marks go. Errors of
 * one message family share most of their words ("failed to push manifest ... status code: 500
 * ... UNKNOWN" and a page's "... status code: 404 ... manifest unknown"); what sets them apart
 * is what the program marks (NormalisedLine.marks: the status, the error code, the identifier,
 * the operation). The page must hold every mark of the line in what it is about (its own error
 * lines, title, summary, operators' words); otherwise the line is another error of the family,
 * however many words it shares with the page, and makes the page a suggestion at most. Nothing
 * here is written for one page: the pages' own words decide.
 */
function sameMarks(line: NormalisedLine, pageId: string, stats: ReadonlyMap<string, TermStats>, about: AboutMatcher): boolean {
  // A mark beyond the lookup cap (lookupTerms) was never looked up and says nothing.
  return line.marks.every((mark) => !stats.has(mark) || about.has(mark, pageId));
}

/**
 * What a page is about, as the index of the query's language holds it: any word the index
 * found before ABOUT_END_WORD (the page's title, summary and operators' words in that language,
 * and its error lines). With `starts` (where ERROR_LINES_WORD is on each page), only what follows
 * it: the page's error lines. The search page carries none of these words.
 */
export function aboutInIndex(ends: ReadonlyMap<string, number>, stats: ReadonlyMap<string, TermStats>, starts?: ReadonlyMap<string, number>): AboutMatcher {
  const zonePositions = (term: string, pageId: string): number[] => {
    const end = ends.get(pageId);
    // A page without a start in `starts` has no such part of its zone.
    const start = starts ? (starts.get(pageId) ?? end) : -1;
    return end === undefined || start === undefined
      ? []
      : (stats
          .get(term)
          ?.hits.get(pageId)
          ?.positions.filter((position) => position > start && position < end) ?? []);
  };
  // The longest run of consecutive query terms that follow each other there: a phrase of what the page is about.
  const zonePhrase = (terms: readonly string[], pageId: string) => {
    let longest = 0;
    let run = 0;
    let previous: number[] = [];
    for (const term of terms) {
      const positions = zonePositions(term, pageId);
      run = positions.length === 0 ? 0 : run > 0 && adjacent(previous, positions) ? run + 1 : 1;
      longest = Math.max(longest, run);
      previous = positions;
    }
    return longest;
  };
  return {
    has: (term, pageId) => zonePositions(term, pageId).length > 0,
    phrase: zonePhrase,
  };
}

/**
 * In a question, a word that no page is about (found, if at all, only in some page's body) is
 * the asker's phrasing ("sat", "morning", "moving") and weighs like a common word. The more pages
 * there are, the likelier such a word turns up in some body; as a rare word there it would drown
 * the words the question shares with what its page is about.
 */
export function askersWords(stats: ReadonlyMap<string, TermStats>, about: AboutMatcher) {
  for (const [term, stat] of stats) {
    if (![...stat.hits.keys()].some((pageId) => about.has(term, pageId))) stat.phrasingWeight = Math.min(stat.phrasingWeight, COMMON_WEIGHT);
  }
}

/** Marker positions already looked up, per engine and per language and marker: a built index never moves them. */
const markersFound = new WeakMap<SearchEngine, Map<string, Promise<Map<string, number>>>>();

/** Where each page has a marker word in one language's index: ABOUT_END_WORD, ERROR_LINES_WORD. Looked up once per engine. */
function markerPositions(engine: SearchEngine, lang: IndexLang, marker: string): Promise<Map<string, number>> {
  const found = markersFound.get(engine) ?? new Map<string, Promise<Map<string, number>>>();
  markersFound.set(engine, found);
  const key = `${lang} ${marker}`;
  let positions = found.get(key);
  if (!positions) {
    positions = engine.search(marker, lang).then((hits) => new Map(hits.map((hit) => [hit.pageId, Math.min(...hit.positions)])));
    // A lookup that failed (an index chunk that did not load) is tried again by the next query.
    positions.catch(() => found.delete(key));
    found.set(key, positions);
  }
  return positions;
}

async function strictSearch(engine: SearchEngine, lang: IndexLang, terms: readonly string[]): Promise<string[]> {
  // One term: its own lookup is the strict search.
  if (terms.length < 2) return [];
  return [...new Set((await engine.search(terms.join(' '), lang)).map((hit) => hit.pageId))];
}

/**
 * The terms to look up, error-like lines first. Versions select pages through the
 * version filter, not as words (Pagefind reads 1.9.4 as "194"). Each lookup costs a
 * Pagefind search (1 to 2 ms), so a long paste is capped; terms left out simply do not count.
 */
function lookupTerms(query: NormalisedQuery): string[] {
  const ordered = [...query.lines.filter((line) => line.errorLike), ...query.lines.filter((line) => !line.errorLike)];
  const terms = [...new Set(ordered.flatMap((line) => line.terms))].filter((term) => !isVersionTerm(term));
  return terms.slice(0, MAX_LOOKUPS);
}

export async function runQuery(
  engine: SearchEngine,
  signatures: readonly CompiledSignature[],
  raw: string,
  nearMisses?: NearMisses,
  meaning?: MeaningLoader,
  otherProblems?: OtherProblemCheck,
  problemModel?: ProblemModelLoader,
): Promise<QueryOutcome> {
  const query = normaliseQuery(raw);
  const signatureScores = scorePages(signatures, raw);
  // A well-known other problem with no signature of ours is that problem, not the nearest page:
  // decided before the index is touched, so such a paste downloads none of it.
  const otherProblem = signatureScores.size === 0 ? await nearMisses?.otherProblem(raw) : undefined;
  if (otherProblem !== undefined) return { query, pages: [], suggestions: [], otherProblem };
  const words = lookupTerms(query);
  // A query with Chinese in it is searched in the Chinese index, whose pages also carry the
  // English error lines and technical words; an all-Latin query in the English index.
  const lang: IndexLang = words.some(isChineseTerm) ? 'zh' : 'en';
  const [stats, strict, zoneEnds, errorLinesStart] = await Promise.all([
    lookUpTerms(engine, lang, words),
    strictSearch(engine, lang, words),
    markerPositions(engine, lang, ABOUT_END_WORD),
    markerPositions(engine, lang, ERROR_LINES_WORD),
  ]);
  const about = aboutInIndex(zoneEnds, stats);
  // A program's line is one of a page's errors only as far as it matches the messages the page shows (printedLineEvidence).
  const errorLines = aboutInIndex(zoneEnds, stats, errorLinesStart);
  askersWords(stats, about);

  const candidates = new Set<string>([...signatureScores.keys(), ...strict]);
  for (const stat of stats.values()) for (const pageId of stat.hits.keys()) candidates.add(pageId);

  const conclusive = conclusiveErrors(signatures, raw);
  const evidence = new Map<string, number>();
  const share = new Map<string, number>();
  for (const pageId of candidates) {
    // A page whose own signature matched is judged by it, not by another page's error.
    const lines = query.lines.map((line) =>
      line.printed
        ? printedLineEvidence(line, pageId, stats, errorLines, signatureScores.has(pageId) ? [] : conclusive)
        : lineEvidence(line, pageId, stats, about, signatureScores.has(pageId) ? [] : conclusive),
    );
    evidence.set(pageId, Math.max(0, ...lines.map((line) => line.score)));
    share.set(pageId, Math.max(0, ...lines.map((line) => line.share)));
  }

  const byScore = (scores: Map<string, number>) =>
    [...scores]
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([id]) => id);
  const totalWeight = [...stats.values()].reduce((sum, stat) => sum + stat.weight, 0) || 1;
  const lists: RankedList<string>[] = [
    { items: byScore(signatureScores), weight: LIST_WEIGHTS.signature },
    { items: byScore(evidence), weight: LIST_WEIGHTS.evidence },
    { items: strict, weight: LIST_WEIGHTS.strict },
    ...[...stats.values()].map((stat) => ({
      items: [...stat.hits.values()].sort((a, b) => b.score - a.score).map((hit) => hit.pageId),
      weight: (LIST_WEIGHTS.terms * stat.weight) / totalWeight,
    })),
  ];
  const fused = reciprocalRankFusion(lists);

  // A page of the same message family whose notWhen rule says this is another problem
  // is out, unless its own signature matched.
  const ruledOut = nearMisses?.ruledOut(raw) ?? new Set<string>();
  const all: RankedPage[] = [...candidates]
    .map((pageId) => ({
      pageId,
      score: (fused.get(pageId) ?? 0) + EVIDENCE_SCALE * (evidence.get(pageId) ?? 0),
      evidence: evidence.get(pageId) ?? 0,
      share: share.get(pageId) ?? 0,
      signature: signatureScores.get(pageId) ?? 0,
    }))
    .sort((a, b) => b.score - a.score || a.pageId.localeCompare(b.pageId));
  const ranked = all.filter((page) => page.signature >= OVERRIDING_SIGNATURE || !ruledOut.has(page.pageId));
  // A page whose hint signature matched but whose near-miss rule holds is not the answer for
  // certain, but may be: "x509: certificate has expired" alone is the chart page's or any other.
  const hinted = all.filter((page) => page.signature > 0 && page.signature < OVERRIDING_SIGNATURE && ruledOut.has(page.pageId));
  const found = ranked.filter((page) => page.signature > 0 || page.evidence >= MIN_EVIDENCE);
  // Words alone make a page a result only if the model of how real queries are worded agrees.
  // An unconfirmed page is the first uncertain suggestion when no page is a result, and is no
  // longer listed when another page is.
  const unconfirmed = await unconfirmedByModel(problemModel, query, found);
  const pages = found.filter((page) => !unconfirmed.includes(page));
  const suggestions =
    pages.length > 0 ? [] : [...new Set([...unconfirmed, ...hinted, ...ranked.filter((page) => page.share >= SUGGESTION_SHARE)])].slice(0, MAX_SUGGESTIONS);
  // Words alone made these pages results, or suggestions: a well-known other problem, described
  // in operators' words, may explain the query as well. Then it is that problem, named, and our
  // pages are suggestions.
  const byWords = pages.length > 0 ? pages : suggestions;
  if (otherProblems && byWords.length > 0 && !byWords.some((page) => page.signature >= OVERRIDING_SIGNATURE)) {
    // An index that cannot load leaves the answer as our pages gave it.
    const describedProblem = await otherProblems(
      { query, lang, words, stats, zoneEnds, conclusive, pageCount: engine.pageCount(lang) },
      byWords,
      pages.length === 0,
    ).catch(() => undefined);
    if (describedProblem !== undefined) return { query, pages: [], suggestions: byWords.slice(0, MAX_SUGGESTIONS), describedProblem };
  }
  // Words said too little: what comes closest in meaning, loaded only now, fills the suggestions.
  if (pages.length === 0 && suggestions.length < MAX_SUGGESTIONS && meaning && query.terms.length > 0) {
    suggestions.push(...(await closestInMeaning(meaning, lang, query, suggestions, ruledOut)));
  }
  return { query, pages, suggestions };
}

/**
 * The pages among `found` that rest on words alone (no signature of weight OVERRIDING_SIGNATURE or
 * more) and that the problem model gives less than MIN_CONFIRMATION. Not asked when a signature
 * recognised a page: the paste is that page's error, and the pages after it are listed as words
 * rank them (as with the other problems, step 10), so such a paste never downloads the model.
 * A model that cannot load confirms everything, as before it existed.
 */
async function unconfirmedByModel(problemModel: ProblemModelLoader | undefined, query: NormalisedQuery, found: readonly RankedPage[]): Promise<RankedPage[]> {
  const byWords = found.filter((page) => page.signature < OVERRIDING_SIGNATURE);
  if (!problemModel || byWords.length === 0 || byWords.length < found.length) return [];
  const model = await problemModel().catch(() => undefined);
  if (!model) return [];
  const likelihood = model.probabilities(query);
  return byWords.filter((page) => (likelihood.get(page.pageId) ?? 0) < MIN_CONFIRMATION);
}

/** What the meaning fallback adds to `offered` (up to MAX_SUGGESTIONS in all), leaving out pages a near-miss rule ruled out. */
async function closestInMeaning(
  meaning: MeaningLoader,
  lang: IndexLang,
  query: NormalisedQuery,
  offered: readonly RankedPage[],
  ruledOut: ReadonlySet<string>,
): Promise<RankedPage[]> {
  // A fallback that cannot load leaves the answer as the words gave it.
  const closest = await meaning(lang).then(
    (loaded) => loaded.closest(query),
    () => [],
  );
  const taken = new Set(offered.map((page) => page.pageId));
  return closest
    .filter(({ pageId }) => !taken.has(pageId) && !ruledOut.has(pageId))
    .slice(0, MAX_SUGGESTIONS - offered.length)
    .map(({ pageId, score }) => ({ pageId, score: 0, evidence: 0, share: 0, signature: 0, meaning: score }));
}
