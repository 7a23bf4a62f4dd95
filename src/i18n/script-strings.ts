/**
 * The strings a page hands its browser script as JSON, in the page's language only:
 * the shapes the scripts read (types only, so a script imports no string) and how a
 * page builds them from the translation system.
 */
import type { Lang, Status } from '../schemas/issue.ts';
import { stringsOf, type KeysOf } from './index.ts';

/** What the search page's script writes into the page. */
export type SearchScriptText = Record<KeysOf<'search.script'>, string> & { statusLabels: Record<Status, string> };

export function searchScriptText(lang: Lang): SearchScriptText {
  return { ...stringsOf(lang, 'search.script'), statusLabels: stringsOf(lang, 'status') };
}

/** What the log doctor page's script writes: its own strings and how an issue page names versions. */
export type DoctorStrings = Record<KeysOf<'doctor'>, string> & Record<'harborVersions' | 'fixedIn' | 'notFixed', string>;

export function doctorStrings(lang: Lang): DoctorStrings {
  const { harborVersions, fixedIn, notFixed } = stringsOf(lang, 'page');
  return { ...stringsOf(lang, 'doctor'), harborVersions, fixedIn, notFixed };
}
