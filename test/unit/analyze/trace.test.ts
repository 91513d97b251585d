import { describe, expect, it } from 'vitest';
import { idMatches, traceAnalysis } from '../../../src/analyze/trace.js';
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
