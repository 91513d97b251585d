import { describe, expect, it } from 'vitest';
import { readBundle, SeenSources, type BundleRead } from '../../../src/read/bundle.js';
import { put, read, tmp } from './helpers.js';

const rec = (i: number, level = 'error') => ({ time: `2024-01-15T10:00:${String(i).padStart(2, '0')}Z`, level, msg: `m${i}` });
const entry = (file: string, i: number, level = 'error') => ({ source: `${file}:${i}`, record: rec(i, level) });

async function* chunksOf(text: string, size: number): AsyncIterable<Buffer> {
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('SeenSources', () => {
  it('finds the sources of earlier lists whatever their order, per file, also without a line number', () => {
    const s = new SeenSources();
    s.nextList();
    for (const src of ['b.log:9', 'a.log:30', 'a.log:2', 'a.log:17', '(odd)']) s.add(src);
    // Within the list being read, nothing is searched yet.
    expect(s.has('a.log:2')).toBe(false);
    expect(s.has('(odd)')).toBe(true);
    s.nextList();
    for (const src of ['a.log:2', 'a.log:17', 'a.log:30', 'b.log:9']) expect(s.has(src), src).toBe(true);
    for (const src of ['a.log:3', 'b.log:2', 'c.log:2', 'a.log:1']) expect(s.has(src), src).toBe(false);
    s.add('c.log:5');
    s.nextList();
    expect(s.has('c.log:5')).toBe(true);
    expect(s.has('a.log:30')).toBe(true);
  });
});

describe('readBundle', () => {
  it('gives each record once across the lists, in the bundle order, in chunks of any size; entries that are no {source, record} are counted', async () => {
    const doc = {
      generated_at: '2024-01-15T10:05:00Z',
      errors: [entry('b.log', 4), entry('a.log', 7), entry('a.log', 1)],
      performance_violations: [entry('a.log', 1), entry('a.log', 3, 'info'), 'junk', entry('b.log', 4)],
      circuit_breaker_events: [entry('a.log', 7), { source: 'x' }],
      inputs: [{ source: 'a.log' }, { source: 'b.log' }],
      summary: { errors: { total: 3 }, nested: [[{ errors: [1] }]] },
    };
    for (const size of [1, 7, 1 << 16]) {
      const got: string[] = [];
      const found: BundleRead = { lines: 0, entries: 0, duplicates: 0, malformed: 0 };
      await readBundle(chunksOf(JSON.stringify(doc, null, size === 7 ? 2 : undefined), size), (e) => got.push(e.source), found);
      expect(got, String(size)).toEqual(['b.log:4', 'a.log:7', 'a.log:1', 'a.log:3']);
      expect(found).toMatchObject({ entries: 9, duplicates: 3, malformed: 2 });
    }
  });

  it('reads a bundle file: original sources and line numbers, levels, times; the document one line', async () => {
    const d = tmp();
    const doc = { generated_at: '2024-01-15T10:05:00Z', errors: [entry('/logs/a.log', 12)], performance_violations: [entry('/logs/a.log', 12), entry('/logs/a.log', 40, 'info')], circuit_breaker_events: [], inputs: [], summary: {} };
    const f = put(d, 'bundle.json', JSON.stringify(doc));
    const { records, stats } = await read([f]);
    expect(records.map((r) => [r.source, r.file, r.line, r.level, r.message])).toEqual([
      ['/logs/a.log:12', f, 12, 'error', 'm12'],
      ['/logs/a.log:40', f, 40, 'info', 'm40'],
    ]);
    expect(records[0].time).toBe(Date.parse('2024-01-15T10:00:12Z'));
    expect(stats[0]).toMatchObject({ format: 'emergency-bundle', lines: 1, records: 2, expanded_records: 1, continuation_lines: 0 });
  });
});
