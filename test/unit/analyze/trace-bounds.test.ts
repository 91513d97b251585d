import { describe, expect, it } from 'vitest';
import { MAX_OPEN, traceAnalysis } from '../../../src/analyze/trace.js';
import { rec, run } from './records.js';

const at = (i: number) => Date.parse('2024-05-01T00:00:00Z') + i;

describe('trace operation tree bounds', () => {
  it('holds at most MAX_OPEN operations open; later starts are shown at that depth and counted unclosed', () => {
    const n = MAX_OPEN + 500;
    const records = Array.from({ length: n }, (_, i) => rec({ ids: ['r'], time: at(i), operation: `op${i}`, eventType: 'operation_start' }));
    const res = run(traceAnalysis({ ids: ['r'] }), records);
    expect(res.entries).toHaveLength(n);
    expect(Math.max(...res.entries.map((e) => e.depth))).toBe(MAX_OPEN);
    expect(res.summary.unclosed_operations).toBe(n);
    expect(res.summary.max_depth).toBe(MAX_OPEN);
  });

  it('pairs starts and ends as before, and counts starts closed only by an outer end as unclosed', () => {
    const records = [
      rec({ ids: ['r'], time: at(0), operation: 'outer', eventType: 'operation_start' }),
      rec({ ids: ['r'], time: at(1), operation: 'inner', eventType: 'operation_start' }),
      rec({ ids: ['r'], time: at(2), operation: 'leaf', eventType: 'operation_start' }),
      rec({ ids: ['r'], time: at(3), operation: 'leaf', eventType: 'operation_end' }),
      rec({ ids: ['r'], time: at(4), operation: 'dangling', eventType: 'operation_start' }),
      rec({ ids: ['r'], time: at(9), operation: 'outer', eventType: 'operation_end' }),
    ];
    const res = run(traceAnalysis({ ids: ['r'] }), records);
    expect(res.entries.map((e) => e.depth)).toEqual([0, 1, 2, 2, 2, 0]);
    expect(res.entries[5].operationMs).toBe(9);
    // inner and dangling never ended.
    expect(res.summary.unclosed_operations).toBe(2);
    expect(res.summary.max_depth).toBe(3);
  });
});
