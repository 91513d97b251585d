import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { errorsAnalysis, type Baseline } from '../../analyze/errors.js';
import { parseMaskRule, type MaskRule } from '../../analyze/lib/mask.js';
import { UsageError } from '../../errors.js';
import { describeJsonError } from '../../config.js';
import { parseLevelOption } from '../../filter.js';
import { makeChalk, out } from '../../render/output.js';
import { errorsJson, renderErrors } from '../../render/text/errors.js';
import { writeJson, writeJsonLine } from '../../render/sink.js';
import { safeDeep } from '../../render/safe.js';
import { LEVEL_RANK, type Level, type LogRecord } from '../../types.js';
import { runSelect } from '../../parallel/run.js';
import { addCommonOptions, collect, finish, parallelPlan, prepareRun, readAll, resolveTimeBounds, withProgress, type CommonOptions, type Run } from '../context.js';
import { errorsLineFilters } from '../../normalize/markers.js';
import { normalizeOptions } from '../normalizer.js';
import { errorsFailOn } from './errors-fail-on.js';
import { HandleList } from './handles.js';
import { spoolStreams } from '../spool.js';
import { quietReport, reportNotJudged, runHealth } from '../health.js';
import type { FileStats } from '../../types.js';

interface ErrorsCliOptions extends CommonOptions {
  baseline?: string;
  failOn?: string[];
  annotate?: boolean;
  withRecord?: boolean;
  mask?: string[];
  top?: string;
}

/** Reads an earlier `errors --json` output. */
export function loadBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(`--baseline ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); record one with: logtool errors <inputs> --json > ${file}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--baseline ${file}: invalid JSON: ${describeJsonError(text, e as Error)}`);
  }
  const clusters = (data as { clusters?: unknown }).clusters;
  if (!Array.isArray(clusters)) throw new UsageError(`--baseline ${file}: not an 'errors --json' output (no "clusters" list)`);
  return {
    entries: clusters
      .filter((c): c is { id: string; template: string } => typeof c?.id === 'string' && typeof c?.template === 'string')
      .map((c) => ({ id: c.id, template: c.template })),
  };
}

/** `logtool errors [inputs…]`: error records mined into patterns. */
export function registerErrors(program: Command): void {
  const cmd = program
    .command('errors')
    .description('group error records into patterns (templates with <*> for variable parts), patterns linked when they follow each other in the same requests, circuit-breaker events')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--baseline <file>', 'an earlier `errors --json` output: mark patterns that are new, list those gone')
    .option('--fail-on <expr>', "exit 1 when: 'new' (patterns not in the baseline), 'count>100', 'total>500', 'clusters>10', '<id>:count>5' (repeatable)", collect)
    .option('--annotate', 'stream one JSON line per error record: {"source","cluster","template"}')
    .option('--with-record', 'with --annotate: include the original record')
    .option('--mask <name=regex>', 'extra variable pattern to mask before mining (repeatable)', collect)
    .option('--top <n>', 'patterns shown in the human view', '20');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Records at level error and above are clustered (--level warn includes warnings).

Examples:
  logtool errors 'logs/**/*.log*'
  logtool errors logs/ --json > errors-baseline.json
  logtool errors logs/ --baseline errors-baseline.json --fail-on new
  logtool errors logs/ --annotate | jq -r .cluster | sort | uniq -c

When it started and what triggered it: logtool why <inputs>.`);
  cmd.action(async (inputs: string[], o: ErrorsCliOptions) => {
    const minLevel = o.level !== undefined ? parseLevelOption(o.level) : 'error';
    const masks: MaskRule[] = cliMasks(o);
    const baseline = o.baseline ? loadBaseline(o.baseline) : undefined;
    const top = /^\s*\d+\s*$/.test(o.top ?? '') ? Number(o.top) : NaN;
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top '${o.top}': expected a positive whole number`);
    const failOn = errorsFailOn(o.failOn ?? [], Boolean(baseline));
    // Circuit-breaker events and cascade flags matter at any level, so the level filter is applied inside the analysis.
    const run = await prepareRun(inputs, { ...o, level: undefined }, { page: !o.annotate });
    for (const m of run.config.masks ?? []) masks.push(configMask(m));
    const analysis = errorsAnalysis({ minLevel, miner: { masks }, baseline });
    // Large plain files: worker threads skip and parse, this thread mines in input order.
    const split = o.annotate ? undefined : await inParallel(run, o, analysis, minLevel);
    let state = split?.state;
    let files: FileStats[] = split?.files ?? [];
    const parallel = state !== undefined;
    state ??= analysis.init();
    // stdin is kept like a file, as it may be read twice: annotations name the patterns the
    // result reports, and an input with no error found is read once more in full to judge it.
    const dropSpool = parallel ? () => undefined : await spoolStreams(run.sources);
    try {
      const annotate = (r: LogRecord, k: { id: string; template: string }) =>
        writeJsonLine({ source: r.source, cluster: k.id, template: k.template, ...(o.withRecord ? { record: r.raw } : {}) });
      // Each clustered record's miner handle, so the second pass names exactly the clusters counted.
      const handles = o.annotate ? new HandleList() : undefined;
      const onRecord = (r: LogRecord) => {
        const before = state!.total;
        analysis.add(state!, r);
        if (state!.total === before) return;
        handles?.push(state!.last, r.file);
      };
      // Only lines that may hold an error, a breaker event or a cascade flag are parsed: records
      // below the level are recognised from their bytes, and the rest must show a level marker.
      const { lineSkip, lineTest } = errorsLineFilters(normalizeOptions(o, run.config).overrides ?? [], minLevel);
      if (!parallel) files = await readAll(run, { onRecord, lineTest, lineSkip, errorsAt: minLevel });
      const res = analysis.result(state);
      // Errors found are no all-clear. None found: the input is judged on every line (read once
      // more when lines were skipped unread), so the verdict is the same with or without prefilters.
      if (res.total === 0 && files.some((f) => f.skipped_lines > 0)) files = await readAll(run, { onRecord: () => undefined });
      const health = res.total > 0 ? quietReport() : runHealth(run, files);
      const judged = res.total > 0 || health.judged;
      if (!judged) reportNotJudged(health, 'the errors');
      if (handles) {
        // A second pass: cluster ids are final only once every message has been seen. The same
        // records arrive in the same order; those `add` clusters (level at or above the minimum)
        // take their handles in turn, input by input.
        await readAll(run, {
          lineTest,
          lineSkip,
          errorsAt: minLevel,
          onRecord: (r) => {
            if (LEVEL_RANK[r.level] < LEVEL_RANK[minLevel]) return;
            const h = handles.take(r.file);
            if (h) annotate(r, state!.miner.resolve(h));
          },
        });
      } else if (!o.annotate) {
        if (run.json) await writeJson({ ...(errorsJson(res) as object), min_level: minLevel, judged, warnings: health.warnings });
        else if (judged) out(renderErrors(safeDeep(res), makeChalk(run.color), { top, width: run.width, level: minLevel }));
      }
      // No level could be read: the answer is neither yes nor no (README: When logtool cannot judge).
      finish(run, !judged ? 2 : failOn(res) ? 1 : 0);
    } finally {
      dropSpool();
    }
  });
}

type ErrorsAnalysis = ReturnType<typeof errorsAnalysis>;

/** The analysis state from worker threads, or undefined to read on this thread (small inputs, stdin, gzip, a worker failed). */
async function inParallel(run: Run, o: ErrorsCliOptions, analysis: ErrorsAnalysis, minLevel: Level) {
  const plan = parallelPlan(run);
  if (!plan) return undefined;
  await resolveTimeBounds(run);
  const { since, until } = run.filterSpec;
  const state = analysis.init();
  const job = { normalize: normalizeOptions(o, run.config), filter: { since, until, where: o.where ?? [] }, select: { minLevel } };
  // A worker that fails leaves the work to one thread, from the start.
  const files = await withProgress(run, (counter) => runSelect(plan, job, (r) => analysis.add(state, r), run.sources.map((s) => s.name), counter, run)).then(
    (f) => f,
    () => undefined,
  );
  return files ? { state, files } : undefined;
}

function cliMasks(o: ErrorsCliOptions): MaskRule[] {
  return (o.mask ?? []).map((m) => {
    try {
      return parseMaskRule(m);
    } catch (e) {
      throw new UsageError(`--mask '${m}': ${(e as Error).message}`);
    }
  });
}

function configMask(m: { name: string; pattern: string; flags?: string }): MaskRule {
  try {
    return parseMaskRule(`${m.name}=${m.pattern}`);
  } catch (e) {
    throw new UsageError(`config masks: '${m.name}': ${(e as Error).message}`);
  }
}
