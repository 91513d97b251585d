import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { recordLine } from '../../../src/render/text/record-line.js';
import { rec } from '../analyze/records.js';
import { lines, widest, WIDTHS } from './width-helpers.js';

const c = new Chalk({ level: 1 });
const T = Date.parse('2024-01-15T10:00:00Z');
const CAUSE = 'desc = transaction declined: insufficient funds';
const MESSAGE = `failed to charge card: rpc error: code = Unavailable while calling the payment gateway ${CAUSE}`;

/** A failed payment with every extra: op, event, took, status, retries, error type and message, id. */
const failed = (id = 'req-7f3a9c2e') => rec({
  time: T,
  level: 'error',
  service: 'checkoutservice',
  message: MESSAGE,
  operation: '/hipstershop.PaymentService/Charge',
  eventType: 'charge_failed',
  durationMs: 1234,
  errorType: 'GatewayError',
  errorMessage: 'upstream connect error or disconnect/reset before headers',
  ids: [id],
  raw: { status: 503, retries: 3 },
});

const line = (width?: number) => lines(recordLine(failed(), c, { width }))[0];

describe('tail record line at a width', () => {
  it.each(WIDTHS)('fits %i columns', (w) => {
    expect(widest(recordLine(failed(), c, { width: w }))).toBeLessThanOrEqual(w);
  });

  it('keeps the id at 100 and the id with the error type at 120, dropping op, event, retries and error message', () => {
    const l = line(100);
    expect(l).toContain('id=req-7f3a9c2e');
    expect(line(120)).toContain('error=GatewayError id=req-7f3a9c2e');
    for (const dropped of ['op=', 'event=', 'retries=', 'error_message=']) expect(l).not.toContain(dropped);
    // The message keeps its start and its end (the cause), cut in the middle.
    expect(l).toContain('failed to charge');
    expect(l).toContain('funds');
  });

  it('never drops a kept item before the less useful ones, and drops only whole items', () => {
    for (const w of [100, 120, 160, 200]) {
      const l = line(w);
      const order = ['op=', 'event=', 'retries=', 'error_message='];
      const shown = order.map((x) => l.includes(x));
      // Dropped first, in this order: once one is missing, the ones before it are missing too.
      for (let i = 1; i < order.length; i++) if (shown[i - 1]) expect(shown[i], `${w}: ${l}`).toBe(true);
      if (shown.some(Boolean)) for (const kept of ['took=1.23s', 'status=503', 'error=GatewayError', 'id=req-7f3a9c2e']) expect(l).toContain(kept);
      expect(l).not.toMatch(/(op|event)=[^ ]*…/);
    }
  });

  it('keeps every kept extra whole at 200', () => {
    const l = line(200);
    expect(l).toContain('took=1.23s status=503 error=GatewayError id=req-7f3a9c2e');
    expect(l).toContain('failed to charge card: rpc error');
    expect(l).toContain(CAUSE);
  });

  it('a long id that alone does not fit keeps both its ends', () => {
    const long = 'req-7f3a9c2e-0b1d-4e5f-a6b7-c8d9e0f1a2b3';
    const l = lines(recordLine(failed(long), c, { width: 100 }))[0];
    expect(l).toMatch(/id=req-7f3a.*….*a2b3$/);
    expect(lines(recordLine(failed(long), c, { width: 200 }))[0]).toContain(`id=${long}`);
  });

  it('keeps at least 30 columns of the message at 80, with its start and end', () => {
    const l = line(80);
    const msg = l.slice(l.indexOf('failed'), l.includes('  ') ? l.indexOf('  ', l.indexOf('failed')) : undefined);
    expect(msg.length).toBeGreaterThanOrEqual(30);
    expect(msg).toMatch(/^failed to charge.*….*funds$/);
  });

  it('without a width the line is whole', () => {
    const l = line();
    expect(l).toContain(MESSAGE);
    expect(l).toContain('op=/hipstershop.PaymentService/Charge');
    expect(l).toContain('error_message=');
  });

  it('a short message with a short id keeps them whole at 80', () => {
    const l = lines(recordLine(rec({ time: T, service: 'checkout', message: 'Creating order ord_1', operation: 'create_order', durationMs: 6, ids: ['req-00254'] }), c, { width: 80 }))[0];
    expect(l).toContain('Creating order ord_1');
    expect(l).toContain('id=req-00254');
    expect(l).not.toContain('…');
  });
});
