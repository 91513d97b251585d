import type { Command } from 'commander';
import { DashboardModel } from '../../analyze/dashboard.js';
import { traceAnalysis } from '../../analyze/trace.js';
import { UsageError } from '../../errors.js';
import { buildFilter } from '../../filter.js';
import { Follower } from '../../read/follow.js';
import { readSources, resolveSources } from '../../read/index.js';
import { readTable } from '../../source/clickhouse/read.js';
import { makeChalk } from '../../render/output.js';
import { safeDeep, terminalSafe } from '../../render/safe.js';
import { renderTrace, SHOWN_RECORDS } from '../../render/text/trace.js';
import { formatCount } from '../../render/text/format.js';
import { addCommonOptions, prepareRun, readAll, resolveTimeBounds, type CommonOptions, type Run } from '../context.js';
import { loadBaseline } from './errors.js';
import { LevelWatch } from '../../health/tally.js';
import type { LogRecord } from '../../types.js';
import { healthStatus, printWarnings, runHealth, type HealthWarning } from '../health.js';

interface DashboardCliOptions extends CommonOptions {
  follow?: boolean;
  baseline?: string;
}

/** Without an interactive terminal the dashboard would corrupt a pipe: say so and stop. */
function requireTerminal(): void {
  if (!process.stdout.isTTY || !process.stdin.isTTY || process.env.CI) {
    throw new UsageError('dashboard needs an interactive terminal; for pipes and CI use `logtool stats`, `logtool errors` or `logtool slow` (with --json)');
  }
}

/**
 * The trace view's lines: the timeline and summary of `trace`, fitted to `width` (the view's
 * inner width), the first and last records of a long trace as `trace` shows them.
 */
async function traceLines(run: Run, inputs: string[], id: string, width: number): Promise<string[]> {
  const analysis = traceAnalysis({ ids: [id] });
  const state = analysis.init();
  if (run.table) {
    await readTable(run.table, { normalizer: run.normalizer, wanted: { filter: { where: [] }, ids: [id] }, onRecord: (r) => analysis.add(state, r) });
  } else {
    const { sources } = await resolveSources(inputs, false);
    await readSources(sources, { normalizer: run.normalizer, onRecord: (r) => analysis.add(state, r), mustContain: [Buffer.from(id)] }, () => undefined);
  }
  const res = analysis.result(state);
  if (!res.entries.length) return [`id ${terminalSafe(id)} not found`];
  return renderTrace(safeDeep(res), makeChalk(run.color), { width, limit: SHOWN_RECORDS }).replace(/\n$/, '').split('\n');
}

/** `logtool dashboard [inputs…]`: the interactive incident dashboard. */
export function registerDashboard(program: Command): void {
  const cmd = program
    .command('dashboard')
    .description('interactive incident dashboard: rates, levels, error patterns, slow operations, circuit breakers, live records')
    .argument('[inputs...]', 'files, directories or globs (or --from a ClickHouse table)')
    .option('--follow', 'keep following the files (as tail does) after replaying them')
    .option('--baseline <file>', 'an earlier `errors --json`: mark new error patterns');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Keys: Tab/arrows move between panes and rows, Enter opens a pattern's samples or a request's
trace, / filters the stream, p pauses it, ? shows the keys, q quits.

Examples:
  logtool dashboard 'logs/**/*.log*'
  logtool dashboard 'logs/*.log' --follow --level info`);
  cmd.action(async (inputs: string[], o: DashboardCliOptions) => {
    requireTerminal();
    const run = await prepareRun(inputs, o, { follow: o.follow, page: false });
    const model = new DashboardModel(o.baseline ? loadBaseline(o.baseline) : undefined);
    // Ink takes a third of a second to load: only the dashboard pays for it.
    const [{ render }, { createElement }, { Dashboard }] = await Promise.all([import('ink'), import('react'), import('../../render/tui/app.js')]);
    let status = 'reading…';
    let warnings: HealthWarning[] = [];
    let warning: string | undefined;
    let follower: Follower | undefined;
    const app = render(
      createElement(Dashboard, { model, color: run.color, status: () => status, warning: () => warning, openTrace: (id: string, width: number) => traceLines(run, inputs, id, width) }),
      { exitOnCtrlC: true },
    );
    if (o.follow) {
      await resolveTimeBounds(run);
      const levelFilter = buildFilter(run.filterSpec);
      const watch = new LevelWatch();
      const filter = (r: LogRecord) => {
        if (watch.see(r)) warning = `⚠ ${watch.unknown} of the first ${watch.seen} records have no recognisable level; name the level field with --field level=<field>, or the layout with --format <layout>`;
        return levelFilter ? levelFilter(r) : true;
      };
      follower = new Follower({ inputs, initial: Infinity, normalizer: run.normalizer, filter, onRecord: (r) => model.add(r), onProblem: () => undefined });
      await follower.start();
      status = `following ${follower.followed} files`;
    } else {
      void readAll(run, { onRecord: (r) => model.add(r) }).then((files) => {
        // Stderr would tear the full-screen view: the warning goes into the status line, and on stderr after quitting.
        const health = runHealth(run, files, false);
        warnings = health.warnings;
        warning = healthStatus(health);
        status = `replayed ${formatCount(files.reduce((a, f) => a + f.records, 0))} records from ${files.length} files`;
        model.dirty = true;
      });
    }
    await app.waitUntilExit();
    follower?.stop();
    printWarnings(warnings);
    process.exit(0);
  });
}
