import { describe, expect, it } from 'vitest';
import { assess, UNKNOWN_LEVEL_RATE_LIMIT, UNPARSED_RATE_LIMIT, unknownLevelRate, unparsedRate } from '../../../src/health/assess.js';
import type { InputTally } from '../../../src/health/tally.js';

function t(over: Partial<InputTally>): InputTally {
  return { lines: 0, records: 0, unparsed_lines: 0, continuation_lines: 0, unknown_levels: 0, skipped_lines: 0, layouts: {}, ...over };
}

describe('assess', () => {
  it('finds nothing wrong with readable input that has levels', () => {
    const a = assess([{ source: 'app.log', tally: t({ lines: 100, records: 98, unparsed_lines: 2, unknown_levels: 3, layouts: { json: 98 } }) }]);
    expect(a.findings).toEqual([]);
    expect(a.judged).toBe(true);
  });

  it('says when more than half the lines are unparsed, with the figures and the layout of the rest', () => {
    const a = assess([{ source: 'notes.txt', tally: t({ lines: 10, records: 4, unparsed_lines: 6, layouts: { logfmt: 4 } }) }]);
    expect(a.findings).toEqual([
      { code: 'mostly_unparsed', file: 'notes.txt', figures: { lines: 10, unparsed_lines: 6, records: 4, unparsed_rate: 0.6 }, layout: 'logfmt', layouts: 'logfmt' },
    ]);
  });

  it('keeps exactly half unparsed lines below the limit', () => {
    expect(UNPARSED_RATE_LIMIT).toBe(0.5);
    const a = assess([{ source: 'a', tally: t({ lines: 10, records: 5, unparsed_lines: 5 }) }]);
    expect(a.findings).toEqual([]);
  });

  it('says when more than half the records have no level, and then cannot judge if none has one', () => {
    expect(UNKNOWN_LEVEL_RATE_LIMIT).toBe(0.5);
    const some = assess([{ source: 'a.jsonl', tally: t({ lines: 10, records: 10, unknown_levels: 6, layouts: { json: 10 } }) }]);
    expect(some.findings.map((f) => f.code)).toEqual(['mostly_unknown_levels']);
    expect(some.findings[0].figures).toEqual({ records: 10, unknown_levels: 6, unknown_level_rate: 0.6 });
    expect(some.judged).toBe(true);
    const none = assess([{ source: 'a.jsonl', tally: t({ lines: 10, records: 10, unknown_levels: 10 }) }]);
    expect(none.judged).toBe(false);
  });

  it('judges each input on its own, and the run on all of them', () => {
    const a = assess([
      { source: 'good.jsonl', tally: t({ lines: 10, records: 10, layouts: { json: 10 } }) },
      { source: 'prose.txt', tally: t({ lines: 4, unparsed_lines: 4 }) },
    ]);
    expect(a.findings.map((f) => [f.code, f.file])).toEqual([['mostly_unparsed', 'prose.txt']]);
    expect(a.judged).toBe(true);
    expect(a.total.lines).toBe(14);
  });

  it('says no records for empty input, but not twice for unreadable input', () => {
    const empty = assess([{ source: 'empty.log', tally: t({}) }]);
    expect(empty.findings).toEqual([{ code: 'no_records', figures: { inputs: 1, lines: 0, records: 0 } }]);
    expect(empty.judged).toBe(false);
    const prose = assess([{ source: 'prose.txt', tally: t({ lines: 3, unparsed_lines: 3 }) }]);
    expect(prose.findings.map((f) => f.code)).toEqual(['mostly_unparsed']);
    expect(prose.judged).toBe(false);
  });

  it('leaves lines a prefilter skipped to the command (an id found nowhere is its own answer)', () => {
    const a = assess([{ source: 'big.jsonl', tally: t({ lines: 0, skipped_lines: 1000 }) }]);
    expect(a.findings).toEqual([]);
  });

  it('says when every record falls outside the window, with the span they cover', () => {
    const w = { since: Date.UTC(2025, 0, 1), inside: 0, outside: 3, without_time: 1, first: Date.UTC(2024, 2, 1), last: Date.UTC(2024, 2, 2) };
    const a = assess([{ source: 'a', tally: t({ lines: 3, records: 3 }) }], w);
    expect(a.findings).toEqual([
      { code: 'outside_window', figures: { records: 3, without_time: 1, since: Date.UTC(2025, 0, 1), until: null, first: Date.UTC(2024, 2, 1), last: Date.UTC(2024, 2, 2) } },
    ]);
    const some = assess([{ source: 'a', tally: t({ lines: 3, records: 3 }) }], { ...w, inside: 1, outside: 2 });
    expect(some.findings).toEqual([]);
  });

  it('gives rates, or null when there is nothing to divide', () => {
    expect(unknownLevelRate(t({ records: 4, unknown_levels: 1 }))).toBe(0.25);
    expect(unknownLevelRate(t({}))).toBeNull();
    expect(unparsedRate(t({ lines: 4, unparsed_lines: 2 }))).toBe(0.5);
    expect(unparsedRate(t({}))).toBeNull();
  });
});
