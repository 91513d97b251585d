import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();

/** Records from `start` for `minutes`, one every 7 minutes (silent minutes in between), every third an error. */
function log(start: number, minutes: number): { text: string; times: number[] } {
  const lines: string[] = [];
  const times: number[] = [];
  for (let m = 0, i = 0; m <= minutes; m += 7, i++) {
    const t = start + m * MIN + 1234;
    times.push(t);
    const error = i % 3 === 0;
    lines.push(JSON.stringify({ timestamp: iso(t), level: error ? 'error' : 'info', service: 'api', message: error ? `db timeout after ${i}ms` : `ok ${i}`, request_id: 'req-long', duration_ms: 10 + i }));
  }
  return { text: lines.join('\n') + '\n', times };
}

describe('records spanning more than one day', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-dates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 08:49 on the 15th to 11:39 on the 16th: 26 h 50 min.
  const start = Date.parse('2024-01-15T08:49:00Z');
  const long = log(start, 26 * 60 + 50);
  const longFile = path.join(dir, 'long.log');
  writeFileSync(longFile, long.text);
  const short = log(start, 120);
  const shortFile = path.join(dir, 'short.log');
  writeFileSync(shortFile, short.text);
  const first = long.times[0];
  const last = long.times[long.times.length - 1];
  const dated = (t: number) => iso(t).slice(0, 19).replace('T', ' ');
  const clock = (t: number) => iso(t).slice(11, 19);

  it('errors dates first and last seen when they are different days, and not when they are one day', async () => {
    const r = await runCli(['errors', longFile, '--no-color']);
    expect(r.code, r.stderr).toBe(0);
    const errs = long.times.filter((_, i) => i % 3 === 0);
    expect(r.stdout).toContain(`${dated(errs[0])}–${dated(errs[errs.length - 1])}`);
    const s = await runCli(['errors', shortFile, '--no-color']);
    const sErrs = short.times.filter((_, i) => i % 3 === 0);
    expect(s.stdout).toContain(` ${clock(sErrs[0])}–${clock(sErrs[sErrs.length - 1])}`);
  });

  it('stats, trace and slow date their times', async () => {
    const st = await runCli(['stats', longFile, '--no-color']);
    expect(st.stdout).toContain(`${iso(first).slice(0, 23).replace('T', ' ')} → ${iso(last).slice(0, 23).replace('T', ' ')} UTC`);
    const tr = await runCli(['trace', 'req-long', longFile, '--no-color']);
    expect(tr.stdout).toContain(`${iso(first).slice(0, 23).replace('T', ' ')} → ${iso(last).slice(0, 23).replace('T', ' ')} UTC`);
    const sl = await runCli(['slow', longFile, '--no-color']);
    expect(sl.stdout).toContain(`at ${dated(last)}`);
  });

  it('stats: every minute from the first record to the last, silent ones as zeros; the chart says its bucket width', async () => {
    const r = await runCli(['stats', longFile, '--json']);
    const res = JSON.parse(r.stdout) as { per_minute: { minute: string; count: number }[]; buckets: { width_ms: number } };
    const minutes = Math.floor(last / MIN) - Math.floor(first / MIN) + 1;
    expect(res.buckets.width_ms).toBe(MIN);
    expect(res.per_minute).toHaveLength(minutes);
    expect(res.per_minute.reduce((a, m) => a + m.count, 0)).toBe(long.times.length);
    expect(res.per_minute.filter((m) => m.count === 0)).toHaveLength(minutes - long.times.length);
    const human = await runCli(['stats', longFile, '--no-color']);
    // 1,611 minutes do not fit 120 columns: the line says how wide a column is, and counts silent ones.
    const line = human.stdout.split('\n').find((l) => l.startsWith('per '))!;
    const m = /^per (\d+ min|hour|\d+ h) +(\S+) +peak \d+\/(.+), (\d+) silent$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(m![3]).toBe(m![1]);
    expect([...m![2]].length).toBeLessThanOrEqual(120);
  });

  it('errors: per-minute counts of a pattern include its silent minutes', async () => {
    const r = await runCli(['errors', shortFile, '--json']);
    const res = JSON.parse(r.stdout) as { clusters: { per_minute: number[] }[]; buckets: { width_ms: number } };
    const errs = short.times.filter((_, i) => i % 3 === 0);
    const w = res.buckets.width_ms;
    const start = Math.floor(errs[0] / MIN) * MIN;
    const want = new Array<number>(Math.floor((errs[errs.length - 1] - start) / w) + 1).fill(0);
    for (const t of errs) want[Math.floor((t - start) / w)]++;
    expect(want).toContain(0);
    expect(res.clusters[0].per_minute).toEqual(want);
  });
});
