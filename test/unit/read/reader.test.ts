import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, fileChunks } from '../../../src/read/bytes.js';
import { orderRotated } from '../../../src/read/sources.js';
import { put, read, tmp } from './helpers.js';

const rec = (msg: string, extra: Record<string, unknown> = {}) => JSON.stringify({ time: '2024-01-15T10:00:00Z', level: 'info', msg, ...extra });

function accounted(s: { lines: number; records: number; continuation_lines: number; unparsed_lines: number; skipped_lines: number }) {
  return s.records + s.continuation_lines + s.unparsed_lines + s.skipped_lines;
}

describe('line reader', () => {
  it('reads JSON lines with their 1-based line numbers', async () => {
    const d = tmp();
    const f = put(d, 'a.log', `${rec('one')}\n${rec('two')}\n`);
    const { records, stats } = await read([f]);
    expect(records.map((r) => [r.message, r.source])).toEqual([['one', `${f}:1`], ['two', `${f}:2`]]);
    expect(stats[0]).toMatchObject({ lines: 2, records: 2, unparsed_lines: 0 });
  });

  it('survives BOM, CRLF, invalid UTF-8, binary junk, blank lines and a truncated last line', async () => {
    const d = tmp();
    const junk = Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x0a]);
    const data = Buffer.concat([
      Buffer.from('\uFEFF' + rec('bom') + '\r\n'),
      Buffer.from(rec('crlf') + '\r\n'),
      Buffer.from('{"msg":"bad \xff utf8","level":"info"}\n', 'latin1'),
      junk,
      Buffer.from('\n'),
      Buffer.from('{"msg":"cut off", "lev'),
    ]);
    const f = put(d, 'quirks.log', data);
    const { records, stats } = await read([f]);
    expect(records.map((r) => r.message)).toEqual(['bom', 'crlf', 'bad \ufffd utf8']);
    expect(stats[0].lines).toBe(6);
    expect(accounted(stats[0])).toBe(stats[0].lines);
    expect(stats[0].unparsed_lines).toBe(3);
  });

  it('counts an empty file as zero lines', async () => {
    const d = tmp();
    const { stats } = await read([put(d, 'empty.log', '')]);
    expect(stats[0]).toMatchObject({ lines: 0, records: 0 });
  });

  it('attaches tracebacks and stack frames to the record they follow', async () => {
    const d = tmp();
    const lines = [
      rec('boom', { level: 'error' }),
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      '    main()',
      'ValueError: bad value',
      rec('next'),
      'not a continuation',
      rec('js'),
      'Error: nope',
      '    at foo (a.js:1:1)',
    ];
    const f = put(d, 'tb.log', lines.join('\n') + '\n');
    const { records, stats } = await read([f]);
    expect(records[0].continuation).toHaveLength(4);
    expect(records[0].stack).toContain('ValueError: bad value');
    expect(records[1].continuation).toEqual([]);
    expect(records[2].continuation).toEqual(['Error: nope', '    at foo (a.js:1:1)']);
    expect(stats[0]).toMatchObject({ lines: 10, records: 3, continuation_lines: 6, unparsed_lines: 1 });
  });

  it('reads text-prefixed objects and unwraps Docker json-file lines', async () => {
    const d = tmp();
    const inner = JSON.stringify({ msg: 'inside', id: 'r1' });
    const lines = [
      `2024-01-15 10:30:45 ERROR {"msg":"prefixed"}`,
      JSON.stringify({ log: inner + '\n', stream: 'stdout', time: '2024-01-15T10:30:46Z' }),
      JSON.stringify({ log: 'plain text from a container\n', stream: 'stderr', time: '2024-01-15T10:30:47Z' }),
    ];
    const { records } = await read([put(d, 'p.log', lines.join('\n'))]);
    expect(records[0]).toMatchObject({ message: 'prefixed', level: 'error', time: Date.parse('2024-01-15T10:30:45Z') });
    expect(records[1]).toMatchObject({ message: 'inside', ids: ['r1'], time: Date.parse('2024-01-15T10:30:46Z') });
    // The wrapper's fields stay as context beside the inner record's.
    expect(records[1].raw).toEqual({ msg: 'inside', id: 'r1', stream: 'stdout', time: '2024-01-15T10:30:46Z' });
    // A text line inside an envelope is the record's message, without Docker's newline.
    expect(records[2].raw).toMatchObject({ message: 'plain text from a container', stream: 'stderr' });
  });

  it('recognises gzip by magic bytes and reports a truncated gzip without losing what was read', async () => {
    const d = tmp();
    const body = Array.from({ length: 2000 }, (_, i) => rec(`m${i}`)).join('\n') + '\n';
    const gz = gzipSync(body);
    const whole = put(d, 'nogzname.log', gz);
    const cut = put(d, 'cut.log.gz', gz.subarray(0, gz.length - 200));
    const a = await read([whole]);
    expect(a.records).toHaveLength(2000);
    const b = await read([cut]);
    expect(b.problems[0]).toMatch(/truncated gzip/);
    expect(b.records.length).toBeGreaterThan(0);
    expect(b.stats[0].error).toMatch(/truncated gzip/);
  });

  it('streams JSON array documents with the line each element starts on', async () => {
    const d = tmp();
    const doc = '[\n  {\n    "msg": "a"\n  },\n  {"msg": "b, [x]"},\n  3\n]\n';
    const { records, stats } = await read([put(d, 'export.json', doc)]);
    expect(records.map((r) => [r.message, r.line])).toEqual([['a', 2], ['b, [x]', 5]]);
    expect(stats[0]).toMatchObject({ format: 'json-array', records: 2, lines: 7 });
  });

  it('reads a line of several megabytes', async () => {
    const d = tmp();
    const big = rec('big', { payload: 'x'.repeat(5_000_000) });
    const { records } = await read([put(d, 'big.log', `${rec('a')}\n${big}\n${rec('b')}\n`)]);
    expect(records.map((r) => r.message)).toEqual(['a', 'big', 'b']);
  });

  it('reads inputs of several read buffers intact: plain, gzip and JSON array (buffers are reused)', async () => {
    const d = tmp();
    // Lines of varying length, so records straddle every buffer boundary at a different offset.
    // Noise keeps the gzip form larger than two buffers too.
    let seed = 1;
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const noise = (n: number) => Array.from({ length: n }, () => ALPHABET[(seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 26]).join('');
    const lines: string[] = [];
    for (let size = 0, i = 0; size < 3.5 * CHUNK_SIZE; i++) {
      lines.push(rec(`m${i}`, { pad: noise((i * 7919) % 3000) }));
      size += lines[lines.length - 1].length + 1;
    }
    const body = lines.join('\n') + '\n';
    const plain = await read([put(d, 'big.log', body)]);
    expect(plain.records.map((r) => r.text)).toEqual(lines);
    expect(plain.records.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1));
    const packed = gzipSync(body);
    expect(packed.length).toBeGreaterThan(2 * CHUNK_SIZE);
    const gz = await read([put(d, 'big.log.gz', packed)]);
    expect(gz.records.map((r) => r.text)).toEqual(lines);
    const arr = await read([put(d, 'big.json', `[\n${lines.join(',\n')}\n]\n`)]);
    expect(arr.records.map((r) => r.message)).toEqual(lines.map((l) => JSON.parse(l).msg));
  });

  it('reads a byte range of a file, chunk by chunk, exactly', async () => {
    const d = tmp();
    const data = Buffer.from(Array.from({ length: 3 * CHUNK_SIZE + 5 }, (_, i) => 97 + (i % 26)));
    const file = put(d, 'bytes.bin', data);
    const got: Buffer[] = [];
    for await (const c of fileChunks(file, 1000, 2 * CHUNK_SIZE + 17)) got.push(Buffer.from(c));
    expect(Buffer.concat(got).equals(data.subarray(1000, 2 * CHUNK_SIZE + 17))).toBe(true);
    const all: Buffer[] = [];
    for await (const c of fileChunks(file)) all.push(Buffer.from(c));
    expect(Buffer.concat(all).equals(data)).toBe(true);
  });

  it('skips lines without the wanted bytes but keeps continuations of wanted records', async () => {
    const d = tmp();
    const lines = [rec('x', { id: 'a1' }), rec('y', { id: 'b2' }), '  frame of b2', rec('z', { id: 'a1' }), '  frame of a1'];
    const { records, stats } = await read([put(d, 'f.log', lines.join('\n'))], ['a1']);
    expect(records.map((r) => r.message)).toEqual(['x', 'z']);
    expect(records[1].continuation).toEqual(['  frame of a1']);
    expect(accounted(stats[0])).toBe(5);
  });

  it('names a missing file and goes on with the others', async () => {
    const d = tmp();
    const ok = put(d, 'ok.log', rec('fine'));
    const { records, problems } = await read([`${d}/missing.log`, ok]);
    expect(problems).toEqual([`${d}/missing.log: no such file or directory`]);
    expect(records).toHaveLength(1);
  });
});

describe('rotation order', () => {
  it('reads rotated siblings oldest first', () => {
    expect(orderRotated(['logs/app.log', 'logs/app.log.1', 'logs/app.log.2.gz', 'logs/other.log', 'logs/app.log.10.gz'])).toEqual([
      'logs/app.log.10.gz',
      'logs/app.log.2.gz',
      'logs/app.log.1',
      'logs/app.log',
      'logs/other.log',
    ]);
    expect(orderRotated(['a.log', 'a.log-20240116', 'a.log-20240115.gz'])).toEqual(['a.log-20240115.gz', 'a.log-20240116', 'a.log']);
  });
});

describe('pretty-printed JSON', () => {
  it('reads an object spread over several lines as one record whose other lines are continuation', async () => {
    const d = tmp();
    const text = ['{"time":"2024-01-01T00:00:00Z","msg":"one"}', '{', '  "msg": "two",', '', '  "level": "error"', '}', '{"msg": "broken', '2024-01-15 10:30:45 INFO {"msg":"prefixed"}', '{"msg":"cut'].join('\n');
    const { records, stats } = await read([put(d, 'pretty.log', text)]);
    expect(records.map((r) => [r.message, r.line])).toEqual([['one', 1], ['two', 2], ['prefixed', 8]]);
    expect(stats[0]).toMatchObject({ lines: 9, records: 3, continuation_lines: 4, unparsed_lines: 2 });
  });
});
