// What every check in src/checks/ returns: one line per thing it looked at, with the page
// section that explains it, so a playbook can print findings without knowing the check.

export type CheckLevel = 'ok' | 'warn' | 'error';

export interface CheckFinding {
  level: CheckLevel;
  /** One line, in plain words, with the values seen. */
  message: string;
  /** Where to read on: `<page id> › <heading>`, the heading as the English page writes it. */
  section: string;
}

/** `<page id> › <heading>`. */
export const pageSection = (page: string, heading: string): string => `${page} › ${heading}`;
