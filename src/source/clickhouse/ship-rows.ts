import { createHash } from 'node:crypto';
import type { FileStats, JsonObject, LogRecord } from '../../types.js';
import type { Conn, Row } from './connect.js';
import { SHIP_KEYS } from './records.js';
import type { Schema } from './schema.js';

/** Attribute keys an OpenTelemetry row gets from `ship`, to resume without duplicates. */
export const OTEL_RESUME = { file: 'logtool.file', head: 'logtool.head', ordinal: 'logtool.ordinal' } as const;

/**
 * What a shipped file is known by: its name and a hash of its first record's text. A file that
 * grew keeps both (a re-run resumes it); new content under an old name (a log rotated by rename,
 * then re-created) is a new file, sent whole, never skipped as if it were the old one.
 */
export function fileKey(file: string, head: string): string {
  return `${file}\u0000${head}`;
}

/** The head hash of a file from its first record. */
export function headOf(r: LogRecord): string {
  return createHash('sha1').update(r.text).digest('hex').slice(0, 16);
}

/** The row of logtool's table for a record: its normalized fields, where it came from, the object and the line. */
export function logtoolRow(r: LogRecord, ordinal: number, head: string): Row {
  return {
    head,
    time: r.time ?? null,
    level: r.level,
    message: r.message ?? null,
    ids: r.ids,
    duration_ms: r.durationMs ?? null,
    operation: r.operation ?? null,
    service: r.service ?? null,
    component: r.component ?? null,
    event_type: r.eventType ?? null,
    error_type: r.errorType ?? null,
    error_message: r.errorMessage ?? null,
    stack: r.stack ?? null,
    source: r.source,
    file: r.file,
    line: r.line,
    ordinal,
    raw: JSON.stringify(r.raw),
    text: r.text,
    continuation: r.continuation,
  };
}

const OTEL_NUMBER: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21, unknown: 0 };

/**
 * The row of an OpenTelemetry `otel_logs` table for a record: time, level, service and message in
 * their columns, every scalar of the original object (nested paths dotted) as an attribute, and
 * where it came from under `logtool.*` attributes.
 */
export function otelRow(schema: Extract<Schema, { kind: 'otel' }>, r: LogRecord, ordinal: number, head: string): Row {
  const m = schema.map;
  const attrs: Record<string, string> = {};
  flatten(r.raw, '', attrs, 0);
  attrs[SHIP_KEYS.source] = r.source;
  attrs[OTEL_RESUME.file] = r.file;
  attrs[OTEL_RESUME.ordinal] = String(ordinal);
  attrs[OTEL_RESUME.head] = head;
  if (r.continuation.length > 0) attrs[SHIP_KEYS.continuation] = r.continuation.join('\n');
  const row: Row = {};
  if (m.time) row[m.time] = r.time === undefined ? '1970-01-01T00:00:00Z' : isoNanos(r.time);
  if (m.level) row[m.level] = r.level === 'unknown' ? '' : r.level.toUpperCase();
  if (m.severity_number) row[m.severity_number] = OTEL_NUMBER[r.level] ?? 0;
  if (m.service) row[m.service] = r.service ?? '';
  if (m.message) row[m.message] = r.message ?? '';
  if (m.attributes) row[m.attributes] = attrs;
  return row;
}

/** An epoch-milliseconds time (fraction kept to the nanosecond) as an ISO text ClickHouse reads exactly. */
function isoNanos(ms: number): string {
  const whole = Math.floor(ms);
  const ns = Math.round((ms - whole) * 1e6);
  const iso = new Date(whole).toISOString();
  return `${iso.slice(0, 23)}${String(ns).padStart(6, '0')}Z`;
}

const MAX_DEPTH = 32;

function flatten(v: unknown, prefix: string, out: Record<string, string>, depth: number): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
    for (const [k, x] of Object.entries(v as JsonObject)) flatten(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    return;
  }
  if (prefix === '') return;
  out[prefix] = v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Per shipped file (name and head): how many of its records the table already holds (the next one to send). */
export async function resumePoints(conn: Conn, schema: Schema): Promise<Map<string, number>> {
  const t = `${conn.target.database}.${schema.table}`;
  const rows =
    schema.kind === 'logtool'
      ? await conn.all(`SELECT file, head, max(ordinal) + 1 AS next FROM ${t} GROUP BY file, head`)
      : schema.map.attributes
        ? await conn.all(
            `SELECT a['${OTEL_RESUME.file}'] AS file, a['${OTEL_RESUME.head}'] AS head, max(toUInt64OrZero(a['${OTEL_RESUME.ordinal}'])) + 1 AS next FROM (SELECT ${schema.map.attributes} AS a FROM ${t}) WHERE a['${OTEL_RESUME.file}'] != '' GROUP BY file, head`,
          )
        : [];
  return new Map(rows.map((r) => [fileKey(String(r.file), String(r.head)), Number(r.next)]));
}

/** The accounting row of a shipped file (logtool's table only). */
export function fileRow(f: FileStats, position: number, shippedMs: number): Row {
  return {
    file: f.source,
    lines: f.lines,
    records: f.records,
    continuation_lines: f.continuation_lines,
    unparsed_lines: f.unparsed_lines,
    unknown_levels: f.unknown_levels,
    expanded_records: f.expanded_records,
    bytes: f.bytes,
    layouts: JSON.stringify(f.layouts),
    format: f.format,
    position,
    shipped_at: Math.floor(shippedMs / 1000),
    shipped_ms: shippedMs,
  };
}
