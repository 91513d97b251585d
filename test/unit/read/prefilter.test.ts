import { describe, expect, it } from 'vitest';
import { put, read, tmp } from './helpers.js';

/** The records (and their continuation) read with and without a byte prefilter. */
async function both(text: string, id: string) {
  const file = put(tmp(), 'p.log', text);
  const plain = (await read([file])).records.filter((r) => r.ids.includes(id));
  const fast = (await read([file], [id])).records.filter((r) => r.ids.includes(id));
  const view = (rs: typeof plain) => rs.map((r) => ({ source: r.source, continuation: r.continuation }));
  return { plain: view(plain), fast: view(fast) };
}

describe('line prefilters skip only lines that cannot change a wanted record', () => {
  it('reads a pretty-printed object whose id is on a later line', async () => {
    const text = ['{"id":"a","msg":"x"}', '{', '  "msg": "pretty",', '  "id": "want"', '}', '{"id":"b"}', ''].join('\n');
    const { plain, fast } = await both(text, 'want');
    expect(plain).toEqual([{ source: expect.stringMatching(/:2$/), continuation: [] }]);
    expect(fast).toEqual(plain);
  });

  it('keeps Docker-wrapped traceback lines that follow a wanted record', async () => {
    const docker = (log: string) => JSON.stringify({ log: `${log}\n`, stream: 'stdout', time: '2024-01-15T10:00:00Z' });
    const text = [docker('{"id":"want","level":"error","msg":"boom"}'), docker('Traceback (most recent call last):'), docker('  File "a.py", line 1'), docker('{"id":"other"}'), ''].join('\n');
    const { plain, fast } = await both(text, 'want');
    expect(plain[0].continuation).toEqual(['Traceback (most recent call last):', '  File "a.py", line 1']);
    expect(fast).toEqual(plain);
  });

  it('keeps a digit-led exception line that continues a wanted record', async () => {
    const text = ['{"id":"want","msg":"x"}', '404Error: not found', '{"id":"b"}', ''].join('\n');
    const { plain, fast } = await both(text, 'want');
    expect(plain[0].continuation).toEqual(['404Error: not found']);
    expect(fast).toEqual(plain);
  });
});
