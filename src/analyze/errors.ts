import { addCapped, bumpMap } from './lib/bounded.js';
import { pairWithBaseline } from './lib/baseline-match.js';
import { evidenceLinks, type Link } from './lib/links.js';
import { errorFacts } from './lib/error-cause.js';
import { finalPatterns, levelSummary, newAgg, patternSlots, sampleOf, type Agg } from './lib/error-agg.js';
import { templateId, type MinerOptions } from './lib/miner.js';
import { createPatternMiner, patternKey, type PatternHandles, type PatternMiner } from './lib/pattern-miner.js';
import { recordValue } from './lib/field.js';
import type { RequestSample } from './lib/request-sample.js';
import type { SlotSummary } from './lib/pattern-slots.js';
import { LEVEL_RANK, type Analysis, type Level, type LogRecord } from '../types.js';

/** Options of the error clustering. */
export interface ErrorsOptions {
  /** Records at this level and above are clustered (default `error`). */
  minLevel?: Level;
  miner?: MinerOptions;
  samples?: number;
  ids?: number;
  /** Templates and ids of an earlier run, to mark clusters as new. */
  baseline?: Baseline;
  /** Pairs of message and cause clusters aggregated; records of later pairs are counted in `total` only. */
  maxPairs?: number;
  /** Whether to sample the requests each pattern hit, for links (default true). */
  links?: boolean;
}

/** The clusters of an earlier `errors --json` run. */
export interface Baseline {
  entries: { id: string; template: string }[];
}

/** One record shown as an example of its pattern, with its error attributes. */
export interface ErrorSample {
  source: string;
  message: string;
  error_type?: string;
  error_message?: string;
  /** The frame the error was raised in, from the record's stack. */
  stack_frame?: string;
}

/**
 * One pattern of errors: one failure. Records whose message mines to the same template but whose
 * error attributes (type, error message, exception) differ are different patterns; the cause's
 * own template is then part of `template` (`<message template> [error: <cause template>]`).
 */
export interface ErrorCluster {
  id: string;
  template: string;
  /** The cause part of `template`, when the records carry error attributes their message lacks. */
  error_template?: string;
  count: number;
  /** The highest level among the pattern's records. */
  level: Level;
  /** Records per level, highest level first. */
  levels: Partial<Record<Level, number>>;
  /** Values seen at each `<*>` of `template`. */
  slots: SlotSummary[];
  error_types: string[];
  services: string[];
  first_seen: number | undefined;
  last_seen: number | undefined;
  /** Counts per minute bucket, aligned with `ErrorsResult.minutes`. */
  per_minute: number[];
  samples: ErrorSample[];
  ids: string[];
  /** Only with a baseline: whether the pattern is absent from it. */
  new?: boolean;
  /** Only with a baseline: the id of the baseline pattern this one continues, when its template changed. */
  baseline_id?: string;
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
  /** Patterns that followed others inside the same requests (evidence only; `why` orders them in time). */
  cascades: Link[];
  circuit_breaker_events: BreakerEvent[];
  cascade_prevented: number;
  /** Messages beyond the cluster cap that joined the overflow pattern. */
  overflow: number;
  /** Only with a baseline: baseline patterns not seen in this run. */
  gone?: { id: string; template: string }[];
}


/** The state of the errors analysis; `miner.resolve(last)` after `add` gives the record's final pattern. */
export interface ErrorsState {
  miner: PatternMiner;
  /** Per pair of message and cause handles. */
  byKey: Map<string, Agg>;
  total: number;
  breakers: BreakerEvent[];
  cascadePrevented: number;
  /** Records whose pair of clusters came after `maxPairs`. */
  pairsLeftOut: number;
  /** Miner handles of the last record clustered (`--annotate` keeps them per record; resolve them with `miner.resolve`). Updated in place. */
  last: PatternHandles;
}

const BREAKER = /circuit[ _-]?breaker/i;
const MAX_BREAKER_EVENTS = 1000;
const MAX_BUCKETS = 60;
/** Patterns considered for links: the biggest ones, where the story matters. */
const LINKED_PATTERNS = 20;

/**
 * The key a record is clustered by (see `patternKey`). Name a counted record's pattern with the
 * handles `add` left in `state.last` (`miner.resolve`): `miner.match` re-routes the key through
 * the tree as it is now and may find another cluster, or none for a cause.
 */
export function clusterText(r: LogRecord): string {
  return patternKey(r, errorFacts(r, false));
}

/** Whether a record is a circuit-breaker event. */
export function isBreakerEvent(r: LogRecord): boolean {
  return (r.eventType !== undefined && r.eventType.toLowerCase().includes('circuit_breaker')) || BREAKER.test(r.message ?? '');
}

/** Clusters error records into templates, with cascades and circuit-breaker events. */
export function errorsAnalysis(opts: ErrorsOptions = {}): Analysis<ErrorsState, ErrorsResult> {
  const min = LEVEL_RANK[opts.minLevel ?? 'error'];
  const nSamples = opts.samples ?? 3;
  const nIds = opts.ids ?? 5;
  const maxPairs = opts.maxPairs ?? Infinity;
  const links = opts.links ?? true;
  return {
    init: () => ({ miner: createPatternMiner(opts.miner), byKey: new Map(), total: 0, breakers: [], cascadePrevented: 0, pairsLeftOut: 0, last: { message: -1, cause: -1 } }),
    add(s, r) {
      if (isBreakerEvent(r) && s.breakers.length < MAX_BREAKER_EVENTS) {
        s.breakers.push({ time: r.time, source: r.source, service: r.service ?? r.component, event: r.eventType ?? r.message ?? '' });
      }
      const prevented = recordValue(r, 'cascade_prevented');
      // A flag is true as a boolean or as the text a string-only store (OpenTelemetry attributes) keeps.
      if (prevented === true || prevented === 'true') s.cascadePrevented++;
      if (LEVEL_RANK[r.level] < min) return;
      s.total++;
      const facts = errorFacts(r, false);
      const text = patternKey(r, facts);
      const { message: messageHandle, cause: causeHandle } = s.miner.add(text);
      s.last.message = messageHandle;
      s.last.cause = causeHandle;
      const key = `${messageHandle} ${causeHandle}`;
      let a = s.byKey.get(key);
      if (!a) {
        if (s.byKey.size >= maxPairs) {
          s.pairsLeftOut++;
          return;
        }
        a = newAgg(messageHandle, causeHandle);
        s.byKey.set(key, a);
      }
      a.count++;
      bumpMap(a.levels, r.level);
      addCapped(a.errorTypes, facts.type, 10);
      addCapped(a.services, r.service ?? r.component, 10);
      if (r.time !== undefined) {
        if (r.time < a.first) a.first = r.time;
        if (r.time > a.last) a.last = r.time;
        bumpMap(a.minutes, Math.floor(r.time / 60_000) * 60_000);
      }
      if (a.samples.length < nSamples) a.samples.push(sampleOf(r, text, errorFacts(r)));
      for (const id of r.ids) addCapped(a.ids, id, nIds);
      // Links need times: a record without one cannot say what came first.
      if (links && r.ids.length && r.time !== undefined) a.requests.add(r.ids[0], r.time, r.seq);
    },
    result(s) {
      return buildResult(s, opts);
    },
  };
}

function buildResult(s: ErrorsState, opts: ErrorsOptions): ErrorsResult {
  const finals = finalPatterns(s.miner, s.byKey.values(), { samples: opts.samples ?? 3, ids: opts.ids ?? 5 });
  const slots = patternSlots(finals);
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
  const clusters: (ErrorCluster & { requests: RequestSample })[] = [];
  for (const [id, { template, errorTemplate, agg }] of finals) {
    const per = new Array<number>(nBuckets).fill(0);
    for (const [m, n] of agg.minutes) per[Math.floor((m - start) / bucket)] += n;
    const c: ErrorCluster & { requests: RequestSample } = {
      id,
      template,
      ...(errorTemplate !== undefined ? { error_template: errorTemplate } : {}),
      count: agg.count,
      ...levelSummary(agg.levels),
      slots: slots.get(id) ?? [],
      error_types: [...agg.errorTypes],
      services: [...agg.services],
      first_seen: Number.isFinite(agg.first) ? agg.first : undefined,
      last_seen: Number.isFinite(agg.last) ? agg.last : undefined,
      per_minute: per,
      samples: agg.samples,
      ids: [...agg.ids],
      requests: agg.requests,
    };
    clusters.push(c);
  }
  clusters.sort((a, b) => b.count - a.count || (a.first_seen ?? 0) - (b.first_seen ?? 0) || a.id.localeCompare(b.id));
  const pairing = opts.baseline && pairWithBaseline(clusters, opts.baseline.entries);
  if (pairing) {
    clusters.forEach((c, i) => {
      const b = pairing.matched[i];
      c.new = b === undefined;
      if (b && b.id !== c.id) c.baseline_id = b.id;
    });
  }
  const cascades = evidenceLinks(
    clusters.slice(0, LINKED_PATTERNS).map((c) => ({ id: c.id, onset: c.first_seen ?? -Infinity, requests: c.requests })),
    { slackMs: bucket },
  );
  const result: ErrorsResult = {
    total: s.total,
    clusters: clusters.map(({ requests: _r, ...c }) => c),
    minutes,
    bucket_ms: bucket,
    cascades,
    circuit_breaker_events: [...s.breakers].sort((a, b) => (a.time ?? 0) - (b.time ?? 0)),
    cascade_prevented: s.cascadePrevented,
    overflow: s.miner.overflow,
  };
  if (pairing) result.gone = pairing.gone;
  return result;
}

export { templateId };
