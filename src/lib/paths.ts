import { CANONICAL_LANG, type Lang } from '../schemas/issue.ts';

/** URL prefix of a language: the canonical language lives at the site root. */
export function langPrefix(lang: Lang): string {
  return lang === CANONICAL_LANG ? '' : `/${lang}`;
}

export const homeHref = (lang: Lang) => `${langPrefix(lang)}/`;
export const issueHref = (id: string, lang: Lang) => `${langPrefix(lang)}/issues/${id}/`;
export const searchHref = (lang: Lang) => `${langPrefix(lang)}/search/`;
export const doctorHref = (lang: Lang) => `${langPrefix(lang)}/doctor/`;

/** Astro rest parameter for a language: undefined for the root language. */
export const langParam = (lang: Lang) => (lang === CANONICAL_LANG ? undefined : lang);
