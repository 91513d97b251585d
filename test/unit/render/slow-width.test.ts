import { describe, expect, it } from 'vitest';
import { slowAnalysis } from '../../../src/analyze/slow.js';
import { makeChalk } from '../../../src/render/output.js';
import { renderSlow } from '../../../src/render/text/slow.js';
import { rec, run } from '../analyze/records.js';
import { lines, longKey, widest, WIDTHS } from './width-helpers.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const colour = makeChalk(true);

/** Groups keyed by service and a long operation, with a spread of durations (several buckets each). */
function result(keys: string[], id = 'req-0123456789abcdef') {
  const records = keys.flatMap((k, i) =>
    Array.from({ length: 20 }, (_, j) => rec({ service: k.split(', ')[0], operation: k.split(', ')[1], durationMs: (j + 1) * (i + 3) * 37.5, time: T + j * 1000, ids: [id], raw: { request_id: id } })),
  );
  return run(slowAnalysis({ by: ['service', 'operation'], threshold: 500 }), records);
}

describe('slow, fitted to the width', () => {
  const res = result(Array.from({ length: 6 }, (_, i) => longKey(i)));

  for (const width of WIDTHS) {
    it(`at ${width} columns no line is wider, keys stay told apart and numbers whole`, () => {
      const out = renderSlow(res, res.groups, colour, { width, chart: true });
      expect(widest(out), out).toBeLessThanOrEqual(width);
      const all = lines(out);
      const rows = all.slice(1, all.indexOf('')).filter((l) => l.startsWith('checkout'));
      expect(rows).toHaveLength(6);
      // The end of each key (variant-NN) survives: the middle went.
      for (let i = 0; i < 6; i++) expect(rows.filter((r) => new RegExp(`ant-0${i}\\s`).test(r)), out).toHaveLength(1);
      // Each field keeps its own end: the service's region as well as the operation's variant.
      for (const r of rows) expect(r).toMatch(/-1, /);
      // Counts and the p95 are whole on every row.
      for (const g of res.groups) expect(out).toContain(String(g.count));
      expect(plain(out)).toMatch(/next: logtool trace req-0123456789abcdef/);
    });
  }

  it('shows whole keys and the latency sparkline on a wide terminal', () => {
    const out = lines(renderSlow(res, res.groups, colour, { width: 200 }));
    expect(out[0]).toMatch(/hist/);
    expect(out[1]).toMatch(/[▁▂▃▄▅▆▇█]{3}/);
    for (let i = 0; i < 6; i++) expect(out.join('\n')).toContain(longKey(i));
    expect(out.join('\n')).not.toContain('not shown');
  });

  it('at 100 columns keeps the sparkline when the keys are short', () => {
    const short = result(['api, checkout', 'api, charge']);
    const out = lines(renderSlow(short, short.groups, colour, { width: 100 }));
    expect(out[0]).toMatch(/hist/);
    expect(out[1]).toMatch(/[▁▂▃▄▅▆▇█]{3}/);
  });

  it('at 80 columns with long keys drops the sparkline before cutting the key to nothing', () => {
    const out = lines(renderSlow(res, res.groups, colour, { width: 80 }));
    expect(out[0]).not.toMatch(/hist/);
    expect(out[1]).not.toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it('gives up the least important numbers, and says so, rather than leave the key no room', () => {
    // Durations of hours make every percentile column wide.
    const wide = run(slowAnalysis({ by: ['operation'] }), Array.from({ length: 40 }, (_, j) => rec({ operation: `op-${j % 3}-with-a-long-name-that-needs-room`, durationMs: 3_600_000 * 10 + j * 1e6 })));
    wide.groups.forEach((g) => Object.assign(g, { count: 1_234_567_890, violations: 123_456_789, exact: false }));
    const out = renderSlow(wide, wide.groups, colour, { width: 64 });
    expect(widest(out)).toBeLessThanOrEqual(64);
    const head = lines(out)[0];
    expect(head).not.toMatch(/p90/);
    expect(head).toMatch(/count .*p50 .*p95 .*p99 .*max/);
    // The key keeps 16 columns (its ends readable).
    expect(lines(out)[1]).toMatch(/^op-0-with.*….*room\s/);
    expect(lines(out)[1].indexOf(' 1,234,567,890')).toBeGreaterThanOrEqual(16);
    expect(plain(out)).toMatch(/\(p90(, viol)? not shown at 64 columns/);
    expect(plain(out)).toContain('1,234,567,890');
    const roomy = renderSlow(wide, wide.groups, colour, { width: 200 });
    expect(plain(roomy)).not.toContain('not shown');
  });
});

const plain = (s: string) => lines(s).join('\n');
