import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { createElement, type ReactElement } from 'react';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../../src/analyze/dashboard.js';
import { slowAnalysis } from '../../../src/analyze/slow.js';
import { Dashboard } from '../../../src/render/tui/app.js';
import { ClustersPane, LevelsPane, SlowPane } from '../../../src/render/tui/panes.js';
import { rec, run } from '../analyze/records.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');
const lines = (s: string | undefined) => strip(s).split('\n');
const widest = (s: string | undefined) => Math.max(...lines(s).map((l) => stringWidth(l)));
const tick = () => new Promise((r) => setTimeout(r, 150));
async function until(frame: () => string | undefined, test: (f: string) => boolean): Promise<string> {
  for (let i = 0; i < 100 && !test(strip(frame())); i++) await new Promise((r) => setTimeout(r, 50));
  return strip(frame());
}

/**
 * The first frame of a tree drawn on a terminal `columns` wide (ink-testing-library's is 100
 * wide, and Ink lays its root out to the terminal's width).
 */
function frameAt(tree: ReactElement, columns: number): string {
  const frames: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { columns, rows: 60, write: (f: string) => void frames.push(f) });
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setRawMode() {}, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  const ink = inkRender(tree, { stdout: stdout as never, stdin: stdin as never, stderr: stdout as never, debug: true, exitOnCtrlC: false, patchConsole: false });
  // The last frame drawn while mounted: on unmount ink writes its last output again, which in a
  // CI environment (is-in-ci) is not kept in debug mode.
  const drawn = frames[frames.length - 1] ?? '';
  ink.unmount();
  return drawn;
}

/** Pane widths of the dashboard's layout: the left column takes 62% of the terminal. */
const left = (columns: number) => Math.floor(columns * 0.62);
const right = (columns: number) => columns - left(columns);

const PREFIX = 'TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7 service=checkout env=production region=eu-west-1 request pipeline stage=submit handler error:';

/** Errors whose messages all start with the same long prefix, and slow operations with long keys. */
function model(): DashboardModel {
  const m = new DashboardModel();
  for (let i = 0; i < 60; i++) {
    const kind = i % 3;
    const message = kind === 0 ? `${PREFIX} failed to charge card ${4000 + i}` : kind === 1 ? `${PREFIX} could not reach inventory ${i}` : `order ${i} ok`;
    m.add(rec({ time: T + i * 10_000, level: kind === 2 ? 'info' : 'error', service: 'checkout', message, ids: [`req-${i}`], operation: kind === 2 ? 'submit_order_with_payment_and_reservation' : undefined, durationMs: kind === 2 ? 100 + i : undefined }));
  }
  m.add(rec({ time: T + 5000, service: 'payment-gateway-adapter-for-the-bank-of-somewhere', eventType: 'circuit_breaker_opened', message: 'breaker opened', level: 'warn' }));
  return m;
}

describe('dashboard panes fit their width', () => {
  it('keeps error patterns that share a long prefix told apart at the 80-column layout', () => {
    const snap = model().snapshot();
    expect(snap.errors.clusters).toHaveLength(2);
    const { lastFrame } = render(createElement(ClustersPane, { clusters: snap.errors.clusters, selected: 0, focused: true, width: left(80), height: 6 }));
    const f = lastFrame();
    expect(widest(f)).toBeLessThanOrEqual(left(80));
    const rows = lines(f).filter((l) => /^│\s+\d+ /.test(l));
    expect(rows).toHaveLength(2);
    // The shared start gave way: what differs is on screen, and the rows differ.
    expect(rows.some((r) => r.includes('charge card'))).toBe(true);
    expect(rows.some((r) => r.includes('reach inventory'))).toBe(true);
    expect(rows[0].replace(/^│\s+\d+ \S+/, '')).not.toBe(rows[1].replace(/^│\s+\d+ \S+/, ''));
  });

  it('gives templates all the room of a wide pane', () => {
    const snap = model().snapshot();
    const f = frameAt(createElement(ClustersPane, { clusters: snap.errors.clusters, selected: 0, focused: false, width: left(200), height: 6 }), 200);
    expect(widest(f)).toBeLessThanOrEqual(left(200));
    const rows = lines(f).filter((l) => /^│\s+\d+ /.test(l));
    // Far more than the old 30 characters of template: the start of the shared prefix, what differs, and the end.
    for (const r of rows) expect(r.replace(/^│\s+\d+ \S+ /, '').replace(/\s*│$/, '').length).toBeGreaterThan(90);
    for (const r of rows) expect(r).toContain('TraceID: <*> SpanID: <*>');
    expect(rows.join('\n')).toMatch(/handler error: <\*> to charge card <\*>/);
    expect(rows.join('\n')).toMatch(/handler error: <\*> not reach inventory <\*>/);
  });

  it('lays the slow pane out in one header line at the 80-column layout, dropping columns before wrapping', () => {
    const groups = run(slowAnalysis({ by: ['service', 'operation'] }), [
      ...Array.from({ length: 20 }, (_, i) => rec({ service: 'checkout-service-eu-west', operation: 'hipstershop.CheckoutService/PlaceOrder', durationMs: 100 + i })),
      ...Array.from({ length: 10 }, (_, i) => rec({ service: 'frontend', operation: 'GET /product', durationMs: 10 + i })),
    ]).groups;
    const { lastFrame } = render(createElement(SlowPane, { groups, selected: 0, focused: false, width: right(80), height: 6 }));
    const f = lastFrame();
    const ls = lines(f);
    expect(widest(f)).toBeLessThanOrEqual(right(80));
    // Border, title, header, two rows, border: nothing wrapped.
    expect(ls).toHaveLength(6);
    const header = ls[2];
    expect(header).toMatch(/p95/);
    expect(header).toMatch(/p99/);
    expect(header).toMatch(/servic.*….*ration/);
    // The key lost its middle: both its ends stay.
    const row = ls.find((l) => l.includes('checko'))!;
    expect(row).toMatch(/checko.*….*Order/);
  });

  it('shows every slow column at the 200-column layout', () => {
    const snap = model().snapshot();
    const f = frameAt(createElement(SlowPane, { groups: snap.slow, selected: 0, focused: false, width: right(200), height: 6 }), 200);
    expect(widest(f)).toBeLessThanOrEqual(right(200));
    expect(lines(f)[2]).toMatch(/operation\s+p50\s+p95\s+p99\s+viol\s+n/);
    expect(strip(f)).toContain('submit_order_with_payment_and_reservation');
  });

  it('fits breakers (the middle of a long service elided) and counts the ones a short pane leaves out', () => {
    const m = model();
    for (const s of ['alpha', 'beta', 'gamma', 'delta']) m.add(rec({ time: T + 9000, service: s, eventType: 'circuit_breaker_opened', message: 'opened', level: 'warn' }));
    const snap = m.snapshot();
    const f = render(createElement(LevelsPane, { snap, width: right(80), height: 9 })).lastFrame();
    const ls = lines(f);
    expect(widest(f)).toBeLessThanOrEqual(right(80));
    expect(ls).toHaveLength(9);
    expect(ls[1]).toContain('levels — 65 records');
    expect(strip(f)).toMatch(/\+\d+ more/);
    const wide = frameAt(createElement(LevelsPane, { snap, width: right(200), height: 16 }), 200);
    expect(strip(wide)).toContain('payment-gateway-adapter-for-the-bank-of-somewhere open');
    const narrow = render(createElement(LevelsPane, { snap: model().snapshot(), width: right(80), height: 9 })).lastFrame();
    // Both ends of the service stay, on the same line as its state.
    expect(strip(narrow)).toMatch(/paymen.*….*where open \d\d:\d\d/);
  });

  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
    [200, 50],
  ]) {
    it(`draws no line wider than the terminal at ${columns}×${rows}`, () => {
      const f = frameAt(createElement(Dashboard, { model: model(), openTrace: async () => [], status: () => 'replayed 61 records', color: false, size: { columns, rows } }), columns);
      expect(widest(f)).toBeLessThanOrEqual(columns);
      expect(lines(f).length).toBeLessThanOrEqual(rows);
      expect(strip(f)).toContain('levels — 61 records');
      expect(strip(f)).toMatch(/operation\s+p95\s+p99|operation\s+p50\s+p95\s+p99/);
    });
  }
});

describe('dashboard filter prompt', () => {
  it('clears what was typed with Ctrl-U and types no control or meta keys', async () => {
    const { lastFrame, stdin } = render(createElement(Dashboard, { model: model(), openTrace: async () => [], status: () => '', color: false, size: { columns: 120, rows: 36 } }));
    for (const ch of ['/', 'a', 'b', 'c']) {
      stdin.write(ch);
      await new Promise((r) => setTimeout(r, 5));
    }
    let f = await until(lastFrame, (s) => s.includes('/abc▏'));
    expect(f).toContain('/abc▏');
    stdin.write('\u0015');
    f = await until(lastFrame, (s) => !s.includes('/abc'));
    expect(f.split('\n')[0]).toMatch(/ \/▏/);
    expect(f).not.toContain('/u▏');
    // Ctrl-A and Ctrl-P are no letters; Ctrl-W deletes the last word.
    for (const ch of ['x', '\u0001', '\u0010', ' ', 'y', 'z']) {
      stdin.write(ch);
      await new Promise((r) => setTimeout(r, 5));
    }
    f = await until(lastFrame, (s) => s.includes('/x yz▏'));
    expect(f).toContain('/x yz▏');
    stdin.write('\u0017');
    f = await until(lastFrame, (s) => s.includes('/x ▏'));
    expect(f).toContain('/x ▏');
    stdin.write('\u0015');
    await until(lastFrame, (s) => !s.includes('/x'));
    stdin.write('\r');
    await tick();
    f = strip(lastFrame());
    expect(f).not.toContain('filter:');
    expect(f).toContain('records (61)');
  });

  it('lists Ctrl-U in the help', async () => {
    const { lastFrame, stdin } = render(createElement(Dashboard, { model: model(), openTrace: async () => [], status: () => '', color: false, size: { columns: 80, rows: 24 } }));
    await tick();
    stdin.write('?');
    const f = await until(lastFrame, (s) => s.includes('Ctrl-U'));
    expect(f).toContain('Ctrl-U');
    expect(widest(lastFrame())).toBeLessThanOrEqual(80);
  });
});
