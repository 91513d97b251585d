import { describe, expect, it } from 'vitest';
import { ENVELOPE_KEYS, ENVELOPES, LINE_ENVELOPES } from '../../../src/formats/envelopes/index.js';
import { LAYOUTS } from '../../../src/formats/layouts/index.js';

const ctx = () => ({ year: 2024, now: Date.UTC(2024, 6, 1), memory: {} });

describe('text layouts read their own samples', () => {
  it('names are unique and lower case', () => {
    const names = LAYOUTS.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });
  for (const layout of LAYOUTS) {
    it(`${layout.name}: every sample parses to its fields`, () => {
      expect(layout.samples.length).toBeGreaterThan(0);
      // A stateful layout's samples are read in order, as lines of one input.
      const c = ctx();
      for (const s of layout.samples) {
        const got = layout.parse(s.line, c);
        expect(got, s.line).toBeDefined();
        for (const [k, v] of Object.entries(s.fields)) {
          if (v === null) expect(got![k], `${k} in ${s.line}`).toBeUndefined();
          else expect(got![k], `${k} in ${s.line}`).toEqual(v);
        }
      }
    });
  }
});

describe('envelopes open their own samples', () => {
  for (const env of ENVELOPES) {
    it(`${env.name}: every sample matches and opens to its entries`, () => {
      expect(env.samples.length).toBeGreaterThan(0);
      for (const s of env.samples) {
        const obj = JSON.parse(s.input);
        expect(env.match(obj), s.input).toBe(true);
        const got = env.open(obj);
        expect(got.length).toBe(s.expect.length);
        s.expect.forEach((e, i) => expect(got[i]).toMatchObject(e));
      }
    });
  }
  it('every envelope sample holds one of ENVELOPE_KEYS at its top level (the byte prefilters rely on it)', () => {
    for (const env of ENVELOPES) {
      for (const s of env.samples) {
        const keys = Object.keys(JSON.parse(s.input) as object);
        expect(keys.some((k) => ENVELOPE_KEYS.includes(k)), `${env.name}: ${s.input.slice(0, 80)}`).toBe(true);
      }
    }
  });
  for (const env of LINE_ENVELOPES) {
    it(`${env.name}: every sample line opens`, () => {
      for (const s of env.samples) expect(env.open(s.line), s.line).toMatchObject(s.expect);
    });
  }
});
