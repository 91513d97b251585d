import type { ChalkInstance } from 'chalk';
import { rawValue } from '../../analyze/lib/field.js';
import type { TraceEntry, TraceResult } from '../../analyze/trace.js';
import { formatTime } from '../../normalize/time.js';
import type { LogRecord } from '../../types.js';
import { fit, formatDuration, formatRange } from './format.js';
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

/** How much of the timeline the human view shows. */
export interface TraceViewOptions {
  /** At most this many records: the first and last halves, with a line saying how many were left out. */
  limit?: number;
}

/** The human timeline of a trace with its closing analysis, as one string (short traces). */
export function renderTrace(res: TraceResult, c: ChalkInstance, opts: TraceViewOptions = {}): string {
  let text = '';
  for (const line of traceLines(res, c, opts)) text += line + '\n';
  return text;
}

/**
 * The lines of the human timeline, made one at a time so that a trace of millions of records
 * (`--all`) is written as it is rendered instead of being built as one string.
 */
export function* traceLines(res: TraceResult, c: ChalkInstance, opts: TraceViewOptions = {}): Generator<string> {
  const s = res.summary;
  const all = res.entries;
  const limit = opts.limit ?? Infinity;
  const cut = all.length > limit;
  const head = cut ? Math.ceil(limit / 2) : all.length;
  const shown = cut ? all.slice(0, head).concat(all.slice(all.length - Math.floor(limit / 2))) : all;
  const ids = res.ids.map(visible).join(', ');
  yield c.bold(`trace ${ids}`) + c.dim(` — ${s.records} records, ${s.services.length} services, ${formatDuration(s.duration_ms ?? undefined)}`);
  let widest = 8;
  for (const e of shown) widest = Math.max(widest, (e.record.service ?? e.record.component ?? '').length);
  const who = Math.min(22, widest);
  for (let i = 0; i < shown.length; i++) {
    if (cut && i === head) {
      yield c.dim(`${' '.repeat(11)}… ${all.length - shown.length} records left out (the first ${head} and last ${shown.length - head} are shown; --all shows every record)`);
    }
    yield* entryLines(shown[i], c, who);
  }
  yield* summaryLines(res, c);
}

function* entryLines(e: TraceEntry, c: ChalkInstance, who: number): Generator<string> {
  const r = e.record;
  const indent = treeIndent(e.depth);
  const name = visible(r.service ?? r.component ?? '-');
  const msg = visible(r.message ?? r.eventType ?? '');
  const paint = r.level === 'error' || r.level === 'fatal' ? c.red : r.level === 'warn' ? c.yellow : (t: string) => t;
  const ex = extras(r, e.operationMs).map(visible).join(' ');
  // A record found by the id in its text, not in an id field, says so: it may be a mention.
  const how = e.matched === 'text' ? '  ' + c.magenta(TEXT_MARK) : '';
  yield `${c.dim(elapsed(e).padStart(9))}  ${c.cyan(fit(name, who))} ${levelTag(r.level, c)} ${c.dim(indent)}${paint(msg)}${ex ? '  ' + c.dim(ex) : ''}${how}`;
  const cont = r.continuation;
  for (const l of cont.slice(0, MAX_CONTINUATION)) yield c.dim(`${' '.repeat(9 + 2 + who + 7)}${indent}${visible(l)}`);
  if (cont.length > MAX_CONTINUATION) yield c.dim(`${' '.repeat(9 + 2 + who + 7)}${indent}… ${cont.length - MAX_CONTINUATION} more lines (${r.source})`);
}

/** Levels of the operation tree drawn; deeper ones are numbered (unclosed starts can nest thousands deep). */
const MAX_DRAWN_DEPTH = 24;

function treeIndent(depth: number): string {
  return depth <= MAX_DRAWN_DEPTH ? '│ '.repeat(depth) : '│ '.repeat(MAX_DRAWN_DEPTH - 1) + `┆${depth} `;
}

function* summaryLines(res: TraceResult, c: ChalkInstance): Generator<string> {
  const s = res.summary;
  yield '';
  yield c.bold('Summary');
  const first = res.entries.find((e) => e.time !== undefined)?.time;
  const last = findLast(res.entries, (e) => e.time !== undefined)?.time;
  yield `  duration  ${formatDuration(s.duration_ms ?? undefined)}${first !== undefined && last !== undefined ? c.dim(`  ${formatRange(first, last, 'ms')}`) : ''}`;
  yield `  services  ${s.services.map(visible).join(', ') || '-'}`;
  if (s.first_error) {
    const at = first !== undefined && s.first_error.time !== undefined ? ` at +${formatDuration(s.first_error.time - first)}` : '';
    yield `  errors    ${c.red(String(s.errors))}; first failure in ${c.bold(visible(s.first_error.service ?? '?'))}${at}: ${visible(s.first_error.message ?? s.first_error.error_type ?? '')} ${c.dim(s.first_error.source)}`;
  } else {
    yield `  errors    0`;
  }
  if (s.warnings) yield `  warnings  ${c.yellow(String(s.warnings))}`;
  if (s.slow_operations.length) {
    yield `  slow      ${s.slow_operations.map((o) => `${visible(o.operation ?? o.source)} ${formatDuration(o.duration_ms)} (${visible(o.service ?? '?')})`).join(', ')}`;
  }
  if (s.retries) yield `  retries   ${s.retries}`;
  if (s.text_matches) yield `  in text   ${s.text_matches} record${s.text_matches === 1 ? '' : 's'} matched by the id in their text only ${c.magenta(TEXT_MARK)}`;
  if (s.unclosed_operations) yield `  unclosed  ${s.unclosed_operations} operation${s.unclosed_operations === 1 ? '' : 's'} started and never ended${s.max_depth > MAX_DRAWN_DEPTH ? c.dim(` (nested ${s.max_depth} deep; the tree is drawn ${MAX_DRAWN_DEPTH} levels deep, deeper levels numbered ┆n)`) : ''}`;
  for (const g of s.gaps.slice(0, 3)) yield `  gap       ${formatDuration(g.gap_ms)} of silence between ${g.after} and ${g.before}`;
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
      gaps: s.gaps,
      text_matches: s.text_matches,
      unclosed_operations: s.unclosed_operations,
      max_depth: s.max_depth,
    },
    missing: res.missing,
  };
}
