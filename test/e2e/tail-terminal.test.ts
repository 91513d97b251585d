import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './cli.js';
import { Terminal } from './tmux.js';

describe('tail in a real terminal', () => {
  const term = new Terminal();
  afterAll(() => term.kill());

  it('shows escape sequences from logs as text, and Ctrl-C prints the summary and exits 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-tty-'));
    const log = path.join(dir, 'app.log');
    writeFileSync(log, JSON.stringify({ level: 'info', msg: 'before' }) + '\n');
    term.start(`node ${BIN} tail ${log} -n 1`, dir);
    await term.waitFor('before');
    appendFileSync(log, JSON.stringify({ level: 'error', msg: 'evil \u001b[2J\u001b]0;pwned\u0007 done', service: 'api' }) + '\n');
    const screen = await term.waitFor('done');
    expect(screen).toContain('evil \\x1b[2J\\x1b]0;pwned\\x07 done');
    expect(screen).toContain('before');
    term.keys('C-c');
    const end = await term.waitFor('EXIT=');
    expect(end).toMatch(/logtool tail: 2 records shown, 0 alerts, 1 files followed/);
    expect(end).toContain('EXIT=0');
  });
});
