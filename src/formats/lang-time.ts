import { isoTime, monthNumber, yearFor } from './text-time.js';
import type { LayoutContext } from './types.js';

/**
 * Time forms written by application loggers (log4j/logback `%d` variants, Python `asctime`,
 * Ruby, Monolog, NLog, Tomcat JULI), as regex sources without groups, and their conversion to
 * the ISO-like strings the time parser reads.
 */

/** ISO 8601 with `T` or a space, `.`/`,` fraction, optional zone (`Z`, `+01:00`, `+0100`, ` +0000`). */
export const ISO = String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,:]\d{1,9})?(?: ?(?:Z|[+-]\d\d:?\d\d)\b)?`;
/** Tomcat JULI / log4j `dd-MMM-yyyy HH:mm:ss.SSS`. */
export const DMY_DASH = String.raw`\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:[.,]\d{1,9})?`;
/** log4j `%d{DATE}`: `15 Jan 2024 10:30:45,123`. */
export const DMY_SPACE = String.raw`\d\d? [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d(?:[.,]\d{1,9})?`;
/** Spark/Hadoop `yy/MM/dd HH:mm:ss`. */
export const YMD_SLASH = String.raw`\d\d/\d\d/\d\d \d\d:\d\d:\d\d(?:[.,]\d{1,9})?`;
/**
 * Any of the dated forms above. (`yyyy/MM/dd HH:mm:ss` is left out: it is Go's standard log
 * time, read by its own layout.)
 */
export const APP_TIME = `(?:${ISO}|${DMY_DASH}|${DMY_SPACE}|${YMD_SLASH})`;

const ISO_PARTS = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,:](\d{1,9}))?(?: ?(Z|[+-]\d\d:?\d\d))?$/;
const DMY = /^(\d\d?)[- ]([A-Za-z]{3})[- ](\d{4}) (\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?$/;
const SLASH = /^(\d{2}|\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?$/;

/** A zone as `Z` or `+hh:mm`. */
export function zoneOf(z: string | undefined): string | undefined {
  if (!z) return undefined;
  if (z === 'Z') return z;
  return z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
}

/** The time string of one of the forms of `APP_TIME` (undefined when it is none of them). */
export function appTime(s: string): string | undefined {
  let m = ISO_PARTS.exec(s);
  if (m) return `${m[1]}T${m[2]}${m[3] ? `.${m[3]}` : ''}${zoneOf(m[4]) ?? ''}`;
  m = DMY.exec(s);
  if (m) {
    const mon = monthNumber(m[2]!);
    return mon ? isoTime(Number(m[3]), mon, Number(m[1]), m[4]!, m[5]) : undefined;
  }
  m = SLASH.exec(s);
  if (m) {
    const y = m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
    return isoTime(y, Number(m[2]), Number(m[3]), m[4]!, m[5]);
  }
  return undefined;
}

/** Ruby `Time#to_s` / Merb `Fri Aug 29 11:10:23 +0200 2008`. */
export function rubyTime(s: string): string | undefined {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d\d?) (\d\d:\d\d:\d\d) ([+-]\d{4}|UTC|[A-Z]{3,4}) (\d{4})$/.exec(s);
  const mon = m ? monthNumber(m[1]!) : undefined;
  if (!m || !mon) return undefined;
  const zone = m[4] === 'UTC' ? 'Z' : /^[+-]/.test(m[4]!) ? zoneOf(m[4]) : undefined;
  return isoTime(Number(m[5]), mon, Number(m[2]), m[3]!, undefined, zone);
}

/** JUL SimpleFormatter `Jan 15, 2024 10:30:45 AM` (12-hour clock). */
export function julTime(s: string): string | undefined {
  const m = /^([A-Z][a-z]{2}) (\d\d?), (\d{4}) (\d\d?):(\d\d):(\d\d) ([AP]M)$/.exec(s);
  const mon = m ? monthNumber(m[1]!) : undefined;
  if (!m || !mon) return undefined;
  let h = Number(m[4]) % 12;
  if (m[7] === 'PM') h += 12;
  return isoTime(Number(m[3]), mon, Number(m[2]), `${String(h).padStart(2, '0')}:${m[5]}:${m[6]}`);
}

/** A year-less `MM-dd HH:mm:ss` given a year by `yearFor`. */
export function yearless(month: number, day: number, hms: string, frac: string | undefined, ctx: LayoutContext): string {
  return isoTime(yearFor(month, day, ctx), month, day, hms, frac);
}
