import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { slowAnalysis } from '../../../src/analyze/slow.js';
import { renderSlow } from '../../../src/render/text/slow.js';
import { rec, run } from '../analyze/records.js';

const plain = new Chalk({ level: 0 });

describe('slow table', () => {
  it('renders hundreds of thousands of groups (high-cardinality --by) without spreading them into one call', () => {
    const one = run(slowAnalysis({ by: ['id'] }), [rec({ raw: { id: 'r0' }, durationMs: 5 })]);
    const groups = Array.from({ length: 300_000 }, (_, i) => ({ ...one.groups[0], key: { id: `r${i}` } }));
    groups[0] = { ...groups[0], exact: false, relative_error: 0.01 };
    const res = { ...one, groups };
    const out = renderSlow(res, res.groups, plain, { top: 3 });
    expect(out).toContain('299997 more groups');
    expect(out).toContain('≈ within 1% of the exact percentile');
  });
});
