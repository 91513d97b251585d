import { DDSketch } from './sketch.js';

/** Relative accuracy of the sketch: every quantile within 1% of the true value. */
export const SKETCH_ACCURACY = 0.01;

/** Samples kept exactly, shared by all groups of one analysis: 2M doubles ≈ 16 MB. */
export class SampleBudget {
  constructor(public remaining = 2_000_000) {}
}

/**
 * Quantiles of one group: exact (every sample kept, `quantile_cont` interpolation) while the
 * shared budget allows, then a DDSketch with 1% relative error. count, sum, min and max stay
 * exact in both modes.
 */
export class Quantiles {
  count = 0;
  sum = 0;
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

  add(v: number): void {
    if (!this.sketch && this.budget.remaining <= 0) this.toSketch();
    if (this.sketch) {
      this.sketch.accept(v);
    } else {
      if (this.count === this.samples!.length) {
        const grown = new Float64Array(this.samples!.length * 2);
        grown.set(this.samples!);
        this.samples = grown;
      }
      this.samples![this.count] = v;
      this.budget.remaining--;
      this.sorted = false;
    }
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
    if (v < this.min) this.min = v;
  }

  /** The q-quantile (0..1): linear interpolation between closest ranks, as numpy and DuckDB. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (this.sketch) return Math.min(this.max, Math.max(this.min, this.sketch.getValueAtQuantile(q)));
    const s = this.samples!.subarray(0, this.count);
    if (!this.sorted) {
      s.sort();
      this.sorted = true;
    }
    const h = (this.count - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, this.count - 1);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  }

  /** Adds another group's samples; the result is exact only if both were and the budget allows. */
  merge(other: Quantiles): void {
    if (other.count === 0) return;
    if (!this.sketch && !other.sketch && this.budget.remaining >= other.count) {
      for (const v of other.samples!.subarray(0, other.count)) this.add(v);
      return;
    }
    this.toSketch();
    if (other.sketch) this.sketch!.merge(other.sketch);
    else for (const v of other.samples!.subarray(0, other.count)) this.sketch!.accept(v);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    this.min = Math.min(this.min, other.min);
  }

  /** Mean of the samples: in exact mode summed in sorted order, so it does not depend on arrival order. */
  mean(): number | null {
    if (this.count === 0) return null;
    if (this.sketch) return this.sum / this.count;
    this.quantile(0.5);
    let total = 0;
    for (const v of this.samples!.subarray(0, this.count)) total += v;
    return total / this.count;
  }

  /**
   * Restores an instance that crossed a thread boundary (structured cloning keeps the data but
   * not the classes), sharing `budget` from now on. The sketch is rebuilt bin by bin: same
   * accuracy, same keys, so it answers exactly as the original.
   */
  static unpack(cloned: Quantiles, budget: SampleBudget): Quantiles {
    const q = Object.setPrototypeOf(cloned, Quantiles.prototype) as Quantiles;
    q.budget = budget;
    if (q.sketch) q.sketch = rebuildSketch(q.sketch);
    return q;
  }

  private toSketch(): void {
    if (this.sketch) return;
    this.sketch = new DDSketch({ relativeAccuracy: SKETCH_ACCURACY });
    if (this.samples) {
      for (const v of this.samples.subarray(0, this.count)) this.sketch.accept(v);
      this.budget.remaining += this.count;
    }
    this.samples = undefined;
  }
}

/** The fields of a DDSketch that survive structured cloning. */
interface PlainSketch {
  store: { bins: number[]; offset: number };
  negativeStore: { bins: number[]; offset: number };
  zeroCount: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

function rebuildSketch(plain: DDSketch): DDSketch {
  const p = plain as unknown as PlainSketch;
  const s = new DDSketch({ relativeAccuracy: SKETCH_ACCURACY });
  p.store.bins.forEach((w, i) => w > 0 && s.store.add(i + p.store.offset, w));
  p.negativeStore.bins.forEach((w, i) => w > 0 && s.negativeStore.add(i + p.negativeStore.offset, w));
  Object.assign(s, { zeroCount: p.zeroCount, count: p.count, sum: p.sum, min: p.min, max: p.max });
  return s;
}
