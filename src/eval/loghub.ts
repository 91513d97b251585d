/**
 * Grouping accuracy on Loghub-2k datasets, as users and CI see it.
 *
 * Usage: node dist/eval/loghub.js <dir> [--json] [--miner-only]
 * Each sub-folder of <dir> with a `*_structured_corrected.csv` (else `*_structured.csv`) is one
 * dataset. Its `Content` column is written as JSON lines and run through the compiled binary's
 * `errors --annotate` (through-cli.ts); the cluster of each line is compared with the
 * ground-truth `EventId` (else `EventTemplate`). The miner alone, fed the same messages, is
 * measured too: a gap between the two figures is a bug between the miner and the output.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMiner } from '../analyze/lib/miner.js';
import { parseCsv } from './csv.js';
import { groupThroughCli } from './through-cli.js';

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
  /** Grouping accuracy of `errors --annotate` (null with --miner-only). */
  ga: number | null;
  /** Grouping accuracy of the miner fed directly. */
  ga_miner: number;
  /** Records `errors --annotate` did not annotate (each must be: a bug if not 0). */
  missing: number | null;
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

/** Evaluates one dataset through the binary (unless `minerOnly`) and through the miner. */
export function evaluate(dataset: string, file: string, minerOnly = false): DatasetResult {
  const { messages, labels } = loadDataset(file);
  const miner = createMiner();
  const handles = messages.map((m) => miner.add(m).cluster);
  const predicted = handles.map((h) => miner.resolve(h).id);
  const cli = minerOnly ? undefined : groupThroughCli(messages);
  return {
    dataset,
    file,
    messages: messages.length,
    clusters: miner.clusters().length,
    truth_clusters: new Set(labels).size,
    ga: cli ? groupingAccuracy(cli.labels, labels) : null,
    ga_miner: groupingAccuracy(predicted, labels),
    missing: cli ? cli.missing + cli.unexpected : null,
    drain_ga: DRAIN_PUBLISHED[dataset] ?? null,
  };
}

function mean(xs: readonly (number | null)[]): number | null {
  const ns = xs.filter((x): x is number => x !== null);
  return ns.length ? ns.reduce((s, x) => s + x, 0) / ns.length : null;
}

function fmt(n: number | null): string {
  return n === null ? '    -' : n.toFixed(3);
}

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const minerOnly = argv.includes('--miner-only');
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: eval-loghub <dir> [--json] [--miner-only]\n');
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
      results.push(evaluate(name, join(folder, csv), minerOnly));
    } catch (err) {
      process.stderr.write(`skipping ${name}: ${(err as Error).message}\n`);
    }
  }
  if (results.length === 0) process.stderr.write(`no datasets found in ${dir}\n`);
  const meanGa = mean(results.map((r) => r.ga));
  const meanMiner = mean(results.map((r) => r.ga_miner));
  const drainMean = mean(results.map((r) => r.drain_ga));
  if (json) {
    const out = { datasets: results, mean_ga: meanGa, mean_ga_miner: meanMiner, drain_mean_ga: drainMean, drain_source: DRAIN_SOURCE };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const lines = ['dataset      messages  clusters  truth  GA cli  GA miner  missing  Drain'];
  const row = (name: string, r: Partial<DatasetResult>): string =>
    `${name.padEnd(12)} ${String(r.messages ?? '').padStart(8)}  ${String(r.clusters ?? '').padStart(8)}  ${String(r.truth_clusters ?? '').padStart(5)}  ` +
    `${fmt(r.ga ?? null).padStart(6)}  ${fmt(r.ga_miner ?? null).padStart(8)}  ${String(r.missing ?? '').padStart(7)}  ${fmt(r.drain_ga ?? null)}`;
  for (const r of results) lines.push(row(r.dataset, r));
  lines.push(row('mean', { ga: meanGa, ga_miner: meanMiner ?? undefined, drain_ga: drainMean }));
  lines.push('', DRAIN_SOURCE);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
