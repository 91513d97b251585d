import { fillFrom } from '../../read/fields.js';
import { otelLevel } from '../../normalize/level.js';
import type { Normalizer } from '../../read/assemble.js';
import type { JsonObject, Level, LogRecord } from '../../types.js';
import type { Row } from './connect.js';
import type { OtelColumns, Schema } from './schema.js';

/** Keys `logtool ship` adds to an OpenTelemetry row's attributes, read back as the record's own parts. */
export const SHIP_KEYS = { source: 'logtool.source', continuation: 'logtool.continuation' } as const;

/** The columns a query selects for whole records, and the order that reads them as files were read. */
export function recordColumns(schema: Schema): { select: string; order: string } {
  if (schema.kind === 'logtool') {
    return {
      select: 'time, level, message, ids, duration_ms, operation, service, component, event_type, error_type, error_message, stack, source, file, line, raw, text, continuation',
      order: 'file, ordinal',
    };
  }
  const m = schema.map;
  const parts = [
    m.time ? `toString(toUnixTimestamp64Nano(toDateTime64(${m.time}, 9))) AS __ns` : `'' AS __ns`,
    m.level ? `toString(${m.level}) AS __level` : `'' AS __level`,
    m.severity_number ? `toUInt8(${m.severity_number}) AS __sevnum` : `0 AS __sevnum`,
    m.message ? `toString(${m.message}) AS __body` : `'' AS __body`,
    m.service ? `toString(${m.service}) AS __service` : `'' AS __service`,
    m.trace_id ? `toString(${m.trace_id}) AS __trace` : `'' AS __trace`,
    m.span_id ? `toString(${m.span_id}) AS __span` : `'' AS __span`,
    m.attributes ? `${m.attributes} AS __attrs` : `map() AS __attrs`,
    m.resource ? `${m.resource} AS __resource` : `map() AS __resource`,
  ];
  // A total order (rows of one instant by their contents), so that every read, filtered or not, sees rows in the same order.
  const order = [m.time, m.service, m.trace_id, m.span_id, m.message, m.attributes && `toString(${m.attributes})`].filter(Boolean).join(', ');
  return { select: parts.join(', '), order };
}

/** Builds the record of one row: logtool's table holds the normalized record itself; an OpenTelemetry row is normalized here. */
export function rowToRecord(schema: Schema, row: Row, seq: number, name: string, normalizer: Normalizer): LogRecord {
  return schema.kind === 'logtool' ? logtoolRecord(row, seq) : otelRecord(schema.map, row, seq, name, normalizer);
}

const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

function logtoolRecord(row: Row, seq: number): LogRecord {
  let raw: JsonObject;
  try {
    const parsed = JSON.parse(String(row.raw));
    raw = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : { message: String(row.raw) };
  } catch {
    raw = { message: String(row.raw) };
  }
  return {
    source: String(row.source),
    file: String(row.file),
    line: Number(row.line),
    seq,
    raw,
    text: String(row.text),
    time: num(row.time),
    level: String(row.level) as Level,
    message: opt(row.message),
    ids: (row.ids as string[]) ?? [],
    durationMs: num(row.duration_ms),
    operation: opt(row.operation),
    service: opt(row.service),
    component: opt(row.component),
    eventType: opt(row.event_type),
    errorType: opt(row.error_type),
    errorMessage: opt(row.error_message),
    stack: opt(row.stack),
    continuation: (row.continuation as string[]) ?? [],
  };
}

/** `2024-01-15T10:30:45.123456789Z` from epoch nanoseconds (a decimal string). */
export function isoFromNanos(ns: string): string | undefined {
  if (!/^\d+$/.test(ns) || /^0+$/.test(ns)) return undefined;
  const big = BigInt(ns);
  const ms = Number(big / 1_000_000n);
  const frac = (big % 1_000_000_000n).toString().padStart(9, '0');
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/**
 * An OpenTelemetry row as a record: the row's own columns (Timestamp, SeverityText, Body,
 * TraceId…) and its attributes side by side, so that the alias table finds operation, duration,
 * error type and correlation ids among the attributes. A column wins over an attribute of the
 * same name; a zero Timestamp (OTLP's "unknown") is no time.
 */
function otelRecord(m: OtelColumns, row: Row, seq: number, name: string, normalizer: Normalizer): LogRecord {
  const attrs = (row.__attrs ?? {}) as Record<string, string>;
  const resource = (row.__resource ?? {}) as Record<string, string>;
  const raw: JsonObject = {};
  const ts = isoFromNanos(String(row.__ns ?? ''));
  if (ts !== undefined) raw[m.time ?? 'Timestamp'] = ts;
  const level = String(row.__level ?? '');
  if (level !== '') raw[m.level ?? 'SeverityText'] = level;
  const sev = Number(row.__sevnum ?? 0);
  if (sev > 0) raw[m.severity_number ?? 'SeverityNumber'] = sev;
  const service = String(row.__service ?? '');
  if (service !== '') raw[m.service ?? 'ServiceName'] = service;
  const body = String(row.__body ?? '');
  if (body !== '' || m.message) raw[m.message ?? 'Body'] = body;
  const trace = String(row.__trace ?? '');
  if (trace !== '') raw[m.trace_id ?? 'TraceId'] = trace;
  const span = String(row.__span ?? '');
  if (span !== '') raw[m.span_id ?? 'SpanId'] = span;
  const taken = new Set(Object.keys(raw).map((k) => k.toLowerCase()));
  let source: string | undefined;
  let continuation: string[] = [];
  for (const k of Object.keys(attrs)) {
    if (k === SHIP_KEYS.source) source = attrs[k];
    else if (k === SHIP_KEYS.continuation) continuation = attrs[k] === '' ? [] : attrs[k].split('\n');
    else if (!k.startsWith('logtool.') && !taken.has(k.toLowerCase())) raw[k] = attrs[k]; // logtool.file/ordinal: ship's resume marks, not the record's
  }
  if (Object.keys(resource).length > 0 && !taken.has('resourceattributes')) raw[m.resource ?? 'ResourceAttributes'] = resource;
  const text = JSON.stringify(raw);
  const f = normalizer.fields(raw, text);
  // The columns under their roles (whatever `--map` named them) fill what the row's own fields left open.
  fillFrom(
    f,
    normalizer.fields({
      timestamp: ts,
      severityText: level || undefined,
      severityNumber: sev > 0 ? sev : undefined,
      service: service || undefined,
      body: body || undefined,
      traceId: trace || undefined,
    }),
  );
  if (f.level === 'unknown' && sev > 0) f.level = otelLevel(sev);
  if (f.stack === undefined && continuation.length > 0) f.stack = continuation.join('\n');
  // A row reference that stays the same whatever the filters: the table and the row's Timestamp.
  const src = source ?? (ts !== undefined ? `${name}@${ts}` : `${name}:${seq + 1}`);
  const cut = source === undefined ? -1 : source.lastIndexOf(':');
  return {
    ...f,
    source: src,
    file: cut > 0 ? source!.slice(0, cut) : name,
    line: cut > 0 ? Number(source!.slice(cut + 1)) || seq + 1 : seq + 1,
    seq,
    raw,
    text,
    continuation,
  };
}
