import { describe, expect, it } from 'vitest';
import { buildSeries, rebin, widthFor, widthLabel } from '../../../src/analyze/lib/series.js';
import { statsAnalysis } from '../../../src/analyze/stats.js';
import { rec, run } from './records.js';
import { lcg } from '../slow/samples.js';

const MIN = 60_000;
const T = Date.parse('2024-01-15T23:50:00Z');

/** The plain computation: count the records of each bucket of width w starting at floor(first/w)*w. */
function reference(times: number[], w: number): number[] {
  const start = Math.floor(Math.min(...times) / w) * w;
  const n = Math.floor(Math.max(...times) / w) - start / w + 1;
  const out = new Array<number>(n).fill(0);
  for (const t of times) out[Math.floor(t / w) - start / w]++;
  return out;
}

describe('stats per-minute series', () => {
  it('has a zero for every silent minute between the first and last record', () => {
    const times = [T, T + 30_000, T + MIN, T + 5 * MIN + 1, T + 9 * MIN];
    const res = run(statsAnalysis, times.map((t, i) => rec({ time: t, level: i === 3 ? 'error' : 'info' })));
    expect(res.bucket_ms).toBe(MIN);
    expect(res.per_minute.map((m) => m.minute)).toEqual(Array.from({ length: 10 }, (_, i) => T + i * MIN));
    expect(res.per_minute.map((m) => m.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(res.per_minute.map((m) => m.errors)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('widens its buckets past a week, says how wide, and still counts every record in the right one', () => {
    for (const seed of [1, 2, 3]) {
      const u = lcg(seed);
      const days = 8 + Math.floor(u() * 300);
      const times = Array.from({ length: 2000 }, () => T + Math.floor(u() * days * 1440 * MIN));
      const res = run(statsAnalysis, times.map((t) => rec({ time: t })));
      expect(res.bucket_ms).toBeGreaterThan(MIN);
      expect(res.per_minute.length).toBeLessThanOrEqual(7 * 1440);
      expect(res.per_minute.map((m) => m.count)).toEqual(reference(times, res.bucket_ms));
      expect(res.per_minute.every((m) => m.minute % res.bucket_ms === 0)).toBe(true);
    }
  });

  it('merges worker states into the same series', () => {
    const times = [T, T + 7 * MIN, T + 3 * MIN, T + 20 * MIN];
    const a = statsAnalysis.init();
    const b = statsAnalysis.init();
    times.forEach((t, i) => statsAnalysis.add(i % 2 ? a : b, rec({ time: t })));
    const merged = statsAnalysis.result(statsAnalysis.merge!(a, b));
    expect(merged.per_minute.map((m) => m.count)).toEqual(reference(times, MIN));
  });
});

describe('series helpers', () => {
  it('rebin into at most N buckets keeps every count, aligned to the wider width', () => {
    const u = lcg(9);
    const times = Array.from({ length: 500 }, () => T + Math.floor(u() * 600 * MIN));
    const minutes = buildSeries(times.map((t) => [Math.floor(t / MIN) * MIN, 1, 0] as const), Math.min(...times), Math.max(...times), 10_000);
    expect(minutes.bucket_ms).toBe(MIN);
    for (const cols of [7, 60, 120, 599]) {
      const r = rebin(minutes, cols);
      expect(r.buckets.length).toBeLessThanOrEqual(cols);
      expect(r.buckets.map((b) => b.count)).toEqual(reference(times, r.bucket_ms));
    }
  });

  it('picks a whole number of minutes, a multiple of the base', () => {
    expect(widthFor(0, 59 * MIN, 60)).toBe(MIN);
    expect(widthFor(0, 60 * MIN, 60)).toBe(2 * MIN);
    expect(widthFor(0, 400 * 1440 * MIN, 100, 1440 * MIN) % (1440 * MIN)).toBe(0);
    expect([MIN, 5 * MIN, 120 * MIN, 1440 * MIN, 7 * 1440 * MIN].map(widthLabel)).toEqual(['min', '5 min', '2 h', 'day', '7 days']);
  });
});
