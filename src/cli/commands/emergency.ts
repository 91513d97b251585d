import { rmSync, statSync, accessSync, constants } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { categories, emergencyAdd, emergencyInit, emergencyResult, emergencySummary } from '../../analyze/emergency.js';
import { MAX_DEPTH, newRedactCounter, redact, redactText, TOO_DEEP } from '../../analyze/lib/redact.js';
import { InputError, UsageError } from '../../errors.js';
import { parseDurationArg } from '../../normalize/duration.js';
import { formatTime } from '../../normalize/time.js';
import { makeChalk, out, warn } from '../../render/output.js';
import { renderEmergency } from '../../render/text/emergency.js';
import { visible } from '../../render/text/sanitize.js';
import { safeDeep } from '../../render/safe.js';
import { writeJson } from '../../render/sink.js';
import { BundleWriter, removeStaleWork } from '../../write/bundle.js';
import { addCommonOptions, finish, prepareRun, readAll, type CommonOptions } from '../context.js';
import { printWarnings, reportNotJudged, runHealth, type HealthWarning } from '../health.js';

interface EmergencyCliOptions extends CommonOptions {
  out?: string;
  threshold?: string;
  include?: string;
  redact?: boolean;
}

const PREFIX = 'emergency-aggregate-';

/**
 * `emergency-aggregate-20240115-103045.123.json.gz`, in UTC, with milliseconds; a run that finds
 * the name taken when it finishes adds `-2`, `-3`… (see BundleWriter): a bundle is never overwritten.
 */
export function bundleName(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${PREFIX}${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}.${p(now.getUTCMilliseconds(), 3)}.json.gz`;
}

function checkOutDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InputError(`--out ${dir}: no such directory (create it, or choose another --out)`);
  }
  if (!st.isDirectory()) throw new InputError(`--out ${dir}: not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InputError(`--out ${dir}: not writable (choose another --out)`);
  }
}

function writeFailure(e: unknown, dir: string): Error {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT') return new InputError(`${dir}: no space left on device while writing the bundle; nothing was kept (free some space or choose another --out)`);
  if (err.code === 'EFBIG') return new InputError(`${dir}: file size limit exceeded while writing the bundle; nothing was kept (raise ulimit -f or choose another --out)`);
  if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS') return new InputError(`${dir}: cannot write the bundle (${err.code}); nothing was kept`);
  return err;
}

/** `logtool emergency [inputs…]`: everything that matters, in one bundle, now. */
export function registerEmergency(program: Command): void {
  const cmd = program
    .command('emergency')
    .description('one streaming pass writing every error, performance violation and circuit-breaker event into a gzip bundle, with a summary')
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--out <dir>', 'folder for emergency-aggregate-<YYYYmmdd-HHMMSS.mmm>.json.gz', '.')
    .option('--threshold <duration>', 'records slower than this are performance violations too (besides performance_violation: true)')
    .addOption(new Option('--include <level>', 'also collect this level with the errors').choices(['warn']))
    .option('--no-redact', 'keep secrets (passwords, tokens, cookies, card numbers) instead of redacting them');
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
The bundle appears only when complete (written under a temporary name, fsynced, renamed); on
a full disk, an unwritable folder or Ctrl-C nothing is left behind and the exit code is 2. Work
files a killed run left in the folder are removed by the next run; a bundle is never overwritten.

Examples:
  logtool emergency 'logs/**/*.log*' --since 24h --out /tmp
  logtool emergency logs/ --include warn --threshold 5s --json`);
  cmd.action(async (inputs: string[], o: EmergencyCliOptions) => {
    const dir = o.out ?? '.';
    const threshold = o.threshold !== undefined ? parseDurationArg(o.threshold) : undefined;
    if (o.threshold !== undefined && threshold === undefined) throw new UsageError(`--threshold '${o.threshold}': expected a duration such as 5s`);
    const run = await prepareRun(inputs, o);
    checkOutDir(dir);
    removeStaleWork(dir, PREFIX);
    const now = new Date();
    const bundlePath = path.join(dir, bundleName(now));
    const writer = new BundleWriter(bundlePath, now.toISOString());
    const onSignal = (sig: string) => {
      for (const f of writer.cleanupSync()) rmSync(f, { force: true });
      warn(`interrupted by ${sig}: no bundle was written`);
      process.exit(2);
    };
    const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
    process.on('SIGINT', handlers.SIGINT).on('SIGTERM', handlers.SIGTERM);
    // With a file size limit, writes then fail with EFBIG instead of the signal killing us mid-write.
    const ignore = () => undefined;
    process.on('SIGXFSZ', ignore);
    const state = emergencyInit();
    const counter = newRedactCounter();
    const secrets = o.redact !== false;
    const opts = { minLevel: o.include === 'warn' ? ('warn' as const) : ('error' as const), threshold };
    let failedRecords = 0;
    let firstFailure = '';
    try {
      const files = await readAll(run, {
        onRecord: (r) => {
          try {
            emergencyAdd(state, r);
            const cats = categories(r, opts);
            if (cats.length === 0) return;
            // Always walked: besides redacting, the walk caps the depth so JSON.stringify cannot overflow.
            const record = redact(r.raw, counter, { secrets });
            // Lines that continued the record (a traceback under a text line) are kept with it:
            // read back from the bundle, the record is the one read from its file.
            const continuation = r.continuation.length === 0 ? undefined : secrets ? r.continuation.map((l) => redactText(l, counter)) : r.continuation;
            const json = JSON.stringify(continuation ? { source: r.source, record, continuation } : { source: r.source, record });
            for (const c of cats) writer.add(c, json);
          } catch (e) {
            // One hostile record (too deep, too odd) must not end the read of everything after it.
            if (!(e instanceof RangeError)) throw e;
            if (failedRecords++ === 0) firstFailure = `${visible(r.source)}: ${e.message}`;
          }
        },
        pause: () => writer.drained(),
      });
      const health = runHealth(run, files);
      // Without any level, "no errors" in the bundle is no answer: it says so, and the exit code is 2.
      const judged = health.judged;
      if (!judged) reportNotJudged(health, 'which records are errors');
      const extra: HealthWarning[] = [];
      const deep = counter.kinds.too_deep ?? 0;
      if (deep > 0) extra.push({ code: 'too_deep', file: null, figures: { values: deep, max_depth: MAX_DEPTH }, message: `${deep} value(s) nested deeper than ${MAX_DEPTH} levels were replaced by "${TOO_DEEP}" in the bundle` });
      if (failedRecords > 0) extra.push({ code: 'unprocessed_records', file: null, figures: { records: failedRecords }, message: `${failedRecords} record(s) could not be processed and are not in the bundle (first: ${firstFailure})` });
      printWarnings(extra);
      const summary = emergencySummary({
        files,
        result: emergencyResult(state),
        counts: writer.counts(),
        redacted: counter.values,
        redactions: counter.kinds,
        window: { since: run.filterSpec.since, until: run.filterSpec.until },
        formatTime,
        // Templates and names come from the raw messages: the same detectors run on them (not counted).
        clean: secrets ? (s) => redactText(s, newRedactCounter()) : undefined,
      });
      const tail = { ...summary, judged, warnings: [...health.warnings, ...extra] };
      await writer.finish(tail);
      if (run.json) await writeJson({ bundle: writer.finalPath, ...tail });
      else out(renderEmergency(safeDeep(writer.finalPath), safeDeep(tail), makeChalk(run.color), { width: run.width, includeWarn: o.include === 'warn' }));
      finish(run, judged ? 0 : 2);
    } catch (e) {
      await writer.cleanup();
      throw writeFailure(e, dir);
    } finally {
      process.off('SIGINT', handlers.SIGINT).off('SIGTERM', handlers.SIGTERM).off('SIGXFSZ', ignore);
    }
  });
}
