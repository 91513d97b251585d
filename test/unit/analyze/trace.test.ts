import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { idMatches, traceAnalysis } from '../../../src/analyze/trace.js';
import { renderTrace, SHOWN_RECORDS } from '../../../src/render/text/trace.js';
import { rec, run } from './records.js';

const T = Date.parse('2024-01-15T10:00:00Z');

describe('trace', () => {
  it('matches ids on token boundaries only', () => {
    expect(idMatches('req-1', 'req-1')).toBe(true);
    expect(idMatches('projects/p/traces/abc123', 'abc123')).toBe(true);
    expect(idMatches('req-12', 'req-1')).toBe(false);
    expect(idMatches('xreq-1', 'req-1')).toBe(false);
  });

  it('orders by true time, keeps input order on ties, and reports missing ids', () => {
    const records = [
      rec({ ids: ['r1'], time: T + 500, message: 'c', file: 'b.log' }),
      rec({ ids: ['r1'], time: T, message: 'a', file: 'a.log' }),
      rec({ ids: ['r1'], time: T, message: 'b', file: 'a.log' }),
      rec({ ids: ['other'], time: T, message: 'x' }),
    ];
    const res = run(traceAnalysis({ ids: ['r1', 'nope'] }), records);
    expect(res.entries.map((e) => e.record.message)).toEqual(['a', 'b', 'c']);
    expect(res.entries.map((e) => e.elapsedMs)).toEqual([0, 0, 500]);
    expect(res.missing).toEqual(['nope']);
    expect(res.summary.duration_ms).toBe(500);
  });

  it('gives a record without time the time of the record before it in the same file', () => {
    const res = run(traceAnalysis({ ids: ['r'] }), [
      rec({ ids: ['r'], time: T + 1000, file: 'a.log', message: 'late' }),
      rec({ ids: ['r'], time: T, file: 'b.log', message: 'early' }),
      rec({ ids: ['r'], time: undefined, file: 'b.log', message: 'no time' }),
    ]);
    expect(res.entries.map((e) => e.record.message)).toEqual(['early', 'no time', 'late']);
  });

  it('nests operation_start/operation_end pairs and summarizes errors, retries, slow operations and gaps', () => {
    const res = run(traceAnalysis({ ids: ['r'], slowMs: 1000, gapMs: 1000 }), [
      rec({ ids: ['r'], time: T, service: 'api', operation: 'checkout', eventType: 'operation_start' }),
      rec({ ids: ['r'], time: T + 10, service: 'pay', operation: 'charge', eventType: 'operation_start' }),
      rec({ ids: ['r'], time: T + 20, service: 'pay', message: 'retrying charge', raw: { retry_count: 1 } }),
      rec({ ids: ['r'], time: T + 2500, service: 'pay', level: 'error', message: 'Bank API timeout', errorType: 'TimeoutError' }),
      rec({ ids: ['r'], time: T + 2510, service: 'pay', operation: 'charge', eventType: 'operation_end', durationMs: 2500 }),
      rec({ ids: ['r'], time: T + 2600, service: 'api', operation: 'checkout', eventType: 'operation_end', level: 'error', message: 'checkout failed' }),
    ]);
    expect(res.entries.map((e) => e.depth)).toEqual([0, 1, 2, 2, 1, 0]);
    expect(res.entries[4].operationMs).toBe(2500);
    expect(res.entries[5].operationMs).toBe(2600);
    expect(res.summary.errors).toBe(2);
    expect(res.summary.first_error).toMatchObject({ service: 'pay', message: 'Bank API timeout' });
    expect(res.summary.retries).toBe(1);
    expect(res.summary.slow_operations.map((s) => s.operation)).toEqual(['checkout', 'charge']);
    expect(res.summary.gaps).toHaveLength(1);
    expect(res.summary.gaps[0].gap_ms).toBe(2480);
    expect(res.summary.services).toEqual(['api', 'pay']);
  });
});

describe('trace of many records', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => rec({ ids: ['r'], time: T + i * 10 + (i % 7 === 0 ? 5000 : 0), service: `svc-${i % 3}`, message: `m${i}`, durationMs: (i * 7919) % 3000, level: i % 1000 === 1 ? 'error' : 'info' }));

  it('renders 250k records (no spread of an unbounded array), showing the first and last 100', () => {
    const res = run(traceAnalysis({ ids: ['r'] }), many(250_000));
    const lines = renderTrace(res, new Chalk({ level: 0 }), { limit: SHOWN_RECORDS }).split('\n');
    expect(lines[0]).toContain('250000 records');
    const cut = lines.findIndex((l) => l.includes('records left out'));
    expect(cut).toBe(1 + 100);
    expect(lines[cut]).toContain('249800 records left out');
    expect(lines[cut - 1]).toContain(` ${res.entries[99].record.message}`);
    expect(lines[cut + 1]).toContain(` ${res.entries[250_000 - 100].record.message}`);
  });

  it('without a limit shows every record; a short trace is not cut', () => {
    const res = run(traceAnalysis({ ids: ['r'] }), many(300));
    expect(renderTrace(res, new Chalk({ level: 0 })).split('\n').filter((l) => /^ *\+\d/.test(l))).toHaveLength(300);
    const short = run(traceAnalysis({ ids: ['r'] }), many(200));
    expect(renderTrace(short, new Chalk({ level: 0 }), { limit: SHOWN_RECORDS })).not.toContain('left out');
  });

  it('keeps the five slowest operations and every gap, longest first, as a full sort would, ties in time order', () => {
    const records = many(5000);
    const res = run(traceAnalysis({ ids: ['r'], slowMs: 1000, gapMs: 20 }), records);
    const sorted = [...res.entries];
    const slow = sorted.map((e) => ({ source: e.record.source, d: e.operationMs ?? e.record.durationMs })).filter((x) => x.d !== undefined && x.d >= 1000);
    const expected = [...slow].sort((a, b) => b.d! - a.d!).slice(0, 5).map((x) => x.source);
    expect(res.summary.slow_operations.map((s) => s.source)).toEqual(expected);
    const gaps = sorted.slice(1).map((e, i) => ({ before: e.record.source, g: e.time! - sorted[i].time! })).filter((x) => x.g >= 20);
    expect(gaps.length).toBeGreaterThan(5);
    expect(res.summary.gaps.map((g) => g.before)).toEqual([...gaps].sort((a, b) => b.g - a.g).map((x) => x.before));
    expect(res.summary.gaps_total).toBe(gaps.length);
    expect(res.summary.duration_ms).toBe(Math.max(...sorted.map((e) => e.time!)) - Math.min(...sorted.map((e) => e.time!)));
  });

  it('keepRecords: false counts the ids but keeps no record', () => {
    const a = traceAnalysis({ ids: ['r', 'nope'], keepRecords: false });
    const s = a.init();
    for (const r of many(1000)) a.add(s, r);
    expect(s.matched).toHaveLength(0);
    expect(s.hits).toBe(1000);
    expect(a.result(s).missing).toEqual(['nope']);
  });

  it('pairs ends with their starts in linear time even under 200k unclosed starts', () => {
    const records = [
      ...Array.from({ length: 200_000 }, (_, i) => rec({ ids: ['r'], time: T + i, service: 's', operation: `op${i}`, eventType: 'operation_start' })),
      ...Array.from({ length: 20_000 }, (_, i) => rec({ ids: ['r'], time: T + 300_000 + i, service: 's', operation: 'never-started', eventType: 'operation_end' })),
      rec({ ids: ['r'], time: T + 400_000, service: 's', operation: 'op0', eventType: 'operation_end' }),
    ];
    const res = run(traceAnalysis({ ids: ['r'] }), records);
    const last = res.entries[res.entries.length - 1];
    expect(last.depth).toBe(0);
    expect(last.operationMs).toBe(400_000);
  });
});
