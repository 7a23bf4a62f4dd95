/**
 * Log input for the CLI doctor: files, stdin and command output as streams of
 * whole-line text, gzip detected by its magic bytes. Bytes are decoded as latin1
 * (one character per byte, no decoding cost); signatures are ASCII, and example
 * lines are turned back into UTF-8 for display with `utf8Line`.
 */
import { read as fsRead } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Bad input (missing file, not gzip, corrupt data): the CLI exits 2. */
export class LogInputError extends Error {}

/**
 * Size of the strings scanned; a line longer than this is cut into pieces of this
 * size. Strings of 64 KiB stay in V8's young generation and die cheaply: measured
 * on a 1 GB log, 64 KiB strings peak at 170 MB RSS, 256 KiB at 185 MB, 1 MiB above
 * 200 MB, at the same speed.
 */
const CHUNK = 64 * 1024;
/** Size of a file read: fewer, larger reads into two reused buffers. */
const READ = 1024 * 1024;

const isGzip = (chunk: Buffer) => chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;

/** The stream's bytes, gunzipped when they start with the gzip magic bytes. */
async function* decompressed(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
  if (!isGzip(first.value)) {
    if (name.endsWith('.gz')) throw new LogInputError(`${name}: not in gzip format`);
    yield first.value;
    yield* rest;
    return;
  }
  // zlib keeps the input chunks it is given: copy them, as a reader may reuse its buffer.
  const all = (async function* () {
    yield Buffer.from(first.value);
    for await (const chunk of rest) yield Buffer.from(chunk);
  })();
  try {
    yield* Readable.from(all).pipe(createGunzip({ chunkSize: READ }));
  } catch (error) {
    throw new LogInputError(`${name}: corrupt gzip data (${(error as Error).message})`);
  }
}

/**
 * Whole lines of a log as latin1 text, a chunk at a time; `onBytes` learns how
 * many (decompressed) bytes were read. Only strings are made from the bytes, so
 * all garbage lives in the JavaScript heap, where the collector keeps up with it.
 */
export async function* logText(source: AsyncIterable<Buffer>, name: string, onBytes: (bytes: number) => void = () => {}): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of decompressed(source, name)) {
    onBytes(chunk.length);
    // Strings end at a line break, so only the first of a read joins a carried partial line.
    let from = 0;
    while (from < chunk.length) {
      const to = Math.min(chunk.length, from + CHUNK);
      const end = chunk.lastIndexOf(10, to - 1);
      if (end < from) {
        carry += chunk.toString('latin1', from, to);
        if (carry.length >= CHUNK) {
          yield carry;
          carry = '';
        }
        from = to;
        continue;
      }
      const text = chunk.toString('latin1', from, end + 1);
      yield carry ? carry + text : text;
      carry = '';
      from = end + 1;
    }
  }
  if (carry) yield carry;
}

/** Opens a log file for reading; a missing or unreadable file, or a directory, is bad input. */
async function openLogFile(path: string): Promise<FileHandle> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new LogInputError(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (!(await file.stat()).isFile()) {
    await file.close();
    throw new LogInputError(`${path}: not a file`);
  }
  return file;
}

/**
 * A log file's bytes (or bytes `start` to `end` of it), read ahead into two reused
 * buffers: each chunk is valid until the next is requested. A missing or unreadable
 * file is bad input.
 */
export async function fileBytes(path: string, [start, end]: [number, number] = [0, Infinity]): Promise<AsyncIterable<Buffer>> {
  const file = await openLogFile(path);
  let position = start;
  return reusedBufferReads(
    async (buffer) => {
      const { bytesRead } = await file.read(buffer, 0, Math.min(READ, end - position), position);
      position += bytesRead;
      return bytesRead;
    },
    () => file.close(),
  );
}

/**
 * Splits a plain (not gzip) file into about `parts` byte ranges that start at line
 * beginnings, so each can be scanned on its own; one range when the file is gzip or
 * smaller than `minPartSize` per part. A missing or unreadable file is bad input.
 */
export async function lineAlignedRanges(path: string, parts: number, minPartSize: number): Promise<[number, number][]> {
  const file = await openLogFile(path);
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(2);
    await file.read(head, 0, 2, 0);
    const count = isGzip(head) ? 1 : Math.max(1, Math.min(parts, Math.floor(size / minPartSize)));
    const starts = [0];
    const probe = Buffer.allocUnsafe(64 * 1024);
    for (let part = 1; part < count; part++) {
      // The next range starts after the first line break at or past the even split point.
      for (let at = Math.floor((size * part) / count); at < size; at += probe.length) {
        const { bytesRead } = await file.read(probe, 0, probe.length, at);
        const newline = probe.subarray(0, bytesRead).indexOf(10);
        if (newline >= 0) {
          starts.push(at + newline + 1);
          break;
        }
      }
    }
    const unique = [...new Set(starts)].filter((start) => start < size || start === 0);
    return unique.map((start, i) => [start, unique[i + 1] ?? size]);
  } finally {
    await file.close();
  }
}

/**
 * Reads into two buffers in turn, yielding views of them: the next read runs while
 * the caller scans the current chunk, which stays valid until it asks for another.
 */
async function* reusedBufferReads(read: (buffer: Buffer) => Promise<number>, close: () => Promise<void> = async () => {}): AsyncGenerator<Buffer> {
  let current = Buffer.allocUnsafe(READ);
  let next = Buffer.allocUnsafe(READ);
  let pending = read(current);
  try {
    for (;;) {
      const bytesRead = await pending;
      if (bytesRead === 0) return;
      pending = read(next);
      yield current.subarray(0, bytesRead);
      [current, next] = [next, current];
    }
  } finally {
    await pending.catch(() => 0);
    await close();
  }
}

const readFd = promisify(fsRead);

/**
 * Standard input, read like a file into reused buffers (a file or a blocking
 * pipe, as shells give); should the descriptor be non-blocking (EAGAIN), the rest
 * comes through Node's stream.
 */
export async function* stdinBytes(): AsyncGenerator<Buffer> {
  try {
    yield* reusedBufferReads((buffer) => readFd(0, buffer, 0, READ, null).then((result) => result.bytesRead));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    yield* process.stdin as AsyncIterable<Buffer>;
  }
}

/** A scanned (latin1) line as the UTF-8 text it was written in. */
export const utf8Line = (line: string) => Buffer.from(line, 'latin1').toString('utf8');
