import { buildSeries } from './lib/series.js';
import type { Analysis, Level, LogRecord } from '../types.js';
import { InexactMerge } from './lib/inexact.js';

/** Distinct values kept per breakdown; the rest are summed under `(other)` so memory stays bounded. */
const MAX_KEYS = 1000;

/** Volume and health of the logs. */
export interface StatsResult {
  records: number;
  levels: Record<Level, number>;
  without_id: number;
  without_time: number;
  by_service: Record<string, number>;
  /** Records with no service (the `(none)` row: with `by_service` they add up to `records`). */
  without_service: number;
  by_component: Record<string, number>;
  /** Records with no component or logger. */
  without_component: number;
  by_event_type: Record<string, number>;
  fields: Record<string, number>;
  /** Records and errors per bucket (start epoch ms), every bucket from the first record's to the last's. */
  per_minute: { minute: number; count: number; errors: number }[];
  /** Width of a `per_minute` bucket: one minute unless the span needs more than MAX_SERIES of them. */
  bucket_ms: number;
  first_time: number | null;
  last_time: number | null;
}

interface State {
  records: number;
  levels: Record<Level, number>;
  withoutId: number;
  withoutTime: number;
  service: Map<string, number>;
  component: Map<string, number>;
  eventType: Map<string, number>;
  fields: Map<string, number>;
  /** Records per key list (shape), folded into `fields` in order of first appearance. */
  shapes: Map<readonly string[], number>;
  minutes: Map<number, [number, number]>;
  first: number;
  last: number;
}

const OTHER = '(other)';

function bump(m: Map<string, number>, k: string | undefined, n = 1): void {
  if (k === undefined) return;
  const cur = m.get(k);
  if (cur !== undefined) m.set(k, cur + n);
  else if (m.size < MAX_KEYS) m.set(k, n);
  else m.set(OTHER, (m.get(OTHER) ?? 0) + n);
}

/** Buckets in the per-minute series at most (a week of minutes); longer spans get wider buckets. */
export const MAX_SERIES = 7 * 1440;

/** Shapes counted at most before they are folded into the key counts. */
const MAX_SHAPES = 4096;

/** Adds the shapes' keys to the key counts, shape by shape in the order they first appeared. */
function fold(s: State): void {
  for (const [keys, n] of s.shapes) for (const k of keys) bump(s.fields, k, n);
  s.shapes.clear();
}

/** Records a breakdown counts (every value, `(other)` included). */
function total(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** Counts per level, service, component, event type and minute; records without id or time; fields seen. */
export const statsAnalysis: Analysis<State, StatsResult> = {
  init: () => ({
    records: 0,
    levels: { trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0, unknown: 0 },
    withoutId: 0,
    withoutTime: 0,
    service: new Map(),
    component: new Map(),
    eventType: new Map(),
    fields: new Map(),
    shapes: new Map(),
    minutes: new Map(),
    first: Infinity,
    last: -Infinity,
  }),
  add(s, r: LogRecord) {
    s.records++;
    s.levels[r.level]++;
    if (r.ids.length === 0) s.withoutId++;
    bump(s.service, r.service);
    bump(s.component, r.component);
    bump(s.eventType, r.eventType);
    // Counted per shape (one map update, not one per key); records of one logger share their keys.
    const keys = r.keys ?? Object.keys(r.raw);
    const seen = s.shapes.get(keys);
    s.shapes.set(keys, (seen ?? 0) + 1);
    if (seen === undefined && s.shapes.size > MAX_SHAPES) fold(s);
    if (r.time === undefined) {
      s.withoutTime++;
      return;
    }
    if (r.time < s.first) s.first = r.time;
    if (r.time > s.last) s.last = r.time;
    const minute = Math.floor(r.time / 60_000) * 60_000;
    const m = s.minutes.get(minute);
    const err = r.level === 'error' || r.level === 'fatal' ? 1 : 0;
    if (m) {
      m[0]++;
      m[1] += err;
    } else s.minutes.set(minute, [1, err]);
  },
  merge(a, b) {
    // A later part whose breakdown outgrew MAX_KEYS counted some keys the whole input keeps
    // under `(other)`: the parts cannot give one thread's answer, and the caller reads on one.
    fold(b);
    if ([b.service, b.component, b.eventType, b.fields].some((m) => m.has(OTHER))) throw new InexactMerge(`a breakdown has more than ${MAX_KEYS} distinct values`);
    a.records += b.records;
    for (const k of Object.keys(a.levels) as Level[]) a.levels[k] += b.levels[k];
    a.withoutId += b.withoutId;
    a.withoutTime += b.withoutTime;
    for (const [k, v] of b.service) bump(a.service, k, v);
    for (const [k, v] of b.component) bump(a.component, k, v);
    for (const [k, v] of b.eventType) bump(a.eventType, k, v);
    fold(a);
    fold(b);
    for (const [k, v] of b.fields) bump(a.fields, k, v);
    for (const [k, v] of b.minutes) {
      const m = a.minutes.get(k);
      if (m) {
        m[0] += v[0];
        m[1] += v[1];
      } else a.minutes.set(k, [...v]);
    }
    a.first = Math.min(a.first, b.first);
    a.last = Math.max(a.last, b.last);
    return a;
  },
  result: (s) => {
    fold(s);
    const series = buildSeries([...s.minutes].map(([m, [n, e]]) => [m, n, e] as const), s.first, s.last, MAX_SERIES);
    return {
      records: s.records,
      levels: { ...s.levels },
      without_id: s.withoutId,
      without_time: s.withoutTime,
      by_service: sorted(s.service),
      without_service: s.records - total(s.service),
      by_component: sorted(s.component),
      without_component: s.records - total(s.component),
      by_event_type: sorted(s.eventType),
      fields: sorted(s.fields),
      per_minute: series.buckets.map((b) => ({ minute: b.start, count: b.count, errors: b.errors })),
      bucket_ms: series.bucket_ms,
      first_time: s.first === Infinity ? null : s.first,
      last_time: s.last === -Infinity ? null : s.last,
    };
  },
};

/** Counts computed elsewhere (a database's aggregates over the same records), in the analysis' terms. */
export interface StatsCounts {
  records: number;
  levels: Record<Level, number>;
  withoutId: number;
  withoutTime: number;
  service: [string, number][];
  component: [string, number][];
  eventType: [string, number][];
  fields: [string, number][];
  /** [bucket start (epoch ms, a whole minute), records, error and fatal records]. */
  minutes: [number, number, number][];
  first: number | undefined;
  last: number | undefined;
}

/**
 * The state those counts stand for, so that `statsAnalysis.result` gives the answer it gives on the
 * records themselves. Only for breakdowns within MAX_KEYS values (beyond, which values are kept
 * depends on the records' order): `undefined` otherwise, and the caller reads the records.
 */
export function statsStateOf(c: StatsCounts): State | undefined {
  if ([c.service, c.component, c.eventType, c.fields].some((l) => l.length > MAX_KEYS)) return undefined;
  return {
    records: c.records,
    levels: { ...c.levels },
    withoutId: c.withoutId,
    withoutTime: c.withoutTime,
    service: new Map(c.service),
    component: new Map(c.component),
    eventType: new Map(c.eventType),
    fields: new Map(c.fields),
    shapes: new Map(),
    minutes: new Map(c.minutes.map(([m, n, e]) => [m, [n, e]])),
    first: c.first ?? Infinity,
    last: c.last ?? -Infinity,
  };
}
