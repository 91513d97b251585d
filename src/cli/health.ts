import { assess, type Assessment, type Finding } from '../health/assess.js';
import { sumTallies, tallyOf, type WindowTally } from '../health/tally.js';
import { formatTime } from '../normalize/time.js';
import { warn } from '../render/output.js';
import { visible } from '../render/text/sanitize.js';
import type { FileStats } from '../types.js';
import type { Run } from './context.js';

/** A warning as `--json` carries it in `warnings`. */
export interface HealthWarning {
  code: string;
  /** The input it is about; null when it is about the whole run. */
  file: string | null;
  figures: Record<string, number | string | null>;
  message: string;
}

/** The verdict on a run's inputs, in words. */
export interface HealthReport {
  judged: boolean;
  warnings: HealthWarning[];
  assessment: Assessment;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const time = (v: number | string | null) => (typeof v === 'number' ? formatTime(v) : null);

/** The one-line message for a finding: the figures and the way out. */
function message(f: Finding, format: string | undefined): string {
  const n = f.figures as Record<string, number>;
  const file = f.file !== undefined ? `${visible(f.file)}: ` : '';
  const forced = format ? ` with --format ${format}` : '';
  switch (f.code) {
    case 'mostly_unparsed':
      return `${file}${n.unparsed_lines} of ${n.lines} lines (${pct(n.unparsed_rate)}) were not read as records${forced}${f.layouts ? ` (the others read as ${f.layouts})` : ' (no layout matched)'}; name the layout with --format <layout> (README: Inputs lists them) or write JSON Lines`;
    case 'mostly_unknown_levels':
      return `${file}${n.unknown_levels} of ${n.records} records (${pct(n.unknown_level_rate)}) have no recognisable level${f.layouts ? ` (read as ${f.layouts})` : ''}; name the level field with --field level=<field>${f.layout === 'json' ? '' : ', or the layout with --format <layout>'}`;
    case 'too_deep':
      return `${n.records} record(s) nested deeper than ${n.limit} levels were counted as unparsed (the first at ${visible(String(f.figures.first))}); flatten them to read them`;
    case 'guessed_encoding':
      return `${file}no byte-order mark, but the bytes look like ${String(f.figures.encoding).toUpperCase()}: read as such; save it as UTF-8 (or with a BOM) to be sure`;
    case 'no_records':
      return `no records: ${n.inputs} input(s), ${n.lines} lines, nothing to analyse; check the inputs (and --format <layout> if one was forced)`;
    case 'outside_window': {
      const bounds = [f.figures.since !== null ? `--since ${time(f.figures.since)}` : '', f.figures.until !== null ? `--until ${time(f.figures.until)}` : ''].filter(Boolean).join(' ');
      const span = f.figures.first !== null ? ` (they run from ${time(f.figures.first)} to ${time(f.figures.last)}${n.without_time ? `; ${n.without_time} have no time` : ''})` : n.without_time ? ' (none has a time)' : '';
      return `none of ${n.records} records falls inside ${bounds}${span}; widen the window, or count relative times from the last record with --relative-to last`;
    }
  }
}

/** Figures as JSON shows them: times as ISO text. */
function jsonFigures(f: Finding): HealthWarning['figures'] {
  if (f.code !== 'outside_window') return { ...f.figures, ...(f.layouts ? { layouts: f.layouts } : {}) };
  const g = { ...f.figures };
  for (const k of ['since', 'until', 'first', 'last']) g[k] = time(g[k]);
  return g;
}

/**
 * Assesses what a run read and says what makes its answer doubtful on stderr, one line each;
 * the same warnings go into `--json`. `window` is the run's `--since/--until` tally.
 */
export function reportHealth(files: FileStats[], window: WindowTally | undefined, format?: string, print = true): HealthReport {
  const assessment = assess(files.map((f) => ({ source: f.source, tally: tallyOf(f) })), window);
  const warnings = assessment.findings.map((f) => ({ code: f.code, file: f.file ?? null, figures: jsonFigures(f), message: message(f, format) }));
  if (print) printWarnings(warnings);
  return { judged: assessment.judged, warnings, assessment };
}

/** The report of a run with nothing to say (errors were found: no all-clear to doubt). */
export function quietReport(): HealthReport {
  return { judged: true, warnings: [], assessment: { findings: [], judged: true, total: sumTallies([]) } };
}

/** Writes warnings on stderr, one line each. */
export function printWarnings(warnings: HealthWarning[]): void {
  for (const w of warnings) warn(`warning: ${w.message}`);
}

/**
 * reportHealth for a command's run: its window tally and its forced layout. `print: false`
 * (a full-screen view) leaves the printing to the caller.
 */
export function runHealth(run: Run, files: FileStats[], print = true): HealthReport {
  return reportHealth(files, run.window, run.options.format, print);
}

/**
 * Says that a count of errors over the run is no answer (no level could be read), on stderr and
 * as a warning for `--json`.
 */
export function reportNotJudged(report: HealthReport, what: string): HealthWarning {
  const t = report.assessment.total;
  const figures = { records: t.records, unknown_levels: t.unknown_levels };
  const why = t.records === 0 ? 'there are no records' : `none of ${t.records} records has a recognisable level`;
  const w: HealthWarning = {
    code: 'not_judged',
    file: null,
    figures,
    message: `could not judge ${what}: ${why}, so "0 error records" would not be an answer (see the warnings above; README: When logtool cannot judge)`,
  };
  warn(w.message);
  report.warnings.push(w);
  return w;
}

/** The one-line form for a status line (dashboard): the first warning, shortened. */
export function healthStatus(report: HealthReport): string | undefined {
  const first = report.warnings[0];
  if (!first) return undefined;
  const more = report.warnings.length > 1 ? ` (+${report.warnings.length - 1} more)` : '';
  return `⚠ ${first.message}${more}`;
}

/** The warning a follower (tail) gives once when most of its first records have no level. */
export function warnUnknownLevels(seen: number, unknown: number, level: string | undefined): void {
  warn(
    `warning: ${unknown} of the first ${seen} records (${pct(unknown / seen)}) have no recognisable level${level ? `, so --level ${level} hides them` : ''}; name the level field with --field level=<field>, or the layout with --format <layout>`,
  );
}
