import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileStats } from '../types.js';
import { splitFile, type Range } from './split.js';
import type { WorkerJob } from './worker.js';

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
 * are better read on one thread (small, stdin, gzip, JSON arrays).
 */
export function planRanges(files: { name: string; path?: string; size: number }[], threads: number): Range[][] | undefined {
  const total = files.reduce((a, f) => a + f.size, 0);
  if (threads < 2 || total < minBytes() || files.some((f) => !f.path)) return undefined;
  const ranges: Range[] = [];
  for (let i = 0; i < files.length; i++) {
    const parts = Math.max(1, Math.round((files[i].size / total) * threads));
    const r = splitFile(i, files[i].name, files[i].path!, parts);
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

interface RangeResult {
  source: number;
  start: number;
  stats: FileStats;
}

function spawn<S>(plan: Range[][], job: Omit<WorkerJob, 'ranges'>): Promise<{ state: S; files: RangeResult[] }[]> {
  return Promise.all(
    plan.map(
      (ranges) =>
        new Promise<{ state: S; files: RangeResult[] }>((resolve, reject) => {
          // A modest heap per worker keeps the process's peak memory near one thread's. A worker
          // that outgrows it (a very high-cardinality --by) fails, and the caller does the work
          // on one thread instead.
          const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { ...job, ranges }, resourceLimits: { maxOldGenerationSizeMb: 96 } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
}

/** Line accounting per file, in input order, summed over its ranges. */
function accounting(names: string[], ranges: RangeResult[]): FileStats[] {
  const files: FileStats[] = names.map((source) => ({ source, lines: 0, records: 0, continuation_lines: 0, unparsed_lines: 0, skipped_lines: 0, bytes: 0, format: 'lines' }));
  for (const f of ranges) {
    const t = files[f.source];
    t.lines += f.stats.lines;
    t.records += f.stats.records;
    t.continuation_lines += f.stats.continuation_lines;
    t.unparsed_lines += f.stats.unparsed_lines;
    t.bytes += f.stats.bytes;
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
): Promise<{ state: S; files: FileStats[] }> {
  const results = await spawn<S>(plan, job);
  const first = (r: { files: RangeResult[] }) => r.files.reduce((m, f) => Math.min(m, f.source * 1e15 + f.start), Infinity);
  const ordered = [...results].sort((a, b) => first(a) - first(b));
  const state = ordered.map((r) => unpack(r.state)).reduce((a, b) => merge(a, b));
  return { state, files: accounting(names, results.flatMap((r) => r.files)) };
}
