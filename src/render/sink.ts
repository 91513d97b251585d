/**
 * Everything a command writes to stdout in bulk goes through here: long output is written in
 * pieces and waits while the reader is behind (stdout's backpressure), so memory stays bounded
 * and no single string has to hold the whole answer.
 */
import { out, write } from './output.js';
import { inertJson } from './text/sanitize.js';

/** Text is handed to stdout in pieces of about this many characters. */
const PIECE = 64 * 1024;
/** Arrays longer than this are written element by element rather than stringified whole. */
const SPLIT_ARRAY = 64;

/**
 * An array whose elements are made only as they are written: `records` of a trace with two
 * million entries is not built as a second two-million-element array. `JSON.stringify` sees
 * the whole array (through `toJSON`), so both forms give the same text.
 */
export class LazyArray<T, U> {
  constructor(
    readonly items: readonly T[],
    readonly map: (item: T) => U,
  ) {}
  toJSON(): U[] {
    return this.items.map(this.map);
  }
}

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` plus a newline, byte for byte, without
 * ever holding the whole text: the envelope is written piece by piece, each element of a long
 * array is stringified on its own, and stdout's backpressure is awaited between pieces. One
 * giant string fails beyond V8's string limit (~512 MB) and holds the whole answer twice.
 */
export async function writeJson(value: unknown): Promise<void> {
  let buf: string[] = [];
  let size = 0;
  for (const piece of jsonPieces(value)) {
    buf.push(piece);
    size += piece.length;
    if (size >= PIECE) {
      await write(inertJson(buf.join('')));
      buf = [];
      size = 0;
    }
  }
  buf.push('\n');
  await write(inertJson(buf.join('')));
}

/** Writes lines of text in pieces of about 64 KB, waiting on stdout's backpressure between pieces. */
export async function writeLines(lines: Iterable<string>): Promise<void> {
  let buf = '';
  for (const line of lines) {
    buf += line + '\n';
    if (buf.length >= PIECE) {
      await write(buf);
      buf = '';
    }
  }
  if (buf) await write(buf);
}

/** One JSON line (`--ndjson`, `--annotate`); callers wait on `drained()` between records. */
export function writeJsonLine(value: unknown): void {
  out(inertJson(JSON.stringify(value)) + '\n');
}

/** The pieces whose concatenation is `JSON.stringify(value, null, 2)`. */
export function jsonPieces(value: unknown): Iterable<string> {
  return pieces(resolve(value, ''), '', 0);
}

/** What JSON.stringify gives a value after `toJSON`: undefined for those it leaves out. */
function resolve(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof LazyArray) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  return value;
}

function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** The pieces of `JSON.stringify(value, null, 2)` for a value (after `toJSON`) found at `indent`. */
function* pieces(value: unknown, indent: string, depth: number): Generator<string> {
  const inner = indent + '  ';
  if (value instanceof LazyArray || (Array.isArray(value) && value.length > SPLIT_ARRAY)) {
    const items = value instanceof LazyArray ? value.items : (value as unknown[]);
    const map = value instanceof LazyArray ? value.map : (v: unknown) => v;
    if (items.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < items.length; i++) {
      yield i === 0 ? '\n' + inner : ',\n' + inner;
      const v = resolve(map(items[i]), String(i));
      if (omitted(v)) yield 'null';
      else yield* pieces(v, inner, depth + 1);
    }
    yield '\n' + indent + ']';
    return;
  }
  // The envelope and its members are opened up (a long array may sit in any of them);
  // anything deeper, such as one record, is small enough to stringify whole.
  if (depth < 2 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const members = Object.keys(value)
      .map((k) => [k, resolve((value as Record<string, unknown>)[k], k)] as const)
      .filter(([, v]) => !omitted(v));
    if (members.length === 0) {
      yield '{}';
      return;
    }
    yield '{';
    for (let i = 0; i < members.length; i++) {
      yield (i === 0 ? '\n' : ',\n') + inner + JSON.stringify(members[i][0]) + ': ';
      yield* pieces(members[i][1], inner, depth + 1);
    }
    yield '\n' + indent + '}';
    return;
  }
  const text = JSON.stringify(value, null, 2);
  yield indent && text.includes('\n') ? text.replace(/\n/g, '\n' + indent) : text;
}
