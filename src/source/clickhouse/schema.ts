import { UsageError } from '../../errors.js';
import type { Conn } from './connect.js';
import { checkIdent } from './url.js';

/**
 * The two table shapes logtool reads, told apart by their columns:
 * - `logtool`: the table `logtool ship` writes (normalized columns, the original object and line);
 * - `otel`: the OpenTelemetry Collector ClickHouse exporter's `otel_logs` (and tables like it,
 *   with `--map field=column` naming the columns that differ).
 */
export type Schema = { kind: 'logtool'; table: string; columns: Map<string, string> } | { kind: 'otel'; table: string; columns: Map<string, string>; map: OtelColumns };

/** Which column holds each part of an OpenTelemetry-shaped row; `--map` overrides any. */
export interface OtelColumns {
  time?: string;
  level?: string;
  severity_number?: string;
  message?: string;
  service?: string;
  trace_id?: string;
  span_id?: string;
  attributes?: string;
  resource?: string;
}

/** The exporter's column names (`otel_logs`, opentelemetry-collector-contrib clickhouseexporter). */
export const OTEL_DEFAULTS: Required<OtelColumns> = {
  time: 'Timestamp',
  level: 'SeverityText',
  severity_number: 'SeverityNumber',
  message: 'Body',
  service: 'ServiceName',
  trace_id: 'TraceId',
  span_id: 'SpanId',
  attributes: 'LogAttributes',
  resource: 'ResourceAttributes',
};

/** logtool's own table: the columns it must have to be read as one. */
export const LOGTOOL_COLUMNS = ['time', 'level', 'message', 'ids', 'duration_ms', 'operation', 'service', 'component', 'event_type', 'error_type', 'error_message', 'stack', 'source', 'file', 'line', 'ordinal', 'head', 'raw', 'text', 'continuation'];

/** The default table names, tried in this order when the URL names none. */
export const DEFAULT_TABLES = ['logtool_logs', 'otel_logs'];

/**
 * The DDL of logtool's table. Plain types only (no DateTime64, Map or LowCardinality), so that it
 * works on every ClickHouse still in use; `time` is epoch milliseconds as the normalized record has it.
 */
export function logtoolTableDdl(database: string, table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${database}.${table} (
  time Nullable(Float64),
  level String,
  message Nullable(String),
  ids Array(String),
  duration_ms Nullable(Float64),
  operation Nullable(String),
  service Nullable(String),
  component Nullable(String),
  event_type Nullable(String),
  error_type Nullable(String),
  error_message Nullable(String),
  stack Nullable(String),
  source String,
  file String,
  line UInt64,
  ordinal UInt64,
  head String,
  raw String,
  text String,
  continuation Array(String)
) ENGINE = MergeTree ORDER BY (file, ordinal)`;
}

/** Per-file line accounting of shipped files (what `stats` reports per file). */
export function logtoolFilesDdl(database: string, table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${database}.${table}_files (
  file String,
  lines UInt64,
  records UInt64,
  continuation_lines UInt64,
  unparsed_lines UInt64,
  unknown_levels UInt64,
  expanded_records UInt64,
  bytes UInt64,
  layouts String,
  format String,
  position UInt32,
  shipped_at DateTime,
  shipped_ms UInt64
) ENGINE = MergeTree ORDER BY file`;
}

/** Parses `--map field=column` values (fields of an OpenTelemetry-shaped table). */
export function parseMap(values: string[] = []): OtelColumns {
  const out: OtelColumns = {};
  for (const v of values) {
    const m = /^([a-z_]+)=([A-Za-z_][A-Za-z0-9_]*)$/.exec(v.trim());
    if (!m || !(m[1] in OTEL_DEFAULTS)) {
      throw new UsageError(`--map '${v}': expected field=column with field one of ${Object.keys(OTEL_DEFAULTS).join(', ')} and a plain column name`);
    }
    out[m[1] as keyof OtelColumns] = m[2];
  }
  return out;
}

/** Finds the table (the URL's, else a default one that exists) and reads its shape. */
export async function detectSchema(conn: Conn, map: OtelColumns = {}): Promise<Schema> {
  const t = conn.target;
  let table = t.table;
  if (table === undefined) {
    const names = new Set((await conn.all(`SHOW TABLES FROM ${t.database}`)).map((r) => String(r.name)));
    table = DEFAULT_TABLES.find((n) => names.has(n));
    if (table === undefined) {
      throw new UsageError(`${t.display}: no table named ${DEFAULT_TABLES.join(' or ')} in database ${t.database} (name one with ?table=…, or ship logs first: logtool ship <files> --to …)`);
    }
  }
  checkIdent('table', table, t.display);
  const columns = new Map((await conn.all(`DESCRIBE TABLE ${t.database}.${table}`)).map((r) => [String(r.name), String(r.type)] as const));
  if (LOGTOOL_COLUMNS.every((c) => columns.has(c)) && Object.keys(map).length === 0) return { kind: 'logtool', table, columns };
  const resolved: OtelColumns = {};
  for (const [field, def] of Object.entries(OTEL_DEFAULTS) as [keyof OtelColumns, string][]) {
    const name = map[field] ?? def;
    if (columns.has(name)) resolved[field] = name;
    else if (map[field] !== undefined) throw new UsageError(`${t.display}: --map ${field}=${name}: table ${t.database}.${table} has no column ${name} (it has ${[...columns.keys()].slice(0, 12).join(', ')})`);
  }
  if (resolved.time === undefined && resolved.message === undefined) {
    throw new UsageError(
      `${t.display}: table ${t.database}.${table} has neither otel_logs' columns (Timestamp, Body, SeverityText, LogAttributes…) nor logtool's (${LOGTOOL_COLUMNS.slice(0, 5).join(', ')}…); name its columns with --map time=… --map message=… (it has ${[...columns.keys()].slice(0, 12).join(', ')})`,
    );
  }
  for (const f of ['attributes', 'resource'] as const) {
    const c = resolved[f];
    if (c !== undefined && !/^Map\(/.test(columns.get(c) ?? '')) throw new UsageError(`${t.display}: column ${c} is ${columns.get(c)}, not a Map (--map ${f}=… names a Map(String, String) column)`);
  }
  return { kind: 'otel', table, columns, map: resolved };
}
