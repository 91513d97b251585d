/**
 * The one place human output is fitted to the terminal. Every human table and line of the
 * report commands goes through here: the width is read once (`outputWidth`), tables give their
 * numeric columns the room they need first and shorten text columns by kind (`table`), and
 * whatever else a view prints is cut to the width without breaking a colour (`shorten`) or
 * wrapped at spaces (`notes.ts`). What is there to be copied (a command, an id, a path) is never
 * cut: a word wider than the terminal is the one thing that may wrap.
 *
 * Widths are display widths (East Asian wide characters count two, colour codes none), measured
 * by string-width (plain ASCII by its length); cutting keeps colour codes balanced (cli-truncate).
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { UsageError } from '../../errors.js';

/** The width when output is not a terminal and neither `--width` nor `COLUMNS` says otherwise. */
export const PIPE_WIDTH = 80;
/** The narrowest width `--width` takes: below it no table can show its numbers. */
export const MIN_WIDTH = 40;

/**
 * The width human output is fitted to: `--width`, else the terminal's columns, else `COLUMNS`,
 * else 80 (piped output, as `ls` and git's tables do).
 */
export function outputWidth(flag?: string | number, stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  if (flag !== undefined) return parseWidth(String(flag), '--width');
  if (stream.isTTY && stream.columns && stream.columns > 0) return Math.max(MIN_WIDTH, stream.columns);
  const cols = env.COLUMNS?.trim();
  if (cols && /^\d+$/.test(cols) && Number(cols) > 0) return Math.max(MIN_WIDTH, Number(cols));
  return PIPE_WIDTH;
}

/** A `--width` value: a whole number of columns, at least MIN_WIDTH. */
export function parseWidth(text: string, where: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < MIN_WIDTH) throw new UsageError(`${where} '${text}': expected a number of columns, at least ${MIN_WIDTH}`);
  return n;
}

/**
 * Printable ASCII (and the one-column marks the views add: … → │ ┆): one column per UTF-16
 * unit, no colour codes. The common case, measured and cut without string-width.
 */
const PLAIN_ASCII = /^[\x20-\x7e…→│┆]*$/;

/** Columns a string takes on a terminal (colour codes take none, wide characters two). */
export function displayWidth(text: string): number {
  return PLAIN_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Text without its colour codes. */
export function plain(text: string): string {
  return stripAnsi(text);
}

/** Where text is cut when it does not fit. */
export type Cut = 'end' | 'middle' | 'start';

/** No character that can take two columns (East Asian wide ones start at U+1100; emoji are surrogate pairs). */
const NO_WIDE = /^[\x00-\u10ff\u2026\u2192\u2500-\u257f]*$/;

/**
 * Whether text fits `width` columns. Cheap for most lines: without wide characters a string's
 * length (colour codes included) is at least its display width, so a short one fits unmeasured.
 */
export function fits(text: string, width: number): boolean {
  if (text.length <= width && NO_WIDE.test(text)) return true;
  return displayWidth(text) <= width;
}

/** Cuts text (colours kept balanced) to at most `width` columns, marking the cut with `…`. */
export function shorten(text: string, width: number, cut: Cut = 'end'): string {
  if (width <= 0) return '';
  if (PLAIN_ASCII.test(text)) return text.length <= width ? text : asciiCut(text, width, cut);
  if (fits(text, width)) return text;
  // A wide character at the cut can leave the text one column over: cut again a column shorter.
  for (let w = width; w > 0; w--) {
    const cutText = cliTruncate(text, w, { position: cut, preferTruncationOnSpace: cut === 'start' && w > 12 });
    if (displayWidth(cutText) <= width) return cutText;
  }
  return '';
}

/** `shorten` for printable ASCII: plain slicing, as cli-truncate would cut it (without its search for a space). */
function asciiCut(text: string, width: number, cut: Cut): string {
  if (width === 1) return '…';
  if (cut === 'end') return text.slice(0, width - 1) + '…';
  if (cut === 'start') return '…' + text.slice(text.length - width + 1);
  const head = Math.ceil((width - 1) / 2);
  return text.slice(0, head) + '…' + text.slice(text.length - (width - 1 - head));
}

/** Pads text with spaces to `width` columns (left-aligned; `right` aligns it right). */
export function pad(text: string, width: number, right = false): string {
  const room = width - displayWidth(text);
  if (room <= 0) return text;
  return right ? ' '.repeat(room) + text : text + ' '.repeat(room);
}

/** Shortens then pads: the cell of a fixed-width column. */
export function cell(text: string, width: number, cut: Cut = 'end', right = false): string {
  return pad(shorten(text, width, cut), width, right);
}

/**
 * The words texts share at their start: `TraceID: <*> SpanID: <*> ` for templates that all
 * begin so. Cut at a word boundary, and never the whole of any text.
 */
export function commonPrefix(texts: readonly string[]): string {
  if (texts.length < 2) return '';
  let n = texts[0].length;
  for (const t of texts) {
    let i = 0;
    while (i < n && i < t.length && t[i] === texts[0][i]) i++;
    n = i;
  }
  const shortest = Math.min(...texts.map((t) => t.length));
  if (n >= shortest) n = texts[0].slice(0, shortest).lastIndexOf(' ', shortest - 1) + 1;
  const prefix = texts[0].slice(0, n);
  // Only whole words: back off to the last space inside the shared part.
  const end = prefix.endsWith(' ') ? prefix.length : prefix.lastIndexOf(' ') + 1;
  return prefix.slice(0, Math.max(0, end));
}

/**
 * Templates (or messages) fitted to `width` so the rows stay told apart: when they do not fit,
 * the start they all share gives way first (replaced by `…`; with `sharedStart: 'shorten'`,
 * shortened in its middle while what differs still fits beside it:
 * `TraceID: <*>…failed: could not charge card <*>`), and what is still too long loses its
 * middle (the beginning of what differs and the end stay). A shared start under 8 columns is kept.
 */
export function shortenTemplates(texts: readonly string[], width: number, opts: { sharedStart?: 'drop' | 'shorten' } = {}): string[] {
  const fitter = templateFitter(texts, opts);
  return texts.map((t) => fitter.fit(t, width));
}

/**
 * `shortenTemplates` one line at a time, for lines whose room differs (a template after a service
 * name or an id): the shared start is found once over all the texts; `fit` shortens one of them.
 */
export function templateFitter(texts: readonly string[], opts: { sharedStart?: 'drop' | 'shorten' } = {}): { prefix: string; fit: (t: string, width: number) => string } {
  const shared = commonPrefix([...new Set(texts)]);
  const prefix = shared.length >= 8 ? shared : '';
  return {
    prefix,
    fit: (t, width) => {
      if (displayWidth(t) <= width) return t;
      if (!prefix || !t.startsWith(prefix)) return shorten(t, width, 'middle');
      const rest = t.slice(prefix.length);
      const left = width - displayWidth(rest) - 1;
      if (opts.sharedStart === 'shorten' && left >= SHARED_ROOM) return `${shorten(prefix.trimEnd(), left, 'middle')} ${rest}`;
      return shorten('…' + rest, width, 'middle');
    },
  };
}

/**
 * As many items as fit in `width` joined by `sep`, then `more(n)` for those left out (always at
 * least the first item, shortened by `cut` when even it does not fit).
 */
export function fitList(items: readonly string[], width: number, opts: { sep?: string; moreSep?: string; more?: (n: number) => string; cut?: Cut } = {}): string {
  const sep = opts.sep ?? ', ';
  const moreSep = opts.moreSep ?? sep;
  const more = opts.more ?? ((n: number) => `+${n} more`);
  if (items.length === 0) return '';
  const all = items.join(sep);
  if (displayWidth(all) <= width) return all;
  for (let k = items.length - 1; k >= 1; k--) {
    const text = items.slice(0, k).join(sep) + moreSep + more(items.length - k);
    if (displayWidth(text) <= width) return text;
  }
  const tail = items.length > 1 ? moreSep + more(items.length - 1) : '';
  return shorten(items[0], Math.max(1, width - displayWidth(tail)), opts.cut ?? 'end') + tail;
}

/** The fewest columns a shortened shared start is shown in (else it is one `…`). */
const SHARED_ROOM = 12;

/** How a column's cells are shortened when the table is too wide. */
export type ColumnKind =
  /** Never shortened: counts, durations, percentages (they get their room first). */
  | 'number'
  /** Keys and names (services, operations, ids): the middle goes, both ends stay. */
  | 'key'
  /** Templates and messages: the start the rows share goes, then the middle. */
  | 'template'
  /** Paths and sources: the start goes, the file name stays. */
  | 'path'
  /** Other text: the end goes. */
  | 'text';

export interface Column {
  header: string;
  kind: ColumnKind;
  /** Right-aligned (numbers are unless told otherwise). */
  right?: boolean;
  /** Never narrower than this when shortened (default: 8, or the header's width). */
  min?: number;
  /** Never wider than this. */
  max?: number;
  /** Dropped (with its separator) when the others leave it fewer than `min` columns. */
  optional?: boolean;
}

/** The width a key or text column keeps before an optional column is given room. */
const COMFORT = 24;

/** A table cell: text, and a colour applied after it is fitted (so cutting never splits a colour code). */
export type Cell = string | { text: string; paint?: (s: string) => string };

export interface TableOptions {
  /** Printed before every line (counted in the width). */
  indent?: string;
  /** Between columns (default one space). */
  gap?: string;
  /** Colour of the header line; no header line when undefined and `header` is false. */
  headerPaint?: (s: string) => string;
  /** Print the header line (default true). */
  header?: boolean;
}

const cellText = (c: Cell) => (typeof c === 'string' ? c : c.text);
const cellPaint = (c: Cell) => (typeof c === 'string' ? undefined : c.paint);

/**
 * Lays rows out in columns that fit `width`: numeric columns take their full width first, text
 * columns share the rest (each its natural width when all fit, otherwise the room is divided so
 * the narrow ones stay whole and the wide ones are shortened by their kind); an optional last
 * column is dropped when nothing is left for it. Returns the lines (header first).
 */
export function table(columns: readonly Column[], rows: readonly (readonly Cell[])[], width: number, opts: TableOptions = {}): string[] {
  const indent = opts.indent ?? '';
  const gap = opts.gap ?? ' ';
  const showHeader = opts.header !== false;
  const natural = columns.map((c, i) => Math.max(showHeader ? displayWidth(c.header) : 0, ...rows.map((r) => displayWidth(cellText(r[i] ?? '')))));
  const capped = natural.map((n, i) => Math.min(n, columns[i].max ?? Infinity));
  const minOf = (i: number) => Math.min(capped[i], columns[i].min ?? Math.max(8, showHeader ? displayWidth(columns[i].header) : 0));
  // An optional column stays only while the required text columns keep a readable width (COMFORT, or all of
  // a narrower one); optional columns go, last first, until they do.
  const comfortOf = (i: number) => (columns[i].kind === 'number' || columns[i].optional ? minOf(i) : Math.min(capped[i], Math.max(minOf(i), COMFORT)));
  const room = width - displayWidth(indent);
  let shown = columns.map((_, i) => i);
  let widths = allot(columns, capped, comfortOf, shown, room, gap.length);
  while (widths === undefined && shown.some((i) => columns[i].optional)) {
    const drop = [...shown].reverse().find((i) => columns[i].optional)!;
    shown = shown.filter((i) => i !== drop);
    widths = allot(columns, capped, comfortOf, shown, room, gap.length);
  }
  widths ??= allot(columns, capped, minOf, shown, room, gap.length);
  const final = widths ?? shown.map((i) => minOf(i));
  const templates = new Map<number, string[]>();
  shown.forEach((i, j) => {
    if (columns[i].kind === 'template') templates.set(i, shortenTemplates(rows.map((r) => cellText(r[i] ?? '')), final[j]));
  });
  const line = (cells: (string | undefined)[], paints: ((s: string) => string)[] | undefined) =>
    shown
      .map((i, j) => {
        const col = columns[i];
        const right = col.right ?? col.kind === 'number';
        const last = j === shown.length - 1;
        const text = cells[i] ?? '';
        const cut: Cut = col.kind === 'key' ? 'middle' : col.kind === 'path' ? 'start' : col.kind === 'template' ? 'middle' : 'end';
        const fitted = shorten(text, final[j], cut);
        const painted = paints?.[i] ? paints[i](fitted) : fitted;
        // The last column is not padded: no trailing spaces.
        return last && !right ? painted : pad(painted, final[j] + (displayWidth(painted) - displayWidth(fitted)), right);
      })
      .join(gap);
  const out: string[] = [];
  if (showHeader) {
    const h = line(columns.map((c) => c.header), undefined);
    out.push(indent + (opts.headerPaint ? opts.headerPaint(h) : h));
  }
  rows.forEach((r, k) => {
    const cells = r.map((c, i) => (templates.has(i) ? templates.get(i)![k] : cellText(c)));
    const paints = r.map((c) => cellPaint(c) ?? ((s: string) => s));
    out.push((indent + line(cells, paints)).trimEnd());
  });
  return out;
}

/** Column widths for the shown columns within `room`, or undefined when even their minimums do not fit. */
function allot(columns: readonly Column[], natural: number[], minOf: (i: number) => number, shown: number[], room: number, gap: number): number[] | undefined {
  const avail = room - gap * Math.max(0, shown.length - 1);
  const fixed = shown.filter((i) => columns[i].kind === 'number');
  const flex = shown.filter((i) => columns[i].kind !== 'number');
  let left = avail - fixed.reduce((a, i) => a + natural[i], 0);
  if (left < flex.reduce((a, i) => a + minOf(i), 0)) return undefined;
  const w = new Map<number, number>(fixed.map((i) => [i, natural[i]]));
  // Water-filling: columns narrower than an even share keep their natural width; the rest split what remains.
  let open = [...flex];
  for (;;) {
    const share = Math.floor(left / Math.max(1, open.length));
    const small = open.filter((i) => natural[i] <= share);
    if (small.length === 0) break;
    for (const i of small) {
      w.set(i, natural[i]);
      left -= natural[i];
    }
    open = open.filter((i) => natural[i] > share);
    if (open.length === 0) break;
  }
  // The wide columns each get their minimum, then share what is left evenly (up to their natural width).
  for (const i of open) {
    w.set(i, minOf(i));
    left -= minOf(i);
  }
  while (left > 0) {
    const grow = open.filter((i) => w.get(i)! < natural[i]);
    if (grow.length === 0) break;
    const each = Math.max(1, Math.floor(left / grow.length));
    for (const i of grow) {
      const add = Math.min(each, natural[i] - w.get(i)!, left);
      w.set(i, w.get(i)! + add);
      left -= add;
      if (left === 0) break;
    }
  }
  return shown.map((i) => w.get(i)!);
}
