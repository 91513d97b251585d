import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, scrub } from './cli.js';
import { Terminal } from './tmux.js';

const HAS_LESS = spawnSync('sh', ['-c', 'command -v less'], { encoding: 'utf8' }).status === 0;

/** `stats` on the incident fixture: longer than the 30-row terminals below. */
const LONG = 'stats fixtures/incident';
/** `stats` of one small file: shorter than them. */
let SHORT: string;
/** The same with an input that does not exist: the command's exit code is 2. */
const LONG_FAILING = 'stats fixtures/incident no-such-input.log';
/** A trace of 20,000 records (about 1 MB, more than a pipe holds), exit code 2 as above. */
let HUGE_FAILING: string;
/** 300 error records of one request, each with its own request_id and duration. */
let MANY: string;

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-pager-'));
/** A pager that copies its input to the file $1 and then says `$2` on the terminal. */
const COPY = path.join(dir, 'copy-pager');
/** A pager that reads one line into $1 and exits: the user quitting early. */
const QUIT = path.join(dir, 'quit-pager');

/** Runs a shell command line in a fresh 100×30 terminal, with none of the pager variables of the test run. */
let term: Terminal | undefined;
function inTerminal(command: string, env: Record<string, string> = {}): Terminal {
  term = new Terminal(100, 30);
  const set = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
  term.start(`env -u PAGER -u LOGTOOL_PAGER -u LESS -u NO_COLOR -u FORCE_COLOR -u COLUMNS ${set} ${command}`, ROOT);
  return term;
}

/** Lines without colour and trailing blanks, for comparing a screen with piped output. */
const rows = (text: string) => scrub(text).split('\n').map((l) => l.trimEnd());

beforeAll(() => {
  writeFileSync(COPY, '#!/bin/sh\ncat > "$1"\necho "$2"\n');
  writeFileSync(QUIT, '#!/bin/sh\nhead -n 1 > "$1"\n');
  chmodSync(COPY, 0o755);
  chmodSync(QUIT, 0o755);
  const one = path.join(dir, 'one.log');
  writeFileSync(one, JSON.stringify({ time: '2024-01-15T10:00:00Z', level: 'info', msg: 'hello', service: 'api' }) + '\n');
  SHORT = `stats ${one}`;
  const big = path.join(dir, 'big.log');
  const records = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ time: new Date(Date.UTC(2024, 0, 15, 10, 0, 0, i * 10)).toISOString(), level: 'info', msg: `step ${i} of the request`, correlation_id: 'req-big', service: 'api', duration_ms: 5 + (i % 500) }));
  writeFileSync(big, records.join('\n') + '\n');
  HUGE_FAILING = `trace req-big ${big} no-such-input.log --all`;
  MANY = path.join(dir, 'many.log');
  writeFileSync(MANY, Array.from({ length: 300 }, (_, i) => JSON.stringify({ time: new Date(Date.UTC(2024, 0, 15, 10, 0, 0, i * 10)).toISOString(), level: 'error', msg: `failure ${i} in step`, request_id: `r${i}`, correlation_id: 'req-many', service: 'api', duration_ms: 100 + i }) + '\n').join(''));
});
afterEach(() => {
  term?.kill();
  term = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pager on a terminal', () => {
  it('pages long output through LOGTOOL_PAGER: it gets the whole output, as piped at the same width', async () => {
    const piped = await runCli([...LONG.split(' '), '--width', '100']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.split('\n').length).toBeGreaterThan(30);
    const file = path.join(dir, 'paged.txt');
    const t = inTerminal(`node ${BIN} ${LONG}`, { LOGTOOL_PAGER: `${COPY} ${file} PAGED-BY-COPY` });
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('PAGED-BY-COPY');
    expect(screen).toContain('EXIT=0');
    // Nothing of the output went to the terminal itself.
    expect(screen.trim().split('\n').filter((l) => l.trim() !== '')).toEqual(['PAGED-BY-COPY', 'EXIT=0']);
    const paged = readFileSync(file, 'utf8');
    expect(paged).toContain('\x1b['); // colours stay as decided for the terminal
    expect(rows(paged)).toEqual(rows(piped.stdout));
  });

  it('uses PAGER when LOGTOOL_PAGER is unset; LOGTOOL_PAGER wins over PAGER', async () => {
    const a = path.join(dir, 'by-pager.txt');
    const b = path.join(dir, 'by-logtool-pager.txt');
    let screen = await inTerminal(`node ${BIN} ${LONG}`, { PAGER: `${COPY} ${a} VIA-PAGER` }).waitFor('EXIT=');
    expect(screen).toContain('VIA-PAGER');
    expect(readFileSync(a, 'utf8')).toContain('fixtures/incident/checkout');
    term!.kill();
    rmSync(a);
    screen = await inTerminal(`node ${BIN} ${LONG}`, { PAGER: `${COPY} ${a} VIA-PAGER`, LOGTOOL_PAGER: `${COPY} ${b} VIA-LOGTOOL-PAGER` }).waitFor('EXIT=');
    expect(screen).toContain('VIA-LOGTOOL-PAGER');
    expect(screen).not.toContain('VIA-PAGER\n');
    expect(existsSync(a)).toBe(false);
    expect(readFileSync(b, 'utf8')).toContain('fixtures/incident/checkout');
  });

  it('does not page short output', async () => {
    const file = path.join(dir, 'short.txt');
    const screen = await inTerminal(`node ${BIN} ${SHORT}`, { LOGTOOL_PAGER: `${COPY} ${file} SHORT-PAGED` }).waitFor('EXIT=');
    expect(screen).not.toContain('SHORT-PAGED');
    expect(screen).toContain('one.log');
    expect(screen).toContain('EXIT=0');
    expect(existsSync(file)).toBe(false);
  });

  for (const flag of ['--no-pager', '--json']) {
    it(`does not page with ${flag}`, async () => {
      const file = path.join(dir, `flag${flag}.txt`);
      const screen = await inTerminal(`node ${BIN} ${LONG} ${flag}`, { LOGTOOL_PAGER: `${COPY} ${file} FLAG-PAGED` }).waitFor('EXIT=');
      expect(screen).not.toContain('FLAG-PAGED');
      expect(screen).toContain('EXIT=0');
      expect(existsSync(file)).toBe(false);
    });
  }

  it.skipIf(!HAS_LESS)('runs less -R -F -X by default: its first page, Ctrl-C leaves it running, q ends the run (skipped only without less)', async () => {
    const t = inTerminal(`node ${BIN} ${HUGE_FAILING}`);
    // less's prompt on the last row, the output's first rows above it.
    const screen = await t.waitFor(/\n:\s*$/);
    expect(screen).toContain('trace req-big — 20000 records');
    expect(screen).toContain('step 1 of the request');
    expect(screen).not.toContain('step 19999 of the request');
    expect(screen).not.toContain('EXIT=');
    t.keys('C-c');
    await new Promise((r) => setTimeout(r, 500));
    expect(t.screen()).not.toContain('EXIT=');
    t.keys('q');
    // Quit before the output was complete: the run ends at once, with the missing input's 2 (known
    // before anything was read).
    const end = await t.waitFor('EXIT=', 5_000);
    expect(end).toContain('EXIT=2');
    expect(end).not.toMatch(/Error|at .*\.js/);
  });

  it('shows the output directly, after one warning, when the pager cannot start; the exit code stays', async () => {
    const piped = await runCli([...LONG_FAILING.split(' '), '--width', '100']);
    expect(piped.code).toBe(2);
    const t = inTerminal(`node ${BIN} ${LONG_FAILING}`, { LOGTOOL_PAGER: 'nonexistent-pager-cmd' });
    await t.waitFor('EXIT=');
    const all = t.transcript();
    expect(all).toContain("logtool: pager 'nonexistent-pager-cmd' could not be started (exit 127); showing the output directly; set LOGTOOL_PAGER or use --no-pager");
    expect(all.match(/could not be started/g)).toHaveLength(1);
    expect(all).toContain('EXIT=2');
    // Every line of the output is on the terminal, in order.
    const shown = rows(all);
    const want = rows(piped.stdout).filter((l) => l !== '');
    const at = shown.indexOf(want[0]);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(shown.slice(at).filter((l) => l !== '').slice(0, want.length)).toEqual(want);
  });

  it('ends the run quietly, before the rest is rendered, when the pager is quit before it read everything', async () => {
    const first = path.join(dir, 'first.txt');
    const err = path.join(dir, 'quit-stderr.txt');
    // 20,000 records, far more than a pipe holds. A full run would end by saying the second id was
    // not found (exit 1): no such line (and exit 0) shows the run ended before that.
    const big = path.join(dir, 'big.log');
    const t = inTerminal(`node ${BIN} trace req-big --id never-logged-id ${big} --all 2>${err}`, { LOGTOOL_PAGER: `${QUIT} ${first}` });
    const screen = await t.waitFor('EXIT=', 30_000);
    expect(screen).toContain('EXIT=0');
    expect(readFileSync(first, 'utf8').split('\n').length).toBe(2);
    expect(readFileSync(err, 'utf8')).not.toContain('not found');
    expect(readFileSync(err, 'utf8')).not.toMatch(/Error|at .*\.js/);
  });
});

describe('machine-readable output is never paged', () => {
  const cases: Array<[string, () => string, string]> = [
    ['check --format github', () => `check ${MANY} --rules ${path.join(dir, 'failing-rules.json')} --format github`, '::error'],
    ['errors --annotate', () => `errors ${MANY} --annotate`, '"cluster"'],
    ['trace --ndjson', () => `trace req-many ${MANY} --ndjson`, '"matched"'],
  ];
  beforeAll(() => {
    writeFileSync(path.join(dir, 'failing-rules.json'), JSON.stringify({ rules: Array.from({ length: 40 }, (_, i) => ({ name: `rule ${i}`, metric: 'records', max: 0 })) }));
  });
  for (const [name, args, marker] of cases) {
    it(`${name}: written to the terminal directly, all of it`, async () => {
      const file = path.join(dir, `machine-${name.replace(/\W+/g, '-')}.txt`);
      const piped = await runCli(args().split(' '));
      const lines = piped.stdout.split('\n').filter((l) => l.includes(marker));
      expect(lines.length).toBeGreaterThan(30);
      const t = inTerminal(`node ${BIN} ${args()}`, { LOGTOOL_PAGER: `${COPY} ${file} MACHINE-PAGED` });
      await t.waitFor('EXIT=');
      const all = t.transcript();
      expect(all).not.toContain('MACHINE-PAGED');
      expect(existsSync(file)).toBe(false);
      expect(all.split('\n').filter((l) => l.includes(marker))).toHaveLength(lines.length);
    });
  }

  it('tail: the records are on the terminal, no pager runs', async () => {
    const file = path.join(dir, 'tail-paged.txt');
    const t = inTerminal(`node ${BIN} tail ${MANY} -n 100`, { LOGTOOL_PAGER: `${COPY} ${file} TAIL-PAGED` });
    await t.waitFor('failure 299 in step');
    t.keys('C-c');
    await t.waitFor('EXIT=');
    const all = t.transcript();
    expect(all).toContain('failure 200 in step');
    expect(all).not.toContain('TAIL-PAGED');
    expect(existsSync(file)).toBe(false);
  });
});

describe('warnings while paging', () => {
  it('are held while the pager shows the output, then written on the terminal after it exits, in order', async () => {
    const file = path.join(dir, 'with-warnings.txt');
    const args = `slow ${MANY} --by request_id --top 40 --fail-on p95>1ms`;
    const piped = await runCli(args.split(' '));
    expect(piped.code).toBe(1);
    const warnings = piped.stderr.trim().split('\n');
    expect(warnings).toHaveLength(300);
    expect(warnings[0]).toMatch(/^logtool: fail-on: r299: /);
    const t = inTerminal(`node ${BIN} ${args.replace('p95>1ms', '"p95>1ms"')}`, { LOGTOOL_PAGER: `${COPY} ${file} PAGER-DONE` });
    await t.waitFor('EXIT=');
    const shown = t.transcript().split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    // The pager got the output and exited (its last word), then the warnings came, all in order.
    const done = shown.indexOf('PAGER-DONE');
    expect(done).toBeGreaterThanOrEqual(0);
    expect(shown.slice(done + 1)).toEqual([...warnings, 'EXIT=1']);
    expect(readFileSync(file, 'utf8')).toContain('r299');
  });
});

describe('pager and errors', () => {
  it('an error after the output started: the pager gets all of it and is waited for, then the error line', async () => {
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: Array.from({ length: 40 }, (_, i) => ({ name: `rule ${i}`, metric: 'records', max: 1e9 })) }));
    const file = path.join(dir, 'before-error.txt');
    // A --junit path under a file cannot be written: the error comes after the table was written.
    const args = `check fixtures/incident --rules ${rules} --junit ${rules}/junit.xml`;
    const piped = await runCli([...args.split(' '), '--width', '100']);
    expect(piped.code).toBe(2);
    const t = inTerminal(`node ${BIN} ${args}`, { LOGTOOL_PAGER: `${COPY} ${file} PAGED-BEFORE-ERROR` });
    const screen = await t.waitFor('EXIT=');
    const shown = screen.split('\n').filter((l) => l.trim() !== '');
    expect(shown[0]).toBe('PAGED-BEFORE-ERROR');
    expect(shown[1]).toMatch(/^logtool: --junit .*junit\.xml: cannot write the report/);
    expect(shown[2]).toBe('EXIT=2');
    expect(rows(readFileSync(file, 'utf8'))).toEqual(rows(piped.stdout));
  });
});

describe('pager when piped', () => {
  it('never pages: the output is complete, the pager never runs', async () => {
    const file = path.join(dir, 'piped.txt');
    const paged = await runCli(LONG.split(' '), { env: { LOGTOOL_PAGER: `${COPY} ${file} PIPED-PAGED`, PAGER: `${COPY} ${file} PIPED-PAGED` } });
    const plain = await runCli([...LONG.split(' '), '--no-pager']);
    expect(paged.code).toBe(0);
    expect(paged.stdout).not.toContain('PIPED-PAGED');
    expect(paged.stdout).toBe(plain.stdout);
    expect(existsSync(file)).toBe(false);
  });
});
