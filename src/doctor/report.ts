/** The doctor's report as text for a terminal and as JSON for scripts. */
import { issueHref } from '../lib/paths.ts';
import { CANONICAL_LANG } from '../schemas/issue.ts';
import { playbookCommand, type Finding } from './findings.ts';

export interface ReportContext {
  /** What was read: file names, containers, pods or "stdin". */
  sources: string[];
  bytes: number;
  /** Base URL of the site, for full page links; without it, links are site paths. */
  site?: string;
}

const time = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const pageLink = (id: string, site: string | undefined) => {
  const path = issueHref(id, CANONICAL_LANG);
  return site ? new URL(path, site.endsWith('/') ? site : `${site}/`).href : path;
};

export function reportJson(findings: readonly Finding[], context: ReportContext) {
  return {
    sources: context.sources,
    bytes: context.bytes,
    findings: findings.map((finding) => ({
      id: finding.pageId,
      title: finding.title ?? null,
      score: finding.score,
      lines: finding.lines,
      firstSeen: time(finding.firstSeen),
      lastSeen: time(finding.lastSeen),
      example: { source: finding.example.source, line: finding.example.line ?? null, text: finding.example.text },
      components: finding.components,
      sources: finding.sources,
      page: pageLink(finding.pageId, context.site),
      playbooks: finding.playbooks.map((name) => ({ name, command: playbookCommand(name) })),
      harbor: finding.harbor ?? null,
      signatures: finding.signatures,
    })),
  };
}

/** Log text made safe for a terminal: control characters (ESC sequences and the like) shown escaped. */
const printable = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function reportText(findings: readonly Finding[], context: ReportContext): string {
  const read = `Read ${size(context.bytes)} from ${context.sources.join(', ') || 'nothing'}.`;
  if (findings.length === 0) return `${read}\nNo known Harbor problem found.\n`;
  const blocks = findings.map((finding, i) => {
    const seen = finding.firstSeen === undefined ? 'no timestamps' : `first seen ${time(finding.firstSeen)}, last seen ${time(finding.lastSeen)}`;
    const where = finding.example.line === undefined ? finding.example.source : `${finding.example.source}:${finding.example.line}`;
    const lines = [
      `${i + 1}. ${finding.title ?? finding.pageId}  [${finding.pageId}]`,
      `   evidence ${finding.score}, ${finding.lines} matching line${finding.lines === 1 ? '' : 's'}, ${seen}`,
      `   component: ${finding.components.join(', ')}; in ${finding.sources.join(', ')}`,
      ...(finding.harbor
        ? [`   Harbor: ${finding.harbor.affected.join(' or ')}; ${finding.harbor.fixed ? `fixed in ${finding.harbor.fixed}` : 'not fixed upstream'}`]
        : []),
      `   example (${printable(where)}): ${printable(finding.example.text)}`,
      `   page: ${pageLink(finding.pageId, context.site)}`,
      ...finding.playbooks.map((name) => `   next: ${playbookCommand(name)}`),
    ];
    return lines.join('\n');
  });
  return `${read}\n${findings.length} known problem${findings.length === 1 ? '' : 's'} found, strongest evidence first:\n\n${blocks.join('\n\n')}\n`;
}
