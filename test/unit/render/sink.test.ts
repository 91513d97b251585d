import { describe, expect, it } from 'vitest';
import { jsonPieces, LazyArray } from '../../../src/render/sink.js';

const joined = (v: unknown) => [...jsonPieces(v)].join('');

/** Documents of every shape the commands print, with long arrays where the writer splits. */
const CASES: Record<string, unknown> = {
  empty: { records: [], summary: {}, ids: ['a'] },
  scalarTop: 42,
  stringTop: 'x\u0085y',
  shortArrays: { a: [1, 2, 3], b: [{ x: 1 }, [2, [3]]], c: null },
  longArray: { records: Array.from({ length: 300 }, (_, i) => ({ i, nested: { deep: [i, { s: `v${i}\nline` }] }, none: undefined })) },
  longTopArray: Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? [i, 'x'] : { i })),
  omitted: { u: undefined, f: () => 1, keep: 1, arr: Array.from({ length: 70 }, (_, i) => (i % 2 ? () => i : undefined)) },
  toJson: { when: new Date(0), inner: { toJSON: () => ({ replaced: true }) }, list: Array.from({ length: 100 }, (_, i) => new Date(i)) },
  nestedLong: { groups: [{ key: { op: 'x' }, samples: Array.from({ length: 130 }, (_, i) => i * 1.5) }], deep: { deeper: { longest: Array.from({ length: 90 }, (_, i) => [i]) } } },
};

describe('jsonPieces (streamed --json documents)', () => {
  for (const [name, value] of Object.entries(CASES)) {
    it(`gives JSON.stringify(value, null, 2) byte for byte: ${name}`, () => {
      expect(joined(value)).toBe(JSON.stringify(value, null, 2));
    });
  }

  it('writes a LazyArray as the array it maps to, making elements one by one', () => {
    let made = 0;
    const items = Array.from({ length: 500 }, (_, i) => i);
    const lazy = new LazyArray(items, (i) => {
      made++;
      return { i, sq: i * i };
    });
    const doc = { ids: ['x'], records: lazy, summary: { records: 500 } };
    const it = jsonPieces(doc)[Symbol.iterator]();
    for (let k = 0; k < 10; k++) it.next();
    // Ten pieces in, only the first few elements exist.
    expect(made).toBeLessThan(10);
    expect(joined(doc)).toBe(JSON.stringify({ ids: ['x'], records: items.map((i) => ({ i, sq: i * i })), summary: { records: 500 } }, null, 2));
    // JSON.stringify (small results, other callers) sees the same array through toJSON.
    expect(JSON.stringify(doc)).toBe(JSON.stringify({ ids: ['x'], records: items.map((i) => ({ i, sq: i * i })), summary: { records: 500 } }));
  });

  it('splits a long array into one piece per element (no giant string)', () => {
    const pieces = [...jsonPieces({ records: Array.from({ length: 1000 }, (_, i) => ({ i })) })];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(100);
  });
});
