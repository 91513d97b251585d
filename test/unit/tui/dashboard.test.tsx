import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../../src/analyze/dashboard.js';
import { Dashboard } from '../../../src/render/tui/app.js';
import { ClustersPane, SlowPane } from '../../../src/render/tui/panes.js';
import { rec } from '../analyze/records.js';

const T = Date.parse('2024-01-15T10:00:00Z');
const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 150));
/**
 * Waits (up to 5 s, on a loaded machine) until the frame shows `text`, then a tick more: Ink
 * registers the new view's key handler in an effect after the frame is drawn.
 */
async function until(frame: () => string | undefined, text: string): Promise<void> {
  for (let i = 0; i < 100 && !strip(frame()).includes(text); i++) await new Promise((r) => setTimeout(r, 50));
  await tick();
}

function model(): DashboardModel {
  const m = new DashboardModel();
  for (let i = 0; i < 30; i++) m.add(rec({ time: T + i * 10_000, level: i % 3 === 0 ? 'error' : 'info', service: 'payment', ids: [`req-${i}`], operation: 'charge', durationMs: 100 + i * 10, message: i % 3 === 0 ? `Bank API timeout after ${2000 + i}ms for charge ch_${i}a` : `charge ${i} ok` }));
  m.add(rec({ time: T + 5000, service: 'checkout', eventType: 'circuit_breaker_opened', message: 'breaker opened', level: 'warn' }));
  return m;
}

describe('dashboard components', () => {
  it('list error patterns with counts at a fixed width', () => {
    const snap = model().snapshot();
    const { lastFrame } = render(createElement(ClustersPane, { clusters: snap.errors.clusters, selected: 0, focused: true, width: 80, height: 6 }));
    const f = strip(lastFrame());
    expect(f).toContain('top error patterns (1)');
    expect(f).toMatch(/10 .* Bank API timeout after <\*> for charge <\*>/);
  });

  it('show p50/p95/p99 per operation', () => {
    const snap = model().snapshot();
    const { lastFrame } = render(createElement(SlowPane, { groups: snap.slow, selected: 0, focused: false, width: 70, height: 5 }));
    const f = strip(lastFrame());
    expect(f).toMatch(/charge\s+245ms\s+376ms\s+387ms\s+0\s+30/);
  });

  it('lays out every pane, moves focus with Tab, opens samples with Enter and goes back with Esc', async () => {
    const { lastFrame, stdin } = render(
      createElement(Dashboard, { model: model(), openTrace: async (id: string) => [`trace of ${id}`], status: () => 'replayed 31 records', color: false, size: { columns: 120, rows: 36 } }),
    );
    let f = strip(lastFrame());
    for (const s of ['logtool dashboard', 'records per min', 'levels — 31 records', 'checkout', 'open', 'top error patterns (1)', 'charge', 'records (31)']) expect(f).toContain(s);
    stdin.write('\r');
    await until(lastFrame, 'samples');
    f = strip(lastFrame());
    expect(f).toContain('samples');
    expect(f).toContain('req-0');
    stdin.write('\r');
    await until(lastFrame, 'trace of req-0');
    expect(strip(lastFrame())).toContain('trace of req-0');
    stdin.write('\u001b');
    await until(lastFrame, 'top error patterns');
    expect(strip(lastFrame())).toContain('top error patterns');
    stdin.write('\t');
    // Focus shows only as colour: give the key handler time to move it.
    await tick();
    await tick();
    stdin.write('\r');
    await until(lastFrame, 'trace of req-29');
    expect(strip(lastFrame())).toContain('trace of req-29');
    stdin.write('\u001b');
    await until(lastFrame, 'top error patterns');
    stdin.write('?');
    await until(lastFrame, 'pause / resume');
    expect(strip(lastFrame())).toContain('pause / resume');
  });

  it('filters the stream with /', async () => {
    const { lastFrame, stdin } = render(createElement(Dashboard, { model: model(), openTrace: async () => [], status: () => '', color: false, size: { columns: 120, rows: 36 } }));
    for (const ch of '/service=checkout') {
      stdin.write(ch);
      await new Promise((r) => setTimeout(r, 5));
    }
    stdin.write('\r');
    await tick();
    const f = strip(lastFrame());
    expect(f).toContain('records (1 matching)');
    expect(f).toContain('breaker opened');
  });

  it('says so when the terminal is too small', () => {
    const { lastFrame } = render(createElement(Dashboard, { model: model(), openTrace: async () => [], status: () => '', size: { columns: 60, rows: 20 } }));
    expect(strip(lastFrame())).toContain('terminal too small: 60×20');
  });
});
