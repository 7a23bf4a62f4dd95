/** Builds the search page's facts from the assembled pages, at build time. */
import { describeRange } from '../lib/harbor/releases.ts';
import { issueHref } from '../lib/paths.ts';
import type { PageSignatures } from '../matcher/signature-matcher.ts';
import { LANGS, type Lang, type SharedFields } from '../schemas/issue.ts';
import type { NotWhenRule, PageFacts, SearchFacts } from './facts.ts';

export interface FactSource {
  id: string;
  lang: Lang;
  title: string;
  summary: string;
  shared: SharedFields;
}

/** The facts the search page of `lang` carries: every page, its text in that language (see PageFacts.title). */
export function searchFacts(pages: readonly FactSource[], lang: Lang): SearchFacts {
  const byId = new Map<string, PageFacts>();
  const signatures: PageSignatures[] = [];
  const notWhen: SearchFacts['notWhen'] = { rules: [], pages: {} };
  const ruleAt = new Map<string, number>();
  const pageCount: Partial<Record<Lang, number>> = {};
  for (const page of pages) {
    pageCount[page.lang] = (pageCount[page.lang] ?? 0) + 1;
    let facts = byId.get(page.id);
    if (!facts) {
      facts = {
        id: page.id,
        title: {},
        versions: page.shared.harbor.affected.map(describeRange),
        status: page.shared.status,
        affected: page.shared.harbor.affected,
        install: page.shared.install,
        components: page.shared.components,
        errors: page.shared.errors.filter((error) => !error.paraphrase).map((error) => error.text),
        summary: {},
      };
      const phrasings = page.shared.errors.filter((error) => error.paraphrase).map((error) => error.text);
      if (phrasings.length > 0) facts.phrasings = phrasings;
      byId.set(page.id, facts);
      notWhen.pages[page.id] = page.shared.notWhen.map(({ pattern, unless }) => {
        const rule: NotWhenRule = unless === undefined ? [pattern] : [pattern, unless];
        const key = JSON.stringify(rule);
        if (!ruleAt.has(key)) ruleAt.set(key, notWhen.rules.push(rule) - 1);
        return ruleAt.get(key)!;
      });
      // Search weighs signature hits and never shows components: the page carries only what matching reads.
      signatures.push({ id: page.id, signatures: page.shared.signatures.map(({ pattern, weight, ignoreCase }) => (ignoreCase ? { pattern, weight, ignoreCase } : { pattern, weight })) });
    }
    if (page.lang !== lang) continue;
    facts.title[page.lang] = page.title;
    facts.summary[page.lang] = page.summary;
  }
  const issueHrefs = Object.fromEntries(LANGS.map((lang) => [lang, issueHref('{id}', lang)])) as Record<Lang, string>;
  return { pages: [...byId.values()], signatures, notWhen, issueHref: issueHrefs, pageCount };
}

