import type { JsonObject } from '../../types.js';
import type { Envelope, Unwrapped } from '../types.js';
import { isObj, nanosToMs, put, str } from './common.js';

/** A field of either OTLP/JSON spelling: lowerCamelCase or the proto's snake_case. */
function f(o: JsonObject, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

/** An OTLP AnyValue (`{stringValue}`, `{intValue}`, `{kvlistValue:{values}}`, `{arrayValue:{values}}`, …) as plain JSON. */
export function anyValue(v: unknown): unknown {
  if (!isObj(v)) return v;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'stringValue':
      case 'string_value':
      case 'boolValue':
      case 'bool_value':
        return x;
      case 'intValue':
      case 'int_value': {
        const n = Number(x);
        return Number.isSafeInteger(n) ? n : x;
      }
      case 'doubleValue':
      case 'double_value':
        return Number(x);
      case 'bytesValue':
      case 'bytes_value':
        return x;
      case 'arrayValue':
      case 'array_value':
        return isObj(x) && Array.isArray(x.values) ? x.values.map(anyValue) : [];
      case 'kvlistValue':
      case 'kvlist_value':
        return isObj(x) && Array.isArray(x.values) ? attributes(x.values) : {};
    }
  }
  return undefined;
}

/** An OTLP attribute list (`[{key, value:{…}}]`) as a plain object. */
export function attributes(list: unknown): JsonObject {
  const out: JsonObject = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

/** A trace or span id: hex as OTLP/JSON writes it; base64 (protobuf's JSON mapping) is turned to hex. */
function hexId(v: unknown, bytes: number): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (/^[0-9a-f]+$/i.test(s)) return /^0+$/.test(s) ? undefined : s.toLowerCase();
  if (s.length === Math.ceil(bytes / 3) * 4 && /^[A-Za-z0-9+/]+=*$/.test(s)) {
    const hex = Buffer.from(s, 'base64').toString('hex');
    return /^0+$/.test(hex) ? undefined : hex;
  }
  return s;
}

const SEVERITIES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** One logRecord: its body (a line, or a kvlist object), its attributes and the resource's as context. */
function record(r: JsonObject, resource: JsonObject, scope: string | undefined): Unwrapped {
  const ctx: JsonObject = { ...resource, ...attributes(r.attributes) };
  put(ctx, 'time', nanosToMs(f(r, 'timeUnixNano', 'time_unix_nano')) ?? nanosToMs(f(r, 'observedTimeUnixNano', 'observed_time_unix_nano')));
  const text = str(f(r, 'severityText', 'severity_text'));
  const num = Number(f(r, 'severityNumber', 'severity_number'));
  if (text) ctx.level = text;
  else if (num >= 1 && num <= 24) ctx.level = SEVERITIES[Math.floor((num - 1) / 4)];
  put(ctx, 'trace_id', hexId(f(r, 'traceId', 'trace_id'), 16));
  put(ctx, 'span_id', hexId(f(r, 'spanId', 'span_id'), 8));
  put(ctx, 'scope', scope);
  put(ctx, 'event_name', str(f(r, 'eventName', 'event_name')));
  if (ctx.service === undefined) put(ctx, 'service', str(resource['service.name']));
  const body = anyValue(r.body);
  if (typeof body === 'string') return { line: body, context: ctx };
  if (isObj(body)) return { object: body, context: ctx };
  if (body === undefined || body === null) return { object: {}, context: ctx };
  return { object: { body }, context: ctx };
}

/**
 * OpenTelemetry OTLP/JSON logs (`{"resourceLogs":[…]}`, a line of the collector's file exporter
 * or a whole document; snake_case proto names too): one record per logRecord. Resource and
 * record attributes are decoded to plain fields (`service.name` → service), the scope name is
 * `scope`, `severityText` (else `severityNumber`) the level, `timeUnixNano` (else
 * `observedTimeUnixNano`) the time, `traceId`/`spanId` (hex) `trace_id`/`span_id`; a string
 * body is a line read again, a kvlist body is the record's object.
 */
export const otlp: Envelope = {
  name: 'otlp',
  title: 'OpenTelemetry OTLP/JSON logs (resourceLogs)',
  match: (o) => Array.isArray(o.resourceLogs ?? o.resource_logs),
  open(o) {
    const out: Unwrapped[] = [];
    for (const rl of (o.resourceLogs ?? o.resource_logs) as unknown[]) {
      if (!isObj(rl)) continue;
      const resource = isObj(rl.resource) ? attributes(rl.resource.attributes) : {};
      const scopes = f(rl, 'scopeLogs', 'scope_logs') ?? f(rl, 'instrumentationLibraryLogs', 'instrumentation_library_logs');
      if (!Array.isArray(scopes)) continue;
      for (const sl of scopes) {
        if (!isObj(sl)) continue;
        const sc = sl.scope ?? f(sl, 'instrumentationLibrary', 'instrumentation_library');
        const scope = isObj(sc) ? str(sc.name) : undefined;
        const records = f(sl, 'logRecords', 'log_records');
        if (Array.isArray(records)) for (const r of records) if (isObj(r)) out.push(record(r, resource, scope));
      }
    }
    return out;
  },
  samples: [
    {
      input:
        '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},{"key":"k8s.pod.name","value":{"stringValue":"checkout-7d9f8b6c5d-x2x9k"}}]},"scopeLogs":[{"scope":{"name":"com.acme.checkout"},"logRecords":[{"timeUnixNano":"1709287200123000000","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"payment failed"},"attributes":[{"key":"order.id","value":{"intValue":"42"}}],"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"},{"observedTimeUnixNano":"1709287201000000000","severityNumber":9,"body":{"kvlistValue":{"values":[{"key":"msg","value":{"stringValue":"retry"}},{"key":"attempt","value":{"intValue":"2"}}]}}}]}]}]}',
      expect: [
        { line: 'payment failed', context: { service: 'checkout', 'service.name': 'checkout', 'order.id': 42, level: 'ERROR', time: 1709287200123, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', scope: 'com.acme.checkout' } },
        { object: { msg: 'retry', attempt: 2 }, context: { level: 'info', time: 1709287201000 } },
      ],
    },
    {
      input: '{"resource_logs":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"api"}}]},"scope_logs":[{"log_records":[{"time_unix_nano":"1709287200000000000","severity_text":"WARN","body":{"string_value":"slow"}}]}]}]}',
      expect: [{ line: 'slow', context: { service: 'api', level: 'WARN', time: 1709287200000 } }],
    },
  ],
};
