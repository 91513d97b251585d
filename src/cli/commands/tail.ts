import type { Command } from 'commander';
import { shorten } from '../../render/text/layout.js';
import { checkAlerts, compileAlerts, initAlertState, type Alert } from '../../analyze/alerts.js';
import { UsageError } from '../../errors.js';
import { buildFilter } from '../../filter.js';
import { formatTime } from '../../normalize/time.js';
import { Follower } from '../../read/follow.js';
import { readSources } from '../../read/index.js';
import { makeChalk, warn } from '../../render/output.js';
import { recordLine } from '../../render/text/record-line.js';
import { inertJson, visible } from '../../render/text/sanitize.js';
import { safeDeep } from '../../render/safe.js';
import type { LogRecord } from '../../types.js';
import { addCommonOptions, collect, prepareRun, resolveTimeBounds, type CommonOptions } from '../context.js';
import { runHealth, warnUnknownLevels } from '../health.js';
import { LevelWatch, tallyingFilter, windowTally } from '../../health/tally.js';

interface TailCliOptions extends CommonOptions {
  lines?: string;
  alertErrors?: string;
  alertSlow?: string;
  alert?: string[];
  alertBell?: boolean;
}

/** Batches output per tick: at tens of thousands of lines a second, one write per line costs more than the work. */
function batchedWriter(): { write: (s: string) => void; flush: (done?: () => void) => void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (done?: () => void) => {
    scheduled = false;
    const text = pending.join('');
    pending = [];
    if (text) process.stdout.write(text, () => done?.());
    else done?.();
  };
  return {
    write(s) {
      pending.push(s);
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => flush());
      }
    },
    flush,
  };
}

/** `logtool tail [inputs…]`: follow live files. */
export function registerTail(program: Command): void {
  const cmd = program
    .command('tail')
    .description('follow files like tail -F (rotation, truncation, new files), pretty-printed and filtered, with alerts')
    .argument('[inputs...]', 'files, directories or globs (quote globs so new files are picked up); stdin when none')
    .option('-n, --lines <n>', 'records shown from the end of each file at start (0: only new ones)', '10')
    .option('--alert-errors <rate>', 'alert when errors exceed a rate, e.g. 10/1m (fires once, re-arms when the rate falls back)')
    .option('--alert-slow <duration>', 'alert on any record slower than this, e.g. 5s')
    .option('--alert <cond>', 'alert on records matching field=value (as --where; repeatable)', collect)
    .option('--alert-bell', 'ring the terminal bell on alerts');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
Alert rules may also come from the config file: {"alerts": {"errors": "10/1m", "slow": "5s", "match": ["error_type=payment_failed"]}}.
Ctrl-C prints a one-line summary on stderr and exits 0.

Examples:
  logtool tail 'logs/*.log' --level warn
  logtool tail 'logs/**/*.log' -n 0 --alert-errors 10/1m --alert-slow 5s
  logtool tail logs/app.log --json --alert 'error_type=payment_failed'`);
  cmd.action(async (inputs: string[], o: TailCliOptions) => {
    const initial = /^\s*\d+\s*$/.test(o.lines ?? '') ? Number(o.lines) : NaN;
    if (!Number.isInteger(initial) || initial < 0) throw new UsageError(`-n '${o.lines}': expected a whole number (0 for only new records)`);
    const run = await prepareRun(inputs, o, { follow: true });
    await resolveTimeBounds(run);
    const cfg = run.config.alerts ?? {};
    const rules = compileAlerts({ errors: o.alertErrors ?? cfg.errors, slow: o.alertSlow ?? cfg.slow, match: [...(o.alert ?? []), ...(cfg.match ?? [])] });
    const alertState = initAlertState();
    const c = makeChalk(run.color);
    const bell = Boolean(o.alertBell && process.stdout.isTTY);
    const w = batchedWriter();
    // On a terminal (or with --width) each record is one line that fits; piped, lines stay whole for grep.
    const width = process.stdout.isTTY || o.width !== undefined ? run.width : undefined;
    let shown = 0;
    let alerts = 0;
    const show = (r: LogRecord) => {
      shown++;
      if (run.json) w.write(inertJson(JSON.stringify({ source: r.source, time: r.time === undefined ? null : formatTime(r.time), level: r.level, record: r.raw })) + '\n');
      else w.write(recordLine(safeDeep(r), c, { width }) + '\n');
      for (const a of checkAlerts(rules, alertState, r, Date.now())) {
        alerts++;
        w.write(renderAlert(a, run.json, c, bell, width));
      }
    };
    const levelFilter = buildFilter(run.filterSpec);
    // A level filter (or an error alert) over records without levels would show nothing: the
    // first records say once whether most have no level.
    const watch = run.filterSpec.level !== undefined || (o.alertErrors ?? cfg.errors) ? new LevelWatch() : undefined;
    const filter = watch
      ? (r: LogRecord) => {
          if (watch.see(r)) warnUnknownLevels(watch.seen, watch.unknown, run.options.level);
          return levelFilter ? levelFilter(r) : true;
        }
      : levelFilter;
    const onRecord = (r: LogRecord) => show(r);
    if (inputs.length === 0) {
      // stdin ends: the whole input is assessed as the other commands do.
      run.window = windowTally(run.filterSpec.since, run.filterSpec.until);
      const files = await readSources([{ name: '-', stdin: true }], { normalizer: run.normalizer, onRecord, filter: tallyingFilter(run.window, levelFilter) }, (p) => warn(`${p.source}: ${p.message}`));
      w.flush(() => runHealth(run, files));
      return;
    }
    const follower = new Follower({ inputs, initial, normalizer: run.normalizer, filter, onRecord, onProblem: (m) => warn(m) });
    await follower.start();
    const stop = () => {
      follower.stop();
      w.flush(() => {
        process.stderr.write(`logtool tail: ${shown} records shown, ${alerts} alerts, ${follower.followed} files followed\n`);
        process.exit(0);
      });
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
}

function renderAlert(a: Alert, json: boolean, c: ReturnType<typeof makeChalk>, bell: boolean, width?: number): string {
  if (json) return inertJson(JSON.stringify({ alert: { rule: a.rule, message: a.message, source: a.source, time: formatTime(a.time) } })) + '\n';
  const line = `${c.bgRed.white.bold(` ALERT ${a.rule} `)} ${c.red.bold(visible(a.message))} ${c.dim(visible(a.source))}`;
  return `${bell ? '\u0007' : ''}${width === undefined ? line : shorten(line, width)}\n`;
}
