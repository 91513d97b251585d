import type { ChalkInstance } from 'chalk';
import type { ErrorCluster, ErrorsResult } from '../../analyze/errors.js';
import type { Level } from '../../types.js';
import { formatTime } from '../../normalize/time.js';
import { clockOver, formatCount, formatDuration, formatRange, sparkline } from './format.js';
import { levelsText, paintSlots, recordsAt, sampleLines, slotLines } from './error-details.js';
import { commonPrefix, displayWidth, fitList, shorten, shortenTemplates, table, templateFitter, type Column } from './layout.js';
import { visible } from './sanitize.js';

/** A template with its variable parts highlighted. */
export function highlightTemplate(template: string, c: ChalkInstance): string {
  return paintSlots(visible(template), c);
}

export interface ErrorsViewOptions {
  /** Patterns shown (default 20). */
  top?: number;
  /** The columns every line fits in (default: no limit). */
  width?: number;
  /** The lowest level clustered (default error): the words of the summary line. */
  level?: Level;
}

/** The human view of `errors`: patterns by count, then the cascade and breaker timeline; no line wider than `width`. */
export function renderErrors(res: ErrorsResult, c: ChalkInstance, opts: ErrorsViewOptions = {}): string {
  const top = opts.top ?? 20;
  const width = opts.width ?? Infinity;
  const fit = (line: string) => (displayWidth(line) > width ? shorten(line, width) : line);
  const L: string[] = [];
  const first = res.clusters.reduce((m, x) => Math.min(m, x.first_seen ?? Infinity), Infinity);
  const last = res.clusters.reduce((m, x) => Math.max(m, x.last_seen ?? -Infinity), -Infinity);
  const clock = clockOver([first, last, ...res.circuit_breaker_events.map((e) => e.time)]);
  const what = res.total === 0 ? recordsAt(undefined, opts.level) : `${recordsAt(res.total, opts.level)} in ${res.clusters.length} pattern${res.clusters.length === 1 ? '' : 's'}`;
  // The range to the millisecond, else to the second, else left out when the line has no room for it.
  const ranges = Number.isFinite(first) ? [` (${formatRange(first, last, 'ms')})`, ` (${formatRange(first, last, 's')})`] : [];
  const range = ranges.find((r) => displayWidth(what + r) <= width) ?? '';
  L.push(c.bold(fit(what)) + c.dim(range));
  if (res.overflow) L.push(c.yellow(fit(`${formatCount(res.overflow)} messages arrived after the pattern cap and were counted under <other>`)));
  const shown = res.clusters.slice(0, top);
  const templates = shown.map((k) => visible(k.template));
  const fitted = shortenTemplates(templates, width - 3);
  // The start every listed pattern shares, when it was skipped to tell them apart: said once, above them.
  const prefix = commonPrefix(templates);
  if (prefix.length >= 8 && fitted.some((t, i) => t !== templates[i] && t.startsWith('…'))) {
    const lead = '… = ';
    const hint = '  (the start the patterns below share)';
    const text = shorten(prefix.trimEnd(), Math.max(8, width - lead.length), 'middle');
    L.push('', c.dim(lead) + paintSlots(text, c) + (displayWidth(lead + text + hint) <= width ? c.dim(hint) : ''));
  }
  shown.forEach((k, i) => {
    L.push('');
    L.push(fit(patternHeader(i, k, c, clock, width)));
    L.push(`   ${paintSlots(fitted[i], c)}`);
    L.push(...slotLines(k, c, width));
    if (k.per_minute.length > 1) L.push(fit(trendLine(k.per_minute, res.bucket_ms, c, width)));
    if (k.samples[0]) L.push(...sampleLines(k.samples[0], k, c, width));
    const next = k.ids.length ? `next: logtool trace ${visible(k.ids[0])}` : '';
    const room = width - 3 - (next ? displayWidth(next) + 3 : 0) - 'types: '.length;
    const types = k.error_types.length ? `types: ${fitList(k.error_types.map(visible), room >= 8 ? room : width - 3 - 'types: '.length)}` : '';
    // The command to copy is never cut: when both do not fit, it goes on a line of its own.
    if (types && next && room < 8) L.push(c.dim(fit(`   ${types}`)), c.dim(`   ${next}`));
    else if (types || next) L.push(c.dim(`   ${[types, next].filter(Boolean).join('   ')}`));
  });
  if (res.clusters.length > top) L.push('', c.dim(fit(`… ${res.clusters.length - top} more patterns (--top ${res.clusters.length} or --json for all)`)));
  if (res.cascades.length) {
    const byId = new Map(res.clusters.map((k) => [k.id, k]));
    const title = 'Followed each other in the same requests';
    const hint = '  (when it started and what triggered it: logtool why)';
    L.push('', c.bold(fit(title)) + (displayWidth(title + hint) <= width ? c.dim(hint) : ''));
    const linked = res.cascades.flatMap((l) => [byId.get(l.from), byId.get(l.to)]).filter((k) => k !== undefined);
    const t = templateFitter(linked.map((k) => visible(k.template)));
    const line = (lead: string, k: ErrorCluster) => {
      const id = visible(k.id);
      return `${lead}${c.dim(id)} ${paintSlots(t.fit(visible(k.template), width - lead.length - displayWidth(id) - 1), c)}`;
    };
    for (const l of res.cascades) {
      const from = byId.get(l.from);
      const to = byId.get(l.to);
      if (!from || !to) continue;
      L.push(fit(line('  ', from)), fit(line('    └ ', to)));
      const facts = `      in ${formatCount(l.shared_requests)} requests (${Math.round(l.share * 100)}% of the second's), median +${formatDuration(l.median_delay_ms)}`;
      const example = `; e.g. logtool trace ${visible(l.example)}`;
      // The example command is kept whole: on the next line when it does not fit after the facts.
      L.push(...(displayWidth(facts + example) <= width ? [c.dim(facts + example)] : [c.dim(fit(facts)), c.dim(`      e.g. logtool trace ${visible(l.example)}`)]));
    }
  }
  if (res.circuit_breaker_events.length) {
    L.push('', c.bold('Circuit breakers'));
    L.push(...breakerTable(res.circuit_breaker_events.slice(0, 20), clock, c, width));
    if (res.circuit_breaker_events.length > 20) L.push(c.dim(`  … ${res.circuit_breaker_events.length - 20} more`));
  }
  if (res.cascade_prevented) L.push('', fit(`${res.cascade_prevented} records flagged cascade_prevented`));
  if (res.gone?.length) {
    L.push('', c.bold(`Gone since the baseline (${res.gone.length})`));
    const gone = res.gone.slice(0, 10);
    const t = templateFitter(gone.map((g) => visible(g.template)));
    for (const g of gone) {
      const id = visible(g.id);
      L.push(fit(`  ${c.dim(id)} ${t.fit(visible(g.template), width - 3 - displayWidth(id))}`));
    }
  }
  return L.join('\n') + '\n';
}

/** `#1 fdd076c79405 154× ERROR api-gateway,checkout 10:00:19–10:27:16 NEW`: the services give way first. */
function patternHeader(i: number, k: ErrorCluster, c: ChalkInstance, clock: (t: number | undefined) => string, width: number): string {
  const mark = k.new === true ? ' ' + c.bgYellow.black(' NEW ') : '';
  const fixed = `${c.bold(`#${i + 1}`)} ${c.dim(k.id)} ${c.bold(formatCount(k.count) + '×')} ${levelsText(k, c)}`;
  // Untimed records: the range is said plainly rather than as `?–?`.
  const times = c.dim(k.first_seen === undefined && k.last_seen === undefined ? 'no times' : `${clock(k.first_seen)}–${clock(k.last_seen)}`);
  const room = width - displayWidth(fixed) - displayWidth(times) - displayWidth(mark) - 2;
  const services = k.services.map(visible);
  let who = '';
  if (services.length && room >= 6) who = fitList(services, room, { sep: ',', moreSep: ' ', more: (n) => `+${n}`, cut: 'middle' });
  else if (services.length && room >= 3) who = `+${services.length}`;
  return `${fixed} ${who ? c.cyan(who) + ' ' : ''}${times}${mark}`;
}

/** The pattern's counts over time; buckets merged (and the label says so) when there are more than the width holds. */
function trendLine(counts: number[], bucketMs: number, c: ChalkInstance, width: number): string {
  const label = (ms: number) => ` per ${formatDuration(ms)}`;
  const room = width - 3 - displayWidth(label(bucketMs * 100));
  const merge = Math.max(1, Math.ceil(counts.length / Math.max(1, room)));
  const merged: number[] = [];
  for (let i = 0; i < counts.length; i += merge) merged.push(counts.slice(i, i + merge).reduce((a, b) => a + b, 0));
  return `   ${c.red(sparkline(merged))}${c.dim(label(bucketMs * merge))}`;
}

/** Breaker events as aligned rows: time, service (its middle goes), event, source (its start goes; dropped first). */
export function breakerTable(events: readonly { time?: number; service?: string; event: string; source?: string }[], clock: (t: number | undefined) => string, c: ChalkInstance, width: number, opts: { colour?: boolean } = {}): string[] {
  const tint = opts.colour === false ? (s: string) => s : undefined;
  const withSource = events.some((e) => e.source);
  const columns: Column[] = [
    { header: 'time', kind: 'number', right: false },
    { header: 'service', kind: 'key', min: 8 },
    { header: 'event', kind: 'text', min: 12 },
    ...(withSource ? [{ header: 'source', kind: 'path', min: 12, optional: true } satisfies Column] : []),
  ];
  const rows = events.map((e) => [
    e.time === undefined || !Number.isFinite(e.time) ? 'no time' : clock(e.time),
    { text: e.service === undefined ? '(no service)' : visible(e.service), paint: e.service === undefined ? c.dim : (tint ?? c.cyan) },
    { text: visible(e.event), paint: tint ?? c.yellow },
    ...(withSource ? [{ text: visible(e.source ?? ''), paint: c.dim }] : []),
  ]);
  return table(columns, rows, width, { indent: '  ', gap: '  ', header: false }).map((l) => (displayWidth(l) > width ? shorten(l, width) : l));
}

/** The `--json` form of `errors` (spec §4 contract plus the timeline). */
export function errorsJson(res: ErrorsResult): unknown {
  const t = (x: number | undefined) => (x === undefined ? null : formatTime(x));
  return {
    total: res.total,
    clusters: res.clusters.map((k) => ({
      id: k.id,
      template: k.template,
      ...(k.error_template !== undefined ? { error_template: k.error_template } : {}),
      count: k.count,
      level: k.level,
      levels: k.levels,
      slots: k.slots,
      error_types: k.error_types,
      services: k.services,
      first_seen: t(k.first_seen),
      last_seen: t(k.last_seen),
      per_minute: k.per_minute,
      samples: k.samples,
      ids: k.ids,
      ...(k.new !== undefined ? { new: k.new } : {}),
      ...(k.baseline_id !== undefined ? { baseline_id: k.baseline_id } : {}),
    })),
    buckets: { start: res.minutes.length ? t(res.minutes[0]) : null, width_ms: res.bucket_ms },
    cascades: res.cascades,
    circuit_breaker_events: res.circuit_breaker_events.map((e) => ({ ...e, time: t(e.time) })),
    cascade_prevented: res.cascade_prevented,
    overflow: res.overflow,
    ...(res.gone ? { gone: res.gone, new: res.clusters.filter((k) => k.new).length } : {}),
  };
}
