/**
 * A sum of doubles that does not depend on the order of its terms (Shewchuk's non-overlapping
 * partials, as Python's math.fsum): the partials hold the exact sum, and `exactSum` rounds it
 * once. Groups summed on several threads and merged therefore give the same bits as one thread
 * summing in input order. Kept as a plain array so it survives structured cloning.
 */
export type Partials = number[];

/** Adds `x` to the exact sum held in `p` (in place). */
export function addExact(p: Partials, x: number): void {
  // A sum that is not finite is held alone in p[0]; infinities and NaN add in any order alike.
  const special = p.length === 1 && !Number.isFinite(p[0]);
  if (special || !Number.isFinite(x)) {
    p[0] = special ? p[0] + x : x;
    p.length = 1;
    return;
  }
  let n = 0;
  for (let k = 0; k < p.length; k++) {
    let y = p[k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    if (!Number.isFinite(hi)) {
      // Past the largest double: the sum is that infinity whatever comes after.
      p.length = 0;
      p.push(hi);
      return;
    }
    const lo = y - (hi - x);
    if (lo !== 0) p[n++] = lo;
    x = hi;
  }
  p.length = n;
  p.push(x);
}

/** The exact sum held in `p`, correctly rounded (ties to even). */
export function exactSum(p: Partials): number {
  let n = p.length;
  if (n === 0) return 0;
  let hi = p[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Half-way cases: the partials below decide the direction of rounding.
  if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}
