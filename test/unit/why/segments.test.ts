import { describe, expect, it } from 'vitest';
import { ALPHA, elevatedSegment, MIN_EXCESS, MIN_LIFT, refineOnset, type Binned } from '../../../src/analyze/lib/segments.js';
import { llrPValue, poissonSplitLLR } from '../../../src/analyze/lib/significance.js';
import { rng } from './random.js';

/** A Poisson draw: Knuth's method, in pieces of mean ≤ 30 so exp(-λ) stays representable. */
function poisson(u: () => number, lambda: number): number {
  let k = 0;
  for (let left = lambda; left > 0; left -= 30) {
    const l = Math.exp(-Math.min(left, 30));
    let p = u();
    while (p > l) {
      k++;
      p *= u();
    }
  }
  return k;
}

function binomial(u: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
}

const MIN = 60_000;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** Poisson counts per one-minute bin at the given mean per bin. */
function poissonSeries(u: () => number, means: number[]): Binned {
  return { x: means.map((m) => poisson(u, m)), e: means.map(() => MIN) };
}

const stepMeans = (n: number, at: number, before: number, after: number, end = n) =>
  Array.from({ length: n }, (_, i) => (i >= at && i < end ? after : before));

describe('elevatedSegment (Poisson)', () => {
  it('finds nothing in a flat series', () => {
    for (const seed of SEEDS) {
      for (const mean of [0.3, 5, 50]) {
        const b = poissonSeries(rng(seed), stepMeans(100, 0, mean, mean));
        expect(elevatedSegment(b, 'poisson', 3), `seed ${seed} mean ${mean}`).toBeUndefined();
      }
    }
  });

  it('finds a step up within one bin of where it is', () => {
    for (const seed of SEEDS) {
      for (const at of [20, 55, 90]) {
        const b = poissonSeries(rng(seed), stepMeans(100, at, 5, 20));
        const seg = elevatedSegment(b, 'poisson', 3);
        expect(seg, `seed ${seed} at ${at}`).toBeDefined();
        expect(Math.abs(seg!.start - at), `seed ${seed} at ${at}: start ${seg!.start}`).toBeLessThanOrEqual(1);
        expect(seg!.rateIn / seg!.rateOut).toBeGreaterThanOrEqual(MIN_LIFT);
        expect(seg!.pValue).toBeLessThan(ALPHA);
        // The rates are per unit of exposure (per ms here): 20 and 5 a minute.
        expect(seg!.rateIn * MIN).toBeGreaterThan(15);
        expect(seg!.rateIn * MIN).toBeLessThan(25);
        expect(seg!.rateOut * MIN).toBeGreaterThan(3.5);
        expect(seg!.rateOut * MIN).toBeLessThan(6.5);
      }
    }
  });

  it('finds where a bump ends', () => {
    for (const seed of SEEDS) {
      const b = poissonSeries(rng(seed), stepMeans(120, 40, 4, 20, 70));
      const seg = elevatedSegment(b, 'poisson', 3);
      expect(seg, `seed ${seed}`).toBeDefined();
      expect(Math.abs(seg!.start - 40), `seed ${seed} start ${seg!.start}`).toBeLessThanOrEqual(1);
      expect(Math.abs(seg!.end - 70), `seed ${seed} end ${seg!.end}`).toBeLessThanOrEqual(1);
    }
  });

  it('reports its counts consistently with the bins', () => {
    const b = poissonSeries(rng(3), stepMeans(80, 50, 6, 30));
    const seg = elevatedSegment(b, 'poisson', 3)!;
    let xIn = 0;
    let eIn = 0;
    let xOut = 0;
    let eOut = 0;
    b.x.forEach((x, i) => {
      if (i >= seg.start && i < seg.end) [xIn, eIn] = [xIn + x, eIn + b.e[i]];
      else [xOut, eOut] = [xOut + x, eOut + b.e[i]];
    });
    expect(seg.xIn).toBe(xIn);
    expect(seg.rateIn).toBeCloseTo(xIn / eIn, 15);
    expect(seg.rateOut).toBeCloseTo(xOut / eOut, 15);
    expect(seg.excess).toBeCloseTo(xIn - (xOut / eOut) * eIn, 9);
    expect(seg.dispersion).toBeGreaterThanOrEqual(1);
  });

  it('keeps minStart bins of baseline before any segment', () => {
    for (const seed of SEEDS) {
      // A strong bump in bins 5..15, flat afterwards.
      const b = poissonSeries(rng(seed), stepMeans(100, 5, 3, 30, 15));
      const early = elevatedSegment(b, 'poisson', 3);
      expect(early, `seed ${seed}`).toBeDefined();
      expect(Math.abs(early!.start - 5)).toBeLessThanOrEqual(1);
      // From bin 20 on nothing is elevated against the rest (the bump is in the "rest").
      const late = elevatedSegment(b, 'poisson', 20);
      if (late) expect(late.start).toBeGreaterThanOrEqual(20);
      expect(late, `seed ${seed}`).toBeUndefined();
      // A step at bin 10 with minStart 30: the segment may not start before 30.
      const c = poissonSeries(rng(seed), stepMeans(100, 10, 3, 30));
      const seg = elevatedSegment(c, 'poisson', 30);
      if (seg) expect(seg.start).toBeGreaterThanOrEqual(30);
    }
  });

  it('needs MIN_EXCESS events beyond the baseline: a small blip over a quiet series is no change', () => {
    const quiet = (blip: number): Binned => {
      const x = new Array<number>(100).fill(0);
      x[10] = 1;
      x[70] = 1;
      x[60] = blip;
      return { x, e: x.map(() => MIN) };
    };
    // Far beyond chance and lifted, but only a handful of records.
    expect(elevatedSegment(quiet(MIN_EXCESS - 2), 'poisson', 3)).toBeUndefined();
    const seg = elevatedSegment(quiet(MIN_EXCESS + 5), 'poisson', 3);
    expect(seg).toBeDefined();
    expect(seg!.start).toBe(60);
    expect(seg!.end).toBe(61);
    expect(seg!.excess).toBeGreaterThanOrEqual(MIN_EXCESS);
  });

  it('needs the rate to at least double', () => {
    for (const seed of SEEDS) {
      // A 1.5× step over a busy series: highly significant, but not a doubling.
      const b = poissonSeries(rng(seed), stepMeans(100, 50, 200, 300));
      expect(elevatedSegment(b, 'poisson', 3), `seed ${seed}`).toBeUndefined();
    }
  });

  it('corrects for the number of series tested', () => {
    // A marginal step: significant alone, not among a million tests.
    let alone = 0;
    let many = 0;
    for (const seed of SEEDS) {
      const b = poissonSeries(rng(seed), stepMeans(60, 45, 1.5, 4));
      if (elevatedSegment(b, 'poisson', 3)) alone++;
      if (elevatedSegment(b, 'poisson', 3, 1e6)) many++;
    }
    expect(many).toBeLessThan(alone);
  });

  it('finds nothing in an empty series, or when minStart leaves no bins', () => {
    const zero = { x: new Array<number>(50).fill(0), e: new Array<number>(50).fill(MIN) };
    expect(elevatedSegment(zero, 'poisson', 3)).toBeUndefined();
    const b = poissonSeries(rng(1), stepMeans(50, 30, 2, 30));
    expect(elevatedSegment(b, 'poisson', 50)).toBeUndefined();
    expect(elevatedSegment({ x: [], e: [] }, 'poisson', 0)).toBeUndefined();
  });

  it('does not call the normal period elevated when a calmer one follows (or when the data starts high)', () => {
    for (const seed of SEEDS) {
      // Normal traffic, then quieter (calls failing fast behind an open breaker) from bin 60.
      const calmer = poissonSeries(rng(seed), stepMeans(100, 60, 20, 4));
      expect(elevatedSegment(calmer, 'poisson', 3), `seed ${seed}`).toBeUndefined();
      // The logs start during an incident that ends at bin 50.
      const recovery = poissonSeries(rng(seed), stepMeans(100, 50, 20, 5));
      expect(elevatedSegment(recovery, 'poisson', 3), `seed ${seed}`).toBeUndefined();
    }
  });

  it('finds a modest step in a sparse series', () => {
    for (const seed of SEEDS) {
      const b = poissonSeries(rng(seed), stepMeans(100, 60, 0.5, 3));
      const seg = elevatedSegment(b, 'poisson', 3);
      expect(seg, `seed ${seed}`).toBeDefined();
      expect(Math.abs(seg!.start - 60), `seed ${seed}: ${seg!.start}`).toBeLessThanOrEqual(3);
    }
  });

  it('weighs partly covered edge bins by their exposure', () => {
    for (const seed of SEEDS) {
      const u = rng(seed);
      // The span starts and ends inside a bin: 3 s of the first minute, 6 s of the last.
      const cover = Array.from({ length: 100 }, (_, i) => (i === 0 ? 0.05 : i === 99 ? 0.1 : 1));
      const flat = { x: cover.map((c) => poisson(u, 8 * c)), e: cover.map((c) => c * MIN) };
      expect(elevatedSegment(flat, 'poisson', 3), `seed ${seed}`).toBeUndefined();
      const step = { x: cover.map((c, i) => poisson(u, (i >= 70 ? 30 : 8) * c)), e: cover.map((c) => c * MIN) };
      const seg = elevatedSegment(step, 'poisson', 3);
      expect(seg, `seed ${seed}`).toBeDefined();
      expect(Math.abs(seg!.start - 70)).toBeLessThanOrEqual(1);
      expect(seg!.end).toBeGreaterThanOrEqual(99);
    }
  });

  it('handles bins with no exposure (a gap in the span)', () => {
    const u = rng(9);
    const b = poissonSeries(u, stepMeans(100, 60, 5, 25));
    for (let i = 30; i < 40; i++) [b.x[i], b.e[i]] = [0, 0];
    const seg = elevatedSegment(b, 'poisson', 3);
    expect(seg).toBeDefined();
    expect(Math.abs(seg!.start - 60)).toBeLessThanOrEqual(1);
    expect(seg!.end).toBe(100);
  });
});

describe('elevatedSegment (binomial)', () => {
  const slowSeries = (seed: number, n: number, at: number, p0: number, p1: number, samples = 100): Binned => {
    const u = rng(seed);
    const e = Array.from({ length: n }, () => samples);
    return { x: e.map((m, i) => binomial(u, m, i >= at ? p1 : p0)), e };
  };

  it('finds a step in the slow share', () => {
    for (const seed of SEEDS) {
      const seg = elevatedSegment(slowSeries(seed, 100, 50, 0.05, 0.2), 'binomial', 3);
      expect(seg, `seed ${seed}`).toBeDefined();
      expect(Math.abs(seg!.start - 50), `seed ${seed}: ${seg!.start}`).toBeLessThanOrEqual(1);
      expect(seg!.rateIn).toBeGreaterThan(0.15);
      expect(seg!.rateIn).toBeLessThan(0.25);
    }
  });

  it('finds nothing when the slow share is steady', () => {
    for (const seed of SEEDS) {
      expect(elevatedSegment(slowSeries(seed, 100, 0, 0.05, 0.05), 'binomial', 3), `seed ${seed}`).toBeUndefined();
      expect(elevatedSegment(slowSeries(seed, 100, 0, 0.5, 0.5), 'binomial', 3), `seed ${seed}`).toBeUndefined();
    }
  });

  it('judges the share, not the volume: more traffic at the same slow share is no change', () => {
    for (const seed of SEEDS) {
      const u = rng(seed);
      const e = Array.from({ length: 100 }, (_, i) => (i >= 50 ? 1000 : 100));
      const b = { x: e.map((m) => binomial(u, m, 0.05)), e };
      expect(elevatedSegment(b, 'binomial', 3), `seed ${seed}`).toBeUndefined();
    }
  });
});

describe('refineOnset', () => {
  const SEC = 1000;
  /** One-second cells from t0; events Poisson at `before` per second, then `after` from cell `at`. */
  const cells = (seed: number, n: number, at: number, before: number, after: number) => {
    const u = rng(seed);
    const t0 = 1_700_000_000_000;
    return Array.from({ length: n }, (_, i) => {
      const x = poisson(u, i >= at ? after : before);
      const start = t0 + i * SEC;
      return { start, x, e: SEC, first: x ? start + Math.floor(u() * SEC) : Infinity };
    });
  };

  it('is undefined without cells', () => {
    expect(refineOnset([], 0.001, 0.01)).toBeUndefined();
  });

  it('finds a change inside fine cells to within a cell, with no background', () => {
    for (const seed of SEEDS) {
      const c = cells(seed, 60, 37, 0, 5);
      const t = refineOnset(c, 0, 5 / SEC)!;
      const truth = c[37].start;
      expect(Math.abs(t - truth), `seed ${seed}`).toBeLessThanOrEqual(SEC);
      // It is the time of a record, not a cell boundary before any record.
      expect(c.some((x) => x.first === t)).toBe(true);
    }
  });

  it('finds a change to within a few cells over a background rate', () => {
    const offs: number[] = [];
    for (const seed of SEEDS) {
      const c = cells(seed, 120, 70, 1, 6);
      const t = refineOnset(c, 1 / SEC, 6 / SEC)!;
      const off = Math.abs(t - c[70].start) / SEC;
      offs.push(off);
      // The background's records before the change are not its onset.
      expect(off, `seed ${seed}`).toBeLessThanOrEqual(3);
    }
    // Most seeds within a cell.
    expect(offs.filter((o) => o <= 1).length).toBeGreaterThanOrEqual(SEEDS.length / 2);
  });

  it('uses exposure: a half-covered first cell does not pull the onset', () => {
    const c = cells(4, 60, 30, 1, 8);
    c[0] = { ...c[0], x: 0, e: SEC / 2, first: Infinity };
    const t = refineOnset(c, 1 / SEC, 8 / SEC)!;
    expect(Math.abs(t - c[30].start)).toBeLessThanOrEqual(2 * SEC);
  });
});

describe('elevatedSegment: an ongoing change and a bursty background', () => {
  it('keeps a step that lasts to the end of the data open to the end', () => {
    for (const seed of SEEDS) {
      for (const at of [20, 55]) {
        const seg = elevatedSegment(poissonSeries(rng(seed), stepMeans(100, at, 5, 20)), 'poisson', 3);
        expect(seg?.end, `poisson seed ${seed} at ${at}: ${seg?.start}..${seg?.end}`).toBe(100);
      }
      const u = rng(seed);
      const e = Array.from({ length: 100 }, () => 100);
      const slow = { x: e.map((m, i) => binomial(u, m, i >= 50 ? 0.2 : 0.05)), e };
      const seg = elevatedSegment(slow, 'binomial', 3);
      expect(seg?.end, `binomial seed ${seed}: ${seg?.start}..${seg?.end}`).toBe(100);
    }
  });

  it('does not call bursty (overdispersed) noise a change, though plain Poisson would', () => {
    for (const seed of SEEDS) {
      const u = rng(seed);
      // Every bin: mean 5, but one bin in ten is a burst of mean 40, anywhere.
      const means = Array.from({ length: 100 }, () => (u() < 0.1 ? 40 : 5));
      const b = poissonSeries(u, means);
      expect(elevatedSegment(b, 'poisson', 3), `seed ${seed}`).toBeUndefined();
      // Without the dispersion the busiest single bin after the baseline is "significant" even after Bonferroni.
      const X = b.x.reduce((a, x) => a + x, 0);
      let top = 0;
      for (let i = 3; i < 100; i++) top = Math.max(top, poissonSplitLLR(b.x[i], MIN, X - b.x[i], 99 * MIN));
      expect(llrPValue(top) * ((97 * 98) / 2), `seed ${seed}`).toBeLessThan(ALPHA);
    }
  });

});
