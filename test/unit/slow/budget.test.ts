import { describe, expect, it } from 'vitest';
import { OTHER, slowAnalysis, unpackSlowState, type SlowGroup } from '../../../src/analyze/slow.js';
import { rec, run } from '../analyze/records.js';
import { lcg, numpyLinear } from './samples.js';
import { InexactMerge } from '../../../src/analyze/lib/inexact.js';

const total = (gs: SlowGroup[]) => gs.reduce((a, g) => a + g.count, 0);

describe('slow group budget', () => {
  const u = lcg(99);
  // Three heavy operations from the start, a long tail of one-off ones, and a heavy one that starts late.
  const records = [
    ...Array.from({ length: 3000 }, (_, i) => rec({ operation: `heavy${i % 3}`, durationMs: Math.round(u() * 1000) })),
    ...Array.from({ length: 2000 }, (_, i) => rec({ operation: `oneoff_${i}`, durationMs: 5000 + i })),
    ...Array.from({ length: 600 }, () => rec({ operation: 'late', durationMs: Math.round(u() * 100) })),
  ];

  it('keeps the heavy groups exactly and counts every other record in (other)', () => {
    const res = run(slowAnalysis({ maxGroups: 10 }), records);
    const exact = run(slowAnalysis({ maxGroups: 1e9 }), records);
    const names = res.groups.map((g) => g.key.operation);
    expect(names).toEqual(expect.arrayContaining(['heavy0', 'heavy1', 'heavy2', 'late', OTHER]));
    expect(res.groups.length).toBeLessThanOrEqual(11);
    expect(total(res.groups)).toBe(records.length);
    expect(res.records_with_duration).toBe(records.length);
    for (const name of ['heavy0', 'heavy1', 'heavy2', 'late']) {
      const g = res.groups.find((x) => x.key.operation === name)!;
      const want = exact.groups.find((x) => x.key.operation === name)!;
      expect(g.partial).toBe(false);
      expect({ ...g, other: undefined }).toEqual({ ...want, other: undefined });
    }
    const other = res.groups.find((g) => g.other)!;
    expect(other.key.operation).toBe(OTHER);
    expect(other.count).toBe(2000);
    const xs = Array.from({ length: 2000 }, (_, i) => 5000 + i);
    expect(other.p95_ms).toBe(numpyLinear(xs, 0.95));
    // The slowest folded records still say which operation they were.
    expect(other.slowest[0].values).toEqual({ operation: 'oneoff_1999' });
    expect(res.folded!.records).toBe(2000);
    expect(Math.abs(res.folded!.groups - 2000)).toBeLessThan(100);
  });

  it('a group that comes back after being folded is partial, with a bound on what it lacks', () => {
    const rs = [
      ...Array.from({ length: 5 }, () => rec({ operation: 'back', durationMs: 1 })),
      ...Array.from({ length: 40 }, (_, i) => rec({ operation: `x${i % 20}`, durationMs: 2 })),
      ...Array.from({ length: 100 }, () => rec({ operation: 'back', durationMs: 3 })),
    ];
    const res = run(slowAnalysis({ maxGroups: 3 }), rs);
    const g = res.groups.find((x) => x.key.operation === 'back')!;
    expect(g.partial).toBe(true);
    expect(g.count).toBeGreaterThanOrEqual(100);
    expect(g.missed_at_most).toBeGreaterThanOrEqual(5 - (g.count - 100));
    expect(total(res.groups)).toBe(rs.length);
  });

  it('without evictions nothing is folded and no group is partial', () => {
    const res = run(slowAnalysis({ maxGroups: 10 }), records.slice(0, 3000));
    expect(res.folded).toBeUndefined();
    expect(res.groups.every((g) => !g.partial && !g.other)).toBe(true);
  });

  it('states merged from threads: equal to one thread under the budget, refused past it (the caller reads on one thread)', () => {
    const split = (an: ReturnType<typeof slowAnalysis>, rs: typeof records) =>
      [0, 1, 2].map((k) => {
        const s = an.init();
        rs.filter((_, i) => Math.floor((i * 3) / rs.length) === k).forEach((r) => an.add(s, r));
        return unpackSlowState(structuredClone(s));
      });
    const wide = slowAnalysis({ maxGroups: 100_000 });
    const merged = wide.result(split(wide, records).reduce((x, y) => wide.merge!(x, y)));
    expect(merged).toEqual(run(slowAnalysis({ maxGroups: 100_000 }), records));
    const narrow = slowAnalysis({ maxGroups: 10 });
    expect(() => split(narrow, records).reduce((x, y) => narrow.merge!(x, y))).toThrow(InexactMerge);
  });

  it('templates routes by default, keeps the logged value in the samples, and not with routes: false', () => {
    const rs = Array.from({ length: 50 }, (_, i) => rec({ operation: `GET /api/users/${i}?q=${i}`, durationMs: i }));
    const res = run(slowAnalysis(), rs);
    expect(res.groups.map((g) => g.key.operation)).toEqual(['GET /api/users/<id>']);
    expect(res.groups[0].slowest[0].values).toEqual({ operation: 'GET /api/users/49?q=49' });
    expect(run(slowAnalysis({ routes: false }), rs).groups.length).toBe(50);
  });

  it('result leaves the state as it was (a running view asks again)', () => {
    const a = slowAnalysis({ maxGroups: 10 });
    const s = a.init();
    for (const r of records) a.add(s, r);
    const first = a.result(s);
    expect(a.result(s)).toEqual(first);
  });
});
