import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from './cli.js';

/**
 * Hostile input: a file NAME with an OSC title sequence, BEL and a clear-screen, and log content
 * with escape sequences and bidi overrides. Nothing of it may reach the terminal raw; --json
 * keeps the original strings.
 */
const EVIL_NAME = 'evil\x1b]0;pwned\x07\x1b[2J.log';
/** Mostly unreadable, so a warning names it on stderr. */
const GARBAGE_NAME = 'junk\x1b[8m\u202e.log';
const MISSING_NAME = 'gone\x1b[2J\x07.log';
const MESSAGE = 'payment failed \x1b[31mred\x1b[0m for invoice\u202egnp.exe\u2066x\u2069 \u0085';
const SERVICE = 'api\u202e';
const OPERATION = 'checkout\x1b[1m';

/** Well-formed SGR colour sequences: the only escape sequences the tool itself writes. */
const SGR = /\x1b\[[0-9;]*m/g;
/** Anything that must not reach a terminal raw once SGR is taken out. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let rules: string;

function records(): string {
  const t0 = Date.parse('2024-03-01T10:00:00Z');
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    const time = new Date(t0 + i * 1500).toISOString();
    const level = i % 2 ? 'error' : 'info';
    lines.push(JSON.stringify({ time, level, service: SERVICE, message: MESSAGE, request_id: 'req-1', operation: OPERATION, event_type: 'checkout_start', duration_ms: 100 + i * 900, error_type: 'E\x07' }));
  }
  return lines.join('\n') + '\n';
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-tsafe-'));
  writeFileSync(path.join(dir, EVIL_NAME), records() + 'not a record \x1b[5m\n');
  writeFileSync(path.join(dir, GARBAGE_NAME), 'garbage one\ngarbage two\ngarbage three\n');
  rules = path.join(dir, 'rules.json');
  writeFileSync(rules, JSON.stringify({ rules: [{ name: 'p95 \x1b]0;x\x07\u202e', metric: 'p95_ms', max: 1 }, { name: 'errors', metric: 'errors', max: 0 }] }));
  expect(readdirSync(dir)).toContain(EVIL_NAME);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env, timeoutMs: 30_000 });

function assertInert(r: CliResult, what: string): void {
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    const rest = text.replace(SGR, '');
    const bad = RAW.exec(rest);
    expect(bad, `${what} ${name} holds U+${bad?.[0].charCodeAt(0).toString(16)} near ${JSON.stringify(rest.slice(Math.max(0, (bad?.index ?? 0) - 30), (bad?.index ?? 0) + 30))}`).toBeNull();
  }
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code === 0 || r.code === 1 || r.code === 2, `${what} exit ${r.code}`).toBe(true);
}

const COMMANDS: [string, string[]][] = [
  ['stats', ['stats', EVIL_NAME, GARBAGE_NAME, MISSING_NAME]],
  ['errors', ['errors', EVIL_NAME, GARBAGE_NAME]],
  ['trace', ['trace', 'req-1', EVIL_NAME, '--gap', '1s', '--slow', '500ms']],
  ['slow', ['slow', EVIL_NAME, '--threshold', '1s']],
  ['dedup', ['dedup', EVIL_NAME, '--key', 'request_id,operation,event_type', '--events', 'all']],
  ['check', ['check', EVIL_NAME, '--rules', 'rules.json']],
];

describe('nothing raw reaches the terminal from a hostile file name or log content', () => {
  for (const [name, args] of COMMANDS) {
    it(`${name}: human output, coloured, and its stderr`, async () => {
      const r = await run(args, { FORCE_COLOR: '1' });
      assertInert(r, name);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout).toMatch(SGR);
      // Without colour not even an SGR sequence is raw: those in the log content are shown as text.
      const plain = await run(args);
      expect(plain.stdout + plain.stderr).not.toMatch(/[\x1b\x07\u202a-\u202e\u2066-\u2069]/);
    });

    it(`${name}: --json parses to the original strings and carries none of them raw`, async () => {
      const r = await run([...args, '--json']);
      assertInert(r, `${name} --json`);
      const doc = JSON.parse(r.stdout) as unknown;
      const strings = JSON.stringify(doc);
      // The same values as the input: the file name and the message survive exactly.
      const all: string[] = [];
      collectStrings(doc, all);
      if (name !== 'check' && name !== 'dedup') expect(all.some((s) => s.includes(EVIL_NAME))).toBe(true);
      if (name === 'errors' || name === 'trace') expect(all).toContain(MESSAGE);
      expect(strings.length).toBeGreaterThan(0);
    });
  }

  it('the file names appear escaped, readable, in the human output and warnings', async () => {
    const r = await run(['stats', EVIL_NAME, GARBAGE_NAME, MISSING_NAME]);
    expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J.log');
    expect(r.stderr).toContain('junk\\x1b[8m<U+202E>.log');
    expect(r.stderr).toContain('gone\\x1b[2J\\x07.log');
    for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^logtool: /);
  });

  it('errors shows the message with its escapes and bidi controls visible', async () => {
    const r = await run(['errors', EVIL_NAME, '--width', '200']);
    expect(r.stdout).toContain('invoice<U+202E>gnp.exe');
    expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J.log:');
  });

  it('emergency: human and --json', async () => {
    const out = mkdtempSync(path.join(dir, 'bundles-'));
    const human = await run(['emergency', EVIL_NAME, GARBAGE_NAME, '--out', out], { FORCE_COLOR: '1' });
    assertInert(human, 'emergency');
    expect(human.stdout.length).toBeGreaterThan(0);
    const json = await run(['emergency', EVIL_NAME, GARBAGE_NAME, '--out', out, '--json']);
    assertInert(json, 'emergency --json');
    const all: string[] = [];
    collectStrings(JSON.parse(json.stdout), all);
    expect(all.some((s) => s.includes(EVIL_NAME) || s.includes(GARBAGE_NAME))).toBe(true);
  });

  it('trace --ndjson and errors --annotate lines parse to the original strings', async () => {
    const nd = await run(['trace', 'req-1', EVIL_NAME, '--ndjson']);
    assertInert(nd, 'trace --ndjson');
    const first = JSON.parse(nd.stdout.split('\n')[0]) as { source: string; message: string };
    expect(first.source).toContain(EVIL_NAME);
    expect(first.message).toBe(MESSAGE);
    const an = await run(['errors', EVIL_NAME, '--annotate', '--with-record']);
    assertInert(an, 'errors --annotate');
    expect((JSON.parse(an.stdout.split('\n')[0]) as { record: { message: string } }).record.message).toBe(MESSAGE);
  });

  it('a usage error quoting a hostile argument stays inert', async () => {
    const r = await run(['stats', `--bogus\x1b]0;t\x07`, EVIL_NAME]);
    expect(r.code).toBe(2);
    assertInert(r, 'usage error');
  });

  for (const json of [false, true]) {
    it(`tail${json ? ' --json' : ''}: records and alerts from a hostile file stay inert`, async () => {
      const r = await tail([EVIL_NAME, '-n', '10', '--alert', 'level=error', ...(json ? ['--json'] : [])], json ? {} : { FORCE_COLOR: '1' });
      assertInert(r, 'tail');
      if (json) {
        const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source?: string; record?: { message: string }; alert?: { source: string } });
        expect(docs.some((d) => d.record?.message === MESSAGE)).toBe(true);
        expect(docs.some((d) => d.alert?.source.includes(EVIL_NAME))).toBe(true);
      } else {
        expect(r.stdout).toContain('invoice<U+202E>gnp.exe');
        expect(r.stdout).toContain('ALERT');
      }
    });
  }
});

function collectStrings(v: unknown, into: string[]): void {
  if (typeof v === 'string') into.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, into);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      into.push(k);
      collectStrings(x, into);
    }
  }
}

/** Runs `tail` on files until its output shows the alerts, then stops it as a user does (SIGINT). */
function tail(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'tail', ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const check = () => {
      if ((stdout.match(/ALERT|"alert"/g) ?? []).length >= 3) child.kill('SIGINT');
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), check()));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the binary with stdout on a file descriptor (here /dev/full). */
function runTo(fd: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!existsSync('/dev/full'))('stats > /dev/full', () => {
  it('exits 2 with one line and no stack trace, human and --json, small and larger than a pipe buffer', async () => {
    const many = path.join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 1200; i++) writeFileSync(path.join(many, `service-with-a-rather-long-name-${i}.log`), JSON.stringify({ level: 'info', message: 'x', service: `s${i}` }) + '\n');
    // The large outputs really are larger than a pipe's buffer (64 KiB).
    expect((await run(['stats', 'many'])).stdout.length).toBeGreaterThan(65_536);
    expect((await run(['stats', 'many', '--json'])).stdout.length).toBeGreaterThan(65_536);
    for (const args of [['stats', EVIL_NAME], ['stats', EVIL_NAME, '--json'], ['stats', 'many'], ['stats', 'many', '--json']]) {
      const fd = openSync('/dev/full', 'w');
      const r = await runTo(fd, args);
      closeSync(fd);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('logtool: cannot write the output to stdout: no space left on device\n');
    }
  });
});
