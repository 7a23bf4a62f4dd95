/**
 * Joins canonical pages with their translations and checks what zod cannot see
 * in one file alone: ids that match file names, a page in every language, known
 * playbook names that agree with the playbooks' `remediates`, and body links that
 * cite a listed upstream source. The site (site.ts) and the CLI (node.ts) both run it.
 */
import { CANONICAL_LANG, LANGS, upstreamUrl, type CanonicalPage, type Lang, type SharedFields, type TranslationPage } from '../../schemas/issue.ts';

export interface StoredEntry<Data> {
  /** `<id>` for canonical entries, `<lang>/<id>` for translations. */
  id: string;
  data: Data;
  body?: string;
  filePath?: string;
}

export interface AssembledPage<Entry> {
  id: string;
  lang: Lang;
  title: string;
  summary: string;
  versionNote?: string;
  /** The operators' words of this language's file (`describedAs`). */
  describedAs: string[];
  shared: SharedFields;
  entry: Entry;
}

/** What the checks need of a playbook: the pages whose problem it fixes. */
export type PlaybookIndex = Readonly<Record<string, { readonly remediates: readonly string[] }>>;

export class ContentError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The knowledge-base content has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ContentError';
    this.problems = problems;
  }
}

/** URL characters only (RFC 3986), so a link ends at CJK punctuation or markdown syntax. */
const GITHUB_LINK = /https:\/\/github\.com\/[A-Za-z0-9._~:/?#@!$&*+,;=%-]+/g;

function fileOf(entry: StoredEntry<unknown>, fallback: string): string {
  return entry.filePath ?? fallback;
}

function citedButUnlisted(body: string, listed: Set<string>): string[] {
  const cited = new Set((body.match(GITHUB_LINK) ?? []).map((url) => url.replace(/[.,;:]+$/, '').replace(/#.*$/, '')));
  return [...cited].filter((url) => !listed.has(url));
}

/** A page's `playbooks:` names must be playbooks, and each must name the page in its `remediates`. */
function playbookDisagreements(file: string, id: string, listed: readonly string[], playbooks: PlaybookIndex): string[] {
  const known = Object.keys(playbooks);
  return listed.flatMap((name) => {
    const playbook = playbooks[name];
    if (!playbook) return [`${file}: field "playbooks" names "${name}", which is not a playbook (known: ${known.join(', ') || 'none'})`];
    if (!playbook.remediates.includes(id)) return [`${file}: field "playbooks" names "${name}", whose "remediates" does not name "${id}"`];
    return [];
  });
}

/** Every playbook that names a page must be listed by it (a fixture tree may leave the page out). */
function unlistedPlaybooks(byId: ReadonlyMap<string, StoredEntry<CanonicalPage>>, playbooks: PlaybookIndex): string[] {
  return Object.entries(playbooks).flatMap(([name, playbook]) =>
    playbook.remediates.flatMap((id) => {
      const page = byId.get(id);
      return page && !page.data.playbooks.includes(name)
        ? [`${fileOf(page, `${CANONICAL_LANG}/${id}.mdx`)}: playbook "${name}" remediates "${id}", but field "playbooks" does not list it`]
        : [];
    }),
  );
}

/** Translations whose language, id or canonical page is wrong, and every canonical page a language lacks. */
function translationProblems(translations: readonly StoredEntry<TranslationPage>[], byId: ReadonlyMap<string, unknown>): string[] {
  const problems: string[] = [];
  const translated = new Map<string, Set<string>>();
  for (const entry of translations) {
    const [lang, id = ''] = entry.id.split('/');
    const file = fileOf(entry, `${entry.id}.mdx`);
    if (!(LANGS as readonly string[]).includes(lang ?? '')) {
      problems.push(`${file}: "${lang}" is not a site language (${LANGS.join(', ')})`);
      continue;
    }
    if (entry.data.id !== id) problems.push(`${file}: field "id" is "${entry.data.id}" but the file is named "${id}.mdx"`);
    if (!byId.has(id)) problems.push(`${file}: translation of "${id}", but there is no ${CANONICAL_LANG}/${id}.mdx`);
    translated.set(lang ?? '', (translated.get(lang ?? '') ?? new Set()).add(id));
  }
  for (const lang of LANGS.filter((l) => l !== CANONICAL_LANG)) {
    for (const id of byId.keys()) {
      if (!translated.get(lang)?.has(id)) problems.push(`${lang}/${id}.mdx: missing; ${CANONICAL_LANG}/${id}.mdx has no ${lang} translation`);
    }
  }
  return problems;
}

export function assemblePages<C extends StoredEntry<CanonicalPage>, T extends StoredEntry<TranslationPage>>(
  canonical: C[],
  translations: T[],
  playbooks: PlaybookIndex,
): AssembledPage<C | T>[] {
  const problems: string[] = [];
  const pages: AssembledPage<C | T>[] = [];
  const byId = new Map<string, C>();

  for (const entry of canonical) {
    const file = fileOf(entry, `${CANONICAL_LANG}/${entry.id}.mdx`);
    if (entry.data.id !== entry.id) problems.push(`${file}: field "id" is "${entry.data.id}" but the file is named "${entry.id}.mdx"`);
    byId.set(entry.id, entry);
    problems.push(...playbookDisagreements(file, entry.id, entry.data.playbooks, playbooks));
  }
  problems.push(...unlistedPlaybooks(byId, playbooks), ...translationProblems(translations, byId));

  for (const entry of [...canonical, ...translations]) {
    const id = entry.data.id;
    const master = byId.get(id);
    if (!master) continue;
    const listed = new Set(master.data.upstream.map(upstreamUrl));
    for (const url of citedButUnlisted(entry.body ?? '', listed)) {
      problems.push(`${fileOf(entry, entry.id)}: links ${url}, which is not listed in "upstream" of ${CANONICAL_LANG}/${id}.mdx`);
    }
    const { status, harbor, install, components, errors, signatures, playbooks, upstream, notWhen } = master.data;
    const shared: SharedFields = { status, harbor, install, components, errors, signatures, playbooks, upstream, notWhen };
    const lang = (entry === master ? CANONICAL_LANG : entry.id.split('/')[0]) as Lang;
    if ((entry.data.versionNote === undefined) !== (master.data.versionNote === undefined)) {
      problems.push(`${fileOf(entry, entry.id)}: field "versionNote" must be in every language of "${id}" or in none`);
    }
    const versionNote = entry.data.versionNote;
    pages.push({
      id,
      lang,
      title: entry.data.title,
      summary: entry.data.summary,
      ...(versionNote ? { versionNote } : {}),
      describedAs: entry.data.describedAs,
      shared,
      entry,
    });
  }

  if (problems.length > 0) throw new ContentError(problems);
  return pages.sort((a, b) => a.id.localeCompare(b.id) || a.lang.localeCompare(b.lang));
}
