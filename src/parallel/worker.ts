import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { statsAnalysis } from '../analyze/stats.js';
import { buildFilter, parseWhere } from '../filter.js';
import { createNormalizer, type NormalizeOptions } from '../normalize/normalize.js';
import { RecordAssembler } from '../read/assemble.js';
import { LineSplitter } from '../read/lines.js';
import type { Level } from '../types.js';
import type { Range } from './split.js';

/** What a worker is asked to do: read some ranges and run an analysis over their records. */
export interface WorkerJob {
  ranges: Range[];
  normalize: NormalizeOptions;
  filter: { since?: number; until?: number; level?: Level; where: string[] };
}

/** Analyses that can run in workers: their state survives structured cloning and merges. */
const ANALYSES = { stats: statsAnalysis };

async function run(job: WorkerJob): Promise<void> {
  const normalizer = createNormalizer(job.normalize);
  const filter = buildFilter({ ...job.filter, where: job.filter.where.map(parseWhere) });
  const analysis = ANALYSES.stats;
  const state = analysis.init();
  const files = [];
  for (const r of job.ranges) {
    const asm = new RecordAssembler(r.name, { normalizer, filter, onRecord: (rec) => analysis.add(state, rec), seq: { next: 0 } });
    const splitter = new LineSplitter((b, s, e) => asm.line(b, s, e), () => asm.overlong());
    if (r.end > r.start) {
      for await (const chunk of createReadStream(r.path, { start: r.start, end: r.end - 1, highWaterMark: 1 << 20 })) splitter.push(chunk as Buffer);
    }
    splitter.end();
    asm.flush();
    files.push({ source: r.source, stats: asm.stats });
  }
  parentPort!.postMessage({ state, files });
}

void run(workerData as WorkerJob);
