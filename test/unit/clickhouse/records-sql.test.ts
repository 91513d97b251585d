import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { parseWhere } from '../../../src/filter.js';
import { isoFromNanos, rowToRecord } from '../../../src/source/clickhouse/records.js';
import { otelLevel } from '../../../src/normalize/level.js';
import { OTEL_DEFAULTS, parseMap, type Schema } from '../../../src/source/clickhouse/schema.js';
import { wherePredicates } from '../../../src/source/clickhouse/sql.js';

const otel: Schema = { kind: 'otel', table: 'otel_logs', columns: new Map(), map: { ...OTEL_DEFAULTS } };
const logtool: Schema = { kind: 'logtool', table: 'logtool_logs', columns: new Map() };

describe('OpenTelemetry rows as records', () => {
  const normalizer = createNormalizer();
  const row = (over: Record<string, unknown> = {}) => ({
    __ns: '1705314645123456789',
    __level: 'Error',
    __sevnum: 17,
    __body: 'charge failed',
    __service: 'payments',
    __trace: '4bf92f3577b34da6a3ce929d0e0e4736',
    __span: '00f067aa0ba902b7',
    __attrs: { 'http.route': '/charge/{id}', duration_ms: '812.5', request_id: 'req-9', 'error.type': 'Timeout', operation: 'charge' },
    __resource: { 'k8s.pod.name': 'payments-7d9' },
    ...over,
  });

  it('finds operation, duration, error type and ids among LogAttributes; time, level, service and message in the columns', () => {
    const r = rowToRecord(otel, row(), 0, 'ch/db.otel_logs', normalizer);
    expect(r).toMatchObject({ level: 'error', message: 'charge failed', service: 'payments', operation: 'charge', durationMs: 812.5, errorType: 'Timeout' });
    expect(r.time).toBeCloseTo(1705314645123.4568, 3);
    expect(r.ids).toContain('req-9');
    expect(r.ids).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(r.source).toBe('ch/db.otel_logs@2024-01-15T10:30:45.123456789Z');
    expect(r.raw.ResourceAttributes).toEqual({ 'k8s.pod.name': 'payments-7d9' });
  });

  it('a column wins over an attribute of the same name; a zero Timestamp is no time; SeverityNumber when there is no text', () => {
    const r = rowToRecord(otel, row({ __ns: '0', __level: '', __sevnum: 13, __attrs: { body: 'attribute body', Body: 'shadowed' } }), 3, 't', normalizer);
    expect(r.time).toBeUndefined();
    expect(r.level).toBe('warn');
    expect(r.message).toBe('charge failed');
    expect(r.source).toBe('t:4');
  });

  it('rows that ship wrote carry their source file and line, and their continuation lines', () => {
    const r = rowToRecord(otel, row({ __attrs: { 'logtool.source': 'logs/app.log:42', 'logtool.continuation': 'Traceback\n  at x' } }), 0, 't', normalizer);
    expect(r).toMatchObject({ source: 'logs/app.log:42', file: 'logs/app.log', line: 42, continuation: ['Traceback', '  at x'], stack: 'Traceback\n  at x' });
  });

  it('reads nanosecond times and severity numbers', () => {
    expect(isoFromNanos('1')).toBe('1970-01-01T00:00:00.000000001Z');
    expect(isoFromNanos('0')).toBeUndefined();
    expect([1, 4, 5, 9, 13, 17, 21, 24, 0, 25].map(otelLevel)).toEqual(['trace', 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'fatal', 'unknown', 'unknown']);
  });

  it('--map names the columns of a table shaped like otel_logs', () => {
    expect(parseMap(['time=ts', 'message=msg'])).toEqual({ time: 'ts', message: 'msg' });
    expect(() => parseMap(['when=ts'])).toThrow(/field one of time, level/);
    expect(() => parseMap(['time=ts; DROP TABLE x'])).toThrow(/plain column name/);
  });
});

describe('WHERE clauses: every value a bound parameter, never SQL text', () => {
  const hostile = "x' OR 1=1 -- \\' \u0000";
  it.each([
    ['logtool', logtool],
    ['otel', otel],
  ] as const)('%s', (_name, schema) => {
    const { sql, params } = wherePredicates(schema, {
      filter: { since: 1, until: 2, level: 'warn', where: [parseWhere(`service=${hostile}`)] },
      ids: [hostile, 'req-1'],
    });
    expect(sql).not.toContain("x'");
    expect(sql).not.toContain('req-1');
    expect(sql).toMatch(/\{id0:String\}/);
    expect(Object.values(params)).toContain(hostile);
    expect(params.id1).toBe('req-1');
  });
});
