import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { SAMPLES } from '../../../src/normalize/samples.js';

describe('logger families', () => {
  const n = createNormalizer();
  for (const s of SAMPLES) {
    it(`normalizes ${s.logger}`, () => {
      const f = n.fields(JSON.parse(s.line));
      for (const [k, v] of Object.entries(s.expect)) {
        if (typeof v === 'number') expect((f as Record<string, unknown>)[k], k).toBeCloseTo(v, 3);
        else expect((f as Record<string, unknown>)[k], k).toEqual(v);
      }
    });
  }
});
