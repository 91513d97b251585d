/**
 * Grouping through the compiled binary: what users and CI see from `errors --annotate`.
 *
 * Each message becomes one JSON line (`{"level":"error","message":…}`) in a temp file, the
 * binary annotates the file, and every annotation is matched back to its input line. Records
 * the binary did not annotate are counted (and each gets a label of its own, so they count as
 * wrongly grouped): every error record must be annotated exactly once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binary users run, relative to this compiled file (dist/eval → bin). */
export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/logtool.js');

/** Cluster ids the binary gave each message, in input order, and how many it left out. */
export interface CliGrouping {
  labels: string[];
  missing: number;
  /** Annotations that matched no input line (should never happen). */
  unexpected: number;
}

/** Runs `logtool errors --annotate --with-record` over the messages and aligns its output. */
export function groupThroughCli(messages: readonly string[]): CliGrouping {
  const dir = mkdtempSync(join(tmpdir(), 'logtool-eval-'));
  try {
    const file = join(dir, 'messages.jsonl');
    writeFileSync(file, messages.map((m) => JSON.stringify({ level: 'error', message: m })).join('\n') + '\n');
    const out = execFileSync(process.execPath, [BIN, 'errors', '--annotate', '--with-record', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return align(messages, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Annotations come in input order, so a greedy walk pairs each with the next input line of the
 * same message; input lines skipped over were not annotated.
 */
export function align(messages: readonly string[], output: string): CliGrouping {
  const labels: string[] = new Array<string>(messages.length);
  let i = 0;
  let unexpected = 0;
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const a = JSON.parse(line) as { cluster: string; record?: { message?: unknown } };
    const text = a.record?.message;
    let j = i;
    while (j < messages.length && messages[j] !== text) j++;
    if (j === messages.length) {
      unexpected++;
      continue;
    }
    labels[j] = a.cluster;
    i = j + 1;
  }
  let missing = 0;
  for (let k = 0; k < labels.length; k++) {
    if (labels[k] === undefined) {
      missing++;
      labels[k] = `missing ${k}`;
    }
  }
  return { labels, missing, unexpected };
}
