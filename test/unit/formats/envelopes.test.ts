import { gzipSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { podWorkload, workloadService } from '../../../src/formats/envelopes/common.js';
import { innerTextLevel, levelWord } from '../../../src/formats/level-words.js';
import { RecordAssembler } from '../../../src/read/assemble.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import type { FileStats, LogRecord } from '../../../src/types.js';

/** Reads lines as a file would be read, with the real normalizer and layouts. */
function read(lines: string[]): { records: LogRecord[]; stats: FileStats } {
  const records: LogRecord[] = [];
  const a = new RecordAssembler('t.log', { normalizer: createNormalizer({ tz: 'UTC' }), onRecord: (r) => records.push(r), seq: { next: 0 } });
  for (const l of lines) {
    const buf = Buffer.from(l);
    a.line(buf, 0, buf.length);
  }
  a.flush();
  return { records, stats: a.stats };
}

const j = (o: unknown): string => JSON.stringify(o);
const iso = (r: LogRecord): string | undefined => (r.time === undefined ? undefined : new Date(r.time).toISOString());

describe('workload → service', () => {
  it('strips ReplicaSet, pod, StatefulSet, DaemonSet and CronJob suffixes', () => {
    expect(podWorkload('checkout-7d9f8b6c5d-x2x9k')).toBe('checkout');
    expect(podWorkload('payment-service-5c8d7b9f4-zq2lp')).toBe('payment-service');
    expect(podWorkload('db-0')).toBe('db');
    expect(podWorkload('node-exporter-8xk2p')).toBe('node-exporter');
    expect(podWorkload('backup-28493760-vx9t2')).toBe('backup');
    expect(podWorkload('standalone')).toBe('standalone');
    expect(podWorkload('my-app-abc12-v2', undefined)).toBe('my-app-abc12-v2');
    expect(podWorkload('web-84c9d6f5b-7xk2q', '84c9d6f5b')).toBe('web');
  });
  it('falls back to the container name, then an app label', () => {
    expect(workloadService(undefined, 'nginx', { app: 'front' })).toBe('nginx');
    expect(workloadService(undefined, undefined, { 'app.kubernetes.io/name': 'front', app: 'x' })).toBe('front');
    expect(workloadService(undefined, undefined, { app: 'front' })).toBe('front');
    expect(workloadService(undefined, undefined, {})).toBeUndefined();
  });
});

describe('Docker json-file', () => {
  it('reads the inner JSON, keeps stream and time as context', () => {
    const { records, stats } = read([j({ log: j({ level: 'error', msg: 'db down', request_id: 'req-1' }) + '\n', stream: 'stderr', time: '2024-03-01T10:00:00.250Z' })]);
    expect(records).toHaveLength(1);
    const r = records[0];
    expect(r.level).toBe('error');
    expect(r.message).toBe('db down');
    expect(r.ids).toContain('req-1');
    expect(iso(r)).toBe('2024-03-01T10:00:00.250Z');
    expect(r.raw.stream).toBe('stderr');
    expect(stats.layouts).toEqual({ 'docker/json': 1 });
  });
  it('joins a line Docker split (no trailing newline) with the next entry', () => {
    const { records, stats } = read([
      j({ log: '{"level":"warn","msg":"very ', stream: 'stdout', time: '2024-03-01T10:00:00Z' }),
      j({ log: 'long line"}\n', stream: 'stdout', time: '2024-03-01T10:00:00Z' }),
      j({ log: 'next\n', stream: 'stdout', time: '2024-03-01T10:00:01Z' }),
    ]);
    expect(records.map((r) => r.message)).toEqual(['very long line', 'next']);
    expect(records[0].level).toBe('warn');
    expect(stats.lines).toBe(3);
    expect(stats.records + stats.continuation_lines).toBe(3);
  });
  it('detects the wrapper by shape with extra attrs, and derives the service from Kubernetes attrs', () => {
    const { records } = read([j({ log: 'started\n', stream: 'stdout', attrs: { 'io.kubernetes.pod.name': 'cart-6b7c8d9f5-z9x8w', 'io.kubernetes.container.name': 'cart' }, time: '2024-03-01T10:00:00Z' })]);
    expect(records[0].service).toBe('cart');
    expect(records[0].message).toBe('started');
  });
  it('reads a plain-text inner line as the message', () => {
    const { records } = read([j({ log: 'listening on :8080\n', stream: 'stdout', time: '2024-03-01T10:00:00Z' })]);
    expect(records[0].message).toBe('listening on :8080');
  });
});

describe('CRI', () => {
  it('reads stream and time, joins P parts with the F part', () => {
    const { records, stats } = read([
      '2024-03-01T10:00:00.123456789Z stdout P {"level":"error","msg":"first ',
      '2024-03-01T10:00:00.123456790Z stdout F half"}',
      '2024-03-01T10:00:01.000000000Z stderr F plain text line',
    ]);
    expect(records).toHaveLength(2);
    expect(records[0].message).toBe('first half');
    expect(records[0].level).toBe('error');
    expect(records[0].raw.stream).toBe('stdout');
    expect(records[1].raw.stream).toBe('stderr');
    expect(iso(records[1])).toBe('2024-03-01T10:00:01.000Z');
    expect(stats.continuation_lines).toBe(1);
  });
});

const k8s = { pod_name: 'checkout-7d9f8b6c5d-x2x9k', namespace_name: 'shop', container_name: 'app', host: 'node-1', labels: { app: 'checkout-app' } };

describe('Fluent Bit / Fluentd / Vector records', () => {
  it('keeps the kubernetes object and flat pod/namespace/container/node, derives the service', () => {
    const { records } = read([j({ log: j({ level: 'info', msg: 'order placed' }) + '\n', stream: 'stdout', time: '2024-03-01T10:00:00Z', kubernetes: k8s })]);
    const r = records[0];
    expect(r.service).toBe('checkout');
    expect(r.raw).toMatchObject({ pod: 'checkout-7d9f8b6c5d-x2x9k', namespace: 'shop', container: 'app', node: 'node-1', kubernetes: { namespace_name: 'shop' } });
    expect(r.message).toBe('order placed');
  });
  it('an inner record naming its service keeps it', () => {
    const { records } = read([j({ log: j({ level: 'info', msg: 'x', service: 'checkout-api' }) + '\n', stream: 'stdout', time: '2024-03-01T10:00:00Z', kubernetes: k8s })]);
    expect(records[0].service).toBe('checkout-api');
  });
  it('reads Vector records (message, pod_namespace) and flat pod/container fields', () => {
    const { records } = read([
      j({ message: 'GET /health 200', source_type: 'kubernetes_logs', timestamp: '2024-03-01T10:00:00Z', kubernetes: { pod_name: 'db-0', pod_namespace: 'data', container_name: 'pg' } }),
      j({ message: 'hello', pod: 'api-5f6d7c8b9-q7w8z', container: 'api', node: 'n1', namespace: 'web' }),
    ]);
    expect(records[0].service).toBe('db');
    expect(records[0].raw.namespace).toBe('data');
    expect(iso(records[0])).toBe('2024-03-01T10:00:00.000Z');
    expect(records[1].service).toBe('api');
    expect(records[1].message).toBe('hello');
  });
  it("reads Filebeat's ECS kubernetes fields", () => {
    const { records } = read([j({ '@timestamp': '2024-03-01T10:00:00Z', message: 'ready', kubernetes: { pod: { name: 'web-84c9d6f5b-7xk2q' }, namespace: 'front', container: { name: 'nginx' }, node: { name: 'n1' } } })]);
    expect(records[0].service).toBe('web');
    expect(records[0].raw).toMatchObject({ pod: 'web-84c9d6f5b-7xk2q', namespace: 'front', container: 'nginx', node: 'n1' });
  });
  it('a bare {"log":…} without Docker\'s stream or time is no split line', () => {
    const { records } = read([j({ log: 'one' }), j({ log: 'two' })]);
    expect(records.map((r) => r.message)).toEqual(['one', 'two']);
  });
  it('falls back to the container name, then the app label', () => {
    const { records } = read([
      j({ log: 'a\n', stream: 'stdout', time: '2024-03-01T10:00:00Z', kubernetes: { container_name: 'sidecar', namespace_name: 'x' } }),
      j({ log: 'b\n', stream: 'stdout', time: '2024-03-01T10:00:00Z', kubernetes: { namespace_name: 'x', labels: { 'app.kubernetes.io/name': 'front' } } }),
    ]);
    expect(records.map((r) => r.service)).toEqual(['sidecar', 'front']);
  });
  it("opens Fluent Bit's stdout lines and re-opens the record inside", () => {
    const { records } = read([`[1709287200.5, ${j({ log: j({ level: 'error', msg: 'boom' }) + '\n', stream: 'stderr', kubernetes: k8s })}]`, `[[1709287201.25, {}], ${j({ message: 'metadata form', level: 'info' })}]`]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ level: 'error', message: 'boom', service: 'checkout' });
    expect(iso(records[0])).toBe('2024-03-01T10:00:00.500Z');
    expect(iso(records[1])).toBe('2024-03-01T10:00:01.250Z');
  });
});

describe('journald', () => {
  const entry = { __CURSOR: 's=1', __REALTIME_TIMESTAMP: '1709287200123456', PRIORITY: '3', _SYSTEMD_UNIT: 'checkout.service', SYSLOG_IDENTIFIER: 'checkout', _HOSTNAME: 'web-1', _PID: '42', MESSAGE: 'payment failed: timeout' };
  it('reads MESSAGE, PRIORITY, the unit and the µs time', () => {
    const { records } = read([j(entry)]);
    expect(records[0]).toMatchObject({ level: 'error', message: 'payment failed: timeout', service: 'checkout' });
    expect(iso(records[0])).toBe('2024-03-01T10:00:00.123Z');
    expect(records[0].raw._HOSTNAME).toBe('web-1');
  });
  it('reads journalctl -o json-pretty (one object over many lines) as one record', () => {
    const lines = JSON.stringify({ ...entry, PRIORITY: '4', MESSAGE: '{"msg":"inner json","level":"warn"}' }, null, 2).split('\n');
    const { records, stats } = read(lines);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 'warn', message: 'inner json' });
    expect(stats.records + stats.continuation_lines).toBe(lines.length);
  });
});

describe('Google Cloud LogEntry', () => {
  it('reads jsonPayload as the record, severity, trace and span ids, resource labels', () => {
    const { records } = read([
      j({ insertId: 'a', jsonPayload: { message: 'charge declined' }, severity: 'WARNING', timestamp: '2024-03-01T10:00:00Z', trace: 'projects/acme/traces/4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', resource: { type: 'k8s_container', labels: { pod_name: 'pay-6c9f7d8b5b-k2l4m', namespace_name: 'shop' } } }),
    ]);
    expect(records[0]).toMatchObject({ level: 'warn', message: 'charge declined', service: 'pay' });
    expect(records[0].ids).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(records[0].raw.span_id).toBe('00f067aa0ba902b7');
  });
  it('reads textPayload as a line and httpRequest as method, path, status and duration', () => {
    const { records } = read([j({ textPayload: 'upstream timed out', timestamp: '2024-03-01T10:00:01Z', httpRequest: { requestMethod: 'POST', requestUrl: 'https://x.example/api/pay?q=1', status: 504, latency: '1.5s' } })]);
    expect(records[0]).toMatchObject({ level: 'error', message: 'upstream timed out', durationMs: 1500 });
    expect(records[0].raw).toMatchObject({ method: 'POST', path: '/api/pay', status: 504 });
  });
});

describe('CloudWatch Logs and Lambda', () => {
  const payload = {
    messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: '/aws/lambda/checkout', logStream: '2024/03/01/[$LATEST]abc', subscriptionFilters: ['all'],
    logEvents: [
      { id: '1', timestamp: 1709287200000, message: j({ level: 'ERROR', message: 'charge failed', requestId: 'r-1' }) },
      { id: '2', timestamp: 1709287201000, message: 'END RequestId: r-1' },
    ],
  };
  it('decodes a gzip subscription event: one physical line, many records', () => {
    const { records, stats } = read([j({ awslogs: { data: gzipSync(j(payload)).toString('base64') } })]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ level: 'error', message: 'charge failed', service: 'checkout' });
    expect(records[0].raw.logStream).toBe('2024/03/01/[$LATEST]abc');
    expect(iso(records[1])).toBe('2024-03-01T10:00:01.000Z');
    expect(stats).toMatchObject({ lines: 1, records: 2, expanded_records: 1 });
  });
  it('decodes zlib data and reads plain logEvents payloads', () => {
    expect(read([j({ awslogs: { data: deflateSync(j(payload)).toString('base64') } })]).records).toHaveLength(2);
    expect(read([j(payload)]).records).toHaveLength(2);
  });
  it("reads Lambda's JSON platform events", () => {
    const { records } = read([j({ time: '2024-03-01T10:00:00.000Z', type: 'platform.report', record: { requestId: 'r-1', metrics: { durationMs: 812.5 }, status: 'success' } })]);
    expect(records[0]).toMatchObject({ level: 'info', durationMs: 812.5 });
  });
});

describe('search responses', () => {
  it('reads Elasticsearch hits and _msearch responses, one record per hit', () => {
    const hit = (id: string, level: string) => ({ _index: 'logs', _id: id, _source: { '@timestamp': '2024-03-01T10:00:00Z', level, message: `m-${id}` } });
    const { records, stats } = read([j({ responses: [{ hits: { hits: [hit('a', 'error'), hit('b', 'info')] } }, { hits: { hits: [hit('c', 'warn')] } }] })]);
    expect(records.map((r) => r.level)).toEqual(['error', 'info', 'warn']);
    expect(records[2].raw._id).toBe('c');
    expect(stats).toMatchObject({ lines: 1, records: 3, expanded_records: 2 });
  });
  it('re-opens a collector record stored as _source', () => {
    const { records } = read([j({ hits: { hits: [{ _id: 'x', _source: { log: 'hi\n', stream: 'stdout', kubernetes: k8s } }] } })]);
    expect(records[0].service).toBe('checkout');
  });
  it('reads OpenSearch PPL rows by their schema', () => {
    const { records } = read([j({ schema: [{ name: 'timestamp', type: 'timestamp' }, { name: 'level', type: 'string' }, { name: 'message', type: 'string' }], datarows: [['2024-03-01 10:00:00', 'error', 'x']] })]);
    expect(records[0]).toMatchObject({ level: 'error', message: 'x' });
  });
  it('reads Loki streams with their labels as context', () => {
    const { records } = read([
      j({ status: 'success', data: { resultType: 'streams', result: [{ stream: { namespace: 'shop', pod: 'cart-6b7c8d9f5-z9x8w' }, values: [['1709287200000000000', '{"level":"error","msg":"db down"}'], ['1709287201000000000', 'plain']] }] } }),
    ]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ level: 'error', message: 'db down', service: 'cart' });
    expect(records[0].raw.pod).toBe('cart-6b7c8d9f5-z9x8w');
    expect(iso(records[1])).toBe('2024-03-01T10:00:01.000Z');
  });
});

describe('OTLP/JSON', () => {
  const doc = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'host.name', value: { stringValue: 'h1' } }] },
        scopeLogs: [
          {
            scope: { name: 'com.acme' },
            logRecords: [
              { timeUnixNano: '1709287200123000000', severityText: 'ERROR', severityNumber: 17, body: { stringValue: 'payment failed' }, attributes: [{ key: 'order.id', value: { intValue: '42' } }, { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }] } } }], traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
              { timeUnixNano: '0', observedTimeUnixNano: '1709287201000000000', severityNumber: 13, body: { kvlistValue: { values: [{ key: 'msg', value: { stringValue: 'slow' } }, { key: 'duration_ms', value: { doubleValue: 950 } }] } } },
            ],
          },
        ],
      },
    ],
  };
  it('expands one record per logRecord with resource and record attributes', () => {
    const { records, stats } = read([j(doc)]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ level: 'error', message: 'payment failed', service: 'checkout' });
    expect(records[0].ids).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(records[0].raw).toMatchObject({ 'order.id': 42, tags: ['a'], 'host.name': 'h1', scope: 'com.acme', span_id: '00f067aa0ba902b7' });
    expect(iso(records[0])).toBe('2024-03-01T10:00:00.123Z');
    expect(records[1]).toMatchObject({ level: 'warn', message: 'slow', durationMs: 950, service: 'checkout' });
    expect(iso(records[1])).toBe('2024-03-01T10:00:01.000Z');
    expect(stats).toMatchObject({ lines: 1, records: 2, expanded_records: 1 });
  });
  it('reads snake_case proto names and a pretty-printed document', () => {
    const snake = { resource_logs: [{ resource: { attributes: [{ key: 'service.name', value: { string_value: 'api' } }] }, scope_logs: [{ log_records: [{ time_unix_nano: '1709287200000000000', severity_text: 'WARN', body: { string_value: 'slow' } }] }] }] };
    const lines = JSON.stringify(snake, null, 2).split('\n');
    const { records, stats } = read(lines);
    expect(records[0]).toMatchObject({ level: 'warn', message: 'slow', service: 'api' });
    expect(stats.records + stats.continuation_lines).toBe(lines.length);
  });
});

describe('docker compose', () => {
  it('reads the service column (ANSI allowed) and the time --timestamps adds', () => {
    const { records } = read(['\x1b[36mcheckout-1  |\x1b[0m {"level":"error","msg":"payment failed"}', 'web-2     | 2024-03-01T10:00:00.500Z hello']);
    expect(records[0]).toMatchObject({ level: 'error', message: 'payment failed', service: 'checkout' });
    expect(records[1]).toMatchObject({ message: 'hello', service: 'web' });
    expect(iso(records[1])).toBe('2024-03-01T10:00:00.500Z');
  });
});

describe('the level of an inner line no layout reads', () => {
  it('takes an upper-case level word, a bracketed one in any case, or level=…', () => {
    expect(levelWord('payment ERROR: card declined')).toBe('ERROR');
    expect(levelWord('disk almost full WARNING')).toBe('WARNING');
    expect(levelWord('[error] upstream closed the connection')).toBe('error');
    expect(levelWord('<Warn> retrying in 5s')).toBe('Warn');
    expect(levelWord('worker 3 level=debug started')).toBe('debug');
    expect(levelWord('\x1b[31m\x1b[1mWARNING: development server\x1b[0m')).toBe('WARNING');
  });
  it('takes the first level word of the line', () => {
    expect(levelWord('[info] retried after ERROR 503')).toBe('info');
  });
  it('ignores lower-case prose, parts of words and identifiers', () => {
    expect(levelWord('no error found, info about order 7')).toBeUndefined();
    expect(levelWord('ERRORS=0 INFORMATION DEBUG_MODE X-ERROR')).toBeUndefined();
  });
  it('gives info to stdout lines without a level word, nothing to stderr ones', () => {
    expect(innerTextLevel('listening on :8080', 'stdout')).toBe('info');
    expect(innerTextLevel('listening on :8080', 'stderr')).toBeUndefined();
    expect(innerTextLevel('listening on :8080', undefined)).toBeUndefined();
    expect(innerTextLevel('[error] bind failed', 'stdout')).toBe('error');
  });
  it('applies to container lines: stdout → info, stderr unknown, a level word wins', () => {
    const { records } = read([
      '2024-03-01T10:00:00.100Z stdout F Listening on 0.0.0.0:8080',
      '2024-03-01T10:00:00.200Z stderr F connecting to upstream',
      '2024-03-01T10:00:00.300Z stderr F [error] connect() failed (111: Connection refused)',
      '2024-03-01T10:00:00.400Z stdout F cache CRITICAL: evicting 90% of entries',
      j({ log: j({ msg: 'order placed', order: 7 }) + '\n', stream: 'stdout', time: '2024-03-01T10:00:01Z' }),
      j({ log: j({ level: 'warn', msg: 'slow' }) + '\n', stream: 'stdout', time: '2024-03-01T10:00:02Z' }),
    ]);
    expect(records.map((r) => r.level)).toEqual(['info', 'unknown', 'error', 'fatal', 'info', 'warn']);
  });
  it('reads a level word in a message from an envelope without a stream', () => {
    const payload = { messageType: 'DATA_MESSAGE', logGroup: '/ecs/billing', logStream: 's', logEvents: [
      { id: '1', timestamp: 1709287200000, message: 'invoice batch started' },
      { id: '2', timestamp: 1709287201000, message: 'invoice 42 FATAL: ledger locked' },
    ] };
    const { records } = read([j(payload)]);
    expect(records.map((r) => r.level)).toEqual(['unknown', 'fatal']);
  });
});

describe('AWS Lambda runtime lines inside CloudWatch events', () => {
  it('reads the Python and Node.js runtime formats and the platform lines', () => {
    const id = '3e1b2c4d-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
    const messages = [
      `INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:4f2a9c1e\n`,
      `START RequestId: ${id} Version: $LATEST\n`,
      `2024-05-02T08:15:30.120Z\t${id}\tINFO\tfetching order 981\n`,
      `2024-05-02T08:15:30.480Z\t${id}\tERROR\tInvoke Error \t{"errorType":"TimeoutError","errorMessage":"socket hang up"}\n`,
      `[WARNING]\t2024-05-02T08:15:30.500Z\t${id}\tretrying the ledger write\n`,
      `END RequestId: ${id}\n`,
      `REPORT RequestId: ${id}\tDuration: 512.33 ms\tBilled Duration: 513 ms\tMemory Size: 512 MB\tMax Memory Used: 88 MB\t\n`,
    ];
    const payload = { messageType: 'DATA_MESSAGE', logGroup: '/aws/lambda/orders', logStream: '2024/05/02/[$LATEST]abc', logEvents: messages.map((m, i) => ({ id: String(i), timestamp: 1714637730000 + i, message: m })) };
    const { records, stats } = read([j(payload)]);
    expect(records.map((r) => r.level)).toEqual(['info', 'info', 'info', 'error', 'warn', 'info', 'info']);
    expect(records.every((r) => r.time !== undefined && r.service === 'orders')).toBe(true);
    expect(records.slice(1).every((r) => r.ids.includes(id))).toBe(true);
    expect(iso(records[2])).toBe('2024-05-02T08:15:30.120Z');
    expect(records[4].message).toBe('retrying the ledger write');
    expect(records[6].durationMs).toBe(512.33);
    expect(stats.layouts).toMatchObject({ 'cloudwatch/lambda-platform': 4, 'cloudwatch/lambda-node': 2, 'cloudwatch/lambda-python': 1 });
  });
});
