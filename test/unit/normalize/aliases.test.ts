import { describe, expect, it } from 'vitest';
import { recordDuration } from '../../../src/normalize/duration.js';
import { parseLevel } from '../../../src/normalize/level.js';
import { errorsLineFilters } from '../../../src/normalize/markers.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { parseTime } from '../../../src/normalize/time.js';

const n = createNormalizer();
const U = (s: string) => Date.parse(s);

describe('Kubernetes audit events', () => {
  const audit = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: '6f1c8d2e-4b1a-4c55-9a43-0f3e5d7b9c21',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods?limit=500',
    verb: 'list',
    user: { username: 'system:serviceaccount:kube-system:deployment-controller' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2024-01-15T10:30:45.120000Z',
    stageTimestamp: '2024-01-15T10:30:45.134567Z',
  };

  it('reads the stage time, the audit id and the verb with the request path', () => {
    const f = n.fields(audit);
    expect(f.time).toBe(U('2024-01-15T10:30:45.134Z') + 0.567);
    expect(f.ids).toEqual(['6f1c8d2e-4b1a-4c55-9a43-0f3e5d7b9c21']);
    expect(f.operation).toBe('LIST /api/v1/namespaces/default/pods');
  });

  it('falls back to the time the request was received', () => {
    const { stageTimestamp: _s, ...rest } = audit;
    expect(n.fields(rest).time).toBe(U('2024-01-15T10:30:45.120Z'));
  });
});

describe('npm/winston and loguru level names', () => {
  it.each([
    ['http', 'debug'],
    ['verbose', 'trace'],
    ['silly', 'trace'],
    ['SUCCESS', 'info'],
  ])('%s is %s', (name, level) => {
    expect(parseLevel(name)).toBe(level);
    expect(n.fields({ level: name, message: 'x' }).level).toBe(level);
  });
});

describe('level objects', () => {
  it.each([
    [{ name: 'INFO', no: 20 }, 'info'],
    [{ icon: 'x', name: 'ERROR', no: 40 }, 'error'],
    [{ label: 'warn', value: 40 }, 'warn'],
    [{ value: 'Fatal' }, 'fatal'],
    [{ value: 50 }, 'error'],
    [{ Name: 'Debug' }, 'debug'],
    [{ name: 'CUSTOM', no: 45 }, 'warn'],
    [{ other: 'error' }, 'unknown'],
    [{ name: { name: 'ERROR' } }, 'unknown'],
  ])('%j reads as %s', (value, level) => {
    expect(n.fields({ level: value, msg: 'x' }).level).toBe(level);
  });

  it('makes errors read a level object line (no byte test drops it)', () => {
    for (const line of ['{"level":{"value":50},"msg":"x"}', '{"level":{"name":"ERROR","no":40},"msg":"x"}']) {
      const { lineSkip, lineTest } = errorsLineFilters([], 'error');
      const buf = Buffer.from(line);
      expect(lineSkip(buf, 0, buf.length), line).toBe(false);
      expect(lineTest!.test(line), line).toBe(true);
    }
  });
});

describe('time objects', () => {
  it('reads loguru times (the epoch first) and MongoDB $date', () => {
    expect(parseTime({ repr: '2024-01-15 11:30:45.123456+01:00', timestamp: 1705314645.123456 })).toBeCloseTo(1705314645123.456, 1);
    expect(parseTime({ repr: '2024-01-15 11:30:45.123+01:00' })).toBe(U('2024-01-15T10:30:45.123Z'));
    expect(parseTime({ $date: '2024-01-15T10:30:45.123+00:00' })).toBe(U('2024-01-15T10:30:45.123Z'));
    expect(parseTime({ $date: { $numberLong: '1705314645123' } })).toBe(1705314645123);
    expect(parseTime({ nothing: 1 })).toBeUndefined();
    expect(n.fields({ t: { $date: '2024-01-15T10:30:45.123Z' }, msg: 'slow query' }).time).toBe(U('2024-01-15T10:30:45.123Z'));
  });
});

describe('records nested under `record` (loguru serialize)', () => {
  const line = {
    text: '2024-01-15 10:30:45.123 | ERROR    | app.pay:charge:42 - charge failed\n',
    record: {
      elapsed: { repr: '0:00:03.512000', seconds: 3.512 },
      exception: { type: 'ValueError', value: 'card declined', traceback: true },
      extra: { request_id: 'req-77', user: 'alice' },
      file: { name: 'pay.py', path: '/srv/app/pay.py' },
      function: 'charge',
      level: { icon: '❌', name: 'ERROR', no: 40 },
      line: 42,
      message: 'charge failed',
      module: 'pay',
      name: 'app.pay',
      process: { id: 4242, name: 'MainProcess' },
      thread: { id: 1401, name: 'MainThread' },
      time: { repr: '2024-01-15 10:30:45.123000+00:00', timestamp: 1705314645.123 },
    },
  };

  it('reads the inner record as if flat, with its bound extra fields', () => {
    const f = n.fields(structuredClone(line));
    expect(f.level).toBe('error');
    expect(f.message).toBe('charge failed');
    expect(f.time).toBeCloseTo(1705314645123, 1);
    expect(f.ids).toEqual(['req-77']);
    expect(f.errorType).toBe('ValueError');
    expect(f.errorMessage).toBe('card declined');
    // `elapsed` is time since the program started, an object: never a latency sample.
    expect(f.durationMs).toBeUndefined();
    expect(f.keys).toEqual(['text', 'record']);
  });

  it('leaves an object with its own level or message alone', () => {
    const f = n.fields({ level: 'info', msg: 'dns answer', record: { level: 'error', message: 'inner' } });
    expect(f).toMatchObject({ level: 'info', message: 'dns answer' });
  });

  it('makes errors read a nested record line', () => {
    const text = JSON.stringify(line);
    const { lineSkip, lineTest } = errorsLineFilters([], 'error');
    const buf = Buffer.from(text);
    expect(lineSkip(buf, 0, buf.length)).toBe(false);
    expect(lineTest!.test(text)).toBe(true);
  });
});

describe('the duration rule', () => {
  it('counts numbers, numeric strings and duration forms only', () => {
    expect(recordDuration(12, 'ms')).toBe(12);
    expect(recordDuration('12', 'ms')).toBe(12);
    expect(recordDuration('12ms', 'ms')).toBe(12);
    expect(recordDuration('1.5s', 's')).toBe(1500);
    expect(recordDuration('250µs', 'ms')).toBeCloseTo(0.25);
    expect(recordDuration('1h2m3.5s', 'ms')).toBe(3_723_500);
    expect(recordDuration('2 seconds', 'ms')).toBe(2000);
    expect(recordDuration('PT0.25S', 'ms')).toBe(250);
    expect(recordDuration('P1DT2H', 'ms')).toBe(26 * 3_600_000);
    expect(recordDuration('00:00:01.25', 'ms')).toBe(1250);
    for (const v of ['2024-01-15', 'v1.2', '3 of 5', 'forever', 'P', 'PT', '-5ms', '', { seconds: 3 }, [1], true, -1]) {
      expect(recordDuration(v, 'ms'), JSON.stringify(v)).toBeUndefined();
    }
  });

  it('takes no latency from a settings object or a nested config', () => {
    expect(n.fields({ timeout: '30s', duration: '5m', retries: 3 }).durationMs).toBeUndefined();
    expect(n.fields({ level: 'info', msg: 'config loaded', config: { duration: '5m', timeout: '30s' } }).durationMs).toBeUndefined();
    expect(n.fields({ level: 'info', msg: 'lease', duration: '2024-01-15' }).durationMs).toBeUndefined();
    expect(n.fields({ level: 'info', msg: 'request done', duration: '12ms' }).durationMs).toBe(12);
    expect(n.fields({ time: '2024-01-15T10:30:45Z', duration_ms: 40 }).durationMs).toBe(40);
  });
});
