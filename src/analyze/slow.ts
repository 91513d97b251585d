import { fieldText, recordValue } from './lib/field.js';
import { Quantiles, SampleBudget } from './lib/quantiles.js';
import type { Analysis, LogRecord } from '../types.js';

/** Latency limits from the config, in ms: per layer/component and per operation. */
export interface Thresholds {
  layer?: Record<string, number>;
  operation?: Record<string, number>;
}

/** Options of the latency analysis. */
export interface SlowOptions {
  by?: string[];
  /** Records slower than this (ms) are violations. */
  threshold?: number;
  thresholds?: Thresholds;
  slowest?: number;
  budget?: number;
  forceSketch?: boolean;
  /** Histogram buckets per group (log-spaced), for charts. */
  buckets?: number;
}

/** One slow record: where it is and the id to trace. */
export interface SlowSample {
  source: string;
  id: string | null;
  duration_ms: number;
  time: number | undefined;
}

/** Latency of one group. */
export interface SlowGroup {
  key: Record<string, string>;
  count: number;
  mean_ms: number | null;
  p50_ms: number | null;
  p90_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  min_ms: number | null;
  violations: number;
  /** Every sample kept: the percentiles are the exact interpolated values. */
  exact: boolean;
  /** Bound on |reported − exact| / exact for each percentile: 0 when exact, the sketch's accuracy otherwise. */
  relative_error: number;
  slowest: SlowSample[];
  /** Counts per log-spaced latency bucket; bounds in `SlowResult.bucket_bounds_ms`. */
  histogram: number[];
}

/** Result of `slow`. */
export interface SlowResult {
  by: string[];
  groups: SlowGroup[];
  records_with_duration: number;
  violations: number;
  bucket_bounds_ms: number[];
}

interface Group {
  key: Record<string, string>;
  q: Quantiles;
  violations: number;
  slowest: SlowSample[];
  histogram: number[];
}

interface State {
  groups: Map<string, Group>;
  budget: SampleBudget;
  withDuration: number;
  violations: number;
}

/** Log-spaced bucket bounds from 1 ms to ~17 min: enough resolution for a sparkline per group. */
export const BUCKET_BOUNDS = Array.from({ length: 21 }, (_, i) => 2 ** i);

function bucketOf(ms: number): number {
  let i = 0;
  while (i < BUCKET_BOUNDS.length - 1 && ms > BUCKET_BOUNDS[i]) i++;
  return i;
}

/** Whether a record is a performance violation: flagged, or over a global or configured limit. */
function isViolation(r: LogRecord, o: SlowOptions): boolean {
  const flag = recordValue(r, 'performance_violation');
  if (flag === true || flag === 'true') return true;
  const d = r.durationMs;
  if (d === undefined) return false;
  if (o.threshold !== undefined && d > o.threshold) return true;
  const layer = fieldText(r, 'layer') ?? r.component;
  const byLayer = layer !== undefined ? o.thresholds?.layer?.[layer] : undefined;
  if (byLayer !== undefined && d > byLayer) return true;
  const byOp = r.operation !== undefined ? o.thresholds?.operation?.[r.operation] : undefined;
  return byOp !== undefined && d > byOp;
}

/** Latency per group: exact percentiles within a memory budget, a sketch beyond, violations, slowest records. */
export function slowAnalysis(o: SlowOptions = {}): Analysis<State, SlowResult> {
  // An empty list means one group over every record (as `check` uses it).
  const by = o.by ?? ['operation'];
  const keep = o.slowest ?? 5;
  return {
    init: () => ({ groups: new Map(), budget: new SampleBudget(o.budget), withDuration: 0, violations: 0 }),
    add(s, r) {
      const violation = isViolation(r, o);
      if (r.durationMs === undefined && !violation) return;
      const key: Record<string, string> = {};
      let sig = '';
      for (const f of by) {
        const v = fieldText(r, f) ?? '(none)';
        key[f] = v;
        sig += v + '\u0000';
      }
      let g = s.groups.get(sig);
      if (!g) {
        g = { key, q: new Quantiles(s.budget, o.forceSketch), violations: 0, slowest: [], histogram: new Array(BUCKET_BOUNDS.length).fill(0) };
        s.groups.set(sig, g);
      }
      if (violation) {
        g.violations++;
        s.violations++;
      }
      const d = r.durationMs;
      if (d === undefined) return;
      s.withDuration++;
      g.q.add(d);
      g.histogram[bucketOf(d)]++;
      if (g.slowest.length < keep || d > g.slowest[g.slowest.length - 1].duration_ms) {
        g.slowest.push({ source: r.source, id: r.ids[0] ?? null, duration_ms: d, time: r.time });
        g.slowest.sort((a, b) => b.duration_ms - a.duration_ms);
        if (g.slowest.length > keep) g.slowest.pop();
      }
    },
    merge(a, b) {
      for (const [sig, gb] of b.groups) {
        const ga = a.groups.get(sig);
        if (!ga) {
          // The group now lives in a's state: its exact samples count against a's budget.
          gb.q.rebind(a.budget);
          a.groups.set(sig, gb);
          continue;
        }
        ga.q.merge(gb.q);
        ga.violations += gb.violations;
        ga.slowest = [...ga.slowest, ...gb.slowest].sort((x, y) => y.duration_ms - x.duration_ms).slice(0, keep);
        gb.histogram.forEach((n, i) => (ga.histogram[i] += n));
      }
      a.budget.reclaim();
      a.withDuration += b.withDuration;
      a.violations += b.violations;
      return a;
    },
    result(s) {
      const groups = [...s.groups.values()].map((g): SlowGroup => {
        const q = g.q;
        const has = q.count > 0;
        return {
          key: g.key,
          count: q.count,
          mean_ms: q.mean(),
          p50_ms: q.quantile(0.5),
          p90_ms: q.quantile(0.9),
          p95_ms: q.quantile(0.95),
          p99_ms: q.quantile(0.99),
          max_ms: has ? q.max : null,
          min_ms: has ? q.min : null,
          violations: g.violations,
          exact: q.exact,
          relative_error: q.relativeError,
          slowest: [...g.slowest],
          histogram: [...g.histogram],
        };
      });
      return { by, groups, records_with_duration: s.withDuration, violations: s.violations, bucket_bounds_ms: BUCKET_BOUNDS };
    },
  };
}

/** Orders groups for display: by a metric, descending (name ascending). */
export function sortGroups(groups: SlowGroup[], by: string): SlowGroup[] {
  const field = by === 'name' ? undefined : by === 'count' || by === 'violations' ? by : (`${by.replace(/_ms$/, '')}_ms` as keyof SlowGroup);
  const name = (g: SlowGroup) => Object.values(g.key).join(',');
  return [...groups].sort((a, b) => {
    if (!field) return name(a).localeCompare(name(b));
    const x = (a[field as keyof SlowGroup] as number | null) ?? -1;
    const y = (b[field as keyof SlowGroup] as number | null) ?? -1;
    return y - x || name(a).localeCompare(name(b));
  });
}

/** Restores a slow state received from a worker thread. */
export function unpackSlowState(s: State): State {
  const budget = new SampleBudget(s.budget.limit);
  for (const g of s.groups.values()) Quantiles.unpack(g.q, budget);
  budget.reclaim();
  s.budget = budget;
  return s;
}
