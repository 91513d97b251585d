/**
 * How well `logtool why` finds planted incidents: for each incident shape and seed, writes the
 * generated logs to a temporary folder, runs the compiled binary (`why <dir> --json`) and compares
 * its answer with the generator's ground truth.
 *
 * Usage: node dist/eval/why-eval.js [--seeds 1..5] [--shape <name>]... [--keep <dir>] [--json]
 * `--keep <dir>` leaves each run's logs in `<dir>/<shape>-<seed>/` and its truth beside them.
 * One row per run: shape, seed, verdict expected/got, window start error in seconds
 * (|detected − truth|), trigger found, false links (links whose `from`/`to` are not a truth
 * cause → effect pair), truth pairs drawn as links, seconds the run took. A run that fails prints its error in the row.
 * Always exits 0: this reports, it does not judge.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { INCIDENT_SHAPES, generateIncident, writeIncidentLogs, type IncidentShape, type IncidentTruth } from '../fixtures/incidents.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/logtool.js');

/** One run's comparison of `why --json` with the truth. */
export interface Row {
  shape: IncidentShape;
  seed: number;
  expected: IncidentTruth['verdict'];
  got?: string;
  /** |detected − truth| window start, in seconds (when both have one). */
  start_error_s?: number;
  /**
   * The window's end: |detected − truth| in seconds when both ended; 'open' / 'ended' when only
   * the detected or only the true one ran to the end of the logs (a miss either way).
   */
  end_error_s?: number | 'missed_end' | 'false_end';
  /** Whether the trigger named is the truth's (only for incidents). */
  trigger_found?: boolean;
  trigger_got?: string;
  links: number;
  /** Truth cause → effect pairs drawn as a link (of all the truth's pairs). */
  true_links: number;
  truth_pairs: number;
  false_links: number;
  false_link_examples: string[];
  seconds: number;
  error?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** An epoch ms from a number (ms) or a date string. */
function instant(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The texts a pattern reference stands for: its template, message, example, id. */
function texts(v: unknown, byId: Map<string, string[]>): string[] {
  if (typeof v === 'string') return [v, ...(byId.get(v) ?? [])];
  if (!isObj(v)) return [];
  const out = ['template', 'message', 'example', 'pattern', 'text'].map((k) => str(v[k])).filter((s): s is string => s !== undefined);
  const id = str(v.pattern_id) ?? str(v.id);
  if (id) out.push(id, ...(byId.get(id) ?? []));
  return out;
}

const mentions = (ts: string[], s: string) => ts.some((t) => t.toLowerCase().includes(s.toLowerCase()));

/** Compares one `why --json` answer with the truth. */
export function compare(truth: IncidentTruth, out: Obj): Omit<Row, 'shape' | 'seed' | 'seconds'> {
  const row: Omit<Row, 'shape' | 'seed' | 'seconds'> = { expected: truth.verdict, got: str(out.verdict), links: 0, true_links: 0, truth_pairs: truth.causal_pairs.length, false_links: 0, false_link_examples: [] };
  // Pattern ids → their templates, from every change and the trigger.
  const byId = new Map<string, string[]>();
  const changes = Array.isArray(out.changes) ? out.changes.filter(isObj) : [];
  for (const c of [...changes, ...(isObj(out.trigger) ? [out.trigger] : [])]) {
    const id = str(c.pattern_id) ?? str(c.id);
    if (id) byId.set(id, [...(byId.get(id) ?? []), ...texts({ ...c, pattern_id: undefined, id: undefined }, new Map())]);
  }
  const win = isObj(out.window) ? out.window : undefined;
  const start = instant(win?.start);
  if (truth.window && start !== undefined) row.start_error_s = Math.abs(start - truth.window.start) / 1000;
  const end = instant(win?.end);
  if (truth.window && start !== undefined) {
    if (truth.window.end !== undefined && end !== undefined) row.end_error_s = Math.abs(end - truth.window.end) / 1000;
    else if (truth.window.end !== undefined) row.end_error_s = 'missed_end';
    else if (end !== undefined) row.end_error_s = 'false_end';
  }
  if (truth.trigger) {
    const t = isObj(out.trigger) ? out.trigger : undefined;
    row.trigger_found = false;
    if (t) {
      const ts = texts(t, byId);
      const op = str(t.operation);
      const svc = str(t.service);
      row.trigger_got = [str(t.kind), svc, op, ts.find((x) => x.includes(' '))].filter(Boolean).join(' ');
      const tr = truth.trigger;
      if (tr.kind === 'latency' && op !== undefined && (op === tr.operation || op.endsWith(`/${tr.operation}`)) && (svc === undefined || svc === tr.service)) row.trigger_found = true;
      if (tr.kind === 'pattern' && mentions(ts, tr.contains)) row.trigger_found = true;
      if ((truth.also_trigger ?? []).some((s) => mentions(ts, s))) row.trigger_found = true;
    }
  }
  const links = Array.isArray(out.links) ? out.links.filter(isObj) : [];
  row.links = links.length;
  const found = new Set<number>();
  for (const l of links) {
    const from = [...texts(l.from, byId), ...texts(l.from_template, byId)];
    const to = [...texts(l.to, byId), ...texts(l.to_template, byId)];
    const pair = truth.causal_pairs.findIndex(([c, e]) => mentions(from, c) && mentions(to, e));
    if (pair >= 0) found.add(pair);
    else {
      row.false_links++;
      if (row.false_link_examples.length < 2) row.false_link_examples.push(`${label(from)} → ${label(to)}`);
    }
  }
  row.true_links = found.size;
  return row;
}

const label = (ts: string[]) => (ts.find((t) => t.includes(' ')) ?? ts[0] ?? '?').slice(0, 50);

/** Generates, writes and runs one shape and seed. */
export function runOne(shape: IncidentShape, seed: number, keep?: string): Row {
  const g = generateIncident(shape, seed);
  const dir = keep ? path.join(keep, `${shape}-${seed}`) : mkdtempSync(path.join(tmpdir(), `why-${shape}-${seed}-`));
  try {
    writeIncidentLogs(dir, g);
    if (keep) writeFileSync(`${dir}.truth.json`, JSON.stringify(g.truth, null, 2) + '\n');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, 'why', dir, '--json'], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const base = { shape, seed, seconds };
    let out: unknown;
    try {
      out = JSON.parse(r.stdout);
    } catch {
      const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n')[0] || `exit ${r.status}, no JSON on stdout`;
      return { ...base, expected: g.truth.verdict, links: 0, true_links: 0, truth_pairs: g.truth.causal_pairs.length, false_links: 0, false_link_examples: [], error: why };
    }
    if (!isObj(out)) return { ...base, expected: g.truth.verdict, links: 0, true_links: 0, truth_pairs: g.truth.causal_pairs.length, false_links: 0, false_link_examples: [], error: 'the JSON is not an object' };
    return { ...base, ...compare(g.truth, out) };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

function table(rows: Row[]): string {
  const head = ['shape', 'seed', 'verdict exp/got', 'start err s', 'end err s', 'trigger', 'links', 'true pairs', 'false', 'secs', 'note'];
  const body = rows.map((r) => [
    r.shape,
    String(r.seed),
    `${r.expected}/${r.got ?? '-'}`,
    r.start_error_s === undefined ? '-' : r.start_error_s.toFixed(0),
    r.end_error_s === undefined ? '-' : typeof r.end_error_s === 'number' ? r.end_error_s.toFixed(0) : r.end_error_s,
    r.trigger_found === undefined ? '-' : r.trigger_found ? 'yes' : 'no',
    String(r.links),
    `${r.true_links}/${r.truth_pairs}`,
    String(r.false_links),
    r.seconds.toFixed(2),
    r.error ? `error: ${r.error}` : [r.trigger_found === false ? `got ${r.trigger_got ?? 'none'}` : '', ...r.false_link_examples].filter(Boolean).join('; '),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => (i === head.length - 1 ? 0 : b[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i]))).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

function summary(rows: Row[]): string {
  const out: string[] = [];
  for (const shape of new Set(rows.map((r) => r.shape))) {
    const rs = rows.filter((r) => r.shape === shape);
    const ok = rs.filter((r) => r.got === r.expected).length;
    const errs = rs.map((r) => r.start_error_s).filter((x): x is number => x !== undefined);
    const trig = rs.filter((r) => r.trigger_found !== undefined);
    const parts = [`verdict ${ok}/${rs.length}`];
    if (errs.length) parts.push(`start error median ${[...errs].sort((a, b) => a - b)[Math.floor(errs.length / 2)].toFixed(0)}s, max ${Math.max(...errs).toFixed(0)}s`);
    const ends = rs.map((r) => r.end_error_s).filter((x) => x !== undefined);
    const endNums = ends.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    if (ends.length) {
      const misses = ends.length - endNums.length;
      parts.push(`end ${endNums.length ? `error median ${endNums[Math.floor(endNums.length / 2)].toFixed(0)}s, max ${endNums[endNums.length - 1].toFixed(0)}s` : 'never both ended'}${misses ? `, ${misses} open/closed wrongly` : ''}`);
    }
    if (trig.length) parts.push(`trigger ${trig.filter((r) => r.trigger_found).length}/${trig.length}`);
    const pairs = rs.reduce((a, r) => a + r.truth_pairs, 0);
    if (pairs) parts.push(`true pairs linked ${rs.reduce((a, r) => a + r.true_links, 0)}/${pairs}`);
    parts.push(`false links ${rs.reduce((a, r) => a + r.false_links, 0)}`);
    const failed = rs.filter((r) => r.error).length;
    if (failed) parts.push(`${failed} run(s) failed`);
    out.push(`${shape.padEnd(28)} ${parts.join(' · ')}`);
  }
  return out.join('\n');
}

function seedsOf(spec: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(spec);
  if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
  return spec.split(',').map(Number).filter((n) => Number.isInteger(n));
}

export function main(argv: string[]): void {
  let seeds = [1, 2, 3, 4, 5];
  const shapes: IncidentShape[] = [];
  let keep: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seeds') seeds = seedsOf(argv[++i] ?? '');
    else if (a === '--shape') shapes.push(argv[++i] as IncidentShape);
    else if (a === '--keep') keep = argv[++i];
    else if (a === '--json') json = true;
  }
  const which = shapes.length ? shapes.filter((s) => INCIDENT_SHAPES.includes(s)) : INCIDENT_SHAPES;
  const rows: Row[] = [];
  for (const shape of which) for (const seed of seeds) rows.push(runOne(shape, seed, keep));
  if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else process.stdout.write(`${table(rows)}\n\n${summary(rows)}\n`);
  process.exitCode = 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
