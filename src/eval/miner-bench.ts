/**
 * Throughput and memory of the template miner on synthetic messages.
 *
 * Usage: node --expose-gc dist/eval/miner-bench.js [count=1000000] [templates=500]
 * Messages come from a seeded generator (numbers, ids, IPs, paths, word values) so runs are
 * comparable; the count of distinct templates is a knob to test the cluster cap.
 */
import { fileURLToPath } from 'node:url';
import { createMiner } from '../analyze/lib/miner.js';

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['users', 'orders', 'payments', 'invoices', 'sessions', 'carts', 'stock', 'refunds', 'audit', 'jobs'];
const VERBS = ['timeout', 'refused', 'reset', 'failed', 'rejected', 'expired', 'throttled', 'denied'];
const NOUNS = ['Bank', 'Cache', 'Queue', 'Ledger', 'Search', 'Mailer', 'Auth', 'Billing', 'Gateway', 'Store'];

/** Builds message generators for `n` distinct templates. */
export function generators(n: number, rnd: () => number): Array<() => string> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: Array<() => string> = [];
  for (let i = 0; i < n; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const verb = VERBS[Math.floor(i / NOUNS.length) % VERBS.length];
    const tag = `step${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}`;
    switch (i % 5) {
      case 0:
        out.push(() => `${noun} API ${verb} after ${Math.floor(rnd() * 5000)}ms for charge ch_${Math.floor(rnd() * 1e6).toString(16)} in ${tag}`);
        break;
      case 1:
        out.push(() => `${tag} ${noun} table ${pick(WORDS)} not found while ${verb} request ${Math.floor(rnd() * 1e9)}`);
        break;
      case 2:
        out.push(() => `${noun} connection ${verb} to 10.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.7:${Math.floor(rnd() * 65535)} ${tag}`);
        break;
      case 3:
        out.push(() => `${tag} could not open /var/lib/${pick(WORDS)}/${Math.floor(rnd() * 1e5)}.db: ${noun} ${verb}`);
        break;
      default:
        out.push(() => `${noun} ${tag} user ${pick(WORDS)}${Math.floor(rnd() * 100)} ${verb} with status ${400 + Math.floor(rnd() * 100)} in ${(rnd() * 10).toFixed(2)}s`);
    }
  }
  return out;
}

function main(argv: string[]): void {
  const count = Number(argv[0] ?? 1_000_000);
  const templates = Number(argv[1] ?? 500);
  const rnd = prng(42);
  const gens = generators(templates, rnd);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const miner = createMiner();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    miner.add(gens[Math.floor(rnd() * gens.length)]());
    if ((i & 0xffff) === 0) {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }
  }
  const clusters = miner.clusters();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  process.stdout.write(
    [
      `messages      ${count}`,
      `templates     ${templates} generated, ${clusters.length} clusters found, ${miner.overflow} overflowed`,
      `time          ${seconds.toFixed(2)} s`,
      `throughput    ${Math.round(count / seconds)} messages/s (generation included)`,
      `peak heap     ${mb(peakHeap)} MB (${mb(peakHeap - before.heapUsed)} MB above start)`,
      `peak rss      ${mb(peakRss)} MB`,
    ].join('\n') + '\n',
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
