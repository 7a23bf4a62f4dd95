/** Builds the search page's facts from the assembled pages, at build time. */
import { signatureView } from '../../lib/content/signatures.ts';
import { describeRange } from '../../lib/harbor/releases.ts';
import { issueHref } from '../../lib/paths.ts';
import { LANGS, type Lang, type SharedFields } from '../../schemas/issue.ts';
import type { NotWhenRule, PageFacts, SearchFacts, ShownFacts, SignatureTuple } from '../facts.ts';

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

/** The facts every search page carries: every page's signatures and near-miss rules. */
export function searchFacts(pages: readonly FactSource[]): SearchFacts {
  const ids: string[] = [];
  const signatures: SearchFacts['signatures'] = [];
  const notWhen: SearchFacts['notWhen'] = { rules: [], pages: [] };
  const ruleAt = new Map<string, number>();
  const pageCount: Partial<Record<Lang, number>> = {};
  for (const page of pages) {
    pageCount[page.lang] = (pageCount[page.lang] ?? 0) + 1;
    if (ids.includes(page.id)) continue;
    ids.push(page.id);
    notWhen.pages.push(
      page.shared.notWhen.map(({ pattern, unless }) => {
        const rule: NotWhenRule = unless === undefined ? [pattern] : [pattern, unless];
        const key = JSON.stringify(rule);
        if (!ruleAt.has(key)) ruleAt.set(key, notWhen.rules.push(rule) - 1);
        return ruleAt.get(key)!;
      }),
    );
    // Search weighs signature hits and never shows components: the page carries only what matching reads.
    signatures.push(
      // The one signature view (src/lib/content/signatures.ts), in the compact form the page carries.
      signatureView(page).signatures.map(({ pattern, weight, ignoreCase }): SignatureTuple => (ignoreCase ? [pattern, weight, true] : [pattern, weight])),
    );
  }
  const issueHrefs = Object.fromEntries(LANGS.map((lang) => [lang, issueHref('{id}', lang)])) as Record<Lang, string>;
  return { ids, signatures, notWhen, issueHref: issueHrefs, pageCount };
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
