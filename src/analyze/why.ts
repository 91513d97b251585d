/**
 * `why`: what changed, when it started and what triggered it. One streaming pass keeps bounded
 * per-time-cell series — warn-and-above records, each pattern of them, the durations of each
 * operation, the values of low-cardinality fields among them — and the requests each pattern
 * hit. The result (`why-result.ts`) finds the incident window by change points, compares it
 * with the period before and orders the changes by onset.
 */
import { errorsAnalysis, type ErrorsState } from './errors.js';
import { recordValue } from './lib/field.js';
import { RouteTemplater } from './lib/routes.js';
import { RequestSample } from './lib/request-sample.js';
import { COUNT_CELL, countAt, LATENCY_CELL, latencyAt, Series, Timeline, type CountCell, type LatencyCell } from './lib/timeline.js';
import type { MinerOptions } from './lib/miner.js';
import type { PatternHandles } from './lib/pattern-miner.js';
import { whyResult, type WhyResult } from './why-result.js';
import { LEVEL_RANK, type Analysis, type Level, type LogRecord } from '../types.js';
import { ALIASES, OPERATION_FALLBACK } from '../normalize/aliases.js';

/** A time range in epoch ms; `end` undefined: to the end of the logs. */
export interface TimeRange {
  start: number;
  end?: number;
}

/** What an earlier `errors --json` or `why --json` run knew: patterns, their counts, its span. */
export interface BaselineCounts {
  entries: { id: string; template: string; count: number }[];
  spanMs: number;
  source: string;
  /** The lowest level the earlier run mined: patterns below it are not judged against it. */
  minLevel: Level;
}

export interface WhyOptions {
  /** Records at this level and above are mined into patterns (default `warn`). */
  minLevel?: Level;
  miner?: MinerOptions;
  /** The incident window, instead of finding it. */
  window?: TimeRange;
  /** The period to compare with, instead of everything before the window. */
  baseline?: TimeRange;
  /** Counts of an earlier run to compare with, instead of the period before. */
  baselineCounts?: BaselineCounts;
  /** Pairs of message and cause clusters kept (the emergency summary's cap); default unbounded. */
  maxPairs?: number;
}

/** Operations whose durations are followed; later ones are counted as left out. */
export const MAX_OPERATIONS = 100;
/** Patterns followed over time (the miner's own caps bound the rest). */
export const MAX_TRACKED_PATTERNS = 1000;
/** Fields considered for over-representation, and distinct values a field may have to be one. */
export const MAX_FIELDS = 40;
export const MAX_FIELD_VALUES = 20;
/** Deploy and restart records kept. */
export const MAX_MARKERS = 2000;

/** Event types and messages that announce a change to the system (as Grafana annotations mark deploys). */
const MARKER_EVENT = /deploy|release|rollout|rollback|config[_ .-]?(?:re)?load|restart|startup|feature[_ .-]?flag/i;
const MARKER_MESSAGE = /\b(?:deploy(?:ed|ing|ment)|released? (?:version|v\d)|rolling (?:out|back)|rolled (?:out|back)|rollback|config(?:uration)? (?:re)?loaded|reloading config|restart(?:ed|ing)|feature flag)/i;

export interface PatternTrack {
  handles: PatternHandles;
  series: Series<CountCell>;
  requests: RequestSample;
}

export interface OperationTrack {
  service: string | undefined;
  operation: string;
  series: Series<LatencyCell>;
}

export interface FieldTrack {
  /** Undefined once the field showed more than MAX_FIELD_VALUES values (not low-cardinality). */
  values: Map<string, Series<CountCell>> | undefined;
}

/** A record that announces a change to the system itself: a deploy, a rollback, a config reload, a restart. */
export interface Marker {
  time: number;
  service: string | undefined;
  message: string;
}

export interface WhyState {
  timeline: Timeline;
  errors: ErrorsState;
  /** Warn-and-above records (or `minLevel`), and all timed records, per cell. */
  problems: Series<CountCell>;
  /** Error-and-above records alone (rarer than warnings, so a few new errors stand out). */
  errorsOnly: Series<CountCell>;
  all: Series<CountCell>;
  patterns: Map<string, PatternTrack>;
  operations: Map<string, OperationTrack>;
  operationsLeftOut: number;
  fields: Map<string, FieldTrack>;
  records: number;
  untimed: number;
  routes: RouteTemplater;
  /** Deploys, rollbacks, config reloads and restarts seen (the first MAX_MARKERS), and how many more. */
  markers: Marker[];
  markersLeftOut: number;
}

/** Raw keys that name a record's time, level, message, service, ids or duration (OpenTelemetry's names too): never "fields" to compare. */
const NOT_A_FIELD = /^(?:@?t|ts|@?timestamp|time|date|datetime|@?l|level|lvl|severity|levelname|msg|@?m|@?mt|message|text|log|id|_id|.*(?:_id|Id|ID)|trace|span|traceid|spanid|correlation|request|duration.*|elapsed.*|latency.*|took.*|.*_ms|.*_seconds|.*_ns|line|lineno|pid|tid|thread|seq|offset|caller|stack.*|traceback|exception|error_message|err_msg|severitytext|severitynumber|servicename|body|traceflags)$/i;
/**
 * Raw keys the alias table reads into a normalized field counted above (`service.name`,
 * `err.type`, `event.action`, an operation's method and path): the same value under a second name
 * is no second field. Flattened attributes (an OpenTelemetry table) and nested objects (a JSON
 * line, whose objects are not counted) then give the same fields.
 */
const NORMALIZED_KEYS = new Set(
  [...(['service', 'operation', 'component', 'errorType', 'eventType'] as const).flatMap((f) => ALIASES[f].map((a) => a.key)), ...OPERATION_FALLBACK.flatMap(([m, ps]) => [m, ...ps])].map((k) => k.toLowerCase()),
);
const NORMALIZED_FIELDS: [string, (r: LogRecord) => string | undefined][] = [
  ['service', (r) => r.service],
  ['operation', (r) => r.operation],
  ['component', (r) => r.component],
  ['error_type', (r) => r.errorType],
  ['event_type', (r) => r.eventType],
];

/** The `why` analysis: its state is bounded; `result` may be called at any time. */
export function whyAnalysis(opts: WhyOptions = {}): Analysis<WhyState, WhyResult> {
  const minLevel = opts.minLevel ?? 'warn';
  const min = LEVEL_RANK[minLevel];
  // The patterns' requests are sampled here, per tracked pattern; errors' own sample is not needed.
  const errors = errorsAnalysis({ minLevel, miner: opts.miner, samples: 3, ids: 5, links: false, maxPairs: opts.maxPairs });
  return {
    init() {
      const timeline = new Timeline();
      return {
        timeline,
        errors: errors.init(),
        problems: new Series(timeline, COUNT_CELL),
        errorsOnly: new Series(timeline, COUNT_CELL),
        all: new Series(timeline, COUNT_CELL),
        patterns: new Map(),
        operations: new Map(),
        operationsLeftOut: 0,
        fields: new Map(),
        records: 0,
        untimed: 0,
        routes: new RouteTemplater(),
        markers: [],
        markersLeftOut: 0,
      };
    },
    add(s, r) {
      s.records++;
      const before = s.errors.total;
      errors.add(s.errors, r);
      const t = r.time;
      if (t === undefined || !Number.isFinite(t)) {
        s.untimed++;
        return;
      }
      s.timeline.observe(t);
      countAt(s.all, t);
      if (r.durationMs !== undefined && r.operation !== undefined) addDuration(s, r, t);
      if (LEVEL_RANK[r.level] >= LEVEL_RANK.info && ((r.eventType !== undefined && MARKER_EVENT.test(r.eventType)) || MARKER_MESSAGE.test(r.message ?? ''))) {
        if (s.markers.length < MAX_MARKERS) s.markers.push({ time: t, service: r.service ?? r.component, message: r.message ?? r.eventType ?? '' });
        else s.markersLeftOut++;
      }
      if (s.errors.total === before || LEVEL_RANK[r.level] < min) return;
      countAt(s.problems, t);
      if (LEVEL_RANK[r.level] >= LEVEL_RANK.error) countAt(s.errorsOnly, t);
      const key = `${s.errors.last.message} ${s.errors.last.cause}`;
      let p = s.patterns.get(key);
      if (!p && s.patterns.size < MAX_TRACKED_PATTERNS) {
        p = { handles: { ...s.errors.last }, series: new Series(s.timeline, COUNT_CELL), requests: new RequestSample() };
        s.patterns.set(key, p);
      }
      if (p) {
        countAt(p.series, t);
        if (r.ids.length) p.requests.add(r.ids[0], t, r.seq);
      }
      addFields(s, r, t);
    },
    result: (s) => whyResult(s, opts, errors.result(s.errors)),
  };
}

function addDuration(s: WhyState, r: LogRecord, t: number): void {
  const operation = s.routes.apply(r.operation!);
  const key = `${r.service ?? ''}\u0000${operation}`;
  let op = s.operations.get(key);
  if (!op) {
    if (s.operations.size >= MAX_OPERATIONS) {
      s.operationsLeftOut++;
      return;
    }
    op = { service: r.service, operation, series: new Series(s.timeline, LATENCY_CELL) };
    s.operations.set(key, op);
  }
  if (Number.isFinite(r.durationMs!) && r.durationMs! >= 0) latencyAt(op.series, t, r.durationMs!, r.ids[0]);
}

/** Counts the record's value of each low-cardinality field (normalized fields, then raw scalar keys). */
function addFields(s: WhyState, r: LogRecord, t: number): void {
  const seen = new Set<string>();
  const count = (name: string, value: unknown) => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isInteger(value) ? String(value) : typeof value === 'boolean' ? String(value) : undefined;
    if (text === undefined || text === '' || text.length > 80) return;
    let f = s.fields.get(name);
    if (!f) {
      if (s.fields.size >= MAX_FIELDS) return;
      s.fields.set(name, (f = { values: new Map() }));
    }
    if (!f.values) return;
    let v = f.values.get(text);
    if (!v) {
      if (f.values.size >= MAX_FIELD_VALUES) {
        f.values = undefined;
        return;
      }
      f.values.set(text, (v = new Series(s.timeline, COUNT_CELL)));
    }
    countAt(v, t);
  };
  for (const [name, get] of NORMALIZED_FIELDS) count(name, get(r));
  const status = recordValue(r, 'status') ?? recordValue(r, 'status_code');
  if (status !== undefined) count('status', status);
  seen.add('status_code');
  for (const key of Object.keys(r.raw)) {
    if (NOT_A_FIELD.test(key) || NOT_A_FIELD.test(key.slice(key.lastIndexOf('.') + 1)) || NORMALIZED_KEYS.has(key.toLowerCase())) continue;
    const v = r.raw[key];
    if (v === null || typeof v === 'object') continue;
    if (v === r.message || (typeof v === 'string' && r.ids.includes(v))) continue;
    count(key, v);
  }
}
