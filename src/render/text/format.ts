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

/** Pads or cuts text to a display width (cut text ends with `…`). */
export function fit(text: string, width: number): string {
  if (text.length > width) return width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + '…';
  return text.padEnd(width);
}

/** Like `fit`, but cuts from the left: for paths, whose end (the file name) matters most. */
export function fitLeft(text: string, width: number): string {
  if (text.length > width) return width <= 1 ? text.slice(-width) : '…' + text.slice(text.length - width + 1);
  return text.padEnd(width);
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
