import { describe, expect, it } from 'vitest';
import { idHash, RequestSample } from '../../../src/analyze/lib/request-sample.js';
import { rng, shuffle } from './random.js';

const ids = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);

/** The k ids with the smallest hash: what a bottom-k sample must keep. */
const bottomK = (all: string[], k: number) =>
  new Set(
    [...new Set(all)]
      .map((id) => [id, idHash(id)] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, k)
      .map(([id]) => id),
  );

const kept = (s: RequestSample) => new Set(s.hits.keys());

/** The share of B's requests that A also hit, counted over the ids both samples would keep. */
function sharedShare(a: RequestSample, b: RequestSample): { share: number; nB: number } {
  const thr = Math.min(a.threshold, b.threshold);
  let nB = 0;
  let both = 0;
  for (const [id, h] of b.hits) {
    if (h.h >= thr) continue;
    nB++;
    const ha = a.hits.get(id);
    if (ha && ha.h < thr) both++;
  }
  return { share: both / nB, nB };
}

describe('idHash', () => {
  it('is in [0, 1), deterministic, and spread evenly over sequential ids', () => {
    const n = 100_000;
    const buckets = new Array<number>(20).fill(0);
    let lo = Infinity;
    let hi = -Infinity;
    for (const id of ids('req', 0, n)) {
      const h = idHash(id);
      [lo, hi] = [Math.min(lo, h), Math.max(hi, h)];
      buckets[Math.floor(h * 20)]++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(idHash('abc')).toBe(idHash('abc'));
    expect(idHash('abc')).not.toBe(idHash('abd'));
    // χ² with 19 degrees of freedom: 43.8 is the 0.1% critical value.
    const chi2 = buckets.reduce((a, b) => a + (b - n / 20) ** 2 / (n / 20), 0);
    expect(chi2).toBeLessThan(43.8);
  });
});

describe('RequestSample', () => {
  it('is exact (threshold 1, every id kept) up to k distinct ids', () => {
    const s = new RequestSample(100);
    const all = ids('a', 0, 100);
    for (const [i, id] of all.entries()) {
      s.add(id, 1000 + i, i);
      s.add(id, 5000 + i, 500 + i); // repeats do not count twice
    }
    expect(s.sampled).toBe(false);
    expect(s.threshold).toBe(1);
    expect(kept(s)).toEqual(new Set(all));
    s.add('a-100', 1, 1);
    expect(s.sampled).toBe(true);
    expect(s.threshold).toBeLessThan(1);
  });

  it('stays bounded beyond k and keeps exactly the k smallest hashes', () => {
    const k = 64;
    const s = new RequestSample(k);
    const all = shuffle(ids('req', 0, 20_000), rng(1));
    for (const [i, id] of all.entries()) {
      s.add(id, i, i);
      expect(s.hits.size).toBeLessThanOrEqual(2 * k);
    }
    expect(s.sampled).toBe(true);
    expect(s.hits.size).toBe(k);
    expect(kept(s)).toEqual(bottomK(all, k));
    for (const h of s.hits.values()) expect(h.h).toBeLessThan(s.threshold);
  });

  it('estimates the share of shared requests between two overlapping id sets', () => {
    for (const [prefix, overlap] of [
      ['r', 0.5],
      ['trace', 0.2],
      ['x', 0.8],
    ] as const) {
      const k = 512;
      const n = 20_000;
      const a = new RequestSample(k);
      const b = new RequestSample(k);
      // A: ids [0, n); B: n ids of which `overlap` are A's.
      const from = Math.round(n * (1 - overlap));
      ids(prefix, 0, n).forEach((id, i) => a.add(id, i, i));
      shuffle(ids(prefix, from, from + n), rng(2)).forEach((id, i) => b.add(id, i, i));
      expect(a.sampled && b.sampled).toBe(true);
      const { share, nB } = sharedShare(a, b);
      expect(nB).toBeGreaterThan(k / 2);
      // Binomial standard error at k = 512 is about 0.022; allow four.
      expect(Math.abs(share - overlap), `${prefix}: ${share} vs ${overlap}`).toBeLessThan(0.09);
    }
  });

  it('counts shared requests without bias whatever the order records arrive in', () => {
    const k = 128;
    const A = ids('q', 0, 5000);
    const B = ids('q', 2500, 7500);
    const shares = [1, 2, 3].map((seed) => {
      const a = new RequestSample(k);
      const b = new RequestSample(k);
      shuffle(A, rng(seed)).forEach((id, i) => a.add(id, i, i));
      shuffle(B, rng(seed + 10)).forEach((id, i) => b.add(id, i, i));
      void a.sampled;
      void b.sampled;
      return sharedShare(a, b);
    });
    // After pruning to k each sample is the bottom-k, so every order gives the same estimate.
    expect(shares[1]).toEqual(shares[0]);
    expect(shares[2]).toEqual(shares[0]);
  });

  it('merging samples of two halves keeps the same ids and hits as one sample of the whole', () => {
    const k = 100;
    const u = rng(5);
    const recs = Array.from({ length: 30_000 }, (_, i) => ({ id: `id-${Math.floor(u() * 8000)}`, t: 1_000_000 + Math.floor(u() * 1e6), seq: i }));
    const whole = new RequestSample(k);
    for (const r of recs) whole.add(r.id, r.t, r.seq);
    for (const cut of [0.5, 0.1]) {
      const first = new RequestSample(k);
      const second = new RequestSample(k);
      recs.forEach((r, i) => (i < recs.length * cut ? first : second).add(r.id, r.t, r.seq));
      const secondThreshold = second.threshold;
      first.merge(second);
      // Coordinated: nothing either side would have dropped is kept.
      expect(first.threshold).toBeLessThanOrEqual(secondThreshold);
      for (const h of first.hits.values()) expect(h.h).toBeLessThan(first.threshold);
      expect(first.sampled).toBe(whole.sampled);
      expect(kept(first)).toEqual(kept(whole));
      expect(kept(first)).toEqual(bottomK(recs.map((r) => r.id), k));
      for (const [id, h] of whole.hits) expect(first.hits.get(id), id).toEqual(h);
    }
    // Merging into an empty sample, and a small exact sample into a sampled one.
    const empty = new RequestSample(k);
    empty.merge(whole);
    expect(kept(empty)).toEqual(kept(whole));
    const small = new RequestSample(k);
    small.add('only-one', 5, 0);
    const big = new RequestSample(k);
    for (const r of recs) big.add(r.id, r.t, r.seq);
    const bigThreshold = big.threshold;
    small.merge(big);
    expect(small.threshold).toBeLessThanOrEqual(bigThreshold);
    for (const h of small.hits.values()) expect(h.h).toBeLessThan(small.threshold);
    expect(small.sampled).toBe(true);
    expect(kept(small)).toEqual(bottomK([...recs.map((r) => r.id), 'only-one'], k));
  });

  it('keeps the earliest hit of each request whatever the order (ties by input position)', () => {
    const hits = [
      { t: 500, seq: 7 },
      { t: 200, seq: 9 },
      { t: 900, seq: 1 },
      { t: 200, seq: 4 },
      { t: 300, seq: 2 },
    ];
    const orders = [hits, [...hits].reverse(), ...[1, 2, 3, 4].map((seed) => shuffle(hits, rng(seed)))];
    for (const order of orders) {
      const s = new RequestSample(10);
      for (const h of order) s.add('req-1', h.t, h.seq);
      expect(s.hits.get('req-1')).toMatchObject({ t: 200, seq: 4 });
      // Across a merge too.
      const a = new RequestSample(10);
      const b = new RequestSample(10);
      order.forEach((h, i) => (i % 2 ? a : b).add('req-1', h.t, h.seq));
      a.merge(b);
      expect(a.hits.get('req-1')).toMatchObject({ t: 200, seq: 4 });
    }
  });

  it('keeps the earliest hit of each kept request while sampling', () => {
    const k = 50;
    const u = rng(6);
    const recs = Array.from({ length: 20_000 }, (_, i) => ({ id: `r${Math.floor(u() * 3000)}`, t: Math.floor(u() * 1e6), seq: i }));
    const s = new RequestSample(k);
    for (const r of recs) s.add(r.id, r.t, r.seq);
    void s.sampled;
    const earliest = new Map<string, number>();
    for (const r of recs) earliest.set(r.id, Math.min(earliest.get(r.id) ?? Infinity, r.t));
    expect(s.hits.size).toBe(k);
    for (const [id, h] of s.hits) expect(h.t, id).toBe(earliest.get(id));
  });
});
