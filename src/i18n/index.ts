/**
 * The site's one translation system: `useTranslations(lang)` gives `t(key, values?)`
 * over the namespaced keys of en.ts, translated in zh.ts. Build-time code calls `t`;
 * browser scripts get the strings they need as JSON in their page (`stringsOf`), so
 * no script carries a string table of either language.
 */
import type { Lang } from '../schemas/issue.ts';
import { en, type UiStrings } from './en.ts';
import { zh } from './zh.ts';

export type UiKey = keyof typeof en;
export type { UiStrings };

export const STRINGS: Record<Lang, UiStrings> = { en, zh };

/** The html `lang` attribute for each site language. */
export const HTML_LANG: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };

/** `{name}` placeholders filled from `values`. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function useTranslations(lang: Lang) {
  const strings = STRINGS[lang];
  return (key: UiKey, values?: Readonly<Record<string, string | number>>): string => (values ? fill(strings[key], values) : strings[key]);
}

/** The keys under `namespace.`, without the prefix. */
export type KeysOf<Namespace extends string> = UiKey extends infer K
  ? K extends `${Namespace}.${infer Rest}`
    ? Rest extends `${string}.${string}`
      ? never
      : Rest
    : never
  : never;

/** A namespace's strings of one language, by short key, in the order of en.ts: what a page hands its script. */
export function stringsOf<Namespace extends string>(lang: Lang, namespace: Namespace): Record<KeysOf<Namespace>, string> {
  const prefix = `${namespace}.`;
  const keys = (Object.keys(en) as UiKey[]).filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('.'));
  return Object.fromEntries(keys.map((key) => [key.slice(prefix.length), STRINGS[lang][key]])) as Record<KeysOf<Namespace>, string>;
}
