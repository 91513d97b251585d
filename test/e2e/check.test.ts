import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-check-'));
const file = (name: string, body: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

describe('check', () => {
  const rules = file('rules.json', {
    rules: [
      { name: 'checkout p95', metric: 'p95_ms', where: { operation: 'checkout' }, max: 2000 },
      { name: 'reserve p95', metric: 'p95_ms', where: { operation: 'reserve' }, max: 2000 },
      { name: 'error rate', metric: 'error_rate', max: 0.5 },
      { name: 'errors exist', metric: 'errors', min: 1 },
      { name: 'duplicates', metric: 'duplicate_events', max: 0 },
      { name: 'patterns', metric: 'error_clusters', max: 3 },
      { name: 'unparsed', metric: 'unparsed_lines', max: 0 },
    ],
  });

  it('gives exit 1, the verdict per rule, and JUnit XML with exactly the failed rules marked', async () => {
    const junit = path.join(dir, 'junit.xml');
    const r = await runCli(['check', 'fixtures/incident', '--rules', rules, '--json', '--junit', junit]);
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout) as { passed: boolean; rules: { name: string; passed: boolean; value: number }[] };
    expect(res.passed).toBe(false);
    expect(Object.fromEntries(res.rules.map((x) => [x.name, x.passed]))).toEqual({
      'checkout p95': false,
      'reserve p95': true,
      'error rate': true,
      'errors exist': true,
      duplicates: true,
      patterns: false,
      unparsed: true,
    });
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toMatch(/name="checkout p95"[^]*?<failure message="p95_ms = [\d.]+s, limit ≤ 2s"/);
    expect(xml).toContain('tests="7" failures="2"');
  });

  it('passes with exit 0 when every rule holds, and prints ::error lines in github format', async () => {
    const ok = file('ok.json', { rules: [{ name: 'records', metric: 'records', min: 1 }] });
    expect((await runCli(['check', 'fixtures/incident', '--rules', ok])).code).toBe(0);
    const gh = await runCli(['check', 'fixtures/incident', '--rules', rules, '--format', 'github']);
    expect(gh.code).toBe(1);
    expect(gh.stdout.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(2);
  });

  it('rejects a broken rules file with exit 2 and one clear line', async () => {
    const bad = file('bad.json', '{"rules":[{"name":"x","metric":"p96_ms","max":1}]}');
    const r = await runCli(['check', 'fixtures/incident', '--rules', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`logtool: ${bad}: rules[2-1].metric: unknown metric "p96_ms" (expected one of records, errors, error_rate, warnings, without_id, count, mean_ms, p50_ms, p90_ms, p95_ms, p99_ms, max_ms, violations, duplicate_events, exact_duplicates, error_clusters, new_error_clusters, unparsed_lines, unparsed_rate, unknown_level_rate)`.replace('[2-1]', '[0]')]);
    const missing = await runCli(['check', 'fixtures/incident', '--rules', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the rules file (ENOENT)');
  });

  it('agrees with slow, errors and dedup --fail-on on the same limits', async () => {
    const cases: [string[], unknown][] = [
      [['slow', 'fixtures/incident', '--fail-on', 'checkout:p95>2s'], { metric: 'p95_ms', where: { operation: 'checkout' }, max: 2000 }],
      [['slow', 'fixtures/incident', '--fail-on', 'reserve:p99>1s'], { metric: 'p99_ms', where: { operation: 'reserve' }, max: 1000 }],
      [['errors', 'fixtures/incident', '--fail-on', 'clusters>4'], { metric: 'error_clusters', max: 4 }],
      [['errors', 'fixtures/incident', '--fail-on', 'clusters>5'], { metric: 'error_clusters', max: 5 }],
      [['dedup', 'fixtures/dedup/component.log', '--fail-on', 'duplicates>0'], { metric: 'duplicate_events', max: 0 }],
      [['dedup', 'fixtures/incident', '--fail-on', 'duplicates>0'], { metric: 'duplicate_events', max: 0 }],
    ];
    for (const [args, rule] of cases) {
      const direct = await runCli(args);
      const inputs = args.slice(1).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--fail-on');
      const rf = file(`agree-${Math.random().toString(36).slice(2)}.json`, { rules: [{ name: 'r', ...(rule as object) }] });
      const viaCheck = await runCli(['check', ...inputs, '--rules', rf]);
      expect([args.join(' '), viaCheck.code], viaCheck.stderr).toEqual([args.join(' '), direct.code]);
    }
  });
});
