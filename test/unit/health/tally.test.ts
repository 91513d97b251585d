import { describe, expect, it } from 'vitest';
import { countWindow, LevelWatch, sumTallies, tallyingFilter, tallyOf, windowTally } from '../../../src/health/tally.js';
import type { LogRecord } from '../../../src/types.js';

describe('window tally', () => {
  it('is undefined without bounds', () => {
    expect(windowTally(undefined, undefined)).toBeUndefined();
  });

  it('counts records inside and outside, records without a time as outside, and the span seen', () => {
    const w = windowTally(100, 200)!;
    for (const time of [50, 100, 150, 200, 250, undefined]) countWindow(w, { time });
    expect(w).toEqual({ since: 100, until: 200, inside: 3, outside: 3, without_time: 1, first: 50, last: 250 });
  });

  it('counts every record, and leaves the decision to the filter it wraps', () => {
    const w = windowTally(100, undefined);
    const f = tallyingFilter(w, (r) => r.level === 'error')!;
    const rec = (time: number, level: LogRecord['level']) => ({ time, level }) as LogRecord;
    expect([f(rec(50, 'error')), f(rec(150, 'info')), f(rec(150, 'error'))]).toEqual([true, false, true]);
    expect(w).toMatchObject({ inside: 2, outside: 1 });
    expect(tallyingFilter(undefined, undefined)).toBeUndefined();
  });
});

describe('input tally', () => {
  it('leaves out lines a prefilter skipped unread, and adds inputs up', () => {
    const a = tallyOf({ lines: 10, records: 4, unparsed_lines: 1, continuation_lines: 1, unknown_levels: 2, skipped_lines: 4, layouts: { json: 4 } });
    expect(a).toEqual({ lines: 6, records: 4, unparsed_lines: 1, continuation_lines: 1, unknown_levels: 2, skipped_lines: 4, layouts: { json: 4 } });
    const sum = sumTallies([a, { ...a, layouts: { logfmt: 2 } }]);
    expect(sum).toMatchObject({ lines: 12, records: 8, unknown_levels: 4, layouts: { json: 4, logfmt: 2 } });
  });
});

describe('level watch', () => {
  it('speaks once, after the first records, when most have no level', () => {
    const w = new LevelWatch(4);
    const said = ['unknown', 'unknown', 'info', 'unknown', 'unknown', 'unknown'].map((level) => w.see({ level: level as LogRecord['level'] }));
    expect(said).toEqual([false, false, false, true, false, false]);
  });

  it('stays quiet when most records have a level', () => {
    const w = new LevelWatch(4);
    const said = ['info', 'unknown', 'info', 'unknown', 'unknown'].map((level) => w.see({ level: level as LogRecord['level'] }));
    expect(said).toEqual([false, false, false, false, false]);
  });
});
