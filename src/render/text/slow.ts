import asciichart from 'asciichart';
import type { ChalkInstance } from 'chalk';
import { EXACT_FLOOR } from '../../analyze/lib/quantiles.js';
import type { SlowGroup, SlowResult } from '../../analyze/slow.js';
import { formatTime } from '../../normalize/time.js';
import { clockFor, formatCount, formatDuration, sparkline } from './format.js';
import { displayWidth, PIPE_WIDTH, shorten, table, type Cell, type Column } from './layout.js';
import { wrapWords } from './notes.js';
import { visible } from './sanitize.js';

/** Display name of a group: its key values joined. */
export function groupName(g: SlowGroup): string {
  return Object.values(g.key).join(', ');
}

/** The narrowest the key column gets before less important numbers make room for it. */
const KEY_MIN = 16;
/** The key column the latency sparkline leaves at least (else the sparkline is not shown). */
const SPARK_KEY = 32;

/** Numeric columns given up, in this order, when the width cannot hold them and a readable key. */
const DROP_ORDER = ['p90', 'viol', 'p99', 'p50', 'max'] as const;

type NumCol = 'count' | 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'viol';

/** The human view of `slow`: a table fitted to `width`, a latency sparkline per group when it fits, and the next command. */
export function renderSlow(res: SlowResult, groups: SlowGroup[], c: ChalkInstance, opts: { chart?: boolean; limitMs?: number; top?: number; width?: number } = {}): string {
  const width = opts.width ?? PIPE_WIDTH;
  if (groups.length === 0) return wrapWords('no records with a duration (see the duration aliases in the README, or --field duration=<key>:<unit>)', width).join('\n') + '\n';
  const top = opts.top ?? 30;
  const shown = groups.slice(0, top);
  const L: string[] = [];
  const [lo, hi] = populated(shown.map((g) => g.histogram));
  // A sketched percentile is marked on the value itself: ≈ within relative_error of the exact one.
  const pct = (g: SlowGroup, v: number | null) => (g.exact ? '' : '≈') + formatDuration(v ?? undefined);
  const values = (g: SlowGroup): Record<NumCol, string> => ({
    count: formatCount(g.count),
    p50: pct(g, g.p50_ms),
    p90: pct(g, g.p90_ms),
    p95: pct(g, g.p95_ms),
    p99: pct(g, g.p99_ms),
    max: formatDuration(g.max_ms ?? undefined),
    viol: String(g.violations),
  });
  const cells = shown.map(values);
  const parts = shown.map((g) => Object.values(g.key).map((v) => visible(v)));
  const suffix = (g: SlowGroup) => (g.partial ? ' (partial)' : '');
  const names = shown.map((g, i) => parts[i].join(', ') + suffix(g));
  const header = res.by.join(', ');
  const order: NumCol[] = ['count', 'p50', 'p90', 'p95', 'p99', 'max', 'viol'];
  const natural = (k: NumCol) => Math.max(k.length, ...cells.map((v) => displayWidth(v[k])));
  const keyNatural = Math.max(displayWidth(header), ...names.map(displayWidth));
  // Numbers are never cut: when they leave the key fewer than KEY_MIN columns, the least important go.
  const dropped: NumCol[] = [];
  const room = () => width - order.filter((k) => !dropped.includes(k)).reduce((a, k) => a + natural(k) + 1, 0);
  for (const k of DROP_ORDER) {
    if (room() >= Math.min(KEY_MIN, keyNatural)) break;
    dropped.push(k);
  }
  const nums = order.filter((k) => !dropped.includes(k));
  const spark = shown.map((g) => sparkline(g.histogram.slice(lo, hi)));
  const sparkWidth = Math.max(0, ...spark.map(displayWidth));
  // The sparkline is whole or not at all (a cut one would mislead), and only when the key keeps
  // SPARK_KEY columns beside it: a readable key matters more.
  const sparkHeader = sparkWidth >= 17 ? 'latency histogram' : sparkWidth >= 9 ? 'histogram' : 'hist';
  const withSpark = sparkWidth > 0 && room() - Math.max(sparkWidth, sparkHeader.length) - 1 >= Math.min(SPARK_KEY, keyNatural);
  // Each field of a key loses its own middle, so the end of every field (`…-cluster-3`,
  // `…/variant-2`) stays in view; the key column is the only one shortened (the numbers are whole,
  // the sparkline fits whole), so its width is known here.
  const keyWidth = Math.max(Math.min(KEY_MIN, keyNatural), Math.min(keyNatural, room() - (withSpark ? Math.max(sparkWidth, sparkHeader.length) + 1 : 0)));
  shown.forEach((g, i) => {
    if (displayWidth(names[i]) > keyWidth) names[i] = fitFields(parts[i], keyWidth - suffix(g).length) + suffix(g);
  });
  const columns: Column[] = [
    { header, kind: 'key', min: Math.min(KEY_MIN, keyNatural) },
    ...nums.map((k): Column => ({ header: k, kind: 'number' })),
    ...(withSpark ? [{ header: sparkHeader, kind: 'text', optional: true, min: Math.max(4, sparkWidth) } as Column] : []),
  ];
  const rows = shown.map((g, i): Cell[] => {
    const slow = g.violations > 0 || (opts.limitMs !== undefined && (g.p95_ms ?? 0) > opts.limitMs);
    const paint = slow ? c.red : undefined;
    const v = cells[i];
    return [
      // A group kept late lacks some early records (counted in (other)): its name says so.
      { text: names[i], paint: g.other ? (s) => (paint ?? ((x: string) => x))(c.dim(s)) : paint },
      ...nums.map((k): Cell => (k === 'p95' ? { text: v[k], paint } : k === 'viol' ? { text: v[k], paint: g.violations ? c.yellow : undefined } : v[k])),
      { text: spark[i], paint: c.dim },
    ];
  });
  L.push(...table(columns, rows, width, { headerPaint: c.bold }));
  const note = (text: string) => L.push(...wrapWords(text, width).map((l) => c.dim(l)));
  if (dropped.length) note(`(${dropped.join(', ')} not shown at ${width} columns: --width, or --json)`);
  if (groups.length > top) note(`… ${groups.length - top} more groups (--top ${groups.length}, or --json)`);
  if (res.folded) note(`(other): about ${formatCount(res.folded.groups)} groups beyond --max-groups ${res.folded.max_groups}, counted together`);
  if (groups.some((g) => g.partial)) note('(partial): kept after some of its records were counted in (other); its figures cover the records since (--json missed_at_most)');
  const err = groups.reduce((m, g) => Math.max(m, g.relative_error), 0);
  if (err > 0) note(`≈ within ${+(err * 100).toFixed(3)}% of the exact percentile (a sketch: the group passed ${formatCount(EXACT_FLOOR)} samples once the --budget of exact samples was spent)`);
  if (opts.chart) {
    for (const g of shown.slice(0, 5)) {
      const h = g.histogram.slice(lo, hi);
      if (g.count < 2) continue;
      const title = ': records per latency bucket';
      L.push('', c.bold(fitFields(Object.values(g.key).map((v) => visible(v)), Math.max(8, width - title.length)) + title));
      const plot = asciichart.plot(h, { height: 6, format: (x) => String(Math.round(x)).padStart(7) });
      L.push(...plot.split('\n').map((l) => shorten(l, width)));
      // Bucket i holds the durations up to bounds[i], each twice the one before.
      const b = res.bucket_bounds_ms;
      L.push(c.dim(shorten(`        buckets ≤${formatDuration(b[lo])} … ≤${formatDuration(b[Math.max(lo, hi - 1)])}, each twice the one before`, width)));
    }
  }
  const worst = shown.flatMap((g) => g.slowest).sort((a, b) => b.duration_ms - a.duration_ms)[0];
  if (worst) {
    L.push('');
    const when = worst.time !== undefined ? ` at ${clockFor()(worst.time)}` : '';
    const own = worst.values ? ` ${shorten(visible(Object.values(worst.values).join(', ')), Math.max(16, Math.floor(width / 3)), 'middle')}` : '';
    const head = `slowest: ${formatDuration(worst.duration_ms)}${when}${own} `;
    const next = worst.id ? `next: logtool trace ${visible(worst.id)}` : '';
    // The source keeps its file name (cut at the start); the next command goes on its own line when both do not fit.
    const oneLine = displayWidth(head) + displayWidth(worst.source) + 2 + displayWidth(next) <= width;
    if (!next || oneLine) {
      L.push(c.dim(head + shorten(worst.source, Math.max(12, width - displayWidth(head)), 'start')) + (next ? `  ${c.bold(next)}` : ''));
    } else {
      L.push(c.dim(shorten(head + shorten(worst.source, Math.max(12, width - displayWidth(head)), 'start'), width)));
      // A command to copy is never cut: an id wider than the terminal is the one line that may wrap.
      L.push(c.bold(next));
    }
  }
  return L.join('\n') + '\n';
}

/**
 * Key fields joined with `, ` in at most `width` columns: fields narrower than an even share
 * stay whole, the others share the rest and each loses its middle.
 */
export function fitFields(fields: string[], width: number): string {
  const sep = ', ';
  const whole = fields.join(sep);
  if (displayWidth(whole) <= width || fields.length < 2) return shorten(whole, width, 'middle');
  const w = fields.map((f) => displayWidth(f));
  const alloc = new Array<number>(fields.length).fill(0);
  let room = width - sep.length * (fields.length - 1);
  let open = fields.map((_, i) => i);
  for (;;) {
    const share = Math.floor(room / Math.max(1, open.length));
    const small = open.filter((i) => w[i] <= share);
    if (small.length === 0) break;
    for (const i of small) {
      alloc[i] = w[i];
      room -= w[i];
    }
    open = open.filter((i) => w[i] > share);
    if (open.length === 0) break;
  }
  open.forEach((i, k) => {
    alloc[i] = Math.floor(room / open.length) + (k < room % open.length ? 1 : 0);
  });
  // Too narrow for every field to show something: the whole key loses its middle instead.
  if (alloc.some((a) => a < 4)) return shorten(whole, width, 'middle');
  return fields.map((f, i) => shorten(f, alloc[i], 'middle')).join(sep);
}

/** The bucket range any group populates, so every row's sparkline shares one latency axis. */
function populated(hs: number[][]): [number, number] {
  let a = Infinity;
  let b = 0;
  for (const h of hs) {
    const first = h.findIndex((n) => n > 0);
    if (first === -1) continue;
    a = Math.min(a, first);
    b = Math.max(b, h.length - [...h].reverse().findIndex((n) => n > 0));
  }
  return a === Infinity ? [0, 0] : [a, b];
}

/** The `--json` form of `slow` (spec §4 contract). */
export function slowJson(res: SlowResult, groups: SlowGroup[]): unknown {
  return {
    by: res.by,
    records_with_duration: res.records_with_duration,
    violations: res.violations,
    groups: groups.map((g) => ({
      ...g,
      slowest: g.slowest.map((s) => ({ source: s.source, id: s.id, duration_ms: s.duration_ms, time: s.time === undefined ? null : formatTime(s.time), ...(s.values ? { values: s.values } : {}) })),
    })),
    histogram_bounds_ms: res.bucket_bounds_ms,
    ...(res.folded ? { folded: res.folded } : {}),
  };
}
