import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lcg, numpyLinear, SHAPES } from '../unit/slow/samples.js';
import { runCli } from './cli.js';

interface Group {
  key: { operation: string };
  count: number;
  p50_ms: number;
  p90_ms: number;
  p95_ms: number;
  p99_ms: number;
  exact: boolean;
  relative_error: number;
}

describe('slow percentiles under a tiny --budget', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-slow-acc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const u = lcg(2024);
  // Durations with 3 decimals, so the file holds exactly the numbers the reference sees.
  const ms = (xs: number[]) => xs.map((x) => Math.round(x * 1000) / 1000);
  const groups = { small: ms(SHAPES.pareto(u, 121)), mid: ms(SHAPES.gapped(u, 9_000)), big: ms(SHAPES.gapped(u, 30_000)) };
  const lines: string[] = [];
  const cursors = Object.fromEntries(Object.keys(groups).map((k) => [k, 0]));
  // The big group comes first, spends the budget, then all interleave.
  for (let i = 0; i < 30_000; i++) {
    for (const [op, xs] of Object.entries(groups)) if (i < xs.length) lines.push(JSON.stringify({ operation: op, duration_ms: xs[cursors[op]++] }));
  }
  const file = path.join(dir, 'latency.log');
  writeFileSync(file, lines.join('\n') + '\n');

  it('keeps small groups exact (same numbers as numpy) and states the bound of sketched ones', async () => {
    const r = await runCli(['slow', file, '--budget', '100', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { groups: Group[] };
    for (const [op, xs] of Object.entries(groups)) {
      const g = res.groups.find((x) => x.key.operation === op)!;
      expect(g.count).toBe(xs.length);
      expect(g.exact, op).toBe(xs.length < 10_000);
      expect(g.relative_error).toBe(g.exact ? 0 : 0.01);
      for (const [k, q] of [['p50_ms', 0.5], ['p90_ms', 0.9], ['p95_ms', 0.95], ['p99_ms', 0.99]] as const) {
        const want = numpyLinear(xs, q);
        if (g.exact) expect(g[k], `${op} ${k}`).toBe(want);
        else expect(Math.abs(g[k] - want) / want, `${op} ${k}: ${g[k]} vs ${want}`).toBeLessThanOrEqual(g.relative_error);
      }
    }
  });

  it('marks approximate percentiles in the table, and only those', async () => {
    const r = await runCli(['slow', file, '--budget', '100', '--no-color']);
    expect(r.code, r.stderr).toBe(0);
    const row = (op: string) => r.stdout.split('\n').find((l) => l.startsWith(op + ' '))!;
    expect(row('big').match(/≈/g)).toHaveLength(4);
    expect(row('small')).not.toContain('≈');
    expect(row('mid')).not.toContain('≈');
    expect(r.stdout).toMatch(/≈ within 1% of the exact percentile/);
  });
});
