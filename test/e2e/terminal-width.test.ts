import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';
import { Terminal } from './tmux.js';

/**
 * The compiled binary in a real terminal (tmux) at 80 and 200 columns: the width comes from the
 * terminal itself, colour is on, and no line wraps. tmux joins the lines it wrapped (`-J`), so a
 * wrapped line shows up as one wider than the terminal.
 */

const CASES: { name: string; args: string; shows: RegExp }[] = [
  { name: 'slow', args: 'slow fixtures/incident --by service,operation', shows: /p95/ },
  { name: 'errors', args: 'errors fixtures/incident', shows: /Bank API timeout after <\*>/ },
  { name: 'stats', args: 'stats fixtures/incident', shows: /by service/ },
  { name: 'trace', args: 'trace req-000e6 fixtures/incident', shows: /Summary/ },
];

let term: Terminal | undefined;
afterEach(() => term?.kill());

describe('report commands in a real terminal', () => {
  for (const width of [80, 200]) {
    for (const c of CASES) {
      it(`${c.name} at ${width} columns: nothing wraps`, async () => {
        term = new Terminal(width, 60);
        term.start(`node ${BIN} ${c.args} --no-pager`, ROOT);
        await term.waitFor('EXIT=', 30_000);
        const lines = term.transcript().split('\n');
        const text = lines.join('\n');
        expect(text).toMatch(c.shows);
        expect(text).toMatch(/EXIT=[01]\b/);
        const wider = lines.filter((l) => stringWidth(l) > width);
        expect(wider).toEqual([]);
      });
    }
  }
});
