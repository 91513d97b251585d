import { describe, expect, it } from 'vitest';
import { checkAlerts, compileAlerts, initAlertState } from '../../../src/analyze/alerts.js';
import { rec } from '../analyze/records.js';

const T = Date.parse('2024-01-15T10:00:00Z');

describe('alerts', () => {
  it('fires the error-rate alert once when crossing the limit and re-arms when the rate falls', () => {
    const rules = compileAlerts({ errors: '3/1m' });
    const s = initAlertState();
    const fired = (t: number, level: 'error' | 'info' = 'error') => checkAlerts(rules, s, rec({ level, time: t }), 0).length;
    expect([0, 1, 2].map((i) => fired(T + i * 1000))).toEqual([0, 0, 0]);
    expect(fired(T + 3000)).toBe(1);
    expect(fired(T + 4000)).toBe(0);
    expect(fired(T + 200_000, 'info')).toBe(0);
    expect([0, 1, 2].map((i) => fired(T + 300_000 + i))).toEqual([0, 0, 0]);
    expect(fired(T + 300_010)).toBe(1);
  });

  it('alerts on slow records and on field matches', () => {
    const rules = compileAlerts({ slow: '5s', match: ['error_type=payment_failed', 'service~^pay'] });
    const s = initAlertState();
    expect(checkAlerts(rules, s, rec({ durationMs: 6000, operation: 'charge' }), T).map((a) => a.rule)).toEqual(['slow']);
    expect(checkAlerts(rules, s, rec({ durationMs: 4000 }), T)).toEqual([]);
    expect(checkAlerts(rules, s, rec({ errorType: 'payment_failed', service: 'payments' }), T).map((a) => a.message)).toEqual(['matched error_type=payment_failed', 'matched service~^pay']);
  });

  it('rejects malformed rules', () => {
    expect(() => compileAlerts({ errors: 'ten per minute' })).toThrow(/expected <count>\/<window>/);
    expect(() => compileAlerts({ slow: 'soon' })).toThrow(/expected a duration/);
    expect(() => compileAlerts({ match: ['nope'] })).toThrow(/--where 'nope'/);
  });
});
