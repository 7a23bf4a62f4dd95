/**
 * The search page in the browser: reads the query and filters from the URL, runs
 * the pipeline, renders the ranked results (or no match), and keeps the URL in step
 * with the query submitted. Keyboard: Enter searches, ArrowDown from the query moves into the
 * results, ArrowUp/ArrowDown/Home/End move between them, Escape returns to the query.
 */
import { compileSignatures } from '../matcher/signature-matcher.ts';
import type { Lang } from '../schemas/issue.ts';
import {
  FILTER_FACTS_HREF,
  notWhenOfPages,
  pageHref,
  SEARCH_FACTS_URL,
  searchFactsFrom,
  shownFactsHref,
  signaturesOf,
  type PageFacts,
  type SearchFacts,
  type ShownFacts,
} from './facts.ts';
import { filtersFromParams, hasFilters, pageMatchesFilters, versionsOfQuery, type SearchFilters, type VersionCheck } from './filters.ts';
import { fetchJson } from './fetched.ts';
import { fetchGzipped } from './gzipped.ts';
import { bestLine, hasMarks, markTerms, type Segment } from './highlight.ts';
import { loadedOnce, loadedOncePerKey } from './loaded-once.ts';
import { nearMisses } from './near-misses.ts';
import { fetchOtherProblemPatterns, OTHER_PROBLEMS_URL, type OtherProblem } from './other-problems.ts';
import { DESCRIBED_PROBLEMS_URL, OTHER_PROBLEMS_BUNDLE, type DescribedProblem } from './other-problems-described.ts';
import { pagefindEngine } from './pagefind-engine.ts';
import type { ProblemModelLoader } from './problem-model.ts';
import { runQuery, type MeaningLoader, type OtherProblemCheck, type QueryOutcome, type RankedPage, type SearchEngine } from './pipeline.ts';
import type { SearchScriptText } from '../i18n/script-strings.ts';

interface Shown {
  id: string;
  facts: ShownFacts;
  ranked?: RankedPage;
}

/** Why nothing conclusive was found, with what to offer instead. */
interface NoMatch {
  reason: string;
  /** Closest pages, rendered as a[data-suggestion] (uncertain), never a[data-result]. */
  suggestions?: Shown[];
  /** A well-known problem we have no page for: what it is and where it is discussed. */
  otherProblem?: Pick<OtherProblem, 'what' | 'source'>;
}

/** The longest a submitted query's address waits for its results (search-page.ts `submit`). */
const ADDRESS_WAIT_MS = 1000;

/** What the search page fetches of the described problems when one is the answer. */
type DescribedProblems = Record<string, Pick<DescribedProblem, 'what' | 'source'>>;

function required<T extends Element>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`search page is missing ${selector}`);
  return element;
}

/** What searching needs of the facts, built once they have arrived. */
function searchTools(facts: SearchFacts) {
  const engine = pagefindEngine('/pagefind/', { en: facts.pageCount.en ?? 0, zh: facts.pageCount.zh ?? 0 });
  // The other problems' index and the code that weighs it, fetched only when words alone made pages results.
  let describedEngine: SearchEngine | undefined;
  const otherProblemCheck: OtherProblemCheck = (words, results, suggested) =>
    import('./described-problems.ts').then((module) =>
      module.explainedElsewhere((describedEngine ??= module.mergedBundleEngine(engine, OTHER_PROBLEMS_BUNDLE)), words, results, suggested),
    );
  return {
    facts,
    engine,
    signatures: compileSignatures(signaturesOf(facts)),
    nearMiss: nearMisses(notWhenOfPages(facts), fetchOtherProblemPatterns),
    otherProblemCheck,
  };
}

export function startSearchPage() {
  // First of all: the facts travel while the rest of the page is set up (the page preloads them).
  const toolsReady = loadedOnce(() => fetchGzipped(SEARCH_FACTS_URL).then(searchFactsFrom).then(searchTools));
  void toolsReady();
  const textScript = required<HTMLScriptElement>('[data-search-text]');
  const lang = textScript.dataset.lang as Lang;
  const otherSearchHref = textScript.dataset.otherSearch ?? '';
  const t = JSON.parse(textScript.textContent ?? '{}') as SearchScriptText;
  // What a named other problem shows, fetched only when one is named: no other search pays for it.
  const otherProblems = loadedOnce(() => fetchJson<OtherProblem[]>(OTHER_PROBLEMS_URL));
  const describedProblems = loadedOnce(() => fetchJson<DescribedProblems>(DESCRIBED_PROBLEMS_URL));
  const resultCount = (n: number) => (n === 1 ? t.resultOne : t.resultMany.replace('{n}', String(n)));
  const form = required<HTMLFormElement>('[data-search-form]');
  const queryBox = required<HTMLTextAreaElement>('#search-query');
  const section = required<HTMLElement>('[data-search-results]');
  const status = required<HTMLElement>('[data-search-status]');
  const list = required<HTMLOListElement>('[data-result-list]');
  const resultTemplate = required<HTMLTemplateElement>('[data-result-template]');
  const noMatchTemplate = required<HTMLTemplateElement>('[data-no-match-template]');
  const languageSwitch = document.querySelector<HTMLAnchorElement>('[data-language-switch]');

  // What a result shows is fetched for the pages shown, once each (facts.ts ShownFacts).
  const fetchShown = loadedOncePerKey((id: string) => fetchJson<ShownFacts>(shownFactsHref(lang, id)));
  const showing = (entries: readonly { id: string; ranked?: RankedPage }[]): Promise<Shown[]> =>
    Promise.all(entries.map(async ({ id, ranked }) => ({ id, facts: await fetchShown(id), ranked })));
  // A separate chunk and data file, fetched only when no page is conclusive (meaning.ts).
  const meaning: MeaningLoader = (indexLang) => import('./meaning.ts').then((module) => module.meaningIn(indexLang));
  // Likewise the model that confirms results resting on words alone (problem-model.ts).
  const problemModel: ProblemModelLoader = () => import('./problem-model.ts').then((module) => module.loadProblemModel());
  let searchId = 0;

  function fill(target: Element, segments: readonly Segment[]) {
    for (const segment of segments) {
      const node = segment.mark ? document.createElement('mark') : document.createTextNode(segment.text);
      if (segment.mark) node.textContent = segment.text;
      target.append(node);
    }
  }

  function renderResult(facts: SearchFacts, shown: Shown, terms: readonly string[], uncertain = false): HTMLLIElement {
    const item = (resultTemplate.content.firstElementChild as HTMLLIElement).cloneNode(true) as HTMLLIElement;
    const link = item.querySelector<HTMLAnchorElement>('[data-result]')!;
    const { title, summary } = shown.facts;
    link.href = pageHref(facts, lang, shown.id);
    // a[data-result] means "this is your problem"; a page offered without that certainty is a[data-suggestion].
    if (uncertain) {
      link.removeAttribute('data-result');
      link.dataset.suggestion = shown.id;
    } else {
      link.dataset.result = shown.id;
    }
    item.querySelector<HTMLElement>('[data-result-uncertain]')!.hidden = !uncertain;
    item.querySelector('[data-result-title]')!.textContent = title;
    const badge = item.querySelector<HTMLElement>('[data-result-status]')!;
    badge.dataset.status = shown.facts.status;
    badge.textContent = t.statusLabels[shown.facts.status];
    item.querySelector('[data-result-versions]')!.textContent = `${t.harbor} ${shown.facts.versions.join(', ')}`;
    item.querySelector<HTMLElement>('[data-result-signature]')!.hidden = !shown.ranked?.signature;
    // The error line the query matched, marked; when none did (a question in other words,
    // or in Chinese), the summary in the reader's language with the query's words marked.
    const errorLine = bestLine(shown.facts.errors, terms);
    const aboutSummary = markTerms(summary, terms);
    const showSummary = !hasMarks(errorLine) && hasMarks(aboutSummary);
    fill(item.querySelector('[data-result-error]')!, showSummary ? [] : errorLine);
    fill(item.querySelector('[data-result-summary]')!, showSummary ? aboutSummary : []);
    item.querySelector<HTMLElement>('.error-line')!.hidden = showSummary;
    item.querySelector<HTMLElement>('[data-result-summary]')!.hidden = !showSummary;
    return item;
  }

  function render(facts: SearchFacts, shown: Shown[], terms: readonly string[], noMatch: NoMatch | undefined, announce: string) {
    list.replaceChildren(...shown.map((entry) => renderResult(facts, entry, terms)));
    section.querySelector('[data-no-match]')?.remove();
    if (noMatch !== undefined) {
      const block = noMatchTemplate.content.firstElementChild!.cloneNode(true) as HTMLElement;
      block.querySelector('[data-no-match-reason]')!.textContent = noMatch.reason;
      const suggestions = block.querySelector<HTMLOListElement>('[data-suggestion-list]')!;
      suggestions.append(...(noMatch.suggestions ?? []).map((entry) => renderResult(facts, entry, terms, true)));
      suggestions.hidden = suggestions.childElementCount === 0;
      const other = block.querySelector<HTMLElement>('[data-other-problem]')!;
      if (noMatch.otherProblem) other.querySelector<HTMLAnchorElement>('[data-other-problem-source]')!.href = noMatch.otherProblem.source;
      other.hidden = !noMatch.otherProblem;
      list.after(block);
    }
    status.textContent = announce;
    section.setAttribute('data-search-done', '');
  }

  const versionTools = loadedOnce(() => import('./version-filter.ts'));
  const filterFacts = loadedOnce(() => fetchJson<PageFacts[]>(FILTER_FACTS_HREF).then((pages) => new Map(pages.map((page) => [page.id, page]))));
  /** Which page ids the filters let through; what they read is fetched only when one is set. */
  async function filterTest(filters: SearchFilters): Promise<(id: string) => boolean> {
    if (!hasFilters(filters)) return () => true;
    let wanted = filters;
    let check: VersionCheck = () => true;
    if (filters.versions.length > 0) {
      const tools = await versionTools();
      wanted = { ...filters, versions: tools.usableVersions(filters.versions) };
      check = tools.versionAffected;
    }
    const pages = await filterFacts();
    return (id) => {
      const page = pages.get(id);
      return page !== undefined && pageMatchesFilters(page, wanted, check);
    };
  }

  async function search(id: number) {
    const raw = queryBox.value;
    const chosen = filtersFromParams(formParams());
    const asked = versionsOfQuery(raw);
    const filters = asked ? { ...chosen, versions: [...chosen.versions, ...asked] } : chosen;
    const words = raw.trim() !== '' && !asked;
    if (words) status.textContent = t.searching;
    const matching = filterTest(filters);
    const { facts, engine, signatures, nearMiss, otherProblemCheck } = await toolsReady();
    const [matches, outcome] = await Promise.all([
      matching,
      words ? runQuery(engine, signatures, raw, nearMiss, meaning, otherProblemCheck, problemModel) : undefined,
    ]);
    if (id !== searchId) return;
    if (!outcome) return listFiltered(id, facts, filters, matches);
    const shownOf = (ranked: readonly RankedPage[]) =>
      showing(ranked.filter((entry) => matches(entry.pageId)).map((entry) => ({ id: entry.pageId, ranked: entry })));
    const shown = await shownOf(outcome.pages);
    const noMatch = shown.length > 0 ? undefined : await noMatchOf(outcome, await shownOf(outcome.suggestions));
    if (id !== searchId) return;
    render(facts, shown, outcome.query.terms, noMatch, noMatch ? noMatch.reason : resultCount(shown.length));
  }

  /** No words to search: the filters (and versions typed as the query) list the pages they select. */
  async function listFiltered(id: number, facts: SearchFacts, filters: SearchFilters, matches: (pageId: string) => boolean) {
    if (!hasFilters(filters)) return render(facts, [], [], undefined, t.empty);
    const pages = await showing(facts.ids.filter(matches).map((pageId) => ({ id: pageId })));
    if (id !== searchId) return;
    render(facts, pages, [], pages.length ? undefined : { reason: t.noMatchFiltered }, resultCount(pages.length));
  }

  async function noMatchOf(outcome: QueryOutcome, suggestions: Shown[]): Promise<NoMatch> {
    // A problem whose text cannot be fetched is not named; the search still ends with what it has.
    if (outcome.otherProblem !== undefined) {
      const problem = (await otherProblems().catch(() => undefined))?.[outcome.otherProblem];
      if (problem) return { reason: t.otherProblem.replace('{what}', problem.what[lang]), otherProblem: problem };
    }
    if (outcome.describedProblem !== undefined) {
      const problem = (await describedProblems().catch(() => undefined))?.[outcome.describedProblem];
      // Our closest pages stay on offer, marked uncertain.
      if (problem) return { reason: t.otherProblem.replace('{what}', problem.what[lang]), otherProblem: problem, suggestions };
    }
    if (outcome.pages.length > 0) return { reason: t.noMatchFiltered };
    if (suggestions.length > 0) return { reason: t.noMatchSuggestions, suggestions };
    return { reason: t.noMatch };
  }

  async function run() {
    const id = ++searchId;
    section.removeAttribute('data-search-done');
    try {
      await search(id);
    } catch (error) {
      // The index could not be loaded or read: say so rather than leave the page waiting.
      if (id !== searchId) return;
      list.replaceChildren();
      section.querySelector('[data-no-match]')?.remove();
      status.textContent = `${t.failed} (${(error as Error).message})`;
      section.setAttribute('data-search-done', '');
    }
  }

  function formParams(): URLSearchParams {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') params.append(name, value);
    return params;
  }

  /** Points the language switch at the submitted query at once; returns what puts it in the address. */
  function linksFor(submitted: URLSearchParams) {
    const query = submitted.toString();
    if (languageSwitch) languageSwitch.href = `${otherSearchHref}${query ? `?${query}` : ''}`;
    return () => history.replaceState(null, '', query ? `?${query}` : location.pathname);
  }

  let pendingAddress: ReturnType<typeof setTimeout> | undefined;

  function submit() {
    // The address is the query as submitted, and follows once its results are rendered (or after
    // ADDRESS_WAIT_MS, should the search hang): replacing it is a same-document navigation, which
    // costs Chromium tens of milliseconds on the main thread (the session entry, the page's icon
    // fetched and parsed again), and the reader is waiting for the results, not the address. A
    // newer submit takes the address over. The language switch follows at once (it costs nothing).
    const replaceAddress = linksFor(formParams());
    clearTimeout(pendingAddress);
    // Whichever comes first, once: the results, or the wait running out.
    const replaceOnce = () => {
      if (pendingAddress !== timer) return;
      clearTimeout(timer);
      pendingAddress = undefined;
      replaceAddress();
    };
    const timer = setTimeout(replaceOnce, ADDRESS_WAIT_MS);
    pendingAddress = timer;
    void run().finally(replaceOnce);
  }

  function fillForm(params: URLSearchParams) {
    queryBox.value = params.get('q') ?? '';
    const filters = filtersFromParams(params);
    form.querySelector<HTMLInputElement>('[data-filter-version]')!.value = filters.versions.join(', ');
    for (const box of form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
      box.checked = (box.name === 'install' ? filters.install : filters.components).includes(box.value);
    }
  }

  // Arrows walk the results, or the suggestions when there are none.
  const results = () => [...section.querySelectorAll<HTMLAnchorElement>('a[data-result], a[data-suggestion]')];

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  form.addEventListener('change', (event) => {
    if (event.target !== queryBox) submit();
  });
  queryBox.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'ArrowDown' && queryBox.selectionStart === queryBox.value.length && results().length > 0) {
      event.preventDefault();
      results()[0]!.focus();
    }
  });
  section.addEventListener('keydown', (event) => {
    const links = results();
    const current = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (current < 0) return;
    const next = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: links.length - 1 }[event.key];
    if (event.key === 'Escape' || (event.key === 'ArrowUp' && current === 0)) {
      event.preventDefault();
      queryBox.focus();
    } else if (next !== undefined && links[next]) {
      event.preventDefault();
      links[next].focus();
    }
  });

  fillForm(new URLSearchParams(location.search));
  linksFor(formParams())();
  void run();
}
