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
      const out = renderDedup(res, colour, { width });
      expect(widest(out), out).toBeLessThanOrEqual(width);
      const text = lines(out);
      const rows = text.filter((l) => /^\s+[23]× /.test(l));
      expect(rows).toHaveLength(8);
      for (let i = 0; i < 8; i++) expect(rows.filter((l) => new RegExp(`req-${i}\\s.*ariant-${i}\\s`).test(l)), out).toHaveLength(1);
      expect(text.filter((l) => /variant-\d\s+[12] of [23]\s+\d+\.\d\d%/.test(l))).toHaveLength(8);
    });
  }
});

/** Groups keyed by long correlation ids and long operations, each copy in its own long-named file. */
function longIds(name = file.split('/').pop()) {
  const records = Array.from({ length: 4 }, (_, i) => {
    const op = `hipstershop.CheckoutService/PlaceOrder/with-a-long-tail/variant-${i}`;
    const raw = { correlation_id: `corr-abcdef12-3456-7890-abcd-ef56-${i}`, operation: op, event_type: 'operation_end' };
    return [0, 1].map((k) => {
      const f = `/var/log/pods/checkout-${k}/${name}`;
      return rec({ raw, text: JSON.stringify({ ...raw, k }), file: f, source: `${f}:${i + 1}`, line: i + 1, operation: op, eventType: 'operation_end' });
    });
  }).flat();
  return run(dedupAnalysis({}), records);
}

describe('dedup keeps ids and sources when narrow', () => {
  it('at 80 columns the ids stay whole and each group says where its copies are, on a line under it', () => {
    const res = longIds();
    const out = renderDedup(res, colour, { width: 80 });
    expect(widest(out), out).toBeLessThanOrEqual(80);
    const text = lines(out);
    for (let i = 0; i < 4; i++) {
      const row = text.findIndex((l) => l.includes(`corr-abcdef12-3456-7890-abcd-ef56-${i}`));
      expect(row, out).toBeGreaterThan(0);
      // The line under the row names both copies' places (the files differ only in their directories).
      expect(text[row + 1]).toMatch(/^\s+\S/);
      expect(text[row + 1]).toContain(`:${i + 1}`);
      expect(text[row + 1]).not.toMatch(/×/);
    }
  });

  it('at 200 columns sources that fit stay in their column, whole', () => {
    const res = longIds('app.log');
    const out = renderDedup(res, colour, { width: 200 });
    expect(widest(out)).toBeLessThanOrEqual(200);
    expect(lines(out).find((l) => l.includes('copies'))).toMatch(/where$/);
    expect(lines(out).filter((l) => /\/var\/log\/pods\/checkout-0\/.*:\d .*checkout-1/.test(l))).toHaveLength(4);
  });

  it('names the places of the copies with file names only when the paths are too long, if that tells them apart', () => {
    const out = renderDedup(duplicated(), colour, { width: 80 });
    const text = lines(out);
    const under = text.filter((l, k) => k > 0 && /^\s+[23]× /.test(text[k - 1]));
    expect(under).toHaveLength(8);
    for (const l of under) expect(l).toMatch(/^\s+checkoutservice-7d9f8b6c5.*:\d+,\d+/);
  });
});

describe('dedup when nothing is audited', () => {
  it('says there were no lifecycle events and to use --events all', () => {
    const res = run(dedupAnalysis({}), [rec({ raw: { a: 1 } }), rec({ raw: { a: 2 }, eventType: 'login' })]);
    const hint = nothingAudited(res)!;
    expect(hint).toBe('nothing audited: no lifecycle events (*_start, *_end, …) among 2 records; audit every record with --events all');
    const out = lines(renderDedup(res, colour, { width: 80 }));
    expect(out.join(' ').replace(/\s+/g, ' ')).toContain(hint);
    expect(widest(renderDedup(res, colour, { width: 80 }))).toBeLessThanOrEqual(80);
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
