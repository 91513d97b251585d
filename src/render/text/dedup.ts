import type { ChalkInstance } from 'chalk';
import type { DedupResult } from '../../analyze/dedup.js';
import { formatCount } from './format.js';
import { displayWidth, PIPE_WIDTH, plain, shorten, table, type Cell, type Column } from './layout.js';
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

/** Key fields whose values are ids: they keep their width before other key columns are cut. */
const ID_FIELD = /(^|[_.-])id$|Id$|^id|trace|span|corr|request/i;

/** The sources of a group in `width` columns: whole, else with file names only, else cut at the end. */
function fitSources(sources: string[], width: number): string {
  const full = visible(sourcesText(sources));
  if (displayWidth(full) <= width) return full;
  const names = sources.map((s) => s.replace(/^.*[\\/](?=[^\\/]*$)/, ''));
  const files = new Set(names.map((n) => n.replace(/:\d+$/, '')));
  const fullFiles = new Set(sources.map((n) => n.replace(/:\d+$/, '')));
  // File names alone only when they still tell the files apart.
  const short = files.size === fullFiles.size ? visible(sourcesText(names)) : full;
  return shorten(short, width, short === full ? 'start' : 'middle');
}

export interface DedupViewOptions {
  /** Groups listed (the rest are counted); default 15. */
  top?: number;
  /** Columns every line fits; default the piped width. */
  width?: number;
}

/** The human view of `dedup`, fitted to `width`. */
export function renderDedup(res: DedupResult, c: ChalkInstance, opts: DedupViewOptions = {}): string {
  const top = opts.top ?? 15;
  const width = opts.width ?? PIPE_WIDTH;
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
    // the start: the file name and line numbers stay). When they get too little, they go on a
    // line of their own under each row.
    const rows = groups.map((d): Cell[] => [{ text: `${d.count}×`, paint: c.bold }, ...res.key.map((k) => visible(d.key[k] ?? '')), { text: visible(sourcesText(d.sources)), paint: c.dim }]);
    const natural = (j: number, header: string) => Math.max(displayWidth(header), ...rows.map((r) => displayWidth(typeof r[j] === 'string' ? r[j] : r[j].text)));
    // Ids keep their whole width (up to half the line) so they can be traced; other keys give way first.
    const idRoom = Math.max(10, Math.floor((width - 2 - natural(0, 'copies')) / 2 / Math.max(1, res.key.filter((k) => ID_FIELD.test(k)).length)));
    const keyColumns: Column[] = [
      { header: 'copies', kind: 'number' },
      ...res.key.map((k, j): Column => ({ header: k, kind: 'key', min: ID_FIELD.test(k) ? Math.max(10, Math.min(natural(j + 1, k), idRoom)) : 10 })),
    ];
    // The sources stay in a column only when they fit whole there; else each group's go on a dim line under it.
    const keyLines = table(keyColumns, rows.map((r) => r.slice(0, -1)), width, { indent: '  ' });
    const keysUsed = Math.max(...keyLines.map((l) => displayWidth(plain(l))));
    const whereShown = keysUsed + 1 + natural(res.key.length + 1, 'where') <= width;
    const lines = whereShown ? table([...keyColumns, { header: 'where', kind: 'path' }], rows, width, { indent: '  ' }) : keyLines;
    L.push(c.bold(lines[0].trimEnd()));
    const under = '  ' + ' '.repeat(natural(0, 'copies') + 1);
    lines.slice(1).forEach((l, k) => {
      L.push(l);
      if (!whereShown) L.push(under + c.dim(fitSources(groups[k].sources, width - displayWidth(under))));
    });
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
