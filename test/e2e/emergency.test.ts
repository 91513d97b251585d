import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/fixtures/scenario.js';
import { BIN, ROOT, runCli, scrub } from './cli.js';
import { expectFits, FAILURE_ENDS, writeWideInput } from './wide-input.js';

const base = mkdtempSync(path.join(tmpdir(), 'logtool-emergency-'));
let n = 0;
const fresh = () => {
  const d = path.join(base, `out${n++}`);
  mkdirSync(d);
  return d;
};

interface Bundle {
  generated_at: string;
  errors: { source: string; record: Record<string, unknown> }[];
  performance_violations: { source: string; record: Record<string, unknown> }[];
  circuit_breaker_events: { source: string; record: Record<string, unknown> }[];
  inputs: { source: string; lines: number; records: number; unparsed_lines: number }[];
  summary: { redacted_values: number; collected: Record<string, number>; top_error_clusters: unknown[] };
}

function readBundle(dir: string): Bundle {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^emergency-aggregate-\d{8}-\d{6}\.\d{3}\.json\.gz$/);
  return JSON.parse(gunzipSync(readFileSync(path.join(dir, files[0]))).toString('utf8')) as Bundle;
}

describe('emergency', () => {
  it('bundles exactly the errors, violations and breaker events of the incident', async () => {
    const dir = fresh();
    const r = await runCli(['emergency', 'fixtures/incident', '--out', dir, '--width', '200']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^bundle:\\s+${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/emergency-aggregate-`, 'm'));
    const b = readBundle(dir);
    const { events } = simulate(42, 600);
    expect(b.errors).toHaveLength(events.filter((e) => e.level === 'error' || e.level === 'fatal').length);
    expect(b.performance_violations).toHaveLength(events.filter((e) => e.violation).length);
    expect(b.circuit_breaker_events).toHaveLength(events.filter((e) => e.eventType?.startsWith('circuit_breaker')).length);
    expect(b.performance_violations.every((x) => x.record.performance_violation === true)).toBe(true);
    expect(new Set(b.errors.map((x) => x.source)).size).toBe(b.errors.length);
    expect(b.inputs.reduce((a, i) => a + i.records, 0)).toBe(3709);
    // Six failures: one checkout message carries two different causes (CircuitOpenError, PaymentUpstreamError).
    expect(b.summary.top_error_clusters.length).toBe(6);
  });

  it('redacts secrets by default and keeps them with --no-redact', async () => {
    const input = path.join(base, 'secrets.log');
    writeFileSync(input, [
      JSON.stringify({ level: 'error', msg: 'charge failed for card 4111 1111 1111 1111', password: 'hunter2', headers: { Authorization: 'Bearer abc.def.ghi123', cookie: 'sid=1' }, order: '1234567890123' }),
      JSON.stringify({ level: 'error', msg: 'plain', api_key: 'k-123' }),
    ].join('\n'));
    const dir = fresh();
    expect((await runCli(['emergency', input, '--out', dir])).code).toBe(0);
    const text = JSON.stringify(readBundle(dir).errors);
    for (const secret of ['4111 1111 1111 1111', 'hunter2', 'abc.def.ghi123', 'sid=1', 'k-123']) expect(text).not.toContain(secret);
    expect(text).toContain('1234567890123');
    expect(readBundle(dir).summary.redacted_values).toBe(5);
    const keep = fresh();
    expect((await runCli(['emergency', input, '--out', keep, '--no-redact'])).code).toBe(0);
    expect(JSON.stringify(readBundle(keep).errors)).toContain('hunter2');
  });

  it('refuses a missing or unwritable --out with exit 2 and leaves nothing', async () => {
    const r = await runCli(['emergency', 'fixtures/incident', '--out', path.join(base, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such directory');
  });

  it('on a full disk says so, exits 2 and leaves no partial bundle', async () => {
    const mnt = path.join(base, 'tiny');
    mkdirSync(mnt);
    let mounted = true;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      mounted = false;
    }
    const input = path.join(base, 'noisy.log');
    const lines: string[] = [];
    // Random payloads do not compress, so the bundle cannot fit in 256 KiB.
    for (let i = 0; i < 8000; i++) lines.push(JSON.stringify({ level: 'error', msg: `failure ${i}`, payload: randomBytes(60).toString('base64') }));
    writeFileSync(input, lines.join('\n'));
    let r;
    if (mounted) {
      r = await runCli(['emergency', input, '--out', mnt]);
    } else {
      r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-c', `ulimit -f 64; exec "${process.execPath}" "${BIN}" emergency "${input}" --out "${mnt}"`], { cwd: ROOT });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    }
    try {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no space left on device|file size limit exceeded/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(mnt)).toEqual([]);
    } finally {
      if (mounted) execFileSync('umount', [mnt]);
    }
  });

  it('on Ctrl-C mid-way leaves nothing behind and exits 2', async () => {
    const dir = fresh();
    const child = spawn(process.execPath, [BIN, 'emergency', '-', '--out', dir], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.write(JSON.stringify({ level: 'error', msg: 'x' }) + '\n');
    // Wait (on a loaded machine, up to 20 s) until the bundle's work folder exists.
    for (let waited = 0; readdirSync(dir).length === 0 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(2);
    expect(stderr).toContain('interrupted by SIGINT: no bundle was written');
    expect(readdirSync(dir)).toEqual([]);
  });
});


describe('emergency fits the width', () => {
  for (const width of [80, 100, 200]) {
    it(`--width ${width}: no line wider, on the fixtures and on long shared-start messages from long-named services`, async () => {
      const wide = writeWideInput(base, 'wide.jsonl');
      for (const input of ['fixtures/incident', wide]) {
        const out = fresh();
        const r = await runCli(['emergency', input, '--out', out, '--width', String(width)], { env: { FORCE_COLOR: '1' } });
        expect(r.code, r.stderr).toBe(0);
        // The bundle's path is shown whole, to be copied: the one line allowed to be wider.
        const bundle = readdirSync(out).find((f) => f.endsWith('.json.gz'))!;
        const lines = scrub(r.stdout).split('\n');
        expect(lines.some((l) => l.trim() === path.join(out, bundle) || l === `bundle: ${path.join(out, bundle)}`)).toBe(true);
        expectFits(lines.filter((l) => !l.includes(bundle)).join('\n'), width);
      }
      const text = scrub((await runCli(['emergency', wide, '--out', fresh(), '--width', String(width)])).stdout);
      for (const end of FAILURE_ENDS) expect(text.split('\n').filter((l) => /^ +\d+ {2}/.test(l) && l.includes(end.split(' ').slice(0, 2).join(' ')))).toHaveLength(1);
    });
  }

  it('says plainly when the records have no times: no `? → ?`', async () => {
    const input = writeWideInput(base, 'untimed.jsonl', { times: false });
    const r = await runCli(['emergency', input, '--out', fresh(), '--width', '100']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('?');
    expect(r.stdout).toMatch(/^[\d,]+ records from 1 input, no times in the records$/m);
    expect(r.stdout).toMatch(/^ {2}no time {2}checkoutservice\S* +circuit_breaker_opened$/m);
  });
});
