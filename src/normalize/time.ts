import { fastPathsEnabled } from '../fast-paths.js';
import { TIME_OBJECT_KEYS, TIME_OBJECT_PAIRS } from './aliases.js';
import type { ZoneShift } from './zone.js';

/**
 * ISO 8601 and its common relatives: `T` or space, `.` or `,` fractions, `Z`/`+09:00`/`+0900`/`+09`,
 * and the date written with slashes (`2022/09/11 16:31:21`, as Go's log and logrus write it).
 */
const ISO = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
/** nginx/Apache `time_local`: `15/Jan/2024:10:30:45 +0000`. */
const CLF = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\s*([+-]\d{4}))?$/;
const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/**
 * Epoch numbers in seconds, milliseconds, microseconds or nanoseconds, told apart by
 * magnitude: below 1e11 seconds (until year 5138), below 1e14 ms, below 1e17 µs, else ns.
 */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n < 1e11) return n * 1000;
  if (n < 1e14) return n;
  if (n < 1e17) return n / 1000;
  return dateMs(n / 1e6);
}

/** The largest time a date can hold (±100,000,000 days from 1970); beyond it is no time. */
const MAX_DATE_MS = 8.64e15;
const dateMs = (ms: number): number | undefined => (Math.abs(ms) <= MAX_DATE_MS ? ms : undefined);

function offsetMs(zone: string): number {
  const z = zone.toUpperCase();
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
}

const d = (s: string, i: number) => s.charCodeAt(i) - 48;
/** The digit-by-digit reading below is a fast path: `LOGTOOL_NO_FAST_PATHS=1` leaves every time to the general path. */
const FAST = fastPathsEnabled();

/** Where `isoUtcFast`'s form has digits. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
/**
 * The most common form, `2024-01-15T10:30:45.123Z` (what JavaScript, pino and most JSON loggers
 * write), read digit by digit; anything else returns undefined and takes the general path.
 */
function isoUtcFast(s: string): number | undefined {
  if (s.length !== 24 || s.charCodeAt(23) !== 90 || s.charCodeAt(10) !== 84 || s.charCodeAt(19) !== 46 || s.charCodeAt(4) !== 45 || s.charCodeAt(13) !== 58) return undefined;
  if (s.charCodeAt(7) !== 45 || s.charCodeAt(16) !== 58) return undefined;
  for (const i of DIGITS) if ((s.charCodeAt(i) - 48) >>> 0 > 9) return undefined;
  const year = d(s, 0) * 1000 + d(s, 1) * 100 + d(s, 2) * 10 + d(s, 3);
  const month = d(s, 5) * 10 + d(s, 6);
  const day = d(s, 8) * 10 + d(s, 9);
  const hour = d(s, 11) * 10 + d(s, 12);
  const min = d(s, 14) * 10 + d(s, 15);
  const sec = d(s, 17) * 10 + d(s, 18);
  const ms = d(s, 20) * 100 + d(s, 21) * 10 + d(s, 22);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && min <= 59 && sec <= 60 && ms >= 0 && ms <= 999)) return undefined;
  return Date.UTC(year, month - 1, day, hour, min, sec, ms);
}

/**
 * Parses a time value to epoch milliseconds: ISO 8601 with any offset form, Python's
 * `2024-01-15 10:30:45,123`, `time_local`, epoch numbers or numeric strings. A time with no
 * zone is UTC unless `shift` (from `--tz`) says otherwise.
 */
export function parseTime(value: unknown, shift?: ZoneShift, depth = 0): number | undefined {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string') return depth < 2 && value !== null && typeof value === 'object' && !Array.isArray(value) ? objectTime(value as Record<string, unknown>, shift, depth) : undefined;
  const s = value.trim();
  if (s === '') return undefined;
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const fast = FAST ? isoUtcFast(s) : undefined;
    if (fast !== undefined) return fast;
    const m = ISO.exec(s);
    if (m && s[4] === s[7]) {
      const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
      const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) + frac;
      if (Number.isNaN(wall)) return undefined;
      if (m[8]) return wall - offsetMs(m[8]);
      return shift ? shift(wall) : wall;
    }
    if (/^\d+(?:\.\d+)?$/.test(s)) return epochToMs(Number(s));
    const clf = CLF.exec(s);
    if (clf) {
      const mon = MONTHS[clf[2].toLowerCase()];
      if (mon === undefined) return undefined;
      const wall = Date.UTC(+clf[3], mon, +clf[1], +clf[4], +clf[5], +clf[6]);
      if (clf[7]) return wall - offsetMs(clf[7]);
      return shift ? shift(wall) : wall;
    }
  }
  // RFC 2822 and other forms Date understands; only when a zone is written, since Date
  // would read a zoneless one in the machine's local time.
  if (/(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})\s*$/i.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** A time object (`{"repr":…,"timestamp":…}`, `{"$date":…}`): the first of `TIME_OBJECT_KEYS`, in any case, that reads as a time. */
function objectTime(obj: Record<string, unknown>, shift: ZoneShift | undefined, depth: number): number | undefined {
  const lower = new Map<string, unknown>();
  for (const k in obj) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), obj[k]);
  for (const [sec, nano] of TIME_OBJECT_PAIRS) {
    const t = secondsAndNanos(lower.get(sec.toLowerCase()), lower.get(nano.toLowerCase()));
    if (t !== undefined) return t;
  }
  for (const k of TIME_OBJECT_KEYS) {
    const v = lower.get(k.toLowerCase());
    if (v === undefined || v === null) continue;
    const t = parseTime(v, shift, depth + 1);
    if (t !== undefined) return t;
  }
  return undefined;
}

/**
 * A time given as whole epoch seconds and nanoseconds (numbers or digit strings, as protobuf's
 * JSON writes int64): epoch milliseconds, or undefined when the seconds are not such a value.
 * Missing nanoseconds read as 0.
 */
export function secondsAndNanos(seconds: unknown, nanos: unknown): number | undefined {
  const s = typeof seconds === 'string' && /^\d+$/.test(seconds) ? Number(seconds) : seconds;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) return undefined;
  const n = typeof nanos === 'string' && /^\d+$/.test(nanos) ? Number(nanos) : nanos;
  const ns = typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 1e9 ? n : 0;
  return dateMs(s * 1000 + ns / 1e6);
}

/** ISO 8601 UTC with milliseconds: `2024-01-15T10:30:45.123Z`. */
export function formatTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Days in a month of a year (month 1-12), leap years included. */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why date and clock fields are no real time, or undefined when they are. */
function fieldsProblem(year: number, month: number, day: number, hour: number, min: number, sec: number): string | undefined {
  if (month < 1 || month > 12) return `month ${month} does not exist (01-12)`;
  if (day < 1 || day > daysIn(year, month)) return `${MONTH_NAMES[month - 1]} ${year} has no day ${day} (it has ${daysIn(year, month)})`;
  if (hour > 23) return `hour ${hour} does not exist (00-23)`;
  if (min > 59) return `minute ${min} does not exist (00-59)`;
  if (sec > 59) return `second ${sec} does not exist (00-59)`;
  return undefined;
}

/** Why a written zone offset (`+05:30`, `-0800`, `+14`) is none, or undefined when it is one. */
function offsetProblem(zone: string): string | undefined {
  if (!/^[+-]/.test(zone)) return undefined;
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4) || 0);
  if (m > 59 || h * 60 + m > 14 * 60) return `offset ${zone} does not exist (offsets run from -14:00 to +14:00)`;
  return undefined;
}

/**
 * Checks a time given by the user (`--since`, `--until`): an ISO date and time whose fields are
 * real (no month 13, no February 30, no hour 24, no minute 60, offsets within ±14:00), a
 * `time_local`, or epoch digits. Returns why it is not, or undefined. Relative durations and
 * `now` are checked by the caller; other forms are left to `parseTime`.
 */
export function userTimeProblem(text: string): string | undefined {
  const s = text.trim();
  const m = ISO.exec(s);
  if (m) {
    if (s[4] !== s[7]) return 'the date mixes - and / separators';
    return fieldsProblem(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) ?? (m[8] ? offsetProblem(m[8]) : undefined);
  }
  const clf = CLF.exec(s);
  if (clf) {
    const mon = MONTHS[clf[2].toLowerCase()];
    if (mon === undefined) return `no month is called ${clf[2]}`;
    return fieldsProblem(+clf[3], mon + 1, +clf[1], +clf[4], +clf[5], +clf[6]) ?? (clf[7] ? offsetProblem(clf[7]) : undefined);
  }
  // Something that looks like a date but is not one of the forms (`2024-1-5`, `2024-01-15T10`).
  if (/^\d{4}[-/]/.test(s)) return 'expected an ISO time such as 2024-01-15T10:30:00Z (or 2024-01-15)';
  return undefined;
}
