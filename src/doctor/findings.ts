/**
 * The log doctor's core: feeds log text through the shared signature matcher and
 * keeps, per known problem, the evidence an operator needs. Plain TypeScript: the
 * doctor page and the `harbor-kb doctor` CLI both run it. Memory is bounded by the
 * number of pages and signatures, never by the amount of log.
 */
import type { Signature } from '../schemas/issue.ts';
import { type CompiledSignature, compileSignatures, createChunkScanner, type MatchedLine } from '../matcher/signature-matcher.ts';
import { parseTimestamp } from './timestamps.ts';

/** What the doctor needs of a page: the signature view (lib/content/signatures.ts) that `/signatures.json` serves and the CLI loads. */
export interface DoctorPage {
  id: string;
  title?: string;
  components: readonly string[];
  playbooks: readonly string[];
  signatures: readonly Signature[];
  /** Harbor releases the problem occurs on, as in the frontmatter. */
  harbor?: { affected: readonly string[]; fixed: string | null };
}

export interface Finding {
  pageId: string;
  title?: string;
  /** Strength of evidence: the sum of the weights of the distinct signatures seen. */
  score: number;
  /** Number of lines any of the page's signatures matched. */
  lines: number;
  /** Epoch milliseconds of the earliest and latest timestamped matching line. */
  firstSeen?: number;
  lastSeen?: number;
  /** The first line of the strongest signature seen. */
  example: { text: string; source: string; line?: number };
  /** Components whose logs carried the evidence (from the signatures, else the page). */
  components: string[];
  /** Where matching lines came from: file names, containers or pods. */
  sources: string[];
  signatures: { pattern: string; weight: number; lines: number }[];
  playbooks: string[];
  harbor?: DoctorPage['harbor'];
}

export interface DoctorOptions {
  /** Epoch milliseconds: ignore matching lines timestamped earlier. Lines without a timestamp still count. */
  since?: number;
  /** Places yearless syslog timestamps in a year (default: now). */
  reference?: number;
  /** Turns a scanned line into display text (the CLI scans bytes as latin1 and shows UTF-8). */
  decode?: (line: string) => string;
}

/** Longest example line kept, in characters. */
const EXAMPLE_LIMIT = 600;

interface Evidence {
  page: DoctorPage;
  lines: number;
  firstSeen?: number;
  lastSeen?: number;
  example?: Finding['example'];
  exampleWeight: number;
  components: Set<string>;
  sources: Set<string>;
  signatureLines: Map<number, number>;
}

export function createDoctor(pages: readonly DoctorPage[], options: DoctorOptions = {}) {
  const compiled = compileSignatures(pages.map((page) => ({ id: page.id, signatures: [...page.signatures] })));
  const scanner = createChunkScanner(compiled);
  const byId = new Map(pages.map((page) => [page.id, page]));
  const evidence = new Map<string, Evidence>();
  const reference = options.reference ?? Date.now();
  const decode = options.decode ?? ((line: string) => line);

  function entryOf(page: DoctorPage): Evidence {
    let entry = evidence.get(page.id);
    if (!entry) {
      entry = { page, lines: 0, exampleWeight: 0, components: new Set(), sources: new Set(), signatureLines: new Map() };
      evidence.set(page.id, entry);
    }
    return entry;
  }

  /** What one signature's hit on a line adds: its count, its components, and the line as the example if it is the strongest yet. */
  function countHit(entry: Evidence, signature: CompiledSignature, line: string, source: string, lineNumber?: number): void {
    entry.signatureLines.set(signature.index, (entry.signatureLines.get(signature.index) ?? 0) + 1);
    for (const component of signature.component ? [signature.component] : entry.page.components) entry.components.add(component);
    if (signature.weight > entry.exampleWeight) {
      const text = decode(line);
      entry.example = { text: text.length > EXAMPLE_LIMIT ? `${text.slice(0, EXAMPLE_LIMIT)}…` : text, source, line: lineNumber };
      entry.exampleWeight = signature.weight;
    }
  }

  /** What the line adds to a page once, however many of its signatures matched it. */
  function countLine(entry: Evidence, source: string, time: number | undefined): void {
    entry.lines += 1;
    entry.sources.add(source);
    if (time === undefined) return;
    if (entry.firstSeen === undefined || time < entry.firstSeen) entry.firstSeen = time;
    if (entry.lastSeen === undefined || time > entry.lastSeen) entry.lastSeen = time;
  }

  /** Counts one matching line; false when `since` excludes it. */
  function record(match: MatchedLine, source: string, lineNumber?: number): boolean {
    const time = parseTimestamp(match.line, reference);
    if (options.since !== undefined && time !== undefined && time < options.since) return false;
    const seenPages = new Set<string>();
    for (const hit of match.hits) {
      const page = byId.get(hit.pageId);
      if (!page) continue;
      const entry = entryOf(page);
      countHit(entry, hit.signature, match.line, source, lineNumber);
      if (seenPages.has(page.id)) continue;
      seenPages.add(page.id);
      countLine(entry, source, time);
    }
    return true;
  }

  /** Scans a text of whole lines from one source. */
  function scan(text: string, source: string): void {
    for (const match of scanner(text)) record(match, source);
  }

  /** The problems found so far, strongest evidence first. */
  function findings(): Finding[] {
    return [...evidence.values()]
      .map((entry): Finding => {
        const signatures = [...entry.signatureLines].map(([index, lines]) => {
          const signature = entry.page.signatures[index] as Signature;
          return { pattern: signature.pattern, weight: signature.weight, lines };
        });
        return {
          pageId: entry.page.id,
          title: entry.page.title,
          score: signatures.reduce((sum, signature) => sum + signature.weight, 0),
          lines: entry.lines,
          firstSeen: entry.firstSeen,
          lastSeen: entry.lastSeen,
          example: entry.example as Finding['example'],
          components: [...entry.components],
          sources: [...entry.sources],
          signatures,
          playbooks: [...entry.page.playbooks],
          harbor: entry.page.harbor,
        };
      })
      .sort(byEvidence);
  }

  return { scanner, record, scan, findings };
}

/** Strongest evidence first: score, then matching lines, then the most recent. */
function byEvidence(a: Finding, b: Finding): number {
  return b.score - a.score || b.lines - a.lines || (b.lastSeen ?? 0) - (a.lastSeen ?? 0) || a.pageId.localeCompare(b.pageId);
}

const strongest = (finding: Finding) => Math.max(...finding.signatures.map((signature) => signature.weight));
const minDefined = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxDefined = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/**
 * The findings of consecutive parts of the logs (in log order) as if one doctor had read
 * them all: counts add up, first and last seen widen, and the example stays the first
 * line of the strongest signature.
 */
export function mergeFindings(parts: readonly (readonly Finding[])[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const part of parts) {
    for (const finding of part) {
      const seen = merged.get(finding.pageId);
      if (!seen) {
        merged.set(finding.pageId, { ...finding, signatures: finding.signatures.map((signature) => ({ ...signature })) });
        continue;
      }
      if (strongest(finding) > strongest(seen)) seen.example = finding.example;
      for (const signature of finding.signatures) {
        const same = seen.signatures.find((known) => known.pattern === signature.pattern);
        if (same) same.lines += signature.lines;
        else seen.signatures.push({ ...signature });
      }
      seen.score = seen.signatures.reduce((sum, signature) => sum + signature.weight, 0);
      seen.lines += finding.lines;
      seen.firstSeen = minDefined(seen.firstSeen, finding.firstSeen);
      seen.lastSeen = maxDefined(seen.lastSeen, finding.lastSeen);
      seen.components = [...new Set([...seen.components, ...finding.components])];
      seen.sources = [...new Set([...seen.sources, ...finding.sources])];
    }
  }
  return [...merged.values()].sort(byEvidence);
}

export type Doctor = ReturnType<typeof createDoctor>;

/** The command an operator runs next for a page's playbook. */
export const playbookCommand = (name: string) => `harbor-kb run ${name}`;
