import { describe, expect, it } from 'vitest';
import { createMasker, DEFAULT_MASK_RULES, parseMaskRule } from '../../../src/analyze/lib/mask.js';

const mask = createMasker();

// One example per built-in rule: [rule, input, expected].
const CASES: Array<[string, string, string]> = [
  ['url', 'GET https://api.example.com/v1/items?id=3 failed', 'GET <*> failed'],
  ['email', 'mail to jane.doe+x@example.co.uk bounced', 'mail to <*> bounced'],
  ['uuid', 'job 123e4567-e89b-12d3-a456-426614174000 done', 'job <*> done'],
  ['timestamp', 'retry at 2024-01-15T10:30:45.123Z now', 'retry at <*> now'],
  ['ctime', 'connection at Fri Jun 17 07:07:00 2005', 'connection at <*>'],
  ['time', 'started 10:30:45,123 ok', 'started <*> ok'],
  ['date', 'report for 17/06/09 ready', 'report for <*> ready'],
  ['ipv6', 'peer [fe80::1ff:fe23:4567:890a]:8080 gone', 'peer <*> gone'],
  ['ipv4', 'from 173.234.31.186:22 and 10.0.0.1', 'from <*> and <*>'],
  ['hostname', 'lookup ns.marryaldkfaczcz.com failed', 'lookup <*> failed'],
  ['windows_path', 'cannot open C:\\Users\\bob\\file.txt', 'cannot open <*>'],
  ['unix_path', 'cannot open /var/log/app.log now', 'cannot open <*> now'],
  ['http_request', '"GET /v2/servers/detail HTTP/1.1" status', '"GET <*> HTTP/<*>" status'],
  ['quoted', "service 'sparkDriver' on \"port x\"", 'service "<*>" on "<*>"'],
  ['hex', 'addr 0x1f and deadbeef42 here', 'addr <*> and <*> here'],
  ['id', 'charge ch_9f3a SKU-1234 blk_-562 ord_123', 'charge <*> <*> <*> <*>'],
  ['number', 'took 2731ms, 1.5s, 42KB, -7 and 3.14', 'took <*>, <*>, <*>, <*> and <*>'],
  ['mac', 'chip FF:F2:9F:16:E2:23:00:0D:60:E9:1D:DC and 00-1a-2b-3c-4d-5e up', 'chip <*> and <*> up'],
  ['dotted', 'rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om user=root', 'rhost=<*> user=root'],
];

describe('mask rules', () => {
  it('has an example for every built-in rule', () => {
    expect(new Set(CASES.map((c) => c[0]))).toEqual(new Set(DEFAULT_MASK_RULES.map((r) => r.name)));
  });

  it.each(CASES)('%s: %s', (_name, input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('leaves words with digits and prose alone', () => {
    expect(mask("Failed password for root port ssh2, can't log in")).toBe("Failed password for root port ssh2, can't log in");
    expect(mask('class org.apache.hadoop.mapred.Task started')).toBe('class org.apache.hadoop.mapred.Task started');
    // Not a MAC address: too few pairs.
    expect(mask('flags a1:b2:c3:d4 set')).toBe('flags a1:b2:c3:d4 set');
  });

  it('runs extra rules before the built-in ones', () => {
    const m = createMasker([parseMaskRule('tenant=tenant-[a-z]+')]);
    expect(m('quota exceeded for tenant-acme')).toBe('quota exceeded for <*>');
  });

  it('rejects a malformed --mask', () => {
    expect(() => parseMaskRule('noequals')).toThrow(/name=regex/);
    expect(() => parseMaskRule('bad=(')).toThrow(/invalid mask "bad"/);
  });
});
