import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli.js';

const j = (o: unknown): string => JSON.stringify(o);
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-envelopes-'));
const file = (name: string, lines: string[]): string => {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
};

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const pod = (name: string, ns: string) => ({ pod_name: name, namespace_name: ns, container_name: 'app', host: 'node-1', labels: { app: 'x' } });

// One request crossing four collectors: Fluent Bit (kubernetes), CRI, OTLP and Google Cloud.
const fluent = file('fluent.log', [
  j({ log: j({ level: 'info', msg: 'checkout started', trace_id: TRACE, duration_ms: 40 }) + '\n', stream: 'stdout', time: '2024-03-01T10:00:00.000Z', kubernetes: pod('checkout-7d9f8b6c5d-x2x9k', 'shop') }),
  j({ log: j({ level: 'error', msg: 'payment declined', trace_id: TRACE, duration_ms: 900 }) + '\n', stream: 'stderr', time: '2024-03-01T10:00:00.300Z', kubernetes: pod('checkout-7d9f8b6c5d-x2x9k', 'shop') }),
  j({ log: j({ level: 'info', msg: 'query', duration_ms: 12 }) + '\n', stream: 'stdout', time: '2024-03-01T10:00:00.400Z', kubernetes: pod('db-0', 'data') }),
]);
const cri = file('cri.log', [
  `2024-03-01T10:00:00.100000000Z stdout P {"level":"info","msg":"cart `,
  `2024-03-01T10:00:00.100000001Z stdout F loaded","trace_id":"${TRACE}"}`,
  '2024-03-01T10:00:00.200000000Z stderr F {"level":"error","msg":"cache miss storm"}',
]);
const otlp = file('otlp.jsonl', [
  j({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] },
        scopeLogs: [
          {
            scope: { name: 'pay' },
            logRecords: [
              { timeUnixNano: '1709287200150000000', severityNumber: 9, body: { stringValue: 'authorizing' }, traceId: TRACE, spanId: '00f067aa0ba902b7' },
              { timeUnixNano: '1709287200250000000', severityText: 'ERROR', body: { stringValue: 'card declined' }, traceId: TRACE, spanId: '00f067aa0ba902b8' },
              { timeUnixNano: '1709287200260000000', severityText: 'INFO', body: { stringValue: 'unrelated' } },
            ],
          },
        ],
      },
    ],
  }),
]);
const gcp = file('gcp.jsonl', [j({ textPayload: 'fraud check passed', severity: 'INFO', timestamp: '2024-03-01T10:00:00.120Z', trace: `projects/acme/traces/${TRACE}`, resource: { type: 'cloud_run_revision', labels: { service_name: 'fraud' } } })]);
const cloudwatch = file('cloudwatch.json', [
  j({ awslogs: { data: gzipSync(j({ messageType: 'DATA_MESSAGE', logGroup: '/aws/lambda/notify', logStream: 's', logEvents: [{ id: '1', timestamp: 1709287200500, message: j({ level: 'ERROR', message: 'mail bounced', trace_id: TRACE }) }] })).toString('base64') } }),
]);

interface StatsJson {
  files: { source: string; lines: number; records: number; continuation_lines: number; unparsed_lines: number; expanded_records: number; layouts: Record<string, number> }[];
  levels: Record<string, number>;
  by_service: Record<string, number>;
}

describe('envelopes end to end', () => {
  it('trace follows one id through every collector, services from the workload', async () => {
    const r = await runCli(['trace', TRACE, fluent, cri, otlp, gcp, cloudwatch, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { records: { service: string; message: string; level: string }[] };
    expect(res.records.map((x) => [x.service, x.message])).toEqual([
      ['checkout', 'checkout started'],
      [null, 'cart loaded'],
      ['fraud', 'fraud check passed'],
      ['payments', 'authorizing'],
      ['payments', 'card declined'],
      ['checkout', 'payment declined'],
      ['notify', 'mail bounced'],
    ]);
  });

  it('errors finds the error records inside every envelope', async () => {
    const r = await runCli(['errors', fluent, cri, otlp, gcp, cloudwatch, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { patterns: { count: number; example: { message?: string } }[]; error_records?: number };
    const text = JSON.stringify(res);
    for (const m of ['payment declined', 'cache miss storm', 'card declined', 'mail bounced']) expect(text).toContain(m);
  });

  it('stats --json counts one line per physical line, expanded records apart', async () => {
    const r = await runCli(['stats', fluent, cri, otlp, cloudwatch, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as StatsJson;
    const by = Object.fromEntries(res.files.map((f) => [path.basename(f.source), f]));
    expect(by['fluent.log']).toMatchObject({ lines: 3, records: 3, unparsed_lines: 0, layouts: { 'kubernetes/json': 3 } });
    expect(by['cri.log']).toMatchObject({ lines: 3, records: 2, continuation_lines: 1, unparsed_lines: 0, layouts: { 'cri/json': 2 } });
    expect(by['otlp.jsonl']).toMatchObject({ lines: 1, records: 3, expanded_records: 2, unparsed_lines: 0 });
    expect(by['cloudwatch.json']).toMatchObject({ lines: 1, records: 1, unparsed_lines: 0 });
    expect(res.by_service).toMatchObject({ checkout: 2, db: 1, payments: 3, notify: 1 });
  });

  it('--by reaches the wrapper fields (pod, kubernetes.namespace_name)', async () => {
    const byPod = await runCli(['slow', fluent, '--by', 'pod', '--json']);
    expect(byPod.code, byPod.stderr).toBe(0);
    const pods = (JSON.parse(byPod.stdout) as { groups: { key: Record<string, string>; count: number }[] }).groups.map((g) => [g.key.pod, g.count]);
    expect(pods).toEqual(expect.arrayContaining([['checkout-7d9f8b6c5d-x2x9k', 2], ['db-0', 1]]));
    const byNs = await runCli(['slow', fluent, '--by', 'kubernetes.namespace_name', '--json']);
    const ns = (JSON.parse(byNs.stdout) as { groups: { key: Record<string, string>; count: number }[] }).groups.map((g) => [g.key['kubernetes.namespace_name'], g.count]);
    expect(ns).toEqual(expect.arrayContaining([['shop', 2], ['data', 1]]));
    const where = await runCli(['errors', fluent, '--where', 'namespace=data', '--json']);
    expect(JSON.stringify(JSON.parse(where.stdout))).not.toContain('payment declined');
  });
});

// The real collector samples, when the shared data set is present: every line a record or a continuation.
const SHARED = path.resolve(ROOT, process.env.LOGTOOL_SHARED_DATA ?? '../shared/data', 'formats');
const REAL = [
  'fluent-bit/docker_json_file_k8s.log',
  'fluent-bit/docker_json_file_multiline_partials.log',
  'fluent-bit/fluentbit_stdout_k8s_enriched.out',
  'fluent-bit/fluentbit_stdout_journald_k8s.out',
  'fluent-bit/otlp_json_logs_snake_case.json',
  'aws-lambda-go/cloudwatch_logs_subscription_event.json',
  'powertools-lambda-python/cloudwatch_logs_event_zlib.json',
  'beats/journalctl_json_pretty_event.json',
  'grafana/loki_query_range_streams_response.json',
  'opentelemetry-collector-contrib/crio_cri_0.log',
  'opentelemetry-operations-go/gcl_logentries_span_trace_id.json',
  'lnav/otlp_json_lines_file_exporter.jsonl',
];
const shared = existsSync(SHARED);
if (!shared) console.log(`note: ${SHARED} is absent; the envelope checks on real samples are skipped`);
describe.skipIf(!shared)('envelopes on real collector samples', () => {
  it('reads every line as a record or a continuation', async () => {
    const r = await runCli(['stats', '--json', ...REAL.map((f) => path.join(SHARED, f))]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as StatsJson;
    for (const f of res.files) {
      expect(f.unparsed_lines, f.source).toBe(0);
      expect(f.records, f.source).toBeGreaterThan(0);
      expect(Object.keys(f.layouts).every((l) => l.includes('/')), `${f.source} ${JSON.stringify(f.layouts)}`).toBe(true);
    }
  });
  it('gives plain container output a level: a level word, else stdout → info', async () => {
    const plain = ['fluent-bit/docker_json_file_k8s.log', 'fluent-bit/fluentbit_stdout_k8s_enriched.out', 'opentelemetry-collector-contrib/crio_cri_0.log', 'aws-lambda-go/cloudwatch_logs_subscription_event.json'];
    for (const f of plain) {
      const r = await runCli(['stats', '--json', path.join(SHARED, f)]);
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout) as StatsJson;
      expect(res.levels.unknown, f).toBe(0);
      expect(res.files[0].records, f).toBeGreaterThan(0);
    }
  });
});
