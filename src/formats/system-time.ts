import { isoTime, monthNumber, yearFor } from './text-time.js';
import type { LayoutContext } from './types.js';

/**
 * Month abbreviations some syslog daemons write in the system's locale (French, German), lower
 * case and with their accents; English names are read by `monthNumber`.
 */
const LOCAL_MONTHS: Record<string, number> = {
  janv: 1, 'févr': 2, fevr: 2, 'fév': 2, mars: 3, avr: 4, mai: 5, juin: 6, juil: 7, 'août': 8, aout: 8, aou: 8, sept: 9, 'déc': 12,
  'mär': 3, mrz: 3, okt: 10, dez: 12,
};

/** The month number of an English, French or German month abbreviation (`Jan`, `févr.`, `Mär`, `Okt`). */
export function localMonth(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  const hit = LOCAL_MONTHS[n];
  if (hit) return hit;
  // Without accents (`aoû`, `fév` written in another encoding's letters): English, else the table.
  const plain = n.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return /^[a-z]{3,}$/.test(plain) ? (monthNumber(plain) ?? LOCAL_MONTHS[plain] ?? LOCAL_MONTHS[plain.slice(0, 3)]) : undefined;
}

/** ANSI escape sequences (colours, bold) as terminals and `ccze`-style tools write them. */
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The line without ANSI escape sequences (unchanged, without a copy, when it has none). */
export function stripAnsi(line: string): string {
  return line.includes('\x1b') ? line.replace(ANSI, '') : line;
}

/** A time given as `Mon dd hh:mm:ss[.frac]` without a year: the year comes from `yearFor`. */
export function yearlessTime(month: number, day: number, hms: string, frac: string | undefined, ctx: LayoutContext, year?: number): string {
  return isoTime(year ?? yearFor(month, day, ctx), month, day, hms, frac);
}

/**
 * `Fri Sep 09 10:42:29.902022 2011` or `Sun Mar 13 22:49:12 2016` (C's `asctime`, Apache 2.2/2.4
 * error log, uWSGI) as an ISO string without a zone; undefined when it does not read.
 */
export function asctimeIso(s: string): string | undefined {
  const m = /^(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d)(?:\.(\d+))? (\d{4})$/.exec(s);
  if (!m) return undefined;
  const month = monthNumber(m[1]!);
  return month ? isoTime(Number(m[5]), month, Number(m[2]), m[3]!, m[4]) : undefined;
}

/** `15/Jan/2024:10:30:45 +0000`, `15/Jan/2024 10:30:45` or `15/Jan/2024:10:30:45.123` as ISO (zone kept when written). */
export function clfIso(s: string): string | undefined {
  const m = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{4})[: ](\d\d:\d\d:\d\d)(?:\.(\d+))?(?: ?([+-]\d{4}))?$/.exec(s);
  if (!m) return undefined;
  const month = monthNumber(m[2]!);
  return month ? isoTime(Number(m[3]), month, Number(m[1]), m[4]!, m[5], m[6]) : undefined;
}

/** The level of an HTTP status by the access-log convention: 5xx `error`, 4xx `warn`, else `info`. */
export function statusLevel(status: number | undefined): string {
  if (status === undefined) return 'info';
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

/** A level word opening a message (`error: …`, `<warning>`, `[ERROR] …`, `WARN …`); undefined when none. */
export function leadingLevel(msg: string): string | undefined {
  const m = /^[<[(]?(emerg|emergency|alert|crit|critical|fatal|panic|err|error|warn|warning|notice|info|debug)\b[\]>):]?/i.exec(msg);
  if (!m) return undefined;
  // A bare lower-case word (`error happened`) reads as prose unless a separator follows it.
  if (!/[\]>):]/.test(m[0]) && m[1] !== m[1]!.toUpperCase()) return undefined;
  return m[1]!.toLowerCase();
}
