import type { FileStats } from '../types.js';
import { RecordAssembler, type AssembleOptions } from './assemble.js';
import { decodedChunks, detached, openSource, UnreadableInput } from './bytes.js';
import { emergencyBundle, looksLikeBundle } from '../formats/envelopes/bundle.js';
import { readBundle, type BundleRead } from './bundle.js';
import { isObject, readJsonArray } from './json-array.js';
import { hasLoneCR, LineSplitter } from './lines.js';
import { Needle } from './needle.js';
import type { Source } from './sources.js';

export type { Source } from './sources.js';
export { resolveSources, orderRotated } from './sources.js';

/** Reader options: everything the assembler needs except the shared sequence counter. */
export type ReadOptions = Omit<AssembleOptions, 'seq'> & {
  /** Asked after each chunk; a promise pauses reading until a slow consumer (a writer) catches up. */
  pause?: () => Promise<void> | undefined;
  /** Counts bytes read, for progress reports. */
  progress?: { bytes: number };
  /** Stop after about this many bytes of each input (whole read chunks): a sample of its head. */
  headBytes?: number;
};

/** A failure of whoever consumes the records, carried through the reader untouched. */
class ConsumerFailure extends Error {
  constructor(readonly cause: unknown) {
    super('consumer failed');
  }
}

/** A problem with one input; the others are still read. */
export interface ReadProblem {
  source: string;
  message: string;
}

/**
 * Reads every source in order, calling `opts.onRecord` for each record, and returns the line
 * accounting per source. Unreadable inputs and partial reads are reported through `onProblem`
 * and never stop the run.
 */
export async function readSources(
  sources: Source[],
  opts: ReadOptions,
  onProblem: (p: ReadProblem) => void,
): Promise<FileStats[]> {
  const seq = { next: 0 };
  const all: FileStats[] = [];
  for (const source of sources) {
    const asm = new RecordAssembler(source.name, { ...opts, seq });
    try {
      await readOne(source, asm, opts);
      all.push(asm.stats);
    } catch (e) {
      // The consumer failed (e.g. the disk it writes to is full): that ends the run, not the input.
      if (e instanceof ConsumerFailure) throw e.cause;
      asm.flush();
      const message = describeReadError(e, asm.stats.lines);
      if (asm.stats.lines > 0 || asm.stats.records > 0) {
        asm.stats.error = message;
        all.push(asm.stats);
      }
      onProblem({ source: source.name, message });
    }
  }
  return all;
}

/**
 * Bytes kept from the head of a stream input (a FIFO: it can be read once), for a command that
 * reads a sample of its inputs' heads again (trace's "not found" check).
 */
export const STREAM_HEAD_KEPT = 4 << 20;

/** The raw bytes of a source; a stream's head is kept as it is read, and a stream read before gives its kept head. */
function rawBytes(source: Source, opts: ReadOptions): AsyncIterable<Buffer> {
  if (!source.stream || source.stdin) return openSource(source);
  if (source.kept) {
    if (opts.headBytes === undefined) throw new UnreadableInput('a pipe (FIFO) or device is read once; this command reads it twice — save it to a file first');
    return (async function* () {
      yield source.kept!;
    })();
  }
  const kept: Buffer[] = [];
  let size = 0;
  source.kept = Buffer.alloc(0);
  return (async function* () {
    try {
      for await (const chunk of openSource(source)) {
        if (size < STREAM_HEAD_KEPT) {
          const part = Buffer.from(chunk.subarray(0, STREAM_HEAD_KEPT - size));
          kept.push(part);
          size += part.length;
        }
        yield chunk;
      }
    } finally {
      source.kept = Buffer.concat(kept, size);
    }
  })();
}

async function readOne(source: Source, asm: RecordAssembler, opts: ReadOptions): Promise<void> {
  const { pause, progress } = opts;
  const chunks = decodedChunks(rawBytes(source, opts), {
    onEncoding: (found) => {
      asm.stats.encoding = found.encoding;
      if (found.guessed) asm.stats.encoding_guessed = true;
    },
  });
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = async function* () {
    yield first.value;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  };
  if (looksLikeBundle(first.value.toString('utf8', 0, Math.min(first.value.length, BUNDLE_HEAD_BYTES)))) return readBundleInto(rest(), asm);
  if (looksLikeJsonArray(first.value)) {
    asm.stats.format = 'json-array';
    const lines = await readJsonArray(detached(rest()), ({ value, line }) => {
      if (isObject(value)) asm.element(value, line);
      else asm.stats.unparsed_lines++;
    });
    asm.flush();
    asm.stats.lines = lines;
    return;
  }
  const splitter = new LineSplitter(
    (buf, s, e) => asm.line(buf, s, e),
    () => asm.overlong(),
  );
  try {
    const wanted = asm.needles.length ? asm.needles : undefined;
    let read = 0;
    for await (const chunk of rest()) {
      if (progress) progress.bytes += chunk.length;
      pushChunk(chunk, splitter, asm, wanted);
      read += chunk.length;
      if (opts.headBytes !== undefined && read >= opts.headBytes) break;
      const wait = pause?.();
      if (wait) await wait.catch((cause: unknown) => Promise.reject(new ConsumerFailure(cause)));
    }
  } finally {
    // Whatever was read before a failure (truncated gzip) still counts.
    splitter.end();
    asm.flush();
    // A sample stops early: the input is closed.
    if (opts.headBytes !== undefined) await it.return?.(undefined);
  }
}

/** Bytes of a document's head searched for an emergency bundle's opening. */
const BUNDLE_HEAD_BYTES = 4096;

/**
 * An emergency bundle, streamed: each original record once, under its original source. The
 * document's lines are one record line (the others expanded from it) and, when it is
 * pretty-printed, continuation lines: the accounting adds up as for any document.
 */
async function readBundleInto(chunks: AsyncIterable<Buffer>, asm: RecordAssembler): Promise<void> {
  asm.stats.format = 'emergency-bundle';
  const found: BundleRead = { lines: 0, entries: 0, duplicates: 0, malformed: 0 };
  try {
    await readBundle(detached(chunks), (e) => asm.bundled(e.record, e.source, emergencyBundle.name, e.continuation), found);
  } finally {
    asm.flush();
    const s = asm.stats;
    s.lines = found.lines;
    const first = s.records > 0 ? 1 : 0;
    s.expanded_records = s.records - first;
    s.continuation_lines = Math.max(0, found.lines - first);
  }
}

/**
 * Feeds one chunk to the splitter. With wanted bytes, the lines of a chunk that holds none of
 * them (and continues no record) are counted without being visited, up to the last line that
 * opens with `{`: that line may open a pretty-printed object whose wanted bytes lie in the
 * next chunk, or a record whose continuation lines run into it, so it and the lines after it
 * are read as usual. Only chunks of JSON lines are skipped so: once a text layout has read a
 * record of the input, or when the chunk does not open with an object, every line is read.
 */
function pushChunk(chunk: Buffer, splitter: LineSplitter, asm: RecordAssembler, wanted: Needle[] | undefined): void {
  // A compressed CloudWatch subscription event hides its records' bytes: its chunk is read.
  // Lines counted unseen are counted at `\n`: a chunk with a lone `\r` line end is read.
  if (wanted && !asm.sawText && !splitter.hasPartial && !asm.holding && opensWithObject(chunk) && !wanted.some((n) => n.indexIn(chunk) !== -1) && AWSLOGS.indexIn(chunk) === -1 && !hasLoneCR(chunk)) {
    const brace = chunk.lastIndexOf('\n{');
    const cut = brace !== -1 ? brace + 1 : 0;
    if (cut > 0) {
      asm.skipWhole(countNewlines(chunk, cut), cut);
      splitter.push(chunk.subarray(cut));
      return;
    }
  }
  splitter.push(chunk);
}

/** Whether the chunk's first line starts with `{` (after a BOM). */
function opensWithObject(chunk: Buffer): boolean {
  const i = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
  return chunk[i] === 0x7b;
}

/** Searched from its rarest byte: `Buffer.indexOf` would stop at every quote. */
const AWSLOGS = new Needle(Buffer.from('"awslogs"'));

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** `[` followed by `{` or `]` (after white space and an optional BOM) opens an array document. */
function looksLikeJsonArray(head: Buffer): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (head[i] !== 0x5b) return false;
  i++;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  return head[i] === 0x7b || head[i] === 0x5d;
}

function describeReadError(e: unknown, n: number): string {
  const err = e as NodeJS.ErrnoException;
  const lines = `${n} line${n === 1 ? '' : 's'}`;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'Z_BUF_ERROR':
      return `truncated gzip data: read ${lines} before the end of the compressed stream; the rest is missing`;
    case 'Z_DATA_ERROR':
      return `corrupt gzip data after ${lines}: ${err.message}`;
  }
  if (/unexpected end of file/i.test(err.message ?? '')) {
    return `truncated gzip data: read ${lines} before the end of the compressed stream; the rest is missing`;
  }
  if (err.name === 'Error' && /Parser/.test(err.stack ?? '')) {
    return `malformed JSON array document: ${err.message}; the elements before it were read`;
  }
  return err.message ?? String(e);
}
