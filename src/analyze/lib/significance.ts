/**
 * The few tests `why` needs to call a change significant: counts are compared as Poisson rates
 * (the conditional binomial test), segments by a likelihood ratio with its chi-square tail.
 */

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The complementary error function (Numerical Recipes' Chebyshev fit, relative error under 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(χ²₁ ≥ 2·llr): the p-value of a log-likelihood ratio with one degree of freedom. */
export function llrPValue(llr: number): number {
  return llr <= 0 ? 1 : erfc(Math.sqrt(llr));
}

const logBinom = (n: number, k: number) => lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);

/** P(X ≥ k) for X ~ Binomial(n, p), exact: the tail beyond k (or one minus the tail below it) summed in log space. */
export function binomialUpper(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const term = (i: number) => logBinom(n, i) + i * lp + (n - i) * lq;
  // Terms fall away from the mode on either side: sum the tail on k's side of it, from k
  // outwards, until they no longer matter (a few standard deviations, not n terms).
  const upper = k > n * p;
  const from = upper ? k : k - 1;
  const first = term(from);
  let sum = 0;
  for (let i = from; upper ? i <= n : i >= 0; i += upper ? 1 : -1) {
    const d = term(i) - first;
    sum += Math.exp(d);
    if (d < -40) break;
  }
  const tail = Math.min(1, Math.exp(first + Math.log(sum)));
  return upper ? tail : Math.max(0, 1 - tail);
}

/**
 * One-sided test that `a` events in exposure `ea` come at a higher rate than `b` events in
 * exposure `eb` (both Poisson): given a + b events, a is Binomial(a + b, ea / (ea + eb)) when the
 * rates are equal. Counts are divided by `dispersion` first (quasi-Poisson: bursty counts carry
 * less evidence than their size suggests).
 */
export function rateIncreasePValue(a: number, ea: number, b: number, eb: number, dispersion = 1): number {
  if (ea <= 0 || eb <= 0) return 1;
  const phi = Math.max(1, dispersion);
  const ka = Math.round(a / phi);
  const kb = Math.round(b / phi);
  return binomialUpper(ka, ka + kb, ea / (ea + eb));
}

const xlogy = (x: number, y: number) => (x <= 0 ? 0 : x * Math.log(y));

/** Log-likelihood ratio of "two Poisson rates" (inside, outside) against one rate. */
export function poissonSplitLLR(xIn: number, eIn: number, xOut: number, eOut: number): number {
  const x = xIn + xOut;
  const e = eIn + eOut;
  if (eIn <= 0 || eOut <= 0 || x <= 0) return 0;
  return xlogy(xIn, xIn / eIn) + xlogy(xOut, xOut / eOut) - xlogy(x, x / e);
}

/** Log-likelihood ratio of "two success shares" (inside, outside) against one share. */
export function binomialSplitLLR(sIn: number, nIn: number, sOut: number, nOut: number): number {
  const ll = (s: number, n: number) => (n <= 0 ? 0 : xlogy(s, s / n) + xlogy(n - s, (n - s) / n));
  return ll(sIn, nIn) + ll(sOut, nOut) - ll(sIn + sOut, nIn + nOut);
}
