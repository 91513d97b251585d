import type { JsonObject, LogRecord } from '../../types.js';

/** Normalized field names usable in `--by`, `--where` and `--key`, mapped to the record property. */
const NORMALIZED: Record<string, (r: LogRecord) => string | number | undefined> = {
  time: (r) => r.time,
  level: (r) => r.level,
  message: (r) => r.message,
  msg: (r) => r.message,
  id: (r) => r.ids[0],
  correlation_id: (r) => r.ids[0],
  duration: (r) => r.durationMs,
  duration_ms: (r) => r.durationMs,
  operation: (r) => r.operation,
  service: (r) => r.service,
  component: (r) => r.component,
  event_type: (r) => r.eventType,
  error_type: (r) => r.errorType,
  error_message: (r) => r.errorMessage,
  source: (r) => r.source,
  file: (r) => r.file,
};

/** Names that resolve to a normalized field rather than a raw key. */
export function isNormalizedField(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(NORMALIZED, name.toLowerCase());
}

/**
 * Looks a dotted path up in a raw object, case-insensitively, accepting nested objects
 * (`{"error":{"type":..}}`) and literal dotted keys (`{"error.type":..}`) at any depth.
 */
export function rawValue(obj: unknown, path: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const o = obj as JsonObject;
  if (Object.prototype.hasOwnProperty.call(o, path)) return o[path];
  const lower = path.toLowerCase();
  let dotted: string | undefined;
  for (const k of Object.keys(o)) {
    const lk = k.toLowerCase();
    if (lk === lower) return o[k];
    if (dotted === undefined && lower.startsWith(lk + '.')) dotted = k;
  }
  if (dotted !== undefined) return rawValue(o[dotted], path.slice(dotted.length + 1));
  return undefined;
}

/** Where a path leads in records of one shape: a top-level key, and the rest of a dotted path. */
type Resolution = { key: string; rest?: string } | null;

/** Per key list (records of one shape share it), the resolution of each path asked for. */
const resolutions = new WeakMap<readonly string[], Map<string, Resolution>>();

/** What `rawValue` does for an object with these keys, worked out once per shape. */
function resolve(keys: readonly string[], path: string): Resolution {
  if (keys.includes(path)) return { key: path };
  const lower = path.toLowerCase();
  let dotted: string | undefined;
  for (const k of keys) {
    const lk = k.toLowerCase();
    if (lk === lower) return { key: k };
    if (dotted === undefined && lower.startsWith(lk + '.')) dotted = k;
  }
  return dotted === undefined ? null : { key: dotted, rest: path.slice(dotted.length + 1) };
}

/**
 * `rawValue(record.raw, path)`, without a case-insensitive scan of every key of every record:
 * where a path leads is worked out once per record shape.
 */
export function recordValue(record: LogRecord, path: string): unknown {
  const keys = record.keys;
  if (keys === undefined) return rawValue(record.raw, path);
  let byPath = resolutions.get(keys);
  if (!byPath) {
    byPath = new Map();
    resolutions.set(keys, byPath);
  }
  let r = byPath.get(path);
  if (r === undefined) {
    r = resolve(keys, path);
    byPath.set(path, r);
  }
  if (r === null) return undefined;
  const v = record.raw[r.key];
  return r.rest === undefined ? v : rawValue(v, r.rest);
}

/**
 * The value of a field by name: a normalized name (`operation`, `service`, `level`, …) when the
 * record has it, otherwise the raw value at that path (`layer`, `http.status_code`, …).
 */
export function fieldValue(record: LogRecord, name: string): unknown {
  const norm = NORMALIZED[name.toLowerCase()];
  if (norm) {
    const v = norm(record);
    if (v !== undefined) return v;
  }
  return recordValue(record, name);
}

/** A field value as text for grouping and display; objects are JSON-encoded. */
export function fieldText(record: LogRecord, name: string): string | undefined {
  return asText(fieldValue(record, name));
}

/** `fieldText` of one field, with the name resolved once: for reading it from many records. */
export function fieldTextOf(name: string): (record: LogRecord) => string | undefined {
  const norm = NORMALIZED[name.toLowerCase()];
  if (!norm) return (record) => asText(recordValue(record, name));
  return (record) => {
    const v = norm(record);
    return asText(v !== undefined ? v : recordValue(record, name));
  };
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
