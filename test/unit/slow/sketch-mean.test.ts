import { describe, expect, it } from 'vitest';
import { Quantiles, SampleBudget } from '../../../src/analyze/lib/quantiles.js';
import { lcg, SHAPES } from './samples.js';

/** A sketched group's mean, split in consecutive parts (worker threads) and merged, as one thread sees it. */
function splitMean(xs: number[], cuts: number[]): number | null {
  const parts = [0, ...cuts, xs.length].slice(1).map((end, i, ends) => {
    const q = new Quantiles(new SampleBudget(), true);
    for (const x of xs.slice(i === 0 ? 0 : ends[i - 1], end)) q.add(x);
    return q;
  });
  const [first, ...rest] = parts;
  for (const q of rest) first.merge(q);
  return first.mean();
}

describe('the mean of a sketched group', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name}: is the same bits however the samples were split and merged`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const xs = shape(lcg(seed), 20_000);
        const whole = splitMean(xs, []);
        expect(splitMean(xs, [7_001]), `seed ${seed}`).toBe(whole);
        expect(splitMean(xs, [3, 9_999, 15_000]), `seed ${seed}`).toBe(whole);
      }
    });
  }

  it('is the correctly rounded sum over the count', () => {
    const q = new Quantiles(new SampleBudget(), true);
    for (const x of [1e16, 1, -1e16]) q.add(x);
    // Summed left to right, 1e16 + 1 rounds back to 1e16 and the sum is 0.
    expect(q.mean()).toBe(1 / 3);
  });
});
