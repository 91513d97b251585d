/**
 * The counts, times, samples and ids `errors` keeps per pattern, and how aggregates of the
 * internal clusters that resolved to one final pattern are put together.
 */
import type { ErrorSample } from '../errors.js';
import { LEVEL_RANK, type Level, type LogRecord } from '../../types.js';
import { addCapped, bumpMap } from './bounded.js';
import type { ErrorFacts } from './error-cause.js';
import type { Cluster } from './miner.js';
import type { PatternMiner } from './pattern-miner.js';
import { RequestSample } from './request-sample.js';
import { mergeSlots, shiftSlots, slotsOf, wildcardCount, type SlotSummary } from './pattern-slots.js';

/** What is kept per pair of message and cause clusters. */
export interface Agg {
  /** Handles of the message's cluster and of the cause's (-1: none) in the pattern miner. */
  messageHandle: number;
  causeHandle: number;
  count: number;
  levels: Map<Level, number>;
  errorTypes: Set<string>;
  services: Set<string>;
  first: number;
  last: number;
  minutes: Map<number, number>;
  samples: ErrorSample[];
  ids: Set<string>;
  /** When the pattern first hit each request (a bounded, coordinated sample), for links. */
  requests: RequestSample;
}

/** An empty aggregate for a pair of handles. */
export function newAgg(messageHandle: number, causeHandle: number): Agg {
  return { messageHandle, causeHandle, count: 0, levels: new Map(), errorTypes: new Set(), services: new Set(), first: Infinity, last: -Infinity, minutes: new Map(), samples: [], ids: new Set(), requests: new RequestSample() };
}

/** A record as a sample of its pattern, with its error attributes. */
export function sampleOf(r: LogRecord, key: string, facts: ErrorFacts): ErrorSample {
  const s: ErrorSample = { source: r.source, message: r.message ?? key };
  if (facts.type !== undefined) s.error_type = facts.type;
  if (facts.message !== undefined) s.error_message = facts.message;
  if (facts.frame !== undefined) s.stack_frame = facts.frame;
  return s;
}

/** The highest level present, and the counts per level from the highest down. */
export function levelSummary(levels: Map<Level, number>): { level: Level; levels: Partial<Record<Level, number>> } {
  const order = [...levels].sort((a, b) => LEVEL_RANK[b[0]] - LEVEL_RANK[a[0]]);
  return { level: order[0]?.[0] ?? 'error', levels: Object.fromEntries(order) };
}

/** Caps of the samples and ids kept per pattern. */
export interface AggCaps {
  samples: number;
  ids: number;
}

function mergeAgg(into: Agg, b: Agg, caps: AggCaps): void {
  into.count += b.count;
  for (const [k, v] of b.levels) bumpMap(into.levels, k, v);
  for (const t of b.errorTypes) addCapped(into.errorTypes, t, 10);
  for (const t of b.services) addCapped(into.services, t, 10);
  into.first = Math.min(into.first, b.first);
  into.last = Math.max(into.last, b.last);
  for (const [k, v] of b.minutes) bumpMap(into.minutes, k, v);
  for (const x of b.samples) if (into.samples.length < caps.samples) into.samples.push(x);
  for (const x of b.ids) addCapped(into.ids, x, caps.ids);
  into.requests.merge(b.requests);
}

function copySample(r: RequestSample): RequestSample {
  const c = new RequestSample();
  c.merge(r);
  return c;
}

/** A final pattern being assembled from the aggregates whose clusters resolved to it. */
export interface Final {
  template: string;
  errorTemplate: string | undefined;
  agg: Agg;
  /** The distinct miner clusters of its message part and of its cause part. */
  messages: Set<Cluster>;
  causes: Set<Cluster>;
}

/** Several internal clusters may resolve to one final pattern after the miners' merge pass. */
export function finalPatterns(miner: PatternMiner, aggs: Iterable<Agg>, caps: AggCaps): Map<string, Final> {
  const finals = new Map<string, Final>();
  for (const agg of aggs) {
    const { id, template, errorTemplate, message: m, cause: c } = miner.resolve({ message: agg.messageHandle, cause: agg.causeHandle });
    const copy: Agg = { ...agg, levels: new Map(agg.levels), errorTypes: new Set(agg.errorTypes), services: new Set(agg.services), minutes: new Map(agg.minutes), samples: [...agg.samples], ids: new Set(agg.ids), requests: copySample(agg.requests) };
    let f = finals.get(id);
    if (f) mergeAgg(f.agg, copy, caps);
    else finals.set(id, (f = { template, errorTemplate, agg: copy, messages: new Set(), causes: new Set() }));
    f.messages.add(m);
    if (c) f.causes.add(c);
  }
  return finals;
}

/**
 * Slots of each pattern: its message template's, then its cause template's after them. A
 * miner cluster split over several patterns (one message, different causes) counts values of
 * all of them, so its slots are left out rather than shown with another pattern's counts.
 */
export function patternSlots(finals: Map<string, Final>): Map<string, SlotSummary[]> {
  const owners = new Map<string, number>();
  const keys = (set: Set<Cluster>, part: string) => new Set([...set].map((c) => `${part}${c.id}`));
  for (const f of finals.values()) {
    for (const k of [...keys(f.messages, 'm'), ...keys(f.causes, 'c')]) owners.set(k, (owners.get(k) ?? 0) + 1);
  }
  const alone = (set: Set<Cluster>, part: string) => [...keys(set, part)].every((k) => owners.get(k) === 1);
  const out = new Map<string, SlotSummary[]>();
  for (const [id, f] of finals) {
    const slots: SlotSummary[] = [];
    if (alone(f.messages, 'm')) slots.push(...mergeSlots([...f.messages].map(slotsOf)));
    if (f.causes.size && alone(f.causes, 'c')) {
      const offset = wildcardCount([...f.messages][0].template);
      slots.push(...shiftSlots(mergeSlots([...f.causes].map(slotsOf)), offset));
    }
    out.set(id, slots);
  }
  return out;
}

