/** Human-readable duration: `120µs`, `850ms`, `2.31s`, `1m05s`, `2h03m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const neg = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a === 0) return '0ms';
  if (a < 1) return `${neg}${trim(a * 1000, a * 1000 < 10 ? 1 : 0)}µs`;
  if (a < 1000) return `${neg}${trim(a, a < 10 ? 2 : a < 100 ? 1 : 0)}ms`;
  if (a < 60_000) return `${neg}${trim(a / 1000, 2)}s`;
  if (a < 3_600_000) {
    const m = Math.floor(a / 60_000);
    return `${neg}${m}m${String(Math.floor((a % 60_000) / 1000)).padStart(2, '0')}s`;
  }
  const h = Math.floor(a / 3_600_000);
  return `${neg}${h}h${String(Math.floor((a % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}

function trim(n: number, digits: number): string {
  const t = n.toFixed(digits);
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

/**
 * A number with thousands separators (`12,345`), as `toLocaleString('en-US')` writes it.
 * Whole numbers are grouped here, sparing the 10–20 ms the first locale-aware call takes.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of counts. */
export function sparkline(values: number[]): string {
  const max = values.reduce((m, v) => (v > m ? v : m), 0);
  if (max === 0) return values.map(() => SPARKS[0]).join('');
  return values.map((v) => SPARKS[Math.min(SPARKS.length - 1, Math.floor((v / max) * (SPARKS.length - 1)))]).join('');
}

/** How much of a time of day a view shows. */
export type ClockPrecision = 'min' | 's' | 'ms';

const CLOCK_END: Record<ClockPrecision, number> = { min: 16, s: 19, ms: 23 };

const DAY_MS = 86_400_000;

/**
 * Every time of day a human view prints goes through here. Records of one UTC calendar day show
 * the time alone (`08:49:07`); records over several days, or whose span is not known (a live
 * stream: no times given), show the date too (`2024-01-15 08:49:07`): `08:49–11:39` may
 * otherwise mean 27 hours. `times` are all the times the view prints (or its first and last).
 */
export function clockOver(times: Iterable<number | null | undefined>, precision: ClockPrecision = 's'): (t: number | undefined) => string {
  const days = new Set<number>();
  for (const t of times) if (t != null && Number.isFinite(t)) days.add(Math.floor(t / DAY_MS));
  const from = days.size === 1 ? 11 : 0;
  return (t) => (t === undefined || !Number.isFinite(t) ? '?' : new Date(t).toISOString().slice(from, CLOCK_END[precision]).replace('T', ' '));
}

/** `clockOver` for records spanning first..last (unknown when either is missing). */
export function clockFor(first?: number | null, last?: number | null, precision: ClockPrecision = 's'): (t: number | undefined) => string {
  return first != null && last != null ? clockOver([first, last], precision) : clockOver([], precision);
}

/** A time range for a human view: `2024-01-15 08:49:07 → 11:39:12 UTC`, the end dated too when it is another UTC day. */
export function formatRange(first: number, last: number, precision: ClockPrecision = 's'): string {
  const dated = clockOver([], precision);
  return `${dated(first)} → ${clockFor(first, last, precision)(last)} UTC`;
}
