import { describe, expect, it } from 'vitest';
import { DISTINCT_EXACT, originalTokens, SHOWN_VALUES, SlotSketch, TOP_K, templateSlots } from '../../../src/analyze/lib/slots.js';

describe('slot sketch', () => {
  it('counts values exactly while there are few of them', () => {
    const s = new SlotSketch();
    for (const [v, n] of [['SearchTool', 14], ['MailTool', 10], ['CalendarTool', 6], ['DbTool', 3]] as const) {
      for (let i = 0; i < n; i++) s.add(v);
    }
    expect(s.topValues()).toEqual([
      { value: 'SearchTool', count: 14 },
      { value: 'MailTool', count: 10 },
      { value: 'CalendarTool', count: 6 },
      { value: 'DbTool', count: 3 },
    ]);
    expect(s.distinct()).toBe(4);
  });

  it('stays the same size on a million distinct values, keeps the heavy hitter, estimates distinct', () => {
    const s = new SlotSketch();
    for (let i = 0; i < 1_000_000; i++) {
      s.add(`v${i}`);
      if (i % 4 === 0) s.add('hot');
    }
    expect(s.size).toBeLessThanOrEqual(TOP_K + DISTINCT_EXACT);
    const top = s.topValues();
    expect(top.length).toBeLessThanOrEqual(SHOWN_VALUES);
    // 'hot' is a fifth of the stream: Space-Saving with 8 counters keeps anything above 1/8,
    // and its guaranteed count never exceeds the truth (250,000).
    expect(top[0].value).toBe('hot');
    expect(top[0].count).toBeLessThanOrEqual(250_000);
    expect(top[0].count).toBeGreaterThan(100_000);
    // k-minimum-values with 64 hashes: within 40% (about three standard errors).
    expect(s.distinct()).toBeGreaterThan(600_000);
    expect(s.distinct()).toBeLessThan(1_400_000);
  });

  it('never reports a borrowed count for a rare value in a busy slot', () => {
    const s = new SlotSketch();
    for (let i = 0; i < 1000; i++) s.add(`x${i}`);
    for (const { count } of s.topValues()) expect(count).toBe(1);
  });

  it('merges: counts add up and distinct values are a union', () => {
    const a = new SlotSketch();
    const b = new SlotSketch();
    a.add('users', 3);
    a.add('orders');
    b.add('orders', 4);
    b.add('carts');
    a.merge(b);
    expect(a.topValues()).toEqual([
      { value: 'orders', count: 5 },
      { value: 'users', count: 3 },
      { value: 'carts', count: 1 },
    ]);
    expect(a.distinct()).toBe(3);
  });

  it('reports the part of a token a wildcard stands for, one slot per wildcard', () => {
    const uid = new SlotSketch();
    uid.add('uid=0', 2);
    uid.add('uid=500');
    const whole = new SlotSketch();
    whole.add('10.0.0.1:443');
    const two = new SlotSketch();
    two.add('3/10');
    const slots = templateSlots(['login', '<*>', 'as', 'uid=<*>', 'step', '<*>/<*>'], [undefined, whole, undefined, uid, undefined, two], '<*>');
    expect(slots).toEqual([
      { position: 0, values: [{ value: '10.0.0.1:443', count: 1 }], distinct: 1 },
      { position: 1, values: [{ value: '0', count: 2 }, { value: '500', count: 1 }], distinct: 2 },
      { position: 2, values: [{ value: '3', count: 1 }], distinct: 1 },
      { position: 3, values: [{ value: '10', count: 1 }], distinct: 1 },
    ]);
  });
});

describe('original tokens under masked ones', () => {
  const W = '<*>';
  it.each([
    [['size', '<*>)'], ['size', '0.2', 'KB)'], ['size', '0.2 KB)']],
    [['at', '<*>', 'from', '<*>'], ['at', 'Jun', '17', '07:07:00', 'from', '10.0.0.1'], ['at', 'Jun 17 07:07:00', 'from', '10.0.0.1']],
    [['say', '"<*>"', '<*>', 'done'], ['say', '"hello', 'world"', '42', 'done'], ['say', '"hello world"', '42', 'done']],
    [['a', 'b'], ['a', 'b'], ['a', 'b']],
  ])('%j over %j', (masked, orig, expected) => {
    expect(originalTokens(masked, orig, W)).toEqual(expected);
  });

  it('falls back to the masked tokens when the texts do not line up', () => {
    expect(originalTokens(['x', '<*>'], ['y', 'z', 'w'], W)).toEqual(['x', '<*>']);
  });
});
