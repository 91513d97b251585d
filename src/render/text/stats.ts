import type { ChalkInstance } from 'chalk';
import type { StatsResult } from '../../analyze/stats.js';
import { formatTime } from '../../normalize/time.js';
import { describeLayouts, detectedLayout } from '../../formats/detected.js';
import type { FileStats } from '../../types.js';
import { rebin, widthLabel } from '../../analyze/lib/series.js';
import { formatCount, formatDuration, formatRange, sparkline } from './format.js';
import { displayWidth, PIPE_WIDTH, plain, shorten, table, type Cell, type Column } from './layout.js';
import { wrapItems, wrapWords } from './notes.js';
import { visible } from './sanitize.js';

const TOP = 10;

/** A breakdown: its first TOP values, the rest summed, and the records without a value (`none`), so the rows add up. */
function breakdown(title: string, m: Record<string, number>, total: number, c: ChalkInstance, width: number, none?: number): string[] {
  const entries = Object.entries(m);
  if (entries.length === 0) return [];
  const share = (v: number) => ((100 * v) / Math.max(1, total)).toFixed(1) + '%';
  const rows: Cell[][] = entries.slice(0, TOP).map(([k, v]) => [visible(k), formatCount(v), { text: share(v), paint: c.dim }]);
  const rest = entries.slice(TOP);
  if (rest.length) {
    // A field is counted once per record it appears in: the rest of `fields` has no meaningful sum.
    const n = rest.reduce((a, [, v]) => a + v, 0);
    rows.push(none === undefined ? [{ text: `… ${rest.length} more`, paint: c.dim }, '', ''] : [{ text: `… ${rest.length} more`, paint: c.dim }, { text: formatCount(n), paint: c.dim }, { text: share(n), paint: c.dim }]);
  }
  if (none) rows.push([{ text: '(none)', paint: c.dim }, { text: formatCount(none), paint: c.dim }, { text: share(none), paint: c.dim }]);
  const columns: Column[] = [
    { header: '', kind: 'key', min: 12 },
    { header: '', kind: 'number' },
    { header: '', kind: 'number' },
  ];
  return [c.bold(shorten(title, width)), ...table(columns, rows, width, { indent: '  ', gap: '  ', header: false })];
}

/** The file table: numbers whole, paths cut at the start; the read note beside them when there is room, else errors below. */
function fileTable(files: FileStats[], c: ChalkInstance, width: number): string[] {
  const tot = { lines: 0, records: 0, cont: 0, unp: 0 };
  const notes = files.map((f) => {
    const layout = describeLayouts(f.layouts);
    const read = [f.format === 'json-array' ? 'JSON array' : undefined, layout === 'json' ? undefined : layout].filter(Boolean).join(': ');
    return f.error ? { text: f.error, paint: c.red } : read ? { text: `(${read})`, paint: c.dim } : { text: '' };
  });
  const rows: Cell[][] = files.map((f, i) => {
    tot.lines += f.lines;
    tot.records += f.records;
    tot.cont += f.continuation_lines;
    tot.unp += f.unparsed_lines;
    return [visible(f.source), formatCount(f.lines), formatCount(f.records), formatCount(f.continuation_lines), { text: formatCount(f.unparsed_lines), paint: f.unparsed_lines ? c.yellow : undefined }, { ...notes[i], text: visible(notes[i].text) }];
  });
  if (files.length > 1) rows.push([`total (${files.length} files)`, formatCount(tot.lines), formatCount(tot.records), formatCount(tot.cont), formatCount(tot.unp), ''].map((t) => ({ text: t, paint: c.bold })));
  const textOf = (x: Cell) => (typeof x === 'string' ? x : x.text);
  const pathNatural = Math.max(4, ...rows.map((r) => displayWidth(textOf(r[0]))));
  const pathMin = Math.min(pathNatural, 12);
  // Narrow: shorter headers, then the continuation and unparsed columns go when every value is 0.
  const numberWidth = (keep: number[], heads: string[]) => keep.reduce((a, j, k) => a + 1 + Math.max(heads[k].length, ...rows.map((r) => displayWidth(textOf(r[j + 1])))), 0);
  const zero = (j: number) => files.every((f) => (j === 2 ? f.continuation_lines : f.unparsed_lines) === 0);
  const layouts = [
    { keep: [0, 1, 2, 3], heads: ['lines', 'records', 'continuation', 'unparsed'] },
    { keep: [0, 1, 2, 3], heads: ['lines', 'records', 'cont.', 'unpars.'] },
  ];
  const nonZero = [0, 1, 2, 3].filter((j) => j < 2 || !zero(j));
  if (nonZero.length < 4) layouts.push({ keep: nonZero, heads: nonZero.map((j) => layouts[1].heads[j]) });
  const chosen = layouts.find((l) => numberWidth(l.keep, l.heads) + pathMin <= width) ?? layouts[layouts.length - 1];
  const { keep, heads } = chosen;
  const numbers = numberWidth(keep, heads);
  const noteNatural = Math.max(0, ...notes.map((n) => displayWidth(n.text)));
  // The note goes beside the numbers when it leaves the path 24 columns (or all it needs).
  const withNote = noteNatural > 0 && width - numbers - 2 - Math.min(noteNatural, 16) >= Math.min(pathNatural, 24);
  const columns: Column[] = [{ header: 'file', kind: 'path', min: Math.max(4, Math.min(pathMin, width - numbers)) }, ...heads.map((h): Column => ({ header: h, kind: 'number' }))];
  if (withNote) columns.push({ header: '', kind: 'text', min: Math.min(noteNatural, 12) });
  const cells = rows.map((r) => [r[0], ...keep.map((j) => r[j + 1]), ...(withNote ? [r[5]] : [])]);
  // The last resort (numbers wider than the line): every line is cut.
  const L = table(columns, cells, width).map((l) => shorten(l, width));
  L[0] = c.bold(L[0].trimEnd());
  // An error the row could not hold whole is told below the table.
  files.forEach((f, i) => {
    if (f.error && !(withNote && plain(L[i + 1]).includes(visible(f.error)))) L.push(...wrapWords(`${visible(f.source)}: ${visible(f.error)}`, width).map((l) => c.red(l)));
  });
  return L;
}

/** The human view of `stats`, fitted to `width`. */
export function renderStats(files: FileStats[], res: StatsResult, c: ChalkInstance, width = PIPE_WIDTH): string {
  const L: string[] = fileTable(files, c, width);
  L.push('');
  const lv = res.levels;
  L.push(...wrapItems(`${c.bold('levels')}    `, [c.red(`fatal ${lv.fatal}`), c.red(`error ${lv.error}`), c.yellow(`warn ${lv.warn}`), `info ${lv.info}`, `debug ${lv.debug}`, `trace ${lv.trace}`, `unknown ${lv.unknown}`], width));
  if (res.first_time !== null && res.last_time !== null) {
    L.push(shorten(`${c.bold('time')}      ${formatRange(res.first_time, res.last_time, 'ms')} (${formatDuration(res.last_time - res.first_time)})`, width));
  }
  const pct = (n: number) => (res.records ? ` (${((100 * n) / res.records).toFixed(1)}%)` : '');
  L.push(...wrapWords(`${c.bold('no id')}     ${res.without_id}${pct(res.without_id)} records carry no correlation/request/trace id`, width, '          '));
  L.push(shorten(`${c.bold('no time')}   ${res.without_time}${pct(res.without_time)}`, width));
  if (res.per_minute.length > 1) {
    // The whole span, silent buckets included, in the columns the width leaves beside the label and the peak.
    const whole = { bucket_ms: res.bucket_ms, buckets: res.per_minute.map((m) => ({ start: m.minute, count: m.count, errors: m.errors })) };
    let cols = width - 10 - 2 - 24;
    for (let attempt = 0; attempt < 4; attempt++) {
      const series = rebin(whole, Math.max(8, cols));
      const per = widthLabel(series.bucket_ms);
      const counts = series.buckets.map((b) => b.count);
      const errs = series.buckets.map((b) => b.errors);
      const lw = Math.max(10, per.length + 5);
      const peak = `peak ${formatCount(Math.max(...counts))}/${per}, ${counts.filter((n) => n === 0).length} silent`;
      const over = lw + counts.length + 2 + peak.length - width;
      if (over > 0 && attempt < 3 && cols > 8) {
        cols -= over;
        continue;
      }
      L.push(shorten(`${c.bold(`per ${per} `.padEnd(lw))}${sparkline(counts)}  ${c.dim(peak)}`, width));
      if (errs.some((e) => e > 0)) L.push(shorten(`${c.bold('errors'.padEnd(lw))}${c.red(sparkline(errs))}  ${c.dim(`peak ${formatCount(Math.max(...errs))}/${per}`)}`, width));
      break;
    }
  }
  const blocks = [
    ['by service', res.by_service, res.without_service],
    ['by component / logger', res.by_component, res.without_component],
    ['by event type', res.by_event_type, undefined],
    ['fields', res.fields, undefined],
  ] as const;
  for (const [t, m, none] of blocks) {
    const block = breakdown(t, m, res.records, c, width, none);
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
    without_service: res.without_service,
    by_component: res.by_component,
    without_component: res.without_component,
    by_event_type: res.by_event_type,
    fields: res.fields,
    per_minute: res.per_minute.map((m) => ({ minute: formatTime(m.minute), count: m.count, errors: m.errors })),
    buckets: { start: res.per_minute.length ? formatTime(res.per_minute[0].minute) : null, width_ms: res.bucket_ms },
    first_time: res.first_time === null ? null : formatTime(res.first_time),
    last_time: res.last_time === null ? null : formatTime(res.last_time),
  };
}
