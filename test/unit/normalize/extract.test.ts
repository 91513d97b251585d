import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { extractsFromConfig, parseExtract } from '../../../src/normalize/extract.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { parseFieldOverride } from '../../../src/normalize/overrides.js';

describe('--extract name=regex', () => {
  it('parses a name and a regex with one capture group (the regex may hold =)', () => {
    expect(parseExtract('user=user=(\\w+)')).toEqual({ name: 'user', pattern: 'user=(\\w+)' });
    expect(parseExtract('http.status=status (?<code>\\d{3})')).toEqual({ name: 'http.status', pattern: 'status (?<code>\\d{3})' });
    expect(parseExtract('took=(?:took|elapsed) (\\S+)').pattern).toBe('(?:took|elapsed) (\\S+)');
  });

  it('rejects a bad name, a regex that does not compile, and a group count other than one, in one line', () => {
    const bad = ['user', '=(a)', '9x=(a)', 'a b=(a)', 'x.=(a)', 'x=', 'x=(a', 'x=a+', 'x=(a)(b)', 'x=(?<a>a)(b)'];
    for (const spec of bad) {
      let err: unknown;
      try {
        parseExtract(spec);
      } catch (e) {
        err = e;
      }
      expect(err, spec).toBeInstanceOf(UsageError);
      expect((err as Error).message, spec).toContain(`--extract '`);
      expect((err as Error).message.includes('\n'), spec).toBe(false);
    }
    expect(() => parseExtract('x=(a)(b)')).toThrow(/exactly one capture group.*it has 2/);
  });

  it('reads the config file: an object of name: regex, or a list of name=regex', () => {
    expect(extractsFromConfig({ user: 'user=(\\w+)' }, 'rc.json')).toEqual([{ name: 'user', pattern: 'user=(\\w+)' }]);
    expect(extractsFromConfig(['user=user=(\\w+)'], 'rc.json')).toEqual([{ name: 'user', pattern: 'user=(\\w+)' }]);
    expect(extractsFromConfig(undefined)).toEqual([]);
    expect(() => extractsFromConfig({ user: 3 }, 'rc.json')).toThrow(/rc.json extract 'user'/);
    expect(() => extractsFromConfig('user=(\\w+)', 'rc.json')).toThrow(UsageError);
    expect(() => extractsFromConfig({ user: 'user=\\w+' }, 'rc.json')).toThrow(/rc.json extract 'user=user=\\w\+'.*capture group/);
  });
});

describe('extracted fields in the normalizer', () => {
  const line = '{"level":"info","msg":"payment done user=alice took 120ms [txn=t-9]"}';

  it('adds the fields to the record from its message, usable as id and duration aliases', () => {
    const n = createNormalizer({
      extract: [parseExtract('user=user=(\\w+)'), parseExtract('took=took (\\S+)'), parseExtract('txn=\\[txn=([^\\]]+)\\]')],
      overrides: [parseFieldOverride('id=txn'), parseFieldOverride('duration=took')],
    });
    const obj = JSON.parse(line) as Record<string, unknown>;
    const f = n.fields(obj, line);
    expect(obj).toMatchObject({ user: 'alice', took: '120ms', txn: 't-9' });
    expect(f.ids).toEqual(['t-9']);
    expect(f.durationMs).toBe(120);
    expect(f.keys).toContain('user');
  });

  it('falls back to the line as read, keeps a field the record has, and leaves an envelope context alone', () => {
    const n = createNormalizer({ extract: [parseExtract('pod=pod=(\\S+)'), parseExtract('msg=(never)'), parseExtract('node=node=(\\S+)')] });
    const text = 'pod=api-7d9 level=info';
    const obj: Record<string, unknown> = { msg: 'started' };
    n.fields(obj, text);
    expect(obj).toEqual({ msg: 'started', pod: 'api-7d9' });
    const context: Record<string, unknown> = { message: 'node=n1' };
    n.fields(context);
    expect(context).toEqual({ message: 'node=n1' });
  });

  it('adds nothing when the regex does not match or its group took no part', () => {
    const n = createNormalizer({ extract: [parseExtract('code=(?:code=(\\d+)|none)')] });
    const obj: Record<string, unknown> = { msg: 'none here' };
    n.fields(obj, '{"msg":"none here"}');
    expect(obj).toEqual({ msg: 'none here' });
  });
});
