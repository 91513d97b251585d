import type { Command } from 'commander';
import { statsAnalysis } from '../../analyze/stats.js';
import { makeChalk, out } from '../../render/output.js';
import { writeJson } from '../../render/sink.js';
import { safeDeep } from '../../render/safe.js';
import { renderStats, statsJson } from '../../render/text/stats.js';
import { runParallel } from '../../parallel/run.js';
import { addCommonOptions, finish, parallelPlan, prepareRun, readAll, resolveTimeBounds, withProgress, type CommonOptions, type Run } from '../context.js';
import { normalizeOptions } from '../normalizer.js';
import { runHealth } from '../health.js';
import { statsOnServer } from '../../source/clickhouse/pushdown/stats.js';
import { tableStats, windowOnServer } from '../../source/clickhouse/read.js';
import { windowTally } from '../../health/tally.js';

async function onOneThread(run: Run) {
  const state = statsAnalysis.init();
  const files = await readAll(run, { onRecord: (r) => statsAnalysis.add(state, r) });
  return { state, files };
}

/** `--from` logtool's table: the counts are SQL aggregates, when they can be the same answer. */
async function onServer(run: Run) {
  if (!run.table) return undefined;
  await resolveTimeBounds(run);
  const state = await statsOnServer(run.table, run.filterSpec);
  if (!state) return undefined;
  run.window = windowTally(run.filterSpec.since, run.filterSpec.until);
  if (run.window) await windowOnServer(run.table, run.window);
  return { state, files: await tableStats(run.table) };
}

/** Large plain files are split into ranges read by worker threads; the states merge exactly. */
async function inParallel(run: Run, o: CommonOptions) {
  const plan = parallelPlan(run);
  if (!plan) return undefined;
  await resolveTimeBounds(run);
  const { since, until, level } = run.filterSpec;
  // A worker that fails (out of its heap, a file gone) leaves the work to one thread.
  const job = { normalize: normalizeOptions(o, run.config), filter: { since, until, level, where: o.where ?? [] } };
  return withProgress(run, (counter) => runParallel(plan, job, statsAnalysis.merge!, run.sources.map((s) => s.name), undefined, counter, run)).catch(() => undefined);
}

/** `logtool stats [inputs…]`: volume and health of the logs. */
export function registerStats(program: Command): void {
  const cmd = program
    .command('stats')
    .description('lines, records, continuation and unparsed lines per file; counts per level, service, logger, event type; records without ids')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Examples:
  logtool stats 'logs/**/*.log*'
  logtool stats logs/ --json | jq '.levels'`);
  cmd.action(async (inputs: string[], o: CommonOptions) => {
    const run = await prepareRun(inputs, o);
    const { state, files } = (await onServer(run)) ?? (await inParallel(run, o)) ?? (await onOneThread(run));
    const res = statsAnalysis.result(state);
    const health = runHealth(run, files);
    if (run.json) await writeJson({ ...(statsJson(files, res) as object), warnings: health.warnings });
    else out(renderStats(safeDeep(files), safeDeep(res), makeChalk(run.color), run.width));
    finish(run, 0);
  });
}
