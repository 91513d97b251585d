import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { statsAnalysis } from '../analyze/stats.js';
import { buildFilter, parseWhere } from '../filter.js';
import { createNormalizer, type NormalizeOptions } from '../normalize/normalize.js';
import { RecordAssembler } from '../read/assemble.js';
import { LineSplitter } from '../read/lines.js';
import { isBreakerEvent } from '../analyze/errors.js';
import { rawValue } from '../analyze/lib/field.js';
import { LEVEL_RANK, type Level, type LogRecord } from '../types.js';
import type { Range } from './split.js';

/** What a worker is asked to do: read some ranges and run an analysis over their records,
 * or send back the records an analysis wants (`collect`), in order, for the main thread. */
export interface WorkerJob {
  ranges: Range[];
  normalize: NormalizeOptions;
  filter: { since?: number; until?: number; level?: Level; where: string[] };
  collect?: { kind: 'errors'; minLevel: Level };
}

/** Record selections a worker can make: few records pass, so sending them back is cheap. */
const SELECTIONS = {
  errors: (minLevel: Level) => (r: LogRecord) => LEVEL_RANK[r.level] >= LEVEL_RANK[minLevel] || isBreakerEvent(r) || rawValue(r.raw, 'cascade_prevented') === true,
};

/** Analyses that can run in workers: their state survives structured cloning and merges. */
const ANALYSES = { stats: statsAnalysis };

async function run(job: WorkerJob): Promise<void> {
  const normalizer = createNormalizer(job.normalize);
  const filter = buildFilter({ ...job.filter, where: job.filter.where.map(parseWhere) });
  const analysis = ANALYSES.stats;
  const state = analysis.init();
  const select = job.collect ? SELECTIONS[job.collect.kind](job.collect.minLevel) : undefined;
  const files = [];
  for (const r of job.ranges) {
    const records: LogRecord[] = [];
    const onRecord = select ? (rec: LogRecord) => void (select(rec) && records.push(rec)) : (rec: LogRecord) => analysis.add(state, rec);
    const asm = new RecordAssembler(r.name, { normalizer, filter, onRecord, seq: { next: 0 } });
    const splitter = new LineSplitter((b, s, e) => asm.line(b, s, e), () => asm.overlong());
    if (r.end > r.start) {
      for await (const chunk of createReadStream(r.path, { start: r.start, end: r.end - 1, highWaterMark: 1 << 20 })) splitter.push(chunk as Buffer);
    }
    splitter.end();
    asm.flush();
    files.push({ source: r.source, start: r.start, stats: asm.stats, records });
  }
  parentPort!.postMessage({ state: select ? undefined : state, files });
}

void run(workerData as WorkerJob);
