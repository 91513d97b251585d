import { describe, expect, it } from 'vitest';
import { parseTarget, redact } from '../../../src/source/clickhouse/url.js';

describe('parseTarget', () => {
  it('reads a clickhouse:// URL: host, port, user, password, database and table', () => {
    const t = parseTarget('clickhouse://reader:s3cret@ch.local:9000/logs?table=otel_logs', {});
    expect(t).toMatchObject({ kind: 'http', url: 'http://ch.local:9000', username: 'reader', password: 's3cret', database: 'logs', table: 'otel_logs' });
    expect(t.display).toBe('http://reader@ch.local:9000/logs');
    expect(t.display).not.toContain('s3cret');
  });

  it('uses TLS and port 8443 for https:// and clickhouses://, 8123 for plain', () => {
    expect(parseTarget('https://h/db', {})).toMatchObject({ url: 'https://h:8443', database: 'db' });
    expect(parseTarget('clickhouses://h', {})).toMatchObject({ url: 'https://h:8443', database: 'default' });
    expect(parseTarget('clickhouse://h', {})).toMatchObject({ url: 'http://h:8123', username: 'default', password: '' });
  });

  it('takes the URL and the password from the environment', () => {
    const env = { LOGTOOL_CLICKHOUSE_URL: 'clickhouse://bob@h:8123/x', LOGTOOL_CLICKHOUSE_PASSWORD: 'pw' };
    expect(parseTarget(undefined, env)).toMatchObject({ username: 'bob', password: 'pw', database: 'x' });
    // A password in the URL wins over the environment's.
    expect(parseTarget('clickhouse://bob:inurl@h/x', env)).toMatchObject({ password: 'inurl' });
  });

  it('decodes percent-escaped user names and passwords', () => {
    expect(parseTarget('clickhouse://a%40b:p%2Fw%3A@h/db', {})).toMatchObject({ username: 'a@b', password: 'p/w:' });
  });

  it('reads chdb:<dir> with an optional table', () => {
    const t = parseTarget('chdb:./data?table=logtool_logs', {});
    expect(t.kind).toBe('chdb');
    expect(t).toMatchObject({ table: 'logtool_logs', database: 'default', display: 'chdb:./data' });
    if (t.kind === 'chdb') expect(t.dir.endsWith('/data')).toBe(true);
  });

  it.each([
    ['', /no ClickHouse URL/],
    ['mysql://h/db', /unknown scheme 'mysql:'/],
    ['clickhouse://h/db?table=a;drop', /table 'a;drop' is not a plain name/],
    ['clickhouse://h/my-db', /database 'my-db' is not a plain name/],
    ['chdb:', /needs a folder/],
    ['not a url', /is not a URL/],
  ])('refuses %j with a usage error', (value, msg) => {
    expect(() => parseTarget(value, {})).toThrow(msg);
  });

  it('never repeats a password in its own messages', () => {
    expect(() => parseTarget('ftp://u:topsecret@h/', {})).toThrow(/^(?!.*topsecret)/s);
    expect(redact('clickhouse://u:topsecret@h:8123/db')).toBe('clickhouse://u:***@h:8123/db');
    // A password holding / or an unescaped @ is hidden whole.
    expect(redact('clickhouse://u:se/cr@et@h:8123/db')).toBe('clickhouse://u:***@h:8123/db');
    expect(() => parseTarget('clickhouse://bob:se/cret@localhost:1/db', {})).toThrow(/^(?!.*se\/cret)/s);
  });
});
