import { describe, expect, it } from 'vitest';
import { HARBOR_VERSION_INPUT_PATTERN, lineOf, parseHarborVersion, releaseOf, versionText } from './version.ts';

describe('parseHarborVersion', () => {
  it('reads releases and release lines, with or without the v', () => {
    expect(parseHarborVersion('1.8.6')).toEqual({ major: 1, minor: 8, patch: 6 });
    expect(parseHarborVersion(' v2.10.1 ')).toEqual({ major: 2, minor: 10, patch: 1 });
    expect(parseHarborVersion('v1.9')).toEqual({ major: 1, minor: 9 });
  });
  it('rejects what is not a version', () => {
    expect(['latest', '1', '1.9.4-rc1', '1.9.4.1', 'x1.9', ''].map(parseHarborVersion)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('names the line and the release of a version', () => {
    expect([lineOf({ major: 2, minor: 2, patch: 3 }), releaseOf({ major: 2, minor: 2 }), releaseOf({ major: 1, minor: 9, patch: 4 })]).toEqual([
      '2.2',
      '2.2.0',
      '1.9.4',
    ]);
  });
  it('writes a version back as typed, without the v', () => {
    expect(['v1.9', '1.9.4', ' v2.10.1 '].map((text) => versionText(parseHarborVersion(text) ?? { major: 0, minor: 0 }))).toEqual(['1.9', '1.9.4', '2.10.1']);
  });
  it("gives an HTML input the parser's shape: the browser matches it whole, with the v flag", () => {
    const input = new RegExp(`^(?:${HARBOR_VERSION_INPUT_PATTERN})$`, 'v');
    for (const text of ['1.8.6', 'v2.10.1', 'v1.9', 'latest', '1', '1.9.4-rc1', '1.9.4.1', 'x1.9', '1.9.4x'])
      expect(input.test(text), text).toBe(parseHarborVersion(text) !== undefined);
  });
});
