import type { Command } from 'commander';
import { evaluateFailOn, parseFailOn, type MetricSpec } from '../../analyze/lib/fail-on.js';
import { EXACT_FLOOR } from '../../analyze/lib/quantiles.js';
import { MAX_GROUPS, slowAnalysis, sortGroups, unpackSlowState, type SlowFolded, type SlowGroup, type SlowOptions, type Thresholds } from '../../analyze/slow.js';
import { runParallel } from '../../parallel/run.js';
import { normalizeOptions } from '../normalizer.js';
import type { Config } from '../../config.js';
import { UsageError } from '../../errors.js';
import { parseDurationArg } from '../../normalize/duration.js';
import { makeChalk, out, warn } from '../../render/output.js';
import { formatDuration } from '../../render/text/format.js';
import { writeJson } from '../../render/sink.js';
import { groupName, renderSlow, slowJson } from '../../render/text/slow.js';
import { safeDeep } from '../../render/safe.js';
import { addCommonOptions, collect, finish, parallelPlan, prepareRun, readAll, resolveTimeBounds, withProgress, type CommonOptions, type Run } from '../context.js';
import { slowOnServer } from '../../source/clickhouse/pushdown/slow.js';
import { tableStats, windowOnServer } from '../../source/clickhouse/read.js';
import { windowTally } from '../../health/tally.js';
import { runHealth, type HealthWarning } from '../health.js';
import type { FileStats } from '../../types.js';

interface SlowCliOptions extends CommonOptions {
  by?: string;
  threshold?: string;
  sort?: string;
  chart?: boolean;
  failOn?: string[];
  top?: string;
  slowest?: string;
  sketch?: boolean;
  budget?: string;
  maxGroups?: string;
  rawOperations?: boolean;
}

/** The metrics `slow --fail-on` understands, as data. */
export const SLOW_METRICS: Record<string, MetricSpec> = {
  p50: { unit: 'duration', field: 'p50_ms' },
  p90: { unit: 'duration', field: 'p90_ms' },
  p95: { unit: 'duration', field: 'p95_ms' },
  p99: { unit: 'duration', field: 'p99_ms' },
  max: { unit: 'duration', field: 'max_ms' },
  mean: { unit: 'duration', field: 'mean_ms' },
  count: { unit: 'number', field: 'count' },
  violations: { unit: 'number', field: 'violations' },
};

const SORTS = ['p50', 'p90', 'p95', 'p99', 'max', 'mean', 'count', 'violations', 'name'];

function ms(text: string, where: string): number {
  const v = parseDurationArg(text);
  if (v === undefined) throw new UsageError(`${where} '${text}': expected a duration such as 500ms or 2s`);
  return v;
}

/** Reads the per-layer and per-operation latency limits from the config. */
export function configThresholds(config: Config): Thresholds {
  const conv = (m: Record<string, string | number> | undefined, what: string) =>
    m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === 'number' ? v : ms(v, `${config.file} thresholds.${what}.${k}`)]));
  return { layer: conv(config.thresholds?.layer, 'layer'), operation: conv(config.thresholds?.operation, 'operation') };
}

/** `--from` logtool's table: percentiles computed on the server, or undefined to read the records. */
async function onServer(run: Run, options: SlowOptions) {
  if (!run.table) return undefined;
  await resolveTimeBounds(run);
  const result = await slowOnServer(run.table, run.filterSpec, options);
  if (!result) return undefined;
  run.window = windowTally(run.filterSpec.since, run.filterSpec.until);
  if (run.window) await windowOnServer(run.table, run.window);
  return { result, files: await tableStats(run.table) };
}

/** `logtool slow [inputs…]`: latency percentiles per operation. */
export function registerSlow(program: Command): void {
  const cmd = program
    .command('slow')
    .description('latency per operation (or any fields): count, mean, p50/p90/p95/p99, max, violations, slowest records')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--by <fields>', 'group by these fields, comma-separated (normalized names or raw paths)', 'operation')
    .option('--threshold <duration>', 'records slower than this count as violations (e.g. 500ms)')
    .option('--sort <metric>', `order of the table: ${SORTS.join(', ')}`, 'p95')
    .option('--chart', 'draw a latency histogram per group')
    .option('--fail-on <expr>', "exit 1 when a group breaks a limit: p95>2s, 'checkout:p99>500ms', max>10s, mean>1s, count<10, violations>0 (repeatable)", collect)
    .option('--top <n>', 'groups shown in the table', '30')
    .option('--slowest <n>', 'slowest records kept per group', '5')
    .option('--sketch', 'always use the quantile sketch (1% relative error) instead of exact samples')
    .option('--budget <samples>', `samples kept exactly across all groups; past it every group of ${EXACT_FLOOR} samples or more switches to the sketch`, '2000000')
    .option('--max-groups <n>', 'groups kept (the heaviest); the records of the others are counted together as (other)', String(MAX_GROUPS))
    .option('--raw-operations', 'group paths as logged, without route templating (/api/users/123 stays itself instead of /api/users/<id>)');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Percentiles are exact (linear interpolation, as numpy and DuckDB's quantile_cont; a group
under 10,000 samples always is). Once more than --budget samples are seen, every group
of 10,000 or more switches to a DDSketch: its percentiles are within 1% of the exact
value, marked ≈, and --json says so per group ("exact": false, "relative_error": 0.01).
Paths are grouped by route: in \`GET /api/users/123/orders/9f8e7d6c5b4a?x=1\` the id-like
segments (numbers, UUIDs, hex, dates, emails, tokens, mixed ids) become <id>, <uuid>, <hex>,
<date>, <email>, <token>, and the query string is dropped (--raw-operations: as logged); the
slowest records keep their own value. At most --max-groups groups are kept, the heaviest by a
Space-Saving count: the others' records form one group, (other), with a warning. A group kept
only after some of its records went to (other) is marked partial (--json "partial": true,
"missed_at_most": n).
Violations: records flagged performance_violation, over --threshold, or over the config's
thresholds.layer / thresholds.operation.

Examples:
  logtool slow 'logs/**/*.log*'
  logtool slow logs/ --by service,operation --threshold 500ms --chart
  logtool slow logs/ --fail-on 'p95>2s' --fail-on 'checkout:p99>5s'`);
  cmd.action(async (inputs: string[], o: SlowCliOptions) => {
    const by = (o.by ?? 'operation').split(',').map((s) => s.trim()).filter(Boolean);
    if (by.length === 0) throw new UsageError("--by: name at least one field, e.g. --by operation or --by service,operation");
    const sort = (o.sort ?? 'p95').toLowerCase();
    if (!SORTS.includes(sort)) throw new UsageError(`--sort '${o.sort}': expected one of ${SORTS.join(', ')}`);
    const failOn = (o.failOn ?? []).map((e) => parseFailOn(e, SLOW_METRICS));
    const top = positive(o.top, '--top');
    const slowest = positive(o.slowest, '--slowest');
    const budget = positive(o.budget, '--budget');
    const maxGroups = positive(o.maxGroups ?? String(MAX_GROUPS), '--max-groups');
    const threshold = o.threshold !== undefined ? ms(o.threshold, '--threshold') : undefined;
    const run = await prepareRun(inputs, o);
    const options = { by, threshold, thresholds: configThresholds(run.config), slowest, budget, forceSketch: o.sketch, maxGroups, routes: !o.rawOperations };
    const analysis = slowAnalysis(options);
    // A ClickHouse table: the server groups and sorts the durations when that gives the same answer.
    const pushed = await onServer(run, options);
    // Large plain files: worker threads each build a state over consecutive ranges; they merge in order.
    const plan = pushed ? undefined : parallelPlan(run);
    let state;
    let files: FileStats[] = pushed?.files ?? [];
    if (plan) {
      await resolveTimeBounds(run);
      const { since, until, level } = run.filterSpec;
      const job = { normalize: normalizeOptions(o, run.config), filter: { since, until, level, where: o.where ?? [] }, analysis: { kind: 'slow' as const, options } };
      // A worker that fails (out of its heap on a high-cardinality --by) leaves the work to one thread.
      const done = await withProgress(run, (counter) => runParallel(plan, job, analysis.merge!, run.sources.map((s) => s.name), unpackSlowState, counter, run)).catch(() => undefined);
      state = done?.state;
      files = done?.files ?? [];
    }
    if (!state && !pushed) {
      state = analysis.init();
      files = await readAll(run, { onRecord: (r) => analysis.add(state!, r), timedOnly: true });
    }
    const res = pushed?.result ?? analysis.result(state!);
    const groups = sortGroups(res.groups, sort);
    const health = runHealth(run, files);
    const warnings = [...health.warnings];
    if (res.folded) {
      const w = foldedWarning(res.folded);
      warn(w.message);
      warnings.push(w);
    }
    if (run.json) await writeJson({ ...(slowJson(res, groups) as object), warnings });
    else out(renderSlow(safeDeep(res), safeDeep(groups), makeChalk(run.color), { chart: o.chart, limitMs: threshold, top, width: run.width }));
    const { breaches, unmatched } = evaluateFailOn(failOn, groups.map(asFailOnGroup), SLOW_METRICS);
    for (const u of unmatched) warn(`--fail-on '${u.raw}': no group is named '${u.scope}'`);
    for (const b of breaches) {
      const shown = SLOW_METRICS[b.expr.metric].unit === 'duration' ? formatDuration(b.value) : String(b.value);
      const limit = SLOW_METRICS[b.expr.metric].unit === 'duration' ? formatDuration(b.expr.limit) : String(b.expr.limit);
      warn(`fail-on: ${b.group}: ${b.expr.metric} ${shown} ${b.expr.op} ${limit} (${b.expr.raw})`);
    }
    finish(run, breaches.length ? 1 : 0);
  });
}

/** The warning that groups beyond the budget were counted together. */
export function foldedWarning(f: SlowFolded): HealthWarning {
  const n = (x: number) => x.toLocaleString('en-US');
  return {
    code: 'groups_folded',
    file: null,
    figures: { folded_groups: f.groups, folded_records: f.records, max_groups: f.max_groups },
    message: `more than ${n(f.max_groups)} groups: about ${n(f.groups)} distinct groups (${n(f.records)} records) are counted together as ${'(other)'}; raise --max-groups, or group by a coarser field (--by)`,
  };
}

/** A slow group as `--fail-on` and `check` see it. */
export function asFailOnGroup(g: SlowGroup): { name: string; keys: string[]; values: Record<string, number | null> } {
  return { name: groupName(g), keys: Object.values(g.key), values: g as unknown as Record<string, number | null> };
}

function positive(v: string | undefined, flag: string): number {
  const n = /^\s*\d+\s*$/.test(v ?? '') ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} '${v}': expected a positive whole number`);
  return n;
}
