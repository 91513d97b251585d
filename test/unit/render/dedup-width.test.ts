import { describe, expect, it } from 'vitest';
import { dedupAnalysis } from '../../../src/analyze/dedup.js';
import { makeChalk } from '../../../src/render/output.js';
import { nothingAudited, renderDedup } from '../../../src/render/text/dedup.js';
import { rec, run } from '../analyze/records.js';
import { lines, widest, WIDTHS } from './width-helpers.js';

const colour = makeChalk(true);
const file = '/var/log/containers/checkoutservice-7d9f8b6c5-abcde_production_checkoutservice-0123456789abcdef.log';

/** Lifecycle events logged twice or three times, with long operations and loggers. */
function duplicated() {
  const records = Array.from({ length: 8 }, (_, i) => {
    const op = `hipstershop.CheckoutService/PlaceOrder/with-a-long-tail/variant-${i}`;
    const raw = { correlation_id: `req-${i}`, operation: op, event_type: 'operation_end', logger: `com.example.checkout.internal.very.long.logger.name.${i}` };
    return Array.from({ length: 2 + (i % 2) }, (_, k) => rec({ raw: { ...raw, attempt: k }, text: JSON.stringify({ ...raw, attempt: k }), file, source: `${file}:${i * 10 + k + 1}`, line: i * 10 + k + 1, operation: op, eventType: 'operation_end' }));
  }).flat();
  return run(dedupAnalysis({}), records);
}

describe('dedup, fitted to the width', () => {
  const res = duplicated();

  for (const width of WIDTHS) {
    it(`at ${width} columns no line is wider; operations told apart, counts whole`, () => {
      const out = renderDedup(res, colour, 15, width);
      expect(widest(out), out).toBeLessThanOrEqual(width);
      const text = lines(out);
      const rows = text.filter((l) => /^\s+[23]× /.test(l));
      expect(rows).toHaveLength(8);
      for (let i = 0; i < 8; i++) expect(rows.filter((l) => new RegExp(`req-${i}\\s.*ariant-${i}\\s`).test(l)), out).toHaveLength(1);
      expect(text.filter((l) => /variant-\d\s+[12] of [23]\s+\d+\.\d\d%/.test(l))).toHaveLength(8);
    });
  }
});

describe('dedup when nothing is audited', () => {
  it('says there were no lifecycle events and to use --events all', () => {
    const res = run(dedupAnalysis({}), [rec({ raw: { a: 1 } }), rec({ raw: { a: 2 }, eventType: 'login' })]);
    const hint = nothingAudited(res)!;
    expect(hint).toBe('nothing audited: no lifecycle events (*_start, *_end, …) among 2 records; audit every record with --events all');
    const out = lines(renderDedup(res, colour, 15, 80));
    expect(out.join(' ').replace(/\s+/g, ' ')).toContain(hint);
    expect(widest(renderDedup(res, colour, 15, 80))).toBeLessThanOrEqual(80);
  });

  it('names the key fields when every audited record lacks one', () => {
    const res = run(dedupAnalysis({ key: ['request_id', 'operation'], events: 'all' }), [rec({ operation: 'x' }), rec({ operation: 'y' })]);
    expect(nothingAudited(res)).toContain('each of the 2 records lacks one of the key fields request_id, operation');
    expect(nothingAudited(res)).toContain('--key');
  });

  it('says nothing when something was audited, or there were no records', () => {
    expect(nothingAudited(duplicated())).toBeUndefined();
    expect(nothingAudited(run(dedupAnalysis({}), []))).toBeUndefined();
  });
});
