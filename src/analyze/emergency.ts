import { isBreakerEvent, type ErrorsResult } from './errors.js';
import { recordValue } from './lib/field.js';
import type { SlowResult } from './slow.js';
import type { StatsResult } from './stats.js';
import { LEVEL_RANK, type FileStats, type Level, type LogRecord } from '../types.js';
import type { Category } from '../write/bundle.js';

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

/** The bundle's summary, built from the analyses that ran beside the writer. */
export function emergencySummary(a: {
  files: FileStats[];
  stats: StatsResult;
  errors: ErrorsResult;
  slow: SlowResult;
  counts: Record<Category, number>;
  redacted: number;
  window: { since: number | undefined; until: number | undefined };
  formatTime: (t: number) => string;
}): Record<string, unknown> {
  const t = (x: number | null | undefined) => (x === null || x === undefined ? null : a.formatTime(x));
  return {
    inputs: a.files.map((f) => ({ source: f.source, lines: f.lines, records: f.records, unparsed_lines: f.unparsed_lines, ...(f.error ? { error: f.error } : {}) })),
    summary: {
      records: a.stats.records,
      levels: a.stats.levels,
      time_range: { first: t(a.stats.first_time), last: t(a.stats.last_time) },
      window: { since: t(a.window.since), until: t(a.window.until) },
      collected: a.counts,
      redacted_values: a.redacted,
      top_error_clusters: a.errors.clusters.slice(0, 10).map((c) => ({ id: c.id, template: c.template, count: c.count, services: c.services, first_seen: t(c.first_seen), last_seen: t(c.last_seen) })),
      slowest_operations: [...a.slow.groups]
        .sort((x, y) => (y.p95_ms ?? 0) - (x.p95_ms ?? 0))
        .slice(0, 10)
        .map((g) => ({ operation: g.key.operation, count: g.count, p50_ms: g.p50_ms, p95_ms: g.p95_ms, p99_ms: g.p99_ms, max_ms: g.max_ms, violations: g.violations })),
      circuit_breaker_timeline: a.errors.circuit_breaker_events.map((e) => ({ time: t(e.time), service: e.service, event: e.event, source: e.source })),
    },
  };
}
