import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import cliTruncate from 'cli-truncate';
import { commonPrefix, displayWidth, outputWidth, plain, shorten, shortenTemplates, table, type Column } from '../../../src/render/text/layout.js';

const red = new Chalk({ level: 1 }).red;
const widest = (lines: string[]) => Math.max(...lines.map((l) => displayWidth(plain(l))));

describe('outputWidth', () => {
  it('takes --width first, then the terminal, then COLUMNS, then 80', () => {
    expect(outputWidth('120', { isTTY: true, columns: 90 }, { COLUMNS: '70' })).toBe(120);
    expect(outputWidth(undefined, { isTTY: true, columns: 90 }, { COLUMNS: '70' })).toBe(90);
    expect(outputWidth(undefined, { isTTY: false }, { COLUMNS: '70' })).toBe(70);
    expect(outputWidth(undefined, { isTTY: false }, {})).toBe(80);
    expect(outputWidth(undefined, { isTTY: false }, { COLUMNS: 'wide' })).toBe(80);
  });

  it('refuses a --width that is not a number of columns', () => {
    expect(() => outputWidth('abc', { isTTY: false }, {})).toThrow(/--width 'abc'/);
    expect(() => outputWidth('10', { isTTY: false }, {})).toThrow(/at least 40/);
  });
});

describe('shorten', () => {
  it('cuts at the end, middle or start, marking the cut', () => {
    expect(shorten('checkoutservice-production-eu', 12)).toBe('checkoutser…');
    expect(shorten('checkoutservice-production-eu', 12, 'start')).toBe('…oduction-eu');
    const mid = shorten('checkoutservice-production-eu', 12, 'middle');
    expect(displayWidth(mid)).toBe(12);
    expect(mid.startsWith('check')).toBe(true);
    expect(mid.endsWith('-eu')).toBe(true);
    expect(shorten('short', 12)).toBe('short');
  });

  it('counts wide characters as two columns and keeps colours balanced', () => {
    for (const cut of ['end', 'middle', 'start'] as const) {
      for (let w = 2; w < 20; w++) expect(displayWidth(shorten('支払いサービス-本番環境-東京リージョン', w, cut)), `${cut} ${w}`).toBeLessThanOrEqual(w);
    }
    const s = shorten(red('a long red message that will not fit'), 10);
    expect(displayWidth(s)).toBe(10);
    expect(s.endsWith('\x1b[39m')).toBe(true);
  });
});

describe('the plain-text fast path', () => {
  it('cuts plain ASCII exactly as the colour-aware path does', () => {
    const texts = ['checkoutservice-production-eu', 'a', 'ab', 'abcdef', 'x'.repeat(50), 'hello world this is a long message with spaces', 'TraceID: … → │ ┆ marks'];
    for (const t of texts) {
      for (let w = 1; w < 60; w++) {
        for (const cut of ['end', 'middle'] as const) {
          expect(shorten(t, w, cut), `${t} ${w} ${cut}`).toBe(displayWidth(t) <= w ? t : cliTruncate(t, w, { position: cut }));
        }
        expect(displayWidth(t)).toBe(t.length);
      }
    }
  });
});

describe('templates', () => {
  const templates = [
    'TraceID: <*> SpanID: <*> request failed: could not charge card <*>',
    'TraceID: <*> SpanID: <*> request failed: inventory service unreachable at <*>',
    'TraceID: <*> SpanID: <*> request failed: timeout calling shipping quote',
  ];

  it('finds the words they share', () => {
    expect(commonPrefix(templates)).toBe('TraceID: <*> SpanID: <*> request failed: ');
    expect(commonPrefix(['same', 'same'])).toBe('');
    expect(commonPrefix(['only one'])).toBe('');
  });

  it('skip the shared start so rows stay told apart', () => {
    const out = shortenTemplates(templates, 36);
    for (const t of out) expect(displayWidth(t)).toBeLessThanOrEqual(36);
    expect(new Set(out).size).toBe(3);
    expect(out[0]).toMatch(/^…could not charge/);
    expect(out[1]).toMatch(/^…inventory/);
    expect(shortenTemplates(templates, 200)).toEqual(templates);
  });

  it('or shorten the shared start in its middle while what differs fits beside it', () => {
    const out = shortenTemplates(templates, 64, { sharedStart: 'shorten' });
    for (const t of out) expect(displayWidth(t)).toBeLessThanOrEqual(64);
    expect(out[0]).toMatch(/^TraceID: .*….*could not charge card <\*>$/);
    expect(new Set(out).size).toBe(3);
  });
});

describe('table', () => {
  const columns: Column[] = [
    { header: 'operation', kind: 'key' },
    { header: 'count', kind: 'number' },
    { header: 'p95', kind: 'number' },
    { header: 'histogram', kind: 'text', optional: true, min: 10 },
  ];
  const rows = [
    ['checkoutservice, hipstershop.CheckoutService/PlaceOrder', '12,345', '2.31s', '▁▂▃▄▅▆▇█▇▆▅▄▃▂▁▁▂▃'],
    ['checkoutservice, hipstershop.CheckoutService/GetQuote', '9', '120ms', '▁▂'],
    [{ text: 'cart', paint: red }, '1', '3ms', '▁'],
  ];

  it('fits every width, numbers whole, keys told apart', () => {
    for (const width of [40, 60, 80, 100, 200]) {
      const lines = table(columns, rows, width);
      expect(widest(lines)).toBeLessThanOrEqual(width);
      const body = lines.slice(1).map(plain);
      expect(body[0]).toContain('12,345');
      expect(body[0]).toContain('2.31s');
      expect(new Set(body.map((l) => l.split(/\s+\d/)[0])).size).toBe(3);
    }
    const wide = table(columns, rows, 200).map(plain);
    expect(wide[1]).toContain('hipstershop.CheckoutService/PlaceOrder');
    const narrow = table(columns, rows, 60).map(plain);
    expect(narrow[1]).toMatch(/PlaceOrder|…/);
  });

  it('drops an optional column before cutting keys to nothing, and paints after fitting', () => {
    const lines = table(columns, rows, 40);
    expect(plain(lines[0])).not.toContain('histogram');
    expect(lines[3]).toContain('\x1b[31mcart');
    expect(table(columns, rows, 200)[0]).toContain('histogram');
  });

  it('right-aligns numbers under their header and leaves no trailing spaces', () => {
    const lines = table(columns, rows, 100).map(plain);
    const at = lines[0].indexOf('count') + 'count'.length;
    for (const l of lines.slice(1)) expect(l.slice(0, at).trimEnd().length).toBe(at);
    for (const l of lines) expect(l).toBe(l.trimEnd());
  });
});
