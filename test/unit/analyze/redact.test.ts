import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../../src/analyze/lib/detectors.js';
import { MAX_DEPTH, newRedactCounter, redact, redactText } from '../../../src/analyze/lib/redact.js';

/** Built by concatenation so no sample looks like a live secret in the source. */
const rep = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const JWT = 'eyJ' + 'hbGciOiJIUzI1NiJ9' + '.eyJ' + 'zdWIiOiIxMjM0NTY3ODkwIn0' + '.' + 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7' + rep('Qx9', 60), rep('abcd', 64), '-----END RSA PRIVATE KEY-----'].join('\n');

/** One string through the detectors: the text and the counts per kind. */
function text(s: string): { out: string; kinds: Record<string, number> } {
  const n = newRedactCounter();
  return { out: redactText(s, n), kinds: n.kinds };
}

/** Per detector kind: strings it must redact (the secret part must vanish) and strings it must leave alone. */
const CASES: Record<string, { hit: [string, string][]; miss: string[] }> = {
  private_key: {
    hit: [
      [`key material: ${PEM} end`, 'MIIEowIBAAKCAQEA7'],
      ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
      ['-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA'],
    ],
    miss: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'the private key was rotated', '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----'],
  },
  url_password: {
    hit: [
      ['connecting to postgres://app:s3cr3t-pw@db.internal:5432/orders', 's3cr3t-pw'],
      ['fetch https://user:p%40ss@example.com/path failed', 'p%40ss'],
    ],
    miss: ['https://example.com:8443/path?q=1', 'mailto:ops@example.com', 'see https://example.com/a@b', 'http://host:80 owner alice@example.com'],
  },
  query_secret: {
    hit: [
      ['GET /cb?code=1&token=abcDEF123456 200', 'abcDEF123456'],
      ['GET /login?user=bob&password=hunter2&next=/', 'hunter2'],
      ['https://api.example.com/v1?api_key=kkkk1111&x=1', 'kkkk1111'],
      ['https://bucket.s3.amazonaws.com/o?X-Amz-Signature=deadbeef00&X-Amz-Date=1', 'deadbeef00'],
      ['/download?sig=Zm9vYmFy&exp=1', 'Zm9vYmFy'],
    ],
    miss: ['GET /search?q=token&page=2', '/items?keyword=pass&sort=asc', '?tokens_used=5'],
  },
  bearer: {
    hit: [
      ['sent Authorization: Bearer abc.def.ghi123 to upstream', 'abc.def.ghi123'],
      ['header authorization=Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
    ],
    miss: ['Basic authentication failed for user', 'the bearer is someone', 'Bearer token missing', '2. Basic Permissions.'],
  },
  jwt: {
    hit: [[`session ${JWT} expired`, 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U']],
    miss: ['eyJhbGciOi alone', 'eyes.open.wide', 'v1.2.3'],
  },
  aws_access_key: {
    hit: [[`using key ${AWS_ID} for s3`, AWS_ID], [`temp creds ASIA${rep('Y3FMGX2N', 16)} issued`, 'ASIAY3FMGX2N']],
    miss: ['AKIA is a prefix', 'AKIAshort123', 'XAKIAIOSFODNN7EXAMPLEX'],
  },
  aws_secret_key: {
    hit: [[`aws_secret_access_key=${AWS_SECRET}`, AWS_SECRET], [`"secret_key": "${AWS_SECRET}"`, AWS_SECRET]],
    miss: [`checksum=${rep('ab12', 40)}`],
  },
  github_token: {
    hit: [[`token ghp_${rep('A1b2C3', 36)} leaked`, rep('A1b2C3', 36)], [`github_pat_${rep('11ABCDEFG0', 60)}`, '11ABCDEFG0'], [`gho_${rep('Zz9', 36)}`, rep('Zz9', 36)]],
    miss: ['ghp_short', 'the ghp_ prefix'],
  },
  slack_token: {
    hit: [[`posting with xoxb-${'1234567890'}-${'abcdefghij'}KLMN`, 'abcdefghijKLMN']],
    miss: ['xoxo hugs', 'xox-'],
  },
  stripe_key: {
    hit: [[`charge with sk_live_${rep('4eC39HqLyjWDarjtT1zdp7dc', 24)}`, '4eC39HqLyjWDarjtT1zdp7dc'], [`rk_live_${rep('Qa1', 24)}`, rep('Qa1', 24)]],
    miss: ['sk_test_abc', 'task_live_now'],
  },
  google_api_key: {
    hit: [[`maps key AIza${rep('SyD-9tSrke72PouQMnMX', 35)} used`, 'SyD-9tSrke72PouQMnMX']],
    miss: ['AIzaShort', 'Aizawa visited'],
  },
  secret_pair: {
    hit: [
      ['login failed password=hunter2 user=bob', 'hunter2'],
      ['config loaded: secret: s3kr1t, region: eu', 's3kr1t'],
      ['{"db_password": "pa55word"} in payload', 'pa55word'],
      ['client_secret=abcdef123', 'abcdef123'],
      ['login with password="my pass word" refused', 'pass word'],
    ],
    miss: ['password reset requested for bob', 'tokens: 42 used', 'max_tokens=128', 'passwords must match', 'design: blue'],
  },
  card: {
    hit: [['charge failed for card 4111 1111 1111 1111', '4111 1111 1111 1111'], ['pan=5500-0000-0000-0004 declined', '5500-0000-0000-0004'], ['amex 378282246310005', '378282246310005'], ['amex 3782 822463 10005', '822463'], ['visa 4111111111111111', '4111111111111111']],
    miss: ['order 4111111111111112 shipped', 'order 1234567890123', 'at 1705312245123 ms', 'REPORT : 7024 5015 150454 240', 'ids 4111 1111 11 11 1111', 'took 1231.4111111111111111 km', 'v4111111111111111.5'],
  },
};

describe('redaction detectors', () => {
  it('every detector in the table has cases', () => {
    expect(Object.keys(CASES).sort()).toEqual(DETECTORS.map((d) => d.kind).sort());
  });

  for (const [kind, { hit, miss }] of Object.entries(CASES)) {
    describe(kind, () => {
      for (const [input, secret] of hit) {
        it(`redacts ${JSON.stringify(input.slice(0, 60))}`, () => {
          const r = text(input);
          expect(r.out).not.toContain(secret);
          expect(r.kinds[kind], JSON.stringify(r)).toBeGreaterThanOrEqual(1);
        });
      }
      for (const input of miss) {
        it(`keeps ${JSON.stringify(input.slice(0, 60))}`, () => {
          const r = text(input);
          expect(r.kinds[kind] ?? 0, JSON.stringify(r)).toBe(0);
        });
      }
    });
  }

  it('keeps user and host of a URL with a password', () => {
    expect(text('postgres://app:pw12345@db.internal:5432/x').out).toBe('postgres://app:[REDACTED]@db.internal:5432/x');
  });

  it('keeps the other query parameters', () => {
    expect(text('/p?user=bob&token=abc123&password=x9&api_key=k1&sig=s1&page=2').out).toBe('/p?user=bob&token=[REDACTED]&password=[REDACTED]&api_key=[REDACTED]&sig=[REDACTED]&page=2');
  });

  it('leaves ordinary identifiers and times alone', () => {
    for (const s of [
      '3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b',
      '11111111-2222-3333-4444-555555555555',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'id 5f1c2a9b7e3d4c8a',
      'dGhpcyBpcyBqdXN0IHRleHQ',
      'ResourceNotFoundException',
      '2024-01-15T10:30:45.123Z',
      '2024-01-15 10:30:45,123 +0000',
      'order 4111111111111112',
      'order number 1234567812345678 shipped',
      'took 1234 ms at 12:34:56',
      'user bob logged in from 10.0.0.1:5432',
    ]) {
      const r = text(s);
      expect(r.out, s).toBe(s);
    }
  });
});

describe('redaction of records', () => {
  it('redacts the whole value under a secret key, whatever its type', () => {
    const n = newRedactCounter();
    const rec = { msg: 'ok', tokens: ['t1', 't2'], secret: { a: 'x', b: { c: 'y' } }, password: 12345, apiKey: 'k', accessToken: 'a', headers: { Authorization: 'Bearer zzz' }, has_password: true, token: null, empty_secret: '' };
    const out = redact(rec, n) as Record<string, unknown>;
    expect(out).toEqual({ msg: 'ok', tokens: '[REDACTED]', secret: '[REDACTED]', password: '[REDACTED]', apiKey: '[REDACTED]', accessToken: '[REDACTED]', headers: { Authorization: '[REDACTED]' }, has_password: true, token: null, empty_secret: '' });
    expect(n.kinds.key).toBe(6);
    expect(n.values).toBe(6);
    expect(rec.tokens).toEqual(['t1', 't2']);
  });

  it('runs the detectors on strings at any depth, messages included, and shares what is unchanged', () => {
    const n = newRedactCounter();
    const inner = { note: 'nothing here' };
    const rec = { msg: `auth with ${JWT}`, a: [{ b: [`url https://u:pw99@h.example/x`] }], inner };
    const out = redact(rec, n) as typeof rec;
    expect(JSON.stringify(out)).not.toContain('pw99');
    expect(out.msg).toBe('auth with [REDACTED-JWT]');
    expect(out.inner).toBe(inner);
    expect(n.kinds).toEqual({ jwt: 1, url_password: 1 });
  });

  it('keeps token counts (a number under a plural tokens key)', () => {
    const rec = { usage: { prompt_tokens: 812, completion_tokens: 64, total_tokens: 876 }, max_tokens: 1024 };
    expect(redact(rec, newRedactCounter())).toBe(rec);
    expect(redact({ tokens: ['a1', 'b2'] }, newRedactCounter())).toEqual({ tokens: '[REDACTED]' });
  });

  it('returns the same object when there is nothing to redact', () => {
    const rec = { level: 'error', msg: 'disk full', n: 3, tags: ['a', 'b'] };
    expect(redact(rec, newRedactCounter())).toBe(rec);
  });

  it('a record nested 2,000 levels deep does not overflow: the remainder is replaced and counted', () => {
    let deep: unknown = { secret: 'x' };
    for (let i = 0; i < 2000; i++) deep = { b: deep };
    let arr: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) arr = [arr];
    const n = newRedactCounter();
    const out = redact({ msg: 'deep', a: deep, arr }, n);
    const json = JSON.stringify(out);
    expect(json).toContain('[REDACTED-TOO-DEEP]');
    expect(n.kinds.too_deep).toBe(2);
    expect(json.split('"b":').length - 1).toBeLessThanOrEqual(MAX_DEPTH);
    const keep = newRedactCounter();
    const kept = redact({ a: deep, password: 'p' }, keep, { secrets: false }) as { password: string };
    expect(kept.password).toBe('p');
    expect(keep.kinds).toEqual({ too_deep: 1 });
  });
});
