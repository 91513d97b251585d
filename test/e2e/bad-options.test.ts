import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

/**
 * Option values that name no time, zone, duration, limit or count are refused before anything
 * is read: exit 2 and one line that names the option and the bad value. Good edge values pass.
 */
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-badopt-'));
  const lines = [];
  for (let i = 0; i < 20; i++) {
    lines.push(JSON.stringify({ time: new Date(Date.parse('2024-02-29T10:00:00Z') + i * 1000).toISOString(), level: i % 5 ? 'info' : 'error', message: `m ${i}`, operation: 'op', duration_ms: 10 * i, request_id: 'r1', event_type: 'op_start' }));
  }
  writeFileSync(path.join(dir, 'a.log'), lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'rules.json'), '\uFEFF' + JSON.stringify({ rules: [{ name: 'errors', metric: 'errors', max: 100 }] }));
  writeFileSync(path.join(dir, 'rules.yaml'), '\uFEFFrules:\n  - name: errors\n    metric: errors\n    max: 100\n');
  writeFileSync(path.join(dir, 'bom-config.json'), '\uFEFF' + JSON.stringify({ tz: 'UTC' }));
  writeFileSync(path.join(dir, 'bad-tz-config.json'), JSON.stringify({ tz: '+99:99' }));
  writeFileSync(path.join(dir, 'bad-threshold-config.json'), JSON.stringify({ thresholds: { operation: { checkout: 'fast' } } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(args, { cwd: dir, timeoutMs: 20_000 });

/** [command line, the option named, the value quoted] */
const BAD: [string[], string, string][] = [
  [['stats', 'a.log', '--until', '2024-13-45T99:00:00Z'], '--until', '2024-13-45T99:00:00Z'],
  [['stats', 'a.log', '--since', '2024-13-01T00:00:00Z'], '--since', '2024-13-01'],
  [['stats', 'a.log', '--since', '2024-02-30T00:00:00Z'], '--since', '2024-02-30'],
  [['stats', 'a.log', '--since', '2023-02-29'], '--since', '2023-02-29'],
  [['stats', 'a.log', '--since', '2024-04-31T10:00:00Z'], '--since', '2024-04-31'],
  [['stats', 'a.log', '--until', '2024-01-01T24:00:00Z'], '--until', 'T24:00'],
  [['stats', 'a.log', '--until', '2024-01-01T10:60:00Z'], '--until', '10:60'],
  [['stats', 'a.log', '--until', '2024-01-01T10:00:61Z'], '--until', '10:00:61'],
  [['stats', 'a.log', '--since', '2024-01-01T10:00:00+15:00'], '--since', '+15:00'],
  [['stats', 'a.log', '--since', '2024-01-01T10:00:00+05:75'], '--since', '+05:75'],
  [['stats', 'a.log', '--since', '2024-1-5'], '--since', '2024-1-5'],
  [['stats', 'a.log', '--since', 'yesterday'], '--since', 'yesterday'],
  [['stats', 'a.log', '--since', '15bananas'], '--since', '15bananas'],
  [['stats', 'a.log', '--since', ''], '--since', "''"],
  [['errors', 'a.log', '--until', '2024-00-10T00:00:00Z'], '--until', '2024-00-10'],
  [['stats', 'a.log', '--tz', '+99:99'], '--tz', '+99:99'],
  [['stats', 'a.log', '--tz', '+14:30'], '--tz', '+14:30'],
  [['stats', 'a.log', '--tz', '-15:00'], '--tz', '-15:00'],
  [['stats', 'a.log', '--tz', 'UTC+25'], '--tz', 'UTC+25'],
  [['stats', 'a.log', '--tz', 'Mars/Olympus_Mons'], '--tz', 'Mars/Olympus_Mons'],
  [['stats', 'a.log', '--config', 'bad-tz-config.json'], 'bad-tz-config.json: tz', '+99:99'],
  [['slow', 'a.log', '--fail-on', 'p95=>1ms'], '--fail-on', 'p95=>1ms'],
  [['slow', 'a.log', '--fail-on', 'p95<>1ms'], '--fail-on', 'p95<>1ms'],
  [['slow', 'a.log', '--fail-on', 'p95>1ms1'], '--fail-on', 'p95>1ms1'],
  [['slow', 'a.log', '--fail-on', 'p95>-1ms'], '--fail-on', 'p95>-1ms'],
  [['slow', 'a.log', '--fail-on', 'p95>'], '--fail-on', 'p95>'],
  [['slow', 'a.log', '--fail-on', 'p96>1s'], '--fail-on', 'p96>1s'],
  [['slow', 'a.log', '--fail-on', 'count>ten'], '--fail-on', 'count>ten'],
  [['dedup', 'a.log', '--fail-on', 'rate>0x10'], '--fail-on', 'rate>0x10'],
  [['dedup', 'a.log', '--fail-on', 'rate=>0.1'], '--fail-on', 'rate=>0.1'],
  [['errors', 'a.log', '--fail-on', 'count>>1'], '--fail-on', 'count>>1'],
  [['errors', 'a.log', '--fail-on', 'count>1e400'], '--fail-on', 'count>1e400'],
  [['slow', 'a.log', '--top', '-1'], '--top', '-1'],
  [['slow', 'a.log', '--top', 'ten'], '--top', 'ten'],
  [['slow', 'a.log', '--top', '0x10'], '--top', '0x10'],
  [['slow', 'a.log', '--top', '1.5'], '--top', '1.5'],
  [['slow', 'a.log', '--slowest', '0'], '--slowest', '0'],
  [['slow', 'a.log', '--max-groups', '1e3'], '--max-groups', '1e3'],
  [['slow', 'a.log', '--budget', ''], '--budget', "''"],
  [['slow', 'a.log', '--threshold', '5bananas'], '--threshold', '5bananas'],
  [['slow', 'a.log', '--threshold', '1ms1'], '--threshold', '1ms1'],
  [['slow', 'a.log', '--sort', 'p42'], '--sort', 'p42'],
  [['errors', 'a.log', '--top', '0'], '--top', '0'],
  [['errors', 'a.log', '--top', '1e1'], '--top', '1e1'],
  [['why', 'a.log', '--window', 'soon'], '--window', 'soon'],
  [['why', 'a.log', '--window', '2024-01-15T10:30:00Z..2024-01-15T10:00:00Z'], '--window', '2024-01-15T10:30:00Z'],
  [['why', 'a.log', '--baseline', '2024-02-30T10:00:00Z..'], '--baseline', '2024-02-30'],
  [['why', 'a.log', '--fail-on', 'errors>1'], '--fail-on', 'errors>1'],
  [['trace', 'r1', 'a.log', '--gap', '1xs'], '--gap', '1xs'],
  [['trace', 'r1', 'a.log', '--slow', ''], '--slow', "''"],
  [['emergency', 'a.log', '--threshold', '0x'], '--threshold', '0x'],
  [['tail', 'a.log', '-n', ''], '-n', "''"],
  [['tail', 'a.log', '-n', '0x10'], '-n', '0x10'],
  [['tail', 'a.log', '-n', '-3'], '-n', '-3'],
  [['tail', 'a.log', '--alert-errors', '10/0m'], '--alert-errors', '10/0m'],
  [['tail', 'a.log', '--alert-slow', 'later'], '--alert-slow', 'later'],
  [['stats', 'a.log', '--duration-unit', 'parsecs'], '--duration-unit', 'parsecs'],
  [['stats', 'a.log', '--level', 'loud'], '--level', 'loud'],
  [['stats', 'a.log', '--where', 'duration_ms>fast'], '--where', 'duration_ms>fast'],
  [['dedup', 'a.log', '--key', ','], '--key', ','],
  [['dedup', 'a.log', '--events', ''], '--events', "''"],
  [['slow', 'a.log', '--config', 'bad-threshold-config.json'], 'thresholds.operation.checkout', 'fast'],
];

describe('bad option values: exit 2 with one line naming the option and the value', () => {
  for (const [args, option, value] of BAD) {
    it(`${args.slice(0, 1).concat(args.slice(2)).join(' ')}`, async () => {
      const r = await run(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^logtool: /);
      expect(lines[0]).toContain(option);
      expect(lines[0]).toContain(value);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

/** Good edge values: accepted (exit 0, or 1 for a limit that breaks). */
const GOOD: string[][] = [
  ['stats', 'a.log', '--since', '2024-02-29'],
  ['stats', 'a.log', '--since', '2024-02-29T10:00:05Z', '--until', '2024-02-29T23:59:59.999Z'],
  ['stats', 'a.log', '--since', '2024-02-29T10:00:00+14:00'],
  ['stats', 'a.log', '--since', '2024-02-29 10:00:00,000'],
  ['stats', 'a.log', '--until', '29/Feb/2024:23:00:00 +0000'],
  ['stats', 'a.log', '--tz', '+14:00'],
  ['stats', 'a.log', '--tz', '-14:00'],
  ['stats', 'a.log', '--tz', '-00:30'],
  ['stats', 'a.log', '--tz', 'UTC+2'],
  ['stats', 'a.log', '--tz', 'Europe/Berlin'],
  ['stats', 'a.log', '--since', '15m', '--relative-to', 'last'],
  ['stats', 'a.log', '--until', 'now'],
  ['stats', 'a.log', '--until', 'now', '--relative-to', 'last'],
  ['stats', 'a.log', '--since', '1d', '--relative-to', 'last'],
  ['stats', 'a.log', '--config', 'bom-config.json'],
  ['slow', 'a.log', '--fail-on', 'p95>=1h30m', '--threshold', '1.5s', '--top', '1'],
  ['slow', 'a.log', '--fail-on', 'count<1'],
  ['dedup', 'a.log', '--fail-on', 'rate>0.5'],
  ['errors', 'a.log', '--top', '1'],
  ['why', 'a.log', '--window', '2024-02-29T10:00:05Z..'],
  ['trace', 'r1', 'a.log', '--gap', '0', '--slow', '250ms'],
  ['check', 'a.log', '--rules', 'rules.json'],
  ['check', 'a.log', '--rules', 'rules.yaml'],
];

describe('good edge values are accepted', () => {
  for (const args of GOOD) {
    it(args.join(' '), async () => {
      const r = await run(args);
      expect([0, 1], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/expected|does not exist|no such|malformed|invalid/);
    });
  }
});
