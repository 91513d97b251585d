import { describe, expect, it } from 'vitest';
import type { RuleResult } from '../../../src/check/engine.js';
import { makeChalk } from '../../../src/render/output.js';
import { renderCheck } from '../../../src/render/text/check.js';
import { lines, widest, WIDTHS } from './width-helpers.js';

const colour = makeChalk(true);
const rule = (p: Partial<RuleResult>): RuleResult => ({ name: 'r', metric: 'p95_ms', value: 1234, max: 2000, passed: true, where: {}, ...p });

const results = [
  rule({ name: 'checkout p95 on the main path of the payment gateway, region eu-west-1', value: 4760, passed: false }),
  rule({ name: 'checkout p95 on the main path of the payment gateway, region us-east-2', value: 40 }),
  rule({ name: 'error rate', metric: 'error_rate', value: 0.10891, max: 0.5 }),
  rule({ name: 'levels readable', metric: 'unknown_level_rate', value: 1, max: 0.1, passed: false }),
  rule({ name: 'error rate without levels', metric: 'error_rate', value: 0, max: 0.5, passed: false, reason: 'could not judge: none of 4 records has a recognisable level' }),
];

describe('check, fitted to the width', () => {
  for (const width of WIDTHS) {
    it(`at ${width} columns no line is wider; names told apart, values, limits and verdicts whole`, () => {
      const out = renderCheck(results, colour, width);
      expect(widest(out), out).toBeLessThanOrEqual(width);
      const text = lines(out);
      expect(text.filter((l) => /eu-west-1\s.*4\.76s\s+≤ 2s\s+FAIL/.test(l))).toHaveLength(1);
      expect(text.filter((l) => /us-east-2\s.*40ms\s+≤ 2s\s+PASS/.test(l))).toHaveLength(1);
      expect(text.filter((l) => /unknown_level_rate\s+1 \(100\.00%\)\s+≤ 0\.1 \(10\.00%\)\s+FAIL/.test(l))).toHaveLength(1);
      // The reason is whole: beside its verdict, or below the table.
      expect(text.join(' ').replace(/\s+/g, ' ')).toContain('could not judge: none of 4 records has a recognisable level');
      expect(text.at(-2)).toBe('3 of 5 rules failed');
    });
  }

  it('puts the reason beside its verdict when the row holds it', () => {
    const text = lines(renderCheck(results, colour, 200));
    expect(text.find((l) => l.startsWith('error rate without levels'))).toMatch(/FAIL could not judge: none of 4 records/);
    expect(lines(renderCheck(results, colour, 80)).find((l) => l.startsWith('error rate without levels: could not judge'))).toBeDefined();
  });
});
