import asciichart from 'asciichart';
import type { ChalkInstance } from 'chalk';
import { EXACT_FLOOR } from '../../analyze/lib/quantiles.js';
import type { SlowGroup, SlowResult } from '../../analyze/slow.js';
import { formatTime } from '../../normalize/time.js';
import { clockFor, fit, formatCount, formatDuration, sparkline } from './format.js';
import { visible } from './sanitize.js';

/** Display name of a group: its key values joined. */
export function groupName(g: SlowGroup): string {
  return Object.values(g.key).join(', ');
}

/** The human view of `slow`: a table, a latency sparkline per group, and the next command. */
export function renderSlow(res: SlowResult, groups: SlowGroup[], c: ChalkInstance, opts: { chart?: boolean; limitMs?: number; top?: number } = {}): string {
  if (groups.length === 0) return 'no records with a duration (see the duration aliases in the README, or --field duration=<key>:<unit>)\n';
  const top = opts.top ?? 30;
  const shown = groups.slice(0, top);
  const w = Math.min(40, shown.reduce((m, g) => Math.max(m, groupName(g).length), 9));
  const L: string[] = [];
  const head = [fit(res.by.join(', '), w), 'count'.padStart(8), 'p50'.padStart(8), 'p90'.padStart(8), 'p95'.padStart(8), 'p99'.padStart(8), 'max'.padStart(8), 'viol'.padStart(6), ' latency histogram'];
  L.push(c.bold(head.join(' ')));
  const [lo, hi] = populated(shown.map((g) => g.histogram));
  for (const g of shown) {
    // A sketched percentile is marked on the value itself: ≈ within relative_error of the exact one.
    const pct = (v: number | null) => (g.exact ? '' : '≈') + formatDuration(v ?? undefined);
    const slow = g.violations > 0 || (opts.limitMs !== undefined && (g.p95_ms ?? 0) > opts.limitMs);
    const paint = slow ? c.red : (s: string) => s;
    // A group kept late lacks some early records (counted in (other)): its name says so.
    const name = g.partial ? `${groupName(g)} (partial)` : groupName(g);
    const row = [
      paint(g.other ? c.dim(fit(visible(name), w)) : fit(visible(name), w)),
      formatCount(g.count).padStart(8),
      pct(g.p50_ms).padStart(8),
      pct(g.p90_ms).padStart(8),
      paint(pct(g.p95_ms).padStart(8)),
      pct(g.p99_ms).padStart(8),
      formatDuration(g.max_ms ?? undefined).padStart(8),
      (g.violations ? c.yellow : (s: string) => s)(String(g.violations).padStart(6)),
      ' ' + c.dim(sparkline(g.histogram.slice(lo, hi))),
    ];
    L.push(row.join(' '));
  }
  if (groups.length > top) L.push(c.dim(`… ${groups.length - top} more groups (--top ${groups.length}, or --json)`));
  if (res.folded) L.push(c.dim(`(other): about ${formatCount(res.folded.groups)} groups beyond --max-groups ${res.folded.max_groups}, counted together`));
  if (groups.some((g) => g.partial)) L.push(c.dim('(partial): kept after some of its records were counted in (other); its figures cover the records since (--json missed_at_most)'));
  const err = groups.reduce((m, g) => Math.max(m, g.relative_error), 0);
  if (err > 0) L.push(c.dim(`≈ within ${+(err * 100).toFixed(3)}% of the exact percentile (a sketch: the group passed ${formatCount(EXACT_FLOOR)} samples once the --budget of exact samples was spent)`));
  if (opts.chart) {
    for (const g of shown.slice(0, 5)) {
      const h = g.histogram;
      if (g.count < 2) continue;
      L.push('', c.bold(`${visible(groupName(g))}: records per latency bucket`));
      L.push(asciichart.plot(h, { height: 6, format: (x) => String(Math.round(x)).padStart(7) }));
      L.push(c.dim(`        ${res.bucket_bounds_ms.map((b, i) => (i % 5 === 0 ? formatDuration(b).padEnd(5 * 1) : '')).join('')}`));
    }
  }
  const worst = shown.flatMap((g) => g.slowest).sort((a, b) => b.duration_ms - a.duration_ms)[0];
  if (worst) {
    L.push('');
    const when = worst.time !== undefined ? ` at ${clockFor()(worst.time)}` : '';
    const own = worst.values ? ` ${visible(Object.values(worst.values).join(', '))}` : '';
    L.push(c.dim(`slowest: ${formatDuration(worst.duration_ms)}${when}${own} ${worst.source}`) + (worst.id ? `  next: ${c.bold(`logtool trace ${visible(worst.id)}`)}` : ''));
  }
  return L.join('\n') + '\n';
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
