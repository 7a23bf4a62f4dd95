// The `see /issues/<id>/#<anchor>` a diagnosis prints must land on a heading of that English page,
// so a finding never sends the reader to a section that was renamed or removed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './cli.ts';

/** The id the site gives a heading: github-slugger's rule (lower case, punctuation dropped, spaces to hyphens). */
function headingId(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function expectAnchorsOnPages(messages: readonly string[]): void {
  const links = messages.flatMap((message) => [...message.matchAll(/see \/issues\/([a-z0-9-]+)\/#([a-z0-9-]+)/g)]);
  expect(links.length).toBeGreaterThan(0);
  for (const [, page, anchor] of links) {
    const text = readFileSync(join(REPO_ROOT, 'content/issues/en', `${page}.mdx`), 'utf8');
    const ids = text
      .split('\n')
      .filter((line) => /^#{2,4} /.test(line))
      .map((line) => headingId(line.replace(/^#+ /, '')));
    expect(ids, `${page}#${anchor}`).toContain(anchor);
  }
}
