import { fstat, open, read, close } from 'node:fs';
import { promisify } from 'node:util';
import { Readable, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Source } from './sources.js';

/** Read size: large reads keep per-chunk overhead negligible next to the scanning work. */
export const CHUNK_SIZE = 4 << 20;
/** Smallest read buffer, for small files. */
const MIN_CHUNK = 64 << 10;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

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
    const size = (await fstatP(fd)).size;
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

/** Copies each chunk, for consumers that hold on to chunks (streams, parsers). */
export async function* detached(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const c of chunks) yield Buffer.from(c);
}

/**
 * Yields the decompressed bytes of a stream: gzip is recognised by its magic bytes, not by
 * the file name. Errors (unreadable file, truncated gzip) are thrown from the iteration after
 * every byte that could be read has been yielded.
 */
export async function* decodedChunks(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]();
  let first = await it.next();
  // A gzip header needs two bytes; a one-byte first chunk (from a pipe) is joined with the next.
  while (!first.done && first.value.length < 2) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const head = first.value;
  const rest = async function* () {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  };
  if (head[0] !== GZIP_MAGIC_0 || head[1] !== GZIP_MAGIC_1) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_SIZE });
  const out = new PassThrough({ highWaterMark: CHUNK_SIZE });
  const done = pipeline(Readable.from(detached(rest())), gunzip, out);
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
