import type { JsonObject } from '../../types.js';
import type { Envelope, Unwrapped } from '../types.js';
import { isObj, put, str, without, workloadService } from './common.js';

function isLogEntry(o: JsonObject): boolean {
  return (isObj(o.jsonPayload) || typeof o.textPayload === 'string' || isObj(o.protoPayload)) && (o.logName !== undefined || isObj(o.resource) || o.severity !== undefined || o.timestamp !== undefined || o.insertId !== undefined);
}

/** `"0.250s"` (a protobuf Duration) to milliseconds. */
function durationMs(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const m = /^(\d+(?:\.\d+)?)s$/.exec(v);
    return m ? Number(m[1]) * 1000 : undefined;
  }
  if (isObj(v) && (v.seconds !== undefined || v.nanos !== undefined)) return Number(v.seconds ?? 0) * 1000 + Number(v.nanos ?? 0) / 1e6;
  return undefined;
}

function urlPath(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  const p = m ? m[1] || '/' : url.replace(/[?#].*$/, '');
  return p;
}

/** One LogEntry: its payload, and its own fields as context. */
function openEntry(e: JsonObject): Unwrapped {
  const ctx = without(e, 'jsonPayload', 'textPayload');
  put(ctx, 'time', str(e.timestamp) ?? str(e.receiveTimestamp));
  if (e.severity !== 'DEFAULT') put(ctx, 'level', str(e.severity));
  const trace = str(e.trace);
  if (trace) ctx.trace_id = trace.slice(trace.lastIndexOf('/') + 1);
  put(ctx, 'span_id', str(e.spanId));
  const h = isObj(e.httpRequest) ? e.httpRequest : undefined;
  if (h) {
    put(ctx, 'method', str(h.requestMethod));
    if (str(h.requestUrl)) ctx.path = urlPath(h.requestUrl as string);
    if (h.status !== undefined && h.status !== null) ctx.status = Number(h.status);
    put(ctx, 'duration_ms', durationMs(h.latency));
    // A request entry without a severity takes the access-log convention: 5xx error, 4xx warn, else info.
    const st = ctx.status as number;
    if (ctx.level === undefined && st >= 100 && st < 600) ctx.level = st >= 500 ? 'error' : st >= 400 ? 'warn' : 'info';
  }
  const rl = isObj(e.resource) && isObj(e.resource.labels) ? e.resource.labels : {};
  const labels = isObj(e.labels) ? e.labels : {};
  put(ctx, 'pod', str(rl.pod_name));
  put(ctx, 'namespace', str(rl.namespace_name));
  put(ctx, 'container', str(rl.container_name));
  put(
    ctx,
    'service',
    str(labels['service.name']) ?? workloadService(rl.pod_name, rl.container_name) ?? str(rl.service_name) ?? str(rl.function_name) ?? str(rl.module_id) ?? str(labels['k8s-pod/app']) ?? str(labels.app),
  );
  if (isObj(e.jsonPayload)) return { object: e.jsonPayload, context: ctx };
  if (typeof e.textPayload === 'string') return { line: e.textPayload, context: ctx };
  return { object: {}, context: ctx };
}

/**
 * Google Cloud Logging LogEntry (`gcloud logging read --format=json`, exports, and the write
 * requests `{entries:[…]}` / `{writeLogEntriesRequests:[{entries}]}`): `jsonPayload` is the
 * record, `textPayload` a line read again; `severity` gives the level (`DEFAULT`: none),
 * `timestamp` the time, `trace` (`projects/<p>/traces/<id>`) the `trace_id`, `spanId` the
 * `span_id`, `httpRequest` the `method`, `path`, `status` and `duration_ms` (and, without a severity, the
 * level by the access-log convention: 5xx error, 4xx warn, else info); `labels`,
 * `resource.labels` and the rest stay as context, the service from `labels["service.name"]`,
 * the pod/container, or Cloud Run's `service_name`.
 */
export const gcpLogEntry: Envelope = {
  name: 'gcp',
  title: 'Google Cloud Logging LogEntry (jsonPayload / textPayload)',
  match: (o) =>
    isLogEntry(o) ||
    (Array.isArray(o.entries) && isObj(o.entries[0]) && isLogEntry(o.entries[0])) ||
    (Array.isArray(o.writeLogEntriesRequests) && isObj(o.writeLogEntriesRequests[0]) && Array.isArray(o.writeLogEntriesRequests[0].entries)),
  open(o) {
    const requests = Array.isArray(o.writeLogEntriesRequests) ? o.writeLogEntriesRequests : Array.isArray(o.entries) ? [o] : undefined;
    if (!requests) return [openEntry(o)];
    const out: Unwrapped[] = [];
    for (const r of requests) {
      if (!isObj(r) || !Array.isArray(r.entries)) continue;
      // A write request's logName, resource and labels apply to entries that have none.
      const shared = without(r, 'entries');
      for (const e of r.entries) if (isObj(e)) out.push(openEntry({ ...shared, ...e, labels: { ...(isObj(shared.labels) ? shared.labels : {}), ...(isObj(e.labels) ? e.labels : {}) } }));
    }
    return out;
  },
  samples: [
    {
      input:
        '{"insertId":"a1","jsonPayload":{"message":"charge declined","level":"warn"},"resource":{"type":"k8s_container","labels":{"pod_name":"payments-6c9f7d8b5b-k2l4m","namespace_name":"shop","container_name":"app"}},"severity":"WARNING","timestamp":"2024-03-01T10:00:00.5Z","trace":"projects/acme/traces/4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}',
      expect: [{ object: { message: 'charge declined', level: 'warn' }, context: { level: 'WARNING', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', pod: 'payments-6c9f7d8b5b-k2l4m', service: 'payments' } }],
    },
    {
      input:
        '{"textPayload":"upstream timed out","timestamp":"2024-03-01T10:00:01Z","severity":"ERROR","httpRequest":{"requestMethod":"POST","requestUrl":"https://shop.example.com/api/pay?x=1","status":504,"latency":"1.250s"},"resource":{"type":"cloud_run_revision","labels":{"service_name":"pay"}}}',
      expect: [{ line: 'upstream timed out', context: { method: 'POST', path: '/api/pay', status: 504, duration_ms: 1250, service: 'pay' } }],
    },
    {
      input: '{"writeLogEntriesRequests":[{"logName":"projects/p/logs/app","entries":[{"textPayload":"a","timestamp":"2024-03-01T10:00:00Z"},{"textPayload":"b","timestamp":"2024-03-01T10:00:01Z"}]}]}',
      expect: [{ line: 'a', context: { logName: 'projects/p/logs/app' } }, { line: 'b' }],
    },
  ],
};
