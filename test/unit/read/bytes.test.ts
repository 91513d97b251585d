import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodedChunks, sniff } from '../../../src/read/bytes.js';
import { MAX_NESTING, tooDeep, valueTooDeep } from '../../../src/read/assemble.js';

async function* pieces(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function decode(buf: Buffer, size: number): Promise<{ text: string; found: unknown[] }> {
  const found: unknown[] = [];
  const out: Buffer[] = [];
  for await (const c of decodedChunks(pieces(buf, size), { onEncoding: (s) => found.push(s) })) out.push(Buffer.from(c));
  return { text: Buffer.concat(out).toString('utf8'), found };
}

const TEXT = '{"level":"error","msg":"café ✓ 𝄞"}\r\n{"level":"info"}\n';

describe('sniffing and decoding', () => {
  it('tells compressions by their magic bytes, and plain text from them', () => {
    expect(sniff(Buffer.from([0x1f, 0x8b, 8, 0]))).toEqual({ compression: 'gzip' });
    expect(sniff(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0]))).toEqual({ compression: 'zstd' });
    expect(sniff(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toEqual({ compression: 'xz' });
    expect(sniff(Buffer.from('BZh91AY&SY\x00'))).toEqual({ compression: 'bzip2' });
    expect(sniff(Buffer.from([0x04, 0x22, 0x4d, 0x18]))).toEqual({ compression: 'lz4' });
    expect(sniff(Buffer.from('PK\x03\x04....'))).toEqual({ compression: 'zip' });
    // Text that happens to open like a magic is text.
    expect(sniff(Buffer.from('BZh is a word here\n'))).toEqual({});
    expect(sniff(Buffer.from('{"level":"info"}\n'))).toEqual({});
    expect(sniff(Buffer.from('PK means nothing\n'))).toEqual({});
  });

  it('decodes UTF-16 LE and BE (BOM or not) in chunks of any size, odd ones included', async () => {
    const le = Buffer.from(TEXT, 'utf16le');
    const be = Buffer.from(le).swap16();
    const cases: [Buffer, unknown][] = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), { encoding: 'utf-16le' }],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), { encoding: 'utf-16be' }],
      [le, { encoding: 'utf-16le', guessed: true }],
      [be, { encoding: 'utf-16be', guessed: true }],
    ];
    for (const [bytes, found] of cases) {
      for (const size of [1, 3, 7, 64, 4096]) {
        const got = await decode(bytes, size);
        expect(got.text, `${JSON.stringify(found)} in ${size}`).toBe(TEXT);
        expect(got.found).toEqual([found]);
      }
    }
    // UTF-8 passes as it is (its BOM is the line reader's), also gzipped UTF-16.
    expect((await decode(Buffer.from(TEXT), 5)).text).toBe(TEXT);
    const gz = gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), le]));
    expect((await decode(gz, 9)).text).toBe(TEXT);
  });

  it('refuses compressions it cannot read before yielding any byte', async () => {
    const bytes = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100, 0x41)]);
    await expect(decode(bytes, 4)).rejects.toThrow('xz-compressed; logtool cannot read it — decompress first (xz -d)');
  });
});

describe('nesting depth', () => {
  const nest = (n: number, open: string, close: string) => `{"a":${open.repeat(n - 1)}1${close.repeat(n - 1)}}`;

  it('counts objects and arrays, not brackets inside strings, and stops past the limit', () => {
    expect(tooDeep(nest(MAX_NESTING, '[', ']'), MAX_NESTING)).toBe(false);
    expect(tooDeep(nest(MAX_NESTING + 1, '[', ']'), MAX_NESTING)).toBe(true);
    expect(tooDeep(nest(MAX_NESTING + 1, '{"b":', '}'), MAX_NESTING)).toBe(true);
    expect(tooDeep(`{"s":"${'['.repeat(5000)}\\"${'{'.repeat(5000)}"}`, MAX_NESTING)).toBe(false);
    // Many brackets side by side are not deep.
    expect(tooDeep(`{"a":[${'[1],'.repeat(3000)}[1]]}`, MAX_NESTING)).toBe(false);
    const deep = JSON.parse(nest(MAX_NESTING + 1, '[', ']'));
    expect(valueTooDeep(deep, MAX_NESTING)).toBe(true);
    expect(valueTooDeep(JSON.parse(nest(MAX_NESTING, '[', ']')), MAX_NESTING)).toBe(false);
  });
});
