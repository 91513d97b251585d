/** Seeded generators of latency-like samples for percentile tests (skewed, heavy-tailed, gapped, tied). */

/** A seeded uniform generator on [0, 1) (32-bit LCG, as Numerical Recipes). */
export function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A distribution: draws n samples from a uniform source. */
export type Shape = (u: () => number, n: number) => number[];

const normal = (u: () => number) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

/** Distributions whose percentiles are hard for a sketch or an off-by-one rank. */
export const SHAPES: Record<string, Shape> = {
  lognormal: (u, n) => Array.from({ length: n }, () => Math.exp(3 + 1.5 * normal(u))),
  pareto: (u, n) => Array.from({ length: n }, () => 5 / Math.pow(1 - u(), 1 / 1.1)),
  // Two far-apart modes: an interpolated percentile falls in the gap between ranks.
  gapped: (u, n) => {
    const cut = 0.9 + 0.099 * u();
    return Array.from({ length: n }, () => (u() < cut ? 1 + u() : 5000 + 1000 * u()));
  },
  // Whole milliseconds with many ties and zeros, as real logs write them.
  tied: (u, n) => Array.from({ length: n }, () => (u() < 0.05 ? 0 : Math.floor(Math.exp(u() * 7)))),
};

/** numpy.percentile's default ("linear") method, written out independently of the product code. */
export function numpyLinear(xs: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(xs).sort();
  const v = (s.length - 1) * q;
  const prev = Math.floor(v);
  const next = Math.min(prev + 1, s.length - 1);
  const g = v - prev;
  const a = s[prev];
  const b = s[next];
  const diff = b - a;
  // numpy's _lerp: a + diff*g, replaced by b - diff*(1-g) where g >= 0.5
  return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
}

/** The percentiles the product reports, and a few awkward ones. */
export const PS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
