/** Builds the search page's facts from the assembled pages, at build time. */
import { signatureView } from '../../lib/content/signatures.ts';
import { describeRange } from '../../lib/harbor/releases.ts';
import { issueHref } from '../../lib/paths.ts';
import { LANGS, type Lang, type SharedFields } from '../../schemas/issue.ts';
import {
  POSITION_WIDTH,
  RULE_SEPARATOR,
  SEPARATOR,
  signatureText,
  UNLESS_MARK,
  type CompactNotWhen,
  type PageFacts,
  type SearchFacts,
  type ShownFacts,
} from '../facts.ts';

export interface FactSource {
  id: string;
  lang: Lang;
  title: string;
  summary: string;
  shared: SharedFields;
}

/** What the filters read of every page (PageFacts). */
export function filterFacts(pages: readonly FactSource[]): PageFacts[] {
  const byId = new Map<string, PageFacts>();
  for (const page of pages)
    byId.set(page.id, { id: page.id, affected: page.shared.harbor.affected, install: page.shared.install, components: page.shared.components });
  return [...byId.values()];
}

/** A pattern's top-level alternatives: split at each `|` outside a group, a character class and an escape. */
export function topLevelAlternatives(pattern: string): string[] {
  const alternatives = [''];
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    // An escaped character stands for itself: keep it with its backslash and skip it.
    const piece = char === '\\' ? pattern.slice(i, i + 2) : char;
    if (char === '\\') i += 1;
    if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) {
      alternatives.push('');
      continue;
    }
    alternatives[alternatives.length - 1] += piece;
  }
  return alternatives;
}

/** Joins texts by SEPARATOR, refusing one that holds it (the search page could not split them again). */
function joined(texts: readonly string[], what: string): string {
  const bad = texts.find((text) => text.includes(SEPARATOR));
  if (bad !== undefined) throw new Error(`${what} ${JSON.stringify(bad)}: the search page cannot carry ${SEPARATOR}`);
  return texts.join(SEPARATOR);
}

/** Collects near-miss rules into the compact form the search page carries (CompactNotWhen). */
function notWhenCompactor() {
  const pages: string[] = [];
  const alternatives: string[] = [];
  const alternativeAt = new Map<string, number>();
  const positions = (pattern: string) =>
    topLevelAlternatives(pattern)
      .map((alternative) => {
        if (!alternativeAt.has(alternative)) alternativeAt.set(alternative, alternatives.push(alternative) - 1);
        const position = alternativeAt.get(alternative) ?? 0;
        if (position >= 36 ** POSITION_WIDTH) throw new Error(`more than ${36 ** POSITION_WIDTH} distinct notWhen alternatives: widen POSITION_WIDTH`);
        return position.toString(36).padStart(POSITION_WIDTH, '0');
      })
      .join('');
  return {
    addPage(rules: readonly { pattern: string; unless?: string }[]) {
      pages.push(
        rules
          .map(({ pattern, unless }) => (unless === undefined ? positions(pattern) : `${positions(pattern)}${UNLESS_MARK}${positions(unless)}`))
          .join(RULE_SEPARATOR),
      );
    },
    done: (): CompactNotWhen => ({ alternatives: joined(alternatives, 'notWhen alternative'), pages }),
  };
}

/** The facts every search page carries: every page's signatures and near-miss rules. */
export function searchFacts(pages: readonly FactSource[]): SearchFacts {
  const ids: string[] = [];
  const signatures: SearchFacts['signatures'] = [];
  const notWhen = notWhenCompactor();
  const pageCount: Partial<Record<Lang, number>> = {};
  for (const page of pages) {
    pageCount[page.lang] = (pageCount[page.lang] ?? 0) + 1;
    if (ids.includes(page.id)) continue;
    ids.push(page.id);
    notWhen.addPage(page.shared.notWhen);
    // Search weighs signature hits and never shows components: the page carries only what matching
    // reads, of the one signature view (src/lib/content/signatures.ts).
    signatures.push(joined(signatureView(page).signatures.map(signatureText), 'signature'));
  }
  const issueHrefs = Object.fromEntries(LANGS.map((lang) => [lang, issueHref('{id}', lang)])) as Record<Lang, string>;
  return { ids, signatures, notWhen: notWhen.done(), issueHref: issueHrefs, pageCount };
}

/** What a result shows of one page in its language (a paraphrase is never shown as an error line). */
export function shownFacts(page: FactSource): ShownFacts {
  return {
    title: page.title,
    summary: page.summary,
    versions: page.shared.harbor.affected.map(describeRange),
    status: page.shared.status,
    errors: page.shared.errors.filter((error) => !error.paraphrase).map((error) => error.text),
  };
}
