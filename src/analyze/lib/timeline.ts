/**
 * Per-time-cell series with bounded memory: cells start one second wide and widen along a ladder
 * of round widths (each a multiple of the one before) whenever the span seen would need more
 * than `MAX_CELLS` of them; every series re-buckets itself lazily to the current width.
 */

/** Cell widths, each dividing the next, so a wider cell is an exact union of narrower ones. */
const LADDER_MS = [1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 43_200_000, 86_400_000];
/** Cells a series may span; the width grows to keep within it. */
export const MAX_CELLS = 2_000;

/** Times kept to tell the bulk of the records from a few far-off ones. */
const SAMPLE = 1024;

/** The time span seen so far and the cell width every series uses. */
export class Timeline {
  width = LADDER_MS[0];
  lo = Infinity;
  hi = -Infinity;
  records = 0;

  /** A uniform sample of the times seen (reservoir, fixed-seed: the same input gives the same sample). */
  readonly sample: number[] = [];
  private rand = 0x9e3779b9;

  observe(t: number): void {
    this.records++;
    if (this.sample.length < SAMPLE) this.sample.push(t);
    else {
      this.rand = (Math.imul(this.rand, 1664525) + 1013904223) >>> 0;
      const j = Math.floor((this.rand / 4294967296) * this.records);
      if (j < SAMPLE) this.sample[j] = t;
    }
    if (t < this.lo) this.lo = t;
    if (t > this.hi) this.hi = t;
    while (Math.floor(this.hi / this.width) - Math.floor(this.lo / this.width) + 1 > MAX_CELLS) this.width = wider(this.width);
  }

  /** Whether any timed record was seen. */
  get timed(): boolean {
    return this.records > 0;
  }
}

function wider(w: number): number {
  const i = LADDER_MS.indexOf(w);
  return i >= 0 && i + 1 < LADDER_MS.length ? LADDER_MS[i + 1] : w * 2;
}

/** The smallest round width (a multiple of `atLeast`) of at least `target` ms. */
export function roundWidth(target: number, atLeast: number): number {
  for (const w of LADDER_MS) if (w >= target && w >= atLeast && w % atLeast === 0) return w;
  let w = LADDER_MS[LADDER_MS.length - 1];
  while (w < target || w < atLeast) w *= 2;
  return w;
}

/** One cell's kind: how to make an empty one and fold one into another. */
export interface CellKind<C> {
  make(): C;
  merge(into: C, from: C): void;
}

/** A sparse series of cells keyed by `floor(time / width)`. */
export class Series<C> {
  private width: number;
  readonly cells = new Map<number, C>();

  constructor(
    private readonly timeline: Timeline,
    private readonly kind: CellKind<C>,
  ) {
    this.width = timeline.width;
  }

  /** The cell holding time `t` (created when absent). */
  at(t: number): C {
    this.sync();
    const k = Math.floor(t / this.width);
    let c = this.cells.get(k);
    if (!c) this.cells.set(k, (c = this.kind.make()));
    return c;
  }

  /** The cells with their start times, at the timeline's current width. */
  entries(): { start: number; cell: C }[] {
    this.sync();
    return [...this.cells].map(([k, cell]) => ({ start: k * this.width, cell }));
  }

  private sync(): void {
    const w = this.timeline.width;
    if (w === this.width) return;
    const old = [...this.cells];
    this.cells.clear();
    for (const [k, c] of old) {
      const nk = Math.floor((k * this.width) / w);
      const into = this.cells.get(nk);
      if (into) this.kind.merge(into, c);
      else this.cells.set(nk, c);
    }
    this.width = w;
  }
}

/** A count and the first time seen in a cell. */
export interface CountCell {
  n: number;
  first: number;
}

export const COUNT_CELL: CellKind<CountCell> = {
  make: () => ({ n: 0, first: Infinity }),
  merge(into, from) {
    into.n += from.n;
    if (from.first < into.first) into.first = from.first;
  },
};

/** Adds one record at `t` to a count series. */
export function countAt(s: Series<CountCell>, t: number): void {
  const c = s.at(t);
  c.n++;
  if (t < c.first) c.first = t;
}

/** Durations of one cell in log bins of ±5%, and the slowest record in it (for `trace` hints). */
export interface LatencyCell {
  n: number;
  first: number;
  bins: Map<number, number>;
  maxMs: number;
  maxId: string | undefined;
}

const LOG_BASE = Math.log(1.1);
/** The log bin of a duration (values under 1 µs share the lowest). */
export const latencyBin = (ms: number): number => Math.floor(Math.log(Math.max(ms, 0.001)) / LOG_BASE);
/** A representative duration of a bin (its geometric middle). */
export const binValue = (bin: number): number => Math.exp((bin + 0.5) * LOG_BASE);

export const LATENCY_CELL: CellKind<LatencyCell> = {
  make: () => ({ n: 0, first: Infinity, bins: new Map(), maxMs: -Infinity, maxId: undefined }),
  merge(into, from) {
    into.n += from.n;
    if (from.first < into.first) into.first = from.first;
    for (const [b, n] of from.bins) into.bins.set(b, (into.bins.get(b) ?? 0) + n);
    if (from.maxMs > into.maxMs) {
      into.maxMs = from.maxMs;
      into.maxId = from.maxId;
    }
  },
};

/** Adds one duration at `t` to a latency series. */
export function latencyAt(s: Series<LatencyCell>, t: number, ms: number, id: string | undefined): void {
  const c = s.at(t);
  c.n++;
  if (t < c.first) c.first = t;
  const b = latencyBin(ms);
  c.bins.set(b, (c.bins.get(b) ?? 0) + 1);
  if (ms > c.maxMs && id !== undefined) {
    c.maxMs = ms;
    c.maxId = id;
  }
}

/** The q-quantile (0..1) of log-binned durations, or undefined when there are none. */
export function binQuantile(bins: Map<number, number>, q: number): number | undefined {
  let total = 0;
  for (const n of bins.values()) total += n;
  if (total === 0) return undefined;
  const sorted = [...bins].sort((a, b) => a[0] - b[0]);
  const rank = q * total;
  let seen = 0;
  for (const [b, n] of sorted) {
    seen += n;
    if (seen >= rank) return binValue(b);
  }
  return binValue(sorted[sorted.length - 1][0]);
}
