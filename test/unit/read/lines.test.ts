import { describe, expect, it } from 'vitest';
import { LineEndCounter, LineSplitter, countLineEnds, hasLoneCR } from '../../../src/read/lines.js';

/** Splits `text` as the splitter would, fed in the given chunk sizes; each line with its `\r` dropped. */
function split(bytes: Buffer, sizes: number[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter(
    (buf, a, b) => out.push(buf.toString('latin1', a, b).replace(/\r+$/, '')),
    () => out.push('<overlong>'),
  );
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]);
    s.push(bytes.subarray(at, at + n));
    at += n;
  }
  s.end();
  return out;
}

/** The reference: every `\r\n`, `\r` and `\n` ends a line; a last line without an end still counts. */
function reference(text: string): string[] {
  const parts = text.split(/\r*\n|\r/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

describe('line ends', () => {
  it('a lone CR ends a line, CRLF is one end, LF as before', () => {
    const text = '{"level":"info"}\r{"level":"error"}\r';
    expect(split(Buffer.from(text), [1 << 20])).toEqual(['{"level":"info"}', '{"level":"error"}']);
    expect(split(Buffer.from('a\r\nb\nc\rd'), [1 << 20])).toEqual(['a', 'b', 'c', 'd']);
    // `\r`s just before `\n` are part of its end (a file converted to CRLF twice); others end lines.
    expect(split(Buffer.from('a\r\r\nb\r\rc'), [1 << 20])).toEqual(['a', 'b', '', 'c']);
  });

  it('a CR at a chunk boundary followed by LF in the next chunk is one line end, at every cut', () => {
    const text = 'ab\r\ncd\ref\r\r\ngh\n\rij\r\r\rkl\r\r\r\nmn\r';
    for (let size = 1; size <= text.length; size++) {
      expect(split(Buffer.from(text), [size]), `chunks of ${size}`).toEqual(reference(text));
    }
  });

  it('random mixes of CR, LF and CRLF in random chunks agree with the reference and the counter', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let trial = 0; trial < 300; trial++) {
      let text = '';
      const n = 1 + rnd(60);
      for (let i = 0; i < n; i++) text += ['x', 'y', '\r', '\n', '\r\n', '{"a":1}'][rnd(6)];
      const bytes = Buffer.from(text);
      const sizes = [1 + rnd(7), 1 + rnd(3), 1 + rnd(11)];
      expect(split(bytes, sizes), JSON.stringify(text)).toEqual(reference(text));
      // The counter, over the same cuts, counts every line end once.
      const c = new LineEndCounter();
      let at = 0;
      for (let k = 0; at < bytes.length; k++) {
        const part = bytes.subarray(at, at + sizes[k % 3]);
        c.add(part);
        at += part.length;
      }
      const ends = (text.match(/\r*\n|\r/g) ?? []).length;
      expect(c.count, JSON.stringify(text)).toBe(ends);
      expect(countLineEnds(bytes)).toBe(ends);
      expect(hasLoneCR(bytes)).toBe(/\r(?!\r*\n)/.test(text));
    }
  });

  it('settle takes a CR that ended the bytes so far as the line end; a LF after it is still part of it', () => {
    const out: string[] = [];
    const s = new LineSplitter((buf, a, b) => out.push(buf.toString('latin1', a, b > a && buf[b - 1] === 13 ? b - 1 : b)), () => undefined);
    s.push(Buffer.from('a\rb\r'));
    expect(out).toEqual(['a']);
    expect(s.hasPartial).toBe(true);
    s.settle();
    expect(out).toEqual(['a', 'b']);
    expect(s.hasPartial).toBe(false);
    s.push(Buffer.from('\nc\r'));
    s.settle();
    s.push(Buffer.from('d\n'));
    s.end();
    expect(out).toEqual(['a', 'b', 'c', 'd']);
  });
});
