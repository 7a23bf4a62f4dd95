import type { Lang } from '../schemas/issue.ts';

/** The authored sections of a page body, in order, with the heading each language uses. */
export const AUTHORED_SECTIONS = ['symptom', 'cause', 'fix', 'prevention'] as const;
export type AuthoredSection = (typeof AUTHORED_SECTIONS)[number];

export const SECTION_HEADINGS: Record<Lang, Record<AuthoredSection, string>> = {
  en: { symptom: 'Symptom', cause: 'Cause', fix: 'Fix', prevention: 'Prevention' },
  zh: { symptom: '症状', cause: '原因', fix: '解决方法', prevention: '预防' },
};
