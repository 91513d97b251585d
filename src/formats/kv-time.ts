/**
 * Timestamps at the start of a text line, in the forms generic and Go-ecosystem layouts write:
 * `2024-01-15T10:30:45.123Z`, `2024-01-15 10:30:45,123`, `2024/01/15 10:30:45.123456`, an
 * optional zone (`Z`, `UTC`, `+01:00`, `+0100`, ` +0000`), optionally in brackets
 * (`[2024-01-15 10:30:45]`). The result is a time string the time parser reads (ISO-like).
 */
const LEADING =
  /^(\[)?(\d{4})([-/])(\d{2})\3(\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)(?![\w:]))?(\])?/;

/** A timestamp read at the start of a line: its time string and where the line goes on. */
export interface LeadingTime {
  time: string;
  end: number;
}

/** The timestamp opening `line`, or undefined (a bracket must close where it opened). */
export function leadingTime(line: string): LeadingTime | undefined {
  const c = line.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 91)) return undefined;
  const m = LEADING.exec(line);
  if (!m || (m[1] !== undefined) !== (m[9] !== undefined)) return undefined;
  const time = `${m[2]}-${m[4]}-${m[5]}T${m[6]}${m[7] ? `.${m[7]}` : ''}${m[8] ?? ''}`;
  return { time, end: m[0].length };
}

/**
 * A logfmt time value the time parser would not read as written, made readable:
 * `2022/09/11 16:31:21` → `2022-09-11 16:31:21`. Other values are returned as they are.
 */
export function slashDate(value: string): string {
  if (value.length >= 10 && value.charCodeAt(4) === 47 && value.charCodeAt(7) === 47) return `${value.slice(0, 4)}-${value.slice(5, 7)}-${value.slice(8)}`;
  return value;
}
