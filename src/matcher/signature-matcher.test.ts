import { describe, expect, it } from 'vitest';
import { signatureSchema } from '../schemas/issue.ts';
import { compileSignatures, matchLine, scorePages } from './signature-matcher.ts';

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
