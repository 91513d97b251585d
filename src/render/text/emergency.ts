import type { ChalkInstance } from 'chalk';
import { breakerTable } from './errors.js';
import { wrapWords } from './notes.js';
import { clockOver, formatCount, formatDuration, formatRange } from './format.js';
import { commonPrefix, displayWidth, shorten, shortenTemplates } from './layout.js';
import { visible } from './sanitize.js';

interface Summary {
  records: number;
  levels: Record<string, number>;
  time_range: { first: string | null; last: string | null };
  collected: Record<string, number>;
  redacted_values: number;
  redactions?: Record<string, number>;
  caps?: { what: string; limit: number; records: number }[];
  top_error_clusters: { template: string; count: number }[];
  slowest_operations: { operation: string; p95_ms: number | null; count: number }[];
  circuit_breaker_timeline: { time: string | null; service?: string; event: string }[];
}

export interface EmergencyViewOptions {
  /** The columns every line fits in (default: no limit). */
  width?: number;
  /** Warnings were collected with the errors (`--include warn`). */
  includeWarn?: boolean;
}

/** The human view of `emergency`: where the bundle is and what it holds; no line wider than `width`. */
export function renderEmergency(bundle: string, tail: Record<string, unknown>, c: ChalkInstance, opts: EmergencyViewOptions = {}): string {
  const width = opts.width ?? Infinity;
  const fit = (line: string) => (displayWidth(line) > width ? shorten(line, width) : line);
  const s = tail.summary as Summary;
  const inputs = tail.inputs as { source: string }[];
  const L: string[] = [];
  // The bundle's path is to be copied: on a line of its own when it does not fit after the label.
  const where = visible(bundle);
  if (displayWidth(`bundle: ${where}`) <= width) L.push(c.bold(`bundle: ${where}`));
  // Never cut: a path wider than the terminal is the one line that may wrap.
  else L.push(c.bold('bundle:'), c.bold(`  ${where}`));
  const what = `${formatCount(s.records)} records from ${formatCount(inputs.length)} input${inputs.length === 1 ? '' : 's'}`;
  const when = timeRange(s.time_range);
  L.push(...wrapParts([what, when], width, '  ', ', '));
  const errorWord = opts.includeWarn ? 'warn and error records' : 'errors';
  const errors = tail.judged === false ? `${errorWord} not judged (no level could be read)` : `${formatCount(s.collected.errors)} ${errorWord}`;
  const collected = [
    `collected: ${c.red(errors)},`,
    c.yellow(`${formatCount(s.collected.performance_violations)} performance violations`) + ',',
    `${formatCount(s.collected.circuit_breaker_events)} circuit-breaker events;`,
    ...redacted(s),
  ];
  L.push(...wrapParts(collected, width, '  ', ' '));
  for (const cap of s.caps ?? []) L.push(...wrapWords(capNote(cap), width, '  ').map((l) => c.dim(l)));
  if (s.top_error_clusters.length) {
    L.push('', c.bold(opts.includeWarn ? 'top warn and error patterns' : 'top error patterns'));
    const top = s.top_error_clusters.slice(0, 5);
    const counts = top.map((k) => formatCount(k.count));
    const cw = Math.max(7, ...counts.map((n) => n.length));
    const templates = top.map((k) => visible(k.template));
    const fitted = shortenTemplates(templates, width - cw - 4);
    const prefix = commonPrefix(templates);
    if (prefix.length >= 8 && fitted.some((t, i) => t !== templates[i] && t.startsWith('…'))) {
      L.push(fit(c.dim(`  ${' '.repeat(cw)}  … = `) + prefix.trimEnd()));
    }
    top.forEach((_, i) => L.push(`  ${counts[i].padStart(cw)}  ${fitted[i]}`));
  }
  if (s.slowest_operations.length) {
    L.push('', c.bold('slowest operations (p95)'));
    for (const g of s.slowest_operations.slice(0, 5)) {
      const count = ` (${formatCount(g.count)})`;
      const op = shorten(visible(g.operation), Math.max(8, width - 11 - count.length), 'middle');
      L.push(fit(`  ${formatDuration(g.p95_ms ?? undefined).padStart(7)}  ${op}${count}`));
    }
  }
  if (s.circuit_breaker_timeline.length) {
    L.push('', c.bold('circuit breakers'));
    const events = s.circuit_breaker_timeline.slice(0, 10).map((e) => ({ time: e.time === null ? undefined : Date.parse(e.time), service: e.service, event: e.event }));
    const clock = clockOver(events.map((e) => e.time));
    L.push(...breakerTable(events, clock, c, width, { colour: false }));
  }
  return L.join('\n') + '\n';
}

/** The records' time range, said plainly when it is not known at one end or both. */
function timeRange(r: { first: string | null; last: string | null }): string {
  const first = r.first === null ? NaN : Date.parse(r.first);
  const last = r.last === null ? NaN : Date.parse(r.last);
  if (Number.isFinite(first) && Number.isFinite(last)) return formatRange(first, last, 'ms');
  if (Number.isFinite(first)) return `from ${r.first} (no later time in the records)`;
  if (Number.isFinite(last)) return `until ${r.last} (no earlier time in the records)`;
  return 'no times in the records';
}

/** Parts joined by `sep`, wrapped between parts; later lines start with `indent`. */
function wrapParts(parts: string[], width: number, indent: string, sep: string): string[] {
  const out: string[] = [];
  let line = '';
  parts.forEach((piece) => {
    const next = line ? line + sep + piece : piece;
    if (!line || displayWidth(next) <= width) line = next;
    else {
      out.push(line);
      line = indent + piece;
    }
  });
  out.push(line);
  return out.map((l) => (displayWidth(l) > width ? shorten(l, width) : l));
}

/** `12 values redacted (key 7, jwt 3, card 2)`, in pieces a line may break between. */
function redacted(s: Summary): string[] {
  const kinds = Object.entries(s.redactions ?? {});
  const head = `${formatCount(s.redacted_values)} values redacted`;
  if (!kinds.length) return [head];
  const items = kinds.map(([k, n], i) => `${i === 0 ? '(' : ''}${k} ${formatCount(n)}${i === kinds.length - 1 ? ')' : ','}`);
  return [`${head} ${items[0]}`, ...items.slice(1)];
}

function capNote(cap: { what: string; limit: number; records: number }): string {
  if (cap.what === 'operations') return `note: more than ${formatCount(cap.limit)} operations; ${formatCount(cap.records)} records of later ones are counted under (other)`;
  if (cap.what === 'error_patterns') return `note: more than ${formatCount(cap.limit)} error patterns; ${formatCount(cap.records)} errors of later ones are counted under <other>`;
  return `note: only the first ${formatCount(cap.limit)} circuit-breaker events are in the timeline; ${formatCount(cap.records)} more are in the bundle`;
}
