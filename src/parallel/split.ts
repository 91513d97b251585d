import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { looksLikeBundle } from '../formats/envelopes/bundle.js';
import { ENVELOPES, LINE_ENVELOPES } from '../formats/envelopes/index.js';
import { LAYOUTS, layoutNamed } from '../formats/layouts/index.js';
import type { Layout, LayoutContext } from '../formats/types.js';
import { isJsonObject } from '../normalize/probe.js';
import { isContinuation } from '../read/continuation.js';
import { sniff } from '../read/bytes.js';
import type { JsonObject } from '../types.js';

/** A byte range of one file that a worker reads. */
export interface Range {
  source: number;
  name: string;
  path: string;
  start: number;
  end: number;
  /**
   * The text layout of the file, for a range cut inside a text file: its reader tries that
   * layout first, as the reader of the whole file would by then in a file of one layout. A file
   * that mixes layouts may have chosen another before the cut: the parent checks the layout the
   * range before ended with (see `checkCuts`), and the range's layout memory starts unknown.
   */
  layout?: string;
}

const PROBE = 1 << 20;

/**
 * Whether a line is one JSON object and no envelope: it opens a record whatever came before it.
 * A line that is not JSON may continue the record before it (or be read by its layout), and an
 * envelope's text line may continue a record of the same envelope.
 */
function opensRecord(line: Buffer): boolean {
  if (!isJsonObject(line, 0, line.length)) return false;
  const obj = JSON.parse(line.toString('utf8')) as JsonObject;
  return !ENVELOPES.some((e) => e.match(obj));
}

/**
 * The first `\n{` in `buf` whose line cannot be a Docker json-file line (no `log"` key, no
 * `\u` escape that could spell one): such a line may carry the traceback of the record before
 * it, and must stay in that record's range. -1 when there is none.
 */
function cutPoint(buf: Buffer): number {
  for (let at = buf.indexOf('\n{'); at !== -1; at = buf.indexOf('\n{', at + 1)) {
    const end = buf.indexOf(10, at + 1);
    if (end === -1) return -1;
    const line = buf.subarray(at + 1, end);
    if (line.indexOf('log"') === -1 && line.indexOf('\\u') === -1 && opensRecord(line)) return at;
  }
  return -1;
}

const HEAD_PROBE = 64 << 10;

/**
 * The layout a text file is written in: the one that reads its first record line (`--format`
 * when given). Undefined for JSON lines, for lines no layout reads, and for files of line
 * envelopes (CRI): their partial lines may join across any cut, and for layouts that read a
 * line with what earlier lines said (a header's columns).
 */
function textLayout(head: string, format: string | undefined, ctx: LayoutContext): Layout | undefined {
  if (format === 'json') return undefined;
  const forced = format === undefined ? undefined : layoutNamed(format);
  for (const line of head.split('\n').slice(0, -1)) {
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('{') || LINE_ENVELOPES.some((e) => e.open(line))) return undefined;
    if (forced) return forced.parse(line, ctx) && !forced.stateful ? forced : undefined;
    const layout = LAYOUTS.find((l) => l.parse(line, ctx));
    if (layout) return layout.stateful ? undefined : layout;
  }
  return undefined;
}

/**
 * The first newline in `buf` after which a line opens a record of `layout` whatever came
 * before it: the layout reads it, it cannot be a continuation line, no envelope opens it and
 * it holds no JSON object. -1 when there is none.
 */
function textCutPoint(buf: Buffer, layout: Layout, ctx: LayoutContext): number {
  for (let at = buf.indexOf(10); at !== -1; at = buf.indexOf(10, at + 1)) {
    const end = buf.indexOf(10, at + 1);
    if (end === -1) return -1;
    const line = buf.toString('utf8', at + 1, buf[end - 1] === 13 ? end - 1 : end);
    if (line === '' || line.includes('{') || isContinuation(line, true)) continue;
    if (layout.parse(line, ctx) && !LINE_ENVELOPES.some((e) => e.open(line))) return at;
  }
  return -1;
}

/**
 * Cuts a file into about `parts` ranges at line starts that open a record, so no record, and
 * no continuation line, is split from its record: before a JSON object (`\n{`; a Docker line
 * may be a continuation, so not there), or in a text file before a line its layout reads.
 * Compressed and UTF-16 files, JSON array documents, emergency bundles and streams (FIFOs) are not split
 * (undefined): they are read whole.
 */
export function splitFile(source: number, name: string, path: string, parts: number, format?: string, now = Date.now()): Range[] | undefined {
  const st = statSync(path);
  // A FIFO or a device is a stream: it is read in order, on one thread (opening it here would wait for a writer).
  if (!st.isFile()) return undefined;
  const size = st.size;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_PROBE, size));
    readSync(fd, head, 0, head.length, 0);
    // Compressed or UTF-16 bytes are decoded from the start: such a file is read whole.
    const found = sniff(head);
    if (found.compression || found.encoding || head.toString('latin1', 0, 64).trimStart().startsWith('[') || looksLikeBundle(head.toString('utf8', 0, 4096))) return undefined;
    const ctx = { year: new Date(now).getUTCFullYear(), now, memory: {} };
    const layout = parts > 1 ? textLayout(head.toString('utf8'), format, ctx) : undefined;
    const cuts = [0];
    const buf = Buffer.alloc(PROBE);
    for (let k = 1; k < parts; k++) {
      const from = Math.floor((size * k) / parts);
      const n = readSync(fd, buf, 0, PROBE, from);
      const at = layout ? textCutPoint(buf.subarray(0, n), layout, ctx) : cutPoint(buf.subarray(0, n));
      if (at !== -1 && from + at + 1 > cuts[cuts.length - 1]) cuts.push(from + at + 1);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, i) => ({ source, name, path, start, end: cuts[i + 1], ...(layout && i > 0 ? { layout: layout.name } : {}) }));
  } finally {
    closeSync(fd);
  }
}
