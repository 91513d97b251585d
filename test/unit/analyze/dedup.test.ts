import { describe, expect, it } from 'vitest';
import { dedupAnalysis } from '../../../src/analyze/dedup.js';
import type { LogRecord } from '../../../src/types.js';
import { rec, run } from './records.js';

/** A lifecycle event of request `n` at file:line. */
function event(n: number, file: string, line: number, extra = ''): LogRecord {
  const raw = { correlation_id: `req-${n}`, operation: 'checkout', event_type: 'operation_start', logger: 'svc', extra };
  return rec({ raw, text: JSON.stringify(raw), ids: [`req-${n}`], operation: 'checkout', eventType: 'operation_start', file, line, source: `${file}:${line}` });
}

describe('dedup', () => {
  const N = 30_000;
  const a = Array.from({ length: N }, (_, i) => event(i + 1, 'a.log', i + 1));

  it('points duplicates at their first occurrence after many distinct records', () => {
    const records = [...a, event(5, 'a.log', N + 1, 'logged again'), { ...a[6], line: N + 2, source: `a.log:${N + 2}`, seq: N + 2 }];
    const res = run(dedupAnalysis(), records);
    expect(res.records).toBe(N + 2);
    expect(res.duplicates).toEqual([
      { key: { correlation_id: 'req-5', operation: 'checkout', event_type: 'operation_start' }, count: 2, sources: ['a.log:5', `a.log:${N + 1}`] },
      { key: { correlation_id: 'req-7', operation: 'checkout', event_type: 'operation_start' }, count: 2, sources: ['a.log:7', `a.log:${N + 2}`] },
    ]);
    expect(res.duplicate_events).toBe(2);
    expect(res.exact_duplicates.groups).toBe(1);
    expect(res.exact_duplicates.examples).toEqual([{ count: 2, sources: ['a.log:7', `a.log:${N + 2}`], cross_file: false, text: a[6].text }]);
    expect(res.approximate).toBe(false);
  });

  it('reports a copy in another file as one event written twice, with the first file as its source', () => {
    const b = [event(N + 1, 'b.log', 1), { ...a[2], file: 'b.log', line: 2, source: 'b.log:2', seq: N + 2 }];
    const res = run(dedupAnalysis(), [...a, ...b]);
    expect(res.duplicates).toEqual([]);
    expect(res.exact_duplicates.examples).toEqual([{ count: 2, sources: ['a.log:3', 'b.log:2'], cross_file: true, text: a[2].text }]);
  });

  it('is approximate once the tables reach maxSlots, and exact below it', () => {
    expect(run(dedupAnalysis({ maxSlots: 8192 }), a).approximate).toBe(true);
    expect(run(dedupAnalysis({ maxSlots: 65_536 }), a).approximate).toBe(false);
  });
});
