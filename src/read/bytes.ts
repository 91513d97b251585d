import { fstat, open, read, close } from 'node:fs';
import { promisify } from 'node:util';
import { Readable, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { createGunzip } from 'node:zlib';
import type { Source } from './sources.js';

/** Read size: large reads keep per-chunk overhead negligible next to the scanning work. */
export const CHUNK_SIZE = 4 << 20;
/** Smallest read buffer, for small files. */
const MIN_CHUNK = 64 << 10;


/** The raw bytes of a source (file or stdin). A chunk is valid until the next one is asked for. */
export function openSource(source: Source): AsyncIterable<Buffer> {
  if (source.stdin) return process.stdin;
  return fileChunks(source.path!);
}

const openP = promisify(open);
const fstatP = promisify(fstat);
const closeP = promisify(close);
const readInto = (fd: number, buf: Buffer, pos: number, len: number) =>
  new Promise<number>((resolve, reject) => read(fd, buf, 0, len, pos, (e, n) => (e ? reject(e) : resolve(n))));

/**
 * Yields the bytes `[start, end)` of a file in chunks read into two buffers used in turn: the
 * next read runs while the consumer scans the current chunk, and nothing is allocated per
 * chunk (no garbage to collect on inputs of gigabytes). A chunk is valid only until the next
 * one is asked for: a consumer that keeps bytes copies them (see `detached`).
 */
export async function* fileChunks(path: string, start = 0, end = Infinity): AsyncGenerator<Buffer> {
  const fd = await openP(path, 'r');
  let pending: Promise<number> = Promise.resolve(0);
  try {
    const st = await fstatP(fd);
    // A FIFO, a character device or a process substitution cannot seek: it is read in order.
    if (!st.isFile()) {
      yield* streamChunks(fd);
      return;
    }
    const size = st.size;
    // A file still being written may grow past its size at open; it is read to its end.
    const cap = Math.max(MIN_CHUNK, Math.min(CHUNK_SIZE, Math.min(size, end) - start + 1));
    const bufs = [Buffer.allocUnsafeSlow(cap), Buffer.allocUnsafeSlow(cap)];
    let pos = start;
    let k = 0;
    pending = readInto(fd, bufs[0], pos, Math.min(cap, end - pos));
    for (;;) {
      const n = await pending;
      if (n <= 0) return;
      pos += n;
      const current = bufs[k];
      k ^= 1;
      pending = pos < end ? readInto(fd, bufs[k], pos, Math.min(cap, end - pos)) : Promise.resolve(0);
      // A failed read-ahead is reported when its chunk is asked for, not as an unhandled rejection.
      pending.catch(() => undefined);
      yield current.subarray(0, n);
    }
  } finally {
    // A read still in flight (the consumer stopped early) must end before its descriptor closes.
    await pending.catch(() => undefined);
    await closeP(fd);
  }
}

/** Reads a descriptor that cannot seek (position -1: where it is) to its end, one buffer at a time. */
async function* streamChunks(fd: number): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafeSlow(MIN_CHUNK);
  for (;;) {
    const n = await readInto(fd, buf, -1, buf.length);
    if (n <= 0) return;
    yield buf.subarray(0, n);
  }
}

/** Copies each chunk, for consumers that hold on to chunks (streams, parsers). */
export async function* detached(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const c of chunks) yield Buffer.from(c);
}

/** A compression recognised by its magic bytes (never by the file name). */
export type Compression = 'gzip' | 'zstd' | 'bzip2' | 'xz' | 'zip' | 'lz4';
/** A text encoding other than UTF-8 recognised by its byte-order mark, or guessed from NUL bytes. */
export type Encoding = 'utf-16le' | 'utf-16be';

/** What the first bytes of an input say about it (enough: 16 bytes). */
export interface Sniffed {
  compression?: Compression;
  encoding?: Encoding;
  /** The encoding is guessed (no byte-order mark: every other byte is NUL). */
  guessed?: boolean;
}

/** Bytes the sniffing judges on (fewer at the end of a short input). */
export const SNIFF_BYTES = 64;
/** Bytes awaited from a pipe before judging: every magic fits, and 5 UTF-16 characters. */
const SNIFF_WAIT = 10;

/** Judges an input by its first bytes: compressed (which way), or UTF-16 (with a BOM, or by its NULs). */
export function sniff(head: Buffer): Sniffed {
  const b = head;
  const is = (...bytes: number[]) => bytes.every((x, i) => b[i] === x);
  if (is(0x1f, 0x8b)) return { compression: 'gzip' };
  if (is(0x28, 0xb5, 0x2f, 0xfd)) return { compression: 'zstd' };
  if (is(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return { compression: 'xz' };
  if (is(0x04, 0x22, 0x4d, 0x18)) return { compression: 'lz4' };
  if (is(0x50, 0x4b, 0x03, 0x04) || is(0x50, 0x4b, 0x05, 0x06)) return { compression: 'zip' };
  // `BZh`, a block size digit, then the magic of a block (π) or of the end of the stream (√π).
  if (is(0x42, 0x5a, 0x68) && b[3] >= 0x31 && b[3] <= 0x39 && b.length >= 10) {
    const block = b.subarray(4, 10).toString('hex');
    if (block === '314159265359' || block === '177245385090') return { compression: 'bzip2' };
  }
  if (is(0xff, 0xfe) && !is(0xff, 0xfe, 0, 0)) return { encoding: 'utf-16le' };
  if (is(0xfe, 0xff)) return { encoding: 'utf-16be' };
  // No BOM: text in UTF-16 has a NUL beside every ASCII (and Latin-1) character. At least 4
  // pairs, three in four of them so, and none the other way round.
  const pairs = Math.floor(Math.min(b.length, SNIFF_BYTES) / 2);
  if (pairs >= 4) {
    let le = 0;
    let be = 0;
    for (let i = 0; i < pairs; i++) {
      const x = b[2 * i];
      const y = b[2 * i + 1];
      if (x !== 0 && y === 0) le++;
      else if (x === 0 && y !== 0) be++;
    }
    if (le >= pairs * 0.75 && be === 0) return { encoding: 'utf-16le', guessed: true };
    if (be >= pairs * 0.75 && le === 0) return { encoding: 'utf-16be', guessed: true };
  }
  return {};
}

/** The tool that decompresses each kind, for the message when logtool cannot. */
const TOOL: Record<Exclude<Compression, 'gzip'>, string> = {
  zstd: 'zstd -d',
  bzip2: 'bunzip2',
  xz: 'xz -d',
  lz4: 'lz4 -d',
  zip: 'unzip',
};

/** An input logtool cannot read at all (compressed in a way this Node cannot undo). */
export class UnreadableInput extends Error {
  readonly code = 'EUNREADABLE';
}

/** zstd is in zlib from Node 22.15 / 23.8; older Node has no decompressor. */
function zstdDecompressor(): NodeJS.ReadWriteStream | undefined {
  const make = (zlib as unknown as { createZstdDecompress?: (o?: object) => NodeJS.ReadWriteStream }).createZstdDecompress;
  return make ? make({ chunkSize: CHUNK_SIZE }) : undefined;
}

/** The message for a compressed input that is not read. */
export function compressedMessage(kind: Exclude<Compression, 'gzip'>): string {
  const major = process.version.split('.')[0];
  if (kind === 'zip') return `a zip archive; logtool does not read archives — extract it first (${TOOL.zip})`;
  const who = kind === 'zstd' ? `this Node (${major}) cannot read it` : 'logtool cannot read it';
  return `${kind}-compressed; ${who} — decompress first (${TOOL[kind]})`;
}

/** What decoding found, told once per input before its first bytes. */
export interface DecodeNotes {
  onEncoding?: (s: Sniffed) => void;
}

/**
 * Yields the bytes of a stream as UTF-8 text bytes: gzip (and zstd where this Node has it) is
 * decompressed, recognised by its magic bytes, not by the file name; other compressions throw
 * an UnreadableInput before any byte is read (they are never counted as lines). UTF-16 (a BOM,
 * or NULs beside ASCII) is decoded as a stream. Errors (unreadable file, truncated gzip) are
 * thrown from the iteration after every byte that could be read has been yielded.
 */
export async function* decodedChunks(stream: AsyncIterable<Buffer>, notes: DecodeNotes = {}): AsyncGenerator<Buffer> {
  const raw = await peek(stream);
  if (!raw) return;
  const found = sniff(raw.head);
  let bytes: AsyncIterable<Buffer> = raw.rest;
  if (found.compression) {
    const zstd = found.compression === 'zstd' ? zstdDecompressor() : undefined;
    if (found.compression === 'gzip') bytes = inflated(raw.rest, createGunzip({ chunkSize: CHUNK_SIZE }));
    else if (zstd) bytes = inflated(raw.rest, zstd);
    else {
      await raw.close();
      throw new UnreadableInput(compressedMessage(found.compression));
    }
    const text = await peek(bytes);
    if (!text) return;
    const inner = sniff(text.head);
    if (!inner.encoding) return yield* text.rest;
    notes.onEncoding?.(inner);
    return yield* utf16(text.rest, inner.encoding);
  }
  if (!found.encoding) return yield* raw.rest;
  notes.onEncoding?.(found);
  yield* utf16(raw.rest, found.encoding);
}

/**
 * The first bytes of a stream (at least SNIFF_BYTES unless it ends first; small chunks from a
 * pipe are joined) and the whole stream again from its start; undefined when it is empty.
 */
async function peek(stream: AsyncIterable<Buffer>): Promise<{ head: Buffer; rest: AsyncIterable<Buffer>; close: () => Promise<void> } | undefined> {
  const it = stream[Symbol.asyncIterator]();
  let first = await it.next();
  // A pipe may give a few bytes at a time: more are awaited until the magic bytes can be told,
  // but a short first line of text (a newline and no NUL) is not held back waiting for more.
  while (!first.done && first.value.length < SNIFF_WAIT && !(first.value.includes(10) && !first.value.includes(0))) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return undefined;
  const head = first.value;
  const rest = async function* () {
    try {
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    } finally {
      await it.return?.(undefined);
    }
  };
  return { head, rest: rest(), close: async () => void (await it.return?.(undefined)) };
}

/** Decompresses a stream through a zlib transform; a failure is thrown after the bytes before it. */
async function* inflated(rest: AsyncIterable<Buffer>, transform: NodeJS.ReadWriteStream): AsyncGenerator<Buffer> {
  const out = new PassThrough({ highWaterMark: CHUNK_SIZE });
  const done = pipeline(Readable.from(detached(rest)), transform, out);
  let failure: unknown;
  done.catch((e) => {
    failure = e;
  });
  try {
    for await (const chunk of out) yield chunk as Buffer;
  } catch (e) {
    failure ??= e;
  }
  await done.catch(() => undefined);
  if (failure) throw failure;
}

/** Decodes UTF-16 (a BOM is dropped) to UTF-8 bytes, chunk by chunk. */
async function* utf16(rest: AsyncIterable<Buffer>, encoding: Encoding): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of rest) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const last = decoder.decode();
  if (last) yield Buffer.from(last, 'utf8');
}
