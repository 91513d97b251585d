/**
 * Change points as `why` finds them: the one stretch of time (a segment of bins) where a rate —
 * records per unit of time, or slow samples per sample — rose most against the period before
 * it, judged by a likelihood ratio corrected for burstiness (quasi-likelihood) and for the
 * number of segments tried (see `EFFECTIVE_TESTS_PER_BIN`). What comes after a stretch is not its baseline: a
 * calmer period later (calls failing fast behind an open breaker) must not make the normal
 * period before it look elevated. Pure functions over arrays of bins.
 */
import { binomialSplitLLR, llrPValue, poissonSplitLLR } from './significance.js';

/** The evidence a change must show, beyond chance: significance, size and excess. */
export const ALPHA = 0.01;
/** A rate must at least double to be a change. */
export const MIN_LIFT = 2;
/** At least this many records (or slow samples) more than the baseline rate predicts. */
export const MIN_EXCESS = 5;

/** One series binned: events (or slow samples) `x` per bin, with exposure `e` (ms of time, or samples). */
export interface Binned {
  x: number[];
  e: number[];
}

/** The stretch of bins [start, end) where the rate is elevated. */
export interface Segment {
  start: number;
  end: number;
  /** Rate inside and before it (per unit of exposure). */
  rateIn: number;
  rateOut: number;
  xIn: number;
  /** Events more than the rate before predicts. */
  excess: number;
  /** The burstiness the test allowed for (1: Poisson/binomial). */
  dispersion: number;
  /** Bonferroni-corrected p-value. */
  pValue: number;
  /** The likelihood ratio after the dispersion correction (for ranking). */
  score: number;
}

type Model = 'poisson' | 'binomial';

/**
 * The segments of a series are not independent tests: by simulation (pure Poisson noise, rates
 * 0.2 to 30 per bin, 30 and 100 bins, 2,000 series each) the 99th percentile of the largest
 * ratio over all segments matches a nominal p-value of 1 / (100 × bins): about two independent
 * tests per bin, where counting every one of the ~bins²/2 segments would be 25–50 times too strict.
 */
export const EFFECTIVE_TESTS_PER_BIN = 2;

/**
 * The most significant elevated segment starting at bin `minStart` or later, or undefined when
 * none beats chance, doubles the rate and shows `MIN_EXCESS` extra events. `minStart` keeps a
 * baseline before every segment.
 */
export function elevatedSegment(b: Binned, model: Model, minStart: number, tests = 1): Segment | undefined {
  const n = b.x.length;
  const px = [0];
  const pe = [0];
  for (let i = 0; i < n; i++) {
    px.push(px[i] + b.x[i]);
    pe.push(pe[i] + b.e[i]);
  }
  const split = model === 'poisson' ? poissonSplitLLR : binomialSplitLLR;
  let best: { s: number; t: number; llr: number } | undefined;
  for (let s = Math.max(1, minStart); s < n; s++) {
    const xOut = px[s];
    const eOut = pe[s];
    if (eOut <= 0) continue;
    for (let t = s + 1; t <= n; t++) {
      const xIn = px[t] - px[s];
      const eIn = pe[t] - pe[s];
      if (eIn <= 0) continue;
      if (xIn / eIn <= xOut / eOut) continue;
      const llr = split(xIn, eIn, xOut, eOut);
      if (!best || llr > best.llr) best = { s, t, llr };
    }
  }
  if (!best) return undefined;
  const { s, t } = best;
  const rateOut = px[s] / pe[s];
  // The end: bins after the stretch that look more like it than like the baseline (a few
  // quieter bins at the end of an ongoing change) belong to it.
  let end = t;
  if (t < n) {
    const rate = (px[t] - px[s]) / (pe[t] - pe[s]);
    // Half an event over the baseline: a baseline of none would make any later event "elevated".
    const base = Math.max(rateOut, 0.5 / pe[s]);
    if (tailLogLik(b, t, n, rate, model) >= tailLogLik(b, t, n, base, model)) end = n;
  }
  // A stretch that comes back as strongly later: over a baseline of some rate, a burst that
  // recurs (the change, if any, is that the series turned bursty: judged as one stretch to the
  // end); over a baseline of none, something new that came back (judged on its first stretch,
  // and running to the end).
  const recurs = end < n && recursLater(px, pe, s, end, (px[end] - px[s]) / (pe[end] - pe[s]) / 2 + rateOut / 2);
  if (!recurs || rateOut > 0) return judge(b, px, pe, s, recurs ? n : end, model, tests);
  const seg = judge(b, px, pe, s, end, model, tests);
  return seg && { ...seg, end: n };
}

/** A stretch [s, t) against the bins before it: the evidence, or undefined when it falls short. */
function judge(b: Binned, px: number[], pe: number[], s: number, t: number, model: Model, tests: number): Segment | undefined {
  const n = b.x.length;
  const xOut = px[s];
  const eOut = pe[s];
  const xIn = px[t] - px[s];
  const eIn = pe[t] - pe[s];
  if (eIn <= 0 || eOut <= 0) return undefined;
  const rateIn = xIn / eIn;
  const rateOut = xOut / eOut;
  if (rateIn <= rateOut) return undefined;
  const llr = (model === 'poisson' ? poissonSplitLLR : binomialSplitLLR)(xIn, eIn, xOut, eOut);
  const dispersion = pooledDispersion(b, [
    [0, s, rateOut],
    [s, t, rateIn],
    [t, n, (px[n] - px[t]) / Math.max(1e-12, pe[n] - pe[t])],
  ], model);
  const score = llr / dispersion;
  const pValue = Math.min(1, llrPValue(score) * EFFECTIVE_TESTS_PER_BIN * n * tests);
  const excess = xIn - rateOut * eIn;
  const lifted = rateOut === 0 || rateIn / rateOut >= MIN_LIFT;
  return pValue < ALPHA && lifted && excess >= MIN_EXCESS ? { start: s, end: t, rateIn, rateOut, xIn, excess, dispersion, pValue, score } : undefined;
}

/**
 * Whether a stretch as long comes again later with at least half its excess over the baseline
 * rate: then it is one of the series' recurring bursts, not a change.
 */
function recursLater(px: number[], pe: number[], s: number, t: number, rate: number): boolean {
  const len = t - s;
  const n = px.length - 1;
  for (let i = t; i + len <= n; i++) {
    const e = pe[i + len] - pe[i];
    if (e > 0 && (px[i + len] - px[i]) / e >= rate) return true;
  }
  return false;
}

/** Log-likelihood of bins [from, to) at one rate (per unit of exposure). */
function tailLogLik(b: Binned, from: number, to: number, rate: number, model: Model): number {
  let ll = 0;
  const r = Math.min(Math.max(rate, 1e-12), model === 'binomial' ? 1 - 1e-12 : Infinity);
  for (let i = from; i < to; i++) {
    if (b.e[i] <= 0) continue;
    ll += model === 'poisson' ? b.x[i] * Math.log(r * b.e[i]) - r * b.e[i] : b.x[i] * Math.log(r) + (b.e[i] - b.x[i]) * Math.log1p(-r);
  }
  return ll;
}

/**
 * Pearson's dispersion pooled over the parts of a series (before, inside, after), each bin
 * around its own part's rate, at least 1: how bursty the series is wherever it is, so that a
 * burst is not a change just because none fell before it, and a shift between parts does not
 * count as burstiness.
 */
export function pooledDispersion(b: Binned, parts: [from: number, to: number, rate: number][], model: Model): number {
  let sum = 0;
  let df = 0;
  for (const [from, to, rate] of parts) {
    let m = 0;
    for (let i = from; i < to; i++) {
      if (b.e[i] <= 0) continue;
      const mean = rate * b.e[i];
      const variance = model === 'poisson' ? mean : mean * (1 - Math.min(rate, 1 - 1e-9));
      m++;
      if (variance <= 0) continue;
      sum += (b.x[i] - mean) ** 2 / variance;
    }
    if (m > 0) df += m - 1;
  }
  return df > 0 ? Math.max(1, sum / df) : 1;
}

/**
 * Where inside a coarse change the rate really turned: over fine cells (events `x`, exposure
 * `e`, first event time `first`), the point after which the cumulative excess over the midpoint
 * rate only grows — the argmin of the cumulative sum, the classic change-time estimate.
 */
export function refineOnset(cells: { start: number; x: number; e: number; first: number }[], rateOut: number, rateIn: number): number | undefined {
  if (!cells.length) return undefined;
  // Nothing before: the first event is the departure.
  if (rateOut <= 0) {
    const c = cells.find((x) => x.x > 0);
    return c && Math.max(c.start, Number.isFinite(c.first) ? c.first : c.start);
  }
  const mid = (rateOut + rateIn) / 2;
  let c = 0;
  let min = 0;
  let at = 0;
  for (let i = 0; i < cells.length; i++) {
    c += cells[i].x - mid * cells[i].e;
    if (c < min) [min, at] = [c, i + 1];
  }
  for (let i = at; i < cells.length; i++) if (cells[i].x > 0) return Math.max(cells[i].start, Number.isFinite(cells[i].first) ? cells[i].first : cells[i].start);
  return cells[Math.min(at, cells.length - 1)].start;
}
