import type { ChalkInstance } from 'chalk';
import type { Change, WhyResult } from '../../analyze/why-result.js';
import { formatTime } from '../../normalize/time.js';
import { clockOver, formatCount, formatDuration, formatRange } from './format.js';
import { highlightTemplate } from './errors.js';
import { visible } from './sanitize.js';

/** What one screen holds; the rest is counted, and all of it is in --json. */
const SHOWN = { changes: 12, fields: 6, links: 8 };

const KIND: Record<Change['kind'], string> = { latency: 'slower', new_pattern: 'new', surge: 'surge', field: 'field' };

/** What a change is, in a few words: the operation, the pattern or the field value. */
function subject(x: Change, c: ChalkInstance): string {
  if (x.kind === 'latency') return `${x.service ? c.cyan(visible(x.service)) + ' ' : ''}${c.bold(visible(x.operation ?? '?'))}`;
  if (x.kind === 'field') return c.bold(`${visible(x.field ?? '?')}=${visible(x.value ?? '?')}`);
  return `${x.service ? c.cyan(visible(x.service)) + ' ' : ''}${highlightTemplate(x.template ?? '', c)}`;
}

/**
 * The human view of `why`: one screen — the window, the candidate trigger, the changes in order
 * of onset with their evidence, the links drawn from shared requests, and what to run next.
 */
export function renderWhy(res: WhyResult, c: ChalkInstance, inputs: string[]): string {
  const L: string[] = [];
  if (res.verdict !== 'incident' || !res.window) {
    L.push(res.verdict === 'no_incident' ? c.green(visible(res.reason)) : c.yellow(visible(res.reason)));
    if (res.span && res.verdict === 'no_incident') L.push(c.dim(`  ${formatCount(res.records)} records, ${formatRange(res.span.start, res.span.end)}`));
    return L.join('\n') + '\n';
  }
  const w = res.window;
  const clock = clockOver([w.start, w.end, res.baseline?.start, ...res.changes.map((x) => x.onset), ...res.markers.map((m) => m.time)]);
  const until = w.end !== undefined ? `to ${clock(w.end)} (${formatDuration(w.end - w.start)})` : 'to the end of the logs (not over)';
  L.push(c.bold.red(`Incident from ${clock(w.start)} ${until}`) + c.dim(`  detected by ${w.detected_by.map(visible).join(', ')}`));
  if (res.baseline?.source) L.push(c.dim(`Compared with ${visible(res.baseline.source)}${res.baseline.end > res.baseline.start ? ` (operations and fields: with ${clock(res.baseline.start)}–${clock(res.baseline.end)})` : ''}`));
  else if (res.baseline) {
    const where = res.baseline.end <= w.start ? 'before it' : 'after it';
    L.push(c.dim(`Compared with ${clock(res.baseline.start)}–${clock(res.baseline.end)} (${formatDuration(res.baseline.end - res.baseline.start)} ${where})`));
  }
  if (res.markers.length) {
    L.push('', c.bold('Just before or as it began') + c.dim('  (deploys, rollbacks, config reloads, restarts)'));
    for (const m of res.markers) L.push(`  ${clock(m.time)}  ${m.service ? c.cyan(visible(m.service)) + ' ' : ''}${c.yellow(visible(m.message))}${c.dim(m.time < w.start ? `  ${formatDuration(w.start - m.time)} before` : '')}`);
  }
  const t = res.trigger;
  if (t) {
    L.push('', c.bold('Trigger (the earliest change): ') + subject(t, c));
    L.push(`  ${clock(t.onset)}  ${visible(t.evidence)}`);
  }
  const ordered = res.changes.filter((x) => x.kind !== 'field');
  if (ordered.length) {
    L.push('', c.bold('What changed, by onset'));
    for (const x of ordered.slice(0, SHOWN.changes)) L.push(`  ${clock(x.onset)}  ${x === t ? c.red(KIND[x.kind].padEnd(6)) : KIND[x.kind].padEnd(6)}  ${subject(x, c)}`, c.dim(`            ${visible(x.evidence)}${x.pattern_id ? `  [${x.pattern_id}]` : ''}`));
    if (ordered.length > SHOWN.changes) L.push(c.dim(`  … ${ordered.length - SHOWN.changes} more changes (--json for all)`));
  }
  const fields = res.changes.filter((x) => x.kind === 'field');
  if (fields.length) {
    L.push('', c.bold('Over-represented among the window’s warn/error records'));
    for (const x of fields.slice(0, SHOWN.fields)) {
      const also = x.also?.length ? c.dim(` (same records: ${x.also.slice(0, 4).map((a) => visible(`${a.field}=${a.value}`)).join(', ')}${x.also.length > 4 ? ', …' : ''})`) : '';
      L.push(`  ${c.dim(visible(x.evidence))}${also}`);
    }
  }
  if (res.breaker_events.length) {
    L.push('', c.bold('Circuit breakers'));
    // Repeats of one service's event are one line with a count.
    const seen = new Map<string, { first: number | undefined; n: number; service: string; event: string }>();
    for (const e of res.breaker_events) {
      const k = `${e.service ?? '?'}\u0000${e.event}`;
      const g = seen.get(k);
      if (g) g.n++;
      else seen.set(k, { first: e.time, n: 1, service: e.service ?? '?', event: e.event });
    }
    for (const g of seen.values()) L.push(`  ${clock(g.first)}  ${c.cyan(visible(g.service))} ${c.yellow(visible(g.event))}${g.n > 1 ? c.dim(` ×${g.n}`) : ''}`);
  }
  const template = new Map(res.changes.filter((x) => x.pattern_id).map((x) => [x.pattern_id!, x]));
  if (res.links.length) {
    L.push('', c.bold('Followed each other in the same requests'));
    for (const l of res.links.slice(0, SHOWN.links)) {
      const a = template.get(l.from);
      const b = template.get(l.to);
      if (!a || !b) continue;
      L.push(`  ${subject(a, c)}`, `    → ${subject(b, c)}`);
      L.push(c.dim(`      in ${formatCount(l.shared_requests)} of ${formatCount(l.of_requests)} requests, median +${formatDuration(l.median_delay_ms)}${l.sampled ? ' (sampled)' : ''}${l.later_cause ? '; a later cause (it began after the other had)' : ''}`));
    }
  }
  if (res.links.length > SHOWN.links) L.push(c.dim(`  … ${res.links.length - SHOWN.links} more links (--json for all)`));
  const linked = new Set(res.links.flatMap((l) => [l.from, l.to]));
  const alone = ordered.filter((x) => x.pattern_id && !linked.has(x.pattern_id) && x !== t);
  if (alone.length) L.push('', c.dim(`Also changed at the same time, without enough shared requests to be linked (not drawn as cause): ${alone.map((x) => x.pattern_id).join(', ')}`));
  const where = inputs.length ? ' ' + inputs.map(shellWord).join(' ') : '';
  L.push('');
  if (res.trace_id) L.push(c.dim('Next: ') + `logtool trace ${shellWord(visible(res.trace_id))}${where}`);
  L.push(c.dim('      ') + `logtool errors${where} --since ${formatTime(w.start)}`);
  return L.join('\n') + '\n';
}

/** A word as a shell would need it quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const time = (x: number | undefined) => (x === undefined ? null : formatTime(x));

/** A change as JSON: the contract's keys always present (null when they do not apply). */
function changeJson(x: Change) {
  const none = { pattern_id: null, template: null, service: null, operation: null, field: null, value: null };
  return { ...none, ...x, onset: time(x.onset) };
}

/** The `--json` form of `why` (the issue's contract, plus the counts behind it). */
export function whyJson(res: WhyResult): unknown {
  return {
    verdict: res.verdict,
    reason: res.reason,
    window: res.window ? { start: time(res.window.start), end: time(res.window.end), detected_by: res.window.detected_by } : null,
    baseline: res.baseline ? { start: time(res.baseline.start), end: time(res.baseline.end), ...(res.baseline.source ? { source: res.baseline.source } : {}) } : null,
    trigger: res.trigger ? changeJson(res.trigger) : null,
    changes: res.changes.map(changeJson),
    links: res.links,
    breaker_events: res.breaker_events.map((e) => ({ ...e, time: time(e.time) })),
    markers: res.markers.map((m) => ({ ...m, time: time(m.time) })),
    trace_id: res.trace_id ?? null,
    bin_ms: res.bin_ms,
    resolution_ms: res.resolution_ms,
    records: res.records,
    untimed: res.untimed,
    problems: res.problems,
    problem_rate_per_min: res.problem_rate_per_min,
    span: res.span ? { start: time(res.span.start), end: time(res.span.end) } : null,
    durations_left_out: res.durations_left_out,
    time_outliers: res.time_outliers ? { ...res.time_outliers, bulk_start: time(res.time_outliers.bulk_start), bulk_end: time(res.time_outliers.bulk_end) } : null,
    patterns: res.patterns,
  };
}
