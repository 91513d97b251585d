import { describe, expect, it } from 'vitest';
import { hash64, hash64Joined, HashTable, lastHash, LOAD, SLOT_BYTES } from '../../../src/analyze/lib/hash.js';

/** A deterministic stream of 32-bit values (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Adds the key (hi, lo) as seen at file:line. */
function add(t: HashTable, hi: number, lo: number, file: number, line: number) {
  lastHash.hi = hi >>> 0;
  lastHash.lo = lo >>> 0;
  return t.add(file, line);
}

/** `n` distinct random keys. */
function keys(n: number, seed: number): [number, number][] {
  const next = random(seed);
  const seen = new Set<string>();
  const out: [number, number][] = [];
  while (out.length < n) {
    const k: [number, number] = [next(), next()];
    const s = `${k[0]}:${k[1]}`;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(k);
  }
  return out;
}

describe('hash64', () => {
  it('is FNV-1a in two lanes over UTF-16 code units', () => {
    hash64('');
    expect([lastHash.hi, lastHash.lo]).toEqual([0x811c9dc5, 0x9747b28c]);
    hash64('a');
    expect(lastHash.hi).toBe(0xe40c292c);
    hash64('correlation_id\u0000checkout\u0000operation_start');
    const first = [lastHash.hi, lastHash.lo];
    hash64('correlation_id\u0000checkout\u0000operation_end');
    expect([lastHash.hi, lastHash.lo]).not.toEqual(first);
  });
});

describe('hash64Joined', () => {
  it('hashes parts as hash64 hashes them joined by U+0000', () => {
    const cases = [[], [''], ['', ''], ['req-1'], ['req-1', 'checkout', 'operation_start'], ['a', '', 'b'], ['\u0000', 'x\u0000'], ['Grüße', '日本', '😀 emoji'], ['x'.repeat(5000), 'y']];
    for (const parts of cases) {
      hash64(parts.join('\u0000'));
      const joined = [lastHash.hi, lastHash.lo];
      hash64Joined(parts);
      expect([lastHash.hi, lastHash.lo], JSON.stringify(parts)).toEqual(joined);
    }
    // The separator counts: parts that join to different strings hash apart.
    hash64Joined(['ab', 'c']);
    const abc = [lastHash.hi, lastHash.lo];
    hash64Joined(['a', 'bc']);
    expect([lastHash.hi, lastHash.lo]).not.toEqual(abc);
  });
});

describe('HashTable', () => {
  it('returns nothing for a new key and the first place a key was seen for a repeat', () => {
    const t = new HashTable();
    expect(add(t, 1, 2, 0, 10)).toBeUndefined();
    expect(add(t, 1, 2, 0, 11)).toEqual({ file: 0, line: 10 });
    expect(add(t, 1, 2, 3, 12)).toEqual({ file: 0, line: 10 });
    expect(add(t, 5, 6, 2, 4_000_000_000)).toBeUndefined();
    expect(add(t, 5, 6, 0, 1)).toEqual({ file: 2, line: 4_000_000_000 });
    expect(t.size).toBe(2);
    expect(t.full).toBe(false);
  });

  it('tells keys apart by both halves, also when they share a home slot', () => {
    const t = new HashTable();
    // Same high half: same part; low halves one apart: same home slot.
    const hi = 0x12345678;
    const lows = [0xffffff00, 0xffffff01, 0xffffff02, 0xffffffff, 0xfffffffe];
    lows.forEach((lo, i) => expect(add(t, hi, lo, 0, i + 1)).toBeUndefined());
    // Same low half, high halves differing in their low bits only: same part, same home.
    [1, 2, 3].forEach((d, i) => expect(add(t, hi + d, lows[0], 1, 100 + i)).toBeUndefined());
    expect(t.size).toBe(8);
    lows.forEach((lo, i) => expect(add(t, hi, lo, 0, 999)).toEqual({ file: 0, line: i + 1 }));
    [1, 2, 3].forEach((d, i) => expect(add(t, hi + d, lows[0], 0, 999)).toEqual({ file: 1, line: 100 + i }));
    expect(t.size).toBe(8);
  });

  it('keeps a run of keys with one home slot together, across the end of the table and through growth', () => {
    const t = new HashTable();
    // Low halves at the very top map to the last slot, so the run wraps around to the first.
    const run: [number, number][] = [];
    for (let i = 0; i < 2000; i++) run.push([0x01000000 + (i & 7), 0xffffffff - (i >>> 3)]);
    run.forEach(([hi, lo], i) => expect(add(t, hi, lo, 0, i + 1)).toBeUndefined());
    expect(t.size).toBe(run.length);
    run.forEach(([hi, lo], i) => expect(add(t, hi, lo, 0, 1)).toEqual({ file: 0, line: i + 1 }));
    expect(t.size).toBe(run.length);
  });

  it('grows to hold 200k keys and still finds where each was first seen', () => {
    const t = new HashTable();
    const ks = keys(200_000, 1);
    const wrong: unknown[] = [];
    ks.forEach(([hi, lo], i) => {
      if (add(t, hi, lo, i % 3, i + 1) !== undefined) wrong.push(['new', i]);
      // A repeat right away and one of a key seen long before, while the table grows.
      const again = add(t, hi, lo, 2, 7);
      if (again?.file !== i % 3 || again.line !== i + 1) wrong.push(['again', i, again]);
      const j = (i * 7919) % (i + 1);
      const old = add(t, ks[j][0], ks[j][1], 1, 1);
      if (old?.file !== j % 3 || old.line !== j + 1) wrong.push(['old', j, old]);
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(t.size).toBe(ks.length);
    expect(t.full).toBe(false);
    ks.forEach(([hi, lo], i) => {
      const f = add(t, hi, lo, 0, 1);
      if (f?.line !== i + 1 || f.file !== i % 3) expect(f).toEqual({ file: i % 3, line: i + 1 });
    });
  });

  it('stays between 60% and 85% full as it grows, at 12 bytes a slot', () => {
    const t = new HashTable();
    let fullest = 0;
    let emptiest = 1;
    keys(300_000, 4).forEach(([hi, lo], i) => {
      add(t, hi, lo, 0, i + 1);
      if (i % 997 === 0 && i > 20_000) {
        fullest = Math.max(fullest, t.size / t.slots);
        emptiest = Math.min(emptiest, t.size / t.slots);
      }
    });
    expect(fullest).toBeLessThanOrEqual(LOAD);
    expect(emptiest).toBeGreaterThan(0.6);
    expect(SLOT_BYTES).toBe(12);
  });

  it('remembers file indexes of any size, before and after keys from many files arrive', () => {
    const t = new HashTable();
    const ks = keys(50_000, 2);
    // File 0 only at first, then up to 255, 65535 and beyond.
    const fileOf = (i: number) => (i < 10_000 ? 0 : i < 20_000 ? i % 256 : i < 30_000 ? i * 7 % 65536 : i * 13 % 1_000_003);
    ks.forEach(([hi, lo], i) => expect(add(t, hi, lo, fileOf(i), i + 1)).toBeUndefined());
    ks.forEach(([hi, lo], i) => {
      const f = add(t, hi, lo, 0, 1);
      if (f?.line !== i + 1 || f.file !== fileOf(i)) expect(f).toEqual({ file: fileOf(i), line: i + 1 });
    });
  });

  it('stops storing new keys at maxSlots, marks itself full, and still answers for the keys it holds', () => {
    for (const maxSlots of [8192, 65_536]) {
      const t = new HashTable(maxSlots);
      const ks = keys(maxSlots, 3);
      let refused = -1;
      for (let i = 0; i < ks.length && refused < 0; i++) {
        if (t.full) throw new Error(`full before a key was refused, at key ${i}`);
        if (add(t, ks[i][0], ks[i][1], 0, i + 1) !== undefined) throw new Error(`key ${i} reported as seen`);
        if (t.size === i) refused = i;
        if (t.slots > maxSlots) throw new Error(`${t.slots} slots, more than ${maxSlots}`);
      }
      expect(refused).toBeGreaterThan(0);
      expect(t.full).toBe(true);
      // The cap is used well before keys are refused, and never exceeded.
      expect(t.size).toBeGreaterThanOrEqual(0.7 * maxSlots);
      expect(t.size).toBeLessThan(maxSlots);
      // The refused key was not stored; every stored one is still found.
      expect(add(t, ks[refused][0], ks[refused][1], 0, 1)).toBeUndefined();
      const lost = ks.slice(0, refused).filter(([hi, lo], i) => add(t, hi, lo, 0, 1)?.line !== i + 1);
      expect(lost).toEqual([]);
    }
    // A cap below one part's first size, and no cap at all.
    const tiny = new HashTable(3);
    expect(add(tiny, 1, 1, 0, 1)).toBeUndefined();
    expect(add(tiny, 1, 1, 0, 2)).toEqual({ file: 0, line: 1 });
    expect(add(tiny, 2, 2, 0, 3)).toBeUndefined();
    expect(tiny.full).toBe(false);
    expect(add(tiny, 3, 3, 0, 4)).toBeUndefined();
    expect(tiny.full).toBe(true);
    expect(tiny.size).toBe(2);
    expect(tiny.slots).toBeLessThanOrEqual(3);
    expect(() => new HashTable(Infinity)).toThrow(RangeError);
  });
});
