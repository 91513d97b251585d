import { closeSync, openSync, readSync } from 'node:fs';
import { tallyingFilter, windowTally } from '../health/tally.js';
import { parentPort, workerData } from 'node:worker_threads';
import { slowAnalysis, type SlowOptions } from '../analyze/slow.js';
import { statsAnalysis } from '../analyze/stats.js';
import { buildFilter, parseWhere } from '../filter.js';
import { createNormalizer, type NormalizeOptions } from '../normalize/normalize.js';
import { RecordAssembler } from '../read/assemble.js';
import { fileChunks } from '../read/bytes.js';
import { LineEndCounter, LineSplitter } from '../read/lines.js';
import { recordValue } from '../analyze/lib/field.js';
import { errorsLineFilters } from '../normalize/markers.js';
import type { Analysis, FileStats, Level, LogRecord } from '../types.js';
import type { Range } from './split.js';

/**
 * A range's line accounting, and what the parent checks that the range read as one thread
 * would: the layout it assumed the lines before its start chose (`layout`), and the reader's
 * state at its end (`state`), which the next range of the file must have started from. `base`:
 * the lines its record numbers counted from (their numbers less `base` count from its start).
 */
export interface RangeOutcome {
  source: number;
  start: number;
  end: number;
  base: number;
  layout?: string;
  state: { layout?: string; pending: boolean };
  stats: FileStats;
}

/** Analyses whose state a worker can build and send back to be merged. */
export type WorkerAnalysis = { kind: 'stats' } | { kind: 'slow'; options: SlowOptions };

/**
 * What a worker is asked to do: read some ranges and run an analysis over their records, or,
 * with `select`, send back in batches the records `errors` may use (in input order).
 */
export interface WorkerJob {
  ranges: Range[];
  normalize: NormalizeOptions;
  filter: { since?: number; until?: number; level?: Level; where: string[] };
  analysis?: WorkerAnalysis;
  select?: { minLevel: Level };
}

/** Messages a selecting worker sends: a batch of records, or the end with the line accounting. */
export type SelectMessage = { records: LogRecord[] } | { files: RangeOutcome[] } | ProgressMessage;

/** Bytes read and records made since the last report, sent after every chunk for the progress line. */
export interface ProgressMessage {
  progress: { bytes: number; records: number };
}

/** Reports a chunk's progress to the parent. */
function report(bytes: number, stats: FileStats, last: { records: number }): void {
  parentPort!.postMessage({ progress: { bytes, records: stats.records - last.records } } satisfies ProgressMessage);
  last.records = stats.records;
}

/** Records per batch, and batches sent but not yet taken before a selecting worker waits. */
const BATCH = 1000;
const IN_FLIGHT = 48;

function makeAnalysis(a: WorkerAnalysis | undefined): Analysis<unknown, unknown> {
  return (a?.kind === 'slow' ? slowAnalysis(a.options) : statsAnalysis) as Analysis<unknown, unknown>;
}

/** Lines before `start`, so records of a range carry their true line numbers. */
function linesBefore(path: string, start: number): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const n = new LineEndCounter();
  try {
    for (let pos = 0; pos < start; ) {
      const len = readSync(fd, buf, 0, Math.min(buf.length, start - pos), pos);
      if (len <= 0) break;
      n.add(buf, len);
      pos += len;
    }
  } finally {
    closeSync(fd);
  }
  return n.count;
}

/**
 * Reads one range into an assembler, reporting progress after each chunk; `between` may make
 * the reading wait (a consumer behind). Returns the range's line accounting.
 */
async function readRange(r: Range, asm: RecordAssembler, base: number, forced: boolean, between?: () => Promise<void> | undefined): Promise<RangeOutcome> {
  const splitter = new LineSplitter((b, s, e) => asm.line(b, s, e), () => asm.overlong());
  const last = { records: 0 };
  if (r.end > r.start) {
    for await (const chunk of fileChunks(r.path, r.start, r.end)) {
      splitter.push(chunk);
      report(chunk.length, asm.stats, last);
      await between?.();
    }
  }
  splitter.end();
  const state = asm.cutState;
  asm.flush();
  // With --format the layout read is the one forced, whatever the lines before chose.
  return { source: r.source, start: r.start, end: r.end, base, layout: forced ? undefined : r.layout, state, stats: asm.stats };
}

async function run(job: WorkerJob): Promise<void> {
  const normalizer = createNormalizer(job.normalize);
  const filter = buildFilter({ ...job.filter, where: job.filter.where.map(parseWhere) });
  const analysis = makeAnalysis(job.analysis);
  const state = analysis.init();
  const files = [];
  for (const r of job.ranges) {
    const window = windowTally(job.filter.since, job.filter.until);
    const asm = new RecordAssembler(r.name, { normalizer, filter: tallyingFilter(window, filter), onRecord: (rec) => analysis.add(state, rec), seq: { next: 0 }, layout: r.layout, cut: r.start > 0 });
    // slow keeps sources, so its lines need their true numbers; stats keeps none.
    const base = r.start > 0 && job.analysis?.kind === 'slow' ? linesBefore(r.path, r.start) : 0;
    asm.skipLines(base);
    files.push({ ...(await readRange(r, asm, base, job.normalize.format !== undefined)), window });
  }
  parentPort!.postMessage({ state, files });
}

/**
 * Reads the ranges as `errors` does (lines below the level skipped unread) and streams the
 * records back, cut to what errors reads: no text or continuation, and of the original object
 * only the cascade flag (the stack stays: errors reads the error type, message and frame in it). Line numbers count from the worker's first range of each file;
 * the parent adds the lines of earlier workers. The parent acknowledges each batch, and the
 * worker waits while `IN_FLIGHT` batches are unacknowledged, so memory stays bounded when the
 * parent is still busy with an earlier range.
 */
async function select(job: WorkerJob, minLevel: Level): Promise<void> {
  const normalizer = createNormalizer(job.normalize);
  const filter = buildFilter({ ...job.filter, where: job.filter.where.map(parseWhere) });
  const { lineSkip, lineTest } = errorsLineFilters(job.normalize.overrides ?? [], minLevel);
  let inFlight = 0;
  let wake: (() => void) | undefined;
  parentPort!.on('message', () => {
    inFlight--;
    wake?.();
  });
  const caughtUp = async () => {
    while (inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  };
  let batch: LogRecord[] = [];
  const send = () => {
    if (batch.length === 0) return;
    parentPort!.postMessage({ records: batch } satisfies SelectMessage);
    batch = [];
    inFlight++;
  };
  const seq = { next: 0 };
  const files = [];
  /** Lines of this worker's earlier ranges, per file. */
  const linesOf = new Map<number, number>();
  for (const r of job.ranges) {
    const onRecord = (rec: LogRecord) => {
      const flag = recordValue(rec, 'cascade_prevented');
      rec.raw = flag === undefined ? {} : { cascade_prevented: flag };
      rec.keys = undefined;
      rec.text = '';
      rec.continuation = [];
      batch.push(rec);
      if (batch.length >= BATCH) send();
    };
    const window = windowTally(job.filter.since, job.filter.until);
    const asm = new RecordAssembler(r.name, { normalizer, filter: tallyingFilter(window, filter), lineSkip, lineTest, onRecord, seq, layout: r.layout, cut: r.start > 0 });
    const base = linesOf.get(r.source) ?? 0;
    asm.skipLines(base);
    files.push({ ...(await readRange(r, asm, base, job.normalize.format !== undefined, () => (inFlight >= IN_FLIGHT ? caughtUp() : undefined))), window });
    linesOf.set(r.source, (linesOf.get(r.source) ?? 0) + asm.stats.lines);
  }
  send();
  parentPort!.postMessage({ files } satisfies SelectMessage);
}

const job = workerData as WorkerJob;
void (job.select ? select(job, job.select.minLevel) : run(job));
