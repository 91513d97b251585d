import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { showProgress } from '../../src/render/progress.js';
import { ROOT } from './cli.js';

/** A stand-in for stderr that records what is written, as a terminal or not. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream & { writes: string[] };
}

describe('progress', () => {
  afterEach(() => vi.useRealTimers());

  it('shows bytes of the total, records and the rate on a terminal, and clears the line when done', () => {
    vi.useFakeTimers();
    const s = stream(true);
    const counter = { bytes: 0, records: 0 };
    const done = showProgress(counter, 200e6, s);
    counter.bytes = 50e6;
    counter.records = 123_456;
    vi.advanceTimersByTime(2000);
    expect(s.writes.at(-1)).toMatch(/50 of 200 MB \(25%\), 123,456 records, \d+ MB\/s/);
    done();
    expect(s.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('stays silent when stderr is not a terminal, or the input is small', () => {
    vi.useFakeTimers();
    for (const [tty, total] of [[false, 500e6], [true, 1e6]] as const) {
      const s = stream(tty);
      const done = showProgress({ bytes: 0, records: 0 }, total, s);
      vi.advanceTimersByTime(5000);
      done();
      expect(s.writes).toEqual([]);
    }
  });

  it('adds up what worker threads read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-progress-'));
    const files = [0, 1].map((f) => {
      const p = path.join(dir, `p${f}.log`);
      writeFileSync(p, Array.from({ length: 20000 }, (_, i) => JSON.stringify({ level: i % 4 ? 'info' : 'error', message: `m ${i % 9}`, request_id: `r${i}` })).join('\n') + '\n');
      return p;
    });
    const total = files.reduce((a, f) => a + statSync(f).size, 0);
    process.env.LOGTOOL_PARALLEL_MIN_BYTES = '0';
    try {
      // Workers run the built code.
      const { planRanges, runParallel, runSelect } = await import(path.join(ROOT, 'dist/parallel/run.js'));
      const { statsAnalysis } = await import(path.join(ROOT, 'dist/analyze/stats.js'));
      const plan = planRanges(files.map((p) => ({ name: p, path: p, size: statSync(p).size })), 3);
      expect(plan.length).toBeGreaterThan(1);
      const filter = { where: [] };
      const stats = { bytes: 0, records: 0 };
      await runParallel(plan, { normalize: {}, filter }, statsAnalysis.merge, files, undefined, stats);
      expect(stats).toEqual({ bytes: total, records: 40000 });
      const select = { bytes: 0, records: 0 };
      let taken = 0;
      await runSelect(plan, { normalize: {}, filter, select: { minLevel: 'error' } }, () => taken++, files, select);
      expect(select.bytes).toBe(total);
      expect(taken).toBe(10000);
    } finally {
      delete process.env.LOGTOOL_PARALLEL_MIN_BYTES;
    }
  });
});
