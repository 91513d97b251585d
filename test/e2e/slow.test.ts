import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/fixtures/scenario.js';
import { runCli } from './cli.js';

/** numpy-style linear percentile, computed here independently of the product. */
function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

/** What each schema writes for a duration, read back in ms (the precision each logger keeps). */
const written: Record<string, (ms: number) => number> = {
  'api-gateway': (ms) => ms, // duration_seconds with 4 decimals: exact for whole ms
  checkout: (ms) => Math.round(ms * 1e6) / 1e6, // ECS event.duration in ns
  'payment-service': (ms) => Math.round(ms), // pino responseTime
  inventory: (ms) => +ms.toFixed(2), // duration_ms
  agent: (ms) => (ms >= 1000 ? +(ms / 1000).toFixed(2) * 1000 : Math.round(ms)), // "2.43s" / "850ms"
};

describe('slow on the incident fixtures', () => {
  it('matches percentiles computed independently, across units and schemas, within 0.1%', async () => {
    const { events } = simulate(42, 600);
    const byOp = new Map<string, number[]>();
    for (const e of events) {
      if (e.durationMs === undefined || !e.operation || !(e.service in written)) continue;
      byOp.set(e.operation, [...(byOp.get(e.operation) ?? []), written[e.service](e.durationMs)]);
    }
    const r = await runCli(['slow', 'fixtures/incident', '--json', '--where', 'service!=notification']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { groups: { key: { operation: string }; count: number; p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number; exact: boolean }[] };
    for (const [op, xs] of byOp) {
      const g = res.groups.find((x) => x.key.operation === op);
      expect(g, op).toBeDefined();
      expect(g!.count, op).toBe(xs.length);
      expect(g!.exact).toBe(true);
      for (const [k, q] of [['p50_ms', 0.5], ['p95_ms', 0.95], ['p99_ms', 0.99], ['max_ms', 1]] as const) {
        const want = pct(xs, q);
        expect(Math.abs(g![k] - want) / want, `${op} ${k}: ${g![k]} vs ${want}`).toBeLessThanOrEqual(0.001);
      }
    }
  });

  it('fails the build when a limit breaks, naming the group, and rejects a bad expression', async () => {
    const bad = await runCli(['slow', 'fixtures/incident', '--fail-on', 'checkout:p95>2s', '--fail-on', 'reserve:p95>1s']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('fail-on: checkout: p95');
    expect(bad.stderr).not.toContain('reserve');
    const ok = await runCli(['slow', 'fixtures/incident', '--fail-on', 'max>1m']);
    expect(ok.code).toBe(0);
    const parse = await runCli(['slow', 'fixtures/incident', '--fail-on', 'p96>2s']);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toContain('unknown metric "p96"');
  });
});
