import type { ChalkInstance } from 'chalk';
import { rawValue } from '../../analyze/lib/field.js';
import type { TraceEntry, TraceResult } from '../../analyze/trace.js';
import { formatTime } from '../../normalize/time.js';
import type { LogRecord } from '../../types.js';
import { formatDuration, formatRange } from './format.js';
import { cell, commonPrefix, displayWidth, shorten, table, type Cell, type Column } from './layout.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';
import { LazyArray } from '../sink.js';

const STATUS_FIELDS = ['status_code', 'statusCode', 'status', 'http.status_code', 'http.response.status_code', 'res.statusCode'];
const RETRY_FIELDS = ['retry_count', 'retryCount', 'retries', 'attempt'];
const MAX_CONTINUATION = 12;

/** The extras worth a glance on a timeline line: operation, duration, status, retries, error type. */
export function extras(r: LogRecord, operationMs?: number): string[] {
  const out: string[] = [];
  if (r.operation) out.push(`op=${r.operation}`);
  if (r.eventType) out.push(`event=${r.eventType}`);
  const d = operationMs ?? r.durationMs;
  if (d !== undefined) out.push(`took=${formatDuration(d)}`);
  for (const f of STATUS_FIELDS) {
    const v = rawValue(r.raw, f);
    if (typeof v === 'number' || (typeof v === 'string' && /^\d{3}$/.test(v))) {
      out.push(`status=${v}`);
      break;
    }
  }
  for (const f of RETRY_FIELDS) {
    const v = rawValue(r.raw, f);
    if (typeof v === 'number' || typeof v === 'string') {
      out.push(`${f}=${v}`);
      break;
    }
  }
  if (r.errorType) out.push(`error=${r.errorType}`);
  if (r.errorMessage && r.errorMessage !== r.message) out.push(`error_message=${JSON.stringify(r.errorMessage)}`);
  return out;
}

function elapsed(e: TraceEntry): string {
  return e.elapsedMs === undefined ? '?' : `+${formatDuration(e.elapsedMs)}`;
}

/** The mark of a timeline record matched only by an id in its text. */
export const TEXT_MARK = '[id in text]';

/** Records shown by the human view of a long trace unless every one is asked for (`--all`). */
export const SHOWN_RECORDS = 200;

/** Gaps the human summary lists (longest first); `--json` has up to MAX_GAPS of them and `gaps_total`. */
export const SHOWN_GAPS = 10;

/** How much of the timeline the human view shows, and how wide. */
export interface TraceViewOptions {
  /** At most this many records: the first and last halves, with a line saying how many were left out. */
  limit?: number;
  /** No line is wider than this (display columns); default: unbounded. */
  width?: number;
}

/** The human timeline of a trace with its closing analysis, as one string (short traces). */
export function renderTrace(res: TraceResult, c: ChalkInstance, opts: TraceViewOptions = {}): string {
  let text = '';
  for (const line of traceLines(res, c, opts)) text += line + '\n';
  return text;
}

/** Columns before the service: `+elapsed` right-aligned in 9, then two spaces. */
const ELAPSED = 9;
/**
 * The message comes first: it keeps its natural width, and the extras get what it leaves. A
 * message too long for its room keeps at least this many columns (the extras take the rest).
 */
const MESSAGE_MIN = 40;
/** The columns a deep tree indent leaves the message before its depth is numbered. */
const TREE_MESSAGE_ROOM = 30;
/** The fewest columns the extras are shown in. */
const EXTRAS_MIN = 8;

/**
 * The lines of the human timeline, made one at a time so that a trace of millions of records
 * (`--all`) is written as it is rendered instead of being built as one string. Every line fits
 * `opts.width`: a long service name loses its middle, the message keeps its natural width (the
 * extras get what it leaves), and a message too long for its room loses the start all rows share
 * and the traced ids' tails, then its end, never below MESSAGE_MIN columns.
 */
export function* traceLines(res: TraceResult, c: ChalkInstance, opts: TraceViewOptions = {}): Generator<string> {
  const s = res.summary;
  const all = res.entries;
  const width = opts.width ?? Infinity;
  const limit = opts.limit ?? Infinity;
  const cut = all.length > limit;
  const head = cut ? Math.ceil(limit / 2) : all.length;
  const shown = cut ? all.slice(0, head).concat(all.slice(all.length - Math.floor(limit / 2))) : all;
  const ids = res.ids.map(visible).join(', ');
  yield shorten(c.bold(`trace ${ids}`) + c.dim(` — ${s.records} records, ${s.services.length} services, ${formatDuration(s.duration_ms ?? undefined)}`), width);
  let widest = 8;
  for (const e of shown) widest = Math.max(widest, displayWidth(visible(e.record.service ?? e.record.component ?? '')));
  // The service column grows with the width (a third of what follows the elapsed time), and
  // leaves the message at least 40 columns; a longer name loses its middle.
  const rest = width - (ELAPSED + 2 + 1 + 5 + 1);
  const who = Math.max(8, Math.min(widest, Math.max(12, Math.min(rest - 40, Math.max(22, Math.floor(rest / 3))))));
  const shortIds = idShortener(res.ids);
  // The start the messages share (`TraceID: 4bf92f35… SpanID: `) goes first from a message that is cut.
  const sample = shown.slice(0, 1000).map((e) => shortIds(visible(e.record.message ?? e.record.eventType ?? '')));
  const prefix = commonPrefix(sample);
  const squeeze = (m: string) => {
    const t = shortIds(m);
    return prefix.length >= 8 && t.startsWith(prefix) ? '…' + t.slice(prefix.length) : t;
  };
  // A trace has few services and many rows: each name is fitted to its column once.
  const names = new Map<string, string>();
  for (let i = 0; i < shown.length; i++) {
    if (cut && i === head) {
      const tail = shown.length - head;
      const which = tail === head ? `the first and last ${head}` : `the first ${head} and last ${tail}`;
      yield shorten(c.dim(`  … ${all.length - shown.length} records left out (${which} are shown; --all shows all)`), width);
    }
    yield* entryLines(shown[i], c, who, width, squeeze, names);
  }
  yield* summaryLines(res, c, width, squeeze);
}



/**
 * Shortens the traced ids where a message holding them does not fit: the header names the id,
 * so `TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: …` (every row of an OpenTelemetry demo
 * trace) becomes `TraceID: 4bf92f35… SpanID: …` and what differs from row to row shows.
 */
function idShortener(ids: string[]): (msg: string) => string {
  const long = ids.filter((id) => id.length >= 16);
  if (long.length === 0) return (m) => m;
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(long.map(esc).join('|'), 'gi');
  return (m) => m.replace(re, (id) => id.slice(0, 8) + '…');
}

/** Columns of a tree indent: its bars and marks are one column each. */
const indentWidth = (indent: string) => indent.length;

function* entryLines(e: TraceEntry, c: ChalkInstance, who: number, width: number, squeeze: (m: string) => string, names: Map<string, string>): Generator<string> {
  const r = e.record;
  const name = visible(r.service ?? r.component ?? '-');
  const before = ELAPSED + 2 + who + 1 + 5 + 1;
  let indent = treeIndent(e.depth);
  // Deep trees give way to the message: past what the width spares, the depth is numbered.
  if (before + indentWidth(indent) > width - TREE_MESSAGE_ROOM) indent = compactIndent(e.depth, Math.max(0, width - TREE_MESSAGE_ROOM - before));
  let msg = visible(r.message ?? r.eventType ?? '');
  const paint = r.level === 'error' || r.level === 'fatal' ? c.red : r.level === 'warn' ? c.yellow : (t: string) => t;
  const items = extras(r, e.operationMs).map(visible);
  // A record found by the id in its text, not in an id field, says so: it may be a mention.
  const how = e.matched === 'text' ? TEXT_MARK : '';
  const room = width - before - indentWidth(indent) - (how ? 2 + TEXT_MARK.length : 0);
  let ex = items.join(' ');
  let msgW = displayWidth(msg);
  let exW = ex ? displayWidth(ex) : 0;
  if (msgW + (ex ? 2 + exW : 0) > room) {
    // Only a message that does not fit its own room loses the start all rows share and the traced ids' tails.
    if (msgW > room) {
      msg = squeeze(msg);
      msgW = displayWidth(msg);
    }
    const keep = messageRoom(msgW, room, exW);
    const exRoom = room - keep - 2;
    ex = exRoom >= EXTRAS_MIN && items.length ? fitItems(items, exRoom) : '';
    exW = ex ? displayWidth(ex) : 0;
    const left = room - (ex ? 2 + exW : 0);
    if (msgW > left) {
      // A squeezed message is cut after its `…`, so that plain text stays plain for the cut.
      msg = msg.startsWith('…') && left > 1 ? '…' + shorten(msg.slice(1), left - 1) : shorten(msg, left);
      msgW = displayWidth(msg);
    }
  }
  let shownName = names.get(name);
  if (shownName === undefined) {
    shownName = cell(name, who, 'middle');
    if (names.size < 10_000) names.set(name, shownName);
  }
  const line = `${c.dim(elapsed(e).padStart(ELAPSED))}  ${c.cyan(shownName)} ${levelTag(r.level, c)} ${c.dim(indent)}${paint(msg)}${ex ? '  ' + c.dim(ex) : ''}${how ? '  ' + c.magenta(how) : ''}`;
  // Measured by parts: the whole line is measured (and cut) only when they say it is too wide.
  const total = Math.max(ELAPSED, elapsed(e).length) + 2 + who + 1 + 5 + 1 + indentWidth(indent) + msgW + (ex ? 2 + exW : 0) + (how ? 2 + TEXT_MARK.length : 0);
  yield total <= width ? line : shorten(line, width);
  const cont = r.continuation;
  const lead = ' '.repeat(before) + indent;
  for (const l of cont.slice(0, MAX_CONTINUATION)) {
    const v = visible(l);
    yield before + indentWidth(indent) + displayWidth(v) <= width ? c.dim(lead + v) : shorten(c.dim(lead + v), width);
  }
  if (cont.length > MAX_CONTINUATION) yield shorten(c.dim(`${lead}… ${cont.length - MAX_CONTINUATION} more lines (${r.source})`), width);
}

/**
 * The columns a message keeps on a row whose message and extras (`extrasW` wide) do not both fit
 * `room`: its natural width when it fits, else the room the extras leave, never below MESSAGE_MIN.
 */
export function messageRoom(msgW: number, room: number, extrasW: number): number {
  if (msgW <= room) return msgW;
  return Math.min(room, Math.max(MESSAGE_MIN, room - 2 - extrasW));
}

/**
 * The extras within `room` columns: whole items in their order, an item that does not fit left
 * out (a shorter one after it may: `took=`, `error=`) and the leaving-out marked `…`; when no
 * item fits whole, the first is cut.
 */
function fitItems(items: string[], room: number): string {
  let out = '';
  let skipped = false;
  for (const it of items) {
    const next = out ? `${out} ${it}` : it;
    // Room is kept for the ` …` that says an item was left out, unless this is the last.
    if (displayWidth(next) + (it === items[items.length - 1] && !skipped ? 0 : 2) <= room) out = next;
    else skipped = true;
  }
  if (!out) return shorten(items[0] ?? '', room);
  return skipped ? out + ' …' : out;
}

/** Levels of the operation tree drawn; deeper ones are numbered (unclosed starts can nest thousands deep). */
const MAX_DRAWN_DEPTH = 24;

function treeIndent(depth: number): string {
  return depth <= MAX_DRAWN_DEPTH ? '│ '.repeat(depth) : '│ '.repeat(MAX_DRAWN_DEPTH - 1) + `┆${depth} `;
}

/** A tree indent in at most `room` columns: as many bars as fit, then the depth numbered. */
function compactIndent(depth: number, room: number): string {
  if (depth === 0) return '';
  const mark = `┆${depth} `;
  if (room < mark.length) return '';
  return '│ '.repeat(Math.min(depth - 1, Math.floor((room - mark.length) / 2))) + mark;
}

function* summaryLines(res: TraceResult, c: ChalkInstance, width: number, squeeze: (m: string) => string): Generator<string> {
  const s = res.summary;
  yield '';
  yield c.bold('Summary');
  const first = res.entries.find((e) => e.time !== undefined)?.time;
  const last = findLast(res.entries, (e) => e.time !== undefined)?.time;
  yield shorten(`  duration  ${formatDuration(s.duration_ms ?? undefined)}${first !== undefined && last !== undefined ? c.dim(`  ${formatRange(first, last, 'ms')}`) : ''}`, width);
  yield shorten(`  services  ${s.services.map(visible).join(', ') || '-'}`, width);
  if (s.first_error) {
    const at = first !== undefined && s.first_error.time !== undefined ? ` at +${formatDuration(s.first_error.time - first)}` : '';
    const lead = `  errors    ${c.red(String(s.errors))}; first failure in ${c.bold(visible(s.first_error.service ?? '?'))}${at}: `;
    const src = s.first_error.source;
    const room = width - displayWidth(lead);
    let what = visible(s.first_error.message ?? s.first_error.error_type ?? '');
    if (displayWidth(what) > room) what = squeeze(what);
    // The source follows the message when both fit, else it goes: the message matters more.
    const both = displayWidth(what) + 1 + displayWidth(src) <= room;
    yield shorten(lead + (both ? `${what} ${c.dim(src)}` : shorten(what, room)), width);
  } else {
    yield `  errors    0`;
  }
  if (s.warnings) yield `  warnings  ${c.yellow(String(s.warnings))}`;
  if (s.slow_operations.length) {
    yield shorten(`  slow      ${s.slow_operations.map((o) => `${visible(o.operation ?? o.source)} ${formatDuration(o.duration_ms)} (${visible(o.service ?? '?')})`).join(', ')}`, width);
  }
  if (s.retries) yield `  retries   ${s.retries}`;
  if (s.text_matches) yield shorten(`  in text   ${s.text_matches} record${s.text_matches === 1 ? '' : 's'} matched by the id in their text only ${c.magenta(TEXT_MARK)}`, width);
  if (s.unclosed_operations) yield shorten(`  unclosed  ${s.unclosed_operations} operation${s.unclosed_operations === 1 ? '' : 's'} started and never ended${s.max_depth > MAX_DRAWN_DEPTH ? c.dim(` (nested ${s.max_depth} deep; the tree is drawn ${MAX_DRAWN_DEPTH} levels deep, deeper levels numbered ┆n)`) : ''}`, width);
  yield* gapLines(res, c, width, first, squeeze);
}

/**
 * One line per gap, longest first (mid-incident the question is where the time went, and when
 * the list is cut the shortest are the ones left out): its length, where it starts in the
 * timeline, the service and message on each side, and the sources when there is room.
 */
function* gapLines(res: TraceResult, c: ChalkInstance, width: number, first: number | undefined, squeeze: (m: string) => string): Generator<string> {
  const s = res.summary;
  if (s.gaps.length === 0) return;
  const gaps = s.gaps.slice(0, SHOWN_GAPS);
  const lengths = gaps.map((g) => formatDuration(g.gap_ms));
  const starts = gaps.map((g) => (first !== undefined ? `+${formatDuration(g.after_time - first)}` : '?'));
  const afterServices = gaps.map((g) => visible(g.after_service ?? '-'));
  const beforeServices = gaps.map((g) => visible(g.before_service ?? '-'));
  const afters = gaps.map((g) => visible(g.after_message ?? '-'));
  const befores = gaps.map((g) => visible(g.before_message ?? '-'));
  const widest = (texts: string[], max = Infinity) => Math.min(max, texts.reduce((m, t) => Math.max(m, displayWidth(t)), 0));
  // What the two message columns share: the width less the indent, the six gaps between columns and the rest.
  const INDENT = 4;
  const SERVICE_MAX = 32;
  const others = widest(lengths) + widest(starts) + widest(afterServices, SERVICE_MAX) + 1 + widest(beforeServices, SERVICE_MAX);
  const messages = width - INDENT - 6 * 2 - others;
  const [afterW, beforeW] = [widest(afters), widest(befores)];
  // Each message keeps its natural width when both fit; else a column gets what the other leaves of
  // its half, and only a message wider than that loses the start all rows share and the ids' tails.
  const fitsAll = afterW + beforeW <= messages;
  const shareOf = (other: number) => messages - Math.min(other, Math.floor(messages / 2));
  const squeezed = (texts: string[], share: number) => (fitsAll ? texts : texts.map((t) => (displayWidth(t) > share ? squeeze(t) : t)));
  const afterShown = squeezed(afters, shareOf(beforeW));
  const beforeShown = squeezed(befores, shareOf(afterW));
  const rows: Cell[][] = gaps.map((g, i) => [
    lengths[i],
    starts[i],
    { text: afterServices[i], paint: c.cyan },
    afterShown[i],
    '→',
    { text: beforeServices[i], paint: c.cyan },
    beforeShown[i],
    { text: sources(g.after, g.before), paint: c.dim },
  ]);
  const more = s.gaps_total - gaps.length;
  yield shorten(`  gaps      ${s.gaps_total} silence${s.gaps_total === 1 ? '' : 's'}, longest first ${c.dim('(length, start, the records before → after)')}`, width);
  const columns: Column[] = [
    { header: '', kind: 'number' },
    { header: '', kind: 'number' },
    { header: '', kind: 'key', min: 8, max: SERVICE_MAX },
    { header: '', kind: 'text', min: 10 },
    { header: '', kind: 'number' },
    { header: '', kind: 'key', min: 8, max: SERVICE_MAX },
    { header: '', kind: 'text', min: 10 },
  ];
  const indent = ' '.repeat(INDENT);
  const natural = others + widest(afterShown) + widest(beforeShown);
  // The sources come last, and only in the room the rest leaves whole (the messages matter more).
  const spare = width - indent.length - natural - 2 * columns.length;
  if (spare >= 24) columns.push({ header: '', kind: 'path', max: spare, min: 24 });
  yield* table(columns, columns.length === 8 ? rows : rows.map((r) => r.slice(0, 7)), width === Infinity ? 100_000 : width, { indent, gap: '  ', header: false }).map((l) => shorten(l, width));
  if (more > 0) yield shorten(c.dim(`    +${more} more gap${more === 1 ? '' : 's'} (--json for all${s.gaps_total > s.gaps.length ? ` up to the longest ${s.gaps.length}` : ''})`), width);
}

/** `a.log:12 → b.log:40`, or `a.log:12 → :14` when both are in one file. */
function sources(after: string, before: string): string {
  const i = after.lastIndexOf(':');
  const j = before.lastIndexOf(':');
  if (i > 0 && j > 0 && after.slice(0, i) === before.slice(0, j)) return `${after} → ${before.slice(j)}`;
  return `${after} → ${before}`;
}

function findLast<T>(a: readonly T[], pred: (t: T) => boolean): T | undefined {
  for (let i = a.length - 1; i >= 0; i--) if (pred(a[i])) return a[i];
  return undefined;
}

/** The `--json` form of a trace (spec §4 contract). */
export function traceJson(res: TraceResult): unknown {
  const s = res.summary;
  return {
    ids: res.ids,
    // Made record by record as the document is written (see LazyArray).
    records: new LazyArray(res.entries, (e) => ({
      source: e.record.source,
      time: e.record.time === undefined ? null : formatTime(e.record.time),
      elapsed_ms: e.elapsedMs ?? null,
      level: e.record.level,
      service: e.record.service ?? e.record.component ?? null,
      operation: e.record.operation ?? null,
      message: e.record.message ?? null,
      matched: e.matched,
      record: e.record.raw,
      ...(e.record.continuation.length ? { continuation: e.record.continuation } : {}),
    })),
    summary: {
      records: s.records,
      duration_ms: s.duration_ms,
      errors: s.errors,
      warnings: s.warnings,
      services: s.services,
      first_error: s.first_error && { ...s.first_error, time: s.first_error.time === undefined ? null : formatTime(s.first_error.time) },
      slow_operations: s.slow_operations,
      retries: s.retries,
      gaps: s.gaps.map((g) => ({ ...g, after_time: formatTime(g.after_time), before_time: formatTime(g.before_time) })),
      gaps_total: s.gaps_total,
      text_matches: s.text_matches,
      unclosed_operations: s.unclosed_operations,
      max_depth: s.max_depth,
    },
    missing: res.missing,
  };
}
