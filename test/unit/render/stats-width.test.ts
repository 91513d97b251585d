import { describe, expect, it } from 'vitest';
import { statsAnalysis } from '../../../src/analyze/stats.js';
import { makeChalk } from '../../../src/render/output.js';
import { renderStats, statsJson } from '../../../src/render/text/stats.js';
import type { FileStats } from '../../../src/types.js';
import { rec, run } from '../analyze/records.js';
import { lines, longKey, widest, WIDTHS } from './width-helpers.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const colour = makeChalk(true);

function file(source: string, p: Partial<FileStats> = {}): FileStats {
  return { source, lines: 123_456, records: 120_000, continuation_lines: 3_000, unparsed_lines: 456, skipped_lines: 0, bytes: 1, format: 'lines', unknown_levels: 0, expanded_records: 0, layouts: { 'docker/json': 120_000 }, ...p };
}

const files = [
  file('/var/log/containers/checkoutservice-7d9f8b6c5-abcde_production_checkoutservice-0123456789abcdef.log'),
  file('/var/log/containers/checkoutservice-7d9f8b6c5-abcde_production_checkoutservice-fedcba9876543210.log', { error: 'truncated gzip: read up to byte 1,234,567' }),
];

/** 40 records with a long service, 30 with a component only, 30 with neither; over four hours. */
function result() {
  const records = [
    ...Array.from({ length: 40 }, (_, i) => rec({ service: longKey(i % 12), time: T + i * 360_000, level: i % 7 ? 'info' : 'error' })),
    ...Array.from({ length: 30 }, (_, i) => rec({ component: `hipstershop.CheckoutService.internal.${i % 3}`, time: T + i * 480_000 })),
    ...Array.from({ length: 30 }, () => rec({})),
  ];
  return run(statsAnalysis, records);
}

describe('stats, fitted to the width', () => {
  const res = result();

  for (const width of WIDTHS) {
    it(`at ${width} columns no line is wider; keys told apart, numbers and file names whole`, () => {
      const out = renderStats(files, res, colour, width);
      expect(widest(out), out).toBeLessThanOrEqual(width);
      const text = lines(out);
      // The file names (the end of the path) and every count stay.
      expect(text.filter((l) => /0123456789abcdef\.log\s+123,456\s+120,000\s+3,000\s+456/.test(l))).toHaveLength(1);
      expect(text.filter((l) => /fedcba9876543210\.log\s+123,456/.test(l))).toHaveLength(1);
      // Services that differ only at the end stay apart.
      const services = text.slice(text.indexOf('by service') + 1, text.indexOf('by service') + 11);
      expect(new Set(services.map((l) => l.trim().split(/\s{2,}/)[0])).size).toBe(10);
      for (const l of services) expect(l).toMatch(/variant-\d\d\s/);
      // The error of a file is told, beside it or below the table.
      expect(out).toContain('truncated gzip');
      // The per-minute sparkline uses the room it has.
      const spark = text.find((l) => l.startsWith('per '))!;
      expect(spark.length).toBeGreaterThan(width / 2);
    });
  }

  for (const width of [40, 60, 80]) {
    it(`at ${width} columns (40 is the least) every line fits, the counts whole`, () => {
      const out = renderStats(files, res, colour, width);
      expect(widest(out), out).toBeLessThanOrEqual(width);
      const text = lines(out);
      expect(text.filter((l) => /\.log\s+123,456\s+120,000\s+3,000\s+456(\s|$)/.test(l)), out).toHaveLength(2);
      expect(text[0]).toMatch(width < 60 ? /^file\s+lines records\s+cont\. unpars\.$/ : /continuation unparsed/);
    });
  }

  it('at 40 columns, with bigger counts, columns that are 0 for every file go', () => {
    const big = [file('/var/log/app/a-long-file-name-0.log', { lines: 12_345_678, records: 12_345_678, continuation_lines: 0, unparsed_lines: 0, layouts: {} }), file('/var/log/app/a-long-file-name-1.log', { lines: 12_345_678, records: 12_345_678, continuation_lines: 0, unparsed_lines: 0, layouts: {} })];
    const out = renderStats(big, res, colour, 40);
    expect(widest(out), out).toBeLessThanOrEqual(40);
    const text = lines(out);
    expect(text[0]).toMatch(/^file\s+lines\s+records$/);
    expect(text.filter((l) => /name-\d\.log\s+12,345,678\s+12,345,678$/.test(l)), out).toHaveLength(2);
  });

  it('a (none) row counts the records without a service, so the rows add up to the records', () => {
    const out = lines(renderStats(files, res, colour, 200));
    const block = (title: string) => out.slice(out.indexOf(title) + 1, out.indexOf('', out.indexOf(title)));
    const sum = (rows: string[]) => rows.reduce((a, l) => a + Number(l.trim().split(/\s{2,}/)[1].replace(/,/g, '')), 0);
    const svc = block('by service');
    expect(svc.at(-1)).toMatch(/^\s+\(none\)\s+60\s+60\.0%$/);
    expect(svc.some((l) => /… 2 more\s+\d+/.test(l))).toBe(true);
    expect(sum(svc)).toBe(100);
    const comp = block('by component / logger');
    expect(comp.at(-1)).toMatch(/^\s+\(none\)\s+70\s+70\.0%$/);
    expect(sum(comp)).toBe(100);
    expect(res.without_service).toBe(60);
    expect(res.without_component).toBe(70);
    // --json keeps its maps as they were and gives the figure beside them.
    const json = statsJson(files, res) as Record<string, unknown>;
    expect(json.by_service).not.toHaveProperty('(none)');
    expect(json.without_service).toBe(60);
    expect(json.without_component).toBe(70);
  });

  it('no (none) row when every record has a service', () => {
    const all = run(statsAnalysis, [rec({ service: 'api' }), rec({ service: 'db' })]);
    expect(all.without_service).toBe(0);
    expect(renderStats([file('a.log')], all, colour, 80)).not.toContain('(none)');
  });
});
