import type { ChalkInstance } from 'chalk';
import type { StatsResult } from '../../analyze/stats.js';
import { formatTime } from '../../normalize/time.js';
import { describeLayouts, detectedLayout } from '../../formats/detected.js';
import type { FileStats } from '../../types.js';
import { rebin, widthLabel } from '../../analyze/lib/series.js';
import { fit, fitLeft, formatCount, formatDuration, formatRange, sparkline } from './format.js';
import { visible } from './sanitize.js';

const TOP = 10;

/** Columns of the records-per-minute sparkline. */
const SPARK_WIDTH = 120;

function table(title: string, m: Record<string, number>, total: number, c: ChalkInstance): string[] {
  const entries = Object.entries(m);
  if (entries.length === 0) return [];
  const lines = [c.bold(title)];
  for (const [k, v] of entries.slice(0, TOP)) {
    lines.push(`  ${fit(visible(k), 36)} ${formatCount(v).padStart(10)}  ${c.dim(((100 * v) / Math.max(1, total)).toFixed(1).padStart(5) + '%')}`);
  }
  if (entries.length > TOP) lines.push(c.dim(`  … ${entries.length - TOP} more`));
  return lines;
}

/** The human view of `stats`. */
export function renderStats(files: FileStats[], res: StatsResult, c: ChalkInstance): string {
  const L: string[] = [];
  const w = Math.min(60, files.reduce((m, f) => Math.max(m, f.source.length), 12));
  L.push(c.bold(`${fit('file', w)} ${'lines'.padStart(10)} ${'records'.padStart(10)} ${'continuation'.padStart(12)} ${'unparsed'.padStart(9)}`));
  const tot = { lines: 0, records: 0, cont: 0, unp: 0 };
  for (const f of files) {
    tot.lines += f.lines;
    tot.records += f.records;
    tot.cont += f.continuation_lines;
    tot.unp += f.unparsed_lines;
    const layout = describeLayouts(f.layouts);
    const read = [f.format === 'json-array' ? 'JSON array' : undefined, layout === 'json' ? undefined : layout].filter(Boolean).join(': ');
    const note = f.error ? c.red(`  ${f.error}`) : read ? c.dim(`  (${read})`) : '';
    L.push(`${fitLeft(visible(f.source), w)} ${formatCount(f.lines).padStart(10)} ${formatCount(f.records).padStart(10)} ${formatCount(f.continuation_lines).padStart(12)} ${(f.unparsed_lines ? c.yellow : (s: string) => s)(formatCount(f.unparsed_lines).padStart(9))}${note}`);
  }
  if (files.length > 1) L.push(c.bold(`${fit(`total (${files.length} files)`, w)} ${formatCount(tot.lines).padStart(10)} ${formatCount(tot.records).padStart(10)} ${formatCount(tot.cont).padStart(12)} ${formatCount(tot.unp).padStart(9)}`));
  L.push('');
  const lv = res.levels;
  L.push(`${c.bold('levels')}    ${c.red(`fatal ${lv.fatal}`)} · ${c.red(`error ${lv.error}`)} · ${c.yellow(`warn ${lv.warn}`)} · info ${lv.info} · debug ${lv.debug} · trace ${lv.trace} · unknown ${lv.unknown}`);
  if (res.first_time !== null && res.last_time !== null) {
    L.push(`${c.bold('time')}      ${formatRange(res.first_time, res.last_time, 'ms')} (${formatDuration(res.last_time - res.first_time)})`);
  }
  const pct = (n: number) => (res.records ? ` (${((100 * n) / res.records).toFixed(1)}%)` : '');
  L.push(`${c.bold('no id')}     ${res.without_id}${pct(res.without_id)} records carry no correlation/request/trace id`);
  L.push(`${c.bold('no time')}   ${res.without_time}${pct(res.without_time)}`);
  if (res.per_minute.length > 1) {
    // The whole span, silent buckets included, in at most SPARK_WIDTH columns.
    const series = rebin({ bucket_ms: res.bucket_ms, buckets: res.per_minute.map((m) => ({ start: m.minute, count: m.count, errors: m.errors })) }, SPARK_WIDTH);
    const per = widthLabel(series.bucket_ms);
    const counts = series.buckets.map((b) => b.count);
    const errs = series.buckets.map((b) => b.errors);
    const lw = Math.max(10, per.length + 5);
    L.push(`${c.bold(`per ${per} `.padEnd(lw))}${sparkline(counts)}  ${c.dim(`peak ${formatCount(Math.max(...counts))}/${per}, ${counts.filter((n) => n === 0).length} silent`)}`);
    if (errs.some((e) => e > 0)) L.push(`${c.bold('errors'.padEnd(lw))}${c.red(sparkline(errs))}  ${c.dim(`peak ${formatCount(Math.max(...errs))}/${per}`)}`);
  }
  for (const [t, m] of [['by service', res.by_service], ['by component / logger', res.by_component], ['by event type', res.by_event_type], ['fields', res.fields]] as const) {
    const block = table(t, m, res.records, c);
    if (block.length) L.push('', ...block);
  }
  return L.join('\n') + '\n';
}

/** The `--json` form of `stats` (spec §4 contract). */
export function statsJson(files: FileStats[], res: StatsResult): unknown {
  const sum = (k: 'lines' | 'records' | 'continuation_lines' | 'unparsed_lines') => files.reduce((a, f) => a + f[k], 0);
  return {
    files: files.map((f) => ({
      source: f.source,
      lines: f.lines,
      records: f.records,
      continuation_lines: f.continuation_lines,
      unparsed_lines: f.unparsed_lines,
      format: f.format,
      layout: detectedLayout(f.layouts) ?? null,
      layouts: f.layouts,
      expanded_records: f.expanded_records,
      ...(f.error ? { error: f.error } : {}),
    })),
    lines: sum('lines'),
    records: sum('records'),
    continuation_lines: sum('continuation_lines'),
    unparsed_lines: sum('unparsed_lines'),
    levels: res.levels,
    without_id: res.without_id,
    without_time: res.without_time,
    by_service: res.by_service,
    by_component: res.by_component,
    by_event_type: res.by_event_type,
    fields: res.fields,
    per_minute: res.per_minute.map((m) => ({ minute: formatTime(m.minute), count: m.count, errors: m.errors })),
    buckets: { start: res.per_minute.length ? formatTime(res.per_minute[0].minute) : null, width_ms: res.bucket_ms },
    first_time: res.first_time === null ? null : formatTime(res.first_time),
    last_time: res.last_time === null ? null : formatTime(res.last_time),
  };
}
