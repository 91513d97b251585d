import { UsageError } from '../errors.js';

/** Converts a wall-clock time read as if it were UTC into the real UTC instant. */
export type ZoneShift = (wallMs: number) => number;

const FIXED = /^(?:UTC|GMT|Z)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * Interprets `--tz`: `UTC`, a fixed offset (`+05:30`, `-0800`, `UTC+2`) or an IANA zone name
 * (`Europe/Berlin`, with its daylight-saving rules). Undefined means UTC.
 */
export function zoneShift(tz: string | undefined): ZoneShift | undefined {
  if (tz === undefined || /^(utc|gmt|z)$/i.test(tz.trim())) return undefined;
  const m = FIXED.exec(tz.trim());
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    if (Number(m[3] ?? 0) > 59 || minutes > 14 * 60) {
      throw new UsageError(`--tz '${tz}': no such offset (offsets run from -14:00 to +14:00, minutes 00-59)`);
    }
    const off = (m[1] === '-' ? -1 : 1) * minutes * 60_000;
    return (wall) => wall - off;
  }
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new UsageError(`--tz '${tz}': unknown time zone (use an IANA name such as Europe/Berlin, or an offset such as +05:30)`);
  }
  const offsetAt = (utc: number): number => {
    const p: Record<string, number> = {};
    for (const part of dtf.formatToParts(new Date(utc))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
    return asUtc - Math.floor(utc / 1000) * 1000;
  };
  // Offsets change at most a few times a year; caching per wall-clock hour keeps this off the hot path.
  const cache = new Map<number, number>();
  return (wall) => {
    const hour = Math.floor(wall / 3_600_000);
    let off = cache.get(hour);
    if (off === undefined) {
      const guess = offsetAt(wall);
      off = offsetAt(wall - guess);
      if (cache.size > 10_000) cache.clear();
      cache.set(hour, off);
    }
    return wall - off;
  };
}
