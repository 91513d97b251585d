/**
 * The result of `why`: the incident window (change points), what changed in it against the
 * baseline (patterns, latency, fields, each with its onset and a significance test), the links
 * between patterns that shared requests, and the candidate trigger: the earliest change.
 */
import type { ErrorsResult } from './errors.js';
import { evidenceLinks, type Link } from './lib/links.js';
import { RequestSample } from './lib/request-sample.js';
import { ALPHA, elevatedSegment, MIN_EXCESS, MIN_LIFT, pooledDispersion, refineOnset, type Binned, type Segment } from './lib/segments.js';
import { binomialUpper, rateIncreasePValue } from './lib/significance.js';
import { binQuantile, latencyBin, roundWidth, type CountCell, type LatencyCell, type Series } from './lib/timeline.js';
import { LEVEL_RANK, type Level } from '../types.js';
import type { BaselineCounts, OperationTrack, TimeRange, WhyOptions, WhyState } from './why.js';

/** Fewer timed records, or a shorter span, is too little to tell a change from chance. */
export const MIN_RECORDS = 30;
export const MIN_SPAN_MS = 10_000;
/** The analysis grid aims at this many bins over the span. */
const TARGET_BINS = 100;
/** A found change keeps at least this many bins of baseline before it. */
const MIN_BASELINE_BINS = 3;
/** Cells the bulk of the records must cover for changes in it to be seen. */
const MIN_BULK_CELLS = 30;
/** A new pattern needs this many records; a surge, a latency or a field change this many beyond the baseline. */
export const MIN_NEW = 3;
export const MIN_CHANGE = 5;
/** A latency change: p95 at least this many times the baseline's. */
export const MIN_LATENCY_LIFT = 1.5;
/** A field value must carry this share of the window's records to be over-represented. */
const MIN_FIELD_SHARE = 0.1;
/** Series tried for the window: the busiest patterns and operations. */
const WINDOW_PATTERNS = 50;
const MIN_OPERATION_SAMPLES = 30;
/** Cut-offs (quantiles of an operation's durations over the whole span) tried for "slow". */
const SLOW_QUANTILES = [0.5, 0.75, 0.9, 0.97];
/** What trying those cut-offs counts for in the correction for tests (they largely agree). */
const CUTOFF_TESTS = 2;
const MAX_FIELD_CHANGES = 10;
/** How long before the window a deploy or restart is shown as context. */
const MARKER_LEAD_MS = 15 * 60_000;
/** Changed patterns considered for links. */
const LINKED_CHANGES = 50;

export type ChangeKind = 'new_pattern' | 'surge' | 'latency' | 'field';

/** One thing that changed in the window. For latency `before`/`during` are p95 in ms, else counts. */
export interface Change {
  kind: ChangeKind;
  onset: number;
  pattern_id?: string;
  template?: string;
  service?: string;
  operation?: string;
  field?: string;
  value?: string;
  before: number;
  during: number;
  /** Rate (or p95) during over before; null when there was none before. */
  lift: number | null;
  p_value: number;
  /** Latency: samples before and during; field: share of the window's records. */
  samples_before?: number;
  samples_during?: number;
  share?: number;
  /** Field: other field values on the same records (the same counts before and during). */
  also?: { field: string; value: string }[];
  evidence: string;
  /** A request showing the change (for `logtool trace`). */
  example_id?: string;
}

export type Verdict = 'incident' | 'no_incident' | 'insufficient_data';

export interface WhyResult {
  verdict: Verdict;
  /** One line: why this verdict. */
  reason: string;
  window: { start: number; end: number | undefined; detected_by: string[] } | undefined;
  baseline: { start: number; end: number; source?: string } | undefined;
  trigger: Change | undefined;
  changes: Change[];
  links: Link[];
  /** A request to trace: it shows the trigger (and what followed it, when linked). */
  trace_id: string | undefined;
  /** Width of the analysis bins (ms) and the onset resolution (the cell width). */
  bin_ms: number;
  resolution_ms: number;
  records: number;
  untimed: number;
  /** Records at the analysis level (warn and above by default) and their rate over the span. */
  problems: number;
  problem_rate_per_min: number;
  span: { start: number; end: number } | undefined;
  /**
   * Deploys, rollbacks, config reloads and restarts from 15 minutes (or a bin) before the window
   * to its first bin: context for the trigger, not a change measured.
   */
  markers: { time: number; service: string | undefined; message: string }[];
  /** Circuit-breaker events from a bin before the window to its end. */
  breaker_events: { time: number | undefined; service: string | undefined; event: string }[];
  /** Every pattern with its count (a later run's `--baseline-file`). */
  patterns: { id: string; template: string; count: number }[];
  /**
   * A few records far from the rest (a bad clock, a default 1970 time): they stretch the
   * timeline, so its cells are coarse; `--since`/`--until` around the bulk gives them back.
   */
  time_outliers: { records: number; bulk_start: number; bulk_end: number } | undefined;
  /** Durations not followed: records of operations beyond the first MAX_OPERATIONS. */
  durations_left_out: number;
}

/** A merged pattern: one final id, its cells and requests. */
interface FinalTrack {
  id: string;
  template: string;
  services: string[];
  ids: string[];
  /** The highest level among its records. */
  level: Level;
  cells: Map<number, CountCell>;
  requests: RequestSample;
  count: number;
}

/** The analysis grid: bins of `bw` from `b0`, and the span [lo, hi). */
class Grid {
  readonly b0: number;
  readonly n: number;
  readonly exposure: number[];
  constructor(
    readonly lo: number,
    readonly hi: number,
    readonly bw: number,
    readonly cw: number,
  ) {
    this.b0 = Math.floor(lo / bw) * bw;
    this.n = Math.floor((hi - 1 - this.b0) / bw) + 1;
    this.exposure = Array.from({ length: this.n }, (_, i) => this.overlap(this.b0 + i * bw, this.b0 + (i + 1) * bw));
  }
  overlap(a: number, b: number): number {
    return Math.max(0, Math.min(b, this.hi) - Math.max(a, this.lo));
  }
  bin(t: number): number {
    return Math.floor((t - this.b0) / this.bw);
  }
  start(i: number): number {
    return this.b0 + i * this.bw;
  }
  /** The cell boundary at or before `t` (ranges are compared cell by cell). */
  cellFloor(t: number): number {
    return Math.floor(t / this.cw) * this.cw;
  }
}

const cellMap = <C>(s: Series<C>) => new Map(s.entries().map((e) => [e.start, e.cell]));

function countBins(cells: Map<number, CountCell>, g: Grid): Binned {
  const x = new Array<number>(g.n).fill(0);
  for (const [start, c] of cells) {
    const i = g.bin(start);
    if (i >= 0 && i < g.n) x[i] += c.n;
  }
  return { x, e: g.exposure };
}

/** Slow samples (log bin above `slowBin`) and samples per bin of an operation. */
function slowBins(cells: Map<number, LatencyCell>, g: Grid, slowBin: number): Binned {
  const x = new Array<number>(g.n).fill(0);
  const e = new Array<number>(g.n).fill(0);
  for (const [start, c] of cells) {
    const i = g.bin(start);
    if (i < 0 || i >= g.n) continue;
    e[i] += c.n;
    for (const [b, k] of c.bins) if (b > slowBin) x[i] += k;
  }
  return { x, e };
}

/** Fine cells over [from, to), empty ones included, as `refineOnset` takes them. */
function fineCells<C>(cells: Map<number, C>, g: Grid, from: number, to: number, read: (c: C | undefined, start: number) => { x: number; e: number; first: number }) {
  const out: { start: number; x: number; e: number; first: number }[] = [];
  for (let t = g.cellFloor(Math.max(from, g.lo)); t < Math.min(to, g.hi); t += g.cw) out.push({ start: t, ...read(cells.get(t), t) });
  return out;
}

const countRead = (g: Grid) => (c: CountCell | undefined, t: number) => ({ x: c?.n ?? 0, e: g.overlap(t, t + g.cw), first: c?.first ?? Infinity });
const slowRead = (slowBin: number) => (c: LatencyCell | undefined) => {
  let x = 0;
  if (c) for (const [b, k] of c.bins) if (b > slowBin) x += k;
  return { x, e: c?.n ?? 0, first: c?.first ?? Infinity };
};

/** Sum of counts, and first time, over the cells in [from, to). */
function countIn(cells: Map<number, CountCell>, from: number, to: number): { n: number; first: number } {
  let n = 0;
  let first = Infinity;
  for (const [start, c] of cells) {
    if (start < from || start >= to) continue;
    n += c.n;
    if (c.first < first) first = c.first;
  }
  return { n, first };
}

function binsIn(cells: Map<number, LatencyCell>, from: number, to: number) {
  const bins = new Map<number, number>();
  let n = 0;
  let maxMs = -Infinity;
  let maxId: string | undefined;
  for (const [start, c] of cells) {
    if (start < from || start >= to) continue;
    n += c.n;
    for (const [b, k] of c.bins) bins.set(b, (bins.get(b) ?? 0) + k);
    if (c.maxMs > maxMs && c.maxId !== undefined) [maxMs, maxId] = [c.maxMs, c.maxId];
  }
  return { bins, n, maxId };
}

const slowCount = (bins: Map<number, number>, slowBin: number) => [...bins].reduce((a, [b, k]) => a + (b > slowBin ? k : 0), 0);

/** Pearson dispersion of the bins wholly inside [from, to), around their own rate (at least 1). */
function dispersionIn(b: Binned, g: Grid, from: number, to: number): number {
  const i0 = Math.max(0, Math.ceil((from - g.b0) / g.bw));
  const i1 = Math.min(g.n, Math.floor((to - g.b0) / g.bw));
  let x = 0;
  let e = 0;
  for (let i = i0; i < i1; i++) [x, e] = [x + b.x[i], e + b.e[i]];
  return e > 0 ? pooledDispersion(b, [[i0, i1, x / e]], 'poisson') : 1;
}

export function fmtMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  return `${(ms / 60_000).toFixed(1)}min`;
}
const perMin = (n: number, ms: number) => (ms > 0 ? (n / ms) * 60_000 : 0);
const fmtRate = (r: number) => (r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2));
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const iso = (t: number) => new Date(t).toISOString();

function finalTracks(s: WhyState, errs: ErrorsResult): FinalTrack[] {
  const info = new Map(errs.clusters.map((c) => [c.id, c]));
  const out = new Map<string, FinalTrack>();
  for (const p of s.patterns.values()) {
    const { id, template } = s.errors.miner.resolve(p.handles);
    let f = out.get(id);
    if (!f) {
      const c = info.get(id);
      out.set(id, (f = { id, template, services: c?.services ?? [], ids: c?.ids ?? [], level: c?.level ?? 'error', cells: new Map(), requests: new RequestSample(), count: 0 }));
    }
    for (const { start, cell } of p.series.entries()) {
      const into = f.cells.get(start);
      if (into) {
        into.n += cell.n;
        into.first = Math.min(into.first, cell.first);
      } else f.cells.set(start, { ...cell });
      f.count += cell.n;
    }
    f.requests.merge(p.requests);
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

/**
 * Records far outside the rest: the central 99% of a sample of the times spans under half of the
 * whole span. Far is further from that centre than its own length; the bulk is what is not far.
 */
function timeOutliers(s: WhyState): WhyResult['time_outliers'] {
  const tl = s.timeline;
  const times = [...tl.sample].sort((a, b) => a - b);
  const k = Math.floor(times.length * 0.005);
  const lo = times[k];
  const hi = times[times.length - 1 - k];
  if (hi - lo >= (tl.hi - tl.lo) / 2) return undefined;
  const near = (t: number) => t >= lo - (hi - lo) && t <= hi + (hi - lo);
  const kept = times.filter(near);
  const farSampled = times.length - kept.length;
  const farEnds = (near(tl.lo) ? 0 : 1) + (near(tl.hi) ? 0 : 1);
  return { records: Math.max(farEnds, Math.round((farSampled / times.length) * tl.records)), bulk_start: kept[0], bulk_end: kept[kept.length - 1] };
}

const opName = (o: OperationTrack) => (o.service ? `${o.service}/${o.operation}` : o.operation);

export function whyResult(s: WhyState, opts: WhyOptions, errs: ErrorsResult): WhyResult {
  const tl = s.timeline;
  const tracks = tl.timed ? finalTracks(s, errs) : [];
  const base: WhyResult = {
    verdict: 'insufficient_data',
    reason: '',
    window: undefined,
    baseline: undefined,
    trigger: undefined,
    changes: [],
    links: [],
    trace_id: undefined,
    bin_ms: 0,
    resolution_ms: tl.width,
    records: s.records,
    untimed: s.untimed,
    problems: errs.total,
    problem_rate_per_min: 0,
    span: tl.timed ? { start: tl.lo, end: tl.hi } : undefined,
    breaker_events: [],
    markers: [],
    patterns: tracks.slice(0, 1000).map((t) => ({ id: t.id, template: t.template, count: t.count })),
    durations_left_out: s.operationsLeftOut,
    time_outliers: tl.timed ? timeOutliers(s) : undefined,
  };
  if (!tl.timed) return { ...base, reason: s.records ? `insufficient data: none of ${s.records} records has a time` : 'insufficient data: no records' };
  const span = tl.hi - tl.lo;
  if (tl.records < MIN_RECORDS || span < MIN_SPAN_MS) {
    return { ...base, reason: `insufficient data: ${tl.records} timed records over ${fmtMs(span)} (at least ${MIN_RECORDS} records over ${fmtMs(MIN_SPAN_MS)} are needed to tell a change from chance)` };
  }
  const far = base.time_outliers;
  if (far && (far.bulk_end - far.bulk_start) / tl.width < MIN_BULK_CELLS) {
    return { ...base, reason: `insufficient data: about ${far.records} record(s) lie far outside the others and stretch the timeline to ${fmtMs(tl.width)} cells, too coarse for the ${fmtMs(far.bulk_end - far.bulk_start)} the rest cover; read those alone with --since/--until` };
  }
  const g = new Grid(tl.lo, tl.hi + 1, roundWidth(span / TARGET_BINS, tl.width), tl.width);
  base.bin_ms = g.bw;
  const problemCells = cellMap(s.problems);
  const problemTotal = [...problemCells.values()].reduce((a, c) => a + c.n, 0);
  base.problem_rate_per_min = round3(perMin(problemTotal, g.hi - g.lo));
  const ops = [...s.operations.values()].map((o) => ({ o, cells: cellMap(o.series) }));

  let window: { start: number; end: number | undefined; detected_by: string[] } | undefined;
  if (opts.window) window = { start: opts.window.start, end: opts.window.end, detected_by: ['--window'] };
  else window = detectWindow(g, opts.minLevel ?? 'warn', problemCells, cellMap(s.errorsOnly), tracks, ops);
  if (!window && opts.baselineCounts) window = { start: g.lo, end: undefined, detected_by: [`--baseline-file ${opts.baselineCounts.source}`] };
  if (!window) {
    const steady = `${fmtRate(base.problem_rate_per_min)}/min, steady`;
    const level = opts.minLevel ?? 'warn';
    const what = level === 'warn' ? 'warn/error' : level === 'error' || level === 'fatal' ? level : `${level}-and-above`;
    return { ...base, verdict: 'no_incident', reason: `no incident found: ${what} rate ${steady}; no operation slowed down` };
  }
  const wFrom = g.cellFloor(window.start);
  const wTo = window.end !== undefined ? g.cellFloor(window.end) : g.hi;
  const b: TimeRange = opts.baseline ?? { start: g.lo, end: window.start };
  let bFrom = g.cellFloor(b.start);
  let bTo = b.end !== undefined ? g.cellFloor(b.end) : b.start < window.start ? wFrom : g.hi;
  // A baseline never shares records with the window: the part that overlaps it is cut off.
  if (bFrom < wTo && bTo > wFrom) {
    if (bFrom < wFrom) bTo = wFrom;
    else bFrom = wTo;
  }
  const Tw = g.overlap(wFrom, wTo);
  const Tb = g.overlap(bFrom, bTo);
  if (Tw <= 0) return { ...base, reason: `insufficient data: no records in the window ${iso(window.start)}..${window.end !== undefined ? iso(window.end) : ''}` };
  if (Tb <= 0 && !opts.baselineCounts) return { ...base, reason: `insufficient data: nothing before ${iso(window.start)} to compare with (give --baseline or --baseline-file)` };
  const ctx: Ctx = { g, wFrom, wTo, bFrom, bTo, Tw, Tb, problemCells };
  const changes = [
    ...patternChanges(ctx, tracks, opts.baselineCounts),
    ...(Tb > 0 ? latencyChanges(ctx, ops) : []),
    ...(Tb > 0 ? fieldChanges(ctx, s) : []),
  ]
    // An onset is estimated from a bin before the window on; none precedes the window itself.
    .map((c) => (c.onset < window.start ? { ...c, onset: window.start } : c))
    .sort((x, y) => x.onset - y.onset || kindOrder(x) - kindOrder(y) || changeName(x).localeCompare(changeName(y)));
  const byId = new Map(tracks.map((t) => [t.id, t]));
  // Links among the busiest changed patterns (the evidence is counted pair by pair).
  const nodes = changes
    .filter((c) => c.pattern_id !== undefined)
    .sort((x, y) => y.during - x.during || x.onset - y.onset)
    .slice(0, LINKED_CHANGES)
    .map((c) => ({ id: c.pattern_id!, onset: c.onset, requests: byId.get(c.pattern_id!)!.requests }));
  const links = evidenceLinks(nodes, { lo: wFrom - g.bw, hi: wTo, slackMs: g.bw });
  // Onsets within a bin are candidates; closer than a few cells (at least 5 s) a tie.
  const trigger = pickTrigger(changes, links, g.bw, Math.min(g.bw, Math.max(3 * g.cw, 5_000)));
  const traceId = trigger ? links.find((l) => l.from === trigger.pattern_id)?.example ?? trigger.example_id : undefined;
  // Patterns are compared with the file; operations and fields with the logs before the window.
  const baseline = { start: Math.max(bFrom, g.lo), end: Math.max(Math.min(bTo, g.hi), Math.max(bFrom, g.lo)), ...(opts.baselineCounts ? { source: opts.baselineCounts.source } : {}) };
  // An incident comes with evidence: a stretch that stood out, but in which no pattern, operation
  // or field changed significantly against the baseline, is reported as such, not as an incident.
  const verdict: Verdict = changes.length ? 'incident' : 'no_incident';
  const reason =
    verdict === 'incident'
      ? `incident from ${iso(window.start)}; first change: ${trigger ? describe(trigger) : describe(changes[0])}`
      : opts.window
        ? 'nothing changed significantly in the window'
        : opts.baselineCounts && !window.detected_by.some((d) => !d.startsWith('--baseline-file'))
          ? `no incident found: no pattern is new or surging against ${opts.baselineCounts.source}`
          : `no incident found: ${window.detected_by.join(', ')} stood out from ${iso(window.start)}, but no pattern, operation or field changed significantly against the ${fmtMs(Tb)} before it`;
  if (verdict === 'no_incident' && !opts.window) return { ...base, verdict, reason };
  const breakers = errs.circuit_breaker_events
    .filter((e) => e.time !== undefined && e.time >= wFrom - g.bw && e.time < wTo)
    .slice(0, 20)
    .map((e) => ({ time: e.time, service: e.service, event: e.event }));
  const lead = Math.max(g.bw, MARKER_LEAD_MS);
  const markers = s.markers
    .filter((m) => m.time >= window.start - lead && m.time < window.start + g.bw)
    .sort((a, b) => a.time - b.time)
    .slice(-5);
  return { ...base, verdict, reason, window, baseline, trigger, changes, links, trace_id: traceId, breaker_events: breakers, markers };
}

interface Ctx {
  g: Grid;
  wFrom: number;
  wTo: number;
  bFrom: number;
  bTo: number;
  Tw: number;
  Tb: number;
  problemCells: Map<number, CountCell>;
}

const kindOrder = (c: Change) => ['latency', 'new_pattern', 'surge', 'field'].indexOf(c.kind);
/** What a change is about, so that changes of one onset and kind come in one order whatever order the records came in. */
const changeName = (c: Change) => `${c.service ?? ''}\u0000${c.operation ?? c.pattern_id ?? `${c.field}=${c.value}`}`;

export function describe(c: Change): string {
  if (c.kind === 'latency') return `${c.service ? `${c.service} ` : ''}${c.operation} slowed down (p95 ${fmtMs(c.before)} → ${fmtMs(c.during)})`;
  if (c.kind === 'field') return `${c.field}=${c.value} over-represented`;
  return `${c.kind === 'new_pattern' ? 'new pattern' : 'surge of'} "${c.template}"${c.service ? ` (${c.service})` : ''}`;
}

/**
 * The window: the most significant elevated stretch of the warn/error rate, a pattern's rate
 * or an operation's share of slow calls, widened to every other significant stretch that
 * overlaps it; it starts at the earliest onset among them.
 */
function detectWindow(g: Grid, minLevel: Level, problemCells: Map<number, CountCell>, errorCells: Map<number, CountCell>, tracks: FinalTrack[], ops: { o: OperationTrack; cells: Map<number, LatencyCell> }[]) {
  type Candidate = { name: string; seg: Segment; onset: number };
  const series: { name: string; b: Binned; model: 'poisson' | 'binomial'; fine: (from: number, to: number) => ReturnType<typeof fineCells> }[] = [];
  const rate = (name: string, cells: Map<number, CountCell>) => series.push({ name, b: countBins(cells, g), model: 'poisson', fine: (f, t) => fineCells(cells, g, f, t, countRead(g)) });
  rate(minLevel === 'error' ? 'error_rate' : `${minLevel}_and_above_rate`, problemCells);
  if (LEVEL_RANK[minLevel] < LEVEL_RANK.error) rate('error_rate', errorCells);
  for (const t of tracks.slice(0, WINDOW_PATTERNS)) series.push({ name: `pattern:${t.id}`, b: countBins(t.cells, g), model: 'poisson', fine: (f, to) => fineCells(t.cells, g, f, to, countRead(g)) });
  for (const { o, cells } of ops) {
    const all = binsIn(cells, -Infinity, Infinity);
    if (all.n < MIN_OPERATION_SAMPLES) continue;
    // "Slow" at several cut-offs: a slowdown that covers a large part of the logs lifts the
    // high quantiles into itself, so its early calls only stand out against a lower one.
    for (const level of SLOW_QUANTILES) {
      const q = binQuantile(all.bins, level);
      if (q === undefined) continue;
      const slowBin = latencyBin(q);
      series.push({ name: `latency:${opName(o)}`, b: slowBins(cells, g, slowBin), model: 'binomial', fine: (f, t) => fineCells(cells, g, f, t, slowRead(slowBin)) });
    }
  }
  // A series with too few events to show a change is no test (Bonferroni counts the others).
  const testable = series.filter((s) => s.b.x.reduce((a, x) => a + x, 0) >= MIN_EXCESS);
  // An operation's cut-offs are one series seen four ways, nearly the same test: counted once,
  // and its choice of cut-off as two.
  const tests = new Set(testable.map((s) => s.name)).size;
  const found: Candidate[] = [];
  for (const s of testable) {
    const seg = elevatedSegment(s.b, s.model, MIN_BASELINE_BINS, s.model === 'binomial' ? tests * CUTOFF_TESTS : tests);
    if (!seg) continue;
    const from = g.start(seg.start - 1);
    const to = g.start(seg.end);
    // Rates per unit of the fine cells' exposure: ms for counts, samples for latency.
    const onset = refineOnset(s.fine(from, to), seg.rateOut, seg.rateIn) ?? g.start(seg.start);
    found.push({ name: s.name, seg, onset });
  }
  // One stretch per series: the most significant of its cut-offs.
  const best = new Map<string, Candidate>();
  for (const c of found) if (!best.has(c.name) || c.seg.score > best.get(c.name)!.seg.score) best.set(c.name, c);
  found.splice(0, found.length, ...best.values());
  if (!found.length) return undefined;
  const primary = found.reduce((a, c) => (c.seg.score > a.seg.score ? c : a));
  const joined = found.filter((c) => c.seg.start < primary.seg.end && c.seg.end > primary.seg.start);
  const open = joined.some((c) => c.seg.end >= g.n);
  const start = Math.min(...joined.map((c) => c.onset));
  const end = open ? undefined : g.start(Math.max(...joined.map((c) => c.seg.end)));
  joined.sort((a, b) => a.onset - b.onset);
  return { start: Math.max(g.lo, start), end, detected_by: joined.map((c) => c.name) };
}

function patternChanges(ctx: Ctx, tracks: FinalTrack[], counts: BaselineCounts | undefined): Change[] {
  const { g, wFrom, wTo, bFrom, bTo, Tw } = ctx;
  const known = counts && new Map(counts.entries.map((e) => [e.id, e]));
  const knownTemplates = counts && new Map(counts.entries.map((e) => [e.template, e]));
  const out: Change[] = [];
  const alpha = ALPHA / Math.max(1, tracks.length);
  for (const t of tracks) {
    const w = countIn(t.cells, wFrom, wTo);
    if (w.n < MIN_NEW) continue;
    let before: number;
    let Tb: number;
    if (counts) {
      // A pattern at levels the earlier run did not mine cannot be new against it.
      if (LEVEL_RANK[t.level] < LEVEL_RANK[counts.minLevel]) continue;
      const e = known!.get(t.id) ?? knownTemplates!.get(t.template);
      before = e?.count ?? 0;
      Tb = counts.spanMs;
    } else {
      before = countIn(t.cells, bFrom, bTo).n;
      Tb = ctx.Tb;
    }
    const rateB = perMin(before, Tb);
    const rateW = perMin(w.n, Tw);
    let change: Change;
    if (before === 0) {
      const p = binomialUpper(w.n, w.n, Tw / (Tw + Tb));
      // Against a baseline file, absent from it is new (as `errors --baseline` marks it): its
      // span may be a rough one (an `errors --json` gives only its patterns' buckets).
      if (p >= alpha && !counts) continue;
      change = {
        kind: 'new_pattern',
        onset: w.first,
        before: 0,
        during: w.n,
        lift: null,
        p_value: p,
        evidence: `not seen before; ${w.n} records in the window (${fmtRate(rateW)}/min), first at ${iso(w.first)}`,
      };
    } else {
      const lift = rateW / rateB;
      const excess = w.n - (before * Tw) / Tb;
      if (lift < MIN_LIFT || excess < MIN_CHANGE) continue;
      const phi = counts ? 1 : dispersionIn(countBins(t.cells, g), g, bFrom, bTo);
      const p = rateIncreasePValue(w.n, Tw, before, Tb, phi);
      if (p >= alpha) continue;
      const onset = refineOnset(fineCells(t.cells, g, wFrom - g.bw, wTo, countRead(g)), rateB / 60_000, rateW / 60_000) ?? w.first;
      change = {
        kind: 'surge',
        onset,
        before,
        during: w.n,
        lift: round3(lift),
        p_value: p,
        evidence: `${before} → ${w.n} records (${fmtRate(rateB)}/min → ${fmtRate(rateW)}/min, ×${lift.toFixed(1)})`,
      };
    }
    out.push({ ...change, pattern_id: t.id, template: t.template, ...(t.services[0] ? { service: t.services[0] } : {}), ...exampleIn(t, wFrom, wTo) });
  }
  return out;
}

/** A request the pattern hit inside the window (the smallest id, so the same on every run). */
function exampleIn(t: FinalTrack, from: number, to: number): { example_id?: string } {
  let best: string | undefined;
  for (const [id, hit] of t.requests.hits) if (hit.t >= from && hit.t < to && (best === undefined || id < best)) best = id;
  best ??= t.ids[0];
  return best !== undefined ? { example_id: best } : {};
}

function latencyChanges(ctx: Ctx, ops: { o: OperationTrack; cells: Map<number, LatencyCell> }[]): Change[] {
  const { g, wFrom, wTo, bFrom, bTo } = ctx;
  const out: Change[] = [];
  const alpha = ALPHA / Math.max(1, ops.length);
  for (const { o, cells } of ops) {
    const before = binsIn(cells, bFrom, bTo);
    const during = binsIn(cells, wFrom, wTo);
    if (before.n < MIN_CHANGE * 2 || during.n < MIN_CHANGE) continue;
    const p95b = binQuantile(before.bins, 0.95)!;
    const p95d = binQuantile(during.bins, 0.95)!;
    const lift = p95d / p95b;
    if (lift < MIN_LATENCY_LIFT) continue;
    // Slow: beyond the baseline's p95 (about 5% of baseline calls by construction).
    const slowBin = latencyBin(p95b);
    const sb = slowCount(before.bins, slowBin);
    const sd = slowCount(during.bins, slowBin);
    const excess = sd - (sb / before.n) * during.n;
    if (excess < MIN_CHANGE) continue;
    const p = rateIncreasePValue(sd, during.n, sb, before.n);
    if (p >= alpha) continue;
    const onset = refineOnset(fineCells(cells, g, wFrom - g.bw, wTo, slowRead(slowBin)), sb / before.n, sd / during.n) ?? wFrom;
    out.push({
      kind: 'latency',
      onset,
      ...(o.service ? { service: o.service } : {}),
      operation: o.operation,
      before: round3(p95b),
      during: round3(p95d),
      lift: round3(lift),
      p_value: p,
      samples_before: before.n,
      samples_during: during.n,
      evidence: `p95 ${fmtMs(p95b)} → ${fmtMs(p95d)} (×${lift.toFixed(1)}); ${sd} of ${during.n} calls slower than the baseline p95, against ${sb} of ${before.n} before`,
      ...(during.maxId !== undefined ? { example_id: during.maxId } : {}),
    });
  }
  return out;
}

function fieldChanges(ctx: Ctx, s: WhyState): Change[] {
  const { g, wFrom, wTo, bFrom, bTo, Tw, Tb } = ctx;
  const windowProblems = countIn(ctx.problemCells, wFrom, wTo).n;
  if (!windowProblems) return [];
  const candidates: { field: string; value: string; cells: Map<number, CountCell> }[] = [];
  for (const [field, f] of s.fields) for (const [value, series] of f.values ?? []) candidates.push({ field, value, cells: cellMap(series) });
  const alpha = ALPHA / Math.max(1, candidates.length);
  const out: Change[] = [];
  const sig = new Map<Change, string>();
  for (const c of candidates) {
    const w = countIn(c.cells, wFrom, wTo).n;
    const share = w / windowProblems;
    if (w < MIN_CHANGE || share < MIN_FIELD_SHARE) continue;
    const before = countIn(c.cells, bFrom, bTo).n;
    const rateB = perMin(before, Tb);
    const rateW = perMin(w, Tw);
    const lift = before ? rateW / rateB : null;
    if (lift !== null && lift < MIN_LIFT) continue;
    const p = rateIncreasePValue(w, Tw, before, Tb);
    if (p >= alpha) continue;
    const onset = refineOnset(fineCells(c.cells, g, wFrom - g.bw, wTo, countRead(g)), rateB / 60_000, rateW / 60_000) ?? wFrom;
    // Which cells of the window the value's records fall in, and how many: equal for values on the same records.
    const cells = [...c.cells].filter(([start]) => start >= wFrom && start < wTo).map(([start, cell]) => `${start}:${cell.n}`).sort().join(',');
    out.push({
      kind: 'field',
      onset,
      field: c.field,
      value: c.value,
      before,
      during: w,
      lift: lift === null ? null : round3(lift),
      p_value: p,
      share: round3(share),
      evidence: `${c.field}=${c.value}: ${before} → ${w} warn/error records (${Math.round(share * 100)}% of the window's)`,
    });
    sig.set(out[out.length - 1], cells);
  }
  return groupSameRecords(out.sort((a, b) => (b.share ?? 0) - (a.share ?? 0) || a.onset - b.onset), sig).slice(0, MAX_FIELD_CHANGES);
}

/**
 * Values of different fields with the same count before and the same count in every cell of the
 * window describe the same records (a service, its logger, its status code): one change, the
 * others listed with it. Two values of one field are never the same records.
 */
function groupSameRecords(changes: Change[], sig: Map<Change, string>): Change[] {
  const groups = new Map<string, Change>();
  const out: Change[] = [];
  for (const c of changes) {
    const key = `${c.before} ${sig.get(c)}`;
    const g = groups.get(key);
    if (g && g.field !== c.field && !g.also?.some((a) => a.field === c.field)) (g.also ??= []).push({ field: c.field!, value: c.value! });
    else {
      if (!g) groups.set(key, c);
      out.push(c);
    }
  }
  return out;
}

/**
 * The candidate trigger: the earliest pattern or latency change. Onsets are estimates, so the
 * changes within a bin of the earliest are candidates: among operations the largest shift wins
 * (a caller waiting on a slow dependency slows down less than the dependency), among patterns
 * one that others follow in shared requests; between the two, the earlier onset unless they
 * are within `closeMs` (a few cells), where a pattern others follow wins. A trigger that itself
 * follows another change in shared requests (with an onset no later) gives way to it.
 */
function pickTrigger(changes: Change[], links: Link[], binMs: number, closeMs: number): Change | undefined {
  const candidates = changes.filter((c) => c.kind !== 'field');
  if (!candidates.length) return undefined;
  const first = candidates[0];
  const tied = candidates.filter((c) => c.onset <= first.onset + binMs);
  const leads = (c: Change) => (links.some((l) => l.from === c.pattern_id) ? 1 : 0);
  const followsNothing = (c: Change) => (links.some((l) => l.to === c.pattern_id) ? 0 : 1);
  const slowest = tied.filter((c) => c.kind === 'latency').sort((a, b) => (b.lift ?? 0) - (a.lift ?? 0) || a.onset - b.onset)[0];
  const pattern = tied.filter((c) => c.pattern_id !== undefined).sort((a, b) => leads(b) - leads(a) || followsNothing(b) - followsNothing(a) || a.onset - b.onset)[0];
  let trigger = !slowest ? pattern : !pattern ? slowest : Math.abs(slowest.onset - pattern.onset) <= closeMs ? (leads(pattern) ? pattern : slowest.onset <= pattern.onset ? slowest : pattern) : slowest.onset < pattern.onset ? slowest : pattern;
  const tieMs = binMs;
  const byPattern = new Map(candidates.filter((c) => c.pattern_id).map((c) => [c.pattern_id!, c]));
  for (let guard = 0; guard < links.length; guard++) {
    const up = links.find((l) => l.to === trigger.pattern_id);
    const from = up && byPattern.get(up.from);
    if (!from || from.onset > trigger.onset + tieMs) break;
    trigger = from;
  }
  return trigger;
}
