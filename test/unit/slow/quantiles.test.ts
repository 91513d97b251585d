import { describe, expect, it } from 'vitest';
import { Quantiles, SampleBudget } from '../../../src/analyze/lib/quantiles.js';

/** Reference: numpy's default (linear) percentile, computed independently. */
function reference(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

function lcg(seed: number): () => number {
  let x = seed;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('quantiles', () => {
  it('are exact with linear interpolation while under budget', () => {
    const r = lcg(7);
    const xs = Array.from({ length: 1001 }, () => Math.exp(r() * 8));
    const q = new Quantiles(new SampleBudget());
    xs.forEach((x) => q.add(x));
    expect(q.exact).toBe(true);
    for (const p of [0, 0.5, 0.9, 0.95, 0.99, 1]) expect(q.quantile(p)).toBeCloseTo(reference(xs, p), 9);
    expect(q.max).toBe(Math.max(...xs));
  });

  it('interpolates between two samples', () => {
    const q = new Quantiles(new SampleBudget());
    [10, 20].forEach((x) => q.add(x));
    expect(q.quantile(0.95)).toBeCloseTo(19.5);
    expect(new Quantiles(new SampleBudget()).quantile(0.5)).toBeNull();
  });

  it('switch to the sketch past the budget and stay within 1% on a million samples', () => {
    const r = lcg(11);
    const xs = new Float64Array(1_000_000);
    for (let i = 0; i < xs.length; i++) xs[i] = r() < 0.01 ? 0 : Math.exp(r() * 10) * (1 + r());
    const budget = new SampleBudget(1000);
    const q = new Quantiles(budget);
    for (const x of xs) q.add(x);
    expect(q.exact).toBe(false);
    expect(budget.used).toBe(0);
    const sorted = Array.from(xs).sort((a, b) => a - b);
    for (const p of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const want = reference(sorted, p);
      expect(Math.abs(q.quantile(p)! - want) / want, `p${p * 100}`).toBeLessThanOrEqual(0.01);
    }
    expect(q.count).toBe(1_000_000);
  });

  it('merge exactly while the budget allows, and through the sketch otherwise', () => {
    const a = new Quantiles(new SampleBudget());
    const b = new Quantiles(new SampleBudget());
    [1, 2, 3].forEach((x) => a.add(x));
    [4, 5].forEach((x) => b.add(x));
    a.merge(b);
    expect(a.exact).toBe(true);
    expect(a.quantile(0.5)).toBe(3);
    const s = new Quantiles(new SampleBudget(), true);
    [100, 200, 300].forEach((x) => s.add(x));
    s.merge(a);
    expect(s.exact).toBe(false);
    expect(s.count).toBe(8);
    expect(s.max).toBe(300);
    expect(Math.abs(s.quantile(0.5)! - 4.5) / 4.5).toBeLessThan(0.2);
  });
});
