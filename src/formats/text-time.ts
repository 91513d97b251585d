import type { LayoutContext } from './types.js';

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const pad = (n: number | string, w = 2) => String(n).padStart(w, '0');

/** The month number (1–12) of an English three-letter month name in any case; undefined otherwise. */
export function monthNumber(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

/**
 * An ISO-like time string (`2024-01-15T10:30:45.123456`, zone appended when given) from parts,
 * for the time parser. `frac` is the fraction's digits, without its separator.
 */
export function isoTime(year: number, month: number, day: number, hms: string, frac?: string, zone?: string): string {
  return `${year}-${pad(month)}-${pad(day)}T${hms}${frac ? `.${frac}` : ''}${zone ?? ''}`;
}

/**
 * The year for a time written without one: this year, unless that would put the time more
 * than a day ahead of now (a December line read in January), then the year before.
 */
export function yearFor(month: number, day: number, ctx: LayoutContext): number {
  const ahead = Date.UTC(ctx.year, month - 1, day) - ctx.now;
  return ahead > 86_400_000 ? ctx.year - 1 : ctx.year;
}
