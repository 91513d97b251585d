import type { ChalkInstance } from 'chalk';
import type { ErrorsResult } from '../../analyze/errors.js';
import { formatTime } from '../../normalize/time.js';
import { clockOver, formatCount, formatDuration, formatRange, sparkline } from './format.js';
import { levelsText, sampleLines, slotLines } from './error-details.js';
import { visible } from './sanitize.js';

/** A template with its variable parts highlighted. */
export function highlightTemplate(template: string, c: ChalkInstance): string {
  return visible(template)
    .split('<*>')
    .join(c.magenta('<*>'));
}

/** The human view of `errors`: patterns by count, then the cascade and breaker timeline. */
export function renderErrors(res: ErrorsResult, c: ChalkInstance, opts: { top?: number } = {}): string {
  const top = opts.top ?? 20;
  const L: string[] = [];
  const first = res.clusters.reduce((m, x) => Math.min(m, x.first_seen ?? Infinity), Infinity);
  const last = res.clusters.reduce((m, x) => Math.max(m, x.last_seen ?? -Infinity), -Infinity);
  const clock = clockOver([first, last, ...res.circuit_breaker_events.map((e) => e.time)]);
  const range = Number.isFinite(first) ? c.dim(` (${formatRange(first, last, 'ms')})`) : '';
  L.push(c.bold(`${formatCount(res.total)} error records in ${res.clusters.length} patterns`) + range);
  if (res.overflow) L.push(c.yellow(`${formatCount(res.overflow)} messages arrived after the pattern cap and were counted under <other>`));
  res.clusters.slice(0, top).forEach((k, i) => {
    L.push('');
    const mark = k.new === true ? ' ' + c.bgYellow.black(' NEW ') : '';
    const who = k.services.length ? c.cyan(k.services.map(visible).join(',')) : '';
    L.push(`${c.bold(`#${i + 1}`)} ${c.dim(k.id)} ${c.bold(formatCount(k.count) + '×')} ${levelsText(k, c)} ${who} ${c.dim(`${clock(k.first_seen)}–${clock(k.last_seen)}`)}${mark}`);
    L.push(`   ${highlightTemplate(k.template, c)}`);
    L.push(...slotLines(k, c));
    if (k.per_minute.length > 1) L.push(`   ${c.red(sparkline(k.per_minute))} ${c.dim(`per ${formatDuration(res.bucket_ms)}`)}`);
    if (k.samples[0]) L.push(...sampleLines(k.samples[0], k, c));
    const extra: string[] = [];
    if (k.error_types.length) extra.push(`types: ${k.error_types.map(visible).join(', ')}`);
    if (k.ids.length) extra.push(`next: logtool trace ${visible(k.ids[0])}`);
    if (extra.length) L.push(c.dim(`   ${extra.join('   ')}`));
  });
  if (res.clusters.length > top) L.push('', c.dim(`… ${res.clusters.length - top} more patterns (--top ${res.clusters.length} or --json for all)`));
  if (res.cascades.length) {
    const byId = new Map(res.clusters.map((k) => [k.id, k]));
    L.push('', c.bold('Followed each other in the same requests') + c.dim('  (when it started and what triggered it: logtool why)'));
    for (const l of res.cascades) {
      const from = byId.get(l.from);
      const to = byId.get(l.to);
      if (!from || !to) continue;
      L.push(`  ${c.dim(from.id)} ${highlightTemplate(from.template, c)}`);
      L.push(`    └ ${c.dim(to.id)} ${highlightTemplate(to.template, c)}`);
      L.push(c.dim(`      in ${formatCount(l.shared_requests)} requests (${Math.round(l.share * 100)}% of the second's), median +${formatDuration(l.median_delay_ms)}; e.g. logtool trace ${visible(l.example)}`));
    }
  }
  if (res.circuit_breaker_events.length) {
    L.push('', c.bold('Circuit breakers'));
    for (const e of res.circuit_breaker_events.slice(0, 20)) L.push(`  ${clock(e.time)}  ${c.cyan(visible(e.service ?? '?'))} ${c.yellow(visible(e.event))}  ${c.dim(e.source)}`);
    if (res.circuit_breaker_events.length > 20) L.push(c.dim(`  … ${res.circuit_breaker_events.length - 20} more`));
  }
  if (res.cascade_prevented) L.push('', `${res.cascade_prevented} records flagged cascade_prevented`);
  if (res.gone?.length) {
    L.push('', c.bold(`Gone since the baseline (${res.gone.length})`));
    for (const g of res.gone.slice(0, 10)) L.push(`  ${c.dim(g.id)} ${visible(g.template)}`);
  }
  return L.join('\n') + '\n';
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
