import { describe, expect, it } from 'vitest';
import {
  binQuantile,
  binValue,
  COUNT_CELL,
  countAt,
  LATENCY_CELL,
  latencyAt,
  latencyBin,
  MAX_CELLS,
  roundWidth,
  Series,
  Timeline,
  type CountCell,
  type LatencyCell,
} from '../../../src/analyze/lib/timeline.js';
import { rng, shuffle } from './random.js';

const T0 = Date.parse('2024-03-10T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The plain computation: per cell of width w, the count and the earliest time. */
function reference(times: number[], w: number): Map<number, CountCell> {
  const m = new Map<number, CountCell>();
  for (const t of times) {
    const k = Math.floor(t / w) * w;
    const c = m.get(k) ?? { n: 0, first: Infinity };
    c.n++;
    c.first = Math.min(c.first, t);
    m.set(k, c);
  }
  return m;
}

const asMap = (s: Series<CountCell>) => new Map(s.entries().map((e) => [e.start, { n: e.cell.n, first: e.cell.first }]));

/** Feeds times in the order given, as `why` does (observe, then count), tracking every width. */
function feed(times: number[]) {
  const tl = new Timeline();
  const s = new Series(tl, COUNT_CELL);
  const widths = [tl.width];
  let maxSpan = 0;
  let maxCells = 0;
  for (const t of times) {
    tl.observe(t);
    countAt(s, t);
    if (tl.width !== widths[widths.length - 1]) widths.push(tl.width);
    maxSpan = Math.max(maxSpan, Math.floor(tl.hi / tl.width) - Math.floor(tl.lo / tl.width) + 1);
    maxCells = Math.max(maxCells, s.cells.size);
  }
  return { tl, s, widths, maxSpan, maxCells };
}

describe('Timeline and count series', () => {
  it('starts at one-second cells and stays there over a short span', () => {
    const times = Array.from({ length: 500 }, (_, i) => T0 + i * 700);
    const { tl, s, widths } = feed(times);
    expect(widths).toEqual([1000]);
    expect(asMap(s)).toEqual(reference(times, 1000));
    expect(tl.lo).toBe(times[0]);
    expect(tl.hi).toBe(times[times.length - 1]);
    expect(tl.records).toBe(500);
    expect(tl.timed).toBe(true);
    expect(new Timeline().timed).toBe(false);
  });

  it('keeps every count and first time when cells widen (equal to counting at the final width)', () => {
    const u = rng(1);
    const times: number[] = [];
    // Bursts and gaps over six hours, in time order.
    for (let t = T0; t < T0 + 6 * HOUR; t += Math.floor(u() * (u() < 0.05 ? 600_000 : 3000))) times.push(t);
    const { s, tl, widths } = feed(times);
    expect(widths.length).toBeGreaterThan(1);
    const got = asMap(s);
    expect(got).toEqual(reference(times, tl.width));
    expect([...got.values()].reduce((a, c) => a + c.n, 0)).toBe(times.length);
  });

  it('widens only upwards, each width a multiple of the one before, and only when the span needs it', () => {
    const times = Array.from({ length: 3000 }, (_, i) => T0 + Math.floor(i ** 2.2));
    const { widths } = feed(times);
    expect(widths.length).toBeGreaterThan(3);
    for (let i = 1; i < widths.length; i++) {
      expect(widths[i]).toBeGreaterThan(widths[i - 1]);
      expect(widths[i] % widths[i - 1]).toBe(0);
    }
    // The final width is needed: at the width before it the span would be over MAX_CELLS cells.
    const tl = new Timeline();
    for (const t of times) tl.observe(t);
    const prev = widths[widths.length - 2];
    expect(Math.floor(tl.hi / prev) - Math.floor(tl.lo / prev) + 1).toBeGreaterThan(MAX_CELLS);
  });

  it('holds MAX_CELLS over a week of records', () => {
    const u = rng(2);
    const times: number[] = [];
    for (let t = T0; t < T0 + 7 * DAY; t += 5000 + Math.floor(u() * 20_000)) times.push(t);
    const { s, tl, maxSpan, maxCells } = feed(times);
    expect(maxSpan).toBeLessThanOrEqual(MAX_CELLS);
    expect(maxCells).toBeLessThanOrEqual(MAX_CELLS);
    // A week fits well within 2,000 cells of an hour's width or less.
    expect(tl.width).toBeLessThanOrEqual(HOUR);
    expect(asMap(s)).toEqual(reference(times, tl.width));
  });

  it('takes late, out-of-order records (also before the first one seen)', () => {
    const u = rng(3);
    const times = Array.from({ length: 5000 }, () => T0 + Math.floor(u() * 2 * DAY));
    for (const order of [shuffle(times, rng(4)), [...times].sort((a, b) => b - a)]) {
      const { s, tl, maxCells } = feed(order);
      expect(tl.lo).toBe(Math.min(...times));
      expect(tl.hi).toBe(Math.max(...times));
      expect(maxCells).toBeLessThanOrEqual(MAX_CELLS);
      expect(asMap(s)).toEqual(reference(times, tl.width));
    }
  });

  it('lets a series made after widening, and one left untouched while it widened, agree', () => {
    const tl = new Timeline();
    const early = new Series(tl, COUNT_CELL);
    const idle = new Series(tl, COUNT_CELL);
    const times = Array.from({ length: 2000 }, (_, i) => T0 + i * 60_000);
    countAt(idle, T0);
    countAt(idle, T0 + 1500);
    let late: Series<CountCell> | undefined;
    const lateTimes: number[] = [];
    for (const t of times) {
      tl.observe(t);
      countAt(early, t);
      if (t >= T0 + DAY / 2) {
        late ??= new Series(tl, COUNT_CELL);
        countAt(late, t);
        lateTimes.push(t);
      }
    }
    expect(tl.width).toBeGreaterThan(1000);
    expect(asMap(early)).toEqual(reference(times, tl.width));
    expect(asMap(late!)).toEqual(reference(lateTimes, tl.width));
    expect(asMap(idle)).toEqual(reference([T0, T0 + 1500], tl.width));
  });
});

describe('roundWidth', () => {
  it('is at least the target and a multiple of the cell width', () => {
    for (const atLeast of [1000, 5000, 60_000, 3_600_000]) {
      for (const target of [1, 999, 1000, 7000, 45_000, 61_000, 1_000_000, 10 * DAY, 100 * DAY]) {
        const w = roundWidth(target, atLeast);
        expect(w, `${target} ${atLeast}`).toBeGreaterThanOrEqual(target);
        expect(w).toBeGreaterThanOrEqual(atLeast);
        expect(w % atLeast).toBe(0);
      }
    }
    // Round targets are kept as they are.
    expect(roundWidth(60_000, 1000)).toBe(60_000);
    expect(roundWidth(300_000, 60_000)).toBe(300_000);
  });
});

describe('latency cells and binQuantile', () => {
  /** Exact q-quantile: the smallest value with at least q of the values at or below it. */
  const exactQuantile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];

  it('is within ±10% of the true quantile', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const u = rng(seed);
      // Log-normal durations (median 80 ms) with a slow tail mixed in.
      const xs = Array.from({ length: 20_000 }, () => {
        const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
        return u() < 0.03 ? 2000 + u() * 8000 : 80 * Math.exp(z * 0.8);
      });
      const tl = new Timeline();
      const s = new Series(tl, LATENCY_CELL);
      xs.forEach((ms, i) => {
        const t = T0 + i * 100;
        tl.observe(t);
        latencyAt(s, t, ms, `r${i}`);
      });
      // Fold every cell into one, as `why` does for a range.
      const all = LATENCY_CELL.make();
      for (const { cell } of s.entries()) LATENCY_CELL.merge(all, cell);
      expect(all.n).toBe(xs.length);
      const sorted = [...xs].sort((a, b) => a - b);
      for (const q of [0.1, 0.5, 0.9, 0.95, 0.99]) {
        const want = exactQuantile(sorted, q);
        const got = binQuantile(all.bins, q)!;
        expect(Math.abs(got - want) / want, `seed ${seed} q ${q}: ${got} vs ${want}`).toBeLessThan(0.1);
      }
      // The slowest record and its id survive the merges.
      const maxAt = xs.indexOf(sorted[sorted.length - 1]);
      expect(all.maxMs).toBe(sorted[sorted.length - 1]);
      expect(all.maxId).toBe(`r${maxAt}`);
    }
  });

  it('is exact to a bin for a few values and undefined for none', () => {
    expect(binQuantile(new Map(), 0.5)).toBeUndefined();
    const bins = new Map<number, number>();
    for (const ms of [10, 20, 30, 40, 1000]) bins.set(latencyBin(ms), (bins.get(latencyBin(ms)) ?? 0) + 1);
    const near = (got: number | undefined, want: number) => expect(Math.abs(got! - want) / want).toBeLessThan(0.05 + 1e-9);
    near(binQuantile(bins, 0), 10);
    near(binQuantile(bins, 0.5), 30);
    near(binQuantile(bins, 0.8), 40);
    near(binQuantile(bins, 0.95), 1000);
    near(binQuantile(bins, 1), 1000);
  });

  it('bins durations within ±5% of their value, zero and tiny ones included', () => {
    for (const ms of [0.0005, 0.002, 0.5, 1, 3.7, 99, 1234.5, 86_400_000]) {
      const v = binValue(latencyBin(ms));
      if (ms >= 0.001) expect(Math.abs(v - ms) / ms, `${ms}`).toBeLessThan(0.05);
    }
    expect(latencyBin(0)).toBe(latencyBin(0.001));
    expect(Number.isFinite(latencyBin(0))).toBe(true);
  });

  it('keeps the first time and the slowest id per cell whatever the order', () => {
    const tl = new Timeline();
    const s = new Series(tl, LATENCY_CELL);
    const recs = [
      { t: T0 + 400, ms: 5, id: 'a' },
      { t: T0 + 100, ms: 50, id: 'b' },
      { t: T0 + 900, ms: 20, id: undefined },
      { t: T0 + 300, ms: 70, id: undefined },
    ];
    for (const r of recs) {
      tl.observe(r.t);
      latencyAt(s, r.t, r.ms, r.id);
    }
    const [e] = s.entries();
    expect(e.cell.n).toBe(4);
    expect(e.cell.first).toBe(T0 + 100);
    // The slowest record with an id (one without cannot be traced).
    expect(e.cell.maxId).toBe('b');
    expect(e.cell.maxMs).toBe(50);
  });

  it('merges latency cells exactly when widening', () => {
    const u = rng(8);
    const tl = new Timeline();
    const s = new Series<LatencyCell>(tl, LATENCY_CELL);
    const all = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const t = T0 + i * 30_000;
      const ms = 1 + u() * 500;
      tl.observe(t);
      latencyAt(s, t, ms, `x${i}`);
      all.set(latencyBin(ms), (all.get(latencyBin(ms)) ?? 0) + 1);
    }
    expect(tl.width).toBeGreaterThan(1000);
    const merged = new Map<number, number>();
    let n = 0;
    for (const { cell } of s.entries()) {
      n += cell.n;
      for (const [b, k] of cell.bins) merged.set(b, (merged.get(b) ?? 0) + k);
    }
    expect(n).toBe(4000);
    expect(merged).toEqual(all);
  });
});
