import type { FileStats, LogRecord } from '../types.js';
import { UNKNOWN_LEVEL_RATE_LIMIT, WATCH_RECORDS } from './assess.js';

/**
 * How the records of a run fell against `--since/--until`: counted before every other filter,
 * so that "no record inside the window" can be told apart from "no record matched".
 */
export interface WindowTally {
  since?: number;
  until?: number;
  /** Records inside the window. */
  inside: number;
  /** Records outside it (a record without a time is outside any window). */
  outside: number;
  /** Records without a time. */
  without_time: number;
  /** Earliest and latest record times seen (epoch ms). */
  first?: number;
  last?: number;
}

/** A tally for a window, or undefined when neither bound is set. */
export function windowTally(since: number | undefined, until: number | undefined): WindowTally | undefined {
  if (since === undefined && until === undefined) return undefined;
  return { since, until, inside: 0, outside: 0, without_time: 0 };
}

/** Counts one record against the window; true when it is inside. */
export function countWindow(t: WindowTally, r: Pick<LogRecord, 'time'>): boolean {
  const time = r.time;
  if (time === undefined) {
    t.without_time++;
    t.outside++;
    return false;
  }
  if (t.first === undefined || time < t.first) t.first = time;
  if (t.last === undefined || time > t.last) t.last = time;
  const inside = (t.since === undefined || time >= t.since) && (t.until === undefined || time <= t.until);
  if (inside) t.inside++;
  else t.outside++;
  return inside;
}

/** Two tallies of the same window added up (ranges read by different threads). */
export function mergeWindows(a: WindowTally | undefined, b: WindowTally | undefined): WindowTally | undefined {
  if (!a || !b) return a ?? b;
  const min = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  const max = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  return { since: a.since, until: a.until, inside: a.inside + b.inside, outside: a.outside + b.outside, without_time: a.without_time + b.without_time, first: min(a.first, b.first), last: max(a.last, b.last) };
}

/** Wraps a record filter so that every record it sees is counted against the window first. */
export function tallyingFilter(t: WindowTally | undefined, filter: ((r: LogRecord) => boolean) | undefined): ((r: LogRecord) => boolean) | undefined {
  if (!t) return filter;
  return (r) => {
    countWindow(t, r);
    return filter ? filter(r) : true;
  };
}

/** The figures of one input (or of all of them) the assessment reads. */
export interface InputTally {
  /** Lines looked at: lines read minus those a prefilter skipped unread. */
  lines: number;
  records: number;
  unparsed_lines: number;
  continuation_lines: number;
  unknown_levels: number;
  /** Lines a prefilter skipped unread (their records were never built). */
  skipped_lines: number;
  layouts: Record<string, number>;
  /** Records nested too deep to process (counted in unparsed_lines), and the first one's place. */
  too_deep?: number;
  too_deep_at?: string;
  /** An encoding guessed without a byte-order mark (UTF-16 read from its NUL bytes). */
  guessed_encoding?: string;
}

/** One input's figures from its reading stats. */
export function tallyOf(f: Pick<FileStats, 'lines' | 'records' | 'unparsed_lines' | 'continuation_lines' | 'unknown_levels' | 'skipped_lines' | 'layouts' | 'too_deep' | 'too_deep_at' | 'encoding' | 'encoding_guessed'>): InputTally {
  return {
    ...(f.too_deep ? { too_deep: f.too_deep } : {}),
    ...(f.too_deep_at ? { too_deep_at: f.too_deep_at } : {}),
    ...(f.encoding && f.encoding_guessed ? { guessed_encoding: f.encoding } : {}),
    lines: f.lines - (f.skipped_lines ?? 0),
    records: f.records,
    unparsed_lines: f.unparsed_lines,
    continuation_lines: f.continuation_lines,
    unknown_levels: f.unknown_levels ?? 0,
    skipped_lines: f.skipped_lines ?? 0,
    layouts: { ...(f.layouts ?? {}) },
  };
}

/** The figures of several inputs added up. */
export function sumTallies(ts: InputTally[]): InputTally {
  const sum: InputTally = { lines: 0, records: 0, unparsed_lines: 0, continuation_lines: 0, unknown_levels: 0, skipped_lines: 0, layouts: {} };
  for (const t of ts) {
    if (t.too_deep) {
      sum.too_deep = (sum.too_deep ?? 0) + t.too_deep;
      sum.too_deep_at ??= t.too_deep_at;
    }
    sum.lines += t.lines;
    sum.records += t.records;
    sum.unparsed_lines += t.unparsed_lines;
    sum.continuation_lines += t.continuation_lines;
    sum.unknown_levels += t.unknown_levels;
    sum.skipped_lines += t.skipped_lines;
    for (const [k, n] of Object.entries(t.layouts)) sum.layouts[k] = (sum.layouts[k] ?? 0) + n;
  }
  return sum;
}

/**
 * Watches the level of the first records a follower sees (tail): after `after` records it
 * says once whether most levels were unknown.
 */
export class LevelWatch {
  seen = 0;
  unknown = 0;
  private told = false;
  constructor(readonly after = WATCH_RECORDS) {}
  /** Counts a record; returns true exactly once, when the verdict is due and most levels were unknown. */
  see(r: Pick<LogRecord, 'level'>): boolean {
    if (this.told) return false;
    this.seen++;
    if (r.level === 'unknown') this.unknown++;
    if (this.seen < this.after) return false;
    this.told = true;
    return this.unknown / this.seen > UNKNOWN_LEVEL_RATE_LIMIT;
  }
}
