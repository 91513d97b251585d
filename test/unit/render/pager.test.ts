import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAGER, HELD_WARNINGS, Pager, pagerCommand, RowCounter, wantsPager } from '../../../src/render/pager.js';

describe('pagerCommand', () => {
  it('is LOGTOOL_PAGER, else PAGER, else less -R -F -X', () => {
    expect(pagerCommand({})).toBe(DEFAULT_PAGER);
    expect(DEFAULT_PAGER).toBe('less -R -F -X');
    expect(pagerCommand({ PAGER: 'more' })).toBe('more');
    expect(pagerCommand({ PAGER: 'more', LOGTOOL_PAGER: 'most -s' })).toBe('most -s');
  });

  it('is none for an empty value or cat (as git)', () => {
    expect(pagerCommand({ LOGTOOL_PAGER: '' , PAGER: 'more' })).toBeUndefined();
    expect(pagerCommand({ PAGER: '  ' })).toBeUndefined();
    expect(pagerCommand({ PAGER: 'cat' })).toBeUndefined();
    expect(pagerCommand({ LOGTOOL_PAGER: 'cat', PAGER: 'less' })).toBeUndefined();
  });
});

describe('wantsPager', () => {
  it('pages human output on a terminal only', () => {
    expect(wantsPager({ tty: true })).toBe(true);
    expect(wantsPager({ tty: false })).toBe(false);
    expect(wantsPager({ tty: undefined })).toBe(false);
    expect(wantsPager({ tty: true, json: true })).toBe(false);
    expect(wantsPager({ tty: true, pager: false })).toBe(false);
    expect(wantsPager({ tty: true, page: false })).toBe(false);
    expect(wantsPager({ tty: true, pager: true, page: true, json: false })).toBe(true);
  });
});

describe('RowCounter', () => {
  it('counts a line per newline, the unfinished line too', () => {
    const c = new RowCounter(80);
    expect(c.add('')).toBe(0);
    expect(c.add('a\nb\n')).toBe(2);
    expect(c.add('\n')).toBe(3);
    expect(c.add('par')).toBe(4);
    expect(c.add('tial\n')).toBe(4);
  });

  it('counts a line wider than the terminal as the rows it wraps to, colour codes taking none', () => {
    const c = new RowCounter(10);
    expect(c.add('x'.repeat(10) + '\n')).toBe(1);
    expect(c.add('x'.repeat(11) + '\n')).toBe(3);
    expect(c.add(`\x1b[31m${'x'.repeat(10)}\x1b[39m\n`)).toBe(4);
    expect(c.add('界'.repeat(6) + '\n')).toBe(6);
  });

  it('stops counting once it has enough rows', () => {
    const c = new RowCounter(80);
    expect(c.add('a\n'.repeat(1000), 30)).toBe(30);
  });
});

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-pager-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stdout that records what it was given. */
function sink() {
  const got: string[] = [];
  return { got, text: () => got.join(''), write: (s: string) => (got.push(s), true), once: () => undefined };
}

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`);

describe('Pager', () => {
  it('writes short output to stdout and starts no pager', async () => {
    const out = sink();
    const file = path.join(dir, 'never');
    const p = new Pager({ command: `cat > ${file}`, rows: 10, columns: 80, stdout: out });
    for (const l of lines(9)) expect(p.write(l)).toBe(true);
    await p.end();
    expect(p.started).toBe(false);
    expect(out.text()).toBe(lines(9).join(''));
  });

  it('pipes long output, all of it, into the pager and waits for it', async () => {
    const out = sink();
    const file = path.join(dir, 'paged');
    const p = new Pager({ command: `cat > ${file}`, rows: 10, columns: 80, stdout: out });
    const all = lines(5000);
    for (const l of all) if (!p.write(l)) await p.drained();
    await p.end();
    expect(p.started).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(all.join(''));
    expect(out.text()).toBe('');
  });

  it('sets LESS=FRX for the pager when LESS is unset, and keeps the user\'s', async () => {
    for (const [env, want] of [[{}, 'FRX'], [{ LESS: 'S' }, 'S']] as const) {
      const file = path.join(dir, 'less-env');
      const p = new Pager({ command: `cat >/dev/null; printf %s "$LESS" > ${file}`, rows: 2, columns: 80, stdout: sink(), env: { PATH: process.env.PATH, ...env } });
      p.write(lines(3).join(''));
      await p.end();
      expect(readFileSync(file, 'utf8')).toBe(want);
    }
  });

  it('shows the output directly, after one warning, when the pager cannot start', async () => {
    const out = sink();
    const warned: string[] = [];
    const p = new Pager({ command: 'exit 127', rows: 5, columns: 80, stdout: out, warn: (t) => warned.push(t) });
    const all = lines(2000);
    for (const l of all) if (!p.write(l)) await p.drained();
    await p.end();
    expect(warned).toEqual(["pager 'exit 127' could not be started (exit 127); showing the output directly; set LOGTOOL_PAGER or use --no-pager"]);
    expect(out.text()).toBe(all.join(''));
  });

  it('shows the output directly when the pager cannot start, also when more was written than a pipe holds', async () => {
    const out = sink();
    const warned: string[] = [];
    const p = new Pager({ command: 'nonexistent-pager-command-for-test 2>/dev/null', rows: 5, columns: 80, stdout: out, warn: (t) => warned.push(t) });
    const all = lines(100_000);
    for (const l of all) if (!p.write(l)) await p.drained();
    await p.end();
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/could not be started \(exit 127\)/);
    expect(out.text()).toBe(all.join(''));
  });

  it('keeps at most its limit for a pager that may not start, and says so when it lost output', async () => {
    const out = sink();
    const warned: string[] = [];
    const p = new Pager({ command: 'exit 126', rows: 2, columns: 80, stdout: out, warn: (t) => warned.push(t), keepLimit: 100 });
    p.write(lines(5).join(''));
    p.write('x'.repeat(200));
    await p.end();
    expect(warned[0]).toMatch(/exit 126.*only the first/);
    expect(out.text()).toBe(lines(5).join(''));
  });

  it('ends the run when the pager is quit before the output is complete: writers wait for its exit, then onQuit', async () => {
    const out = sink();
    const warned: string[] = [];
    const file = path.join(dir, 'first');
    const events: string[] = [];
    const p = new Pager({ command: `head -n 1 > ${file}`, rows: 5, columns: 80, stdout: out, warn: (t) => warned.push(t), stderr: (l) => events.push(`stderr ${l}`), onQuit: () => events.push('quit') });
    // More than a pipe holds, so that writes meet the closed pipe.
    let written = 0;
    for (const l of lines(200_000)) {
      if (!p.write(l)) await p.drained();
      written++;
      if (events.length) break;
      if (written === 10) p.hold('logtool: held while paging\n');
    }
    // The writer was stopped (onQuit) long before it wrote everything.
    expect(written).toBeLessThan(200_000);
    expect(events).toEqual(['stderr logtool: held while paging\n', 'quit']);
    await p.end();
    expect(readFileSync(file, 'utf8')).toBe('line 0\n');
    expect(warned).toEqual([]);
    expect(out.text()).toBe('');
  });

  it('calls onQuit only when the pager exits before the output is complete', async () => {
    let quits = 0;
    const p = new Pager({ command: 'cat >/dev/null', rows: 2, columns: 80, stdout: sink(), onQuit: () => quits++ });
    p.write(lines(3).join(''));
    await p.end();
    expect(quits).toBe(0);
  });

  it('holds warnings while the pager runs and writes them, in order, after it exits; at most HELD_WARNINGS, then a count', async () => {
    const file = path.join(dir, 'with-warnings');
    const events: string[] = [];
    const p = new Pager({ command: `cat > ${file}`, rows: 2, columns: 80, stdout: sink(), stderr: (l) => events.push(l) });
    // Before the pager starts, warnings are not held.
    expect(p.hold('early\n')).toBe(false);
    p.write(lines(3).join(''));
    expect(p.started).toBe(true);
    for (let i = 0; i < HELD_WARNINGS + 5; i++) expect(p.hold(`w ${i}\n`)).toBe(true);
    expect(events).toEqual([]);
    await p.end();
    expect(events.join('')).toBe(Array.from({ length: HELD_WARNINGS }, (_, i) => `w ${i}\n`).join('') + 'logtool: … 5 more warnings\n');
    expect(readFileSync(file, 'utf8')).toBe(lines(3).join(''));
    // After the pager, nothing is held.
    expect(p.hold('late\n')).toBe(false);
  });
});
