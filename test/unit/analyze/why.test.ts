import { describe, expect, it } from 'vitest';
import { whyAnalysis } from '../../../src/analyze/why.js';
import { parseTime } from '../../../src/normalize/time.js';
import { Random } from '../../../src/fixtures/random.js';
import type { LogRecord } from '../../../src/types.js';
import { rec, run } from './records.js';

const T0 = Date.parse('2024-03-01T12:00:00Z');
const MIN = 60_000;

/**
 * Requests every ~2 s for `minutes`: a gateway record with the request's duration, a db call,
 * a steady background warning (~1/min, in other requests), and whatever `extra` adds per request.
 */
function traffic(seed: number, minutes: number, extra: (t: number, id: string, rnd: Random, out: LogRecord[]) => number = () => 0): LogRecord[] {
  const rnd = new Random(seed);
  const out: LogRecord[] = [];
  for (let t = T0, n = 0; t < T0 + minutes * MIN; t += rnd.int(1500, 2500), n++) {
    const id = `req-${n}`;
    const db = rnd.int(5, 25);
    out.push(rec({ time: t + db, level: 'info', service: 'orders', operation: 'db.query', durationMs: db, ids: [id], message: 'query done' }));
    const added = extra(t + db + 1, id, rnd, out);
    out.push(rec({ time: t + db + added + 20, level: 'info', service: 'gateway', operation: 'GET /orders', durationMs: db + added + rnd.int(10, 40), ids: [id], message: 'request done' }));
    if (rnd.chance(1 / 30)) out.push(rec({ time: t + 5, level: 'warn', service: 'auth', ids: [`bg-${n}`], message: `Token refresh slow for tenant t${rnd.int(1, 50)}` }));
  }
  return out.sort((a, b) => a.time! - b.time!);
}

describe('why', () => {
  it('finds a new error pattern, its onset, the 5xx that follows it in the same requests, and names it the trigger', () => {
    const at = T0 + 20 * MIN;
    const records = traffic(1, 40, (t, id, rnd, out) => {
      if (t < at || !rnd.chance(0.3)) return 0;
      out.push(rec({ time: t, level: 'error', service: 'pricing', ids: [id], message: `TypeError: cannot read properties of undefined (reading 'currency') at item ${rnd.int(1, 999)}` }));
      out.push(rec({ time: t + 3, level: 'error', service: 'gateway', ids: [id], message: 'GET /orders failed with 500' }));
      return 5;
    });
    const res = run(whyAnalysis(), records);
    expect(res.verdict).toBe('incident');
    expect(Math.abs(res.window!.start - at)).toBeLessThan(10_000);
    expect(res.trigger?.kind).toBe('new_pattern');
    expect(res.trigger?.template).toContain('TypeError');
    expect(res.links).toHaveLength(1);
    const [link] = res.links;
    expect(res.changes.find((c) => c.pattern_id === link.from)?.template).toContain('TypeError');
    expect(res.changes.find((c) => c.pattern_id === link.to)?.template).toContain('failed with');
    expect(link.share).toBe(1);
    expect(link.median_delay_ms).toBe(3);
    // The background warning was there all along: not a change.
    expect(res.changes.some((c) => c.template?.includes('Token refresh'))).toBe(false);
  });

  it('names a slower dependency as the trigger when nothing logs an error', () => {
    const at = T0 + 25 * MIN;
    const records = traffic(2, 40).map((r) => (r.operation === 'db.query' && r.time! >= at ? { ...r, durationMs: r.durationMs! * 12 } : r));
    // The gateway waits for the db: its duration grows by the same milliseconds.
    const res = run(whyAnalysis(), records.map((r, i, all) => (r.operation === 'GET /orders' && r.time! >= at ? { ...r, durationMs: r.durationMs! + 11 * (all.find((x) => x.ids[0] === r.ids[0] && x.operation === 'db.query')!.durationMs! / 12) } : r)));
    expect(res.verdict).toBe('incident');
    expect(res.trigger).toMatchObject({ kind: 'latency', service: 'orders', operation: 'db.query' });
    expect(Math.abs(res.trigger!.onset - at)).toBeLessThan(10_000);
    expect(res.links).toEqual([]);
  });

  it('says no incident on steady traffic with a steady background warning', () => {
    for (const seed of [3, 4, 5]) {
      const res = run(whyAnalysis(), traffic(seed, 40));
      expect(res.verdict, res.reason).toBe('no_incident');
      expect(res.reason).toMatch(/^no incident found: warn\/error rate [\d.]+\/min, steady/);
      expect(res.trigger).toBeUndefined();
      expect(res.links).toEqual([]);
    }
  });

  it('says there is too little to judge: few records, no times, nothing before the change', () => {
    expect(run(whyAnalysis(), traffic(6, 40).slice(0, 10)).verdict).toBe('insufficient_data');
    expect(run(whyAnalysis(), traffic(6, 40).map((r) => ({ ...r, time: undefined }))).reason).toMatch(/none of \d+ records has a time/);
    const res = run(whyAnalysis({ window: { start: T0 - MIN } }), traffic(6, 10));
    expect(res.verdict).toBe('insufficient_data');
    expect(res.reason).toMatch(/nothing before/);
  });

  it('compares a given window with a given baseline', () => {
    const records = traffic(7, 30, (t, id, rnd, out) => {
      if (t >= T0 + 20 * MIN && rnd.chance(0.5)) out.push(rec({ time: t, level: 'error', service: 'cart', ids: [id], message: 'Cart service unavailable' }));
      return 0;
    });
    const res = run(whyAnalysis({ window: { start: T0 + 20 * MIN }, baseline: { start: T0, end: T0 + 10 * MIN } }), records);
    expect(res.window?.detected_by).toEqual(['--window']);
    // The baseline runs from the first record (a few ms after T0) to the given end.
    expect(res.baseline?.end).toBe(T0 + 10 * MIN);
    expect(res.baseline!.start - T0).toBeLessThan(1000);
    expect(res.changes.map((c) => c.kind)).toContain('new_pattern');
    const quiet = run(whyAnalysis({ window: { start: T0 + 10 * MIN, end: T0 + 20 * MIN } }), records);
    expect(quiet.verdict).toBe('no_incident');
  });

  it('names records far outside the rest instead of judging a timeline they stretched', () => {
    const records = traffic(8, 40);
    const stray = rec({ time: Date.parse('1971-01-01T00:00:00Z'), level: 'info', message: 'clock not set' });
    const res = run(whyAnalysis(), [stray, ...records]);
    expect(res.verdict).toBe('insufficient_data');
    expect(res.reason).toMatch(/far outside the others/);
    expect(res.time_outliers?.bulk_start).toBeGreaterThanOrEqual(T0);
    expect(res.time_outliers?.bulk_end).toBeLessThan(T0 + 40 * MIN);
    // A time no date can hold is no time at all (the normalizer reads it as none).
    expect(run(whyAnalysis(), [rec({ time: parseTime(1e300), level: 'info' }), ...records]).untimed).toBe(1);
  });
});
