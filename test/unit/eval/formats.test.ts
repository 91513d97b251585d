import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTree, meetsBar, renderTable, type Evaluation, type Rules } from '../../../src/eval/formats.js';
import { ANNOTATIONS, EXCEPTIONS, NOT_LOGS, ruleFor } from '../../../src/eval/format-exceptions.js';

const rec = (i: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ time: `2024-03-05T10:00:${String(i % 60).padStart(2, '0')}.000Z`, level: i % 7 === 0 ? 'error' : 'info', msg: `request ${i} handled`, ...extra });

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

let dir: string;
let ev: Evaluation;

const rules: Rules = {
  notLogs: [
    { path: /(^|\/)SOURCE\.txt$/, reason: 'provenance note' },
    { path: /\.csv$/, reason: 'ground truth' },
  ],
  annotations: [{ path: /^formats\/annotated\//, line: /^# expect:/, reason: 'test annotations' }],
  exceptions: [
    { path: /^formats\/edge\/invalid\.log$/, reason: 'written to hold invalid lines' },
    { path: /^formats\/notime\//, reason: 'the logger writes no time', waive: ['time'] },
  ],
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-eval-formats-'));
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  put('json/app/good.jsonl', lines(200, (i) => rec(i)));
  put('json/app/SOURCE.txt', 'good.jsonl: written by the app\n');
  // 3 unparsed lines in 103: 97.1% readable.
  put('json/app/noisy.log', lines(100, (i) => rec(i)) + 'starting up\n=====\nbye\n');
  // 2 records without a level in 200.
  put('json/app/levels.jsonl', lines(200, (i) => (i < 2 ? JSON.stringify({ time: '2024-03-05T10:00:00Z', msg: 'no level' }) : rec(i))));
  // A traceback attached to a record counts as continuation.
  put('json/app/trace.jsonl', rec(1, { level: 'error' }) + '\nTraceback (most recent call last):\n  File "app.py", line 3, in <module>\nValueError: bad\n' + lines(99, (i) => rec(i + 2)));
  // Blank lines separate entries: taken out and counted apart, neither way.
  put('json/app/blanks.log', lines(100, (i) => rec(i) + (i % 10 === 9 ? '\n' : '')));
  put('formats/annotated/auth.log', lines(100, (i) => (i % 4 === 0 ? `# expect: {"match": ${i}}` : rec(i))));
  put('formats/edge/invalid.log', rec(1) + '\n{"unterminated": \nnot json at all\n');
  put('formats/notime/app.log', lines(50, (i) => JSON.stringify({ level: 'warn', msg: `no clock ${i}` })));
  put('loghub/Demo/Demo_2k.log', 'plain text line one\nplain text line two\n');
  put('loghub/Demo/Demo_2k.log_structured.csv', 'LineId,Content\n1,x\n');
  ev = await evaluateTree(dir, rules);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (rel: string) => [...ev.files, ...ev.exceptions].find((r) => r.path === rel)!;

describe('eval:formats', () => {
  it('reads every log with the reader and reports lines, records and shares', () => {
    const good = file('json/app/good.jsonl');
    expect(good).toMatchObject({ group: 'json', required: true, layout: 'json', lines: 200, records: 200, continuation: 0, unparsed: 0, readable: 1, level: 1, time: 1, pass: true });
  });

  it('fails a file below the bar on lines, and one below it on levels', () => {
    const noisy = file('json/app/noisy.log');
    expect(noisy).toMatchObject({ lines: 103, records: 100, unparsed: 3, pass: false });
    expect(noisy.readable).toBeCloseTo(100 / 103, 6);
    const levels = file('json/app/levels.jsonl');
    expect(levels).toMatchObject({ records: 200, readable: 1, time: 1, level: 0.99, pass: true });
  });

  it('counts attached traceback lines as continuation, not unparsed', () => {
    const t = file('json/app/trace.jsonl');
    expect(t).toMatchObject({ lines: 103, records: 100, continuation: 3, unparsed: 0, pass: true });
  });

  it('takes blank lines out and counts them apart', () => {
    expect(file('json/app/blanks.log')).toMatchObject({ blank_lines: 10, lines: 100, records: 100, unparsed: 0, pass: true });
  });

  it('lists files that are not logs with their reason, unread', () => {
    expect(ev.not_logs).toEqual([
      { path: 'json/app/SOURCE.txt', reason: 'provenance note' },
      { path: 'loghub/Demo/Demo_2k.log_structured.csv', reason: 'ground truth' },
    ]);
    expect([...ev.files, ...ev.exceptions].map((r) => r.path)).not.toContain('json/app/SOURCE.txt');
  });

  it('takes annotation lines out and counts them apart', () => {
    const a = file('formats/annotated/auth.log');
    expect(a).toMatchObject({ annotation_lines: 25, lines: 75, records: 75, unparsed: 0, pass: true });
    expect(ev.annotations).toEqual([{ path: 'formats/annotated/auth.log', lines: 25, reason: 'test annotations' }]);
  });

  it('shows excepted files apart, with their reason, and does not judge them', () => {
    expect(ev.exceptions.map((r) => [r.path, r.exception, r.required])).toEqual([['formats/edge/invalid.log', 'written to hold invalid lines', false]]);
    expect(ev.summary.failed).not.toContain('formats/edge/invalid.log');
  });

  it('waives only the figures an exception names', () => {
    const n = file('formats/notime/app.log');
    expect(n).toMatchObject({ required: true, time: 0, level: 1, readable: 1, waived: ['time'], pass: true });
    expect(meetsBar(n)).toBe(false);
    expect(meetsBar({ records: 10, readable: 0.5, level: 1, time: 0 }, ['time'])).toBe(false);
  });

  it('reports loghub files without holding them to the bar', () => {
    const l = file('loghub/Demo/Demo_2k.log');
    expect(l).toMatchObject({ group: 'loghub', required: false, pass: false });
    expect(ev.summary.failed).toEqual(['json/app/noisy.log']);
    expect(ev.summary).toMatchObject({ judged: 7, passed: 6 });
  });

  it('prints a table with a verdict per file and the sections apart', () => {
    const t = renderTable(ev);
    expect(t).toMatch(/json\/app\/good\.jsonl\s+json\s+200\s+200\s+0\s+0\s+100\.0\s+100\.0\s+100\.0\s+pass/);
    expect(t).toMatch(/json\/app\/noisy\.log\s+json\s+103\s+100\s+0\s+3\s+97\.1\s+.*FAIL/);
    expect(t).toContain('loghub/ (reported, not held to the bar)');
    expect(t).toMatch(/exceptions \(read, not held to the bar\)[\s\S]*formats\/edge\/invalid\.log: written to hold invalid lines/);
    expect(t).toContain('formats/annotated/auth.log: 25 lines: test annotations');
    expect(t).toContain('* formats/notime/app.log: time not judged: the logger writes no time');
    expect(t).toContain('not logs (2 files, not read)');
    expect(t).toContain('6 of 7 files held to the bar meet it; 1 do not');
    expect(t).toMatch(/json\/app\/blanks\.log \(\+10 blank\)\s+json\s+100\s+100/);
  });
});

describe('format exceptions (data)', () => {
  it('gives every rule a reason', () => {
    for (const r of [...NOT_LOGS, ...ANNOTATIONS, ...EXCEPTIONS]) expect(r.reason.length).toBeGreaterThan(10);
  });

  it('treats provenance, licences, tables and rendered requests as not logs, and logs as logs', () => {
    for (const p of ['formats/hl/SOURCE.txt', 'json/lnav/LICENSE_lnav_BSD2.txt', 'formats/README.md', 'loghub/HDFS/HDFS_2k.log_templates_corrected.csv', 'formats/ops-agent/request.yaml', 'loghub/LICENSE_loghub'])
      expect(ruleFor(NOT_LOGS, p), p).toBeDefined();
    for (const p of ['formats/lnav/glog_klog.log', 'json/lnav/journald.json', 'loghub/HDFS/HDFS_2k.log', 'formats/opentelemetry-collector/debugexporter_detailed_two_records.txt'])
      expect(ruleFor(NOT_LOGS, p), p).toBeUndefined();
  });

  it("takes fail2ban's failJSON annotations out", () => {
    const a = ruleFor(ANNOTATIONS, 'formats/fail2ban/sshd_auth_annotated.log')!;
    expect(a.line.test('# failJSON: { "time": "2005-06-21T16:47:48", "match": true }')).toBe(true);
    expect(a.line.test('Jun 21 16:47:48 host sshd[1]: Failed password for root')).toBe(false);
  });
});
