/**
 * The site's interface strings in English, the source language: every key the site
 * uses is here, namespaced by where it shows (site, search, filter, page, doctor,
 * playbook) or by the frontmatter enum it labels (status, install, source).
 * Page content lives in content/; the other languages translate these keys (zh.ts).
 */
import type { AuthoredSection, Component, ErrorSource, InstallMethod, Status } from '../schemas/issue.ts';

/** One key per authored section and per value of the schema's enums; sources that are components are shown as they are. */
type EnumLabelKeys = `section.${AuthoredSection}` | `status.${Status}` | `install.${InstallMethod}` | `source.${Exclude<ErrorSource, Component>}`;

export const en = {
  // The frame of every page
  'site.name': 'harbor-kb',
  'site.tagline': 'Harbor troubleshooting: paste the error, find the cause, run the fix safely.',
  'site.skipToContent': 'Skip to content',
  'site.languageSwitch': '中文',
  'site.languageSwitchLabel': 'Read this page in Chinese',
  'site.doctorNav': 'Log doctor',
  'search.boxLabel': 'Search the knowledge base',
  'search.boxPlaceholder': 'Paste an error line or describe the problem',
  'search.boxButton': 'Search',

  // The home page and its filters
  'home.allProblems': 'Known problems',
  'filter.version': 'Your Harbor version',
  'filter.versionHint': 'e.g. 1.9.4',
  'filter.install': 'Install method',
  'filter.any': 'Any',
  'filter.noMatch': 'No known problem matches these filters.',

  // The search page's filters
  'filter.heading': 'Filters',
  'filter.versions': 'Harbor version(s)',
  'filter.versionsHint': 'e.g. 1.9.4, 1.8',
  'filter.component': 'Component',

  // An issue page
  'page.environment': 'Environment',
  'page.errorMessages': 'Error messages',
  'page.describedAs': 'Also described as',
  'page.references': 'References',
  'page.harborVersions': 'Affected Harbor versions',
  'page.fixedIn': 'Fixed in',
  'page.notFixed': 'not fixed upstream',
  'page.installMethod': 'Install method',
  'page.components': 'Components',
  'page.status': 'Status',
  'page.seenIn': 'Seen in',
  'page.paraphraseOf': 'How people quote an error of {source}, not a line Harbor prints',
  'page.versionNote': 'Note',

  // The search page
  'search.pageTitle': 'Search',
  'search.queryLabel': 'Paste an error or describe the problem',
  'search.queryHint': 'Enter searches; Shift+Enter adds a line. Paste whole log excerpts: timestamps, ids and addresses are ignored.',
  'search.submit': 'Search',
  'search.results': 'Results',
  'search.needsScript': 'Search runs in your browser and needs JavaScript.',
  'search.noMatchHelp': 'Try the line that carries the error message itself, or browse every known problem on the home page.',
  'search.browseAll': 'Browse all known problems',
  'search.uncertain': 'Uncertain match',
  'search.otherProblemSource': 'Where this problem is discussed',
  'search.homeHint':
    'Paste a whole error or log excerpt into the search box (press / to get there): timestamps, ids and addresses are ignored, and every line counts.',
  'search.homeHintLink': 'Open the search page',
  'search.signatureHit': 'Your paste matches this problem’s log signature',

  // What the search script writes into the page (travels in the page as JSON)
  'search.script.searching': 'Searching…',
  'search.script.failed': 'Search could not load its index',
  'search.script.resultOne': '1 matching problem',
  'search.script.resultMany': '{n} matching problems',
  'search.script.empty': 'Type or paste an error to search the known problems.',
  'search.script.noMatch': 'No known problem matches this error.',
  'search.script.noMatchFiltered': 'No known problem matches this error with the filters you chose; try removing a filter.',
  'search.script.noMatchSuggestions': 'No known problem matches this for certain. These pages come closest; check that their symptoms are yours:',
  'search.script.otherProblem': 'This looks like another Harbor problem, which this knowledge base has no page for: {what}.',
  'search.script.harbor': 'Harbor',

  // The log doctor page; {placeholders} are filled in the page
  'doctor.title': 'Log doctor',
  'doctor.description': 'Find known Harbor problems in core, jobservice and registry logs.',
  'doctor.intro':
    'Paste Harbor logs or open log files (plain or .gz): the doctor lists the known problems they show, strongest evidence first, with the page to read and the playbook to run.',
  'doctor.privacy': 'Your logs never leave this browser: they are read and matched in this page, and nothing is uploaded.',
  'doctor.needsScript':
    'The log doctor runs in your browser and needs JavaScript. With JavaScript off it checks nothing, and nothing you paste here is sent anywhere.',
  'doctor.pasteLabel': 'Log text',
  'doctor.pastePlaceholder': 'Paste core.log, jobservice.log, registry.log or kubectl logs output here',
  'doctor.analyse': 'Check pasted text',
  'doctor.filesLabel': 'Log files (plain or .gz)',
  'doctor.dropHint': 'or drop log files on this box',
  'doctor.clear': 'Clear',
  'doctor.reading': 'Reading {source}: {size} read',
  'doctor.done': '{lines} lines ({size}) from {sources} checked.',
  'doctor.noMatch': 'No known Harbor problem found in these logs.',
  'doctor.failed': 'Could not read {source}: {reason}',
  'doctor.found': 'Problems found',
  'doctor.evidence': 'Evidence {score}',
  'doctor.lines': '{n} matching lines',
  'doctor.firstSeen': 'First seen',
  'doctor.lastSeen': 'Last seen',
  'doctor.noTime': 'no timestamp',
  'doctor.component': 'Component',
  'doctor.example': 'Example',
  'doctor.nextStep': 'Next step',
  'doctor.noPlaybook': 'Read the page: no playbook for this problem yet.',
  'doctor.showLine': 'Show line {line} of {source}',
  'doctor.logView': 'Log',
  'doctor.logViewLabel': 'Log lines; matching lines are highlighted',
  'doctor.previousMatch': 'Previous match',
  'doctor.nextMatch': 'Next match',
  'doctor.matchPosition': 'Match {i} of {n}: line {line} of {source}',

  // The Playbook section of an issue page
  'playbook.heading': 'Playbook',
  'playbook.changes': 'Changes Harbor: dry-run unless --apply, backs up first, asks before applying',
  'playbook.readOnly': 'Changes nothing in Harbor',
  'playbook.targets': 'Targets',
  'playbook.option': 'Option',
  'playbook.description': 'What it does',
  'playbook.default': 'Default',
  'playbook.required': 'required',
  'playbook.oneOf': 'one of these is required',
  'playbook.commonOptions': 'Options every playbook of this kind accepts (target, database, safety, output)',
  'playbook.fromRepo': 'From a clone of this repository',
  'playbook.singleFile': 'Single file, on any machine with Node',
  'playbook.download': 'Download',
  'playbook.exitCodes': 'Exit codes: 0 done, nothing to do, or dry-run plan printed; 1 failed, nothing changed; 2 refused (bad input or failed preflight).',
  'playbook.summaryNote': '',

  // The authored sections of a page body (sections.ts): the heading each must have
  'section.symptom': 'Symptom',
  'section.cause': 'Cause',
  'section.fix': 'Fix',
  'section.prevention': 'Prevention',

  // Labels of the frontmatter's enums (schemas/issue.ts)
  'status.solved': 'Solved',
  'status.workaround': 'Workaround',
  'status.unsolved': 'Unsolved',
  'install.helm': 'Helm (Kubernetes)',
  'install.compose': 'docker-compose',
  'source.web-ui': 'web UI',
  'source.api': 'API response',
} as const satisfies Record<string, string> & Record<EnumLabelKeys, string>;

/** What every language's table holds: a string for each English key (zh.ts is checked against it). */
export type UiStrings = Record<keyof typeof en, string>;
