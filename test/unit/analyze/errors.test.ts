import { describe, expect, it } from 'vitest';
import { errorsAnalysis } from '../../../src/analyze/errors.js';
import { rec, run } from './records.js';

const T = Date.parse('2024-01-15T10:00:00Z');

describe('errors', () => {
  const records = [
    ...Array.from({ length: 6 }, (_, i) =>
      rec({ level: 'error', time: T + i * 1000, service: 'payment', ids: [`r${i}`], message: `Bank API timeout after ${2700 + i}ms for charge ch_${i}a`, errorType: 'TimeoutError' }),
    ),
    ...Array.from({ length: 4 }, (_, i) => rec({ level: 'error', time: T + 5000 + i * 1000, service: 'checkout', ids: [`r${i}`], message: `Payment failed for order ord_${i}: upstream unavailable` })),
    rec({ level: 'warn', time: T, message: 'slow response from bank' }),
    rec({ level: 'info', time: T + 3000, service: 'payment', eventType: 'circuit_breaker_opened', message: 'breaker opened' }),
    rec({ level: 'info', time: T + 3500, raw: { cascade_prevented: true } }),
  ];

  it('groups messages into templates with counts, services, ids and samples', () => {
    const res = run(errorsAnalysis(), records);
    expect(res.total).toBe(10);
    expect(res.clusters.map((c) => [c.template, c.count])).toEqual([
      ['Bank API timeout after <*> for charge <*>', 6],
      ['Payment failed for order <*> upstream unavailable', 4],
    ].map(([t, n]) => [expect.stringMatching(new RegExp('^' + String(t).split('<*>').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')), n]));
    const bank = res.clusters[0];
    expect(bank.services).toEqual(['payment']);
    expect(bank.error_types).toEqual(['TimeoutError']);
    expect(bank.first_seen).toBe(T);
    expect(bank.last_seen).toBe(T + 5000);
    expect(bank.samples).toHaveLength(3);
    expect(bank.id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('finds the cascade, breaker events and cascade_prevented flags', () => {
    const res = run(errorsAnalysis(), records);
    expect(res.cascades).toEqual([{ from: res.clusters[0].id, to: res.clusters[1].id, lag_ms: 5000, shared_requests: 4 }]);
    expect(res.circuit_breaker_events.map((e) => e.event)).toEqual(['circuit_breaker_opened']);
    expect(res.cascade_prevented).toBe(1);
  });

  it('includes warnings when the level is lowered', () => {
    expect(run(errorsAnalysis({ minLevel: 'warn' }), records).total).toBe(11);
  });

  it('gives the same ids on every run and marks patterns missing from a baseline as new', () => {
    const first = run(errorsAnalysis(), records);
    const again = run(errorsAnalysis(), records);
    expect(again.clusters.map((c) => c.id)).toEqual(first.clusters.map((c) => c.id));
    const baseline = { entries: [{ id: first.clusters[0].id, template: first.clusters[0].template }, { id: 'gone00000000', template: 'Old failure <*>' }] };
    const res = run(errorsAnalysis({ baseline }), records);
    expect(res.clusters.map((c) => c.new)).toEqual([false, true]);
    expect(res.gone).toEqual([{ id: 'gone00000000', template: 'Old failure <*>' }]);
  });
});
