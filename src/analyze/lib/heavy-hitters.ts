import { hash64, lastHash } from './hash.js';

/** One monitored key of a SpaceSaving summary. */
export interface Counter<V> {
  key: string;
  /** Occurrences counted for the key: its true count plus at most `error`. */
  count: number;
  /** How many of `count` may belong to other keys (the count of the key it displaced): 0 when monitored from its first occurrence. */
  error: number;
  value: V;
  /** Position in the heap. */
  at: number;
}

/**
 * Space-Saving (Metwally, Agrawal, El Abbadi 2005) with a filter of displaced keys: at most
 * `capacity` keys are monitored; a new key displaces the one with the smallest count. A key
 * never displaced before (the filter is sure of it) starts from its true count, error 0, so a
 * key monitored from its first occurrence is counted exactly; a key that may have been displaced
 * before comes back with the largest count ever displaced (`displacedMax`) as its count and
 * error, so its true count always lies in [count − error, count]. Each key carries a value (the
 * caller's exact state of it since it was last admitted); a displaced key's value is handed back
 * to be folded elsewhere. Offers cost O(log capacity) (a min-heap on counts).
 */
export class SpaceSaving<V> {
  private map = new Map<string, Counter<V>>();
  private heap: Counter<V>[] = [];
  // Made at the first displacement (1 MB): most runs never displace a key.
  private displaced: KeyFilter | undefined;
  /** Keys displaced so far (a key displaced twice counts twice). */
  evictions = 0;
  /** The largest count of a displaced key: no key outside the summary has more. */
  displacedMax = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('SpaceSaving: capacity must be at least 1');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): Counter<V> | undefined {
    return this.map.get(key);
  }

  /** Whether `key` may have been displaced (false: certainly never). */
  mayHaveLeft(key: string): boolean {
    return this.displaced !== undefined && this.displaced.has(key);
  }

  /**
   * Counts `weight` occurrences of `key` and returns its counter. A key not monitored when the
   * summary is full displaces the smallest one, which is passed to `evict` first.
   */
  offer(key: string, create: () => V, evict: (c: Counter<V>) => void, weight = 1): Counter<V> {
    let c = this.map.get(key);
    if (c) {
      c.count += weight;
      this.down(c.at);
      return c;
    }
    const error = this.mayHaveLeft(key) ? this.displacedMax : 0;
    if (this.map.size >= this.capacity) {
      const min = this.heap[0];
      this.remove(min);
      evict(min);
    }
    c = { key, count: error + weight, error, value: create(), at: this.heap.length };
    this.heap.push(c);
    this.map.set(key, c);
    this.up(c.at);
    return c;
  }

  /** Takes the smallest counter out (the summary being full): it is displaced. */
  private remove(min: Counter<V>): void {
    this.map.delete(min.key);
    (this.displaced ??= new KeyFilter()).add(min.key);
    this.evictions++;
    if (min.count > this.displacedMax) this.displacedMax = min.count;
    const last = this.heap.pop()!;
    if (last !== min) {
      this.heap[0] = last;
      last.at = 0;
      this.down(0);
    }
  }

  /** Counts another summary's displaced keys as displaced here too (merging two summaries). */
  mergeDisplaced(other: SpaceSaving<V>): void {
    if (other.displaced) (this.displaced ??= new KeyFilter()).merge(other.displaced);
    this.evictions += other.evictions;
    this.displacedMax = Math.max(this.displacedMax, other.displacedMax);
  }

  /** Displaces `c` (already out of the monitored set, as when merging two summaries). */
  markDisplaced(c: Counter<V>): void {
    (this.displaced ??= new KeyFilter()).add(c.key);
    this.evictions++;
    if (c.count > this.displacedMax) this.displacedMax = c.count;
  }

  /** The monitored counters, in no order. */
  counters(): Counter<V>[] {
    return [...this.heap];
  }

  /**
   * Replaces the monitored set with `counters` (at most capacity: the caller keeps the heaviest),
   * as after merging two summaries.
   */
  reset(counters: Counter<V>[]): void {
    if (counters.length > this.capacity) throw new RangeError('SpaceSaving.reset: more counters than capacity');
    this.map = new Map(counters.map((c) => [c.key, c]));
    this.heap = [...counters];
    this.heap.forEach((c, i) => (c.at = i));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Restores an instance that crossed a thread boundary (structured cloning drops the class). */
  static unpack<V>(cloned: SpaceSaving<V>): SpaceSaving<V> {
    const s = Object.setPrototypeOf(cloned, SpaceSaving.prototype) as SpaceSaving<V>;
    if (s.displaced) Object.setPrototypeOf(s.displaced, KeyFilter.prototype);
    s.reset([...s.map.values()]);
    return s;
  }

  private up(i: number): void {
    const h = this.heap;
    const c = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].count <= c.count) break;
      h[i] = h[p];
      h[i].at = i;
      i = p;
    }
    h[i] = c;
    c.at = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const c = h[i];
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && h[r].count < h[l].count ? r : l;
      if (h[m].count >= c.count) break;
      h[i] = h[m];
      h[i].at = i;
      i = m;
    }
    h[i] = c;
    c.at = i;
  }
}

/**
 * HyperLogLog distinct counter (2^14 registers: 16 KB, about 0.8% standard error; exact-ish for
 * small counts through linear counting). Mergeable: the register-wise maximum.
 */
const P = 14;

export class DistinctCount {
  registers = new Uint8Array(1 << P);

  add(key: string): void {
    hash64(key);
    const hi = fmix(lastHash.hi ^ lastHash.lo);
    const lo = fmix(lastHash.lo);
    const idx = hi >>> (32 - P);
    // Rank of the first 1 bit in the remaining 50 bits (18 from hi, 32 from lo).
    const rest = (hi << P) >>> 0;
    let rank = rest !== 0 ? Math.clz32(rest) + 1 : 32 - P + (lo !== 0 ? Math.clz32(lo) + 1 : 33);
    if (rank > 51) rank = 51;
    if (rank > this.registers[idx]) this.registers[idx] = rank;
  }

  merge(other: DistinctCount): void {
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++) if (b[i] > a[i]) a[i] = b[i];
  }

  /** The estimated number of distinct keys added. */
  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }

  static unpack(cloned: DistinctCount): DistinctCount {
    return Object.setPrototypeOf(cloned, DistinctCount.prototype) as DistinctCount;
  }
}

/** MurmurHash3's 32-bit finalizer: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A Bloom filter of keys (2^23 bits: 1 MB, 3 probes): `has` is never wrong about a key added,
 * and wrong about another key with a probability that stays under 1% up to about 600,000 keys.
 */
export class KeyFilter {
  bits = new Int32Array(1 << 18);

  add(key: string): void {
    hash64(key);
    const a = lastHash.hi;
    const b = lastHash.lo | 1;
    for (let i = 0; i < 3; i++) {
      const h = fmix((a + Math.imul(i, b)) >>> 0) & 0x7fffff;
      this.bits[h >>> 5] |= 1 << (h & 31);
    }
  }

  has(key: string): boolean {
    hash64(key);
    const a = lastHash.hi;
    const b = lastHash.lo | 1;
    for (let i = 0; i < 3; i++) {
      const h = fmix((a + Math.imul(i, b)) >>> 0) & 0x7fffff;
      if ((this.bits[h >>> 5] & (1 << (h & 31))) === 0) return false;
    }
    return true;
  }

  merge(other: KeyFilter): void {
    for (let i = 0; i < this.bits.length; i++) this.bits[i] |= other.bits[i];
  }
}
