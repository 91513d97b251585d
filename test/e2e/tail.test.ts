import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';

const rec = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ level: 'info', msg: id, ...extra }) + '\n';

/** Every tail started by a test; one still running when the test ends (it failed) is stopped. */
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
});

/** A running `logtool tail --json`, with the messages it has printed so far. */
class Tail {
  readonly child: ChildProcess;
  out = '';
  err = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, 'tail', ...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    this.child.on('close', () => running.delete(this.child));
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.err += d));
  }

  messages(): string[] {
    return this.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { record?: { msg: string }; alert?: unknown }).filter((x) => x.record).map((x) => x.record!.msg);
  }

  /** Waits until a message has been printed (generous timeout: CI machines are busy). */
  async waitFor(id: string, ms = 10_000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.messages().includes(id)) {
      if (Date.now() > until) throw new Error(`tail never printed ${id}; got ${this.messages().join(',')}; stderr ${this.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<number | null> {
    const closed = new Promise<number | null>((r) => this.child.on('close', r));
    this.child.kill('SIGINT');
    return closed;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tail', () => {
  it('shows every record exactly once through appends, split lines, rotation, truncation, new and re-created files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-tail-'));
    const log = path.join(dir, 'app.log');
    writeFileSync(log, rec('r1') + rec('r2') + rec('r3'));
    const t = new Tail([path.join(dir, '*.log'), '-n', '2']);
    await t.waitFor('r3');
    for (let i = 4; i <= 10; i++) appendFileSync(log, rec(`r${i}`));
    await t.waitFor('r10');
    appendFileSync(log, '{"level":"info","msg":"r1');
    await pause(400);
    appendFileSync(log, '1"}\n');
    await t.waitFor('r11');
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, rec('r12'));
    writeFileSync(log, rec('r13'));
    await t.waitFor('r12');
    await t.waitFor('r13');
    copyFileSync(log, `${log}.1.copy`);
    truncateSync(log, 0);
    appendFileSync(log, rec('r14-after-truncate'));
    await t.waitFor('r14-after-truncate');
    writeFileSync(path.join(dir, 'app2.log'), rec('r15'));
    await t.waitFor('r15');
    // A compressed file that matches the pattern (a rotated file gzipped in place) is not read.
    writeFileSync(path.join(dir, 'rotated.log'), gzipSync(rec('never-compressed')));
    rmSync(log);
    writeFileSync(log, rec('r16'));
    await t.waitFor('r16');
    await pause(1500);
    const code = await t.stop();
    expect(code).toBe(0);
    const seen = t.messages();
    const want = ['r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14-after-truncate', 'r15', 'r16'];
    expect([...seen].sort()).toEqual([...want].sort());
    expect(t.err).toMatch(/logtool tail: 15 records shown, 0 alerts, \d+ files followed/);
  });

  it('with -n 0 shows only new records, and prints alerts as JSON lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-tail-'));
    const log = path.join(dir, 'svc.log');
    writeFileSync(log, rec('old', { level: 'error' }));
    const t = new Tail([log, '-n', '0', '--alert', 'error_type=payment_failed', '--alert-slow', '1s']);
    // Lines appended before tail has reached the end of the file are not new to it: append
    // markers until one shows, however long start-up takes on a busy machine.
    for (let k = 0; !t.messages().some((m) => m.startsWith('ready')); k++) {
      if (k > 100) throw new Error(`tail never started: ${t.err}`);
      appendFileSync(log, rec(`ready${k}`));
      await pause(200);
    }
    appendFileSync(log, rec('pay', { level: 'error', error_type: 'payment_failed' }) + rec('slow', { duration_ms: 2500 }) + rec('fine'));
    await t.waitFor('fine');
    await pause(300);
    expect(await t.stop()).toBe(0);
    expect(t.messages().filter((m) => !m.startsWith('ready'))).toEqual(['pay', 'slow', 'fine']);
    expect(t.messages()).not.toContain('old');
    const alerts = t.out.split('\n').filter((l) => l.startsWith('{"alert"')).map((l) => JSON.parse(l).alert.rule);
    expect(alerts).toEqual(['match', 'slow']);
  });

  it('follows a file truncated to empty and written again after a pause', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-tail-'));
    const log = path.join(dir, 'app.log');
    writeFileSync(log, rec('before-truncate-with-a-long-enough-line'));
    const t = new Tail([log, '-n', '1']);
    await t.waitFor('before-truncate-with-a-long-enough-line');
    truncateSync(log, 0);
    // Long enough for tail to look at the empty file before it is written again.
    await pause(1200);
    appendFileSync(log, rec('after'));
    await t.waitFor('after');
    expect(await t.stop()).toBe(0);
    expect(t.messages()).toEqual(['before-truncate-with-a-long-enough-line', 'after']);
    expect(t.err).not.toMatch(/out of range/);
  });
});
