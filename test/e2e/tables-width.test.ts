import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth, plain } from '../../src/render/text/layout.js';
import { runCli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-tables-'));
const T = Date.parse('2024-01-15T10:00:00Z');

/** Records whose service and operation are long and differ only at their end; a third have no service. */
const long = path.join(dir, 'checkoutservice-production-eu-west-1-0123456789abcdef-long-name.log');
writeFileSync(
  long,
  Array.from({ length: 300 }, (_, i) => {
    const v = i % 6;
    const rec: Record<string, unknown> = {
      timestamp: new Date(T + i * 7_000).toISOString(),
      level: i % 11 ? 'info' : 'error',
      message: `request handled ${i}`,
      operation: `hipstershop.CheckoutService/PlaceOrder/region-eu-west-1/variant-${v}`,
      duration_ms: 20 + ((i * 37) % 900),
      request_id: `req-${i}`,
    };
    if (i % 3) rec.service = `checkoutservice-production-eu-west-1-cluster-${v}`;
    return JSON.stringify(rec);
  }).join('\n') + '\n',
);

const rules = path.join(dir, 'rules.json');
writeFileSync(rules, JSON.stringify({ rules: [
  { name: 'p95 of hipstershop.CheckoutService/PlaceOrder/region-eu-west-1/variant-1', metric: 'p95_ms', where: { operation: 'hipstershop.CheckoutService/PlaceOrder/region-eu-west-1/variant-1' }, max: 500 },
  { name: 'p95 of hipstershop.CheckoutService/PlaceOrder/region-eu-west-1/variant-2', metric: 'p95_ms', where: { operation: 'hipstershop.CheckoutService/PlaceOrder/region-eu-west-1/variant-2' }, max: 5000 },
  { name: 'error rate', metric: 'error_rate', max: 0.5 },
] }));

const widest = (out: string) => Math.max(...out.split('\n').map((l) => displayWidth(plain(l))));

const runs: [string, string[]][] = [
  ['slow', ['slow', 'fixtures/incident']],
  ['slow --by service,operation --chart', ['slow', 'fixtures/incident', '--by', 'service,operation', '--chart']],
  ['slow (long keys)', ['slow', long, '--by', 'service,operation', '--threshold', '500ms']],
  ['stats', ['stats', 'fixtures/incident']],
  ['stats (long keys)', ['stats', long, 'fixtures/incident/agent']],
  ['dedup', ['dedup', 'fixtures/dedup']],
  ['dedup (long keys)', ['dedup', long, '--key', 'service,operation', '--events', 'all']],
  ['check (long keys)', ['check', long, '--rules', rules]],
];

describe('report tables fit the width', () => {
  for (const [name, args] of runs) {
    it(`${name}: no line wider than 80, 100 or 200 columns (colour on)`, async () => {
      for (const width of [80, 100, 200]) {
        const r = await runCli([...args, '--width', String(width)], { env: { FORCE_COLOR: '1' } });
        expect(r.stdout.length, r.stderr).toBeGreaterThan(0);
        expect(widest(r.stdout), `${width}:\n${r.stdout}`).toBeLessThanOrEqual(width);
      }
    });
  }

  it('stats fits 40 and 60 columns (the least width) with every count whole', async () => {
    for (const width of [40, 60]) {
      const r = await runCli(['stats', 'fixtures/incident', '--width', String(width)], { env: { FORCE_COLOR: '1' } });
      expect(widest(r.stdout), `${width}:\n${r.stdout}`).toBeLessThanOrEqual(width);
      expect(plain(r.stdout)).toMatch(/9 files\)\s+3,909\s+3,709\s+138\s+0/);
    }
  });

  it('dedup at 80 says under each group where its copies are, file and lines whole', async () => {
    const out = plain((await runCli(['dedup', 'fixtures/dedup', '--width', '80'])).stdout).split('\n');
    const row = out.findIndex((l) => /^\s+3× req-d022\s/.test(l));
    expect(row, out.join('\n')).toBeGreaterThan(0);
    expect(out[row + 1]).toMatch(/^\s+fixtures\/dedup\/component\.log:184,185,186$/);
  });

  it('slow: keys that differ only at the end stay told apart at 80, whole at 200', async () => {
    for (const width of [80, 200]) {
      const out = plain((await runCli(['slow', long, '--by', 'service,operation', '--width', String(width)])).stdout);
      const rows = out.split('\n').filter((l) => l.startsWith('checkou'));
      // Variants 1, 2, 4 and 5 carry a service (records i % 3 ≠ 0).
      expect(rows.length).toBe(4);
      expect(new Set(rows.map((l) => l.split(/\s+\d/)[0])).size).toBe(4);
      for (const v of [1, 2, 4, 5]) expect(rows.filter((l) => new RegExp(`uster-${v}, .*-${v}\\s+\\d`).test(l)), out).toHaveLength(1);
      if (width === 200) expect(out).toContain('checkoutservice-production-eu-west-1-cluster-4, hipstershop.CheckoutService/PlaceOrder/region-eu-west-1/variant-4');
    }
  });

  it('stats: a (none) row counts the records without a service; the rows add up to the records', async () => {
    const out = plain((await runCli(['stats', long, '--width', '100'])).stdout).split('\n');
    const start = out.indexOf('by service') + 1;
    const rows = out.slice(start, out.indexOf('', start));
    expect(rows.at(-1)).toMatch(/^\s+\(none\)\s+100\s+33\.3%$/);
    expect(rows.reduce((a, l) => a + Number(l.trim().split(/\s{2,}/)[1].replace(/,/g, '')), 0)).toBe(300);
    const json = JSON.parse((await runCli(['stats', long, '--json'])).stdout) as { by_service: Record<string, number>; without_service: number; records: number };
    expect(json.without_service).toBe(100);
    expect(Object.values(json.by_service).reduce((a, n) => a + n, 0) + json.without_service).toBe(json.records);
  });

  it('dedup: without lifecycle events it says so and what to run, in --json too', async () => {
    const r = await runCli(['dedup', long, '--width', '100']);
    expect(r.code).toBe(0);
    expect(plain(r.stdout).replace(/\s+/g, ' ')).toContain('nothing audited: no lifecycle events (*_start, *_end, …) among 300 records; audit every record with --events all');
    const j = JSON.parse((await runCli(['dedup', long, '--json'])).stdout) as { hint?: string; keyed_records: number; warnings: unknown[] };
    expect(j.keyed_records).toBe(0);
    expect(j.hint).toContain('--events all');
    expect(j.warnings).toEqual([]);
    const missing = JSON.parse((await runCli(['dedup', long, '--events', 'all', '--json'])).stdout) as { hint?: string; skipped_records: number };
    expect(missing.skipped_records).toBe(300);
    expect(missing.hint).toContain('lacks one of the key fields correlation_id, operation, event_type');
    const audited = JSON.parse((await runCli(['dedup', 'fixtures/dedup', '--json'])).stdout) as { hint?: string };
    expect(audited.hint).toBeUndefined();
  });
});
