import type { ChalkInstance } from 'chalk';
import type { Change, WhyResult } from '../../analyze/why-result.js';
import { formatTime } from '../../normalize/time.js';
import type { Level } from '../../types.js';
import { clockOver, formatCount, formatDuration, formatRange } from './format.js';
import { breakerTable } from './errors.js';
import { paintSlots } from './error-details.js';
import { wrapWords } from './notes.js';
import { displayWidth, fitList, shorten, templateFitter } from './layout.js';
import { visible } from './sanitize.js';

/** What one screen holds; the rest is counted, and all of it is in --json. */
const SHOWN = { changes: 12, fields: 6, links: 8 };

const SHARED_HINT = '  (the start the patterns below share)';

const KIND: Record<Change['kind'], string> = { latency: 'slower', new_pattern: 'new', surge: 'surge', field: 'field' };

type Fit = (t: string, width: number) => string;

/** `service` and the rest in `width`: the service's middle goes first, down to a third of the room. */
function withService(service: string | undefined, rest: (room: number) => string, width: number, c: ChalkInstance): string {
  if (!service) return rest(width);
  const name = visible(service);
  const whole = rest(Infinity);
  const keep = displayWidth(name) + 1 + displayWidth(whole) <= width ? displayWidth(name) : Math.min(displayWidth(name), Math.max(10, Math.floor(width / 3)));
  const shown = shorten(name, keep, 'middle');
  return `${c.cyan(shown)} ${rest(Math.max(1, width - displayWidth(shown) - 1))}`;
}

/** What a change is, in a few words fitted to `width`: the operation, the pattern or the field value. */
function subject(x: Change, c: ChalkInstance, width: number, fit: Fit): string {
  if (x.kind === 'latency') return withService(x.service, (room) => c.bold(shorten(visible(x.operation ?? '?'), room, 'middle')), width, c);
  if (x.kind === 'field') return c.bold(shorten(`${visible(x.field ?? '?')}=${visible(x.value ?? '?')}`, width, 'middle'));
  return withService(x.service, (room) => paintSlots(fit(visible(x.template ?? ''), room), c), width, c);
}

/** A command to copy: on one line when it fits, else broken between words with ` \\` continuations; no word is ever cut. */
function commandLines(label: string, words: string[], width: number, c: ChalkInstance): string[] {
  const indent = ' '.repeat(label.length);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const lead = out.length ? indent + '  ' : label;
    const next = line ? `${line} ${w}` : w;
    if (!line || displayWidth(lead + next + ' \\') <= width || (words.at(-1) === w && displayWidth(lead + next) <= width)) line = next;
    else {
      out.push(line + ' \\');
      line = w;
    }
  }
  out.push(line);
  // Words are never cut: a path wider than the terminal is the one line that may wrap.
  return out.map((l, i) => (i === 0 ? c.dim(label) : indent + '  ') + l);
}

export interface WhyViewOptions {
  /** The columns every line fits in (default: no limit). */
  width?: number;
  /** The lowest level mined (default warn): the words of the headings. */
  level?: Level;
}

/**
 * The human view of `why`: one screen — the window, the candidate trigger, the changes in order
 * of onset with their evidence, the links drawn from shared requests, and what to run next; no
 * line wider than `width`.
 */
export function renderWhy(res: WhyResult, c: ChalkInstance, inputs: string[], opts: WhyViewOptions = {}): string {
  const width = opts.width ?? Infinity;
  const cut = (line: string) => (displayWidth(line) > width ? shorten(line, width) : line);
  const L: string[] = [];
  if (res.verdict !== 'incident' || !res.window) {
    const paint = res.verdict === 'no_incident' ? c.green : c.yellow;
    L.push(...wrapWords(visible(res.reason), width, '  ').map((l) => paint(l)));
    if (res.span && res.verdict === 'no_incident') L.push(c.dim(cut(`  ${formatCount(res.records)} records, ${formatRange(res.span.start, res.span.end)}`)));
    return L.join('\n') + '\n';
  }
  const w = res.window;
  const fitter = templateFitter(res.changes.filter((x) => x.template !== undefined).map((x) => visible(x.template!)));
  // Whether a template lost the start they all share: then it is said once, under the header.
  let skipped = false;
  const fit: Fit = (text, room) => {
    const out = fitter.fit(text, room);
    if (fitter.prefix && out.startsWith('…') && text.startsWith(fitter.prefix)) skipped = true;
    return out;
  };
  const clock = clockOver([w.start, w.end, res.baseline?.start, ...res.changes.map((x) => x.onset), ...res.markers.map((m) => m.time)]);
  const until = w.end !== undefined ? `to ${clock(w.end)} (${formatDuration(w.end - w.start)})` : 'to the end of the logs (not over)';
  const head = cut(`Incident from ${clock(w.start)} ${until}`);
  const by = w.detected_by.map(visible);
  const byLead = '  detected by ';
  const byRoom = width - displayWidth(head) - byLead.length;
  if (byRoom >= 24 || byRoom >= displayWidth(by.join(', '))) L.push(c.bold.red(head) + c.dim(byLead + fitList(by, byRoom)));
  else L.push(c.bold.red(head), c.dim(byLead + fitList(by, width - byLead.length)));
  if (res.baseline?.source) L.push(c.dim(cut(`Compared with ${visible(res.baseline.source)}${res.baseline.end > res.baseline.start ? ` (operations and fields: with ${clock(res.baseline.start)}–${clock(res.baseline.end)})` : ''}`)));
  else if (res.baseline) {
    const where = res.baseline.end <= w.start ? 'before it' : 'after it';
    L.push(c.dim(cut(`Compared with ${clock(res.baseline.start)}–${clock(res.baseline.end)} (${formatDuration(res.baseline.end - res.baseline.start)} ${where})`)));
  }
  const sharedAt = L.length;
  if (res.markers.length) {
    const title = 'Just before or as it began';
    const hint = '  (deploys, rollbacks, config reloads, restarts)';
    L.push('', c.bold(cut(title)) + (displayWidth(title + hint) <= width ? c.dim(hint) : ''));
    for (const m of res.markers) {
      const lead = `  ${clock(m.time)}  `;
      const before = m.time < w.start ? `  ${formatDuration(w.start - m.time)} before` : '';
      const room = width - displayWidth(lead) - displayWidth(before);
      const text = withService(m.service, (r) => c.yellow(shorten(visible(m.message), r)), room, c);
      L.push(cut(`${lead}${text}${c.dim(before)}`));
    }
  }
  const t = res.trigger;
  if (t) {
    const lead = 'Trigger (the earliest change): ';
    // On a narrow terminal the subject goes under its label rather than be cut to nothing.
    if (width - lead.length >= 30) L.push('', c.bold(lead) + subject(t, c, width - lead.length, fit));
    else L.push('', c.bold(cut(lead.trimEnd())), cut(`  ${subject(t, c, width - 2, fit)}`));
    // Evidence carries counts: wrapped, never cut.
    const at = `  ${clock(t.onset)}  `;
    L.push(...wrapWords(at + visible(t.evidence), width, ' '.repeat(displayWidth(at))));
  }
  const ordered = res.changes.filter((x) => x.kind !== 'field');
  if (ordered.length) {
    L.push('', c.bold('What changed, by onset'));
    for (const x of ordered.slice(0, SHOWN.changes)) {
      const lead = `  ${clock(x.onset)}  ${KIND[x.kind].padEnd(6)}  `;
      const kind = x === t ? c.red(KIND[x.kind].padEnd(6)) : KIND[x.kind].padEnd(6);
      L.push(cut(`  ${clock(x.onset)}  ${kind}  ${subject(x, c, width - displayWidth(lead), fit)}`));
      const id = x.pattern_id ? `  [${x.pattern_id}]` : '';
      L.push(...wrapWords(`            ${visible(x.evidence)}${id}`, width, '            ').map((l) => c.dim(l)));
    }
    if (ordered.length > SHOWN.changes) L.push(c.dim(cut(`  … ${ordered.length - SHOWN.changes} more changes (--json for all)`)));
  }
  const fields = res.changes.filter((x) => x.kind === 'field');
  if (fields.length) {
    const level = opts.level ?? 'warn';
    const what = level === 'warn' ? 'warn/error' : level === 'error' || level === 'fatal' ? level : `${level}-and-above`;
    L.push('', c.bold(cut(`Over-represented among the window’s ${what} records`)));
    for (const x of fields.slice(0, SHOWN.fields)) {
      // The evidence (with its counts) is wrapped, never cut; the records' other values follow where they fit.
      const evidence = wrapWords(`  ${visible(x.evidence)}`, width, '    ');
      const lead = ' (same records: ';
      const last = evidence[evidence.length - 1];
      const room = width - displayWidth(last) - lead.length - 1;
      const also = (r: number) => `${lead}${fitList(x.also!.map((a) => visible(`${a.field}=${a.value}`)), r, { more: () => '…' })})`;
      if (x.also?.length && room >= 16) evidence[evidence.length - 1] = last + also(room);
      else if (x.also?.length) evidence.push('   ' + also(width - 4 - lead.length).trimStart());
      L.push(...evidence.map((l) => c.dim(l)));
    }
  }
  if (res.breaker_events.length) {
    L.push('', c.bold('Circuit breakers'));
    // Repeats of one service's event are one line with a count.
    const seen = new Map<string, { time: number | undefined; n: number; service: string | undefined; event: string }>();
    for (const e of res.breaker_events) {
      const k = `${e.service ?? '?'}\u0000${e.event}`;
      const g = seen.get(k);
      if (g) g.n++;
      else seen.set(k, { time: e.time, n: 1, service: e.service, event: e.event });
    }
    L.push(...breakerTable([...seen.values()].map((g) => ({ ...g, event: g.n > 1 ? `${g.event} ×${g.n}` : g.event })), clock, c, width));
  }
  const template = new Map(res.changes.filter((x) => x.pattern_id).map((x) => [x.pattern_id!, x]));
  if (res.links.length) {
    L.push('', c.bold('Followed each other in the same requests'));
    for (const l of res.links.slice(0, SHOWN.links)) {
      const a = template.get(l.from);
      const b = template.get(l.to);
      if (!a || !b) continue;
      L.push(cut(`  ${subject(a, c, width - 2, fit)}`), cut(`    → ${subject(b, c, width - 6, fit)}`));
      const facts = `in ${formatCount(l.shared_requests)} of ${formatCount(l.of_requests)} requests, median +${formatDuration(l.median_delay_ms)}${l.sampled ? ' (sampled)' : ''}${l.later_cause ? '; a later cause (it began after the other had)' : ''}`;
      L.push(...wrapWords('      ' + facts, width, '        ').map((x) => c.dim(x)));
    }
  }
  if (res.links.length > SHOWN.links) L.push(c.dim(cut(`  … ${res.links.length - SHOWN.links} more links (--json for all)`)));
  const linked = new Set(res.links.flatMap((l) => [l.from, l.to]));
  const alone = ordered.filter((x) => x.pattern_id && !linked.has(x.pattern_id) && x !== t);
  if (alone.length) L.push('', ...wrapWords(`Also changed at the same time, without enough shared requests to be linked (not drawn as cause): ${alone.map((x) => x.pattern_id).join(', ')}`, width).map((x) => c.dim(x)));
  if (skipped) {
    const lead = '… = ';
    const text = shorten(fitter.prefix.trimEnd(), Math.max(8, width - lead.length), 'middle');
    L.splice(sharedAt, 0, c.dim(lead) + paintSlots(text, c) + (displayWidth(lead + text + SHARED_HINT) <= width ? c.dim(SHARED_HINT) : ''));
  }
  const where = inputs.map(shellWord);
  L.push('');
  if (res.trace_id) L.push(...commandLines('Next: ', ['logtool', 'trace', shellWord(visible(res.trace_id)), ...where], width, c));
  L.push(...commandLines('      ', ['logtool', 'errors', ...where, '--since', formatTime(w.start)], width, c));
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
