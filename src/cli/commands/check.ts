import { writeFileSync } from 'node:fs';
import { makeDirs } from '../../write/dirs.js';
import path from 'node:path';
import type { Command } from 'commander';
import { CheckRun } from '../../check/engine.js';
import { loadRules } from '../../check/rules.js';
import { InputError } from '../../errors.js';
import { makeChalk, out } from '../../render/output.js';
import { githubAnnotations, junitXml, renderCheck } from '../../render/text/check.js';
import { writeJson } from '../../render/sink.js';
import { safeDeep } from '../../render/safe.js';
import { addCommonOptions, finish, prepareRun, readAll, type CommonOptions } from '../context.js';
import { loadBaseline } from './errors.js';
import { configThresholds } from './slow.js';
import { runHealth } from '../health.js';

interface CheckCliOptions extends CommonOptions {
  rules?: string;
  junit?: string;
  /** The report (`table`, `github`), or a text layout to read the inputs with. */
  format?: string;
}

/** `logtool check [inputs…] --rules <file>`: the CI gate. */
export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('evaluate a rules file of limits (error rate, p95 per operation, duplicates, new error patterns…) and fail the build when one breaks')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .requiredOption('--rules <file>', 'rules file (JSON, or YAML for .yml/.yaml)')
    .option('--junit <file>', 'also write JUnit XML (one testcase per rule) for CI test reports')
    .option('--format <format>', 'table (default), github (::error annotations for failed rules), or a text layout to read the inputs with (as --format elsewhere)');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Rules file:
  {"rules": [
    {"name": "checkout p95", "metric": "p95_ms", "where": {"operation": "checkout"}, "max": 2000},
    {"name": "error rate", "metric": "error_rate", "max": 0.01},
    {"name": "no new error patterns", "metric": "new_error_clusters", "baseline": "errors-baseline.json", "max": 0}
  ]}
Metrics: records, errors, error_rate, warnings, count, mean_ms, p50_ms, p90_ms, p95_ms, p99_ms,
max_ms, violations, duplicate_events, exact_duplicates, error_clusters, new_error_clusters,
without_id, unparsed_lines, unparsed_rate, unknown_level_rate. A rule on errors, error_rate,
warnings or error patterns fails when no record has a readable level (it cannot judge). "where" takes field: value (or "!=v", ">n", "<n", "~regex").

Exit codes: 0 all rules pass, 1 a rule failed, 2 the rules file is missing or invalid.

Examples:
  logtool check test-output/*.log --rules logtool-rules.json
  logtool check logs/ --rules rules.yaml --junit reports/logtool.xml --format github`);
  cmd.action(async (inputs: string[], o: CheckCliOptions) => {
    const started = Date.now();
    const rulesFile = o.rules!;
    const rules = loadRules(rulesFile);
    const report = o.format === 'github' ? 'github' : 'table';
    // GitHub annotations are read by the CI runner, never through a pager.
    const run = await prepareRun(inputs, { ...o, format: o.format === 'github' || o.format === 'table' ? undefined : o.format }, { page: report !== 'github' });
    const check = new CheckRun(rules, { thresholds: configThresholds(run.config), loadBaseline });
    const files = await readAll(run, { onRecord: (r) => check.add(r) });
    const results = check.results(files);
    const passed = results.every((r) => r.passed);
    const health = runHealth(run, files);
    if (run.json) await writeJson({ passed, rules: results, warnings: health.warnings });
    else if (report === 'github') out(githubAnnotations(safeDeep(results), rulesFile) + renderCheck(safeDeep(results), makeChalk(false), run.width));
    else out(renderCheck(safeDeep(results), makeChalk(run.color), run.width));
    if (o.junit) {
      try {
        makeDirs(path.dirname(o.junit));
        writeFileSync(o.junit, junitXml(results, rulesFile, (Date.now() - started) / 1000));
      } catch (e) {
        throw new InputError(`--junit ${o.junit}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
    finish(run, passed ? 0 : 1);
  });
}
