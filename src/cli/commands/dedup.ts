import type { Command } from 'commander';
import { dedupAnalysis, type DedupResult } from '../../analyze/dedup.js';
import { evaluateFailOn, parseFailOn, type MetricSpec } from '../../analyze/lib/fail-on.js';
import { makeChalk, out, warn } from '../../render/output.js';
import { UsageError } from '../../errors.js';
import { nothingAudited, renderDedup } from '../../render/text/dedup.js';
import { writeJson } from '../../render/sink.js';
import { safeDeep } from '../../render/safe.js';
import { addCommonOptions, collect, finish, prepareRun, readAll, type CommonOptions } from '../context.js';
import { runHealth } from '../health.js';

interface DedupCliOptions extends CommonOptions {
  key?: string;
  events?: string;
  failOn?: string[];
}

/** The metrics `dedup --fail-on` understands. */
export const DEDUP_METRICS: Record<string, MetricSpec> = {
  duplicates: { unit: 'number', field: 'duplicate_events' },
  groups: { unit: 'number', field: 'groups' },
  rate: { unit: 'number', field: 'rate' },
  exact: { unit: 'number', field: 'exact' },
  skipped: { unit: 'number', field: 'skipped_records' },
};

/** The values `--fail-on` and `check` read from a dedup result. */
export function dedupValues(res: DedupResult): Record<string, number> {
  return { duplicate_events: res.duplicate_events, groups: res.duplicates.length, rate: res.rate, exact: res.exact_duplicates.records, skipped_records: res.skipped_records };
}

/** `logtool dedup [inputs…]`: events logged more than once. */
export function registerDedup(program: Command): void {
  const cmd = program
    .command('dedup')
    .description('audit events logged more than once (by key) and byte-identical records, also across files')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--key <fields>', 'fields that identify an event, comma-separated', 'correlation_id,operation,event_type')
    .option('--events <which>', "event types audited: 'lifecycle' (*_start/*_end/*_begin/*_complete), 'all', or a comma list", 'lifecycle')
    .option('--fail-on <expr>', "exit 1 when: duplicates>0, groups>0, rate>0.01, exact>0, skipped>0 (repeatable)", collect);
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
duplicate_events counts the extra copies: an event logged 3 times adds 2. Records missing a
key field are skipped (and counted). The same line found in two files is one event written to
two sinks: it is reported with the byte-identical records, not as a duplicate event.

Examples:
  logtool dedup logs/
  logtool dedup logs/ --key request_id,operation,event_type --events all
  logtool dedup logs/ --fail-on 'duplicates>0' --json`);
  cmd.action(async (inputs: string[], o: DedupCliOptions) => {
    const key = (o.key ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const ev = (o.events ?? 'lifecycle').trim();
    const events = ev === 'lifecycle' || ev === 'all' ? ev : ev.split(',').map((s) => s.trim()).filter(Boolean);
    if (key.length === 0) throw new UsageError(`--key '${o.key}': name at least one field, e.g. --key request_id,operation,event_type`);
    if (events.length === 0) throw new UsageError(`--events '${o.events}': expected lifecycle, all, or a comma list of event types`);
    const failOn = (o.failOn ?? []).map((e) => parseFailOn(e, DEDUP_METRICS));
    const run = await prepareRun(inputs, o);
    const analysis = dedupAnalysis({ key, events });
    const state = analysis.init();
    const files = await readAll(run, { onRecord: (r) => analysis.add(state, r) });
    const res = analysis.result(state);
    const health = runHealth(run, files);
    // Nothing audited is no verdict on the input's health (not a warning): --json says why in `hint`.
    const hint = nothingAudited(res);
    if (run.json) await writeJson({ ...res, ...(hint ? { hint } : {}), warnings: health.warnings });
    else out(renderDedup(safeDeep(res), makeChalk(run.color), { width: run.width }));
    const { breaches } = evaluateFailOn(failOn, [{ name: 'all', keys: [], values: dedupValues(res) }], DEDUP_METRICS);
    for (const b of breaches) warn(`fail-on: ${b.expr.metric} ${Number(b.value.toFixed(6))} ${b.expr.op} ${b.expr.limit} (${b.expr.raw})`);
    finish(run, breaches.length ? 1 : 0);
  });
}
