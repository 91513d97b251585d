import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './cli.js';
import { Terminal } from './tmux.js';

/** Never a silent all-clear: input logtool cannot read, records without levels, a window that excludes every record. */
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-all-clear-'));
const PROSE = path.join(dir, 'notes.txt');
const NO_LEVEL = path.join(dir, 'no-level.jsonl');
const GOOD = path.join(dir, 'good.jsonl');
const RULES = path.join(dir, 'rules.json');

writeFileSync(
  PROSE,
  [
    'Dear team, the rollout of the checkout service went well on the whole.',
    'We saw one hiccup around noon when request req-1 took far too long.',
    'Please remember to rotate the on-call schedule before Friday.',
    'Thanks to everyone who helped; see you at the retrospective.',
    '',
  ].join('\n'),
);
writeFileSync(
  NO_LEVEL,
  [
    { ts: '2024-03-01T10:00:00Z', event: 'checkout received', request_id: 'req-1', operation: 'checkout', duration_ms: 120, event_type: 'operation_start' },
    { ts: '2024-03-01T10:00:01Z', event: 'card declined by bank', request_id: 'req-1', operation: 'checkout', duration_ms: 340, event_type: 'operation_end' },
    { ts: '2024-03-01T10:00:02Z', event: 'checkout received', request_id: 'req-2', operation: 'checkout', duration_ms: 95, event_type: 'operation_start' },
    { ts: '2024-03-01T10:00:03Z', event: 'inventory lookup failed', request_id: 'req-2', operation: 'checkout', duration_ms: 410, event_type: 'operation_end' },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n') + '\n',
);
writeFileSync(
  GOOD,
  [
    { time: '2024-03-01T10:00:00Z', level: 'info', msg: 'checkout received', request_id: 'req-1', operation: 'checkout', duration_ms: 120 },
    { time: '2024-03-01T10:00:01Z', level: 'error', msg: 'card declined by bank', request_id: 'req-1', operation: 'checkout', duration_ms: 340 },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n') + '\n',
);
writeFileSync(
  RULES,
  JSON.stringify({
    rules: [
      { name: 'error rate', metric: 'error_rate', max: 0.5 },
      { name: 'levels readable', metric: 'unknown_level_rate', max: 0.1 },
      { name: 'lines readable', metric: 'unparsed_rate', max: 0.1 },
      { name: 'has records', metric: 'records', min: 1 },
    ],
  }),
);
const WINDOW = ['--since', '2025-01-01T00:00:00Z'];

interface Warning {
  code: string;
  file: string | null;
  figures: Record<string, unknown>;
  message: string;
}

/** Warning lines on stderr, each one line. */
const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('logtool: warning: '));

describe('never a silent all-clear', () => {
  const commands: [string, string[]][] = [
    ['stats', []],
    ['slow', []],
    ['dedup', []],
    ['trace', ['req-1']],
    ['check', ['--rules', RULES]],
  ];

  for (const [cmd, extra] of commands) {
    it(`${cmd}: prose says how many lines were not read, and the way out`, async () => {
      const r = await runCli([cmd, ...extra, PROSE]);
      const lines = warningLines(r.stderr);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`${PROSE}: 4 of 4 lines (100%) were not read as records`);
      expect(lines[0]).toContain('--format <layout>');
      expect(r.stdout).not.toContain('warning');
    });

    it(`${cmd}: records without a level say so with --field level=…, in --json too`, async () => {
      const r = await runCli([cmd, ...extra, NO_LEVEL, '--json']);
      const doc = JSON.parse(r.stdout) as { warnings: Warning[] };
      const w = doc.warnings.find((x) => x.code === 'mostly_unknown_levels')!;
      expect(w, r.stdout).toBeDefined();
      expect(w.file).toBe(NO_LEVEL);
      // trace speaks for its own records only (the lines holding the id).
      expect(w.figures).toMatchObject(cmd === 'trace' ? { records: 2, unknown_level_rate: 1 } : { unknown_level_rate: 1, layouts: 'json' });
      expect(w.message).toContain('--field level=<field>');
      expect(warningLines(r.stderr).join('\n')).toContain(w.message);
    });

    it(`${cmd}: a window that excludes every record says so with the span of the records`, async () => {
      const r = await runCli([cmd, ...extra, GOOD, ...WINDOW, '--json']);
      const doc = JSON.parse(r.stdout) as { warnings: Warning[] };
      expect(doc.warnings.map((x) => x.code)).toEqual(['outside_window']);
      expect(doc.warnings[0].figures).toMatchObject({ records: 2, since: '2025-01-01T00:00:00.000Z', first: '2024-03-01T10:00:00.000Z', last: '2024-03-01T10:00:01.000Z' });
      expect(warningLines(r.stderr)).toEqual([`logtool: warning: ${doc.warnings[0].message}`]);
      expect(doc.warnings[0].message).toContain('--relative-to last');
    });
  }

  it('readable input with levels gives no warning', async () => {
    for (const cmd of ['stats', 'errors', 'slow', 'dedup']) {
      const r = await runCli([cmd, GOOD, '--json']);
      expect(warningLines(r.stderr), cmd).toEqual([]);
      expect((JSON.parse(r.stdout) as { warnings: unknown[] }).warnings, cmd).toEqual([]);
    }
  });

  it('worker threads tally the window as one thread does', async () => {
    const env = { LOGTOOL_PARALLEL_MIN_BYTES: '1', LOGTOOL_THREADS: '2' };
    for (const cmd of ['stats', 'slow', 'errors']) {
      const r = await runCli([cmd, GOOD, ...WINDOW, '--json'], { env });
      const doc = JSON.parse(r.stdout) as { warnings: Warning[] };
      expect(doc.warnings.map((w) => w.code), cmd).toEqual(['outside_window']);
      expect(doc.warnings[0].figures, cmd).toMatchObject({ records: 2, first: '2024-03-01T10:00:00.000Z' });
    }
    const inside = await runCli(['stats', GOOD, '--since', '2024-03-01T10:00:01Z', '--json'], { env });
    expect((JSON.parse(inside.stdout) as { warnings: Warning[] }).warnings).toEqual([]);
  });

  it('an empty input says there are no records', async () => {
    const r = await runCli(['stats', '--json'], { stdin: '' });
    const doc = JSON.parse(r.stdout) as { warnings: Warning[] };
    expect(doc.warnings.map((w) => w.code)).toEqual(['no_records']);
    expect(r.code).toBe(0);
  });
});

describe('errors cannot judge input without levels', () => {
  for (const [what, file] of [
    ['prose', PROSE],
    ['records without a level', NO_LEVEL],
  ]) {
    it(`${what}: says it could not judge instead of 0 error records, exit 2`, async () => {
      const r = await runCli(['errors', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).not.toMatch(/0 error records/);
      expect(r.stderr).toContain('logtool: could not judge the errors');
      const j = await runCli(['errors', file, '--json']);
      expect(j.code).toBe(2);
      const doc = JSON.parse(j.stdout) as { judged: boolean; total: number; warnings: Warning[] };
      expect(doc.judged).toBe(false);
      expect(doc.warnings.map((w) => w.code)).toContain('not_judged');
    });
  }

  it('records without a level on stdin are judged the same', async () => {
    const r = await runCli(['errors', '--json'], { stdin: readFileSync(NO_LEVEL) });
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as { judged: boolean }).judged).toBe(false);
  });

  it('levels that can be read are judged, errors or not', async () => {
    const r = await runCli(['errors', GOOD, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ judged: true, total: 1, warnings: [] });
    const info = path.join(dir, 'info-only.jsonl');
    writeFileSync(info, JSON.stringify({ time: '2024-03-01T10:00:00Z', level: 'info', msg: 'fine' }) + '\n');
    const clean = await runCli(['errors', info, '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ judged: true, total: 0, warnings: [] });
  });

  it('a window that excludes every record is judged but says so', async () => {
    const r = await runCli(['errors', GOOD, ...WINDOW, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { judged: boolean; warnings: Warning[] };
    expect(doc.warnings.map((w) => w.code)).toEqual(['outside_window']);
  });
});

describe('emergency', () => {
  const out = () => {
    const d = path.join(dir, `out-${Math.random().toString(36).slice(2)}`);
    mkdirSync(d);
    return d;
  };
  const bundle = (d: string) => JSON.parse(gunzipSync(readFileSync(path.join(d, readdirSync(d)[0]))).toString('utf8')) as { judged: boolean; warnings: Warning[] };

  for (const [what, file] of [
    ['prose', PROSE],
    ['records without a level', NO_LEVEL],
  ]) {
    it(`${what}: the bundle says it could not judge, exit 2`, async () => {
      const d = out();
      const r = await runCli(['emergency', file, '--out', d, '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('could not judge');
      expect(JSON.parse(r.stdout)).toMatchObject({ judged: false });
      const b = bundle(d);
      expect(b.judged).toBe(false);
      expect(b.warnings.map((w) => w.code)).toContain('not_judged');
    });
  }

  it('a window that excludes every record: the bundle carries the warning', async () => {
    const d = out();
    const r = await runCli(['emergency', GOOD, ...WINDOW, '--out', d]);
    expect(warningLines(r.stderr)).toHaveLength(1);
    expect(bundle(d).warnings.map((w) => w.code)).toEqual(['outside_window']);
  });
});

describe('check', () => {
  it('fails the rules an unreadable input breaks, with the reason', async () => {
    const r = await runCli(['check', PROSE, '--rules', RULES, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { rules: { name: string; passed: boolean; value: number | null; reason?: string }[] };
    const by = Object.fromEntries(doc.rules.map((x) => [x.name, x]));
    expect(by['error rate']).toMatchObject({ passed: false, reason: 'could not judge: there are no records' });
    expect(by['lines readable']).toMatchObject({ passed: false, value: 1 });
    expect(by['levels readable']).toMatchObject({ passed: false, value: null, reason: 'no data: no records were read' });
    expect(by['has records']).toMatchObject({ passed: false, value: 0 });
  });

  it('records without a level: the error rule cannot pass, the level rule fails on its value', async () => {
    const r = await runCli(['check', NO_LEVEL, '--rules', RULES, '--width', '200']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error rate .*FAIL could not judge: none of 4 records has a recognisable level/);
    expect(r.stdout).toMatch(/levels readable\s+unknown_level_rate\s+1 \(100\.00%\).*FAIL/);
    expect(r.stdout).toMatch(/lines readable\s+unparsed_rate\s+0 \(0\.00%\).*PASS/);
  });

  it('readable input passes the new metrics', async () => {
    const r = await runCli(['check', GOOD, '--rules', RULES, '--json']);
    expect(r.code, r.stdout).toBe(0);
  });
});

describe('tail', () => {
  it('on stdin, assesses the whole input when it ends', async () => {
    const r = await runCli(['tail', '--level', 'warn'], { stdin: readFileSync(NO_LEVEL) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(warningLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('4 of 4 records (100%) have no recognisable level');
  });

  it('following a file with --level warn, says once that most of the first 100 records have no level', async () => {
    const file = path.join(dir, 'follow.jsonl');
    writeFileSync(file, Array.from({ length: 150 }, (_, i) => JSON.stringify({ ts: '2024-03-01T10:00:00Z', event: `step ${i}` })).join('\n') + '\n');
    const child = spawn(process.execPath, [BIN, 'tail', file, '-n', '200', '--level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    try {
      for (let i = 0; i < 200 && !err.includes('have no recognisable level'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(err).toContain('logtool: warning: 100 of the first 100 records (100%) have no recognisable level, so --level warn hides them');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
    expect(warningLines(err)).toHaveLength(1);
  });
});

describe('dashboard', () => {
  const term = new Terminal(160, 40);
  afterAll(() => term.kill());

  it('shows the warning in its status line, and on stderr after quitting', async () => {
    term.start(`node ${BIN} dashboard ${NO_LEVEL}`, ROOT);
    await term.waitFor('replayed 4 records from 1 files');
    await term.waitFor('⚠');
    const screen = await term.waitFor(/4 of 4 records \(100%\) have no/);
    expect(screen).toContain('replayed 4 records');
    term.keys('q');
    const end = await term.waitFor('EXIT=');
    expect(end).toContain('EXIT=0');
  });
});
