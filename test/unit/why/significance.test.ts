import { describe, expect, it } from 'vitest';
import { binomialSplitLLR, binomialUpper, erfc, llrPValue, lnGamma, poissonSplitLLR, rateIncreasePValue } from '../../../src/analyze/lib/significance.js';
import { rng } from './random.js';

/** A Poisson draw (Knuth's product of uniforms; fine for the means used here). */
function poisson(u: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = u();
  while (p > l) {
    k++;
    p *= u();
  }
  return k;
}

/** ln n! as a plain sum of logs. */
const lnFact = (n: number) => {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
};

/** P(X ≥ k), X ~ Binomial(n, p), by the pmf recurrence and a log-sum-exp over the whole tail. */
function bruteUpper(k: number, n: number, p: number): number {
  const logs: number[] = [];
  let lp = n * Math.log1p(-p);
  for (let i = 0; i <= n; i++) {
    if (i >= k) logs.push(lp);
    lp += Math.log((n - i) / (i + 1)) + Math.log(p / (1 - p));
  }
  const m = Math.max(...logs);
  return Math.exp(m) * logs.reduce((s, l) => s + Math.exp(l - m), 0);
}

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('lnGamma', () => {
  it('matches ln((x-1)!) at the integers', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 50, 100, 170, 1000]) {
      const want = lnFact(n - 1);
      const got = lnGamma(n);
      if (want === 0) expect(Math.abs(got)).toBeLessThan(1e-12);
      else expect(rel(got, want)).toBeLessThan(1e-10);
    }
  });

  it('matches known values at half-integers and below one half (the reflection branch)', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(lnGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 12);
    // Γ(1/4) = 3.625609908221908…, Γ(1/3) = 2.678938534707747…
    expect(lnGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 10);
    expect(lnGamma(1 / 3)).toBeCloseTo(Math.log(2.678938534707747), 10);
    // Γ(x+1) = x Γ(x) holds across the branch point.
    for (const x of [0.1, 0.3, 0.49, 0.5, 0.7, 2.5, 12.25]) expect(lnGamma(x + 1)).toBeCloseTo(Math.log(x) + lnGamma(x), 10);
  });
});

describe('erfc', () => {
  it('matches tabulated values to the fit precision', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.1572992070502851],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [-1, 1.8427007929497148],
      [-2, 1.9953222650189528],
    ];
    for (const [x, want] of table) expect(rel(erfc(x), want)).toBeLessThan(2e-7);
  });

  it('is decreasing, between 0 and 2, and erfc(x) + erfc(-x) = 2 (to the fit precision)', () => {
    let prev = 2;
    for (let x = -4; x <= 6; x += 0.25) {
      const v = erfc(x);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(prev);
      expect(Math.abs(v + erfc(-x) - 2)).toBeLessThan(1e-6);
      prev = v;
    }
  });
});

describe('llrPValue', () => {
  it('is 1 for no evidence and gives the chi-square(1) critical values', () => {
    expect(llrPValue(0)).toBe(1);
    expect(llrPValue(-3)).toBe(1);
    // χ²₁ critical values: 3.841459 at 5%, 6.634897 at 1%, 10.827566 at 0.1%; llr is half of χ².
    expect(llrPValue(3.841459 / 2)).toBeCloseTo(0.05, 5);
    expect(llrPValue(6.634897 / 2)).toBeCloseTo(0.01, 5);
    expect(llrPValue(10.827566 / 2)).toBeCloseTo(0.001, 6);
  });
});

describe('binomialUpper', () => {
  it('equals a brute-force tail sum for small n', () => {
    for (const n of [1, 2, 5, 10, 30, 100]) {
      for (const p of [0.01, 0.1, 0.3, 0.5, 0.9]) {
        for (let k = 1; k <= n; k++) {
          const want = bruteUpper(k, n, p);
          const got = binomialUpper(k, n, p);
          if (want > 1e-300) expect(rel(got, want), `k=${k} n=${n} p=${p}`).toBeLessThan(1e-8);
          else expect(got).toBeLessThan(1e-290);
        }
      }
    }
  });

  it('knows simple closed forms', () => {
    expect(binomialUpper(3, 3, 0.5)).toBeCloseTo(1 / 8, 14);
    expect(binomialUpper(1, 10, 0.5)).toBeCloseTo(1 - 1 / 1024, 12);
    expect(binomialUpper(10, 10, 0.5)).toBeCloseTo(1 / 1024, 14);
    expect(binomialUpper(2, 4, 0.5)).toBeCloseTo(11 / 16, 14);
  });

  it('handles the edges: k ≤ 0, k > n, p = 0, p = 1', () => {
    expect(binomialUpper(0, 10, 0.3)).toBe(1);
    expect(binomialUpper(-2, 10, 0.3)).toBe(1);
    expect(binomialUpper(11, 10, 0.3)).toBe(0);
    expect(binomialUpper(1, 0, 0.3)).toBe(0);
    expect(binomialUpper(0, 0, 0.3)).toBe(1);
    expect(binomialUpper(1, 10, 0)).toBe(0);
    expect(binomialUpper(10, 10, 1)).toBe(1);
    expect(binomialUpper(3, 10, 1)).toBe(1);
  });

  it('is a probability that falls as k rises, also far below the mean', () => {
    for (const [n, p] of [
      [1000, 0.3],
      [20_000, 0.5],
      [50_000, 0.01],
    ] as const) {
      let prev = 1;
      for (let k = 1; k <= n; k += Math.max(1, Math.floor(n / 400))) {
        const v = binomialUpper(k, n, p);
        expect(Number.isFinite(v), `k=${k} n=${n}`).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(prev + 1e-12);
        prev = v;
      }
      expect(binomialUpper(1, n, p)).toBeCloseTo(1, 6);
    }
  });

  it('is exact at larger n below the switch, in the tail that matters', () => {
    for (const [n, p] of [
      [2000, 0.2],
      [19_000, 0.05],
    ] as const) {
      const mean = n * p;
      const sd = Math.sqrt(n * p * (1 - p));
      for (const z of [0, 1, 2, 3, 5, 8]) {
        const k = Math.ceil(mean + z * sd);
        expect(rel(binomialUpper(k, n, p), bruteUpper(k, n, p)), `k=${k} n=${n}`).toBeLessThan(1e-7);
      }
    }
  });

  it('has no jump between the exact sum and the normal approximation around n = 20,000', () => {
    for (const p of [0.5, 0.2, 0.05]) {
      for (const z of [-2, -1, 0, 1, 2, 3]) {
        const at = (n: number) => binomialUpper(Math.round(n * p + z * Math.sqrt(n * p * (1 - p))), n, p);
        const exact = at(20_000);
        const normal = at(20_001);
        // The normal branch's error is O(1/sqrt(n)) (Berry–Esseen), well under a percentage point here.
        expect(Math.abs(normal - exact), `p=${p} z=${z}`).toBeLessThan(0.005);
        // And both agree with the true tail at the same scale.
        expect(Math.abs(exact - bruteUpper(Math.round(20_000 * p + z * Math.sqrt(20_000 * p * (1 - p))), 20_000, p))).toBeLessThan(1e-9);
      }
    }
  });
});

describe('rateIncreasePValue', () => {
  it('is not small for equal rates and tiny for a tenfold rate', () => {
    expect(rateIncreasePValue(100, 60, 100, 60)).toBeGreaterThan(0.4);
    expect(rateIncreasePValue(50, 1, 500, 10)).toBeGreaterThan(0.4);
    expect(rateIncreasePValue(100, 10, 10, 10)).toBeLessThan(1e-15);
    expect(rateIncreasePValue(10, 1, 0, 1)).toBeCloseTo(1 / 1024, 12);
  });

  it('is 1 without exposure and grows with dispersion', () => {
    expect(rateIncreasePValue(10, 0, 1, 10)).toBe(1);
    expect(rateIncreasePValue(10, 10, 1, 0)).toBe(1);
    const p1 = rateIncreasePValue(60, 10, 30, 10);
    const p3 = rateIncreasePValue(60, 10, 30, 10, 3);
    const p10 = rateIncreasePValue(60, 10, 30, 10, 10);
    expect(p1).toBeLessThan(0.01);
    expect(p3).toBeGreaterThan(p1);
    expect(p10).toBeGreaterThan(p3);
    expect(p10).toBeGreaterThan(0.05);
    // A dispersion below 1 is not taken as extra evidence.
    expect(rateIncreasePValue(60, 10, 30, 10, 0.2)).toBe(p1);
  });

  it('rejects no more often than its level when both counts come from one Poisson rate', () => {
    const u = rng(7);
    let rejected = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const a = poisson(u, 20);
      const b = poisson(u, 40);
      if (rateIncreasePValue(a, 1, b, 2) < 0.05) rejected++;
    }
    expect(rejected / trials).toBeLessThan(0.065);
  });
});

describe('split likelihood ratios', () => {
  /** Poisson log-likelihood of counts at rates, terms in x! left out (they cancel). */
  const poisLL = (x: number, e: number, rate: number) => (x > 0 ? x * Math.log(rate * e) : 0) - rate * e;
  const bernLL = (s: number, n: number, q: number) => (s > 0 ? s * Math.log(q) : 0) + (n - s > 0 ? (n - s) * Math.log(1 - q) : 0);

  it('poissonSplitLLR is the log-likelihood gain of two rates over one', () => {
    for (const [xi, ei, xo, eo] of [
      [30, 10, 20, 40],
      [5, 1, 0, 9],
      [0, 5, 20, 5],
      [100, 3, 100, 3],
    ]) {
      const r = (xi + xo) / (ei + eo);
      const want = poisLL(xi, ei, xi / ei) + poisLL(xo, eo, xo / eo) - poisLL(xi, ei, r) - poisLL(xo, eo, r);
      expect(poissonSplitLLR(xi, ei, xo, eo)).toBeCloseTo(want, 9);
      expect(poissonSplitLLR(xi, ei, xo, eo)).toBeGreaterThanOrEqual(-1e-9);
    }
    expect(poissonSplitLLR(10, 2, 20, 4)).toBeCloseTo(0, 12);
    expect(poissonSplitLLR(0, 2, 0, 4)).toBe(0);
    expect(poissonSplitLLR(3, 0, 5, 4)).toBe(0);
  });

  it('binomialSplitLLR is the log-likelihood gain of two shares over one', () => {
    for (const [si, ni, so, no] of [
      [30, 100, 10, 400],
      [5, 5, 0, 50],
      [0, 20, 20, 20],
    ]) {
      const q = (si + so) / (ni + no);
      const want = bernLL(si, ni, si / ni) + bernLL(so, no, so / no) - bernLL(si, ni, q) - bernLL(so, no, q);
      expect(binomialSplitLLR(si, ni, so, no)).toBeCloseTo(want, 9);
    }
    expect(binomialSplitLLR(10, 100, 30, 300)).toBeCloseTo(0, 12);
  });

  it('llrPValue(poissonSplitLLR) is calibrated for a fixed split under one rate (Wilks)', () => {
    const u = rng(11);
    let rejected = 0;
    const trials = 3000;
    for (let i = 0; i < trials; i++) {
      const a = poisson(u, 30);
      const b = poisson(u, 60);
      if (llrPValue(poissonSplitLLR(a, 1, b, 2)) < 0.05) rejected++;
    }
    expect(rejected / trials).toBeGreaterThan(0.03);
    expect(rejected / trials).toBeLessThan(0.07);
  });
});

describe('binomialUpper beyond 20,000 trials', () => {
  it('stays close to the true tail when the success share is small (a short window against a long baseline)', () => {
    for (const p of [0.001, 0.01]) {
      for (const z of [3, 4, 5]) {
        const n = 20_001;
        const k = Math.round(n * p + z * Math.sqrt(n * p * (1 - p)));
        const want = bruteUpper(k, n, p);
        const got = binomialUpper(k, n, p);
        // Within 25% of the true p-value, as the exact branch is one trial earlier.
        expect(got / want, `k=${k} n=${n} p=${p}: got ${got}, true ${want}`).toBeGreaterThan(0.75);
        expect(got / want, `k=${k} n=${n} p=${p}: got ${got}, true ${want}`).toBeLessThan(1.25);
      }
    }
  });
});
