import type { ChalkInstance } from 'chalk';
import type { DedupResult } from '../../analyze/dedup.js';
import { formatCount } from './format.js';
import { displayWidth, PIPE_WIDTH, shorten, table, type Cell, type Column } from './layout.js';
import { wrapWords } from './notes.js';
import { visible } from './sanitize.js';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The event types `--events` audits, in words. */
function eventsText(res: DedupResult): string {
  return res.events === 'lifecycle' ? 'lifecycle events (*_start, *_end, …)' : res.events === 'all' ? 'all events' : res.events.join(', ');
}

/**
 * Why nothing was audited and what to run instead, or undefined when something was: no record
 * had an audited event type, or every one lacked a key field.
 */
export function nothingAudited(res: DedupResult): string | undefined {
  if (res.keyed_records > 0 || res.records === 0) return undefined;
  const n = formatCount(res.records);
  if (res.skipped_records > 0) {
    return `nothing audited: each of the ${formatCount(res.skipped_records)} ${res.events === 'all' ? 'records' : eventsText(res)} lacks one of the key fields ${res.key.join(', ')} (see which the records carry: logtool stats); name others with --key`;
  }
  if (res.events === 'lifecycle') return `nothing audited: no lifecycle events (*_start, *_end, …) among ${n} records; audit every record with --events all`;
  if (res.events === 'all') return undefined;
  return `nothing audited: no event of type ${res.events.join(', ')} among ${n} records; audit every record with --events all`;
}

/** Sources grouped by file: `a.log:12,15 b.log:3` (each file named once). */
function sourcesText(sources: string[]): string {
  const byFile = new Map<string, string[]>();
  for (const s of sources) {
    const m = /^(.*):(\d+)$/.exec(s);
    const [file, line] = m ? [m[1], m[2]] : [s, ''];
    const lines = byFile.get(file) ?? [];
    if (line) lines.push(line);
    byFile.set(file, lines);
  }
  return [...byFile].map(([f, ls]) => (ls.length ? `${f}:${ls.join(',')}` : f)).join(' ');
}

/** The human view of `dedup`, fitted to `width`. */
export function renderDedup(res: DedupResult, c: ChalkInstance, top = 15, width = PIPE_WIDTH): string {
  const L: string[] = [];
  const say = (text: string, paint: (s: string) => string = (s) => s, indent = '  ') => L.push(...wrapWords(text, width, indent).map((l) => paint(l)));
  say(`dedup by ${res.key.join(', ')} over ${eventsText(res)}`, c.bold);
  say(`${formatCount(res.records)} records, ${formatCount(res.keyed_records)} audited, ${formatCount(res.skipped_records)} skipped (a key field missing)`);
  const hint = nothingAudited(res);
  if (hint) say(hint, c.yellow);
  const dup = res.duplicate_events ? c.red : c.green;
  say(`${formatCount(res.duplicate_events)} duplicate events in ${formatCount(res.duplicates.length)} groups (${pct(res.rate)})`, dup);
  const groups = res.duplicates.slice(0, top);
  if (groups.length) {
    // One column per key field; the sources go last and get what the key fields leave (cut at
    // the start: the file name and line numbers stay).
    const rows = groups.map((d): Cell[] => [{ text: `${d.count}×`, paint: c.bold }, ...res.key.map((k) => visible(d.key[k] ?? '')), { text: visible(sourcesText(d.sources)), paint: c.dim }]);
    const natural = (j: number, header: string) => Math.max(displayWidth(header), ...rows.map((r) => displayWidth(typeof r[j] === 'string' ? r[j] : r[j].text)));
    const keysWidth = 2 + natural(0, 'copies') + res.key.reduce((a, k, j) => a + 1 + natural(j + 1, k), 0) + 1;
    const columns: Column[] = [
      { header: 'copies', kind: 'number' },
      ...res.key.map((k): Column => ({ header: k, kind: 'key', min: 10 })),
      { header: 'where', kind: 'path', min: 16, max: Math.max(16, width - keysWidth), optional: true },
    ];
    const lines = table(columns, rows, width, { indent: '  ' });
    L.push(c.bold(lines[0].trimEnd()), ...lines.slice(1));
  }
  if (res.duplicates.length > top) say(`  … ${res.duplicates.length - top} more (--json for all)`, c.dim);
  const worst = (title: string, rows: { name: string; keyed: number; duplicates: number; rate: number }[]) => {
    const bad = rows.filter((r) => r.duplicates > 0).slice(0, 10);
    if (!bad.length) return;
    L.push('', c.bold(shorten(title, width)));
    const columns: Column[] = [
      { header: '', kind: 'key', min: 12 },
      { header: '', kind: 'number' },
      { header: '', kind: 'number' },
    ];
    L.push(...table(columns, bad.map((r): Cell[] => [visible(r.name), `${formatCount(r.duplicates)} of ${formatCount(r.keyed)}`, { text: pct(r.rate), paint: c.yellow }]), width, { indent: '  ', gap: '  ', header: false }));
  };
  worst('dedup rate by operation', res.by_operation.map((r) => ({ ...r, name: r.operation })));
  worst('dedup rate by logger', res.by_logger.map((r) => ({ ...r, name: r.logger })));
  const x = res.exact_duplicates;
  L.push('');
  say(`byte-identical records: ${formatCount(x.records)} extra copies in ${formatCount(x.groups)} groups`, c.bold);
  for (const e of x.examples.slice(0, 5)) {
    const head = `  ${e.count}× ${e.cross_file ? 'across files' : 'in one file'}  `;
    const where = shorten(visible(sourcesText(e.sources)), Math.max(12, width - head.length));
    L.push(`  ${e.count}× ${e.cross_file ? c.yellow('across files') : 'in one file'}  ${c.dim(where)}`);
    L.push(c.dim(shorten(`     ${visible(e.text)}`, width)));
  }
  if (res.approximate) {
    L.push('');
    say('approximate: more distinct keys than the hash tables hold; counts beyond that point are lower bounds', c.yellow);
  }
  return L.join('\n') + '\n';
}
