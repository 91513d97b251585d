import { Chalk } from 'chalk';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../../src/analyze/dashboard.js';
import { slowAnalysis } from '../../../src/analyze/slow.js';
import { Dashboard } from '../../../src/render/tui/app.js';
import { LevelsPane, RatePane, SlowPane } from '../../../src/render/tui/panes.js';
import { recordLine } from '../../../src/render/text/record-line.js';
import { rec, run } from '../analyze/records.js';

const MIN = 60_000;
const T = Date.parse('2024-01-15T10:00:00Z');
const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');
const plain = new Chalk({ level: 0 });

function model(times: number[]): DashboardModel {
  const m = new DashboardModel();
  times.forEach((t, i) => m.add(rec({ time: t, level: 'info', service: 'api', message: `event ${i}` })));
  m.add(rec({ time: times[times.length - 1], service: 'checkout', eventType: 'circuit_breaker_opened', message: 'breaker opened', level: 'warn' }));
  return m;
}

describe('dashboard rate pane', () => {
  it('counts silent minutes and names its range without dates within one day', () => {
    const snap = model([T, T + 5 * MIN + 1]).snapshot();
    expect(snap.stats.per_minute.map((m) => m.count)).toEqual([1, 0, 0, 0, 0, 2]);
    const f = strip(render(createElement(RatePane, { snap, width: 60, height: 10 })).lastFrame());
    expect(f).toContain('records per min (errors in red)  10:00–10:05');
  });

  it('widens its buckets to fit its width and says how wide they are', () => {
    const snap = model([T, T + 100 * MIN]).snapshot();
    const width = 40;
    const f = strip(render(createElement(RatePane, { snap, width, height: 10 })).lastFrame());
    const m = /records per (\d+) min/.exec(f);
    expect(m, f).not.toBeNull();
    expect(Math.floor((T + 100 * MIN) / (+m![1] * MIN)) - Math.floor(T / (+m![1] * MIN)) + 1).toBeLessThanOrEqual(width - 14);
  });

  it('dates the range, the breaker time and the stream when records span two days', () => {
    const late = T + 26 * 60 * MIN;
    const snap = model([T, late]).snapshot();
    expect(strip(render(createElement(RatePane, { snap, width: 80, height: 10 })).lastFrame())).toContain('2024-01-15 10:00–2024-01-16 12:00');
    expect(strip(render(createElement(LevelsPane, { snap, width: 50, height: 14 })).lastFrame())).toContain('open 2024-01-16 12:00:00');
    const whole = strip(render(createElement(Dashboard, { model: model([T, late]), openTrace: async () => [], status: () => '', color: false, size: { columns: 120, rows: 36 } })).lastFrame());
    expect(whole).toContain('2024-01-16 12:00:00.000');
    const oneDay = strip(render(createElement(Dashboard, { model: model([T, T + MIN]), openTrace: async () => [], status: () => '', color: false, size: { columns: 120, rows: 36 } })).lastFrame());
    expect(oneDay).toContain('10:01:00.000');
    expect(oneDay).not.toContain('2024-01-15 10:01:00.000');
  });
});

describe('percentiles and times elsewhere in the dashboard', () => {
  it('marks sketched percentiles with ≈', () => {
    const groups = run(slowAnalysis({ forceSketch: true }), [100, 200, 300].map((d) => rec({ operation: 'pay', durationMs: d }))).groups;
    const f = strip(render(createElement(SlowPane, { groups, selected: 0, focused: false, width: 70, height: 5 })).lastFrame());
    expect(f.match(/≈/g)).toHaveLength(3);
  });

  it('a record line whose span is not known (tail) carries its date', () => {
    expect(recordLine(rec({ time: T + 1234, message: 'm' }), plain)).toContain('2024-01-15 10:00:01.234');
  });
});

describe('dashboard rate pane: the incident', () => {
  it('names when the incident began and its first change above the chart, and nothing on steady traffic', () => {
    const m = new DashboardModel();
    for (let i = 0; i < 40 * 30; i++) {
      const t = T + i * 2000;
      m.add(rec({ time: t, level: 'info', service: 'api', ids: [`r${i}`], message: 'request done' }));
      if (t >= T + 20 * MIN && i % 3 === 0) m.add(rec({ time: t + 1, level: 'error', service: 'db', ids: [`r${i}`], message: `connection refused to db-${i % 7}` }));
    }
    const f = strip(render(createElement(RatePane, { snap: m.snapshot(), width: 160, height: 10 })).lastFrame());
    expect(f).toContain('incident from 10:20');
    expect(f).toMatch(/first: new pattern "connection refused to <\*>"/);
    const quiet = new DashboardModel();
    for (let i = 0; i < 600; i++) quiet.add(rec({ time: T + i * 2000, level: 'info', service: 'api', message: 'request done' }));
    expect(strip(render(createElement(RatePane, { snap: quiet.snapshot(), width: 160, height: 10 })).lastFrame())).not.toContain('incident');
  });
});
