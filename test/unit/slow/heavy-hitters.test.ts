import { describe, expect, it } from 'vitest';
import { DistinctCount, KeyFilter, SpaceSaving } from '../../../src/analyze/lib/heavy-hitters.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('Space-Saving summary', () => {
  it('counts exactly while there is room', () => {
    const s = new SpaceSaving<number>(10);
    for (let i = 0; i < 100; i++) s.offer(`k${i % 5}`, () => 0, () => expect.unreachable());
    expect(s.counters().map((c) => [c.key, c.count, c.error]).sort()).toEqual([0, 1, 2, 3, 4].map((i) => [`k${i}`, 20, 0]));
    expect(s.evictions).toBe(0);
  });

  it('keeps every key above n/capacity, with true counts in [count − error, count], and hands back what it displaces', () => {
    const u = lcg(7);
    const truth = new Map<string, number>();
    const s = new SpaceSaving<{ n: number }>(50);
    let folded = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      // A few heavy keys in a long tail of rare ones.
      const key = u() < 0.4 ? `heavy${Math.floor(u() * 5)}` : `tail${Math.floor(u() * 20_000)}`;
      truth.set(key, (truth.get(key) ?? 0) + 1);
      const c = s.offer(key, () => ({ n: 0 }), (ev) => (folded += ev.value.n));
      c.value.n++;
    }
    const kept = s.counters();
    expect(kept.length).toBe(50);
    // Every record is either in a kept value or was handed back.
    expect(kept.reduce((a, c) => a + c.value.n, 0) + folded).toBe(n);
    for (const c of kept) {
      const t = truth.get(c.key)!;
      expect(c.count).toBeGreaterThanOrEqual(t);
      expect(c.count - c.error).toBeLessThanOrEqual(t);
      // The value holds the records since admission: count − error of them.
      expect(c.value.n).toBe(c.count - c.error);
    }
    for (const [k, t] of truth) if (t > n / 50) expect(s.get(k), k).toBeDefined();
    // Heavy keys seen from the start are never displaced: exact.
    for (let i = 0; i < 5; i++) expect(s.get(`heavy${i}`)!.error).toBe(0);
  });

  it('a key first seen after the summary is full is exact (never displaced before)', () => {
    const s = new SpaceSaving<null>(3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) s.offer(k, () => null, () => undefined);
    const late = s.offer('new', () => null, () => undefined);
    expect(late.error).toBe(0);
    expect(late.count).toBe(1);
    // A displaced key that comes back carries the largest displaced count as its error.
    const back = s.offer('a', () => null, () => undefined);
    expect(back.error).toBe(s.displacedMax);
    expect(back.count).toBe(back.error + 1);
  });

  it('survives structured cloning', () => {
    const s = new SpaceSaving<number>(2);
    for (const k of ['a', 'a', 'b', 'c', 'a']) s.offer(k, () => 0, () => undefined);
    const t = SpaceSaving.unpack(structuredClone(s));
    expect(t.get('a')!.count).toBe(3);
    expect(t.mayHaveLeft('b')).toBe(true);
    t.offer('z', () => 0, () => undefined);
    expect(t.size).toBe(2);
  });
});

describe('distinct counter and key filter', () => {
  it('estimates distinct keys within a few percent', () => {
    for (const n of [10, 1000, 100_000]) {
      const d = new DistinctCount();
      for (let i = 0; i < n; i++) d.add(`GET /api/users/${i}`);
      for (let i = 0; i < n; i++) d.add(`GET /api/users/${i}`);
      expect(Math.abs(d.estimate() - n) / n, String(n)).toBeLessThan(0.05);
    }
  });

  it('merges as the union', () => {
    const a = new DistinctCount();
    const b = new DistinctCount();
    for (let i = 0; i < 5000; i++) (i % 2 ? a : b).add(`k${i}`);
    a.merge(DistinctCount.unpack(structuredClone(b)));
    expect(Math.abs(a.estimate() - 5000) / 5000).toBeLessThan(0.05);
  });

  it('filter: never wrong about a key added, rarely about others', () => {
    const f = new KeyFilter();
    for (let i = 0; i < 100_000; i++) f.add(`op${i}`);
    for (let i = 0; i < 100_000; i++) expect(f.has(`op${i}`)).toBe(true);
    let wrong = 0;
    for (let i = 0; i < 100_000; i++) if (f.has(`other${i}`)) wrong++;
    expect(wrong / 100_000).toBeLessThan(0.01);
  });
});
