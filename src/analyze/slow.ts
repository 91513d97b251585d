import { fieldText, recordValue } from './lib/field.js';
import { DistinctCount, SpaceSaving, type Counter } from './lib/heavy-hitters.js';
import { Quantiles, SampleBudget } from './lib/quantiles.js';
import { RouteTemplater } from './lib/routes.js';
import type { Analysis, LogRecord } from '../types.js';
import { InexactMerge } from './lib/inexact.js';

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
  /** Groups kept exactly (the heaviest, by a Space-Saving summary); the rest are folded into `(other)`. Default MAX_GROUPS. */
  maxGroups?: number;
  /** Group path-like values by route (`GET /api/users/<id>`); default true. */
  routes?: boolean;
}

/** Groups kept by default before the lightest are folded into `(other)`. */
export const MAX_GROUPS = 10_000;

/** The key value of the group that holds the folded records. */
export const OTHER = '(other)';

/** One slow record: where it is and the id to trace. */
export interface SlowSample {
  source: string;
  id: string | null;
  duration_ms: number;
  time: number | undefined;
  /** The record's own key values, when its group's differ (a templated route, or a group folded into `(other)`). */
  values?: Record<string, string>;
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
  /**
   * Kept since a later record than its first: records before that were counted in `(other)`.
   * Its figures cover its records since then; `missed_at_most` bounds how many it lacks.
   */
  partial: boolean;
  missed_at_most: number;
  /** The group of folded records (every key value is `(other)`). */
  other: boolean;
}

/** What the group budget folded into `(other)`. */
export interface SlowFolded {
  /** Distinct groups folded (estimated from a 16 KB distinct counter: within a few percent). */
  groups: number;
  records: number;
  max_groups: number;
}

/** Result of `slow`. */
export interface SlowResult {
  by: string[];
  groups: SlowGroup[];
  records_with_duration: number;
  violations: number;
  bucket_bounds_ms: number[];
  /** Set when more distinct groups were seen than the budget keeps. */
  folded?: SlowFolded;
}

interface Group {
  key: Record<string, string>;
  q: Quantiles;
  violations: number;
  slowest: SlowSample[];
  histogram: number[];
  /** Records (with a duration or a violation) folded into this group from others. */
  records: number;
}

interface State {
  /** The groups kept, the heaviest by record count. */
  groups: SpaceSaving<Group>;
  /** The records of every group the budget did not keep. */
  other: Group | undefined;
  /** Distinct group keys seen. */
  distinct: DistinctCount;
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

function newGroup(key: Record<string, string>, budget: SampleBudget, forceSketch?: boolean): Group {
  return { key, q: new Quantiles(budget, forceSketch), violations: 0, slowest: [], histogram: new Array(BUCKET_BOUNDS.length).fill(0), records: 0 };
}

/** Keeps the `keep` slowest of both lists (`b`'s samples tagged with their own key when they move to another group). */
function mergeSlowest(a: SlowSample[], b: SlowSample[], keep: number, from?: Record<string, string>): SlowSample[] {
  const moved = from ? b.map((x) => (x.values ? x : { ...x, values: from })) : b;
  return [...a, ...moved].sort((x, y) => y.duration_ms - x.duration_ms).slice(0, keep);
}

/** Adds group `b`'s records to `a`: `absorb` when `b` is charged to `a`'s budget already (same state). */
function fold(a: Group, b: Group, keep: number, sameBudget: boolean, retag: boolean): void {
  if (sameBudget) a.q.absorb(b.q);
  else a.q.merge(b.q);
  a.violations += b.violations;
  a.records += b.records;
  a.slowest = mergeSlowest(a.slowest, b.slowest, keep, retag ? b.key : undefined);
  b.histogram.forEach((n, i) => (a.histogram[i] += n));
}

/** Latency per group: exact percentiles within a memory budget, a sketch beyond, violations, slowest records. */
export function slowAnalysis(o: SlowOptions = {}): Analysis<State, SlowResult> {
  // An empty list means one group over every record (as `check` uses it).
  const by = o.by ?? ['operation'];
  const keep = o.slowest ?? 5;
  const maxGroups = o.maxGroups ?? MAX_GROUPS;
  const routes = o.routes === false ? undefined : new RouteTemplater();
  const otherKey = () => Object.fromEntries(by.map((f) => [f, OTHER]));
  const toOther = (s: State, g: Group, sameBudget: boolean) => {
    s.other ??= newGroup(otherKey(), s.budget, o.forceSketch);
    fold(s.other, g, keep, sameBudget, true);
  };
  return {
    init: () => ({ groups: new SpaceSaving<Group>(maxGroups), other: undefined, distinct: new DistinctCount(), budget: new SampleBudget(o.budget), withDuration: 0, violations: 0 }),
    add(s, r) {
      const violation = isViolation(r, o);
      if (r.durationMs === undefined && !violation) return;
      const key: Record<string, string> = {};
      let own: Record<string, string> | undefined;
      let sig = '';
      for (const f of by) {
        const raw = fieldText(r, f) ?? '(none)';
        const v = routes ? routes.apply(raw) : raw;
        if (v !== raw) (own ??= {})[f] = raw;
        key[f] = v;
        sig += v + '\u0000';
      }
      const c = s.groups.offer(
        sig,
        () => {
          s.distinct.add(sig);
          return newGroup(key, s.budget, o.forceSketch);
        },
        (evicted) => toOther(s, evicted.value, true),
      );
      const g = c.value;
      g.records++;
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
        const sample: SlowSample = { source: r.source, id: r.ids[0] ?? null, duration_ms: d, time: r.time };
        if (own) sample.values = { ...key, ...own };
        g.slowest.push(sample);
        g.slowest.sort((a, b) => b.duration_ms - a.duration_ms);
        if (g.slowest.length > keep) g.slowest.pop();
      }
    },
    merge(a, b) {
      // Past the group budget, which groups are kept depends on the order records arrive in.
      if (a.other || b.other) throw new InexactMerge(`more than ${maxGroups} groups`);
      // Mergeable Space-Saving: a key one side does not monitor may have had up to that side's
      // largest displaced count folded there (if that side may have displaced it), which becomes
      // part of its error.
      const all = new Map<string, Counter<Group>>();
      for (const c of a.groups.counters()) all.set(c.key, c);
      const inB = new Set<string>();
      for (const cb of b.groups.counters()) {
        inB.add(cb.key);
        const ca = all.get(cb.key);
        if (ca) {
          fold(ca.value, cb.value, keep, false, false);
          ca.count += cb.count;
          ca.error += cb.error;
          continue;
        }
        // The group now lives in a's state: its exact samples count against a's budget.
        cb.value.q.rebind(a.budget);
        const missed = a.groups.mayHaveLeft(cb.key) ? a.groups.displacedMax : 0;
        cb.count += missed;
        cb.error += missed;
        all.set(cb.key, cb);
      }
      for (const [k, ca] of all) {
        if (inB.has(k) || a.groups.get(k) === undefined) continue;
        const missed = b.groups.mayHaveLeft(k) ? b.groups.displacedMax : 0;
        ca.count += missed;
        ca.error += missed;
      }
      a.groups.mergeDisplaced(b.groups);
      if (b.other) toOther(a, b.other, false);
      let counters = [...all.values()];
      if (counters.length > maxGroups) {
        counters.sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1));
        for (const c of counters.slice(maxGroups)) {
          toOther(a, c.value, true);
          a.groups.markDisplaced(c);
        }
        counters = counters.slice(0, maxGroups);
      }
      a.groups.reset(counters);
      a.distinct.merge(b.distinct);
      a.budget.reclaim();
      a.withDuration += b.withDuration;
      a.violations += b.violations;
      return a;
    },
    result(s) {
      // In key order: the same whether the state was built by one thread or merged from several.
      const counters = s.groups.counters().sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      let other = s.other;
      const shown: Counter<Group>[] = [];
      const late: Counter<Group>[] = [];
      // Once groups were folded, a kept group no heavier for sure than the heaviest folded one
      // does not stand out from them: it is shown inside (other). The state is left as it is (a
      // running view such as the dashboard asks again), so (other) is a copy then.
      const floor = s.groups.evictions > 0 ? s.groups.displacedMax : -1;
      for (const c of counters) (c.count - c.error <= floor ? late : shown).push(c);
      if (late.length) {
        const view = newGroup(otherKey(), new SampleBudget(s.budget.limit), o.forceSketch);
        if (other) fold(view, other, keep, false, false);
        for (const c of late) fold(view, c.value, keep, false, true);
        other = view;
      }
      const groups = shown.map((c) => groupResult(c.value, c.error, false));
      if (other && other.records > 0) groups.push(groupResult(other, 0, true));
      const folded: SlowFolded | undefined = other && other.records > 0
        ? { groups: Math.min(other.records, Math.max(late.length, s.distinct.estimate() - shown.length)), records: other.records, max_groups: maxGroups }
        : undefined;
      return { by, groups, records_with_duration: s.withDuration, violations: s.violations, bucket_bounds_ms: BUCKET_BOUNDS, ...(folded ? { folded } : {}) };
    },
  };
}

function groupResult(g: Group, error: number, other: boolean): SlowGroup {
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
    partial: error > 0,
    missed_at_most: error,
    other,
  };
}

/** Orders groups for display: by a metric, descending (name ascending). */
export function sortGroups(groups: SlowGroup[], by: string): SlowGroup[] {
  const field = by === 'name' ? undefined : by === 'count' || by === 'violations' ? by : (`${by.replace(/_ms$/, '')}_ms` as keyof SlowGroup);
  const name = (g: SlowGroup) => Object.values(g.key).join(',');
  return [...groups].sort((a, b) => {
    // The folded records come last, whatever their figures.
    if (a.other !== b.other) return a.other ? 1 : -1;
    if (!field) return name(a).localeCompare(name(b));
    const x = (a[field as keyof SlowGroup] as number | null) ?? -1;
    const y = (b[field as keyof SlowGroup] as number | null) ?? -1;
    return y - x || name(a).localeCompare(name(b));
  });
}

/** Restores a slow state received from a worker thread. */
export function unpackSlowState(s: State): State {
  const budget = new SampleBudget(s.budget.limit);
  s.groups = SpaceSaving.unpack(s.groups);
  s.distinct = DistinctCount.unpack(s.distinct);
  for (const c of s.groups.counters()) Quantiles.unpack(c.value.q, budget);
  if (s.other) Quantiles.unpack(s.other.q, budget);
  budget.reclaim();
  s.budget = budget;
  return s;
}
