import type { ChalkInstance } from 'chalk';
import type { DedupResult } from '../../analyze/dedup.js';
import { fit, formatCount } from './format.js';
import { visible } from './sanitize.js';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The human view of `dedup`. */
export function renderDedup(res: DedupResult, c: ChalkInstance, top = 15): string {
  const L: string[] = [];
  const events = res.events === 'lifecycle' ? 'lifecycle events (*_start, *_end, …)' : res.events === 'all' ? 'all events' : res.events.join(', ');
  L.push(c.bold(`dedup by ${res.key.join(', ')} over ${events}`));
  L.push(`${formatCount(res.records)} records, ${formatCount(res.keyed_records)} audited, ${formatCount(res.skipped_records)} skipped (a key field missing)`);
  const dup = res.duplicate_events ? c.red : c.green;
  L.push(dup(`${formatCount(res.duplicate_events)} duplicate events in ${formatCount(res.duplicates.length)} groups (${pct(res.rate)})`));
  for (const d of res.duplicates.slice(0, top)) {
    L.push(`  ${c.bold(`${d.count}×`)} ${visible(Object.entries(d.key).map(([k, v]) => `${k}=${v}`).join(' '))}  ${c.dim(d.sources.join(' '))}`);
  }
  if (res.duplicates.length > top) L.push(c.dim(`  … ${res.duplicates.length - top} more (--json for all)`));
  const worst = (title: string, rows: { name: string; keyed: number; duplicates: number; rate: number }[]) => {
    const bad = rows.filter((r) => r.duplicates > 0).slice(0, 10);
    if (!bad.length) return;
    L.push('', c.bold(title));
    for (const r of bad) L.push(`  ${fit(visible(r.name), 36)} ${formatCount(r.duplicates).padStart(7)} of ${formatCount(r.keyed).padEnd(8)} ${c.yellow(pct(r.rate))}`);
  };
  worst('dedup rate by operation', res.by_operation.map((r) => ({ ...r, name: r.operation })));
  worst('dedup rate by logger', res.by_logger.map((r) => ({ ...r, name: r.logger })));
  const x = res.exact_duplicates;
  L.push('', c.bold(`byte-identical records: ${formatCount(x.records)} extra copies in ${formatCount(x.groups)} groups`));
  for (const e of x.examples.slice(0, 5)) {
    L.push(`  ${e.count}× ${e.cross_file ? c.yellow('across files') : 'in one file'}  ${c.dim(e.sources.join(' '))}`);
    L.push(c.dim(`     ${visible(e.text.length > 140 ? e.text.slice(0, 139) + '…' : e.text)}`));
  }
  if (res.approximate) L.push('', c.yellow('approximate: more distinct keys than the hash tables hold; counts beyond that point are lower bounds'));
  return L.join('\n') + '\n';
}
