import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { whyAnalysis, type BaselineCounts, type TimeRange } from '../../analyze/why.js';
import { describeJsonError } from '../../config.js';
import { UsageError } from '../../errors.js';
import { formatTime } from '../../normalize/time.js';
import { parseLevelOption } from '../../filter.js';
import { makeChalk, out } from '../../render/output.js';
import { safeDeep } from '../../render/safe.js';
import { writeJson } from '../../render/sink.js';
import { renderWhy, whyJson } from '../../render/text/why.js';
import { printWarnings, runHealth } from '../health.js';
import { LEVEL_RANK, type Level } from '../../types.js';
import { addCommonOptions, checkTimeOption, collect, finish, prepareRun, readAll, type CommonOptions } from '../context.js';

interface WhyCliOptions extends CommonOptions {
  window?: string;
  baseline?: string;
  baselineFile?: string;
  failOn?: string[];
}

/** `--window`/`--baseline`: `<from>..<to>` (absolute times; `<from>..` runs to the end of the logs). */
function parseRange(name: string, text: string, parse: (v: unknown) => number | undefined): TimeRange {
  const m = /^(.+?)\.\.(.*)$/.exec(text.trim());
  if (!m) throw new UsageError(`--${name} '${text}': expected <from>..<to>, e.g. 2024-01-15T10:00:00Z..2024-01-15T10:30:00Z (the end may be left out)`);
  const one = (v: string) => {
    checkTimeOption(name, v);
    const t = parse(v.trim());
    if (t === undefined) throw new UsageError(`--${name} '${text}': '${v}' is not a time; expected an ISO time such as 2024-01-15T10:00:00Z`);
    return t;
  };
  const start = one(m[1]);
  const end = m[2].trim() === '' ? undefined : one(m[2]);
  if (end !== undefined && end <= start) throw new UsageError(`--${name} '${text}': the end is not after the start`);
  return { start, end };
}

/** Reads an earlier `errors --json` or `why --json` output: its patterns, counts and span. */
export function loadBaselineCounts(file: string): BaselineCounts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(`--baseline-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); record one with: logtool why <inputs> --json > ${file}`);
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--baseline-file ${file}: invalid JSON: ${describeJsonError(text, e as Error)}`);
  }
  const list = Array.isArray(data?.patterns) ? data.patterns : Array.isArray(data?.clusters) ? data.clusters : undefined;
  if (!list) throw new UsageError(`--baseline-file ${file}: not a 'why --json' or 'errors --json' output (no "patterns" or "clusters" list)`);
  const entries = (list as Record<string, unknown>[])
    .filter((c) => typeof c?.id === 'string' && typeof c?.template === 'string' && typeof c?.count === 'number')
    .map((c) => ({ id: c.id as string, template: c.template as string, count: c.count as number }));
  const times: number[] = [];
  const span = data.span as { start?: unknown; end?: unknown } | undefined;
  for (const v of [span?.start, span?.end, ...(list as Record<string, unknown>[]).flatMap((c) => [c?.first_seen, c?.last_seen])]) {
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isFinite(t)) times.push(t);
  }
  // `errors --json` gives its patterns' times and per-bucket counts, not the span it read: the
  // span its buckets cover is the closest (at least a minute), so its rates are upper bounds.
  const buckets = data.buckets as { width_ms?: unknown } | undefined;
  const perBucket = (list as Record<string, unknown>[]).reduce((n, c) => Math.max(n, Array.isArray(c?.per_minute) ? c.per_minute.length : 0), 0);
  const bucketSpan = typeof buckets?.width_ms === 'number' ? perBucket * buckets.width_ms : 0;
  const spanMs = Math.max(60_000, bucketSpan, times.length ? Math.max(...times) - Math.min(...times) : 0);
  // Which levels the file's patterns cover: `min_level` when it says, else `errors`' default.
  const level = typeof data.min_level === 'string' && data.min_level in LEVEL_RANK ? (data.min_level as Level) : Array.isArray(data.patterns) ? 'warn' : 'error';
  return { entries, spanMs, source: file, minLevel: level };
}

/** `logtool why [inputs…]`: the incident window, what changed in it, and the candidate trigger. */
export function registerWhy(program: Command): void {
  const cmd = program
    .command('why')
    .description('when the incident started, what changed (new and surging patterns, slower operations, over-represented fields) and the earliest change: the candidate trigger')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--window <from..to>', 'the incident window, instead of finding it (ISO times; the end may be left out)')
    .option('--baseline <from..to>', 'the period to compare with (default: everything before the window; the end may be left out: up to the window, or to the end of the logs when it starts after it; any overlap with the window is cut off)')
    .option('--baseline-file <file>', 'an earlier `why --json` or `errors --json` output to compare pattern rates with')
    .option('--fail-on <what>', "exit 1 when: 'incident' (exit 2 when the logs cannot tell)", collect);
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Records at level warn and above are mined into patterns (--level error: errors only). Durations
of every record are compared per operation. Patterns are linked only when they follow each other
inside the same requests; changes that merely happen at the same time are listed, never linked.

Examples:
  logtool why 'logs/**/*.log*'
  logtool why logs/ --json | jq '.trigger'
  logtool why logs/ --window 2024-01-15T10:10:00Z..2024-01-15T10:30:00Z
  logtool why load-test.log --fail-on incident`);
  cmd.action(async (inputs: string[], o: WhyCliOptions) => {
    const minLevel = o.level !== undefined ? parseLevelOption(o.level) : 'warn';
    for (const f of o.failOn ?? []) if (f.trim() !== 'incident') throw new UsageError(`--fail-on '${f}': expected 'incident'`);
    const baselineCounts = o.baselineFile ? loadBaselineCounts(o.baselineFile) : undefined;
    if (baselineCounts && o.baseline) throw new UsageError('--baseline and --baseline-file: give one of them');
    // The level picks what is mined; every record is read (durations matter at any level).
    const run = await prepareRun(inputs, { ...o, level: undefined });
    const parse = (v: unknown) => run.normalizer.time(v);
    const window = o.window !== undefined ? parseRange('window', o.window, parse) : undefined;
    const baseline = o.baseline !== undefined ? parseRange('baseline', o.baseline, parse) : undefined;
    const analysis = whyAnalysis({ minLevel, window, baseline, baselineCounts });
    const state = analysis.init();
    const files = await readAll(run, { onRecord: (r) => analysis.add(state, r) });
    let res = analysis.result(state);
    const health = runHealth(run, files, false);
    if (res.untimed > 0) {
      health.warnings.push({ code: 'untimed', file: null, figures: { records: res.records, untimed: res.untimed }, message: `${res.untimed} of ${res.records} records have no time and were left out of the timeline` });
    }
    const far = res.time_outliers;
    if (far) {
      const range = `${formatTime(far.bulk_start)}..${formatTime(far.bulk_end)}`;
      health.warnings.push({ code: 'time_outliers', file: null, figures: { records: far.records, cell_ms: res.resolution_ms }, message: `about ${far.records} record(s) lie far outside the others (${range}) and stretch the timeline to ${Math.round(res.resolution_ms / 1000)}s cells; read the rest alone with --since ${formatTime(far.bulk_start)} --until ${formatTime(far.bulk_end)}` });
    }
    printWarnings(health.warnings);
    // A steady rate of zero errors is no answer when no level could be read.
    if (!health.judged && res.verdict !== 'incident') res = { ...res, verdict: 'insufficient_data', reason: `insufficient data: ${res.records ? 'no record level could be read' : 'no records could be read'}, so a steady error rate would not be an answer (see the warnings above)` };
    if (run.json) await writeJson({ ...(whyJson(res) as object), min_level: minLevel, warnings: health.warnings });
    else out(renderWhy(safeDeep(res), makeChalk(run.color), inputs, { width: run.width, level: minLevel }));
    // An incident found is an answer; otherwise inputs that could not be judged make none (exit 2).
    const gate = (o.failOn ?? []).length > 0;
    const code = res.verdict === 'incident' ? (gate ? 1 : 0) : !health.judged || (gate && res.verdict === 'insufficient_data') ? 2 : 0;
    finish(run, code);
  });
}
