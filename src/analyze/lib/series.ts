/** Time series of counts with no gaps: a silent bucket is a zero, not a missing point. */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** Bucket widths a series may take (whole minutes, so minute counts fold into them exactly). */
const WIDTHS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2 * 1440, 7 * 1440, 14 * 1440, 28 * 1440].map((m) => m * MINUTE);

/** One bucket of a series: its start (epoch ms, a multiple of the width) and its counts. */
export interface Bucket {
  start: number;
  count: number;
  errors: number;
}

/** A gap-free series: every bucket from the first record's to the last record's, `bucket_ms` wide. */
export interface Series {
  bucket_ms: number;
  buckets: Bucket[];
}

function spanned(first: number, last: number, w: number): number {
  return Math.floor(last / w) - Math.floor(first / w) + 1;
}

/** The narrowest width, a multiple of `base`, that covers first..last in at most `max` buckets. */
export function widthFor(first: number, last: number, max: number, base = MINUTE): number {
  for (const w of WIDTHS) if (w >= base && w % base === 0 && spanned(first, last, w) <= max) return w;
  // Longer than the ladder: whole multiples of the base (and of a day once past 28 days).
  const unit = base >= DAY ? base : DAY;
  let w = unit * Math.max(1, Math.ceil((last - first) / unit / Math.max(1, max - 1)));
  while (spanned(first, last, w) > max) w += unit;
  return w;
}

/**
 * Folds points (start of an aligned bucket of width `base`, count, errors) into a gap-free series
 * of at most `max` buckets from the bucket of `first` to the bucket of `last`.
 */
export function buildSeries(points: Iterable<readonly [number, number, number]>, first: number, last: number, max: number, base = MINUTE): Series {
  if (!(first <= last)) return { bucket_ms: base, buckets: [] };
  const w = widthFor(first, last, max, base);
  const start = Math.floor(first / w) * w;
  const buckets = Array.from({ length: spanned(first, last, w) }, (_, i) => ({ start: start + i * w, count: 0, errors: 0 }));
  for (const [t, count, errors] of points) {
    const b = buckets[Math.floor(t / w) - start / w];
    if (!b) continue;
    b.count += count;
    b.errors += errors;
  }
  return { bucket_ms: w, buckets };
}

/** The same series in at most `max` wider buckets (for a chart of a given width). */
export function rebin(s: Series, max: number): Series {
  if (s.buckets.length <= max) return s;
  const first = s.buckets[0].start;
  const last = s.buckets[s.buckets.length - 1].start;
  return buildSeries(s.buckets.map((b) => [b.start, b.count, b.errors] as const), first, last, max, s.bucket_ms);
}

/** "min", "5 min", "2 h", "day", "7 days": the width of a bucket, for titles such as "records per 5 min". */
export function widthLabel(ms: number): string {
  if (ms % DAY === 0) return ms === DAY ? 'day' : `${ms / DAY} days`;
  if (ms % (60 * MINUTE) === 0) return ms === 60 * MINUTE ? 'hour' : `${ms / (60 * MINUTE)} h`;
  return ms === MINUTE ? 'min' : `${ms / MINUTE} min`;
}
