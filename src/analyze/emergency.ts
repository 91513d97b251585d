import { isBreakerEvent, type BreakerEvent } from './errors.js';
import { addCapped } from './lib/bounded.js';
import { recordValue } from './lib/field.js';
import { slowAnalysis, type SlowResult } from './slow.js';
import { LEVEL_RANK, type FileStats, type Level, type LogRecord } from '../types.js';
import type { Category } from '../write/bundle.js';
import { whyAnalysis, type WhyState } from './why.js';
import type { Change, WhyResult } from './why-result.js';

/** What goes into the bundle. */
export interface EmergencyOptions {
  /** Lowest level collected as an error (`error`, or `warn` with `--include warn`). */
  minLevel: Level;
  /** Records slower than this (ms) are performance violations, besides the flagged ones. */
  threshold?: number;
}

/** The categories a record belongs to (it may be in several). */
export function categories(r: LogRecord, o: EmergencyOptions): Category[] {
  const out: Category[] = [];
  if (LEVEL_RANK[r.level] >= LEVEL_RANK[o.minLevel]) out.push('errors');
  const flag = recordValue(r, 'performance_violation');
  if (flag === true || flag === 'true' || (o.threshold !== undefined && r.durationMs !== undefined && r.durationMs > o.threshold)) out.push('performance_violations');
  if (isBreakerEvent(r)) out.push('circuit_breaker_events');
  return out;
}

/**
 * Caps of what the summary keeps, whatever the input: the bundle's arrays are on disk, but the
 * summary lives in memory, so high-cardinality input (every message, operation, id distinct)
 * must not make it grow with the input. Beyond a cap, records are counted under `(other)`.
 */
export const EMERGENCY_CAPS = {
  /** Message templates mined (the miner's cluster cap); later new messages go to `<other>`. */
  errorPatterns: 1000,
  /** Pairs of message and cause templates counted. */
  patternPairs: 10_000,
  /** Operations with their own latency group; the rest share `(other)`. */
  operations: 1000,
  /** Circuit-breaker events kept for the timeline. */
  breakerEvents: 1000,
} as const;

interface PairAgg {
  message: number;
  cause: number;
  count: number;
  services: Set<string>;
  first: number;
  last: number;
}

/** The summary's running state: counts, error patterns, latency per operation, breaker timeline, all bounded. */
export interface EmergencyState {
  records: number;
  levels: Record<Level, number>;
  first: number;
  last: number;
  pairs: Map<string, PairAgg>;
  /** Error records whose (message, cause) pair arrived after the pair cap. */
  pairsOther: number;
  operations: Set<string>;
  operationsOther: number;
  slow: ReturnType<ReturnType<typeof slowAnalysis>['init']>;
  breakers: BreakerEvent[];
  breakersDropped: number;
  /** What changed and when (the `why` analysis, errors only, with the summary's pattern cap). */
  why: WhyState;
}

const slow = slowAnalysis();
// Its miner is the summary's: each error record is mined once, for both.
const why = whyAnalysis({ minLevel: 'error', miner: { maxClusters: EMERGENCY_CAPS.errorPatterns }, maxPairs: EMERGENCY_CAPS.patternPairs });
const OTHER = '(other)';

export function emergencyInit(): EmergencyState {
  return {
    records: 0,
    levels: { trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0, unknown: 0 },
    first: Infinity,
    last: -Infinity,
    pairs: new Map(),
    pairsOther: 0,
    operations: new Set(),
    operationsOther: 0,
    slow: slow.init(),
    breakers: [],
    breakersDropped: 0,
    why: why.init(),
  };
}

/** Adds one record to the summary (every record read, not only the collected ones). */
export function emergencyAdd(s: EmergencyState, r: LogRecord): void {
  s.records++;
  s.levels[r.level]++;
  const before = s.why.errors.total;
  why.add(s.why, r);
  // An error record: mined by why's miner, its handles left in `errors.last`.
  const mined = s.why.errors.total > before;
  if (r.time !== undefined) {
    if (r.time < s.first) s.first = r.time;
    if (r.time > s.last) s.last = r.time;
  }
  if (isBreakerEvent(r)) {
    if (s.breakers.length < EMERGENCY_CAPS.breakerEvents) s.breakers.push({ time: r.time, source: r.source, service: r.service ?? r.component, event: r.eventType ?? r.message ?? '' });
    else s.breakersDropped++;
  }
  // Latency per operation: a new operation past the cap joins the `(other)` group.
  const op = r.operation;
  if (op !== undefined && !s.operations.has(op)) {
    if (s.operations.size < EMERGENCY_CAPS.operations) s.operations.add(op);
    else {
      if (r.durationMs !== undefined) s.operationsOther++;
      slow.add(s.slow, { ...r, operation: OTHER });
      if (mined) addError(s, r);
      return;
    }
  }
  slow.add(s.slow, r);
  if (mined) addError(s, r);
}

/** Error patterns as `errors` mines them (the same key, mined once by why's miner), keeping only counts, services and times. */
function addError(s: EmergencyState, r: LogRecord): void {
  const h = s.why.errors.last;
  const key = `${h.message} ${h.cause}`;
  let a = s.pairs.get(key);
  if (!a) {
    if (s.pairs.size >= EMERGENCY_CAPS.patternPairs) {
      s.pairsOther++;
      return;
    }
    a = { message: h.message, cause: h.cause, count: 0, services: new Set(), first: Infinity, last: -Infinity };
    s.pairs.set(key, a);
  }
  a.count++;
  addCapped(a.services, r.service ?? r.component, 10);
  if (r.time !== undefined) {
    if (r.time < a.first) a.first = r.time;
    if (r.time > a.last) a.last = r.time;
  }
}

/** A pattern of the summary. */
export interface EmergencyPattern {
  id: string;
  template: string;
  count: number;
  services: string[];
  first_seen: number | undefined;
  last_seen: number | undefined;
}

/** A cap that was reached, and what was counted past it. */
export interface CapHit {
  what: 'error_patterns' | 'operations' | 'circuit_breaker_events';
  limit: number;
  /** Records counted under `(other)` (`<other>` for patterns), or dropped from the timeline. */
  records: number;
}

/** The finished state: patterns by count, latency groups, breaker timeline and the caps that were hit. */
export function emergencyResult(s: EmergencyState): { records: number; levels: Record<Level, number>; first: number | null; last: number | null; patterns: EmergencyPattern[]; slow: SlowResult; breakers: BreakerEvent[]; caps: CapHit[]; why: WhyResult } {
  const finals = new Map<string, EmergencyPattern & { services: string[] }>();
  for (const a of s.pairs.values()) {
    const p = s.why.errors.miner.resolve({ message: a.message, cause: a.cause });
    let f = finals.get(p.id);
    if (!f) finals.set(p.id, (f = { id: p.id, template: p.template, count: 0, services: [], first_seen: undefined, last_seen: undefined }));
    f.count += a.count;
    for (const sv of a.services) if (f.services.length < 10 && !f.services.includes(sv)) f.services.push(sv);
    if (Number.isFinite(a.first)) f.first_seen = Math.min(f.first_seen ?? Infinity, a.first);
    if (Number.isFinite(a.last)) f.last_seen = Math.max(f.last_seen ?? -Infinity, a.last);
  }
  const patterns = [...finals.values()].sort((a, b) => b.count - a.count || (a.first_seen ?? 0) - (b.first_seen ?? 0) || a.id.localeCompare(b.id));
  const caps: CapHit[] = [];
  const patternOverflow = s.why.errors.miner.overflow + s.pairsOther;
  if (patternOverflow > 0) caps.push({ what: 'error_patterns', limit: EMERGENCY_CAPS.errorPatterns, records: patternOverflow });
  if (s.operationsOther > 0) caps.push({ what: 'operations', limit: EMERGENCY_CAPS.operations, records: s.operationsOther });
  if (s.breakersDropped > 0) caps.push({ what: 'circuit_breaker_events', limit: EMERGENCY_CAPS.breakerEvents, records: s.breakersDropped });
  return {
    records: s.records,
    levels: { ...s.levels },
    first: Number.isFinite(s.first) ? s.first : null,
    last: Number.isFinite(s.last) ? s.last : null,
    patterns,
    slow: slow.result(s.slow),
    breakers: [...s.breakers].sort((a, b) => (a.time ?? 0) - (b.time ?? 0)),
    caps,
    why: why.result(s.why),
  };
}

/** The bundle's summary, built from the state that ran beside the writer. */
export function emergencySummary(a: {
  files: FileStats[];
  result: ReturnType<typeof emergencyResult>;
  counts: Record<Category, number>;
  redacted: number;
  redactions: Record<string, number>;
  window: { since: number | undefined; until: number | undefined };
  formatTime: (t: number) => string;
  /** Applied to every text of the summary taken from log content (templates, services, operations, events). */
  clean?: (s: string) => string;
}): Record<string, unknown> {
  const t = (x: number | null | undefined) => (x === null || x === undefined ? null : a.formatTime(x));
  const c = a.clean ?? ((s: string) => s);
  const cu = (s: string | undefined) => (s === undefined ? undefined : c(s));
  const r = a.result;
  return {
    inputs: a.files.map((f) => ({ source: f.source, lines: f.lines, records: f.records, unparsed_lines: f.unparsed_lines, ...(f.error ? { error: f.error } : {}) })),
    summary: {
      records: r.records,
      levels: r.levels,
      time_range: { first: t(r.first), last: t(r.last) },
      window: { since: t(a.window.since), until: t(a.window.until) },
      collected: a.counts,
      redacted_values: a.redacted,
      redactions: Object.fromEntries(Object.entries(a.redactions).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))),
      top_error_clusters: r.patterns.slice(0, 10).map((x) => ({ id: x.id, template: c(x.template), count: x.count, services: x.services.map(c), first_seen: t(x.first_seen), last_seen: t(x.last_seen) })),
      slowest_operations: [...r.slow.groups]
        .sort((x, y) => (y.p95_ms ?? 0) - (x.p95_ms ?? 0))
        .slice(0, 10)
        .map((g) => ({ operation: c(g.key.operation), count: g.count, p50_ms: g.p50_ms, p95_ms: g.p95_ms, p99_ms: g.p99_ms, max_ms: g.max_ms, violations: g.violations })),
      why: whySummary(r.why, t, c),
      circuit_breaker_timeline: r.breakers.map((e) => ({ time: t(e.time), service: cu(e.service), event: c(e.event), source: e.source })),
      caps: r.caps,
    },
  };
}

/** The `why` verdict in the summary: the window, the trigger and the first changes, in short. */
function whySummary(w: WhyResult, t: (x: number | null | undefined) => string | null, c: (s: string) => string): Record<string, unknown> {
  const change = (x: Change) => ({
    kind: x.kind,
    onset: t(x.onset),
    ...(x.pattern_id ? { pattern_id: x.pattern_id, template: c(x.template ?? '') } : {}),
    ...(x.operation ? { operation: c(x.operation) } : {}),
    ...(x.service ? { service: c(x.service) } : {}),
    ...(x.field ? { field: c(x.field), value: c(x.value ?? '') } : {}),
    evidence: c(x.evidence),
  });
  return {
    verdict: w.verdict,
    reason: c(w.reason),
    window: w.window ? { start: t(w.window.start), end: t(w.window.end), detected_by: w.window.detected_by.map(c) } : null,
    trigger: w.trigger ? change(w.trigger) : null,
    changes: w.changes.slice(0, 10).map(change),
    markers: w.markers.map((m) => ({ time: t(m.time), service: m.service === undefined ? null : c(m.service), message: c(m.message) })),
    links: w.links.slice(0, 10).map((l) => ({ from: l.from, to: l.to, shared_requests: l.shared_requests, share: l.share, median_delay_ms: l.median_delay_ms })),
  };
}
