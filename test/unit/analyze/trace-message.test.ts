import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { traceAnalysis } from '../../../src/analyze/trace.js';
import { messageRoom, renderTrace } from '../../../src/render/text/trace.js';
import { rec, run } from './records.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const plain = new Chalk({ level: 0 });
const OPS = ['/hipstershop.CheckoutService/PlaceOrder', '/hipstershop.PaymentService/Charge', '/hipstershop.EmailService/SendOrderConfirmation'];

/** Short messages that share their start, with long operations and event names; a silence after every third record. */
function orders(n: number, message = (i: number) => `order created ${i}`) {
  return Array.from({ length: n }, (_, i) =>
    rec({
      ids: ['o-1'],
      time: T + i * 10 + Math.floor(i / 3) * 5000,
      service: ['checkoutservice', 'paymentservice', 'emailservice'][i % 3],
      operation: OPS[i % 3],
      eventType: 'hipstershop.checkout.order.created.event.v2',
      durationMs: 12,
      message: message(i),
    }),
  );
}

function view(width: number, records = orders(9)) {
  const res = run(traceAnalysis({ ids: ['o-1'], gapMs: 1000 }), records);
  return renderTrace(res, plain, { width }).replace(/\n$/, '').split('\n');
}

describe('trace rows: the message comes before the extras', () => {
  for (const width of [80, 100, 200]) {
    it(`at ${width} columns every row shows its whole message, and no line is wider`, () => {
      const lines = view(width);
      for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(width);
      for (let i = 0; i < 9; i++) expect(lines.find((l) => /^ +\+[\d.]+m?s /.test(l) && l.includes(`order created ${i}`))).toMatch(new RegExp(`INFO +order created ${i}\\b`));
      expect(lines.join('\n')).not.toMatch(/INFO +…/);
    });
  }

  it('the extras get what the message leaves: at 200 columns they show, at 80 whatever fits after the message', () => {
    expect(view(200)[1]).toContain(`order created 0  op=${OPS[0]}`);
    const row = view(80)[1];
    expect(row).toMatch(/order created 0 {2}\S/);
    expect(row).not.toContain(OPS[0]);
  });

  it('gap rows show both messages whole at 100 and 200 columns', () => {
    for (const width of [100, 200]) {
      const gaps = view(width).filter((l) => /^ {4} *[\d.]+s +\+/.test(l));
      expect(gaps.length).toBeGreaterThan(0);
      for (const g of gaps) expect(g).toMatch(/order created \d+ +→ +\S+ +order created \d+/);
    }
  });

  it('only a message longer than its room loses the start the rows share, and keeps at least 40 columns', () => {
    const long = (i: number) => `TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: ${1000 + i} order placed for user ${i} with a long cart description`;
    const lines = view(100, orders(9, long));
    const rows = lines.filter((l) => /^ +\+[\d.]+m?s /.test(l));
    for (const l of rows) {
      expect(stringWidth(l)).toBeLessThanOrEqual(100);
      expect(l).toMatch(/INFO +….*order placed for user \d/);
      const message = l.slice(l.indexOf('INFO') + 6);
      expect(stringWidth(message.split('  ')[0])).toBeGreaterThanOrEqual(40);
    }
  });

  it('messageRoom: natural width when it fits, else what the extras leave, never under 40', () => {
    expect(messageRoom(15, 40, 60)).toBe(15);
    expect(messageRoom(40, 40, 60)).toBe(40);
    expect(messageRoom(90, 60, 60)).toBe(40);
    expect(messageRoom(120, 100, 20)).toBe(78);
    expect(messageRoom(90, 30, 20)).toBe(30);
  });
});
