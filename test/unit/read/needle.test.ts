import { describe, expect, it } from 'vitest';
import { Needle } from '../../../src/read/needle.js';

/** Every index of `needle` in `buf`, as Buffer.indexOf finds them. */
function plainHits(buf: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function needleHits(buf: Buffer, n: Needle): number[] {
  const out: number[] = [];
  for (let i = n.indexIn(buf); i !== -1; i = n.indexIn(buf, i + 1)) out.push(i);
  return out;
}

describe('needle search from the rarest byte', () => {
  it('finds exactly what Buffer.indexOf finds, in logs where the needle’s first bytes are everywhere', () => {
    let seed = 3;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) lines.push(JSON.stringify({ id: `req-${Math.floor(rnd() * 3000).toString(36).padStart(6, '0')}`, msg: 'checkout completed', n: i }));
    const buf = Buffer.from(lines.join('\n'));
    for (const id of ['req-000fk1', 'req-0000aa', 'req-', '"', 'e', 'zz-not-there', 'completed", "n', `${lines[0].slice(0, 12)}`, lines[19999].slice(-9)]) {
      const n = new Needle(Buffer.from(id));
      const want = plainHits(buf, Buffer.from(id));
      expect(needleHits(buf, n), id).toEqual(want);
      // Tuned on the first chunk, it still finds matches in later, small ones.
      const tail = buf.subarray(buf.length - 5000);
      expect(needleHits(tail, n), id).toEqual(plainHits(tail, Buffer.from(id)));
    }
  });

  it('finds overlapping and edge matches', () => {
    const buf = Buffer.concat([Buffer.from('aaaa'), Buffer.alloc(70000, 'x'), Buffer.from('aaab')]);
    const n = new Needle(Buffer.from('aab'));
    expect(needleHits(buf, n)).toEqual([buf.length - 3]);
    const m = new Needle(Buffer.from('aa'));
    expect(needleHits(buf, m)).toEqual(plainHits(buf, Buffer.from('aa')));
  });
});
