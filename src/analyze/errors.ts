import { addCapped, bumpMap, topKey } from './lib/bounded.js';
import { cascadeRoot, findCascades, type Cascade } from './lib/cascade.js';
import { createMiner, templateId, type MinerOptions } from './lib/miner.js';
import { recordValue } from './lib/field.js';
import { LEVEL_RANK, type Analysis, type Level, type LogRecord } from '../types.js';

/** Options of the error clustering. */
export interface ErrorsOptions {
  /** Records at this level and above are clustered (default `error`). */
  minLevel?: Level;
  miner?: MinerOptions;
  samples?: number;
  ids?: number;
  /** Clusters whose first occurrences lie this close are linked as a possible cascade (ms). */
  cascadeWindowMs?: number;
  /** Templates and ids of an earlier run, to mark clusters as new. */
  baseline?: Baseline;
}

/** The clusters of an earlier `errors --json` run. */
export interface Baseline {
  entries: { id: string; template: string }[];
}

/** One pattern of errors. */
export interface ErrorCluster {
  id: string;
  template: string;
  count: number;
  level: Level;
  error_types: string[];
  services: string[];
  first_seen: number | undefined;
  last_seen: number | undefined;
  /** Counts per minute bucket, aligned with `ErrorsResult.minutes`. */
  per_minute: number[];
  samples: { source: string; message: string }[];
  ids: string[];
  /** Only with a baseline: whether the pattern is absent from it. */
  new?: boolean;
}

/** A circuit-breaker event on the error timeline. */
export interface BreakerEvent {
  time: number | undefined;
  source: string;
  service: string | undefined;
  event: string;
}

/** Result of `errors`. */
export interface ErrorsResult {
  total: number;
  clusters: ErrorCluster[];
  /** Start of each per-minute bucket (epoch ms) and the bucket width. */
  minutes: number[];
  bucket_ms: number;
  cascades: Cascade[];
  /** The pattern the cascade started from, if there is one. */
  started_first: string | undefined;
  circuit_breaker_events: BreakerEvent[];
  cascade_prevented: number;
  /** Messages beyond the cluster cap that joined the overflow pattern. */
  overflow: number;
  /** Only with a baseline: baseline patterns not seen in this run. */
  gone?: { id: string; template: string }[];
}

interface Agg {
  count: number;
  levels: Map<Level, number>;
  errorTypes: Set<string>;
  services: Set<string>;
  first: number;
  last: number;
  minutes: Map<number, number>;
  samples: { source: string; message: string }[];
  ids: Set<string>;
  /** When the pattern first hit each request (bounded), for cascade detection. */
  requests: Map<string, number>;
}

interface State {
  miner: ReturnType<typeof createMiner>;
  byHandle: Map<number, Agg>;
  total: number;
  breakers: BreakerEvent[];
  cascadePrevented: number;
  /** Miner handle of the last record clustered (`--annotate` keeps it per record; resolve it with `miner.resolve`). */
  last: number;
}

const BREAKER = /circuit[ _-]?breaker/i;
const MAX_BREAKER_EVENTS = 1000;
const MAX_REQUESTS = 2000;
const MAX_BUCKETS = 60;

/** The text a record is clustered by: its message, else its error message or type. */
export function clusterText(r: LogRecord): string {
  return r.message ?? r.errorMessage ?? r.errorType ?? r.eventType ?? '(no message)';
}

/** Whether a record is a circuit-breaker event. */
export function isBreakerEvent(r: LogRecord): boolean {
  return (r.eventType !== undefined && r.eventType.toLowerCase().includes('circuit_breaker')) || BREAKER.test(r.message ?? '');
}

/** Clusters error records into templates, with cascades and circuit-breaker events. */
export function errorsAnalysis(opts: ErrorsOptions = {}): Analysis<State, ErrorsResult> {
  const min = LEVEL_RANK[opts.minLevel ?? 'error'];
  const nSamples = opts.samples ?? 3;
  const nIds = opts.ids ?? 5;
  return {
    init: () => ({ miner: createMiner(opts.miner), byHandle: new Map(), total: 0, breakers: [], cascadePrevented: 0, last: -1 }),
    add(s, r) {
      if (isBreakerEvent(r) && s.breakers.length < MAX_BREAKER_EVENTS) {
        s.breakers.push({ time: r.time, source: r.source, service: r.service ?? r.component, event: r.eventType ?? r.message ?? '' });
      }
      if (recordValue(r, 'cascade_prevented') === true) s.cascadePrevented++;
      if (LEVEL_RANK[r.level] < min) return;
      s.total++;
      const text = clusterText(r);
      const { cluster } = s.miner.add(text);
      s.last = cluster;
      let a = s.byHandle.get(cluster);
      if (!a) {
        a = { count: 0, levels: new Map(), errorTypes: new Set(), services: new Set(), first: Infinity, last: -Infinity, minutes: new Map(), samples: [], ids: new Set(), requests: new Map() };
        s.byHandle.set(cluster, a);
      }
      a.count++;
      bumpMap(a.levels, r.level);
      addCapped(a.errorTypes, r.errorType, 10);
      addCapped(a.services, r.service ?? r.component, 10);
      if (r.time !== undefined) {
        if (r.time < a.first) a.first = r.time;
        if (r.time > a.last) a.last = r.time;
        bumpMap(a.minutes, Math.floor(r.time / 60_000) * 60_000);
      }
      if (a.samples.length < nSamples) a.samples.push({ source: r.source, message: text });
      for (const id of r.ids) {
        addCapped(a.ids, id, nIds);
        if (!a.requests.has(id) && a.requests.size < MAX_REQUESTS) a.requests.set(id, r.time ?? r.seq);
      }
    },
    result(s) {
      return buildResult(s, opts);
    },
  };
}

function mergeAgg(into: Agg, b: Agg): void {
  into.count += b.count;
  for (const [k, v] of b.levels) bumpMap(into.levels, k, v);
  for (const t of b.errorTypes) addCapped(into.errorTypes, t, 10);
  for (const t of b.services) addCapped(into.services, t, 10);
  into.first = Math.min(into.first, b.first);
  into.last = Math.max(into.last, b.last);
  for (const [k, v] of b.minutes) bumpMap(into.minutes, k, v);
  for (const x of b.samples) if (into.samples.length < 3) into.samples.push(x);
  for (const x of b.ids) addCapped(into.ids, x, 5);
  for (const [id, t] of b.requests) {
    const cur = into.requests.get(id);
    if (cur === undefined ? into.requests.size < MAX_REQUESTS : t < cur) into.requests.set(id, t);
  }
}

function buildResult(s: State, opts: ErrorsOptions): ErrorsResult {
  // Several internal clusters may resolve to one final template after the miner's merge pass.
  const finals = new Map<string, { template: string; agg: Agg }>();
  for (const [handle, agg] of s.byHandle) {
    const c = s.miner.resolve(handle);
    const copy: Agg = { ...agg, levels: new Map(agg.levels), errorTypes: new Set(agg.errorTypes), services: new Set(agg.services), minutes: new Map(agg.minutes), samples: [...agg.samples], ids: new Set(agg.ids), requests: new Map(agg.requests) };
    const f = finals.get(c.id);
    if (f) mergeAgg(f.agg, copy);
    else finals.set(c.id, { template: c.template, agg: copy });
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const { agg } of finals.values()) {
    lo = Math.min(lo, agg.first);
    hi = Math.max(hi, agg.last);
  }
  const span = hi >= lo ? hi - lo : 0;
  const bucket = Math.max(60_000, Math.ceil(span / MAX_BUCKETS / 60_000) * 60_000);
  const start = Number.isFinite(lo) ? Math.floor(lo / 60_000) * 60_000 : 0;
  const nBuckets = Number.isFinite(lo) ? Math.floor((hi - start) / bucket) + 1 : 0;
  const minutes = Array.from({ length: nBuckets }, (_, i) => start + i * bucket);
  const baseIds = opts.baseline && new Set(opts.baseline.entries.map((e) => e.id));
  const baseTemplates = opts.baseline && new Set(opts.baseline.entries.map((e) => e.template));
  const clusters: (ErrorCluster & { requests: Map<string, number> })[] = [];
  for (const [id, { template, agg }] of finals) {
    const per = new Array<number>(nBuckets).fill(0);
    for (const [m, n] of agg.minutes) per[Math.floor((m - start) / bucket)] += n;
    const c: ErrorCluster & { requests: Map<string, number> } = {
      id,
      template,
      count: agg.count,
      level: topKey(agg.levels) ?? 'error',
      error_types: [...agg.errorTypes],
      services: [...agg.services],
      first_seen: Number.isFinite(agg.first) ? agg.first : undefined,
      last_seen: Number.isFinite(agg.last) ? agg.last : undefined,
      per_minute: per,
      samples: agg.samples,
      ids: [...agg.ids],
      requests: agg.requests,
    };
    if (baseIds) c.new = !(baseIds.has(id) || baseTemplates!.has(template));
    clusters.push(c);
  }
  clusters.sort((a, b) => b.count - a.count || (a.first_seen ?? 0) - (b.first_seen ?? 0) || a.id.localeCompare(b.id));
  const cascades = findCascades(clusters, opts.cascadeWindowMs ?? 60_000);
  const result: ErrorsResult = {
    total: s.total,
    clusters: clusters.map(({ requests: _r, ...c }) => c),
    minutes,
    bucket_ms: bucket,
    cascades,
    started_first: cascadeRoot(cascades),
    circuit_breaker_events: [...s.breakers].sort((a, b) => (a.time ?? 0) - (b.time ?? 0)),
    cascade_prevented: s.cascadePrevented,
    overflow: s.miner.overflow,
  };
  if (opts.baseline) {
    const here = new Set(clusters.map((c) => c.id));
    const hereT = new Set(clusters.map((c) => c.template));
    result.gone = opts.baseline.entries.filter((e) => !here.has(e.id) && !hereT.has(e.template));
  }
  return result;
}

export { templateId };
