import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileStats, LogRecord } from '../types.js';
import { mergeWindows, type WindowTally } from '../health/tally.js';
import { fastPathsEnabled } from '../fast-paths.js';
import { splitFile, type Range } from './split.js';
import type { ProgressMessage, RangeOutcome, SelectMessage, WorkerJob } from './worker.js';

/** Where progress from the workers adds up (bytes read, records made). */
export interface Progress {
  bytes: number;
  records: number;
}

/** Adds a worker's progress report to `progress`; false when the message is something else. */
function tookProgress(m: unknown, progress: Progress | undefined): m is ProgressMessage {
  if (typeof m !== 'object' || m === null || !('progress' in m)) return false;
  if (progress) {
    progress.bytes += (m as ProgressMessage).progress.bytes;
    progress.records += (m as ProgressMessage).progress.records;
  }
  return true;
}

/** Inputs smaller than this are read on the main thread: starting workers costs more. */
function minBytes(): number {
  const env = process.env.LOGTOOL_PARALLEL_MIN_BYTES;
  return env !== undefined && env !== '' ? Number(env) : 128 * 1024 * 1024;
}

/** Worker threads to use: `LOGTOOL_THREADS`, else the cores available (at most 4). */
export function threadCount(): number {
  const env = process.env.LOGTOOL_THREADS;
  if (env !== undefined && env !== '') return Math.max(1, Number(env) || 1);
  return Math.min(4, availableParallelism());
}

/**
 * Splits plain files into ranges for `threads` workers, or returns undefined when the inputs
 * are better read on one thread (small, stdin, gzip, JSON arrays, or fast paths turned off).
 */
export function planRanges(files: { name: string; path?: string; size: number }[], threads: number, format?: string): Range[][] | undefined {
  const total = files.reduce((a, f) => a + f.size, 0);
  if (!fastPathsEnabled()) return undefined;
  if (threads < 2 || total < minBytes() || files.some((f) => !f.path)) return undefined;
  const ranges: Range[] = [];
  for (let i = 0; i < files.length; i++) {
    const parts = Math.max(1, Math.round((files[i].size / total) * threads));
    const r = splitFile(i, files[i].name, files[i].path!, parts, format);
    if (!r) return undefined;
    ranges.push(...r);
  }
  // Consecutive ranges per worker, about the same bytes each: merging the workers' states in
  // order then sees records in input order, so ties break exactly as on one thread.
  const buckets: Range[][] = [[]];
  let load = 0;
  for (const r of ranges) {
    if (load >= total / threads && buckets.length < threads) {
      buckets.push([]);
      load = 0;
    }
    buckets[buckets.length - 1].push(r);
    load += r.end - r.start;
  }
  return buckets.filter((b) => b.length > 0);
}

interface RangeResult extends RangeOutcome {
  /** How the range's records fell against --since/--until. */
  window?: WindowTally;
}

/** Where a run's merged --since/--until tally is put (a command's Run). */
export interface WindowOut {
  window?: WindowTally;
}

const windowOf = (ranges: RangeResult[]) => ranges.reduce<WindowTally | undefined>((w, r) => mergeWindows(w, r.window), undefined);

function startWorker(job: WorkerJob): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 96 } });
}

function spawn<S>(plan: Range[][], job: Omit<WorkerJob, 'ranges'>, progress?: Progress): Promise<{ state: S; files: RangeResult[] }[]> {
  return Promise.all(
    plan.map(
      (ranges) =>
        new Promise<{ state: S; files: RangeResult[] }>((resolve, reject) => {
          // A modest heap per worker keeps the process's peak memory near one thread's. A worker
          // that outgrows it (a very high-cardinality --by) fails, and the caller does the work
          // on one thread instead.
          const w = startWorker({ ...job, ranges });
          w.on('message', (m: ProgressMessage | { state: S; files: RangeResult[] }) => {
            if (!tookProgress(m, progress)) resolve(m as { state: S; files: RangeResult[] });
          });
          w.once('error', reject);
        }),
    ),
  );
}

/** A range read from a cut that may not have read as one thread would. */
export class CutMismatch extends Error {
  constructor(source: number, start: number) {
    super(`the range of input ${source} from byte ${start} started from another reader state than the lines before it left`);
  }
}

/**
 * Checks that every range read from a cut started from the reader state the range before it
 * (in the file) ended in: a range of a text file tries the file's layout first, which is right
 * only when the lines before the cut chose it too (a file that mixes layouts may not), and no
 * pretty-printed object or split line may be pending at a cut. Throws `CutMismatch` otherwise
 * (the caller then reads on one thread).
 */
function checkCuts(ranges: RangeResult[]): void {
  const sorted = [...ranges].sort((a, b) => a.source - b.source || a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const r = sorted[i];
    if (r.source !== prev.source || r.start === 0) continue;
    if (prev.end !== r.start || prev.state.pending || (r.layout !== undefined && prev.state.layout !== r.layout)) throw new CutMismatch(r.source, r.start);
  }
}

/** Line accounting per file, in input order, summed over its ranges (checked with `checkCuts`). */
function accounting(names: string[], unordered: RangeResult[]): FileStats[] {
  checkCuts(unordered);
  const ranges = [...unordered].sort((a, b) => a.source - b.source || a.start - b.start);
  /** Lines of each file in the ranges before the one at hand. */
  const before = names.map(() => 0);
  const files: FileStats[] = names.map((source) => ({ source, lines: 0, records: 0, continuation_lines: 0, unparsed_lines: 0, skipped_lines: 0, bytes: 0, format: 'lines', unknown_levels: 0, expanded_records: 0, layouts: {} }));
  for (const f of ranges) {
    const t = files[f.source];
    t.lines += f.stats.lines;
    t.records += f.stats.records;
    t.continuation_lines += f.stats.continuation_lines;
    t.unparsed_lines += f.stats.unparsed_lines;
    t.skipped_lines += f.stats.skipped_lines;
    t.bytes += f.stats.bytes;
    t.unknown_levels += f.stats.unknown_levels;
    t.expanded_records += f.stats.expanded_records;
    for (const [k, n] of Object.entries(f.stats.layouts)) t.layouts[k] = (t.layouts[k] ?? 0) + n;
    if (f.stats.too_deep) {
      t.too_deep = (t.too_deep ?? 0) + f.stats.too_deep;
      // The range numbered its lines from `base`: the file's line number counts the lines before the range.
      const at = f.stats.too_deep_at;
      const colon = at === undefined ? -1 : at.lastIndexOf(':');
      t.too_deep_at ??= at === undefined || colon === -1 ? at : `${at.slice(0, colon)}:${Number(at.slice(colon + 1)) - f.base + before[f.source]}`;
    }
    before[f.source] += f.stats.lines;
  }
  return files;
}

/**
 * Runs the workers and merges their states (restored with `unpack`) in input order, so ties
 * break as on one thread; merges the line accounting too.
 */
export async function runParallel<S>(
  plan: Range[][],
  job: Omit<WorkerJob, 'ranges'>,
  merge: (a: S, b: S) => S,
  names: string[],
  unpack: (s: S) => S = (s) => s,
  progress?: Progress,
  out?: WindowOut,
): Promise<{ state: S; files: FileStats[] }> {
  const results = await spawn<S>(plan, job, progress);
  const first = (r: { files: RangeResult[] }) => r.files.reduce((m, f) => Math.min(m, f.source * 1e15 + f.start), Infinity);
  const ordered = [...results].sort((a, b) => first(a) - first(b));
  const state = ordered.map((r) => unpack(r.state)).reduce((a, b) => merge(a, b));
  if (out) out.window = windowOf(results.flatMap((r) => r.files));
  return { state, files: accounting(names, results.flatMap((r) => r.files)) };
}

/**
 * Runs selecting workers (see `WorkerJob.select`) and hands their records to `onRecord` in input
 * order: worker after worker, each one's batches as they come, renumbered (`seq`) as one thread
 * numbers them. Batches of a later worker wait (a bounded number) until the earlier ones are
 * done. Rejects when a worker fails; records already handed over are then the caller's to drop.
 */
export function runSelect(plan: Range[][], job: Omit<WorkerJob, 'ranges'>, onRecord: (r: LogRecord) => void, names: string[], progress?: Progress, out?: WindowOut): Promise<FileStats[]> {
  return new Promise((resolve, reject) => {
    const workers = plan.map((ranges) => startWorker({ ...job, ranges }));
    const queued: LogRecord[][][] = workers.map(() => []);
    const done: (RangeResult[] | undefined)[] = workers.map(() => undefined);
    let current = 0;
    let seqOffset = 0;
    /** Lines of each file in the ranges of the workers already done. */
    const linesBefore = new Map<string, number>();
    let failed = false;
    const take = (k: number, records: LogRecord[]) => {
      for (const r of records) {
        r.seq += seqOffset;
        const lines = linesBefore.get(r.file);
        if (lines) {
          r.line += lines;
          r.source = `${r.file}:${r.line}`;
        }
        onRecord(r);
      }
      workers[k].postMessage(1);
    };
    const advance = () => {
      while (current < workers.length && done[current]) {
        seqOffset += done[current]!.reduce((a, f) => a + f.stats.records, 0);
        for (const f of done[current]!) linesBefore.set(f.stats.source, (linesBefore.get(f.stats.source) ?? 0) + f.stats.lines);
        current++;
        if (current < workers.length) for (const b of queued[current].splice(0)) take(current, b);
      }
      if (current === workers.length) {
        if (out) out.window = windowOf(done.flatMap((d) => d!));
        resolve(accounting(names, done.flatMap((d) => d!)));
      }
    };
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    workers.forEach((w, k) => {
      w.on('message', (m: SelectMessage) => {
        if (failed) return;
        try {
          if (tookProgress(m, progress)) return;
          if ('records' in m) {
            if (k === current) take(k, m.records);
            else queued[k].push(m.records);
          } else {
            done[k] = m.files;
            // Its work is over (an open message port would keep it alive).
            void w.terminate();
            if (k === current) advance();
          }
        } catch (e) {
          fail(e);
        }
      });
      w.once('error', fail);
      w.once('exit', (code) => {
        if (!done[k]) fail(new Error(`worker stopped (exit code ${code})`));
      });
    });
  });
}
