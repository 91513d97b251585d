import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, groupingAccuracy } from '../../../src/eval/loghub.js';
import { align } from '../../../src/eval/through-cli.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// The public log corpus sits beside the checkout when present (LOGTOOL_SHARED_DATA or
// LOGHUB_DIR point elsewhere); without it the checks are skipped with a note.
const LOGHUB = process.env.LOGHUB_DIR ?? path.resolve(ROOT, process.env.LOGTOOL_SHARED_DATA ?? '../shared/data', 'loghub');

describe('grouping accuracy', () => {
  it('counts a message correct only when its predicted group is exactly its true group', () => {
    expect(groupingAccuracy(['a', 'a', 'b', 'c'], ['x', 'x', 'y', 'y'])).toBe(0.5);
    expect(groupingAccuracy(['a', 'a', 'a'], ['x', 'x', 'y'])).toBe(0);
  });

  it('pairs annotations with input lines and counts the lines left out', () => {
    const ann = (cluster: string, message: string): string => JSON.stringify({ cluster, record: { level: 'error', message } });
    const out = [ann('c1', 'a'), ann('c2', 'b'), ann('c1', 'a')].join('\n') + '\n';
    expect(align(['a', 'b', 'b', 'a'], out)).toEqual({ labels: ['c1', 'c2', 'missing 2', 'c1'], missing: 1, unexpected: 0 });
  });
});

if (!existsSync(LOGHUB)) console.log(`note: ${LOGHUB} is absent; the Loghub-through-the-CLI check is skipped`);

describe.skipIf(!existsSync(LOGHUB))('Loghub-2k through errors --annotate', () => {
  it('annotates every record, agrees with the miner, and keeps mean grouping accuracy at 0.98 or more', { timeout: 180_000 }, () => {
    const results = [];
    for (const name of readdirSync(LOGHUB).sort()) {
      const dir = path.join(LOGHUB, name);
      const csv = statSync(dir).isDirectory() ? readdirSync(dir).find((f) => f.endsWith('_structured_corrected.csv') || f.endsWith('_structured.csv')) : undefined;
      if (!csv) continue;
      const r = evaluate(name, path.join(dir, csv));
      expect(r.missing, name).toBe(0);
      expect(r.ga, name).toBe(r.ga_miner);
      results.push(r.ga ?? 0);
    }
    expect(results.length).toBeGreaterThan(0);
    expect(results.reduce((s, x) => s + x, 0) / results.length).toBeGreaterThanOrEqual(0.98);
  });
});
