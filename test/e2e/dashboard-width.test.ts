import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';
import { Terminal } from './tmux.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The dashboard's rows: the screen without its header line and what the shell prints after it. */
function paneRows(screen: string): string[] {
  const rows = screen.split('\n').slice(1);
  const end = rows.findIndex((l) => l.startsWith('EXIT='));
  return (end < 0 ? rows : rows.slice(0, end)).filter((l) => l.trim() !== '');
}

/** The pattern rows of the clusters pane (left of the second row of panes): what follows each sparkline. */
function patternRows(screen: string, width: number): string[] {
  const rows = paneRows(screen);
  const at = rows.findIndex((l) => l.includes('top error patterns'));
  const out: string[] = [];
  for (const l of rows.slice(at + 1)) {
    if (l.startsWith('╰')) break;
    const leftPane = l.slice(0, Math.floor(width * 0.62));
    const m = /^│\s+[\d,]+ [▁▂▃▄▅▆▇█]+\s+(?:NEW )?(.*?)\s*│$/.exec(leftPane);
    if (m) out.push(m[1]);
  }
  return out;
}

/** Checks that every row fits the width and the pane borders line up at its edges. */
function expectAligned(screen: string, width: number): void {
  const lines = screen.split('\n');
  for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(width);
  for (const l of paneRows(screen)) {
    // Each row of panes spans the terminal exactly: it starts and ends on a border.
    expect(stringWidth(l), l).toBe(width);
    expect(l[0], l).toMatch(/[╭│╰]/);
    expect(l[l.length - 1], l).toMatch(/[╮│╯]/);
  }
}

/** Errors that all begin with the same long prefix, as traced services write them. */
function sharedPrefixLog(dir: string): void {
  const lines: string[] = [];
  const t0 = Date.parse('2024-03-01T10:00:00Z');
  const hex = (n: number, i: number) => ((Math.imul(i, 2654435761) >>> 0).toString(16) + '0123456789abcdef').slice(0, n);
  for (let i = 0; i < 400; i++) {
    const time = new Date(t0 + i * 1500).toISOString();
    const prefix = `TraceID: ${hex(16, i + 1)}${hex(16, i + 7)} SpanID: ${hex(16, i + 3)} service=checkout env=production region=eu-west-1 request pipeline stage=submit handler error:`;
    if (i % 4 === 0) lines.push(JSON.stringify({ time, level: 'error', service: 'checkout', message: `${prefix} failed to charge card ${4000 + i}` }));
    else if (i % 4 === 1) lines.push(JSON.stringify({ time, level: 'error', service: 'checkout', message: `${prefix} could not reach inventory ${10 + i}` }));
    else lines.push(JSON.stringify({ time, level: 'info', service: 'checkout', message: `order ${i} ok`, operation: 'submit', duration_ms: 100 + i }));
  }
  writeFileSync(path.join(dir, 'app.log'), lines.join('\n') + '\n');
}

describe('dashboard fits the terminal', () => {
  const terms: Terminal[] = [];
  afterAll(() => terms.forEach((t) => t.kill()));

  for (const [width, height] of [
    [80, 24],
    [200, 50],
  ]) {
    it(`lines its panes up at ${width}×${height}, keeps patterns told apart, and Ctrl-U clears the filter`, async () => {
      const term = new Terminal(width, height);
      terms.push(term);
      term.start(`node ${BIN} dashboard fixtures/incident`, ROOT);
      await term.waitFor('replayed 3,709 records from 9 files');
      await term.waitFor('top error patterns (6)', 5000);
      await pause(500);
      const screen = term.screen();
      expectAligned(screen, width);
      // The slow pane's header is one line: the percentiles sit beside `operation`.
      const header = screen.split('\n').find((l) => /│ operation /.test(l));
      expect(header, screen).toBeDefined();
      expect(header).toMatch(/operation\s+(p50\s+)?p95\s+p99/);
      expect(screen).toMatch(/checkout\s+(359ms\s+)?4\.76s\s+8\.65s/);
      // Every error pattern shown reads differently.
      const patterns = patternRows(screen, width);
      expect(patterns.length, screen).toBeGreaterThanOrEqual(4);
      expect(new Set(patterns).size).toBe(patterns.length);
      if (width >= 200) expect(screen).toContain('Bank API timeout after <*> for charge <*> [error: BankTimeoutError: timeout after <*>]');

      // `/`, some typing, Ctrl-U: the prompt is empty again, and Enter sets no filter.
      term.keys('/');
      await pause(200);
      term.keys('-l', 'abc');
      await term.waitFor('/abc▏', 5000);
      term.keys('C-u');
      const cleared = await term.waitFor(/ \/▏/, 5000);
      expect(cleared.split('\n')[0]).not.toContain('abc');
      expect(cleared.split('\n')[0]).not.toContain('/u');
      term.keys('Enter');
      const after = await term.waitFor('records (500)', 5000);
      expect(after.split('\n')[0]).not.toContain('filter:');
      expectAligned(after, width);
      term.keys('q');
      const end = await term.waitFor('EXIT=');
      expect(end).toContain('EXIT=0');
    });
  }

  it('tells error patterns that share a long prefix apart at 80 columns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-dash-'));
    sharedPrefixLog(dir);
    const term = new Terminal(80, 24);
    terms.push(term);
    term.start(`node ${BIN} dashboard ${dir}`, dir);
    await term.waitFor(/replayed 400 records/);
    await term.waitFor('top error patterns (2)', 5000);
    await pause(500);
    const screen = term.screen();
    expectAligned(screen, 80);
    const patterns = patternRows(screen, 80);
    expect(patterns, screen).toHaveLength(2);
    expect(patterns[0]).not.toBe(patterns[1]);
    expect(patterns.join('\n')).toContain('charge card');
    expect(patterns.join('\n')).toContain('reach inventory');
    term.keys('q');
    expect(await term.waitFor('EXIT=')).toContain('EXIT=0');
  });
});
