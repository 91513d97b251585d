/**
 * The requests a pattern occurred in, as a bottom-k sample: the `k` ids with the smallest hash
 * are kept (with when the pattern first hit each). Samples of two patterns are coordinated — an
 * id below both thresholds is in both samples whenever it is in both patterns — so the requests
 * they share are counted without bias whatever the order records arrive in, in bounded memory.
 */
import { hash64, lastHash } from './hash.js';

/** Requests kept per pattern. */
export const SAMPLE_SIZE = 1024;

/** When a pattern first hit one request: time, then input position for ties. */
export interface Hit {
  h: number;
  t: number;
  seq: number;
}

/** A uniform hash of an id in [0, 1). */
export function idHash(id: string): number {
  hash64(id);
  let h = (lastHash.lo ^ Math.imul(lastHash.hi, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export class RequestSample {
  readonly hits = new Map<string, Hit>();
  /** Ids hashing at or above this are not kept (1: every id is kept). */
  threshold = 1;

  constructor(private readonly k = SAMPLE_SIZE) {}

  add(id: string, t: number, seq: number, h = idHash(id)): void {
    if (h >= this.threshold) return;
    const cur = this.hits.get(id);
    if (cur) {
      if (t < cur.t || (t === cur.t && seq < cur.seq)) [cur.t, cur.seq] = [t, seq];
      return;
    }
    this.hits.set(id, { h, t, seq });
    if (this.hits.size > this.k + (this.k >> 2)) this.prune();
  }

  /** Folds another sample in (the union, pruned to `k`). */
  merge(other: RequestSample): void {
    for (const [id, x] of other.hits) this.add(id, x.t, x.seq, x.h);
    this.threshold = Math.min(this.threshold, other.threshold);
    for (const [id, x] of this.hits) if (x.h >= this.threshold) this.hits.delete(id);
  }

  /** Whether some requests were left out. */
  get sampled(): boolean {
    if (this.hits.size > this.k) this.prune();
    return this.threshold < 1;
  }

  private prune(): void {
    const sorted = [...this.hits.values()].map((x) => x.h).sort((a, b) => a - b);
    this.threshold = sorted[this.k];
    for (const [id, x] of this.hits) if (x.h >= this.threshold) this.hits.delete(id);
  }
}
