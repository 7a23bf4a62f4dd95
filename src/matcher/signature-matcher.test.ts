import { describe, expect, it } from 'vitest';
import { signatureSchema } from '../schemas/issue.ts';
import { excerpts, fixtureLines } from '../../test/support/doctor-fixtures.ts';
import { loadSignatureViews } from '../lib/content/node.ts';
import { caseFoldedPattern, compileSignatures, createChunkScanner, matchLine, requiredLiteral, scorePages } from './signature-matcher.ts';

const sig = (pattern: string, extra: object = {}) => signatureSchema.parse({ pattern, ...extra });

const compiled = compileSignatures([
  { id: 'core-downgrade-schema', signatures: [sig('failed to initialize database: file does not exist', { weight: 3 }), sig('Dirty database version [0-9]+')] },
  { id: 'admiral-url-not-set', signatures: [sig('failed to get key admiral_url', { weight: 3, component: 'core' })] },
  { id: 'case-blind', signatures: [sig('manifest for image .* is not ready', { ignoreCase: true, weight: 1 })] },
]);

describe('signature matcher', () => {
  it('finds every signature in a line, with its page and matched text', () => {
    const hits = matchLine(compiled, '2019-09-16T14:02:03Z [FATAL] [/core/main.go:103]: failed to initialize database: file does not exist');
    expect(hits.map((h) => [h.pageId, h.signature.index, h.match])).toEqual([
      ['core-downgrade-schema', 0, 'failed to initialize database: file does not exist'],
    ]);
  });

  it('honours ignoreCase only where a signature asks for it', () => {
    expect(matchLine(compiled, 'MANIFEST FOR IMAGE library/x:1 IS NOT READY').map((h) => h.pageId)).toEqual(['case-blind']);
    expect(matchLine(compiled, 'FAILED TO GET KEY ADMIRAL_URL')).toEqual([]);
  });

  it('scores pages by distinct signatures, not by repeated lines', () => {
    const log = [
      '[ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
      '[ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set',
      'Dirty database version 12. Fix and force version.',
      'failed to initialize database: file does not exist',
    ].join('\n');
    expect(Object.fromEntries(scorePages(compiled, log))).toEqual({ 'admiral-url-not-set': 3, 'core-downgrade-schema': 5 });
  });

  it('scores nothing for a healthy log', () => {
    expect(scorePages(compiled, '2024-01-01T00:00:00Z [INFO] [/core/main.go:200]: Server started').size).toBe(0);
  });
});

describe('chunk scanner', () => {
  const scan = createChunkScanner(compiled);
  const found = (text: string) => [...scan(text)].map((m) => [m.start, m.line, m.hits.map((h) => h.pageId)]);

  it('reports each matching line once, with its offset, in order, across both case modes', () => {
    const lines = [
      '2024-01-01T00:00:00Z [INFO] healthy',
      'manifest for image a:1 is NOT READY',
      '[ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set\r',
      'Dirty database version 12. failed to initialize database: file does not exist',
      'last line without newline: Manifest For Image b IS not ready',
    ];
    const text = lines.join('\n');
    const offsets = lines.map((_, i) => lines.slice(0, i).join('\n').length + (i > 0 ? 1 : 0));
    expect(found(text)).toEqual([
      [offsets[1], 'manifest for image a:1 is NOT READY', ['case-blind']],
      [offsets[2], '[ERROR] [manager.go:192]: failed to get key admiral_url, error: the configure value is not set', ['admiral-url-not-set']],
      [offsets[3], 'Dirty database version 12. failed to initialize database: file does not exist', ['core-downgrade-schema', 'core-downgrade-schema']],
      [offsets[4], 'last line without newline: Manifest For Image b IS not ready', ['case-blind']],
    ]);
  });

  it('agrees with matchLine line by line, even when a prefilter match spans a line break', () => {
    const spanning = compileSignatures([
      { id: 'spanning', signatures: [sig('alpha\\s+beta')] },
      { id: 'plain', signatures: [sig('gamma [0-9]+')] },
    ]);
    const text = 'x alpha\nbeta gamma 7\nalpha beta\nnothing';
    const expected = text.split('\n').flatMap((line) => {
      const hits = matchLine(spanning, line);
      return hits.length > 0 ? [[line, hits.map((h) => h.pageId)]] : [];
    });
    expect([...createChunkScanner(spanning)(text)].map((m) => [m.line, m.hits.map((h) => h.pageId)])).toEqual(expected);
    expect(expected).toEqual([
      ['beta gamma 7', ['plain']],
      ['alpha beta', ['spanning']],
    ]);
  });

  it('anchors ^ and $ at line boundaries, as matchLine sees lines', () => {
    const anchored = compileSignatures([{ id: 'anchored', signatures: [sig('^panic: .*nil pointer$')] }]);
    const text = 'x panic: nil pointer\npanic: runtime error: invalid memory address or nil pointer\npanic: nil pointer dereference';
    expect([...createChunkScanner(anchored)(text)].map((m) => m.line)).toEqual(['panic: runtime error: invalid memory address or nil pointer']);
  });

  it('folds case-insensitive patterns into the case-sensitive pass, except those with classes', () => {
    expect(caseFoldedPattern('Manifest for image .* is not ready\\.')).toBe(
      '[mM][aA][nN][iI][fF][eE][sS][tT] [fF][oO][rR] [iI][mM][aA][gG][eE] .* [iI][sS] [nN][oO][tT] [rR][eE][aA][dD][yY]\\.',
    );
    expect(caseFoldedPattern('retry\\s+after [0-9]+')).toBeUndefined();
    const mixed = compileSignatures([
      { id: 'folded', signatures: [sig('stop job failed', { ignoreCase: true })] },
      { id: 'classes', signatures: [sig('retry after [a-z]+ms', { ignoreCase: true })] },
      { id: 'exact', signatures: [sig('object is not found')] },
    ]);
    const text = 'Stop Job Failed\nRETRY AFTER TENms\nOBJECT IS NOT FOUND\nobject is not found';
    expect([...createChunkScanner(mixed)(text)].map((m) => [m.line, m.hits.map((h) => h.pageId)])).toEqual([
      ['Stop Job Failed', ['folded']],
      ['RETRY AFTER TENms', ['classes']],
      ['object is not found', ['exact']],
    ]);
  });

  it('finds nothing in a healthy text', () => {
    expect(found('2024-01-01T00:00:00Z [INFO] [/core/main.go:200]: Server started\n')).toEqual([]);
  });
});

describe('required text of a signature (what the chunk scanner looks for)', () => {
  it('is plain text outside groups, cut before a quantifier, the rarest-looking run', () => {
    expect(requiredLiteral('failed to get key admiral_url')).toBe('failed to get key admiral_url');
    expect(requiredLiteral('\\[Quota-Sync\\]:: (start|fail) to')).toBe('[Quota-Sync]:: ');
    expect(requiredLiteral('failed to exec DeleteBlob.{0,40}http status code: 5[0-9][0-9]')).toBe('http status code: 5');
    expect(requiredLiteral('Get "?https?://[^ "]+/service/token\\?[^ ]*: dial')).toBe('/service/token?');
    // Punctuation and digits make a run rarer in a log than a longer run of words.
    expect(requiredLiteral('pinging (container|docker) registry [^ ]+: .*x509: (a|b)')).toBe('x509: ');
  });

  it('is undefined where the pattern chooses at its top level, escapes a letter or has no run of four', () => {
    expect(requiredLiteral('admiral|configure value')).toBeUndefined();
    expect(requiredLiteral('retry\\s+after')).toBeUndefined();
    expect(requiredLiteral('(abc|def) x [0-9]+')).toBeUndefined();
  });

  it('lets the scanner find exactly the lines matchLine finds, on every fixture and excerpt with the real signatures', async () => {
    const pages = await loadSignatureViews();
    const real = compileSignatures(pages.map((page) => ({ id: page.id, signatures: [...page.signatures] })));
    const lines = [
      ...['healthy/core.log', 'healthy/registry.log', 'healthy/jobservice.log', 'other-problems/harbor-problems.log'].flatMap(fixtureLines),
      ...excerpts().flatMap((excerpt) => excerpt.lines),
    ];
    const expected = lines.flatMap((line) => {
      const hits = matchLine(real, line);
      return hits.length > 0 ? [[line, hits.map((hit) => `${hit.pageId}#${hit.signature.index}`)]] : [];
    });
    const scanned = [...createChunkScanner(real)(lines.join('\n'))].map((m) => [m.line, m.hits.map((hit) => `${hit.pageId}#${hit.signature.index}`)]);
    expect(expected.length).toBeGreaterThan(40);
    expect(scanned).toEqual(expected);
  });
});
