import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMiner, type MinerOptions } from '../../../src/analyze/lib/miner.js';
import { loadDataset } from '../../../src/eval/loghub.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LOGHUB = process.env.LOGHUB_DIR ?? path.resolve(ROOT, process.env.LOGTOOL_SHARED_DATA ?? '../shared/data', 'loghub');

/** Deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu'];

/**
 * Messages sharing their first word, with tokens drawn from a vocabulary of `vocab` words per
 * position: a small vocabulary makes clusters generalize and tie, a large one keeps them apart.
 * A few carry masked values, field-like tokens (`user=42`, `uid=7`) and empty text.
 */
function stream(seed: number, n: number, vocab: number): string[] {
  const r = rng(seed);
  const pick = (k: number): number => Math.floor(r() * k);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const roll = r();
    if (roll < 0.01) {
      out.push('');
      continue;
    }
    const len = 1 + pick(6);
    const toks = [pick(20) === 0 ? 'Warn' : 'Error'];
    for (let i = 0; i < len; i++) {
      const v = pick(vocab);
      const word = WORDS[v % WORDS.length];
      if (roll < 0.05) toks.push(`${pick(2) ? 'user' : 'uid'}=${pick(100)}`);
      else if (roll < 0.1) toks.push(String(pick(1000)));
      else toks.push(v < WORDS.length ? word : `${word}${Math.floor(v / WORDS.length)}`);
    }
    out.push(toks.join(' '));
  }
  return out;
}

/** Runs the indexed and the scanning miner side by side and asserts they never differ. */
function assertSame(messages: readonly string[], opts: MinerOptions = {}): number {
  const indexed = createMiner(opts);
  const scanning = createMiner({ ...opts, scan: true });
  for (let k = 0; k < messages.length; k++) {
    const a = indexed.add(messages[k]);
    const b = scanning.add(messages[k]);
    if (a.cluster !== b.cluster || a.clusterId !== b.clusterId || a.template !== b.template || a.isNew !== b.isNew) {
      expect({ k, message: messages[k], ...a }).toEqual({ k, message: messages[k], ...b });
    }
  }
  expect(indexed.clusters()).toEqual(scanning.clusters());
  expect(indexed.overflow).toBe(scanning.overflow);
  for (let k = 0; k < messages.length; k += 7) expect(indexed.match(messages[k])).toEqual(scanning.match(messages[k]));
  return indexed.clusters().length;
}

describe('leaf token index', () => {
  for (const seed of [1, 2, 3, 42]) {
    it(`routes high-cardinality messages exactly as the full scan (seed ${seed})`, () => {
      expect(assertSame(stream(seed, 3000, 12_000))).toBeGreaterThan(1000);
    });

    it(`routes messages that generalize and tie exactly as the full scan (seed ${seed})`, () => {
      assertSame(stream(seed, 3000, 36));
      assertSame(stream(seed, 2000, 60), { similarity: 0.3 });
      assertSame(stream(seed, 2000, 60), { similarity: 0.7 });
      assertSame(stream(seed, 2000, 24), { similarity: 1 });
    });
  }

  it('falls back to the full scan when any cluster may qualify', () => {
    assertSame(stream(5, 1000, 200), { similarity: 0 });
    assertSame(stream(6, 1000, 200), { similarity: -1 });
  });

  it('keeps the overflow and the cluster cap identical', () => {
    assertSame(stream(7, 2000, 5000), { maxClusters: 300 });
    assertSame(stream(8, 2000, 60), { maxClusters: 50, maxChildren: 2, depth: 2 });
  });

  it('routes deeper trees exactly as the full scan', () => {
    assertSame(stream(9, 2000, 60), { depth: 3 });
    assertSame(stream(10, 2000, 60), { depth: 0 });
  });
});

const datasets = existsSync(LOGHUB)
  ? readdirSync(LOGHUB)
      .sort()
      .flatMap((name) => {
        const dir = path.join(LOGHUB, name);
        if (!statSync(dir).isDirectory()) return [];
        const files = readdirSync(dir);
        const csv = files.find((f) => f.endsWith('_structured_corrected.csv')) ?? files.find((f) => f.endsWith('_structured.csv'));
        return csv ? [{ name, file: path.join(dir, csv) }] : [];
      })
  : [];

if (datasets.length === 0) console.log(`note: ${LOGHUB} is absent; the Loghub index check is skipped`);

describe.skipIf(datasets.length === 0)('leaf token index on Loghub-2k', () => {
  it('routes every message of every dataset exactly as the full scan', { timeout: 120_000 }, () => {
    for (const { file } of datasets) {
      const { messages } = loadDataset(file);
      assertSame(messages);
      assertSame(messages, { similarity: 0.4, depth: 2 });
    }
  });
});
