import { describe, expect, it } from 'vitest';
import { idMatches } from '../../../src/analyze/trace.js';
import { isHexId, Needle } from '../../../src/read/needle.js';

/** Every position of `needle` in `hay`, found the plain way: ASCII case folded, then indexOf. */
function naive(hay: string, needle: string, fold: boolean): number[] {
  const h = fold ? hay.replace(/[A-Z]/g, (c) => c.toLowerCase()) : hay;
  const n = fold ? needle.toLowerCase() : needle;
  const at: number[] = [];
  for (let i = h.indexOf(n); i !== -1; i = h.indexOf(n, i + 1)) at.push(i);
  return at;
}

function all(n: Needle, buf: Buffer): number[] {
  const at: number[] = [];
  for (let i = n.indexIn(buf, 0); i !== -1; i = n.indexIn(buf, i + 1)) at.push(i);
  return at;
}

/** A deterministic mixed-case spelling of `s`. */
function scramble(s: string, seed: number): string {
  return [...s].map((c, i) => (((seed >> i % 16) ^ i) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('hex ids match in any case', () => {
  it('tells hex ids from others', () => {
    expect(isHexId('5b8e1f0c9a7d4e2b')).toBe(true);
    expect(isHexId('5B8E1F0C')).toBe(true);
    expect(isHexId('550E8400-e29b-41d4-A716-446655440000')).toBe(true);
    expect(isHexId('abc123')).toBe(false); // too short to be sure it is an id
    expect(isHexId('req-Abc123')).toBe(false);
    expect(isHexId('deadbeef-')).toBe(false);
  });

  it('idMatches folds case for hex ids only, on token boundaries', () => {
    expect(idMatches('5b8e1f0c9a7d4e2b', '5B8E1F0C9A7D4E2B')).toBe(true);
    expect(idMatches('projects/p/traces/5B8E1F0C9A7D4E2B', '5b8e1f0c9a7d4e2b')).toBe(true);
    expect(idMatches('5b8E1f0C9a7D4e2B', '5B8e1F0c9A7d4E2b')).toBe(true);
    expect(idMatches('5b8e1f0c9a7d4e2bff', '5B8E1F0C9A7D4E2B')).toBe(false);
    expect(idMatches('req-abc', 'req-Abc')).toBe(false);
    expect(idMatches('req-Abc', 'req-Abc')).toBe(true);
  });

  it('the byte prefilter finds exactly what a folded search finds, in large and small buffers', () => {
    const ids = ['5b8e1f0c9a7d4e2b', '550e8400-e29b-41d4-a716-446655440000', 'deadbeefcafe', '0123456789'];
    for (const id of ids) {
      let text = '';
      for (let i = 0; text.length < 200_000; i++) {
        const variant = i % 5 === 0 ? scramble(id, i * 7919) : i % 5 === 1 ? id.slice(0, -1) + 'x' : `${(i * 2654435761 >>> 0).toString(16)}`;
        text += `{"ts":${i},"trace_id":"${variant}","msg":"Ab ${i}"}\n`;
      }
      for (const size of [text.length, 5000]) {
        const hay = text.slice(0, size);
        const buf = Buffer.from(hay, 'latin1');
        const expected = naive(hay, id, true);
        expect(expected.length).toBeGreaterThan(0);
        expect(all(Needle.forId(Buffer.from(id.toUpperCase())), buf)).toEqual(expected);
        expect(all(Needle.forId(Buffer.from(id)), buf)).toEqual(expected);
      }
    }
  });

  it('a non-hex id stays an exact byte search', () => {
    const buf = Buffer.from('x req-Abc1 req-abc1 REQ-ABC1 req-Abc1\n');
    expect(all(Needle.forId(Buffer.from('req-Abc1')), buf)).toEqual(naive(buf.toString(), 'req-Abc1', false));
  });
});
