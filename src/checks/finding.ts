// What every check in src/checks/ returns: one line per thing it looked at, with the page
// section that explains it, so a playbook can print findings without knowing the check.

import type { PlanFinding } from '../playbook/types.ts';

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

/**
 * A finding as a playbook prints it: the check's line and where to read on. Every heading a
 * check names is a step of its page's Fix section (src/checks/sections.test.ts), so the link is
 * that section's stable anchor, with the step named after it.
 */
export function findingLine(finding: CheckFinding): string {
  return `${finding.message} (${seeSection(finding.section)})`;
}

/** Where to read on, as a finding line names it: `see /issues/<page>/#fix, "<heading>"`. */
export function seeSection(section: string): string {
  const [page, heading] = section.split(' › ');
  return `see /issues/${page}/#fix, "${heading}"`;
}

const PLAN_LEVEL = { ok: 'info', warn: 'warn', error: 'problem' } as const;

/** A finding in a playbook's plan: its printed line, with the check's own fields kept as data. */
export function planFinding(finding: CheckFinding): PlanFinding {
  return { level: PLAN_LEVEL[finding.level], message: findingLine(finding), data: { section: finding.section } };
}
