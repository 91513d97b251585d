import type { Command } from 'commander';
import { traceAnalysis } from '../../analyze/trace.js';
import { parseDurationArg } from '../../normalize/duration.js';
import { drained, makeChalk, warn } from '../../render/output.js';
import { writeJson, writeJsonLine, writeLines } from '../../render/sink.js';
import { SHOWN_RECORDS, traceJson, traceLines } from '../../render/text/trace.js';
import { safeDeep } from '../../render/safe.js';
import { formatTime } from '../../normalize/time.js';
import { UsageError } from '../../errors.js';
import { addCommonOptions, collect, finish, prepareRun, readAll, type CommonOptions } from '../context.js';
import { quietReport, runHealth } from '../health.js';

interface TraceCliOptions extends CommonOptions {
  ids?: string[];
  ndjson?: boolean;
  all?: boolean;
  slow?: string;
  gap?: string;
}

/** `logtool trace <id> [inputs…]`: one request's story across services and files. */

/** How much of each input is read again, every line, to judge it when no id was found. */
const NOT_FOUND_SAMPLE = 4 << 20;
export function registerTrace(program: Command): void {
  const cmd = program
    .command('trace')
    .description('every record of a request (by correlation/request/trace id, or the id as a token in the line text), across files and services, as a timeline')
    .argument('<id>', 'the id to follow (more with --id)')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--id <id>', 'another id to follow in the same timeline (repeatable)', collect)
    .option('--ndjson', 'stream matching records as JSON lines as they are found (unsorted)')
    .option('--all', `show every record (the timeline of a longer trace shows its first and last ${SHOWN_RECORDS / 2})`)
    .option('--slow <duration>', 'operations at least this slow are listed in the summary', '1s')
    .option('--gap <duration>', 'silences at least this long are listed in the summary', '1s');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Examples:
  logtool trace req-7f3a 'logs/**/*.log*'
  logtool trace req-7f3a --id req-7f3b logs/ --json | jq '.summary'
  kubectl logs deploy/api | logtool trace req-7f3a

An id is also found as a whole token in a record's line or message
(\`TraceID: 9f3c…\`, \`[req=abc]\`); records matched only there are marked
[id in text] (--json: "matched": "text"; summary.text_matches counts them).`);
  cmd.action(async (id: string, inputs: string[], o: TraceCliOptions) => {
    const ids = [id, ...(o.ids ?? [])].filter((v) => v !== '');
    if (ids.length === 0) throw new UsageError('trace: the id must not be empty');
    const slowMs = parseDurationArg(o.slow ?? '1s');
    const gapMs = parseDurationArg(o.gap ?? '1s');
    if (slowMs === undefined) throw new UsageError(`--slow '${o.slow}': expected a duration such as 500ms or 2s`);
    if (gapMs === undefined) throw new UsageError(`--gap '${o.gap}': expected a duration such as 500ms or 2s`);
    const run = await prepareRun(inputs, o, { page: !o.ndjson });
    // --ndjson writes each match as it is found and keeps none: memory stays bounded.
    const analysis = traceAnalysis({ ids, slowMs, gapMs, keepRecords: !o.ndjson });
    const state = analysis.init();
    // The trace's own records, per input: what is said about levels when the id is found.
    const own = new Map<string, { records: number; unknown: number }>();
    let files = await readAll(run, {
      // Only lines holding one of the ids' bytes (hex ids in any case) are decoded and parsed.
      mustContain: ids.map((i) => Buffer.from(i, 'utf8')),
      onRecord: (r) => {
        const before = state.hits;
        analysis.add(state, r);
        if (state.hits > before) {
          const t = own.get(r.file) ?? { records: 0, unknown: 0 };
          t.records++;
          if (r.level === 'unknown') t.unknown++;
          own.set(r.file, t);
        }
        if (o.ndjson && state.hits > before) {
          writeJsonLine({ source: r.source, time: r.time === undefined ? null : formatTime(r.time), level: r.level, service: r.service ?? r.component ?? null, operation: r.operation ?? null, message: r.message ?? null, matched: state.last, record: r.raw });
        }
      },
      // Reading waits while stdout's reader is behind.
      pause: drained,
    });
    const res = analysis.result(state);
    // Found: the answer speaks for the trace's records, so only their levels are judged (the
    // same with or without the byte prefilter). Not found: the head of every input is read once
    // more, every line of it, so that "not found" in unreadable input says why without reading
    // gigabytes twice (the same sample with or without the prefilter).
    let health;
    if (state.hits > 0) {
      run.window = undefined;
      health = runHealth(run, [...own].map(([source, t]) => ({ source, lines: t.records, records: t.records, continuation_lines: 0, unparsed_lines: 0, skipped_lines: 0, bytes: 0, format: 'lines' as const, unknown_levels: t.unknown, expanded_records: 0, layouts: {} })));
    } else if (!run.sources.some((s) => s.stdin)) {
      files = await readAll(run, { onRecord: () => undefined, headBytes: NOT_FOUND_SAMPLE });
      health = runHealth(run, files);
    } else {
      // stdin cannot be read twice (it is streamed, not kept): "not found" stands alone.
      health = quietReport();
    }
    if (!o.ndjson) {
      if (run.json) await writeJson({ ...(traceJson(res) as object), warnings: health.warnings });
      else if (res.entries.length) await writeLines(traceLines(safeDeep(res), makeChalk(run.color), { limit: o.all ? Infinity : SHOWN_RECORDS, width: run.width }));
    }
    const searched = run.table ? run.table.name : `${run.sources.length} input(s)`;
    for (const m of res.missing) warn(`id '${m}' not found in ${searched}`);
    finish(run, res.missing.length ? 1 : 0);
  });
}
