import { describe, expect, it } from 'vitest';
import { parseDurationArg, parseDurationValue } from '../../../src/normalize/duration.js';
import { parseLevel } from '../../../src/normalize/level.js';
import { compileKey, KeyIndex, lookup } from '../../../src/normalize/lookup.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { parseFieldOverride } from '../../../src/normalize/overrides.js';
import { formatTime, parseTime, secondsAndNanos } from '../../../src/normalize/time.js';
import { zoneShift } from '../../../src/normalize/zone.js';

const U = (s: string) => Date.parse(s);

describe('time', () => {
  it.each([
    ['2024-01-15T10:30:45Z', U('2024-01-15T10:30:45Z')],
    ['2024-01-15T10:30:45.123+09:00', U('2024-01-15T01:30:45.123Z')],
    ['2024-01-15T10:30:45.123+0900', U('2024-01-15T01:30:45.123Z')],
    ['2024-01-15T10:30:45-05', U('2024-01-15T15:30:45Z')],
    ['2024-01-15 10:30:45,123', U('2024-01-15T10:30:45.123Z')],
    ['2024-01-15 10:30:45', U('2024-01-15T10:30:45Z')],
    ['2024-01-15', U('2024-01-15T00:00:00Z')],
    ['15/Jan/2024:10:30:45 +0100', U('2024-01-15T09:30:45Z')],
    ['Mon, 15 Jan 2024 10:30:45 GMT', U('2024-01-15T10:30:45Z')],
    [1705314645, 1705314645000],
    [1705314645.5, 1705314645500],
    [1705314645123, 1705314645123],
    [1705314645123456, 1705314645123.456],
    ['1705314645123456789', 1705314645123.4568],
  ])('parses %s', (input, want) => {
    expect(parseTime(input)).toBeCloseTo(want as number, 2);
  });

  it('rejects what is not a time', () => {
    expect(parseTime('yesterday')).toBeUndefined();
    expect(parseTime({})).toBeUndefined();
    expect(parseTime('')).toBeUndefined();
  });

  it('rejects epoch numbers beyond what a date can hold (±8.64e15 ms), in every unit', () => {
    expect(parseTime(1e300)).toBeUndefined();
    expect(parseTime('9'.repeat(30))).toBeUndefined();
    expect(secondsAndNanos(1e13, 0)).toBeUndefined();
    // The largest nanosecond epoch that still is a date.
    expect(parseTime(8.64e21)).toBe(8.64e15);
  });

  it('reads naive times in --tz, with daylight saving, and leaves zoned times alone', () => {
    const berlin = zoneShift('Europe/Berlin');
    expect(parseTime('2024-01-15 10:00:00', berlin)).toBe(U('2024-01-15T09:00:00Z'));
    expect(parseTime('2024-07-15 10:00:00', berlin)).toBe(U('2024-07-15T08:00:00Z'));
    expect(parseTime('2024-07-15T10:00:00Z', berlin)).toBe(U('2024-07-15T10:00:00Z'));
    expect(parseTime('2024-07-15 10:00:00', zoneShift('+05:30'))).toBe(U('2024-07-15T04:30:00Z'));
    expect(() => zoneShift('Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('formats ISO UTC with milliseconds', () => {
    expect(formatTime(U('2024-01-15T10:30:45.1Z'))).toBe('2024-01-15T10:30:45.100Z');
  });
});

describe('level', () => {
  it.each([
    ['WARNING', 'warn'], ['Err', 'error'], ['CRITICAL', 'fatal'], ['EMERG', 'fatal'], ['notice', 'info'], ['INFORMATION', 'info'],
    ['VERBOSE', 'trace'], ['VRB', 'trace'], ['DBG', 'debug'], ['INF', 'info'], ['WRN', 'warn'], ['ERR', 'error'], ['FTL', 'fatal'],
    ['[error]', 'error'], [10, 'trace'], [20, 'debug'], [30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal'], ['50', 'error'],
    ['bogus', 'unknown'], [true, 'unknown'],
  ])('%s → %s', (v, want) => expect(parseLevel(v)).toBe(want));

  it('reads OpenTelemetry severity numbers and syslog priorities', () => {
    expect([1, 5, 9, 13, 17, 21, 24].map((n) => parseLevel(n, 'otel'))).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'fatal']);
    expect([0, 2, 3, 4, 5, 6, 7].map((n) => parseLevel(n, 'syslog'))).toEqual(['fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug']);
  });
});

describe('duration', () => {
  it('converts units to milliseconds', () => {
    expect(parseDurationValue(2.5, 's')).toBe(2500);
    expect(parseDurationValue(1_500_000_000, 'ns')).toBe(1500);
    expect(parseDurationValue(250, 'us')).toBe(0.25);
    expect(parseDurationValue('1.5s', 'ms')).toBe(1500);
    expect(parseDurationValue('250ms', 's')).toBe(250);
    expect(parseDurationValue('3m', 'ms')).toBe(180_000);
    expect(parseDurationValue('120us', 'ms')).toBeCloseTo(0.12);
    expect(parseDurationValue('120µs', 'ms')).toBeCloseTo(0.12);
    expect(parseDurationValue('1h2m', 'ms')).toBe(3_720_000);
    expect(parseDurationValue('45', 's')).toBe(45_000);
    expect(parseDurationValue('00:00:01.5', 'ms')).toBe(1500);
    expect(parseDurationValue(-1, 'ms')).toBeUndefined();
    expect(parseDurationValue('soon', 'ms')).toBeUndefined();
    expect(parseDurationArg('2s')).toBe(2000);
    expect(parseDurationArg('500')).toBe(500);
  });

  it('takes the unit from the alias name, and bare duration from --duration-unit', () => {
    const n = createNormalizer();
    expect(n.fields({ duration_seconds: 1.2, msg: 'done' }).durationMs).toBe(1200);
    expect(n.fields({ duration_us: 1500, msg: 'done' }).durationMs).toBe(1.5);
    expect(n.fields({ took: 7, msg: 'done' }).durationMs).toBe(7);
    expect(n.fields({ duration: 7, msg: 'done' }).durationMs).toBe(7);
    expect(createNormalizer({ durationUnit: 's' }).fields({ duration: 7, msg: 'done' }).durationMs).toBe(7000);
    expect(createNormalizer({ durationUnit: 's' }).fields({ duration_ms: 7, msg: 'done' }).durationMs).toBe(7);
  });
});

describe('field lookup', () => {
  const get = (o: object, k: string) => lookup(new KeyIndex(o as Record<string, unknown>), compileKey(k));

  it('matches keys in any case, nested paths and literal dotted keys', () => {
    expect(get({ TraceId: 'a' }, 'traceId')).toBe('a');
    expect(get({ error: { type: 'X' } }, 'error.type')).toBe('X');
    expect(get({ 'error.type': 'Y' }, 'error.type')).toBe('Y');
    expect(get({ Error: { Type: 'Z' } }, 'error.type')).toBe('Z');
    expect(get({ http: { 'request.method': 'GET' } }, 'http.request.method')).toBe('GET');
    expect(get({ 'http.request': { method: 'PUT' } }, 'http.request.method')).toBe('PUT');
    expect(get({ error: 'flat' }, 'error.type')).toBeUndefined();
  });

  it('does not take span_id for an id, and finds one id under different names', () => {
    const n = createNormalizer();
    expect(n.fields({ span_id: 's1' }).ids).toEqual([]);
    expect(n.fields({ requestId: 'r', 'x-request-id': 'r', trace: { id: 't' } }).ids).toEqual(['r', 't']);
  });

  it('builds the operation from method and path when there is none', () => {
    const n = createNormalizer();
    expect(n.fields({ method: 'get', url: '/a/b?q=1' }).operation).toBe('GET /a/b');
    expect(n.fields({ operation: 'checkout', method: 'get', url: '/x' }).operation).toBe('checkout');
  });
});

describe('--field overrides', () => {
  it('puts the given key first, with its unit', () => {
    const n = createNormalizer({ overrides: [parseFieldOverride('duration=latency_us:us'), parseFieldOverride('id=txn')] });
    const f = n.fields({ latency_us: 2000, duration_ms: 9, txn: 'T-1', request_id: 'R-1' });
    expect(f.durationMs).toBe(2);
    expect(f.ids).toEqual(['T-1', 'R-1']);
  });

  it('rejects malformed overrides with a clear message', () => {
    expect(() => parseFieldOverride('duration')).toThrow(/expected <field>=<key>/);
    expect(() => parseFieldOverride('colour=x')).toThrow(/unknown field 'colour'/);
    expect(() => parseFieldOverride('duration=x:fortnights')).toThrow(/unknown unit/);
  });
});
