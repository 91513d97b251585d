import { describe, expect, it } from 'vitest';
import type { Change, WhyResult } from '../../../src/analyze/why-result.js';
import { makeChalk } from '../../../src/render/output.js';
import { displayWidth, plain } from '../../../src/render/text/layout.js';
import { renderWhy } from '../../../src/render/text/why.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const PREFIX = 'TraceID: <*> SpanID: <*> Component: grpc-client-interceptor-chain Operation: /hipstershop.CheckoutService/PlaceOrder ';
const ENDS = ['rpc error: code = Unavailable desc = connection refused', 'rpc error: code = DeadlineExceeded desc = deadline exceeded', 'failed to charge card: payment declined by processor'];
const SERVICE = 'checkoutservice-hipstershop-production-eu-west-1-canary';

function change(p: Partial<Change>): Change {
  return { kind: 'new_pattern', onset: T + 60_000, before: 0, during: 40, lift: null, p_value: 0.001, evidence: 'not seen before; 74 records in the window (6.8/min), first at 2024-01-15T10:01:00.000Z', ...p };
}

function incident(): WhyResult {
  const patterns = ENDS.map((end, i) => change({ pattern_id: `p${i}bc123abc12`, template: PREFIX + end, service: SERVICE, onset: T + (i + 1) * 60_000 }));
  const slower = change({ kind: 'latency', service: SERVICE, operation: '/hipstershop.CheckoutService/PlaceOrder/with/a/very/long/operation/name', evidence: 'p95 2.36s → 8.16s (×3.5); 48 of 218 calls slower than the baseline p95, against 10 of 202 before' });
  const field = change({ kind: 'field', field: 'k8s.pod.name', value: 'checkoutservice-7d9f8b-xk2p9', evidence: 'k8s.pod.name=checkoutservice-7d9f8b-xk2p9: 0 → 131 warn/error records (31% of the window\'s)', also: [{ field: 'k8s.node.name', value: 'gke-prod-pool-1-abcdef' }, { field: 'k8s.namespace', value: 'production' }, { field: 'region', value: 'eu-west-1' }] });
  return {
    verdict: 'incident',
    reason: 'an incident',
    window: { start: T + 60_000, end: T + 600_000, detected_by: ['warn_and_above_rate', 'error_rate', ...patterns.map((p) => `pattern:${p.pattern_id}`), `latency:${SERVICE}/PlaceOrder`] },
    baseline: { start: T, end: T + 60_000 },
    trigger: patterns[0],
    changes: [slower, ...patterns, field],
    links: [{ from: patterns[0].pattern_id!, to: patterns[1].pattern_id!, shared_requests: 35, share: 1, of_requests: 35, median_delay_ms: 1, example: 'req-1', later_cause: true } as unknown as WhyResult['links'][number]],
    trace_id: 'req-' + 'a'.repeat(30),
    bin_ms: 60_000,
    resolution_ms: 1000,
    records: 1000,
    untimed: 0,
    problems: 300,
    problem_rate_per_min: 30,
    span: { start: T, end: T + 900_000 },
    markers: [{ time: T + 30_000, service: SERVICE, message: 'Deployed version 2024.01.15-build-4711 of checkoutservice with feature flags new-payment-flow,async-confirmations' }],
    breaker_events: [{ time: T + 120_000, service: SERVICE, event: 'circuit_breaker_opened' }, { time: undefined, service: undefined, event: 'circuit_breaker_opened' }],
    patterns: [],
    time_outliers: undefined,
    durations_left_out: 0,
  };
}

const INPUTS = ['/var/log/containers/checkoutservice-production-eu-west-1/app.log', 'logs/other service.log'];

describe('why, human view at the terminal width', () => {
  for (const width of [80, 100, 200]) {
    it(`no line wider than ${width} columns; the changed patterns still told apart`, () => {
      const out = renderWhy(incident(), makeChalk(true), INPUTS, { width });
      for (const l of out.split('\n')) expect(displayWidth(plain(l)), plain(l)).toBeLessThanOrEqual(width);
      const text = plain(out);
      const news = text.split('\n').filter((l) => /^ {2}\d\d:\d\d:\d\d {2}new /.test(l));
      expect(news).toHaveLength(3);
      ENDS.forEach((end, i) => expect(news[i]).toContain(end.split(' ').slice(-1)[0]));
      // Every change keeps its pattern id; the commands to run next stay whole (broken between words).
      for (let i = 0; i < 3; i++) expect(text).toContain(`[p${i}bc123abc12]`);
      const next = text.slice(text.indexOf('Next: ')).replace(/ \\\n\s+/g, ' ');
      expect(next).toContain(`logtool trace req-${'a'.repeat(30)} ${INPUTS[0]} 'logs/other service.log'`);
      expect(next).toContain('--since 2024-01-15T10:01:00.000Z');
      expect(text).toMatch(/^ {2}no time {2,}\(no service\) +circuit_breaker_opened$/m);
    });
  }

  it('shows more at 200 columns than at 80', () => {
    const at = (width: number) => plain(renderWhy(incident(), makeChalk(false), INPUTS, { width }));
    // The start the patterns share is said once; at 200 columns what follows it is whole.
    expect(at(200)).toMatch(/^… = TraceID: <\*> SpanID: <\*> Component: grpc-client-interceptor-chain Operation: \/hipstershop\.CheckoutService\/PlaceOrder {2}\(/m);
    for (const end of ENDS) expect(at(200)).toContain(`…${end}\n`);
    expect(at(80)).not.toContain(`…${ENDS[1]}\n`);
    expect(at(80).length).toBeLessThan(at(200).length);
    expect(at(200)).toContain('(same records: k8s.node.name=gke-prod-pool-1-abcdef');
  });

  it('wraps a long verdict instead of cutting it', () => {
    const reason = 'insufficient data: none of the 12,345 records has a time, so no rate over time could be measured and no window found';
    const out = plain(renderWhy({ ...incident(), verdict: 'insufficient_data', reason, window: undefined }, makeChalk(false), [], { width: 80 }));
    expect(out.replace(/\n\s*/g, ' ').trim()).toBe(reason);
  });
});
