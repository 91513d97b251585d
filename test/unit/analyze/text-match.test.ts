import { describe, expect, it } from 'vitest';
import { textMatcher, textMatches } from '../../../src/analyze/lib/text-match.js';
import { traceAnalysis } from '../../../src/analyze/trace.js';
import { rec, run } from './records.js';

describe('textMatches: an id as a whole token in text', () => {
  it('finds an id between non-id characters', () => {
    expect(textMatches('payment failed TraceID: 9f3c0a11b2e4 after 3 tries', '9f3c0a11b2e4')).toBe(true);
    expect(textMatches('upstream slow [req=abc] retrying', 'abc')).toBe(true);
    expect(textMatches('level=info traceID=req-7f3a msg="ok"', 'req-7f3a')).toBe(true);
    expect(textMatches('req-7f3a', 'req-7f3a')).toBe(true);
    expect(textMatches('"id":"req-7f3a"}', 'req-7f3a')).toBe(true);
    expect(textMatches('ids: abc,def', 'abc')).toBe(true);
  });

  it('does not find an id inside a longer token ([A-Za-z0-9_-] on either side)', () => {
    expect(textMatches('traceID=req-7f3a1', 'req-7f3a')).toBe(false);
    expect(textMatches('xreq-7f3a', 'req-7f3a')).toBe(false);
    expect(textMatches('abc_2 abc-2 _abc -abc abcd', 'abc')).toBe(false);
  });

  it('looks past a first occurrence inside a longer token', () => {
    expect(textMatches('abcd then abc.', 'abc')).toBe(true);
    expect(textMatches('9F3C0A11B2E4F then 9F3C0A11B2E4', '9f3c0a11b2e4')).toBe(true);
  });

  it('matches hexadecimal ids in any case, other ids exactly', () => {
    expect(textMatches('TraceID: 9F3C0A11B2E4', '9f3c0a11b2e4')).toBe(true);
    expect(textMatches('uuid=CCE79D15-FFC2-487C-A4E4-E940BDAAC31E', 'cce79d15-ffc2-487c-a4e4-e940bdaac31e')).toBe(true);
    expect(textMatches('[req=REQ-abc]', 'req-abc')).toBe(false);
    expect(textMatcher('req-abc')('[req=req-abc]')).toBe(true);
  });

  it('never matches an empty id', () => {
    expect(textMatches('anything', '')).toBe(false);
  });
});

describe('trace: ids in text', () => {
  it('finds records holding the id only in their line or message and marks them', () => {
    const res = run(traceAnalysis({ ids: ['req-9'] }), [
      rec({ ids: ['req-9'], time: 1000, message: 'start' }),
      rec({ time: 2000, message: 'upstream slow [req=req-9]', text: '{"msg":"upstream slow [req=req-9]"}' }),
      rec({ time: 3000, message: 'other', text: 'level=info msg=other traceID=req-9' }),
      rec({ time: 4000, message: 'not this one [req=req-90]' }),
    ]);
    expect(res.entries.map((e) => e.matched)).toEqual(['field', 'text', 'text']);
    expect(res.summary.text_matches).toBe(2);
    expect(res.summary.records).toBe(3);
    expect(res.missing).toEqual([]);
  });

  it('an id field match wins over a text match; an id found only in text is not missing', () => {
    const res = run(traceAnalysis({ ids: ['a-1', 'b-2'] }), [rec({ ids: ['a-1'], message: 'calls b-2' })]);
    expect(res.entries.map((e) => e.matched)).toEqual(['field']);
    expect(res.missing).toEqual([]);
    expect(res.summary.text_matches).toBe(0);
  });
});
