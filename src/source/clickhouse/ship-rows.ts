import { createHash } from 'node:crypto';
import type { FileStats, JsonObject, LogRecord } from '../../types.js';
import type { Conn, Row } from './connect.js';
import { SHIP_KEYS } from './records.js';
import type { Schema } from './schema.js';

/** Attribute keys an OpenTelemetry row gets from `ship`, to resume without duplicates. */
export const OTEL_RESUME = { file: 'logtool.file', head: 'logtool.head', ordinal: 'logtool.ordinal', hash: 'logtool.hash' } as const;

/** A file's identity from its first record. */
export function headOf(r: LogRecord): string {
  return textHash(r.text);
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
  attrs[OTEL_RESUME.hash] = textHash(r.text);
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

/** What the table holds of one shipped content of a file: its identity, the next ordinal, and the hash of its last record. */
export interface Shipped {
  head: string;
  next: number;
  last: string;
}

/** Per file name, each content shipped under it (a log re-created under its old name has several). */
export async function shippedContents(conn: Conn, schema: Schema): Promise<Map<string, Shipped[]>> {
  const t = `${conn.target.database}.${schema.table}`;
  const rows: Row[] =
    schema.kind === 'logtool'
      ? (await conn.all(`SELECT file, head, max(ordinal) + 1 AS next, argMax(text, ordinal) AS last_text FROM ${t} GROUP BY file, head`)).map((r): Row => ({ ...r, last: textHash(String(r.last_text)) }))
      : schema.map.attributes
        ? await conn.all(
            `SELECT a['${OTEL_RESUME.file}'] AS file, a['${OTEL_RESUME.head}'] AS head, max(toUInt64OrZero(a['${OTEL_RESUME.ordinal}'])) + 1 AS next, argMax(a['${OTEL_RESUME.hash}'], toUInt64OrZero(a['${OTEL_RESUME.ordinal}'])) AS last FROM (SELECT ${schema.map.attributes} AS a FROM ${t}) WHERE a['${OTEL_RESUME.file}'] != '' GROUP BY file, head`,
          )
        : [];
  const out = new Map<string, Shipped[]>();
  for (const r of rows) {
    const list = out.get(String(r.file)) ?? [];
    list.push({ head: String(r.head), next: Number(r.next), last: String(r.last) });
    out.set(String(r.file), list);
  }
  return out;
}

/**
 * Where a file's records resume: the content shipped under its name whose first record and
 * last shipped record are this file's own (`texts`: the hashes of the file's records at the
 * ordinals asked for). None matches: the file is new content, sent whole under a new identity
 * (its head, numbered after the contents already there), so no record is ever skipped for
 * another content's.
 */
export function resumeOf(head: string, shipped: Shipped[], texts: Map<number, string>): { head: string; next: number } {
  const mine = shipped.filter((c) => c.head === head || c.head.startsWith(`${head}.`));
  for (const c of mine) if (texts.get(c.next - 1) === c.last) return { head: c.head, next: c.next };
  return { head: mine.length === 0 ? head : `${head}.${mine.length}`, next: 0 };
}

/** The hash ship keeps of a record's text. */
export function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
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
