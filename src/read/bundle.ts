import { createRequire } from 'node:module';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type AssemblerModule from 'stream-json/Assembler.js';
import type ParserModule from 'stream-json/Parser.js';
import { BUNDLE_LISTS, bundleEntry, type BundleEntry } from '../formats/envelopes/bundle.js';

const require = createRequire(import.meta.url);

/** A token of stream-json's parser (values packed, not streamed). */
interface Token {
  name: string;
  value?: unknown;
}

/**
 * The sources of the records a bundle gave so far, to give a record that is in several lists
 * once. Eight bytes a record: per file, the sorted line numbers of the lists read before the
 * current one (a record is in a list at most once, so only earlier lists are searched).
 */
export class SeenSources {
  private done = new Map<string, Float64Array>();
  private pending = new Map<string, number[]>();
  /** Sources without a line number (`-` for stdin has one; anything else odd). */
  private other = new Set<string>();

  has(source: string): boolean {
    const m = SOURCE.exec(source);
    if (!m) return this.other.has(source);
    const lines = this.done.get(m[1]);
    if (!lines) return false;
    const n = Number(m[2]);
    let lo = 0;
    let hi = lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid] === n) return true;
      if (lines[mid] < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  add(source: string): void {
    const m = SOURCE.exec(source);
    if (!m) return void this.other.add(source);
    let list = this.pending.get(m[1]);
    if (!list) this.pending.set(m[1], (list = []));
    list.push(Number(m[2]));
  }

  /** A new list starts: the sources of the one before become searchable. */
  nextList(): void {
    for (const [file, lines] of this.pending) {
      const old = this.done.get(file);
      const all = new Float64Array((old?.length ?? 0) + lines.length);
      if (old) all.set(old);
      all.set(lines, old?.length ?? 0);
      this.done.set(file, all.sort());
    }
    this.pending.clear();
  }
}

const SOURCE = /^(.*):(\d+)$/;

/** What reading a bundle found. */
export interface BundleRead {
  /** Physical lines of the document (one as `logtool emergency` writes it). */
  lines: number;
  /** Entries in all lists, and those left out as the same record seen in an earlier list. */
  entries: number;
  duplicates: number;
  /** Entries that are no `{source, record}`. */
  malformed: number;
}

/** The document was cut (a truncated file or gzip stream): what was read before the cut stands. */
export class BundleCut extends Error {}

/**
 * Streams an emergency bundle (`{"generated_at", "errors":[{source, record}…],
 * "performance_violations":[…], "circuit_breaker_events":[…], "inputs", "summary"…}`) through
 * stream-json: only one list entry is held at a time, the rest of the document is walked
 * token by token. Calls `onRecord` once per original record, in the bundle's order (a record
 * in several lists at its first). `found` is filled as the read goes, so that a reader whose
 * input fails midway still has the figures of what was read.
 */
export async function readBundle(chunks: AsyncIterable<Buffer>, onRecord: (entry: BundleEntry) => void, found: BundleRead): Promise<void> {
  const Parser = require('stream-json/Parser.js') as typeof ParserModule;
  const Assembler = require('stream-json/Assembler.js') as typeof AssemblerModule;
  const seen = new SeenSources();
  /** Nesting outside any list entry: 1 inside the document's object, 2 inside one of its values. */
  let depth = 0;
  let key: string | undefined;
  let list: string | undefined;
  let entry: InstanceType<typeof AssemblerModule> | undefined;
  let newlines = 0;
  let lastByte = -1;
  let ended = false;

  const take = (value: unknown) => {
    found.entries++;
    const e = bundleEntry(value);
    if (!e) return void found.malformed++;
    if (seen.has(e.source)) return void found.duplicates++;
    seen.add(e.source);
    onRecord(e);
  };

  const token = (t: Token) => {
    if (entry) {
      entry.consume(t as never);
      if (entry.done) {
        const value = entry.current as unknown;
        entry = undefined;
        take(value);
      }
      return;
    }
    switch (t.name) {
      case 'startObject':
      case 'startArray':
        if (list !== undefined && depth === 2) {
          entry = new Assembler();
          entry.consume(t as never);
          return;
        }
        if (depth === 1 && t.name === 'startArray' && key !== undefined && BUNDLE_LISTS.includes(key)) {
          list = key;
          seen.nextList();
        }
        depth++;
        return;
      case 'endObject':
      case 'endArray':
        depth--;
        if (depth === 1) list = undefined;
        return;
      case 'keyValue':
        if (depth === 1) key = t.value as string;
        return;
      default:
        // A scalar where a list expects an entry.
        if (list !== undefined && depth === 2) take(t.value);
    }
  };

  const source = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
        if (chunk.length > 0) lastByte = chunk[chunk.length - 1];
        found.lines = newlines + (lastByte !== -1 && lastByte !== 10 ? 1 : 0);
        yield chunk;
      }
      ended = true;
    })(),
  );
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    write(t: Token, _enc, cb) {
      token(t);
      cb();
    },
  });
  try {
    await pipeline(source, new Parser({ packValues: true, streamValues: false }), sink);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const records = found.entries - found.duplicates - found.malformed;
    const read = `${records} record${records === 1 ? '' : 's'} read before`;
    if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message ?? '')) {
      throw new BundleCut(`truncated emergency bundle: ${read} the end of the compressed stream; the rest is missing`);
    }
    if (/^Parser /.test(err.message ?? '')) {
      if (ended) throw new BundleCut(`truncated emergency bundle: ${read} the document ends; the rest is missing`);
      throw new BundleCut(`malformed emergency bundle (${err.message.replace(/^Parser (cannot parse input: )?/, '')}): ${read} the fault`);
    }
    throw e;
  }
  if (depth !== 0 || entry) throw new BundleCut(`truncated emergency bundle: the document ends inside ${list ?? 'it'}; the rest is missing`);
}
