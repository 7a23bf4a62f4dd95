import { AUTHORED_SECTIONS, LANGS, type AuthoredSection, type Lang } from '../schemas/issue.ts';
import { stringsOf } from './index.ts';

export { AUTHORED_SECTIONS, type AuthoredSection };

export const SECTION_HEADINGS = Object.fromEntries(LANGS.map((lang) => [lang, stringsOf(lang, 'section')])) as Record<Lang, Record<AuthoredSection, string>>;
