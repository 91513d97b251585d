/**
 * Grouping accuracy of the template miner on Loghub-2k datasets.
 *
 * Usage: node dist/eval/loghub.js <dir> [--json]
 * Each sub-folder of <dir> with a `*_structured_corrected.csv` (else `*_structured.csv`) is one
 * dataset; its `Content` column is fed to the miner with default settings, and the predicted
 * groups are compared with the ground-truth `EventId` (else `EventTemplate`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMiner } from '../analyze/lib/miner.js';
import { parseCsv } from './csv.js';

/** Drain's grouping accuracy on Loghub-2k as published by Zhu et al. (ICSE-SEIP 2019), Table 3. */
export const DRAIN_PUBLISHED: Readonly<Record<string, number>> = {
  HDFS: 0.998,
  Hadoop: 0.948,
  Spark: 0.92,
  Zookeeper: 0.967,
  BGL: 0.963,
  HPC: 0.887,
  Thunderbird: 0.955,
  Windows: 0.997,
  Linux: 0.69,
  Mac: 0.787,
  Android: 0.911,
  HealthApp: 0.78,
  Apache: 1.0,
  OpenSSH: 0.788,
  OpenStack: 0.733,
  Proxifier: 0.527,
};

export const DRAIN_SOURCE =
  'Drain figures: Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019 (Loghub-2k, original ground truth)';

/** One dataset's evaluation. */
export interface DatasetResult {
  dataset: string;
  file: string;
  messages: number;
  clusters: number;
  truth_clusters: number;
  ga: number;
  drain_ga: number | null;
}

/**
 * Grouping accuracy (Zhu et al.): a message is correct iff the set of messages in its
 * predicted group equals the set in its true group.
 */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  const truthGroups = new Map<string, number[]>();
  truth.forEach((t, i) => {
    const g = truthGroups.get(t);
    if (g) g.push(i);
    else truthGroups.set(t, [i]);
  });
  const predSize = new Map<string, number>();
  for (const p of predicted) predSize.set(p, (predSize.get(p) ?? 0) + 1);
  let correct = 0;
  for (const members of truthGroups.values()) {
    const p = predicted[members[0]];
    // Same predicted label for every member and no outsiders in that predicted group.
    if (members.every((i) => predicted[i] === p) && predSize.get(p) === members.length) correct += members.length;
  }
  return truth.length === 0 ? 0 : correct / truth.length;
}

function findCsv(folder: string): string | undefined {
  const files = readdirSync(folder);
  return (
    files.find((f) => f.endsWith('_structured_corrected.csv')) ?? files.find((f) => f.endsWith('_structured.csv'))
  );
}

/** Reads a structured CSV and returns its messages and ground-truth labels. */
export function loadDataset(path: string): { messages: string[]; labels: string[] } {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const header = rows[0] ?? [];
  const content = header.indexOf('Content');
  let label = header.indexOf('EventId');
  if (label < 0) label = header.indexOf('EventTemplate');
  if (content < 0 || label < 0) throw new Error(`${path}: no Content/EventId columns`);
  const messages: string[] = [];
  const labels: string[] = [];
  for (const row of rows.slice(1)) {
    if (row.length <= Math.max(content, label)) continue;
    messages.push(row[content]);
    labels.push(row[label]);
  }
  return { messages, labels };
}

/** Runs the miner over one dataset with default settings. */
export function evaluate(dataset: string, file: string): DatasetResult {
  const { messages, labels } = loadDataset(file);
  const miner = createMiner();
  const handles = messages.map((m) => miner.add(m).cluster);
  const predicted = handles.map((h) => miner.resolve(h).id);
  return {
    dataset,
    file,
    messages: messages.length,
    clusters: miner.clusters().length,
    truth_clusters: new Set(labels).size,
    ga: groupingAccuracy(predicted, labels),
    drain_ga: DRAIN_PUBLISHED[dataset] ?? null,
  };
}

function fmt(n: number | null): string {
  return n === null ? '    -' : n.toFixed(3);
}

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: eval-loghub <dir> [--json]\n');
    return 2;
  }
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    process.stderr.write(`eval-loghub: cannot read ${dir}: ${(err as Error).message}\n`);
    return 2;
  }
  const results: DatasetResult[] = [];
  for (const name of entries) {
    const folder = join(dir, name);
    if (!statSync(folder).isDirectory()) continue;
    const csv = findCsv(folder);
    if (!csv) {
      process.stderr.write(`skipping ${name}: no *_structured_corrected.csv or *_structured.csv\n`);
      continue;
    }
    try {
      results.push(evaluate(name, join(folder, csv)));
    } catch (err) {
      process.stderr.write(`skipping ${name}: ${(err as Error).message}\n`);
    }
  }
  if (results.length === 0) process.stderr.write(`no datasets found in ${dir}\n`);
  const mean = results.length ? results.reduce((s, r) => s + r.ga, 0) / results.length : 0;
  const withDrain = results.filter((r) => r.drain_ga !== null);
  const drainMean = withDrain.length ? withDrain.reduce((s, r) => s + (r.drain_ga ?? 0), 0) / withDrain.length : null;
  if (json) {
    process.stdout.write(JSON.stringify({ datasets: results, mean_ga: mean, drain_mean_ga: drainMean, drain_source: DRAIN_SOURCE }, null, 2) + '\n');
    return 0;
  }
  const lines = ['dataset      messages  clusters  truth     GA  Drain'];
  for (const r of results) {
    lines.push(
      `${r.dataset.padEnd(12)} ${String(r.messages).padStart(8)}  ${String(r.clusters).padStart(8)}  ${String(r.truth_clusters).padStart(5)}  ${fmt(r.ga)}  ${fmt(r.drain_ga)}`,
    );
  }
  lines.push(`${'mean'.padEnd(12)} ${' '.repeat(8)}  ${' '.repeat(8)}  ${' '.repeat(5)}  ${fmt(mean)}  ${fmt(drainMean)}`);
  lines.push('', DRAIN_SOURCE);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
