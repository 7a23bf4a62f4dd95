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

/** The worst level among findings ('ok' when there are none). */
export function worstLevel(findings: readonly CheckFinding[]): CheckLevel {
  if (findings.some((finding) => finding.level === 'error')) return 'error';
  return findings.some((finding) => finding.level === 'warn') ? 'warn' : 'ok';
}
