import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../../src/render/output.js';
import { renderEmergency } from '../../../src/render/text/emergency.js';
import { displayWidth, plain } from '../../../src/render/text/layout.js';

const PREFIX = 'TraceID: <*> SpanID: <*> Component: grpc-client-interceptor-chain Operation: /hipstershop.CheckoutService/PlaceOrder ';
const ENDS = ['rpc error: code = Unavailable desc = connection refused', 'rpc error: code = DeadlineExceeded desc = deadline exceeded', 'failed to charge card: payment declined by processor'];

function tail(first: string | null, last: string | null, time: string | null = first) {
  return {
    judged: true,
    inputs: [{ source: 'a.log' }, { source: 'b.log' }],
    summary: {
      records: 3709,
      levels: {},
      time_range: { first, last },
      collected: { errors: 404, performance_violations: 107, circuit_breaker_events: 3 },
      redacted_values: 15,
      redactions: { query_secret: 4, key: 3, private_key: 2, bearer: 1, jwt: 1, aws_access_key: 1, url_password: 1, secret_pair: 1, card: 1 },
      caps: [{ what: 'operations', limit: 1000, records: 12345 }],
      top_error_clusters: ENDS.map((e, i) => ({ template: PREFIX + e, count: 100 - i })),
      slowest_operations: [{ operation: '/hipstershop.CheckoutService/PlaceOrder/with/a/very/long/operation/name/that/goes/on', p95_ms: 4760, count: 600 }],
      circuit_breaker_timeline: [{ time, service: 'checkoutservice-hipstershop-production-eu-west-1-canary', event: 'circuit_breaker_opened' }, { time, event: 'circuit_breaker_closed' }],
    },
  };
}

const BUNDLE = '/tmp/some/long/folder/for/emergency-aggregate-20240115-103045.123.json.gz';

describe('emergency, human view at the terminal width', () => {
  for (const width of [80, 100, 200]) {
    it(`no line wider than ${width} columns; the patterns told apart; the bundle path whole`, () => {
      const out = renderEmergency(BUNDLE, tail('2024-01-15T10:00:00.902Z', '2024-01-15T10:29:57.292Z'), makeChalk(true), { width });
      for (const l of out.split('\n')) expect(displayWidth(plain(l)), plain(l)).toBeLessThanOrEqual(width);
      const text = plain(out);
      expect(text).toContain(BUNDLE);
      expect(text).toContain('2024-01-15 10:00:00.902 → 10:29:57.292 UTC');
      const rows = text.split('\n').filter((l) => /^ +\d+ {2}\S/.test(l) && !/\ds /.test(l));
      expect(rows).toHaveLength(3);
      ENDS.forEach((end, i) => expect(rows[i]).toContain(end.split(' ').slice(-1)[0]));
      // Redaction kinds wrap between kinds, none cut.
      expect(text.replace(/\n\s*/g, ' ')).toContain('15 values redacted (query_secret 4, key 3, private_key 2, bearer 1, jwt 1, aws_access_key 1, url_password 1, secret_pair 1, card 1)');
    });
  }

  it('says plainly when the records have no times, or only one end', () => {
    const none = plain(renderEmergency(BUNDLE, tail(null, null), makeChalk(false), { width: 80 }));
    expect(none).not.toContain('?');
    expect(none).toContain('3,709 records from 2 inputs, no times in the records');
    expect(none).toMatch(/^ {2}no time {2}checkoutservice.*circuit_breaker_opened$/m);
    expect(none).toMatch(/^ {2}no time {2}\(no service\) +circuit_breaker_closed$/m);
    const first = plain(renderEmergency(BUNDLE, tail('2024-01-15T10:00:00.902Z', null), makeChalk(false), { width: 100 }));
    expect(first).toContain('from 2024-01-15T10:00:00.902Z (no later time in the records)');
    expect(first).not.toMatch(/\?/);
  });

  it('names warnings among what was collected with --include warn', () => {
    const out = plain(renderEmergency(BUNDLE, tail(null, null), makeChalk(false), { width: 100, includeWarn: true }));
    expect(out).toContain('collected: 404 warn and error records,');
    expect(out).toContain('top warn and error patterns');
  });
});
