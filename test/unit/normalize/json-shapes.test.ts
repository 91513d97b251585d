import { describe, expect, it } from 'vitest';
import { parseLevel } from '../../../src/normalize/level.js';
import { errorsLineFilters } from '../../../src/normalize/markers.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { parseTime } from '../../../src/normalize/time.js';

const n = createNormalizer();
const U = (s: string) => Date.parse(s);
const fields = (line: string) => n.fields(JSON.parse(line));

/** Whether `errors --level <min>` reads the line (neither the byte probe nor the marker test drops it). */
function errorsReads(line: string, min: 'error' | 'warn' = 'error'): boolean {
  const { lineSkip, lineTest } = errorsLineFilters([], min);
  const buf = Buffer.from(line);
  return !lineSkip(buf, 0, buf.length) && lineTest!.test(line);
}

describe('MongoDB structured logs (4.4+)', () => {
  const mongo = (s: string) =>
    `{"t":{"$date":"2024-03-02T08:15:30.412+00:00"},"s":"${s}",  "c":"NETWORK",  "id":22943,   "ctx":"listener","msg":"Connection accepted","attr":{"remote":"10.0.0.7:51234","connectionId":812,"connectionCount":14}}`;

  it('reads the severity letter as the level, the component, the $date time', () => {
    const f = fields(mongo('I'));
    expect(f.level).toBe('info');
    expect(f.component).toBe('NETWORK');
    expect(f.time).toBe(U('2024-03-02T08:15:30.412Z'));
    expect(f.message).toBe('Connection accepted');
    expect(fields(mongo('E')).level).toBe('error');
    expect(fields(mongo('W')).level).toBe('warn');
    expect(fields(mongo('F')).level).toBe('fatal');
    expect(fields(mongo('D2')).level).toBe('debug');
  });

  it('reads `s` only on that shape: elsewhere a short key is no level', () => {
    expect(fields('{"time":"2024-03-02T08:15:30Z","s":"E","msg":"size"}').level).toBe('unknown');
    // A level key of its own wins.
    expect(fields('{"t":"2024-03-02T08:15:30Z","s":"E","c":"X","msg":"m","level":"info"}').level).toBe('info');
  });

  it('is read by errors (the byte filters do not drop `"s":"E"`), and its info lines may be', () => {
    expect(errorsReads(mongo('E'))).toBe(true);
    expect(errorsReads(mongo('W'), 'warn')).toBe(true);
    expect(errorsReads('{"t":{"$date":"2024-03-02T08:15:30.412+00:00"},"s":"W","c":"X","msg":"m"}', 'error')).toBe(false);
  });
});

describe('access-log convention on an HTTP status when no level field exists', () => {
  it.each([
    ['{"started_at":1709367330412,"response":{"status":503,"size":120},"request":{"method":"GET","uri":"/api/cart"}}', 'error'],
    ['{"started_at":1709367330412,"response":{"status":404},"request":{"method":"GET","uri":"/x"}}', 'warn'],
    ['{"started_at":1709367330412,"response":{"status":302},"request":{"method":"GET","uri":"/x"}}', 'info'],
    ['{"ts":"2024-03-02T08:15:30Z","status":"500","uri":"/pay"}', 'error'],
    ['{"EdgeStartTimestamp":1709367330100000000,"EdgeResponseStatus":429,"ClientRequestURI":"/login"}', 'warn'],
    ['{"ts":"2024-03-02T08:15:30Z","res":{"statusCode":200}}', 'info'],
  ])('%s → %s', (line, level) => {
    expect(fields(line).level).toBe(level);
  });

  it('never overrides a level field, and ignores statuses that are not HTTP codes', () => {
    expect(fields('{"level":"info","status":500,"msg":"job"}').level).toBe('info');
    expect(fields('{"ts":"2024-03-02T08:15:30Z","status":"active"}').level).toBe('unknown');
    expect(fields('{"ts":"2024-03-02T08:15:30Z","status":1}').level).toBe('unknown');
    expect(fields('{"ts":"2024-03-02T08:15:30Z","status":700}').level).toBe('unknown');
  });

  it('reads the request-start times: epoch ms, Cloudflare nanoseconds', () => {
    expect(fields('{"started_at":1709367330412,"response":{"status":200}}').time).toBe(1709367330412);
    expect(fields('{"started_at":1709367330412.0,"response":{"status":200}}').time).toBe(1709367330412);
    expect(fields('{"EdgeStartTimestamp":1709367330100000000,"EdgeResponseStatus":200}').time).toBe(1709367330100);
    expect(fields('{"EdgeStartTimestamp":"2024-03-02T08:15:30Z","EdgeResponseStatus":200}').time).toBe(U('2024-03-02T08:15:30Z'));
  });

  it('errors reads 5xx records and may skip 2xx ones', () => {
    expect(errorsReads('{"started_at":1709367330412,"response":{"status":503}}')).toBe(true);
    expect(errorsReads('{"ClientRequestURI":"/","EdgeResponseStatus":502,"EdgeStartTimestamp":1709367330100000000}')).toBe(true);
    expect(errorsReads('{"ts":"2024-03-02T08:15:30Z","status":404}', 'warn')).toBe(true);
    // A level field decides: the status beside it changes nothing.
    expect(errorsReads('{"level":"info","status":500,"ms":50}')).toBe(false);
  });
});

describe('@fields containers (logstash v0 style)', () => {
  it('reads the level and message under @fields, the time beside it', () => {
    const f = fields('{"ts":"2024-03-02T08:15:30.125Z","@fields":{"lvl":"WARNING","msg":"disk at 91%","mount":"/var"}}');
    expect(f.level).toBe('warn');
    expect(f.message).toBe('disk at 91%');
    expect(f.time).toBe(U('2024-03-02T08:15:30.125Z'));
  });

  it('is read by errors', () => {
    expect(errorsReads('{"ts":"2024-03-02T08:15:30.125Z","@fields":{"lvl":"ERROR","msg":"disk full"}}')).toBe(true);
  });
});

describe('time objects and pairs', () => {
  it('log4j2 JsonLayout: instant {epochSecond, nanoOfSecond}, and timeMillis', () => {
    expect(fields('{"instant":{"epochSecond":1709367330,"nanoOfSecond":412000000},"level":"INFO","message":"up"}').time).toBe(1709367330412);
    expect(fields('{"timeMillis":1709367330412,"level":"INFO","message":"up"}').time).toBe(1709367330412);
  });

  it('Google Cloud: {seconds, nanos} objects and timestampSeconds with timestampNanos', () => {
    expect(parseTime({ seconds: 1709367330, nanos: 500000000 })).toBe(1709367330500);
    expect(parseTime({ seconds: '1709367330', nanos: 0 })).toBe(1709367330000);
    expect(fields('{"severity":"ERROR","message":"boom","timestampSeconds":1709367330,"timestampNanos":250000000}').time).toBe(1709367330250);
    expect(fields('{"severity":"ERROR","message":"boom","timestampSeconds":1709367330}').time).toBe(1709367330000);
  });

  it('dates written with slashes, not mixed separators', () => {
    expect(parseTime('2024/03/02 08:15:30')).toBe(U('2024-03-02T08:15:30Z'));
    expect(parseTime('2024/03/02 08:15:30.198136')).toBeCloseTo(U('2024-03-02T08:15:30.198Z') + 0.136, 3);
    expect(parseTime('2024/03-02 08:15:30')).toBeUndefined();
  });

  it('created_at only when the record has no time of its own', () => {
    expect(fields('{"type":"PushEvent","created_at":"2024-03-02T08:15:30Z"}').time).toBe(U('2024-03-02T08:15:30Z'));
    expect(fields('{"time":"2024-03-02T09:00:00Z","user":{"id":1},"created_at":"2020-01-01T00:00:00Z"}').time).toBe(U('2024-03-02T09:00:00Z'));
  });
});

describe('more level spellings', () => {
  it('Elasticsearch DEPRECATION is a warning', () => {
    expect(parseLevel('DEPRECATION')).toBe('warn');
    expect(fields('{"type":"deprecation","timestamp":"2024-03-02T08:15:30,123Z","level":"DEPRECATION","message":"[types removal] ..."}').level).toBe('warn');
    expect(errorsReads('{"level":"DEPRECATION","message":"x"}', 'warn')).toBe(true);
  });

  it('Google Cloud Logging special severity key', () => {
    expect(fields('{"logging.googleapis.com/severity":"ERROR","message":"boom"}').level).toBe('error');
    expect(errorsReads('{"logging.googleapis.com/severity":"ERROR","message":"boom"}')).toBe(true);
  });
});
