/**
 * How well the reader reads real third-party logs: the bar of issue 14 ("≥ 99% of lines as
 * records or continuations, ≥ 99% of records with a recognised level and time"), per file.
 *
 * Usage: node dist/eval/formats.js <data dir> [--json] [--format <layout>]
 * Walks `<dir>/json` and `<dir>/formats` (held to the bar) and `<dir>/loghub` (its `*_2k.log`
 * files, reported but not held to it). Each file is read in-process by the same reader and
 * normalizer the CLI uses. Files that are not logs, annotation lines and files excepted from the
 * bar are data, with their reasons, in `format-exceptions.ts`.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeOptions } from '../cli/normalizer.js';
import { describeLayouts } from '../formats/detected.js';
import { createNormalizer } from '../normalize/normalize.js';
import { readSources } from '../read/index.js';
import { ANNOTATIONS, EXCEPTIONS, NOT_LOGS, ruleFor, type AnnotationRule, type ExceptionRule, type Figure, type PathRule } from './format-exceptions.js';

/** The share both figures must reach. */
export const BAR = 0.99;

/** The folders walked, and whether their files are held to the bar. */
export const GROUPS: readonly { dir: string; required: boolean }[] = [
  { dir: 'json', required: true },
  { dir: 'formats', required: true },
  { dir: 'loghub', required: false },
];

/** The rules an evaluation applies (the defaults come from `format-exceptions.ts`). */
export interface Rules {
  notLogs: readonly PathRule[];
  annotations: readonly AnnotationRule[];
  exceptions: readonly ExceptionRule[];
}

export const DEFAULT_RULES: Rules = { notLogs: NOT_LOGS, annotations: ANNOTATIONS, exceptions: EXCEPTIONS };

/** One log file as the reader read it. */
export interface FileResult {
  /** Relative to the data folder, with `/`. */
  path: string;
  group: string;
  /** Whether the file is held to the bar (its group is, and it is not excepted). */
  required: boolean;
  /** The layouts records were read with, most used first (`logfmt 93%, json 7%`). */
  layout: string | undefined;
  layouts: Record<string, number>;
  /** Lines read (annotation and blank lines excluded). */
  lines: number;
  /** Annotation lines taken out before reading (see ANNOTATIONS). */
  annotation_lines: number;
  /** Blank (white-space only) lines taken out before reading: they carry nothing to read. */
  blank_lines: number;
  records: number;
  continuation: number;
  unparsed: number;
  /** Records beyond the first that one line or document yielded (OTLP batches, search responses). */
  expanded: number;
  /** Share of lines read as records or continuation: (lines - unparsed) / lines. */
  readable: number;
  /** Share of records with a recognised level. */
  level: number;
  /** Share of records with a time. */
  time: number;
  /** Whether the figures judged (all but `waived`) reach the bar. */
  pass: boolean;
  /** Why the file is excepted from the bar (wholly, or for the `waived` figures), when it is. */
  exception?: string;
  /** The figures not judged for this file. */
  waived?: Figure[];
  /** A read problem (the figures cover what could be read). */
  error?: string;
}

/** A file that was not read, with the reason. */
export interface Skipped {
  path: string;
  reason: string;
}

export interface Evaluation {
  dir: string;
  bar: number;
  /** Logs held to the bar, and logs only reported (loghub). */
  files: FileResult[];
  /** Logs excepted from the bar, with their reason. */
  exceptions: FileResult[];
  not_logs: Skipped[];
  /** Annotation rules that took lines out, with their counts. */
  annotations: { path: string; lines: number; reason: string }[];
  summary: { judged: number; passed: number; failed: string[] };
}

/** Every file under `dir`, relative, with `/`, sorted. */
function walk(dir: string, rel = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(dir, rel)).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...walk(dir, r));
    else if (st.isFile()) out.push(r);
  }
  return out;
}

const ratio = (n: number, d: number): number => (d > 0 ? n / d : 0);

const BLANK = /^\s*$/;

/**
 * Reads one file with the CLI's reader and normalizer. Lines matching `annotation`, and blank
 * lines (the reader counts them as unparsed unless continuation follows; they hold nothing to
 * read, yet Rails and test files separate entries with them), are taken out first and counted
 * apart; the rest is read from a temporary copy.
 */
export async function evaluateFile(file: string, rel: string, opts: { annotation?: RegExp; format?: string } = {}): Promise<Omit<FileResult, 'group' | 'required' | 'exception'>> {
  let readPath = file;
  let annotationLines = 0;
  let blankLines = 0;
  let tmp: string | undefined;
  const bytes = readFileSync(file);
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) {
    const lines = bytes.toString('utf8').split('\n');
    // The piece after the last newline is not a line when empty.
    const last = lines.length > 0 && lines[lines.length - 1] === '' ? lines.pop() : undefined;
    const kept = lines.filter((l) => {
      if (opts.annotation?.test(l)) {
        annotationLines++;
        return false;
      }
      if (BLANK.test(l)) {
        blankLines++;
        return false;
      }
      return true;
    });
    if (annotationLines + blankLines > 0) {
      tmp = mkdtempSync(path.join(tmpdir(), 'logtool-eval-'));
      readPath = path.join(tmp, path.basename(file));
      writeFileSync(readPath, kept.join('\n') + (last !== undefined && kept.length ? '\n' : ''));
    }
  }
  const normalizer = createNormalizer(normalizeOptions({ format: opts.format }, {}));
  let known = 0;
  let timed = 0;
  let records = 0;
  const problems: string[] = [];
  try {
    const [stats] = await readSources(
      [{ name: rel, path: readPath }],
      {
        normalizer,
        onRecord: (r) => {
          records++;
          if (r.level !== 'unknown') known++;
          if (r.time !== undefined && Number.isFinite(r.time)) timed++;
        },
      },
      (p) => problems.push(p.message),
    );
    const lines = stats?.lines ?? 0;
    const unparsed = (stats?.unparsed_lines ?? 0) + (stats?.skipped_lines ?? 0);
    const readable = ratio(lines - unparsed, lines);
    const level = ratio(known, records);
    const time = ratio(timed, records);
    return {
      path: rel,
      layout: describeLayouts(stats?.layouts ?? {}),
      layouts: stats?.layouts ?? {},
      lines,
      annotation_lines: annotationLines,
      blank_lines: blankLines,
      records,
      continuation: stats?.continuation_lines ?? 0,
      unparsed,
      expanded: stats?.expanded_records ?? 0,
      readable,
      level,
      time,
      pass: meetsBar({ records, readable, level, time }),
      ...(problems.length || stats?.error ? { error: stats?.error ?? problems.join('; ') } : {}),
    };
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/** Whether a file's figures reach the bar, leaving out the `waived` ones. */
export function meetsBar(r: Pick<FileResult, 'records' | 'readable' | 'level' | 'time'>, waived: readonly Figure[] = []): boolean {
  if (r.records === 0) return false;
  return (['readable', 'level', 'time'] as const).every((f) => waived.includes(f) || r[f] >= BAR);
}

/** Evaluates every log under the groups of `dir`. */
export async function evaluateTree(dir: string, rules: Rules = DEFAULT_RULES, opts: { format?: string } = {}): Promise<Evaluation> {
  const ev: Evaluation = { dir, bar: BAR, files: [], exceptions: [], not_logs: [], annotations: [], summary: { judged: 0, passed: 0, failed: [] } };
  for (const group of GROUPS) {
    for (const sub of walk(path.join(dir, group.dir))) {
      const rel = `${group.dir}/${sub}`;
      const notLog = ruleFor(rules.notLogs, rel);
      if (notLog) {
        ev.not_logs.push({ path: rel, reason: notLog.reason });
        continue;
      }
      const annotation = ruleFor(rules.annotations, rel);
      const r = await evaluateFile(path.join(dir, group.dir, sub), rel, { annotation: annotation?.line, format: opts.format });
      if (annotation && r.annotation_lines > 0) ev.annotations.push({ path: rel, lines: r.annotation_lines, reason: annotation.reason });
      const exception = ruleFor(rules.exceptions, rel);
      if (exception && !exception.waive) {
        ev.exceptions.push({ ...r, group: group.dir, required: false, exception: exception.reason });
        continue;
      }
      const waived = exception?.waive ? [...exception.waive] : undefined;
      const result: FileResult = waived
        ? { ...r, group: group.dir, required: group.required, pass: meetsBar(r, waived), exception: exception!.reason, waived }
        : { ...r, group: group.dir, required: group.required };
      ev.files.push(result);
      if (!result.required) continue;
      ev.summary.judged++;
      if (result.pass) ev.summary.passed++;
      else ev.summary.failed.push(rel);
    }
  }
  return ev;
}

const pct = (x: number): string => (100 * x).toFixed(1);
/** `*` after a figure that is not judged for this file. */
const mark = (r: FileResult, f: Figure): string => (r.waived?.includes(f) ? '*' : ' ');

/** The evaluation as a plain-text table. */
export function renderTable(ev: Evaluation): string {
  const head = ['file', 'layout', 'lines', 'records', 'cont', 'unparsed', 'read%', 'level%', 'time%', 'bar'];
  const row = (r: FileResult, verdict: string): string[] => [
    r.path + (r.annotation_lines ? ` (+${r.annotation_lines} annot.)` : '') + (r.blank_lines ? ` (+${r.blank_lines} blank)` : ''),
    r.layout ?? '-',
    String(r.lines),
    String(r.records),
    String(r.continuation),
    String(r.unparsed),
    pct(r.readable) + mark(r, 'readable'),
    (r.records ? pct(r.level) : '-') + mark(r, 'level'),
    (r.records ? pct(r.time) : '-') + mark(r, 'time'),
    verdict,
  ];
  const table = (rows: string[][]): string[] => {
    const all = [head, ...rows];
    const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    const right = new Set([2, 3, 4, 5, 6, 7, 8]);
    return all.map((r) => r.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
  };
  const out: string[] = [];
  for (const group of GROUPS) {
    const rows = ev.files.filter((r) => r.group === group.dir);
    if (rows.length === 0) continue;
    out.push(`${group.dir}/${group.required ? '' : ' (reported, not held to the bar)'}`);
    out.push(...table(rows.map((r) => row(r, r.pass ? 'pass' : group.required ? 'FAIL' : 'below'))).map((l) => `  ${l}`));
    for (const r of rows.filter((x) => x.error)) out.push(`  ${r.path}: ${r.error}`);
    for (const r of rows.filter((x) => x.waived)) out.push(`  * ${r.path}: ${r.waived!.join(', ')} not judged: ${r.exception}`);
    out.push('');
  }
  if (ev.exceptions.length) {
    out.push('exceptions (read, not held to the bar)');
    out.push(...table(ev.exceptions.map((r) => row(r, r.pass ? 'pass' : 'below'))).map((l) => `  ${l}`));
    for (const r of ev.exceptions) out.push(`  ${r.path}: ${r.exception}`);
    out.push('');
  }
  if (ev.annotations.length) {
    out.push('annotation lines (taken out before reading)');
    for (const a of ev.annotations) out.push(`  ${a.path}: ${a.lines} lines: ${a.reason}`);
    out.push('');
  }
  if (ev.not_logs.length) {
    const byReason = new Map<string, number>();
    for (const s of ev.not_logs) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    out.push(`not logs (${ev.not_logs.length} files, not read)`);
    for (const [reason, n] of byReason) out.push(`  ${String(n).padStart(3)}  ${reason}`);
    out.push('');
  }
  const { judged, passed, failed } = ev.summary;
  out.push('blank lines are taken out before reading and shown as (+n blank); they count neither way');
  out.push(`bar: ≥ ${pct(ev.bar)}% of lines as records or continuation, ≥ ${pct(ev.bar)}% of records with a level and with a time`);
  out.push(`${passed} of ${judged} files held to the bar meet it${failed.length ? `; ${failed.length} do not` : ''}`);
  return out.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const fi = argv.indexOf('--format');
  const format = fi === -1 ? undefined : argv[fi + 1];
  const dir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--format');
  if (!dir) {
    process.stderr.write('usage: eval-formats <data dir> [--json] [--format <layout>]\n');
    return 2;
  }
  if (!GROUPS.some((g) => statSync(path.join(dir, g.dir), { throwIfNoEntry: false })?.isDirectory())) {
    process.stderr.write(`eval-formats: ${dir} holds none of ${GROUPS.map((g) => g.dir + '/').join(', ')}\n`);
    return 2;
  }
  const ev = await evaluateTree(dir, DEFAULT_RULES, { format });
  process.stdout.write(json ? JSON.stringify(ev, null, 2) + '\n' : renderTable(ev));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main(process.argv.slice(2));
