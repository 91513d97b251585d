import { DDSketch, rebuildSketch } from './sketch.js';
import { addExact, exactSum, type Partials } from './exact-sum.js';

/**
 * Relative error stated for a sketched percentile: |reported − exact| ≤ 1% of the exact value,
 * the exact value being the same linear interpolation an exact group reports.
 */
export const SKETCH_ACCURACY = 0.01;

// The sketch is built a hair finer than stated, so rounding in its log mapping and in the
// interpolation can never carry an answer past the stated bound.
const BUILT_ACCURACY = SKETCH_ACCURACY * (1 - 1e-6);

/** Groups with fewer samples than this are always exact, whatever the budget. */
export const EXACT_FLOOR = 10_000;

/**
 * Samples kept exactly, shared by all groups of one analysis (2M doubles ≈ 16 MB). Once more
 * samples than that have been seen in all (`spent`), every group of at least EXACT_FLOOR samples
 * is a sketch, and stays one. Which groups are sketched thus depends only on the samples' final
 * counts, never on the order they arrived in, so a run split across threads answers exactly as
 * one thread does. Memory: at most the budget while it lasts, then fewer than EXACT_FLOOR
 * samples per exact group.
 */
export class SampleBudget {
  /** Samples held exactly right now. */
  used = 0;
  /** Samples of every group seen so far, exact or sketched. */
  seen = 0;
  // Exact groups of at least EXACT_FLOOR samples, sketched once the budget is spent.
  private large = new Set<Quantiles>();

  constructor(public readonly limit = 2_000_000) {}

  /** Whether more samples than the budget have been seen. */
  get spent(): boolean {
    return this.seen > this.limit;
  }

  /** Records that `q` is exact with at least EXACT_FLOOR samples: sketched now if the budget is spent. */
  watch(q: Quantiles): void {
    if (this.spent) q.toSketch();
    else this.large.add(q);
  }

  /** Once the budget is spent, sketches every exact group of at least EXACT_FLOOR samples. */
  reclaim(): void {
    if (!this.spent || this.large.size === 0) return;
    for (const q of this.large) q.toSketch();
    this.large.clear();
  }
}

/**
 * Quantiles of one group: exact (every sample kept, numpy's default linear interpolation) unless
 * the group has EXACT_FLOOR samples or more and the shared budget is spent; then a DDSketch, whose percentiles are
 * interpolated the same way between sketched rank values and are within SKETCH_ACCURACY of the
 * exact answer. count, sum, min and max stay exact in both modes.
 */
export class Quantiles {
  count = 0;
  /** The sum of the samples, exact whatever their order (a sketch's mean must not depend on how threads split the input). */
  private sum: Partials = [];
  max = -Infinity;
  min = Infinity;
  private samples: Float64Array | undefined = new Float64Array(16);
  private sketch: DDSketch | undefined;
  private sorted = true;

  constructor(
    private budget: SampleBudget,
    forceSketch = false,
  ) {
    if (forceSketch) this.toSketch();
  }

  /** True while every sample is kept. */
  get exact(): boolean {
    return this.sketch === undefined;
  }

  /** The bound on the relative error of every percentile: 0 when exact. */
  get relativeError(): number {
    return this.exact ? 0 : SKETCH_ACCURACY;
  }

  add(v: number): void {
    this.count++;
    addExact(this.sum, v);
    if (v > this.max) this.max = v;
    if (v < this.min) this.min = v;
    if (this.sketch) {
      this.sketch.accept(v);
    } else {
      this.reserve(this.count);
      this.samples![this.count - 1] = v;
      this.sorted = false;
      this.budget.used++;
      if (this.count === EXACT_FLOOR) this.budget.watch(this);
    }
    if (++this.budget.seen === this.budget.limit + 1) this.budget.reclaim();
  }

  /** The q-quantile (0..1): linear interpolation between closest ranks, as numpy and DuckDB. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const h = (this.count - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, this.count - 1);
    if (this.sketch) return Math.min(this.max, Math.max(this.min, lerp(this.sketchedRank(lo), this.sketchedRank(hi), h - lo)));
    const s = this.samples!.subarray(0, this.count);
    if (!this.sorted) {
      s.sort();
      this.sorted = true;
    }
    return lerp(s[lo], s[hi], h - lo);
  }

  /** Adds another group's samples (charged to this group's budget): exact while both are (only large groups are ever sketched). */
  merge(other: Quantiles): void {
    if (other.count === 0) return;
    if (!this.sketch && !other.sketch) {
      this.reserve(this.count + other.count);
      this.samples!.set(other.samples!.subarray(0, other.count), this.count);
      this.sorted = false;
      this.budget.used += other.count;
    } else {
      this.toSketch();
      if (other.sketch) this.sketch!.merge(other.sketch);
      else for (const v of other.samples!.subarray(0, other.count)) this.sketch!.accept(v);
    }
    this.count += other.count;
    this.budget.seen += other.count;
    for (const x of other.sum) addExact(this.sum, x);
    this.max = Math.max(this.max, other.max);
    this.min = Math.min(this.min, other.min);
    if (!this.sketch && this.count >= EXACT_FLOOR) this.budget.watch(this);
    this.budget.reclaim();
  }

  /**
   * Adds the samples of a group of the same analysis that is being dropped (folded into this
   * one): they are charged to the budget once, not twice.
   */
  absorb(other: Quantiles): void {
    this.budget.seen -= other.count;
    if (other.exact) this.budget.used -= other.count;
    this.merge(other);
  }

  /** A copy charged to `budget` (a throwaway budget for a view that must not touch the original). */
  copy(budget: SampleBudget): Quantiles {
    const q = new Quantiles(budget, !this.exact);
    q.merge(this);
    return q;
  }

  /** Mean of the samples: in exact mode summed in sorted order, so it does not depend on arrival order. */
  mean(): number | null {
    if (this.count === 0) return null;
    if (this.sketch) return exactSum(this.sum) / this.count;
    this.quantile(0.5);
    let total = 0;
    for (const v of this.samples!.subarray(0, this.count)) total += v;
    return total / this.count;
  }

  /** Charges this group's exact samples to `budget` from now on (a group moving to another state). */
  rebind(budget: SampleBudget): void {
    this.budget = budget;
    budget.seen += this.count;
    if (this.sketch) return;
    budget.used += this.count;
    if (this.count >= EXACT_FLOOR) budget.watch(this);
  }

  /**
   * Restores an instance that crossed a thread boundary (structured cloning keeps the data but
   * not the classes), charged to `budget` from now on. The sketch is rebuilt bin by bin: same
   * accuracy, same keys, so it answers exactly as the original.
   */
  static unpack(cloned: Quantiles, budget: SampleBudget): Quantiles {
    const q = Object.setPrototypeOf(cloned, Quantiles.prototype) as Quantiles;
    if (q.sketch) q.sketch = rebuildSketch(q.sketch, BUILT_ACCURACY);
    q.rebind(budget);
    return q;
  }

  /** Moves the samples into a sketch and gives them back to the budget. */
  toSketch(): void {
    if (this.sketch) return;
    this.sketch = new DDSketch({ relativeAccuracy: BUILT_ACCURACY });
    if (this.samples) {
      for (const v of this.samples.subarray(0, this.count)) this.sketch.accept(v);
      this.budget.used -= this.count;
    }
    this.samples = undefined;
  }

  private reserve(n: number): void {
    if (n <= this.samples!.length) return;
    const grown = new Float64Array(Math.max(n, this.samples!.length * 2));
    grown.set(this.samples!.subarray(0, this.count));
    this.samples = grown;
  }

  /**
   * The value of the sample at 0-based rank r, from the sketch: within the sketch's relative
   * accuracy of the true r-th smallest sample (the smallest and largest are kept exactly).
   * Both ranks around a percentile being within α, so is their interpolation (durations are ≥ 0).
   */
  private sketchedRank(r: number): number {
    if (r <= 0) return this.min;
    if (r >= this.count - 1) return this.max;
    const s = this.sketch!;
    const neg = s.negativeStore.count;
    if (r < neg) return -s.mapping.value(s.negativeStore.keyAtRank(neg - r - 1, false));
    if (r < neg + s.zeroCount) return 0;
    return s.mapping.value(s.store.keyAtRank(r - neg - s.zeroCount));
  }
}

/** numpy's `_lerp`: a + (b−a)·t, computed from b's side when t ≥ ½ (bit-identical to numpy). */
export function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}
