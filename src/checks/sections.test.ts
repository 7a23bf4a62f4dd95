// Every section a check names must be a heading of its English page, so a finding never sends
// the reader to a heading that was renamed or removed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHECKS = import.meta.dirname;
const PAGES = join(CHECKS, '../../content/issues/en');
const PLAYBOOKS = join(CHECKS, '../../playbooks');

/** pageSection(PAGE_CONSTANT or 'page', 'heading') calls of one module, with its string constants resolved. */
function namedSections(source: string): Array<{ page: string; heading: string }> {
  const constants = new Map([...source.matchAll(/const (\w+) = '([^']+)';/g)].map((match) => [match[1]!, match[2]!]));
  return [...source.matchAll(/pageSection\((\w+|'[^']+'), '([^']+)'\)/g)].map((match) => ({
    page: match[1]!.startsWith("'") ? match[1]!.slice(1, -1) : (constants.get(match[1]!) ?? `unresolved ${match[1]}`),
    heading: match[2]!,
  }));
}

describe('page sections named by the checks', () => {
  const modules = readdirSync(CHECKS).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'finding.ts');

  it('finds sections in every check module', () => {
    expect(modules.sort()).toEqual(['chart-certificates.ts', 'port-listener.ts', 'storage-ownership.ts', 'tls-endpoint.ts', 'token-realm.ts']);
    for (const name of modules) expect(namedSections(readFileSync(join(CHECKS, name), 'utf8')).length, name).toBeGreaterThan(0);
  });

  // The playbooks that name page sections themselves are held to the same rule.
  const playbooks = readdirSync(PLAYBOOKS)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(PLAYBOOKS, name))
    .filter((file) => readFileSync(file, 'utf8').includes('pageSection('));

  it('finds the playbooks that name sections', () => {
    expect(playbooks.map((file) => file.slice(PLAYBOOKS.length + 1)).sort()).toEqual([
      'check-endpoint-tls.ts',
      'check-token-realm.ts',
      'fix-registry-storage-owner.ts',
      'restart-compose-stack.ts',
    ]);
  });

  it.each([...modules.map((name) => join(CHECKS, name)), ...playbooks])('%s names only headings its pages have', (file) => {
    for (const { page, heading } of namedSections(readFileSync(file, 'utf8'))) {
      const headings = readFileSync(join(PAGES, `${page}.mdx`), 'utf8')
        .split('\n')
        .filter((line) => /^#{2,3} /.test(line))
        .map((line) => line.replace(/^#+ /, ''));
      expect(headings, `${page} › ${heading}`).toContain(heading);
      // findingLine links #fix: the heading is a step of the Fix section.
      const body = readFileSync(join(PAGES, `${page}.mdx`), 'utf8');
      const at = body.indexOf(`\n### ${heading}\n`);
      expect(at, `${page} › ${heading} lies in ## Fix`).toBeGreaterThan(body.indexOf('\n## Fix\n'));
      expect(at, `${page} › ${heading} lies in ## Fix`).toBeLessThan(body.indexOf('\n## Prevention\n'));
    }
  });
});
