import { DDSketch } from '@datadog/sketches-js';

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
    private readonly budget: SampleBudget,
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
