import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { MAX_GAPS, traceAnalysis } from '../../../src/analyze/trace.js';
import { renderTrace, SHOWN_GAPS, traceJson } from '../../../src/render/text/trace.js';
import { rec, run } from './records.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const plain = new Chalk({ level: 0 });

/** A trace whose n-th silence (n = 1…count) lasts 1000 + n·100 ms, between two named records. */
function silences(count: number) {
  const records = [rec({ ids: ['r'], time: T, service: 'api', message: 'request received' })];
  let t = T;
  for (let n = 1; n <= count; n++) {
    t += 10;
    records.push(rec({ ids: ['r'], time: t, service: `svc-${n}`, message: `step ${n} submitted` }));
    t += 1000 + n * 100;
    records.push(rec({ ids: ['r'], time: t, service: `next-${n}`, message: `step ${n} answered` }));
  }
  return records;
}

describe('trace gaps', () => {
  it('keeps every gap at or above the threshold, longest first, with service and message on both sides', () => {
    const res = run(traceAnalysis({ ids: ['r'], gapMs: 1000 }), silences(25));
    const s = res.summary;
    expect(s.gaps).toHaveLength(25);
    expect(s.gaps_total).toBe(25);
    expect(s.gaps.map((g) => g.gap_ms)).toEqual(Array.from({ length: 25 }, (_, i) => 1000 + (25 - i) * 100));
    expect(s.gaps[0]).toMatchObject({ after_service: 'svc-25', after_message: 'step 25 submitted', before_service: 'next-25', before_message: 'step 25 answered', gap_ms: 3500 });
    expect(s.gaps[0].before_time - s.gaps[0].after_time).toBe(3500);
    expect(s.gaps[0].after).toMatch(/^test\.log:\d+$/);
  });

  it('a gap below the threshold is not listed; a side without service or message is null', () => {
    const res = run(traceAnalysis({ ids: ['r'], gapMs: 2000 }), [
      rec({ ids: ['r'], time: T, service: 'a', message: 'one' }),
      rec({ ids: ['r'], time: T + 1999, service: 'b', message: 'two' }),
      rec({ ids: ['r'], time: T + 5000 }),
    ]);
    expect(res.summary.gaps).toEqual([expect.objectContaining({ gap_ms: 3001, after_service: 'b', after_message: 'two', before_service: null, before_message: null })]);
  });

  it('the human view lists the first SHOWN_GAPS with both sides and says how many more there are', () => {
    const res = run(traceAnalysis({ ids: ['r'] }), silences(25));
    const text = renderTrace(res, plain, { width: 200 });
    const rows = text.split('\n').filter((l) => /^ {4} *[\d.]+s +\+/.test(l));
    expect(rows).toHaveLength(SHOWN_GAPS);
    expect(rows[0]).toMatch(/3\.5s .*svc-25 +step 25 submitted +→ +next-25 +step 25 answered/);
    expect(text).toContain('25 silences, longest first');
    expect(text).toContain(`+${25 - SHOWN_GAPS} more gaps (--json for all)`);
    // Few gaps: no "more" line.
    expect(renderTrace(run(traceAnalysis({ ids: ['r'] }), silences(3)), plain, { width: 200 })).not.toContain('more gap');
  });

  it('JSON has every gap with the new fields and the total', () => {
    const res = run(traceAnalysis({ ids: ['r'] }), silences(25));
    const json = JSON.parse(JSON.stringify(traceJson(res))) as { summary: { gaps: Record<string, unknown>[]; gaps_total: number } };
    expect(json.summary.gaps).toHaveLength(25);
    expect(json.summary.gaps_total).toBe(25);
    expect(Object.keys(json.summary.gaps[0]).sort()).toEqual(['after', 'after_message', 'after_service', 'after_time', 'before', 'before_message', 'before_service', 'before_time', 'gap_ms']);
    expect(json.summary.gaps[0].after_time).toMatch(/^2024-01-15T10:/);
  });

  it('past MAX_GAPS keeps the longest and counts them all', () => {
    const n = MAX_GAPS * 2 + 500;
    let t = T;
    const records = Array.from({ length: n + 1 }, (_, i) => rec({ ids: ['r'], time: (t += 1000 + ((i * 7919) % 5000)), service: 's', message: `m${i}` }));
    const res = run(traceAnalysis({ ids: ['r'], gapMs: 1000 }), records);
    const all = records.slice(1).map((r, i) => r.time! - records[i].time!).filter((g) => g >= 1000).sort((a, b) => b - a);
    expect(res.summary.gaps_total).toBe(all.length);
    expect(res.summary.gaps).toHaveLength(MAX_GAPS);
    expect(res.summary.gaps.map((g) => g.gap_ms)).toEqual(all.slice(0, MAX_GAPS));
    expect(renderTrace(res, plain, { width: 120 })).toContain(`more gaps (--json for all up to the longest ${MAX_GAPS})`);
  });
});

describe('trace view width', () => {
  const long = 'a'.repeat(30) + '-very-long-service-name-' + 'z'.repeat(30);
  const res = run(traceAnalysis({ ids: ['req-1'] }), [
    rec({ ids: ['req-1'], time: T, service: long, operation: 'checkout', eventType: 'operation_start', message: 'Checkout started for a cart with many items and a long description ' + 'x'.repeat(200) }),
    rec({ ids: ['req-1'], time: T + 5, service: 'pay', level: 'error', message: 'Bank API timeout 日本語のメッセージ after 2895ms', errorType: 'BankTimeoutError', errorMessage: 'timeout after 2895ms and more words', durationMs: 2895, continuation: ['  at charge (' + 'p/'.repeat(100) + 'pay.js:12)'] }),
    rec({ ids: [], text: 'req-1 mentioned', time: T + 4000, service: 'mail', message: 'mail sent about req-1 ' + 'y'.repeat(150) }),
    rec({ ids: ['req-1'], time: T + 4100, service: long, operation: 'checkout', eventType: 'operation_end' }),
  ]);
  it.each([40, 80, 100, 200])('no line is wider than %i columns and each message keeps its start', (w) => {
    const lines = renderTrace(res, plain, { width: w }).split('\n');
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(w);
    const text = lines.join('\n');
    if (w >= 80) {
      expect(text).toContain('Checkout started for');
      expect(text).toContain('Bank API timeout');
      expect(text).toContain('[id in text]');
      // Both ends of a long service name stay.
      expect(text).toMatch(w < 200 ? /aaaa+….*zzzz/ : /aaaa+-very-long-service-name-z+/);
    }
  });
  it('at 200 columns the service column is not capped at 22', () => {
    const text = renderTrace(res, plain, { width: 200 });
    expect(text).toContain(long);
  });
});
