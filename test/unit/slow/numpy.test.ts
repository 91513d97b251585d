import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Quantiles, SampleBudget } from '../../../src/analyze/lib/quantiles.js';
import { lcg, PS, SHAPES } from './samples.js';

// numpy itself, when this machine has it: the reference the README names, not a re-implementation.
const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const HAS_NUMPY = probe.status === 0;
if (!HAS_NUMPY) console.log('note: python3 with numpy not found; the bit-for-bit numpy comparison is skipped');

const SCRIPT = `
import json, sys, numpy as np
cases = json.load(sys.stdin)
print(json.dumps([[float(np.quantile(np.array(c["xs"], dtype=np.float64), q)) for q in c["ps"]] for c in cases]))
`;

describe.skipIf(!HAS_NUMPY)('exact percentiles against numpy.quantile (what numpy.percentile(x, 99) computes for p99)', () => {
  it('are the same doubles, bit for bit, on skewed, gapped and tied samples of many sizes', () => {
    const cases: { xs: number[]; ps: number[] }[] = [];
    for (const [k, shape] of Object.values(SHAPES).entries()) {
      for (const n of [1, 2, 3, 10, 121, 1000, 9999]) {
        const u = lcg(1000 * k + n);
        cases.push({ xs: shape(u, n), ps: [...PS, 0.123, 0.5 + u() / 2] });
      }
    }
    const py = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(py.status, py.stderr).toBe(0);
    const want = JSON.parse(py.stdout) as number[][];
    cases.forEach((c, i) => {
      const q = new Quantiles(new SampleBudget(1));
      for (const x of c.xs) q.add(x);
      expect(q.exact).toBe(true);
      expect(c.ps.map((p) => q.quantile(p)), `case ${i} (n=${c.xs.length})`).toEqual(want[i]);
    });
  });
});
