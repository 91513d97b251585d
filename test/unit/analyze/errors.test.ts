import { describe, expect, it } from 'vitest';
import { clusterText, errorsAnalysis, templateId } from '../../../src/analyze/errors.js';
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

  it('links patterns that follow each other in shared requests, finds breaker events and cascade_prevented flags', () => {
    const res = run(errorsAnalysis(), records);
    // The payment timeout came first in r0..r3, 5 s before each checkout failure: all 4 of its requests.
    expect(res.cascades).toEqual([{ from: res.clusters[0].id, to: res.clusters[1].id, shared_requests: 4, share: 1, of_requests: 4, median_delay_ms: 5000, example: 'r0' }]);
    expect(res.circuit_breaker_events.map((e) => e.event)).toEqual(['circuit_breaker_opened']);
    expect(res.cascade_prevented).toBe(1);
  });

  it('never links patterns that only happen at the same time', () => {
    const apart = [
      ...Array.from({ length: 6 }, (_, i) => rec({ level: 'error', time: T + i * 1000, ids: [`a${i}`], message: `Disk quota exceeded on volume vol${i}` })),
      ...Array.from({ length: 6 }, (_, i) => rec({ level: 'error', time: T + i * 1000 + 10, ids: [`b${i}`], message: `Token refresh failed for tenant t${i}` })),
    ];
    expect(run(errorsAnalysis(), apart).cascades).toEqual([]);
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

describe('errors: a pattern is one failure', () => {
  const causes = [
    'dial tcp 10.0.0.1:5432: connect: connection refused',
    'dial tcp 10.0.0.2:5432: connect: connection refused',
    'context deadline exceeded',
    'permission denied for relation orders',
    'x509: certificate has expired',
  ];
  const records = causes.flatMap((e, i) => Array.from({ length: 2 + i }, (_, j) => rec({ level: 'error', time: T + i * 100 + j, message: 'operation failed', errorMessage: e })));

  it('splits one generic message by the cause in its error attributes, masking variables inside the cause', () => {
    const res = run(errorsAnalysis(), records);
    expect(res.total).toBe(records.length);
    expect(res.clusters).toHaveLength(4);
    const byCause = (s: string) => res.clusters.filter((c) => c.template.includes(s));
    expect(byCause('connection refused').map((c) => c.count)).toEqual([2 + 3]);
    expect(byCause('context deadline exceeded').map((c) => c.count)).toEqual([4]);
    expect(byCause('permission denied for relation orders').map((c) => c.count)).toEqual([5]);
    expect(byCause('certificate has expired').map((c) => c.count)).toEqual([6]);
    for (const c of res.clusters) {
      expect(c.template.startsWith('operation failed [error: ')).toBe(true);
      expect(c.template).toBe(`operation failed [error: ${c.error_template}]`);
    }
    expect(new Set(res.clusters.map((c) => c.id)).size).toBe(4);
  });

  it('maps each record to the pattern it was counted in (the --annotate path)', () => {
    const a = errorsAnalysis();
    const s = a.init();
    for (const r of records) a.add(s, r);
    const res = a.result(s);
    const counted = new Map(res.clusters.map((c) => [c.id, 0]));
    for (const r of records) {
      const k = s.miner.match(clusterText(r));
      expect(k && counted.has(k.id), clusterText(r)).toBe(true);
      counted.set(k!.id, counted.get(k!.id)! + 1);
    }
    expect([...counted]).toEqual(res.clusters.map((c) => [c.id, c.count]));
  });

  it('keeps the id and template of records without error attributes', () => {
    const plain = [rec({ level: 'error', message: 'disk full on /dev/sda1' }), rec({ level: 'error', message: 'disk full on /dev/sdb2' })];
    const [c] = run(errorsAnalysis(), plain).clusters;
    expect(c.error_template).toBeUndefined();
    expect(c.id).toBe(templateId(c.template));
  });

  it('counts each level and reports the highest, so FATAL is never hidden in an ERROR pattern', () => {
    const mixed = [
      ...Array.from({ length: 8 }, () => rec({ level: 'error', message: 'worker crashed' })),
      ...Array.from({ length: 3 }, () => rec({ level: 'fatal', message: 'worker crashed' })),
    ];
    const [c] = run(errorsAnalysis(), mixed).clusters;
    expect(c.level).toBe('fatal');
    expect(c.levels).toEqual({ fatal: 3, error: 8 });
    expect(Object.keys(c.levels)).toEqual(['fatal', 'error']);
  });

  it('shows the error attributes of its samples', () => {
    const r = rec({ level: 'error', message: 'charge failed', errorType: 'TimeoutError', errorMessage: 'timeout after 3000ms', stack: 'TimeoutError: timeout after 3000ms\n    at charge (/app/bank.js:88:11)' });
    const [c] = run(errorsAnalysis(), [r]).clusters;
    expect(c.samples).toEqual([{ source: r.source, message: 'charge failed', error_type: 'TimeoutError', error_message: 'timeout after 3000ms', stack_frame: 'at charge (/app/bank.js:88:11)' }]);
    expect(c.template).toBe('charge failed [error: TimeoutError: timeout after <*>]');
  });

  it('always reports slots, each position a <*> of the template with values counted within the pattern', () => {
    const tools = ['SearchTool', 'MailTool', 'DbTool', 'WebTool', 'FileTool', 'MapTool', 'CalcTool'];
    const recs = tools.flatMap((t, i) => Array.from({ length: 8 - i }, (_, j) => rec({ level: 'error', message: `Tool call ${t} failed: connection reset by peer 10.1.0.${j}:443` })));
    const res = run(errorsAnalysis(), recs);
    for (const c of res.clusters) {
      expect(Array.isArray(c.slots)).toBe(true);
      const wild = c.template.split('<*>').length - 1;
      for (const s of c.slots) {
        expect(s.position).toBeLessThan(wild);
        expect(s.values.reduce((n, v) => n + v.count, 0)).toBeLessThanOrEqual(c.count);
        expect(s.distinct).toBeGreaterThanOrEqual(s.values.length);
      }
    }
  });
});

describe('errors --baseline', () => {
  const tools = ['SearchTool', 'MailTool', 'DbTool', 'WebTool', 'FileTool', 'MapTool'];
  const line = (t: string) => rec({ level: 'error', message: `Tool call ${t} failed: connection reset` });
  const subset = Array.from({ length: 5 }, () => line('SearchTool'));
  const full = [...subset, ...tools.flatMap((t) => [line(t), line(t)])];

  it('continues a pattern whose template got more general, keeping ids of unchanged templates', () => {
    const before = run(errorsAnalysis(), subset);
    const baseline = { entries: before.clusters.map((c) => ({ id: c.id, template: c.template })) };
    const after = run(errorsAnalysis({ baseline }), full);
    expect(after.clusters.map((c) => c.template)).not.toEqual(before.clusters.map((c) => c.template));
    expect(after.clusters.filter((c) => c.new)).toEqual([]);
    expect(after.gone).toEqual([]);
    const same = run(errorsAnalysis({ baseline }), subset);
    expect(same.clusters.map((c) => [c.id, c.new, c.baseline_id])).toEqual(before.clusters.map((c) => [c.id, false, undefined]));
  });

  it('still marks a genuinely new pattern', () => {
    const before = run(errorsAnalysis(), subset);
    const baseline = { entries: before.clusters.map((c) => ({ id: c.id, template: c.template })) };
    const after = run(errorsAnalysis({ baseline }), [...full, rec({ level: 'error', message: 'Disk quota exceeded on volume 7' })]);
    expect(after.clusters.filter((c) => c.new).map((c) => c.template)).toEqual(['Disk quota exceeded on volume <*>']);
  });
});

describe('errors: slots of patterns that share a message template', () => {
  // One message template, two causes: the message's values are counted over both patterns.
  const recs = Array.from({ length: 12 }, (_, i) =>
    rec({ level: 'error', message: `Payment failed for order ord_${i % 3}`, errorType: i % 2 ? 'CircuitOpenError' : 'BankTimeoutError', errorMessage: i % 2 ? 'circuit open' : `timeout after ${3000 + (i % 2) * 7}ms` }),
  );

  it('leaves out the shared message slots and numbers the cause slots after the message ones', () => {
    const res = run(errorsAnalysis(), recs);
    expect(res.clusters).toHaveLength(2);
    for (const c of res.clusters) {
      const messageWildcards = c.template.slice(0, c.template.indexOf(' [error: ')).split('<*>').length - 1;
      expect(messageWildcards).toBe(1);
      expect(c.slots.filter((s) => s.position < messageWildcards)).toEqual([]);
    }
    const timeout = res.clusters.find((c) => c.error_template?.startsWith('BankTimeoutError'))!;
    const causeSlot = timeout.slots.find((s) => s.position === 1);
    // Present once the miner reports slots.
    if (causeSlot) expect(causeSlot.values).toEqual([{ value: '3000ms', count: 6 }]);
  });
});
