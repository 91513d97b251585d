import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

/**
 * `--where field~regex` on long lines: catastrophic backtracking patterns finish (bounded by the
 * linear-time engine) with the right answer; patterns that engine cannot run are refused (exit
 * 2, one line saying why) instead of stalling the run.
 */

const N = 30_000;
const MESSAGES = ['a'.repeat(N) + 'b', 'a'.repeat(N), 'x'.repeat(N), `${'word '.repeat(N / 5)}!`, 'b'.repeat(N) + 'a'.repeat(20), 'short a line'];

function input(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-regex-'));
  const file = path.join(dir, 'long.log');
  const lines = MESSAGES.map((msg, i) => JSON.stringify({ time: `2024-01-15T10:00:0${i}.000Z`, level: 'error', msg, service: 'svc' }));
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Records `stats` counts after the filter (its level counts). */
function kept(stdout: string): number {
  const levels = JSON.parse(stdout).levels as Record<string, number>;
  return Object.values(levels).reduce((a, b) => a + b, 0);
}

describe('--where ~ with catastrophic patterns on long lines', () => {
  const file = input();
  const want = (re: RegExp) => MESSAGES.filter((m) => re.test(m)).length;

  it.each([
    ['^(a+)+$', 1],
    ['(a|a)*b', 2],
    ['^(a|aa)+$', 1],
    ['(x+x+)+y', 0],
    ['^(\\w+\\s?)*$', 5],
    ['^((a*)*)*$', 1],
    ['((a+)+)+c', 0],
    ['(.*a){16}', 3],
    ['(.*a){20}', 3],
  ])('msg~%s finishes with the right answer', { timeout: 60_000 }, async (pattern, n) => {
    const res = await runCli(['stats', file, '--json', '--where', `msg~${pattern}`], { timeoutMs: 55_000 });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(kept(res.stdout)).toBe(n);
  });

  it('agrees with a plain RegExp on ordinary patterns', { timeout: 60_000 }, async () => {
    for (const p of ['^a+b$', 'word !', '^short', 'a{20}$', '[xy]{3}', '^(?:a|b)+$']) {
      const res = await runCli(['stats', file, '--json', '--where', `msg~${p}`]);
      expect([p, res.code, kept(res.stdout)]).toEqual([p, 0, want(new RegExp(p))]);
    }
  });

  it.each(['(a+)\\1', '(?=a)(a+)+$', '(?<!b)a+$'])('msg~%s is refused at parse with the reason (exit 2)', async (pattern) => {
    const res = await runCli(['errors', file, '--json', '--where', `msg~${pattern}`]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/needs a backtracking match \(a backreference or a lookahead\/lookbehind\)/);
  });
});
