/**
 * The doctor page's copy of the logs it was given: whole lines in blocks of about a
 * megabyte, each with the offsets of its lines, so that a virtualised view can show
 * any line of a 100 MB log without splitting it into millions of strings.
 * Plain TypeScript with no DOM: tested in Node.
 */

export interface LogBlock {
  /** Whole lines; only the last block of a source may end without "\n". */
  text: string;
  /** Offset of each line in `text`. */
  starts: Uint32Array;
  /** Index of the block's first line among all lines of the store. */
  firstLine: number;
  source: string;
}

export interface LogSource {
  name: string;
  firstLine: number;
}

function lineStarts(text: string): Uint32Array {
  const starts: number[] = [0];
  for (let at = text.indexOf('\n'); at >= 0 && at < text.length - 1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return Uint32Array.from(starts);
}

/** Index of the last element of a sorted array that is <= value (or -1). */
export function floorIndex(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] as number) <= value) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

export function createLogStore() {
  const blocks: LogBlock[] = [];
  const sources: LogSource[] = [];
  const blockFirstLines: number[] = [];
  let lineCount = 0;

  return {
    blocks,
    sources,
    get lineCount() {
      return lineCount;
    },
    beginSource(name: string): void {
      sources.push({ name, firstLine: lineCount });
    },
    /** Adds whole lines of the current source; returns the new block. */
    addBlock(text: string): LogBlock {
      const source = sources.at(-1)?.name ?? '';
      const block = { text, starts: lineStarts(text), firstLine: lineCount, source };
      blocks.push(block);
      blockFirstLines.push(lineCount);
      lineCount += block.starts.length;
      return block;
    },
    /** Line `line` (0-based, over all sources) without its line break. */
    lineText(line: number): string {
      const block = blocks[floorIndex(blockFirstLines, line)];
      if (!block) return '';
      const index = line - block.firstLine;
      const start = block.starts[index] as number;
      const next =
        index + 1 < block.starts.length ? (block.starts[index + 1] as number) - 1 : block.text.endsWith('\n') ? block.text.length - 1 : block.text.length;
      return block.text.charCodeAt(next - 1) === 13 ? block.text.slice(start, next - 1) : block.text.slice(start, next);
    },
    /** The line among all lines at `offset` of `block`. */
    lineAt(block: LogBlock, offset: number): number {
      return block.firstLine + floorIndex(block.starts, offset);
    },
    /** Where a line comes from: its source and 1-based line number there. */
    origin(line: number): { source: string; line: number } {
      const source =
        sources[
          floorIndex(
            sources.map((s) => s.firstLine),
            line,
          )
        ];
      return { source: source?.name ?? '', line: line - (source?.firstLine ?? 0) + 1 };
    },
  };
}

export type LogStore = ReturnType<typeof createLogStore>;

/**
 * Cuts streamed text into blocks of whole lines of about `size` characters; a line
 * longer than `size` is cut at `size`.
 */
export function createLineSplitter(onBlock: (text: string) => void, size = 1 << 20) {
  let pending = '';
  return {
    push(chunk: string): void {
      pending += chunk;
      while (pending.length >= size) {
        const end = pending.lastIndexOf('\n', size);
        const cut = end < 0 ? size : end + 1;
        onBlock(pending.slice(0, cut));
        pending = pending.slice(cut);
      }
    },
    end(): void {
      if (pending) onBlock(pending);
      pending = '';
    },
  };
}
