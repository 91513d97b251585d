import { rawValue } from './lib/field.js';
import { idMatcher } from './lib/id-match.js';
import { textMatcher } from './lib/text-match.js';
import { LEVEL_RANK, type Analysis, type LogRecord } from '../types.js';

/** Options of the trace analysis. */
export interface TraceOptions {
  ids: string[];
  /** Operations at least this slow are listed in the summary (ms). */
  slowMs?: number;
  /** Silences at least this long between two records are listed as gaps (ms). */
  gapMs?: number;
  /**
   * False when the caller streams matches itself (`--ndjson`): only which ids were found is
   * kept, so memory stays bounded whatever the number of matches.
   */
  keepRecords?: boolean;
}

/** One record of the timeline with its place in the operation tree. */
export interface TraceEntry {
  record: LogRecord;
  /** Time used for ordering: the record's own, or the previous record's of the same file. */
  time: number | undefined;
  elapsedMs: number | undefined;
  depth: number;
  /** For an operation's end: how long it took (its own duration field, or end − start). */
  operationMs?: number;
  /** How the record matched: an id field holds an id, or an id occurs only in its text. */
  matched: 'field' | 'text';
}

/** The closing analysis of a trace. */
export interface TraceSummary {
  records: number;
  duration_ms: number | null;
  errors: number;
  warnings: number;
  services: string[];
  first_error: { source: string; time: number | undefined; service: string | undefined; message: string | undefined; error_type: string | undefined } | null;
  slow_operations: { source: string; operation: string | undefined; service: string | undefined; duration_ms: number }[];
  retries: number;
  /**
   * Every silence of at least the gap threshold (up to MAX_GAPS, the longest kept), longest
   * first, earlier first on ties; each with the record on either side.
   */
  gaps: TraceGap[];
  /** How many silences reached the threshold (more than `gaps` holds only past MAX_GAPS). */
  gaps_total: number;
  /** Records matched only by an id in their text (message or line), none in an id field. */
  text_matches: number;
  /** Operations started and never ended in the trace. */
  unclosed_operations: number;
  /** The deepest nesting of operations reached (starts inside starts). */
  max_depth: number;
}

/** A silence in the trace: the records just before (`after` it) and just after it (`before`). */
export interface TraceGap {
  after: string;
  before: string;
  gap_ms: number;
  after_service: string | null;
  after_message: string | null;
  after_time: number;
  before_service: string | null;
  before_message: string | null;
  before_time: number;
}

/**
 * The most gaps a summary holds: a trace is in memory already, so every gap is kept up to this,
 * and past it the longest are (gaps_total counts them all).
 */
export const MAX_GAPS = 10_000;

/** The trace of one or more ids. */
export interface TraceResult {
  ids: string[];
  entries: TraceEntry[];
  summary: TraceSummary;
  /** Ids found in no record. */
  missing: string[];
}

/** A matched record, its ordering time and how it matched. */
interface Match {
  record: LogRecord;
  time: number | undefined;
  matched: 'field' | 'text';
}

interface State {
  matched: Match[];
  found: Map<string, number>;
  /** Records that matched any id (kept or not). */
  hits: number;
  /** How the last record that matched did (for callers that stream matches). */
  last?: 'field' | 'text';
  lastTimeByFile: Map<string, number>;
}

export { idMatches } from './lib/id-match.js';

const START = /(?:^|_|\.)(?:start|started|begin|begun|enter)$/i;
const END = /(?:^|_|\.)(?:end|ended|complete|completed|finish|finished|exit|done|failed|fail)$/i;
const RETRY_FIELDS = ['retry_count', 'retryCount', 'retries', 'retry', 'attempt'];

/** Collects the records of the given ids; `result` orders them by true time and builds the tree. */
export function traceAnalysis(opts: TraceOptions): Analysis<State, TraceResult> {
  const slowMs = opts.slowMs ?? 1000;
  const gapMs = opts.gapMs ?? 1000;
  const matchers = opts.ids.map((id) => [id, idMatcher(id), textMatcher(id)] as const);
  return {
    init: () => ({ matched: [], found: new Map(opts.ids.map((id) => [id, 0])), hits: 0, lastTimeByFile: new Map() }),
    add(state, r) {
      const matched = matchOf(r, matchers);
      if (matched === undefined) return;
      for (const id of matched.ids) state.found.set(id, (state.found.get(id) ?? 0) + 1);
      state.hits++;
      state.last = matched.how;
      if (opts.keepRecords === false) return;
      const time = r.time ?? state.lastTimeByFile.get(r.file);
      if (r.time !== undefined) state.lastTimeByFile.set(r.file, r.time);
      state.matched.push({ record: r, time, matched: matched.how });
    },
    result(state) {
      // Sorted in place: a copy of millions of matches would double the memory.
      const sorted = state.matched.sort(
        (a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || a.record.seq - b.record.seq,
      );
      const { entries, unclosed, maxDepth } = buildTree(sorted);
      return {
        ids: opts.ids,
        entries,
        summary: { ...summarize(entries, slowMs, gapMs), unclosed_operations: unclosed, max_depth: maxDepth },
        missing: opts.ids.filter((id) => (state.found.get(id) ?? 0) === 0),
      };
    },
  };
}

/**
 * Which ids a record holds and how: an id in an id field (`field`), else an id occurring as a
 * whole token in the record's line or message (`text`: `TraceID: 9f…`, `[req=abc]`). The line
 * is the text as read, so an id the byte prefilter cannot see there is not matched in it on
 * either path; the decoded message adds ids a JSON escape hid from a token boundary.
 */
function matchOf(
  r: LogRecord,
  matchers: readonly (readonly [string, (v: string) => boolean, (t: string) => boolean])[],
): { ids: string[]; how: 'field' | 'text' } | undefined {
  let ids: string[] | undefined;
  let how: 'field' | 'text' = 'text';
  for (const [id, inField, inText] of matchers) {
    if (r.ids.some(inField)) how = 'field';
    else if (!inText(r.text) && (r.message === undefined || !inText(r.message))) continue;
    (ids ??= []).push(id);
  }
  return ids ? { ids, how } : undefined;
}

/**
 * Operations held open at once: past this, a start is shown at this depth but not awaited (its
 * end, if any, is shown as a plain record). Unclosed starts cost one entry each, not a level of
 * nesting per start for every later record.
 */
export const MAX_OPEN = 1000;

/** The timeline with its operation tree, and what the tree says about operations left open. */
function buildTree(sorted: Match[]): { entries: TraceEntry[]; unclosed: number; maxDepth: number } {
  const first = sorted.find((m) => m.time !== undefined)?.time;
  let unclosed = 0;
  let maxDepth = 0;
  const open: { key: string; depth: number; time: number | undefined }[] = [];
  // Where each key's open operations sit in `open`: an end finds its start without scanning a
  // stack that unmatched starts may have made millions deep.
  const openAt = new Map<string, number[]>();
  const entries = sorted.map(({ record: r, time, matched }) => {
    const entry: TraceEntry = { record: r, time, elapsedMs: time !== undefined && first !== undefined ? time - first : undefined, depth: open.length, matched };
    const key = `${r.service ?? r.component ?? ''}\u0000${r.operation ?? ''}`;
    const et = r.eventType ?? '';
    if (START.test(et)) {
      if (open.length >= MAX_OPEN) {
        unclosed++;
        return entry;
      }
      let at = openAt.get(key);
      if (!at) openAt.set(key, (at = []));
      at.push(open.length);
      open.push({ key, depth: open.length, time });
      if (open.length > maxDepth) maxDepth = open.length;
    } else if (END.test(et)) {
      const at = openAt.get(key);
      const i = at && at.length ? at[at.length - 1] : -1;
      if (i !== -1) {
        const start = open[i];
        entry.depth = start.depth;
        entry.operationMs = r.durationMs ?? (time !== undefined && start.time !== undefined ? time - start.time : undefined);
        // Operations opened after this one end with it (their starts are the tops of their keys' lists).
        for (let j = open.length - 1; j >= i; j--) openAt.get(open[j].key)!.pop();
        // Those opened inside it and never ended are left open.
        unclosed += open.length - i - 1;
        open.length = i;
      }
    }
    return entry;
  });
  return { entries, unclosed: unclosed + open.length, maxDepth };
}

function isRetry(r: LogRecord): boolean {
  for (const f of RETRY_FIELDS) {
    const v = rawValue(r.raw, f);
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (Number.isFinite(n) && (f === 'attempt' ? n > 1 : n > 0)) return true;
  }
  return /\bretr(?:y|ying|ied|ies)\b/i.test(r.message ?? '');
}

function summarize(entries: TraceEntry[], slowMs: number, gapMs: number): Omit<TraceSummary, 'unclosed_operations' | 'max_depth'> {
  let minTime = Infinity;
  let maxTime = -Infinity;
  const services = new Set<string>();
  let errors = 0;
  let warnings = 0;
  let retries = 0;
  let textMatches = 0;
  let firstError: TraceSummary['first_error'] = null;
  const slow: TraceSummary['slow_operations'] = [];
  let gaps: TraceGap[] = [];
  let gapsTotal = 0;
  entries.forEach((e, i) => {
    const r = e.record;
    if (e.matched === 'text') textMatches++;
    if (e.time !== undefined) {
      if (e.time < minTime) minTime = e.time;
      if (e.time > maxTime) maxTime = e.time;
    }
    const who = r.service ?? r.component;
    if (who) services.add(who);
    if (LEVEL_RANK[r.level] >= LEVEL_RANK.error) {
      errors++;
      firstError ??= { source: r.source, time: e.time, service: who, message: r.message, error_type: r.errorType };
    } else if (r.level === 'warn') warnings++;
    if (isRetry(r)) retries++;
    const d = e.operationMs ?? r.durationMs;
    if (d !== undefined && d >= slowMs) keepTop(slow, { source: r.source, operation: r.operation, service: who, duration_ms: d }, (o) => o.duration_ms);
    const prev = entries[i - 1];
    if (prev && prev.time !== undefined && e.time !== undefined && e.time - prev.time >= gapMs) {
      gapsTotal++;
      gaps.push(gapOf(prev, e));
      // Bounded: past twice the cap, only the longest MAX_GAPS are kept.
      if (gaps.length >= 2 * MAX_GAPS) gaps = longestFirst(gaps).slice(0, MAX_GAPS);
    }
  });
  return {
    records: entries.length,
    duration_ms: maxTime >= minTime ? maxTime - minTime : null,
    errors,
    warnings,
    services: [...services],
    first_error: firstError,
    slow_operations: slow,
    retries,
    gaps: longestFirst(gaps).slice(0, MAX_GAPS),
    gaps_total: gapsTotal,
    text_matches: textMatches,
  };
}

function gapOf(prev: TraceEntry, next: TraceEntry): TraceGap {
  const a = prev.record;
  const b = next.record;
  return {
    after: a.source,
    before: b.source,
    gap_ms: next.time! - prev.time!,
    after_service: a.service ?? a.component ?? null,
    after_message: a.message ?? a.eventType ?? null,
    after_time: prev.time!,
    before_service: b.service ?? b.component ?? null,
    before_message: b.message ?? b.eventType ?? null,
    before_time: next.time!,
  };
}

/** Gaps longest first, earlier first on ties (the sort is stable and they arrive in time order). */
function longestFirst(gaps: TraceGap[]): TraceGap[] {
  return gaps.sort((x, y) => y.gap_ms - x.gap_ms || x.after_time - y.after_time);
}

/** How many slow operations the summary lists. */
const TOP = 5;

/**
 * Keeps `list` as the TOP highest-scoring items seen, highest first, earlier first on ties:
 * the same as a stable sort of all of them cut to TOP, without holding one item per record.
 */
function keepTop<T>(list: T[], item: T, score: (t: T) => number): void {
  const v = score(item);
  let i = list.length;
  while (i > 0 && score(list[i - 1]) < v) i--;
  if (i >= TOP) return;
  list.splice(i, 0, item);
  if (list.length > TOP) list.pop();
}
