import type { Command } from 'commander';
import { statsAnalysis } from '../../analyze/stats.js';
import { makeChalk, out } from '../../render/output.js';
import { inertJson } from '../../render/text/sanitize.js';
import { renderStats, statsJson } from '../../render/text/stats.js';
import { addCommonOptions, finish, prepareRun, readAll, type CommonOptions } from '../context.js';

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
    const state = statsAnalysis.init();
    const files = await readAll(run, { onRecord: (r) => statsAnalysis.add(state, r) });
    const res = statsAnalysis.result(state);
    if (run.json) out(inertJson(JSON.stringify(statsJson(files, res), null, 2)) + '\n');
    else out(renderStats(files, res, makeChalk(run.color)));
    finish(run, 0);
  });
}
