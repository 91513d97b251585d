import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../../src/analyze/dashboard.js';
import { Dashboard } from '../../../src/render/tui/app.js';
import { rec } from '../analyze/records.js';
import { jsonSafe, renderedSafe, safeDeep, terminalSafe, terminalSafeLines } from '../../../src/render/safe.js';
import { writeJsonLine } from '../../../src/render/sink.js';

/** Any character a terminal acts on or that reorders text, raw. */
const RAW = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it('returns a clean string unchanged (the same string)', () => {
    const s = 'GET /api/users/42 took 12ms — ok ✓ 日本語 עברית';
    expect(terminalSafe(s)).toBe(s);
  });

  it('shows escape sequences, BEL and line breaks as text', () => {
    expect(terminalSafe('evil\x1b]0;pwned\x07\x1b[2J.log')).toBe('evil\\x1b]0;pwned\\x07\\x1b[2J.log');
    expect(terminalSafe('a\nb\rc')).toBe('a\\nb\\rc');
    expect(terminalSafe('nul\x00del\x7f')).toBe('nul\\x00del\\x7f');
  });

  it('shows a tab in content as one space (its width would depend on the column)', () => {
    expect(terminalSafe('a\tb\t\tc')).toBe('a b  c');
  });

  it('shows C1 controls (a one-character CSI) as text', () => {
    expect(terminalSafe('x\u009b2Jy\u0085')).toBe('x\\x9b2Jy\\x85');
  });

  it('shows every bidi embedding, override and isolate control as <U+XXXX>', () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const b of bidi) {
      const out = terminalSafe(`a${b}b`);
      expect(out).toBe(`a<U+${b.charCodeAt(0).toString(16).toUpperCase()}>b`);
    }
    expect(terminalSafe('invoice\u202egnp.exe')).toBe('invoice<U+202E>gnp.exe');
  });

  it('is idempotent: its output has nothing left to escape', () => {
    let all = '';
    for (let i = 0; i < 0xa0; i++) all += String.fromCharCode(i);
    all += '\u202a\u202e\u2066\u2069';
    const once = terminalSafe(all);
    expect(once).not.toMatch(RAW);
    expect(terminalSafe(once)).toBe(once);
  });

  it('terminalSafeLines keeps line breaks and escapes the rest', () => {
    expect(terminalSafeLines('Error: x\x1b[2J\n    at y')).toBe('Error: x\\x1b[2J\n    at y');
  });
});

describe('safeDeep', () => {
  it('returns a clean value as the same object (no copy)', () => {
    const v = { a: [1, 'two', { three: null }], b: true, c: new Map([['k', 'v']]) };
    expect(safeDeep(v)).toBe(v);
  });

  it('copies only what it changes and escapes strings, keys and Map/Set members', () => {
    const clean = { ok: 'fine' };
    const v = { clean, list: ['a', 'b\x1b[2J'], ['k\u202e']: 1, m: new Map([['x\x07', 'y']]), s: new Set(['z\u2066']) };
    const out = safeDeep(v);
    expect(out).not.toBe(v);
    expect(out.clean).toBe(clean);
    expect(out.list).toEqual(['a', 'b\\x1b[2J']);
    expect(Object.keys(out)).toContain('k<U+202E>');
    expect([...out.m.keys()]).toEqual(['x\\x07']);
    expect([...out.s]).toEqual(['z<U+2066>']);
    // The input is left as it was.
    expect(v.list[1]).toBe('b\x1b[2J');
    expect(JSON.stringify(out)).not.toMatch(/\\u001b|\\u0007/);
  });

  it('keeps prototypes (methods still work)', () => {
    class Box {
      constructor(public label: string) {}
      shout() {
        return this.label.toUpperCase();
      }
    }
    const shared = { name: 'n\x1b' };
    const out = safeDeep({ box: new Box('b\x07'), a: shared, b: shared });
    expect(out.box).toBeInstanceOf(Box);
    expect(out.box.shout()).toBe('B\\X07');
    expect(out.a.name).toBe('n\\x1b');
  });

  it('survives cycles and very deep values', () => {
    const a: Record<string, unknown> = { name: 'x\x1b' };
    a.self = a;
    expect(() => safeDeep(a)).not.toThrow();
    let deep: unknown = 'leaf\x1b';
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    expect(() => safeDeep(deep)).not.toThrow();
  });
});

describe('jsonSafe', () => {
  it('escapes DEL, C1, U+2028/2029 and bidi controls and keeps the same JSON value', () => {
    const value = { msg: 'a\u202eb\u2066c\u2069d\u2028e\u2029f\u0085g\u009bh\u007fi', file: 'evil\x1b]0;t\x07.log', [`k\u202e`]: 'v' };
    const text = jsonSafe(JSON.stringify(value));
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('\\u202e');
  });

  it('returns clean JSON unchanged', () => {
    const text = JSON.stringify({ a: 'é日本', b: [1, 2] }, null, 2);
    expect(jsonSafe(text)).toBe(text);
  });

  it('is what the JSON line writer emits', () => {
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => (chunks.push(s), true)) as typeof process.stdout.write;
    try {
      writeJsonLine({ m: '\u202e\x1b' });
    } finally {
      process.stdout.write = write;
    }
    expect(chunks.join('')).toBe('{"m":"\\u202e\\u001b"}\n');
  });
});

describe('renderedSafe', () => {
  it('keeps SGR colour codes, newlines and tabs; escapes every other control', () => {
    const coloured = '\x1b[31mred\x1b[39m\tx\n\x1b[1;2mbold\x1b[22m';
    expect(renderedSafe(coloured)).toBe(coloured);
    expect(renderedSafe('\x1b[31mfile\x1b]0;t\x07\x1b[2J\u202e\x1b[39m\n')).toBe('\x1b[31mfile\\x1b]0;t\\x07\\x1b[2J<U+202E>\x1b[39m\n');
    expect(renderedSafe('a\rb')).toBe('a\\rb');
  });
});

describe('the dashboard', () => {
  it('renders hostile file names, services and messages inert (only SGR codes raw)', async () => {
    const m = new DashboardModel();
    const T = Date.parse('2024-01-15T10:00:00Z');
    for (let i = 0; i < 12; i++) {
      m.add(rec({ time: T + i * 1000, level: i % 2 ? 'error' : 'info', service: 'pay\u202e', operation: 'charge\x1b[2J', durationMs: 100 * i, ids: [`req-${i}`], source: `evil\x1b]0;t\x07.log:${i + 1}`, file: 'evil\x1b]0;t\x07.log', message: `timeout \x1b[31m${i}\u2066 gnp.exe` }));
    }
    const { lastFrame, unmount } = render(
      createElement(Dashboard, { model: m, openTrace: async () => [], status: () => 'reading evil\x1b]0;t\x07.log', warning: () => 'warning \u202e', color: true, size: { columns: 120, rows: 36 } }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toContain('timeout');
    const rest = frame.replace(/\x1b\[[0-9;]*m/g, '');
    // Lines break the frame; nothing else may be raw.
    expect(rest).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(rest).toContain('<U+202E>');
  });
});

describe('safeDeep on a long list', () => {
  it('gives every element safe when read by index, iteration or slice, and copies nothing', () => {
    const list = Array.from({ length: 20_000 }, (_, i) => ({ i, name: i % 2 ? `n\x1b${i}` : `ok${i}` }));
    const out = safeDeep({ list }).list;
    expect(out.length).toBe(20_000);
    expect(out[1].name).toBe('n\\x1b1');
    expect(out[2].name).toBe('ok2');
    expect(out.slice(0, 2).map((e) => e.name)).toEqual(['ok0', 'n\\x1b1']);
    expect([...out].every((e) => !/\x1b/.test(e.name))).toBe(true);
    expect(out.find((e) => e.i === 19_999)!.name).toBe('n\\x1b19999');
    expect(list[1].name).toBe('n\x1b1');
  });
});
