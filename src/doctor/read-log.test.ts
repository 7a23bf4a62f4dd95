import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBytes, LogInputError, logText, utf8Line } from './read-log.ts';

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}

async function collect(source: AsyncIterable<Buffer>, name = 'test.log'): Promise<{ texts: string[]; bytes: number }> {
  const texts: string[] = [];
  let bytes = 0;
  for await (const text of logText(source, name, (n) => (bytes += n))) texts.push(text);
  return { texts, bytes };
}

describe('logText', () => {
  it('yields whole lines, carrying a line split between reads', async () => {
    const { texts, bytes } = await collect(chunks(Buffer.from('one\ntw'), Buffer.from('o\nthree'), Buffer.from('\nlast')));
    expect(texts).toEqual(['one\n', 'two\n', 'three\n', 'last']);
    expect(bytes).toBe('one\ntwo\nthree\nlast'.length);
  });

  it('cuts a read into strings of at most 64 KiB at line ends, and a longer line at 64 KiB', async () => {
    const line = `${'x'.repeat(40 * 1024)}\n`;
    const long = 'y'.repeat(150 * 1024);
    const { texts } = await collect(chunks(Buffer.from(line.repeat(5) + long + '\nend\n')));
    expect(Math.max(...texts.map((text) => text.length))).toBeLessThanOrEqual(128 * 1024);
    expect(texts.join('')).toBe(line.repeat(5) + long + '\nend\n');
    expect(texts.filter((text) => text.includes('\n')).every((text) => text.endsWith('\n'))).toBe(true);
  });

  it('gunzips by magic bytes whatever the name, and refuses a .gz name without them', async () => {
    const { texts } = await collect(chunks(gzipSync('a\nb\n')), 'stdin');
    expect(texts.join('')).toBe('a\nb\n');
    await expect(collect(chunks(Buffer.from('a\n')), 'x.log.gz')).rejects.toThrow(new LogInputError('x.log.gz: not in gzip format'));
    await expect(collect(chunks(gzipSync('a\n').subarray(0, 12)), 'cut.gz')).rejects.toThrow(/cut\.gz: corrupt gzip data/);
  });

  it('reads a file of several reads ahead into reused buffers without mixing them up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harbor-kb-read-'));
    try {
      const text = Array.from({ length: 60_000 }, (_, i) => `2020-05-17T15:31:19Z [INFO] line ${i} ${'x'.repeat(i % 97)}`).join('\n');
      const path = join(dir, 'core.log');
      writeFileSync(path, text);
      const { texts, bytes } = await collect(await fileBytes(path), path);
      expect(bytes).toBeGreaterThan(3 * 1024 * 1024);
      expect(texts.join('')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns a scanned latin1 line back into UTF-8', async () => {
    const { texts } = await collect(chunks(Buffer.from('升级失败 ok\n')));
    expect(utf8Line(texts[0] ?? '')).toBe('升级失败 ok\n');
  });
});
