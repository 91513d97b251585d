import { describe, expect, it } from 'vitest';
import type { ErrorCluster, ErrorsResult } from '../../../src/analyze/errors.js';
import { makeChalk } from '../../../src/render/output.js';
import { errorsJson, renderErrors } from '../../../src/render/text/errors.js';

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
