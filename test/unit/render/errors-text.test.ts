import { describe, expect, it } from 'vitest';
import type { ErrorCluster, ErrorsResult } from '../../../src/analyze/errors.js';
import { makeChalk } from '../../../src/render/output.js';
import { errorsJson, renderErrors } from '../../../src/render/text/errors.js';
import { displayWidth, plain as stripped } from '../../../src/render/text/layout.js';

const T = Date.parse('2024-01-15T10:00:00Z');

function cluster(p: Partial<ErrorCluster>): ErrorCluster {
  return {
    id: 'abc123abc123', template: 'Tool call <*> failed: connection reset by peer <*>', count: 40, level: 'error', levels: { error: 40 }, slots: [],
    error_types: [], services: [], first_seen: T, last_seen: T, per_minute: [40], samples: [], ids: [], ...p,
  };
}

function result(clusters: ErrorCluster[]): ErrorsResult {
  return { total: clusters.reduce((n, c) => n + c.count, 0), clusters, minutes: [T], bucket_ms: 60_000, cascades: [], circuit_breaker_events: [], cascade_prevented: 0, overflow: 0 };
}

const plain = makeChalk(false);

describe('errors, human view of a pattern', () => {
  it('prints one line per slot with its top values and how many distinct values it had', () => {
    const slots = [
      { position: 0, values: [{ value: 'SearchTool', count: 14 }, { value: 'MailTool', count: 10 }], distinct: 7 },
      { position: 1, values: [{ value: '10.0.0.1:443', count: 40 }], distinct: 1 },
    ];
    const out = renderErrors(result([cluster({ slots })]), plain);
    expect(out).toContain('<*>#1 = SearchTool 14, MailTool 10, … (7 distinct)');
    expect(out).toContain('<*>#2 = 10.0.0.1:443 40 (1 distinct)');
    const one = renderErrors(result([cluster({ template: 'Tool call <*> failed', slots: [slots[0]] })]), plain);
    expect(one).toContain('   <*> = SearchTool 14, MailTool 10, … (7 distinct)');
  });

  it('leaves out slots whose values are all different (ids, timings)', () => {
    const slots = [{ position: 0, values: [{ value: 'ch_1', count: 1 }, { value: 'ch_2', count: 1 }], distinct: 40 }];
    expect(renderErrors(result([cluster({ template: 'charge <*> failed', slots })]), plain)).not.toContain('<*> =');
  });

  it('shows the count of each level when a pattern mixes them', () => {
    const out = renderErrors(result([cluster({ level: 'fatal', levels: { fatal: 3030, error: 8181 }, count: 11211 })]), plain);
    expect(out).toContain('FATAL 3,030 · ERROR 8,181');
  });

  it('prints a sample with its error type, error message and frame', () => {
    const samples = [{ source: 'a.log:7', message: 'charge failed', error_type: 'TimeoutError', error_message: 'timeout after 3000ms', stack_frame: 'at charge (/app/bank.js:88:11)' }];
    const out = renderErrors(result([cluster({ template: 'charge failed [error: TimeoutError: timeout after <*>]', samples })]), plain);
    expect(out).toContain('e.g. charge failed  a.log:7');
    expect(out).toContain('TimeoutError: timeout after 3000ms  at charge (/app/bank.js:88:11)');
  });
});

describe('errors --json of a pattern', () => {
  it('carries levels, slots, the error template and the samples’ error attributes', () => {
    const samples = [{ source: 'a.log:7', message: 'm', error_type: 'E' }];
    const slots = [{ position: 0, values: [{ value: 'x', count: 2 }], distinct: 1 }];
    const doc = errorsJson(result([cluster({ error_template: 'E', levels: { fatal: 1, error: 1 }, level: 'fatal', slots, samples })])) as { clusters: Record<string, unknown>[] };
    expect(doc.clusters[0]).toMatchObject({ error_template: 'E', level: 'fatal', levels: { fatal: 1, error: 1 }, slots, samples });
  });
});

/** Patterns told apart only after a long shared start, from services with long names. */
const PREFIX = 'TraceID: <*> SpanID: <*> Component: grpc-client-interceptor-chain Operation: /hipstershop.CheckoutService/PlaceOrder ';
const ENDS = ['rpc error: code = Unavailable desc = connection refused', 'rpc error: code = DeadlineExceeded desc = deadline exceeded', 'failed to charge card: payment declined by processor'];
const LONG_SERVICES = ['checkoutservice-hipstershop-production-eu-west-1-canary', 'recommendationservice-hipstershop-production-eu-west-1', 'frontend-proxy-envoy-sidecar-production'];

function longResult(): ErrorsResult {
  const clusters = ENDS.map((end, i) =>
    cluster({
      id: `${i}bc123abc12${i}`,
      template: PREFIX + end,
      services: LONG_SERVICES,
      levels: { error: 30, warn: 10 },
      slots: [{ position: 0, values: [{ value: 'a'.repeat(30) + i, count: 14 }, { value: 'b'.repeat(30), count: 10 }, { value: 'c'.repeat(30), count: 9 }, { value: 'd', count: 3 }], distinct: 7 }],
      samples: [{ source: '/var/log/containers/checkoutservice-hipstershop-production/app.log:1234', message: PREFIX.replace(/<\*>/g, 'f00dfeed' + i) + end, error_type: 'RpcError', error_message: 'x'.repeat(150), stack_frame: 'at Client.call (/app/node_modules/@grpc/grpc-js/build/src/client.js:360:15)' }],
      error_types: ['RpcError', 'UnavailableError', 'DeadlineError'],
      ids: ['req-' + 'f'.repeat(20)],
      per_minute: Array.from({ length: 60 }, (_, j) => j % 7),
    }),
  );
  return {
    ...result(clusters),
    cascades: [{ from: clusters[0].id, to: clusters[1].id, shared_requests: 12, share: 0.5, median_delay_ms: 20, example: 'req-' + 'e'.repeat(40), of_requests: 24 } as unknown as ErrorsResult['cascades'][number]],
    circuit_breaker_events: [{ time: T, service: LONG_SERVICES[0], event: 'circuit_breaker_opened', source: '/var/log/containers/a/very/deep/path/to/breaker-events.json:2' } as ErrorsResult['circuit_breaker_events'][number]],
    gone: [{ id: 'gone12345678', template: PREFIX + 'old failure nobody sees any more', count: 3 } as NonNullable<ErrorsResult['gone']>[number]],
  };
}

const widest = (text: string) => Math.max(...text.split('\n').map((l) => displayWidth(stripped(l))));

describe('errors, human view at the terminal width', () => {
  for (const width of [80, 100, 200]) {
    it(`no line wider than ${width} columns, the patterns still told apart`, () => {
      const out = renderErrors(longResult(), makeChalk(true), { width });
      expect(widest(out)).toBeLessThanOrEqual(width);
      const lines = stripped(out).split('\n');
      const templates = lines.filter((l) => /^ {3}\S/.test(l) && !/^ {3}(e\.g\.|<\*>|types:|next:|[▁▂▃▄▅▆▇█])/.test(l));
      expect(templates).toHaveLength(3);
      expect(new Set(templates).size).toBe(3);
      // The differing part shows: each template's own ending words.
      ENDS.forEach((end, i) => expect(templates[i]).toContain(end.split(' ').slice(-2).join(' ')));
      // The services give way, the header's counts and times stay.
      for (const h of lines.filter((l) => /^#\d/.test(l))) expect(h).toMatch(/^#\d \S+ 40× ERROR 30 · WARN 10 .*10:00:00–10:00:00$/);
      // Samples keep the message start and the source's end (file and line).
      for (const s of lines.filter((l) => l.startsWith('   e.g. '))) {
        expect(s).toMatch(/^ {3}e\.g\. TraceID: f00dfeed/);
        expect(s).toMatch(/app\.log:1234$/);
      }
      // Slot lines fit by showing fewer values, never none.
      for (const s of lines.filter((l) => l.startsWith('   <*>'))) expect(s).toMatch(/^ {3}<\*>#1 = a+\d 14(, .*)? \(7 distinct\)$/);
    });
  }

  it('says the shared start once, above the patterns, when it was skipped; <*> stays magenta', () => {
    const out = renderErrors(longResult(), makeChalk(true), { width: 80 });
    const lines = stripped(out).split('\n');
    expect(lines.filter((l) => l.startsWith('… = TraceID: <*> SpanID: <*>'))).toHaveLength(1);
    expect(lines.filter((l) => /^ {3}…/.test(l))).toHaveLength(3);
    expect(out).toContain(makeChalk(true).magenta('<*>'));
    // No colour code is cut in half: every line ends with its colours closed.
    for (const l of out.split('\n')) expect(l).not.toMatch(/\x1b\[[0-9;]*$/);
  });

  it('shows more at 200 columns than at 80', () => {
    const at = (width: number) => stripped(renderErrors(longResult(), plain, { width }));
    expect(at(200).length).toBeGreaterThan(at(80).length + 500);
    expect(at(200)).toContain(PREFIX + ENDS[0]);
    expect(at(200)).toContain(LONG_SERVICES[0]);
    expect(at(80)).not.toContain(PREFIX + ENDS[0]);
    // Slot lines hold as many values as fit: fewer at 80.
    expect(at(80)).toContain('<*>#1 = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0 14, … (7 distinct)');
    expect(at(200)).toContain(', d 3, … (7 distinct)');
  });

  it('says a pattern of untimed records has no times, rather than ?–?', () => {
    const out = renderErrors(result([cluster({ first_seen: undefined, last_seen: undefined })]), plain, { width: 80 });
    expect(out).toMatch(/^#1 .* no times$/m);
    expect(out).not.toContain('?');
  });

  it('words the summary by the level clustered, and the empty case too', () => {
    const one = result([cluster({ count: 1, levels: { warn: 1 }, level: 'warn' })]);
    expect(renderErrors(one, plain, { level: 'warn' })).toMatch(/^1 warn and error record in 1 pattern /);
    expect(renderErrors(result([cluster({})]), plain, { level: 'fatal' })).toMatch(/^40 fatal records in 1 pattern /);
    expect(renderErrors(result([cluster({})]), plain, { level: 'info' })).toMatch(/^40 records at info or above in 1 pattern /);
    expect(renderErrors(result([cluster({})]), plain)).toMatch(/^40 error records in 1 pattern /);
    expect(renderErrors(result([]), plain, { level: 'warn' })).toBe('no warn or error records\n');
    expect(renderErrors(result([]), plain)).toBe('no error records\n');
  });
});
