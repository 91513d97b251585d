import { describe, expect, it } from 'vitest';
import { EXACT_FLOOR, Quantiles, SampleBudget, SKETCH_ACCURACY } from '../../../src/analyze/lib/quantiles.js';
import { slowAnalysis, unpackSlowState } from '../../../src/analyze/slow.js';
import { rec } from '../analyze/records.js';
import { lcg, numpyLinear, PS, SHAPES } from './samples.js';

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];

function relErr(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

describe('percentiles under a tiny budget', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name}: groups under ${EXACT_FLOOR} samples stay exact and equal numpy, whatever the budget`, () => {
      for (const seed of SEEDS) {
        const u = lcg(seed);
        const budget = new SampleBudget(1 + (seed % 3) * 50);
        // One large group spends the budget first, then small groups of awkward sizes arrive.
        const big = new Quantiles(budget);
        for (const x of shape(u, EXACT_FLOOR + 5000)) big.add(x);
        const sizes = [1, 2, 3, 121, 999, 5000, EXACT_FLOOR - 1];
        const groups = sizes.map((n) => ({ xs: shape(u, n), q: new Quantiles(budget) }));
        // Interleaved, as records of several operations arrive.
        for (let i = 0; i < EXACT_FLOOR; i++) for (const g of groups) if (i < g.xs.length) g.q.add(g.xs[i]);
        for (const g of groups) {
          expect(g.q.exact, `seed ${seed} n=${g.xs.length}`).toBe(true);
          expect(g.q.relativeError).toBe(0);
          for (const p of PS) expect(g.q.quantile(p), `seed ${seed} n=${g.xs.length} p=${p}`).toBe(numpyLinear(g.xs, p));
        }
        expect(big.exact).toBe(false);
      }
    });

    it(`${name}: a sketched group's percentiles are within the bound it states`, () => {
      for (const seed of SEEDS) {
        const u = lcg(seed * 7919);
        const n = EXACT_FLOOR + Math.floor(u() * 40_000);
        const xs = shape(u, n);
        const q = new Quantiles(new SampleBudget(10));
        for (const x of xs) q.add(x);
        expect(q.exact).toBe(false);
        expect(q.relativeError).toBe(SKETCH_ACCURACY);
        const sorted = Float64Array.from(xs).sort();
        for (const p of [...PS, 0.123, 0.5 + u() / 2]) {
          const want = numpyLinear(sorted, p);
          expect(relErr(q.quantile(p)!, want), `seed ${seed} n=${n} p=${p}`).toBeLessThanOrEqual(q.relativeError);
        }
        expect([q.count, q.min, q.max]).toEqual([n, sorted[0], sorted[n - 1]]);
      }
    });
  }

  it('a percentile between two far-apart ranks is interpolated, not the lower rank (sketch)', () => {
    // 10,050 samples: rank (n-1)*0.99 = 9948.51 falls between the last 1 ms and the first 1000 ms.
    const xs = [...new Array(9949).fill(1), ...new Array(101).fill(1000)];
    const q = new Quantiles(new SampleBudget(), true);
    for (const x of xs) q.add(x);
    const want = numpyLinear(xs, 0.99);
    expect(want).toBeCloseTo(1 + 0.51 * 999, 6);
    expect(relErr(q.quantile(0.99)!, want)).toBeLessThanOrEqual(SKETCH_ACCURACY);
  });

  it('once the budget is spent, sketches every group of the floor or more, never one under it', () => {
    const budget = new SampleBudget(50_000);
    const u = lcg(99);
    const sizes = [500, 9_000, 12_000, 25_000, 60_000];
    const qs = sizes.map(() => new Quantiles(budget));
    // Filled one after the other: the budget runs out while the last group grows.
    qs.forEach((q, k) => {
      for (let i = 0; i < sizes[k]; i++) q.add(u() * 100);
    });
    expect(qs.map((q) => q.exact)).toEqual([true, true, false, false, false]);
    expect(budget.used).toBe(500 + 9_000);
    // Groups under the floor are kept even past the budget: memory is the budget plus < floor per group.
    const small = new SampleBudget(1000);
    const many = Array.from({ length: 5 }, () => new Quantiles(small));
    for (let i = 0; i < EXACT_FLOOR - 1; i++) for (const q of many) q.add(i);
    expect(many.every((q) => q.exact)).toBe(true);
    expect(small.used).toBe(5 * (EXACT_FLOOR - 1));
    many[0].add(1);
    expect(many.map((q) => q.exact)).toEqual([false, true, true, true, true]);
  });

  it('sketches the same groups with the same answers whatever order the samples arrive in', () => {
    const u = lcg(7);
    const sizes = [300, 9_999, 10_000, 30_000];
    const samples = sizes.map((n) => SHAPES.lognormal(u, n));
    const run = (order: 'grouped' | 'reversed' | 'interleaved') => {
      const budget = new SampleBudget(20_000);
      const qs = sizes.map(() => new Quantiles(budget));
      const seq = samples.flatMap((xs, k) => xs.map((x, i) => [k, x, i] as const));
      if (order === 'reversed') seq.reverse();
      if (order === 'interleaved') seq.sort((a, b) => a[2] - b[2] || a[0] - b[0]);
      for (const [k, x] of seq) qs[k].add(x);
      return qs.map((q) => [q.exact, q.mean(), ...[0.5, 0.9, 0.99].map((p) => q.quantile(p))]);
    };
    const grouped = run('grouped');
    expect(grouped.map((g) => g[0])).toEqual([true, true, false, false]);
    expect(run('reversed')).toEqual(grouped);
    expect(run('interleaved')).toEqual(grouped);
  });
});

describe('slow split across threads past the budget', () => {
  it('sketches the same groups and answers to the bit as one thread', () => {
    // Three operations in turn, then one alone: the budget is passed while all three grow.
    const u = lcg(31);
    const ops = Array.from({ length: 36_000 }, (_, i) => (i < 30_000 ? ['opA', 'opB', 'opC'][i % 3] : 'opA'));
    const records = ops.map((op) => rec({ operation: op, durationMs: Math.exp(3 + 1.5 * u()) }));
    const a = slowAnalysis({ budget: 15_000 });
    const serial = a.init();
    for (const r of records) a.add(serial, r);
    const halves = [records.slice(0, 18_000), records.slice(18_000)].map((part) => {
      const s = a.init();
      for (const r of part) a.add(s, r);
      return unpackSlowState(structuredClone(s));
    });
    const merged = a.merge!(halves[0], halves[1]);
    const strip = (gs: ReturnType<ReturnType<typeof slowAnalysis>['result']>['groups']) => gs.map(({ slowest: _s, ...g }) => g);
    expect(strip(a.result(merged).groups)).toEqual(strip(a.result(serial).groups));
    expect(a.result(serial).groups.map((g) => g.exact)).toEqual([false, false, false]);
  });
});

describe('slow over many groups with a tiny budget (serial and merged from threads)', () => {
  const u = lcg(4242);
  const sizes = [121, 1000, 9000, 20_000, 50_000];
  const data = sizes.map((n, k) => ({ op: `op${k}`, xs: SHAPES[k % 2 ? 'pareto' : 'gapped'](u, n) }));
  const records = data.flatMap((d) => d.xs.map((x) => rec({ operation: d.op, durationMs: x })));
  // Shuffled so that groups grow together.
  for (let i = records.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [records[i], records[j]] = [records[j], records[i]];
  }

  function check(groups: ReturnType<ReturnType<typeof slowAnalysis>['result']>['groups']): void {
    for (const d of data) {
      const g = groups.find((x) => x.key.operation === d.op)!;
      expect(g.count).toBe(d.xs.length);
      expect(g.exact).toBe(d.xs.length < EXACT_FLOOR);
      expect(g.relative_error).toBe(g.exact ? 0 : SKETCH_ACCURACY);
      for (const [p, got] of [[0.5, g.p50_ms], [0.9, g.p90_ms], [0.95, g.p95_ms], [0.99, g.p99_ms]] as const) {
        const want = numpyLinear(d.xs, p);
        if (g.exact) expect(got, `${d.op} p${p * 100}`).toBe(want);
        else expect(relErr(got!, want), `${d.op} p${p * 100}`).toBeLessThanOrEqual(g.relative_error);
      }
    }
  }

  it('serial', () => {
    const a = slowAnalysis({ budget: 100 });
    const s = a.init();
    for (const r of records) a.add(s, r);
    check(a.result(s).groups);
  });

  it('split in three, cloned across threads and merged', () => {
    const a = slowAnalysis({ budget: 100 });
    const parts = [0, 1, 2].map((k) => {
      const s = a.init();
      records.filter((_, i) => i % 3 === k).forEach((r) => a.add(s, r));
      return unpackSlowState(structuredClone(s));
    });
    const merged = parts.reduce((x, y) => a.merge!(x, y));
    check(a.result(merged).groups);
    expect(merged.budget.used).toBe(121 + 1000 + 9000);
    // The same answers as one thread, to the bit: which groups are sketched depends only on counts.
    const serial = a.init();
    for (const r of records) a.add(serial, r);
    const strip = (gs: ReturnType<ReturnType<typeof slowAnalysis>['result']>['groups']) => gs.map(({ slowest: _s, ...g }) => g);
    expect(strip(a.result(merged).groups)).toEqual(strip(a.result(serial).groups));
  });
});
