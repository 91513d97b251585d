import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './cli.js';
import { Terminal } from './tmux.js';

describe('dashboard in a real terminal', () => {
  const term = new Terminal(140, 40);
  afterAll(() => term.kill());

  it('shows the incident, moves with Tab, opens a trace with Enter, and quits with q', async () => {
    term.start(`node ${BIN} dashboard fixtures/incident`, ROOT);
    await term.waitFor('replayed 3,709 records from 9 files');
    for (const shown of [/error\s+404/, /Bank API timeout after <\*> for.*timeout after <\*>\]/, 'top error patterns (6)', /checkout\s+359ms\s+4\.76s\s+8\.65s\s+107/, /checkout\s+closed/]) {
      await term.waitFor(shown, 5000);
    }
    term.keys('Tab');
    await new Promise((r) => setTimeout(r, 300));
    term.keys('Enter');
    await term.waitFor(/trace req-000e6 .*Esc back/);
    // The trace reads the inputs again: its lines follow the title.
    const trace = await term.waitFor('POST /api/checkout received');
    expect(trace).toMatch(/trace req-000e6 — \d+ records/);
    term.keys('Escape');
    await term.waitFor('top error patterns (6)');
    term.keys('q');
    const end = await term.waitFor('EXIT=');
    expect(end).toContain('EXIT=0');
  });

  it('refuses to run without a terminal, in one line, with exit 2', async () => {
    const r = await runCli(['dashboard', 'fixtures/incident']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('dashboard needs an interactive terminal');
  });
});
