import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

/** Files with every line kind, large enough to be cut into several ranges. */
function inputs(): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-parallel-'));
  const files: string[] = [];
  for (let f = 0; f < 3; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const t = new Date(Date.UTC(2024, 0, 15, 10, 0, 0) + i * 997 + f).toISOString();
      const level = ['info', 'warn', 'error'][i % 3];
      const message = level === 'error' ? [`Bank API timeout after ${i}ms for charge ch_${i}`, `Table t${i % 3} not found`, `User ${i} logged out`][i % 4 % 3] : `event ${i}`;
      lines.push(JSON.stringify({ timestamp: t, level, service: `svc${i % 7}`, message, request_id: i % 11 ? `r${i % 500}` : undefined, operation: `op${i % 5}`, duration_ms: (i * 7919) % 3001, [`k${i % 13}`]: 1 }));
      if (i % 1000 === 0) lines.push(JSON.stringify({ timestamp: t, level: 'info', event_type: 'circuit_breaker_opened', service: 'checkout', cascade_prevented: true }));
      if (i % 97 === 0) lines.push('Traceback (most recent call last):', '  File "x.py", line 1', 'ValueError: boom');
      if (i % 101 === 0) lines.push('', 'junk line');
      if (i % 89 === 0) lines.push(`2024-01-15 10:30:45 ERROR {"msg":"prefixed ${i}"}`);
      if (i % 211 === 0) lines.push(JSON.stringify({ level: 'error', message: `no time ${i}`, request_id: `t${i}` }));
    }
    const p = path.join(dir, `part${f}.log`);
    writeFileSync(p, lines.join('\n') + '\n');
    files.push(p);
  }
  return files;
}

describe('worker threads', () => {
  it('give stats and latency identical to one thread, line accounting and sources included', async () => {
    const files = inputs();
    const one = await runCli(['stats', ...files, '--json'], { env: { LOGTOOL_THREADS: '1' } });
    const many = await runCli(['stats', ...files, '--json', '--level', 'warn'], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
    const oneFiltered = await runCli(['stats', ...files, '--json', '--level', 'warn'], { env: { LOGTOOL_THREADS: '1' } });
    const manyAll = await runCli(['stats', ...files, '--json'], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
    expect(one.code).toBe(0);
    expect(JSON.parse(manyAll.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(many.stdout)).toEqual(JSON.parse(oneFiltered.stdout));
    for (const extra of [[], ['--by', 'service,operation', '--threshold', '2s'], ['--sketch']]) {
      const slowOne = await runCli(['slow', ...files, '--json', ...extra], { env: { LOGTOOL_THREADS: '1' } });
      const slowMany = await runCli(['slow', ...files, '--json', ...extra], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
      expect(slowOne.code).toBe(0);
      const [a, b] = [JSON.parse(slowOne.stdout), JSON.parse(slowMany.stdout)];
      if (extra.includes('--sketch')) {
        // A merged sketch answers within the sketch's own 1% (its buckets are the same).
        expect(b.groups.map((g: { count: number }) => g.count)).toEqual(a.groups.map((g: { count: number }) => g.count));
      } else expect(b).toEqual(a);
    }
    const s = JSON.parse(one.stdout) as { lines: number; records: number; continuation_lines: number; unparsed_lines: number };
    expect(s.records + s.continuation_lines + s.unparsed_lines).toBe(s.lines);
  });

  it('give errors identical to one thread, with a later range waiting while an earlier one is mined', async () => {
    const files = inputs();
    // Mostly errors: each worker has more batches than it may send ahead.
    const dir = path.dirname(files[0]);
    const dense = path.join(dir, 'dense.log');
    writeFileSync(dense, Array.from({ length: 40000 }, (_, i) => JSON.stringify({ level: i % 5 ? 'error' : 'info', message: `Payment ${i % 7} failed for order ord_${i}`, request_id: `d${i % 900}` })).join('\n') + '\n');
    // One file alone is cut into ranges read by different workers: line numbers must continue.
    for (const args of [[...files, '--json'], [...files, '--json', '--level', 'warn'], [dense, ...files, '--json'], [files[0], '--json']]) {
      const one = await runCli(['errors', ...args], { env: { LOGTOOL_THREADS: '1' } });
      const many = await runCli(['errors', ...args], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
      expect(one.code).toBe(0);
      expect(many.stdout).toBe(one.stdout);
      expect(JSON.parse(one.stdout).total).toBeGreaterThan(0);
    }
  });
  it('give stats identical to one thread when a breakdown has more distinct values than it keeps', async () => {
    // 3,000 services, each seen in every range: a later range keeps other services than the
    // input as a whole, so its parts cannot add up, and stats reads on one thread instead.
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-parallel-wide-'));
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) lines.push(JSON.stringify({ level: 'info', msg: 'm', service: `svc-${(i * 7) % 3000}`, [`key${i % 1500}`]: 1 }));
    const file = path.join(dir, 'wide.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const one = await runCli(['stats', file, '--json'], { env: { LOGTOOL_THREADS: '1' } });
    const many = await runCli(['stats', file, '--json'], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
    expect(one.code).toBe(0);
    const parsed = JSON.parse(one.stdout) as { by_service: Record<string, number> };
    expect(parsed.by_service['(other)']).toBeGreaterThan(0);
    expect(JSON.parse(many.stdout)).toEqual(parsed);
  });
});
