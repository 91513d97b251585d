import type { JsonObject } from '../../types.js';
import type { Envelope, Unwrapped } from '../types.js';
import { isObj, nanosToMs, put, str, workloadService } from './common.js';

/** The hits of one search response: each `_source` read again (it may be a collector's record). */
function hits(resp: JsonObject, out: Unwrapped[]): void {
  const list = isObj(resp.hits) && Array.isArray(resp.hits.hits) ? resp.hits.hits : [];
  for (const h of list) {
    if (!isObj(h)) continue;
    const src = isObj(h._source) ? h._source : isObj(h.fields) ? h.fields : {};
    const ctx: JsonObject = {};
    put(ctx, '_index', str(h._index));
    put(ctx, '_id', str(h._id));
    out.push({ line: JSON.stringify(src), context: ctx });
  }
}

/**
 * Elasticsearch / OpenSearch search responses: `hits.hits[]._source` (or `fields`), also an
 * `_msearch` response's `responses[]`. One record per hit; `_index` and `_id` stay as context;
 * the source document is read like any JSON line (it may itself be a collector's envelope).
 */
export const elasticsearch: Envelope = {
  name: 'elasticsearch',
  title: 'Elasticsearch / OpenSearch search response (hits.hits[]._source, _msearch)',
  match: (o) =>
    (isObj(o.hits) && Array.isArray(o.hits.hits)) || (Array.isArray(o.responses) && isObj(o.responses[0]) && (isObj(o.responses[0].hits) || isObj(o.responses[0].error))),
  open(o) {
    const out: Unwrapped[] = [];
    if (Array.isArray(o.responses)) {
      for (const r of o.responses) if (isObj(r)) hits(r, out);
    } else hits(o, out);
    return out;
  },
  samples: [
    {
      input: '{"took":3,"hits":{"total":{"value":2},"hits":[{"_index":"logs-2024.03.01","_id":"a1","_source":{"@timestamp":"2024-03-01T10:00:00Z","level":"error","message":"db down"}},{"_index":"logs-2024.03.01","_id":"a2","_source":{"@timestamp":"2024-03-01T10:00:01Z","level":"info","message":"retry"}}]}}',
      expect: [
        { line: '{"@timestamp":"2024-03-01T10:00:00Z","level":"error","message":"db down"}', context: { _index: 'logs-2024.03.01', _id: 'a1' } },
        { context: { _id: 'a2' } },
      ],
    },
    {
      input: '{"responses":[{"hits":{"hits":[{"_id":"x","_source":{"message":"one"}}]}},{"hits":{"hits":[{"_id":"y","_source":{"message":"two"}}]}}]}',
      expect: [{ line: '{"message":"one"}' }, { line: '{"message":"two"}' }],
    },
  ],
};

/** OpenSearch SQL/PPL responses: `{schema:[{name,type}], datarows:[[…]]}`, one record per row. */
export const opensearchPpl: Envelope = {
  name: 'opensearch-ppl',
  title: 'OpenSearch SQL/PPL response (schema, datarows)',
  match: (o) => Array.isArray(o.schema) && Array.isArray(o.datarows),
  open(o) {
    const names = (o.schema as unknown[]).map((s, i) => (isObj(s) && typeof s.name === 'string' ? s.name : `column${i + 1}`));
    const out: Unwrapped[] = [];
    for (const row of o.datarows as unknown[]) {
      if (!Array.isArray(row)) continue;
      const obj: JsonObject = {};
      row.forEach((v, i) => {
        if (v !== null) obj[names[i] ?? `column${i + 1}`] = v;
      });
      out.push({ line: JSON.stringify(obj), context: {} });
    }
    return out;
  },
  samples: [
    {
      input: '{"schema":[{"name":"timestamp","type":"timestamp"},{"name":"level","type":"string"},{"name":"message","type":"string"}],"datarows":[["2024-03-01 10:00:00","error","db down"],["2024-03-01 10:00:01","info","ok"]],"total":2,"size":2}',
      expect: [{ line: '{"timestamp":"2024-03-01 10:00:00","level":"error","message":"db down"}' }, { line: '{"timestamp":"2024-03-01 10:00:01","level":"info","message":"ok"}' }],
    },
  ],
};

/** Loki labels as context, with the workload's service when the labels name none. */
function lokiContext(labels: JsonObject): JsonObject {
  const ctx: JsonObject = { ...labels };
  if (ctx.service === undefined) put(ctx, 'service', str(labels.service_name) ?? workloadService(labels.pod, labels.container, labels));
  return ctx;
}

/**
 * Loki query responses (`/loki/api/v1/query_range`, `logcli --output raw -o json`):
 * `data.result[].values[[<ns>, <line>, {structured metadata}?]]`, one record per value, the
 * line read again, the `stream` labels (and structured metadata) as context, the nanosecond
 * time as the fallback time. Also `logcli --output jsonl` lines (`{"labels", "line", "timestamp"}`).
 */
export const loki: Envelope = {
  name: 'loki',
  title: 'Loki query response (data.result[].stream, values)',
  match: (o) =>
    (isObj(o.data) && Array.isArray(o.data.result) && (o.data.resultType === 'streams' || (isObj(o.data.result[0]) && Array.isArray(o.data.result[0].values) && isObj(o.data.result[0].stream)))) ||
    (typeof o.line === 'string' && isObj(o.labels) && typeof o.timestamp === 'string'),
  open(o) {
    if (typeof o.line === 'string') return [{ line: o.line, context: { ...lokiContext(o.labels as JsonObject), time: o.timestamp } }];
    const out: Unwrapped[] = [];
    for (const s of (o.data as JsonObject).result as unknown[]) {
      if (!isObj(s) || !Array.isArray(s.values)) continue;
      const base = lokiContext(isObj(s.stream) ? s.stream : {});
      for (const v of s.values) {
        if (!Array.isArray(v) || typeof v[1] !== 'string') continue;
        const ctx: JsonObject = { ...base, ...(isObj(v[2]) ? v[2] : {}) };
        put(ctx, 'time', nanosToMs(v[0]));
        out.push({ line: v[1], context: ctx });
      }
    }
    return out;
  },
  samples: [
    {
      input: '{"status":"success","data":{"resultType":"streams","result":[{"stream":{"namespace":"shop","pod":"cart-6b7c8d9f5-z9x8w","container":"cart"},"values":[["1709287200000000000","level=error msg=\\"db down\\""],["1709287201500000000","{\\"level\\":\\"info\\",\\"msg\\":\\"ok\\"}"]]}]}}',
      expect: [
        { line: 'level=error msg="db down"', context: { namespace: 'shop', pod: 'cart-6b7c8d9f5-z9x8w', service: 'cart', time: 1709287200000 } },
        { line: '{"level":"info","msg":"ok"}', context: { time: 1709287201500 } },
      ],
    },
    {
      input: '{"labels":{"app":"api","namespace":"web"},"line":"GET /health 200","timestamp":"2024-03-01T10:00:00Z"}',
      expect: [{ line: 'GET /health 200', context: { service: 'api', namespace: 'web', time: '2024-03-01T10:00:00Z' } }],
    },
  ],
};
