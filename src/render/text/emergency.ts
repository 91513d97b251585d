import type { ChalkInstance } from 'chalk';
import { formatCount, formatDuration } from './format.js';
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

/** The human view of `emergency`: where the bundle is and what it holds. */
export function renderEmergency(bundle: string, tail: Record<string, unknown>, c: ChalkInstance): string {
  const s = tail.summary as Summary;
  const inputs = tail.inputs as { source: string }[];
  const L = [c.bold(`bundle: ${bundle}`)];
  L.push(`${formatCount(s.records)} records from ${inputs.length} inputs, ${s.time_range.first ?? '?'} → ${s.time_range.last ?? '?'}`);
  const errors = tail.judged === false ? 'errors not judged (no level could be read)' : `${formatCount(s.collected.errors)} errors`;
  L.push(`collected: ${c.red(errors)}, ${c.yellow(`${formatCount(s.collected.performance_violations)} performance violations`)}, ${formatCount(s.collected.circuit_breaker_events)} circuit-breaker events; ${redacted(s)}`);
  for (const cap of s.caps ?? []) L.push(c.dim(capNote(cap)));
  if (s.top_error_clusters.length) {
    L.push('', c.bold('top error patterns'));
    for (const k of s.top_error_clusters.slice(0, 5)) L.push(`  ${formatCount(k.count).padStart(7)}  ${visible(k.template)}`);
  }
  if (s.slowest_operations.length) {
    L.push('', c.bold('slowest operations (p95)'));
    for (const g of s.slowest_operations.slice(0, 5)) L.push(`  ${formatDuration(g.p95_ms ?? undefined).padStart(7)}  ${visible(g.operation)} (${g.count})`);
  }
  if (s.circuit_breaker_timeline.length) {
    L.push('', c.bold('circuit breakers'));
    for (const e of s.circuit_breaker_timeline.slice(0, 10)) L.push(`  ${e.time ?? '?'}  ${visible(e.service ?? '?')} ${visible(e.event)}`);
  }
  return L.join('\n') + '\n';
}

/** `12 values redacted (key 7, jwt 3, card 2)`. */
function redacted(s: Summary): string {
  const kinds = Object.entries(s.redactions ?? {});
  const detail = kinds.length ? ` (${kinds.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')})` : '';
  return `${formatCount(s.redacted_values)} values redacted${detail}`;
}

function capNote(cap: { what: string; limit: number; records: number }): string {
  if (cap.what === 'operations') return `note: more than ${formatCount(cap.limit)} operations; ${formatCount(cap.records)} records of later ones are counted under (other)`;
  if (cap.what === 'error_patterns') return `note: more than ${formatCount(cap.limit)} error patterns; ${formatCount(cap.records)} errors of later ones are counted under <other>`;
  return `note: only the first ${formatCount(cap.limit)} circuit-breaker events are in the timeline; ${formatCount(cap.records)} more are in the bundle`;
}
