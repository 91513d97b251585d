import { describe, expect, it } from 'vitest';
import { evaluateFailOn, parseFailOn } from '../../../src/analyze/lib/fail-on.js';
import { slowAnalysis } from '../../../src/analyze/slow.js';
import { asFailOnGroup, SLOW_METRICS } from '../../../src/cli/commands/slow.js';
import { rec, run } from '../analyze/records.js';

describe('slow', () => {
  const records = [
    ...[100, 200, 300, 400].map((d) => rec({ operation: 'checkout', service: 'api', durationMs: d, ids: [`c${d}`] })),
    ...[10, 20].map((d) => rec({ operation: 'search', service: 'api', durationMs: d })),
    rec({ operation: 'search', service: 'web', durationMs: 30 }),
    rec({ operation: 'checkout', raw: { performance_violation: true, threshold_seconds: 1 } }),
    rec({ operation: 'login' }),
  ];

  it('groups by operation with percentiles, violations and the slowest records', () => {
    const res = run(slowAnalysis({ slowest: 2 }), records);
    const co = res.groups.find((g) => g.key.operation === 'checkout')!;
    expect(co).toMatchObject({ count: 4, mean_ms: 250, p50_ms: 250, max_ms: 400, violations: 1, exact: true });
    expect(co.p95_ms).toBeCloseTo(385);
    expect(co.slowest.map((s) => s.id)).toEqual(['c400', 'c300']);
    expect(res.groups.find((g) => g.key.operation === 'login')).toBeUndefined();
  });

  it('groups by several fields, and by raw fields', () => {
    const res = run(slowAnalysis({ by: ['service', 'operation'] }), records);
    expect(res.groups.map((g) => [g.key.service, g.key.operation, g.count]).sort()).toEqual([
      ['(none)', 'checkout', 0],
      ['api', 'checkout', 4],
      ['api', 'search', 2],
      ['web', 'search', 1],
    ]);
    const raw = run(slowAnalysis({ by: ['tier'] }), [rec({ raw: { tier: 'gold' }, durationMs: 5 })]);
    expect(raw.groups[0].key).toEqual({ tier: 'gold' });
  });

  it('counts each record once as a violation: flag, threshold, or config limit', () => {
    const rs = [
      rec({ operation: 'a', durationMs: 600, raw: { performance_violation: true } }),
      rec({ operation: 'a', durationMs: 600 }),
      rec({ operation: 'b', durationMs: 150, raw: { layer: 'api' } }),
      rec({ operation: 'c', durationMs: 90 }),
    ];
    const res = run(slowAnalysis({ threshold: 500, thresholds: { layer: { api: 100 }, operation: { c: 50 } } }), rs);
    expect(Object.fromEntries(res.groups.map((g) => [g.key.operation, g.violations]))).toEqual({ a: 2, b: 1, c: 1 });
  });

  it('forced into the sketch, says so', () => {
    const res = run(slowAnalysis({ forceSketch: true }), records);
    expect(res.groups.every((g) => !g.exact)).toBe(true);
  });
});

describe('--fail-on', () => {
  const res = run(slowAnalysis(), [
    ...[1000, 2000, 3000].map((d) => rec({ operation: 'checkout', durationMs: d })),
    rec({ operation: 'POST /api/pay', durationMs: 50 }),
  ]);
  const groups = res.groups.map(asFailOnGroup);
  const breaks = (e: string) => evaluateFailOn([parseFailOn(e, SLOW_METRICS)], groups, SLOW_METRICS).breaches.map((b) => b.group);

  it.each([
    ['p95>2s', ['checkout']],
    ['p95>2899', ['checkout']],
    ['p95>2900', []],
    ['p99>500ms', ['checkout']],
    ['max>=3s', ['checkout']],
    ['mean>1.5s', ['checkout']],
    ['count<2', ['POST /api/pay']],
    ['count=3', ['checkout']],
    ['count!=3', ['POST /api/pay']],
    ['p50<=50ms', ['POST /api/pay']],
    ['violations>0', []],
    ['checkout:p95>2s', ['checkout']],
    ['POST /api/pay:p95>2s', []],
    ['POST /api/pay:max>10ms', ['POST /api/pay']],
  ])('%s breaks %j', (e, want) => expect(breaks(e)).toEqual(want));

  it('reports a scope that matches no group', () => {
    expect(evaluateFailOn([parseFailOn('nope:p95>1s', SLOW_METRICS)], groups, SLOW_METRICS).unmatched).toHaveLength(1);
  });

  it.each([
    ['p96>2s', /unknown metric "p96"/],
    ['p95>fast', /"fast" is not a duration/],
    ['count>many', /"many" is not a number/],
    ['p95', /expected \[group:\]metric>limit/],
  ])('rejects %s', (e, why) => expect(() => parseFailOn(e, SLOW_METRICS)).toThrow(why));
});
