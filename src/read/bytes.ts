import { createReadStream } from 'node:fs';
import { Readable, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Source } from './sources.js';

/** Read size: large reads keep per-chunk overhead negligible next to the scanning work. */
export const CHUNK_SIZE = 1 << 20;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** The raw byte stream of a source (file or stdin). */
export function openSource(source: Source): Readable {
  if (source.stdin) return process.stdin;
  return createReadStream(source.path!, { highWaterMark: CHUNK_SIZE });
}

/**
 * Yields the decompressed bytes of a stream: gzip is recognised by its magic bytes, not by
 * the file name. Errors (unreadable file, truncated gzip) are thrown from the iteration after
 * every byte that could be read has been yielded.
 */
export async function* decodedChunks(stream: Readable): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
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
  const done = pipeline(Readable.from(rest()), gunzip, out);
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
