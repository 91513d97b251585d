import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { slowAnalysis, type SlowOptions } from '../analyze/slow.js';
import { statsAnalysis } from '../analyze/stats.js';
import { buildFilter, parseWhere } from '../filter.js';
import { createNormalizer, type NormalizeOptions } from '../normalize/normalize.js';
import { RecordAssembler } from '../read/assemble.js';
import { fileChunks } from '../read/bytes.js';
import { LineSplitter } from '../read/lines.js';
import type { Analysis, Level } from '../types.js';
import type { Range } from './split.js';

/** Analyses whose state a worker can build and send back to be merged. */
export type WorkerAnalysis = { kind: 'stats' } | { kind: 'slow'; options: SlowOptions };

/** What a worker is asked to do: read some ranges and run an analysis over their records. */
export interface WorkerJob {
  ranges: Range[];
  normalize: NormalizeOptions;
  filter: { since?: number; until?: number; level?: Level; where: string[] };
  analysis?: WorkerAnalysis;
}

function makeAnalysis(a: WorkerAnalysis | undefined): Analysis<unknown, unknown> {
  return (a?.kind === 'slow' ? slowAnalysis(a.options) : statsAnalysis) as Analysis<unknown, unknown>;
}

/** Lines before `start`, so records of a range carry their true line numbers. */
function linesBefore(path: string, start: number): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let n = 0;
  try {
    for (let pos = 0; pos < start; ) {
      const len = readSync(fd, buf, 0, Math.min(buf.length, start - pos), pos);
      if (len <= 0) break;
      for (let i = buf.indexOf(10); i !== -1 && i < len; i = buf.indexOf(10, i + 1)) n++;
      pos += len;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

async function run(job: WorkerJob): Promise<void> {
  const normalizer = createNormalizer(job.normalize);
  const filter = buildFilter({ ...job.filter, where: job.filter.where.map(parseWhere) });
  const analysis = makeAnalysis(job.analysis);
  const state = analysis.init();
  const files = [];
  for (const r of job.ranges) {
    const asm = new RecordAssembler(r.name, { normalizer, filter, onRecord: (rec) => analysis.add(state, rec), seq: { next: 0 } });
    // slow keeps sources, so its lines need their true numbers; stats keeps none.
    if (r.start > 0 && job.analysis?.kind === 'slow') asm.skipLines(linesBefore(r.path, r.start));
    const splitter = new LineSplitter((b, s, e) => asm.line(b, s, e), () => asm.overlong());
    if (r.end > r.start) {
      for await (const chunk of fileChunks(r.path, r.start, r.end)) splitter.push(chunk);
    }
    splitter.end();
    asm.flush();
    files.push({ source: r.source, start: r.start, stats: asm.stats });
  }
  parentPort!.postMessage({ state, files });
}

void run(workerData as WorkerJob);
