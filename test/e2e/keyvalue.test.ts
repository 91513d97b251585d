import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-kv-'));
const file = (name: string, lines: string[]) => {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
};

/** A Go service writing go-kit logfmt, with a panic dump in the middle. */
const api = file('api.log', [
  'ts=2024-01-15T10:30:00.000Z caller=http.go:80 level=info region=eu msg="request done" method=GET path=/cart duration=20ms trace_id=4bf92f3577b34da6',
  'ts=2024-01-15T10:30:01.000Z caller=http.go:80 level=info region=us msg="request done" method=GET path=/cart duration=40ms trace_id=00f067aa0ba902b7',
  'ts=2024-01-15T10:30:02.000Z caller=pay.go:31 level=error region=eu msg="charge failed" err="card declined" method=POST path=/pay duration=1.2s trace_id=4bf92f3577b34da6',
  'goroutine 12 [running]:',
  'main.(*Server).pay(0xc000123000)',
  '\t/app/pay.go:31 +0x1d',
  'ts=2024-01-15T10:30:03.000Z caller=http.go:80 level=warn region=us msg="slow upstream" method=POST path=/pay duration=800ms trace_id=d1e2f3a4b5c6d7e8',
  'ts=2024-01-15T10:30:04.000Z caller=http.go:80 level=info region=eu msg="request done" method=POST path=/pay duration=1000ms trace_id=a1b2c3d4e5f60718',
]);

/** Kubernetes components writing klog, hclog and zap console. */
const kube = file('kubelet.log', [
  'I0115 10:30:00.000001    1 kubelet.go:100] "Pod status updated" pod="default/web-1" status="Running"',
  'E0115 10:30:01.000001    1 kubelet.go:200] "Error syncing pod" err="image pull backoff" pod="default/web-2"',
]);
const vault = file('vault.log', ['2024-01-15T10:30:00.000Z [INFO]  core: unsealed: version=1.15.0', '2024-01-15T10:30:01.000Z [ERROR] core: seal check failed: error="timeout"']);
const otel = file('otelcol.log', ['2024-01-15T10:30:00.000Z\tinfo\tservice@v0.1/service.go:12\tEverything is ready.\t{"component": "service"}', '2024-01-15T10:30:01.000Z\terror\texporter/push.go:9\tExporting failed.\t{"error": "connection refused"}']);
// A shape only the generic layout reads (log4j's pattern takes `<time>,ms LEVEL msg`).
const plain = file('plain.log', ['2024-01-15T10:30:00.100Z | INFO | boot', '2024-01-15T10:30:01.200Z | ERROR | disk failure on /dev/sda', '  at check_disk (disk.c:12)']);

describe('key=value and generic text layouts through the binary', () => {
  it('stats detects the layout of each file and reads every line', async () => {
    const r = await runCli(['stats', '--json', api, kube, vault, otel, plain]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { files: { source: string; layout: string; records: number; unparsed_lines: number; continuation_lines: number }[]; levels: Record<string, number> };
    const byName = Object.fromEntries(res.files.map((f) => [path.basename(f.source), f]));
    expect(byName['api.log']).toMatchObject({ layout: 'logfmt', records: 5, continuation_lines: 3, unparsed_lines: 0 });
    expect(byName['kubelet.log']).toMatchObject({ layout: 'klog', records: 2, unparsed_lines: 0 });
    expect(byName['vault.log']).toMatchObject({ layout: 'hclog', records: 2, unparsed_lines: 0 });
    expect(byName['otelcol.log']).toMatchObject({ layout: 'zap-console', records: 2, unparsed_lines: 0 });
    expect(byName['plain.log']).toMatchObject({ layout: 'generic-level', records: 2, continuation_lines: 1, unparsed_lines: 0 });
    expect(res.levels.unknown).toBe(0);
    expect(res.levels.error).toBe(5);
  });

  it('errors finds the error records of every layout', async () => {
    const r = await runCli(['errors', '--json', api, kube, vault, otel, plain]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { total: number; clusters: { samples: { source: string }[] }[] };
    expect(res.total).toBe(5);
    const sources = res.clusters.flatMap((c) => c.samples.map((s) => path.basename(s.source)));
    expect(sources).toEqual(expect.arrayContaining(['api.log:3', 'kubelet.log:2', 'vault.log:2', 'otelcol.log:2', 'plain.log:2']));
  });

  it('slow reads logfmt durations in their own units, per operation', async () => {
    const r = await runCli(['slow', '--json', api]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { records_with_duration: number; groups: { key: { operation: string }; count: number; max_ms: number; min_ms: number }[] };
    expect(res.records_with_duration).toBe(5);
    const pay = res.groups.find((g) => g.key.operation === 'POST /pay')!;
    expect(pay).toMatchObject({ count: 3, max_ms: 1200, min_ms: 800 });
    expect(res.groups.find((g) => g.key.operation === 'GET /cart')).toMatchObject({ count: 2, max_ms: 40, min_ms: 20 });
  });

  it('trace follows a logfmt trace_id, the panic dump staying with its record', async () => {
    const r = await runCli(['trace', '4bf92f3577b34da6', '--json', api]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { records: { source: string; level: string; record: Record<string, unknown> }[] };
    expect(res.records.map((x) => path.basename(x.source))).toEqual(['api.log:1', 'api.log:3']);
    expect(res.records[1]).toMatchObject({ level: 'error', record: { err: 'card declined', caller: 'pay.go:31' } });
  });

  it('--by groups on a field only the logfmt line carries', async () => {
    const r = await runCli(['slow', '--json', '--by', 'region', api]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { groups: { key: { region: string }; count: number; max_ms: number }[] };
    const by = Object.fromEntries(res.groups.map((g) => [g.key.region, [g.count, g.max_ms]]));
    expect(by).toEqual({ eu: [3, 1200], us: [2, 800] });
  });
});
