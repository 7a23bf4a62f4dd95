import { LANGS, type Lang } from '../schemas/issue.ts';
import { stringsOf } from './index.ts';

/** The authored sections of a page body, in order; each language's heading is its `section.*` string. */
export const AUTHORED_SECTIONS = ['symptom', 'cause', 'fix', 'prevention'] as const;
export type AuthoredSection = (typeof AUTHORED_SECTIONS)[number];

export const SECTION_HEADINGS = Object.fromEntries(LANGS.map((lang) => [lang, stringsOf(lang, 'section')])) as Record<Lang, Record<AuthoredSection, string>>;
