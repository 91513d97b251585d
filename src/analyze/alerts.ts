import parseDuration from 'parse-duration';
import { UsageError } from '../errors.js';
import { matchWhere, parseWhere, type WhereClause } from '../filter.js';
import { LEVEL_RANK, type LogRecord } from '../types.js';

/** Alert rules, as given by `--alert-*` options or the config's `alerts`. */
export interface AlertRules {
  /** `10/1m`: more than 10 errors within one minute. */
  errors?: string;
  /** `5s`: any record slower than this. */
  slow?: string;
  /** `--where`-style conditions: any matching record. */
  match?: string[];
}

/** One alert raised by a record. */
export interface Alert {
  rule: 'errors' | 'slow' | 'match';
  message: string;
  source: string;
  time: number;
}

interface Compiled {
  rate?: { limit: number; windowMs: number; text: string };
  slowMs?: number;
  match: { text: string; clause: WhereClause }[];
}

/** Parses the rules; a malformed one is a usage error. */
export function compileAlerts(rules: AlertRules): Compiled {
  const c: Compiled = { match: [] };
  if (rules.errors) {
    const m = /^(\d+)\s*\/\s*(\S+)$/.exec(rules.errors.trim());
    const w = m ? parseDuration(/^\d/.test(m[2]) ? m[2] : `1${m[2]}`) : null;
    if (!m || w === null || w === undefined || w <= 0) throw new UsageError(`--alert-errors '${rules.errors}': expected <count>/<window>, e.g. 10/1m`);
    c.rate = { limit: Number(m[1]), windowMs: w, text: rules.errors };
  }
  if (rules.slow) {
    const ms = parseDuration(rules.slow);
    if (ms === null || ms === undefined || ms <= 0) throw new UsageError(`--alert-slow '${rules.slow}': expected a duration such as 5s`);
    c.slowMs = ms;
  }
  for (const text of rules.match ?? []) c.match.push({ text, clause: parseWhere(text) });
  return c;
}

/** State of the rate rule: recent error times, and whether the alert is armed. */
export interface AlertState {
  errors: number[];
  armed: boolean;
}

/**
 * Checks one record against the rules. `now` is the record's time when it has one (so replays
 * alert as the incident did) or the caller's clock. The rate alert fires once when the count in
 * the window goes over the limit and re-arms when it falls back to the limit or below.
 */
export function checkAlerts(rules: Compiled, state: AlertState, r: LogRecord, now: number): Alert[] {
  const out: Alert[] = [];
  const t = r.time ?? now;
  if (rules.rate && LEVEL_RANK[r.level] >= LEVEL_RANK.error) {
    state.errors.push(t);
    const from = t - rules.rate.windowMs;
    while (state.errors.length && state.errors[0] < from) state.errors.shift();
    if (state.errors.length > rules.rate.limit && state.armed) {
      state.armed = false;
      out.push({ rule: 'errors', message: `${state.errors.length} errors within ${rules.rate.text.split('/')[1]} (limit ${rules.rate.limit})`, source: r.source, time: t });
    } else if (state.errors.length <= rules.rate.limit) state.armed = true;
  } else if (rules.rate) {
    const from = t - rules.rate.windowMs;
    while (state.errors.length && state.errors[0] < from) state.errors.shift();
    if (state.errors.length <= rules.rate.limit) state.armed = true;
  }
  if (rules.slowMs !== undefined && r.durationMs !== undefined && r.durationMs > rules.slowMs) {
    out.push({ rule: 'slow', message: `${r.operation ?? 'record'} took ${Math.round(r.durationMs)}ms (limit ${rules.slowMs}ms)`, source: r.source, time: t });
  }
  for (const m of rules.match) if (matchWhere(r, m.clause)) out.push({ rule: 'match', message: `matched ${m.text}`, source: r.source, time: t });
  return out;
}

/** A fresh state for the rate rule. */
export function initAlertState(): AlertState {
  return { errors: [], armed: true };
}
