import type { ChalkInstance } from 'chalk';
import { rawValue } from '../../analyze/lib/field.js';
import type { TraceEntry, TraceResult } from '../../analyze/trace.js';
import { formatTime } from '../../normalize/time.js';
import type { LogRecord } from '../../types.js';
import { fit, formatDuration, formatRange } from './format.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';

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

/** The human timeline of a trace with its closing analysis. */
export function renderTrace(res: TraceResult, c: ChalkInstance): string {
  const lines: string[] = [];
  const s = res.summary;
  const ids = res.ids.map(visible).join(', ');
  lines.push(c.bold(`trace ${ids}`) + c.dim(` — ${s.records} records, ${s.services.length} services, ${formatDuration(s.duration_ms ?? undefined)}`));
  const who = Math.min(22, Math.max(8, ...res.entries.map((e) => (e.record.service ?? e.record.component ?? '').length)));
  for (const e of res.entries) {
    const r = e.record;
    const indent = '│ '.repeat(e.depth);
    const name = visible(r.service ?? r.component ?? '-');
    const msg = visible(r.message ?? r.eventType ?? '');
    const paint = r.level === 'error' || r.level === 'fatal' ? c.red : r.level === 'warn' ? c.yellow : (t: string) => t;
    const ex = extras(r, e.operationMs).map(visible).join(' ');
    lines.push(
      `${c.dim(elapsed(e).padStart(9))}  ${c.cyan(fit(name, who))} ${levelTag(r.level, c)} ${c.dim(indent)}${paint(msg)}${ex ? '  ' + c.dim(ex) : ''}`,
    );
    const cont = r.continuation.length ? r.continuation : [];
    for (const l of cont.slice(0, MAX_CONTINUATION)) lines.push(c.dim(`${' '.repeat(9 + 2 + who + 7)}${indent}${visible(l)}`));
    if (cont.length > MAX_CONTINUATION) lines.push(c.dim(`${' '.repeat(9 + 2 + who + 7)}${indent}… ${cont.length - MAX_CONTINUATION} more lines (${r.source})`));
  }
  lines.push('', c.bold('Summary'));
  const first = res.entries.find((e) => e.time !== undefined)?.time;
  const last = [...res.entries].reverse().find((e) => e.time !== undefined)?.time;
  lines.push(`  duration  ${formatDuration(s.duration_ms ?? undefined)}${first !== undefined && last !== undefined ? c.dim(`  ${formatRange(first, last, 'ms')}`) : ''}`);
  lines.push(`  services  ${s.services.map(visible).join(', ') || '-'}`);
  if (s.first_error) {
    const at = first !== undefined && s.first_error.time !== undefined ? ` at +${formatDuration(s.first_error.time - first)}` : '';
    lines.push(
      `  errors    ${c.red(String(s.errors))}; first failure in ${c.bold(visible(s.first_error.service ?? '?'))}${at}: ${visible(s.first_error.message ?? s.first_error.error_type ?? '')} ${c.dim(s.first_error.source)}`,
    );
  } else {
    lines.push(`  errors    0`);
  }
  if (s.warnings) lines.push(`  warnings  ${c.yellow(String(s.warnings))}`);
  if (s.slow_operations.length) {
    lines.push(`  slow      ${s.slow_operations.map((o) => `${visible(o.operation ?? o.source)} ${formatDuration(o.duration_ms)} (${visible(o.service ?? '?')})`).join(', ')}`);
  }
  if (s.retries) lines.push(`  retries   ${s.retries}`);
  for (const g of s.gaps.slice(0, 3)) lines.push(`  gap       ${formatDuration(g.gap_ms)} of silence between ${g.after} and ${g.before}`);
  return lines.join('\n') + '\n';
}

/** The `--json` form of a trace (spec §4 contract). */
export function traceJson(res: TraceResult): unknown {
  const s = res.summary;
  return {
    ids: res.ids,
    records: res.entries.map((e) => ({
      source: e.record.source,
      time: e.record.time === undefined ? null : formatTime(e.record.time),
      elapsed_ms: e.elapsedMs ?? null,
      level: e.record.level,
      service: e.record.service ?? e.record.component ?? null,
      operation: e.record.operation ?? null,
      message: e.record.message ?? null,
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
    },
    missing: res.missing,
  };
}
