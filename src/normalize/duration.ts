import parseDuration from 'parse-duration';
import type { DurationUnit } from './aliases.js';

const TO_MS: Record<DurationUnit, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Whether a text names a duration unit. */
export function isDurationUnit(u: string): u is DurationUnit {
  return Object.prototype.hasOwnProperty.call(TO_MS, u);
}

/** .NET/Serilog TimeSpan `00:00:01.2345678` or `hh:mm:ss`. */
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/;

/**
 * A duration value in milliseconds: a number in `unit`, a numeric string in `unit`, or a string
 * with its own unit (`1.5s`, `250ms`, `3m`, `120us`, `1h2m`, parsed by parse-duration), or a
 * TimeSpan. Negative and unparseable values are undefined.
 */
export function parseDurationValue(value: unknown, unit: DurationUnit): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * TO_MS[unit] : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(s)) return Number(s) * TO_MS[unit];
  const ts = TIMESPAN.exec(s);
  if (ts) return ((Number(ts[1] ?? 0) * 24 + Number(ts[2])) * 3600 + Number(ts[3]) * 60 + Number(ts[4])) * 1000;
  const ms = parseDuration(s.replace(/µs|μs/g, 'us'));
  return ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0 ? undefined : ms;
}

/** `12ms`, `1.5 s`, `250µs`, `2 seconds`, Go's `1h2m3.5s`: numbers each followed by a unit. */
const UNIT_FORM = /^(?:\d+(?:\.\d+)?\s*(?:ns|us|µs|μs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\s*)+$/i;
/** ISO 8601 durations of days and times (Java's `Duration.toString()`: `PT0.25S`). */
const ISO_FORM = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * A duration read from a record's field, strictly: a number (in `unit`), a numeric string (in
 * `unit`), a string of a duration form (`12ms`, `1.5s`, `250µs`, `1h2m3.5s`, `PT0.25S`, a
 * .NET TimeSpan `00:00:01.25`). Anything else (an object such as loguru's `elapsed`, a date,
 * `v1.2`, `3 of 5`, `forever`) is no duration: a field of that name that is not a measurement
 * must not become a latency sample. Negative values are none.
 */
export function recordDuration(value: unknown, unit: DurationUnit): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * TO_MS[unit] : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(s)) return Number(s) * TO_MS[unit];
  if (UNIT_FORM.test(s) || TIMESPAN.test(s)) return parseDurationValue(s, unit);
  const iso = ISO_FORM.exec(s);
  if (iso && s.length > 2 && !s.endsWith('T') && !s.endsWith('t')) {
    const [, d, h, m, sec] = iso.map((x) => (x === undefined ? 0 : Number(x)));
    return ((d * 24 + h) * 60 + m) * 60_000 + sec * 1000;
  }
  return undefined;
}

/** What a duration on the command line may look like: numbers each followed by a unit (days too). */
const ARG_FORM = /^(?:\d+(?:\.\d+)?\s*(?:ns|us|µs|μs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s*)+$/i;

/**
 * A duration given on the command line (`500ms`, `2s`, `1.5m`, `1h30m`, `1d`; a bare number is
 * ms; a TimeSpan `00:01:30`). Strict: `1ms1`, `>1ms`, `5 bananas` are no duration.
 */
export function parseDurationArg(text: string): number | undefined {
  const s = text.trim();
  if (!/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(s) && !ARG_FORM.test(s) && !TIMESPAN.test(s)) return undefined;
  return parseDurationValue(s, 'ms');
}
