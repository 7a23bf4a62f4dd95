import { describe, expect, it } from 'vitest';
import { signatureSchema } from '../schemas/issue.ts';
import { createDoctor, type DoctorPage } from './findings.ts';
import { reportJson, reportText } from './report.ts';

const sig = (pattern: string, extra: object = {}) => signatureSchema.parse({ pattern, ...extra });

const pages: DoctorPage[] = [
  {
    id: 'core-downgrade-schema',
    title: 'Core fails after a downgrade',
    components: ['core', 'database'],
    playbooks: ['restore-database'],
    signatures: [
      sig('Failed to upgrade schema, error: "file does not exist', { weight: 3, component: 'core' }),
      sig('failed to initialize database: file does not exist', { weight: 3 }),
    ],
  },
  {
    id: 'admiral-url-not-set',
    components: ['core'],
    playbooks: [],
    signatures: [sig('failed to get key admiral_url', { weight: 1, component: 'core' })],
  },
];

const log = [
  '2019-09-16T14:01:59Z [INFO] [/core/main.go:96]: configurations initialization completed',
  '2019-09-16T14:02:03Z [ERROR] [/common/config/manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
  '2019-09-16T14:02:03Z [ERROR] [/common/dao/pgsql.go:112]: Failed to upgrade schema, error: "file does not exist"',
  '2019-09-16T14:02:04Z [FATAL] [/core/main.go:103]: failed to initialize database: file does not exist',
  '2019-09-16T14:05:03Z [ERROR] [/common/config/manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
  '2019-09-16T14:06:03Z [ERROR] [/common/config/manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
].join('\n');

describe('doctor findings', () => {
  it('counts lines, first and last seen, example, components and ranks by evidence', () => {
    const doctor = createDoctor(pages);
    doctor.scan(log, 'core.log');
    const [downgrade, admiral, ...rest] = doctor.findings();
    expect(rest).toEqual([]);
    expect(downgrade).toMatchObject({
      pageId: 'core-downgrade-schema',
      score: 6,
      lines: 2,
      firstSeen: Date.UTC(2019, 8, 16, 14, 2, 3),
      lastSeen: Date.UTC(2019, 8, 16, 14, 2, 4),
      example: { source: 'core.log', text: log.split('\n')[2] },
      components: ['core', 'database'],
      sources: ['core.log'],
      playbooks: ['restore-database'],
    });
    // More lines but weaker evidence ranks lower.
    expect(admiral).toMatchObject({ pageId: 'admiral-url-not-set', score: 1, lines: 3, lastSeen: Date.UTC(2019, 8, 16, 14, 6, 3) });
  });

  it('skips matching lines older than --since, keeps lines without a timestamp', () => {
    const doctor = createDoctor(pages, { since: Date.UTC(2019, 8, 16, 14, 5, 0) });
    doctor.scan(`${log}\nfailed to initialize database: file does not exist`, 'core.log');
    expect(doctor.findings().map((f) => [f.pageId, f.lines])).toEqual([
      ['core-downgrade-schema', 1],
      ['admiral-url-not-set', 2],
    ]);
  });

  it('finds nothing in a healthy log', () => {
    const doctor = createDoctor(pages);
    doctor.scan('2019-09-16T14:01:59Z [INFO] [/core/main.go:96]: configurations initialization completed\n', 'core.log');
    expect(doctor.findings()).toEqual([]);
  });
});

describe('doctor report', () => {
  const doctor = createDoctor(pages);
  doctor.scan(log, 'core.log');
  const context = { sources: ['core.log'], bytes: log.length, site: 'https://kb.example.org/' };

  it('renders JSON with page links and playbook commands', () => {
    const json = reportJson(doctor.findings(), context);
    expect(json.findings[0]).toMatchObject({
      id: 'core-downgrade-schema',
      title: 'Core fails after a downgrade',
      firstSeen: '2019-09-16T14:02:03.000Z',
      lastSeen: '2019-09-16T14:02:04.000Z',
      page: 'https://kb.example.org/issues/core-downgrade-schema/',
      playbooks: [{ name: 'restore-database', command: 'harbor-kb run restore-database' }],
    });
    expect(json.findings.map((f) => f.id)).toEqual(['core-downgrade-schema', 'admiral-url-not-set']);
  });

  it('renders text with the same facts', () => {
    const text = reportText(doctor.findings(), context);
    expect(text).toContain('2 known problems found, strongest evidence first');
    expect(text).toContain('1. Core fails after a downgrade  [core-downgrade-schema]');
    expect(text).toContain('   evidence 6, 2 matching lines, first seen 2019-09-16T14:02:03.000Z, last seen 2019-09-16T14:02:04.000Z');
    expect(text).toContain('   next: harbor-kb run restore-database');
    expect(text).toContain('   page: https://kb.example.org/issues/admiral-url-not-set/');
    expect(reportText([], context)).toContain('No known Harbor problem found.');
  });

  it('escapes control characters of log lines in text, so a log cannot drive the terminal', () => {
    const coloured = createDoctor(pages);
    coloured.scan('\u001b[31m2019-09-16T14:02:04Z [FATAL] failed to initialize database: file does not exist\u001b[0m\u0007', 'core.log');
    const text = reportText(coloured.findings(), context);
    expect(text).toContain('example (core.log): \\x1b[31m2019-09-16T14:02:04Z [FATAL] failed to initialize database: file does not exist\\x1b[0m\\x07');
    expect(text).not.toContain('\u001b');
  });
});
