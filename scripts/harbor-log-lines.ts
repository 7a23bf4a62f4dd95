/**
 * `node scripts/harbor-log-lines.ts OUT.json`: the error and warning lines Harbor's own code
 * logs, as a query set for the search harness (`search-dev-harness.ts --queries OUT.json`).
 *
 * Hundreds of Harbor's messages share words with our pages ("failed to get registry",
 * "failed to write response", "User does not exist"); each is another problem's line unless one
 * of our signatures knows it. So every line is a near miss (`expect: null`), except one a signature
 * of weight 2 or more claims, which expects that page. The share of near misses landing on a page
 * is how often a pasted Harbor line we do not know gets a page by its words. Nobody picks these
 * lines: they are every `log.Error*`/`log.Warning*` call with a literal message in the source.
 *
 * The source is HARBOR_SRC (a tarball or a tree), else Harbor 1.10.18's tarball in ../shared,
 * as for the real-Harbor tests (test/support/harbor-source.ts). Placeholders are filled the way a
 * run prints them: `%s` a repository, `%d` a number, `%v` an error that names no problem.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileSignatures, matchLine } from '../src/matcher/signature-matcher.ts';
import { SEARCH_FACTS_URL, searchFactsFrom, signaturesOf } from '../src/search/facts.ts';
import { harborSourceSetting } from '../test/support/harbor-source.ts';
import type { Query } from '../test/support/search-eval.ts';

const out = process.argv[2];
if (!out || process.argv.length > 3) {
  console.error('usage: node scripts/harbor-log-lines.ts OUT.json   (HARBOR_SRC: a Harbor source tarball or tree)');
  process.exit(2);
}

const LOG_CALL = /\b(?:log|logger)\.(Errorf|Error|Warningf|Warning)\("((?:[^"\\]|\\.){12,})"/g;
const PLACEHOLDERS: [RegExp, string][] = [
  [/%[-+#0-9.]*s/g, 'library/app'],
  [/%[-+#0-9.]*d/g, '42'],
  [/%[-+#0-9.]*q/g, '"library/app"'],
  [/%[-+#0-9.]*v/g, 'unexpected EOF'],
  [/%[-+#0-9.]*[a-z]/g, 'x'],
  [/\\n|\\t/g, ' '],
];

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'vendor' || name === 'testing' ? [] : goFiles(full);
    return name.endsWith('.go') && !name.endsWith('_test.go') ? [full] : [];
  });
}

const source = harborSourceSetting();
const unpacked = statSync(source).isDirectory() ? undefined : mkdtempSync(path.join(tmpdir(), 'harbor-kb-log-lines-'));
try {
  if (unpacked) execFileSync('tar', ['-xf', source, '-C', unpacked]);
  const tree = unpacked ? path.join(unpacked, readdirSync(unpacked)[0] ?? '') : source;
  const release = path.basename(source).match(/v[0-9]+\.[0-9]+\.[0-9]+/)?.[0] ?? 'source';
  const facts = await searchFactsFrom(new Blob([readFileSync(`dist${SEARCH_FACTS_URL}`)]));
  const strong = compileSignatures(signaturesOf(facts)).filter((signature) => signature.weight >= 2);

  const seen = new Set<string>();
  const queries: Query[] = [];
  for (const file of goFiles(path.join(tree, 'src'))) {
    const relative = path.relative(tree, file);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        for (const [, level, format] of text.matchAll(LOG_CALL)) {
          if (!format || seen.has(format)) continue;
          seen.add(format);
          const message = PLACEHOLDERS.reduce((filled, [placeholder, value]) => filled.replace(placeholder, value), format);
          const q = `2020-03-01T08:00:00Z [${level?.startsWith('Error') ? 'ERROR' : 'WARNING'}] [/${relative.replace(/^src\//, '')}:${index + 1}]: ${message}`;
          const claimed = matchLine(strong, q)[0]?.pageId ?? null;
          queries.push({ kind: 'log', site: 'en', expect: claimed, q, source: `goharbor/harbor ${relative}@${release}` });
        }
      });
  }
  writeFileSync(out, `${JSON.stringify({ queries }, null, 1)}\n`);
  console.log(`${queries.length} lines from ${source}, ${queries.filter((query) => query.expect).length} claimed by a signature of ours -> ${out}`);
} finally {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
}
