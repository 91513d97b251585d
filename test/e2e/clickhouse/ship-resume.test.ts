import { appendFileSync, mkdtempSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';

/** `ship` into an embedded ClickHouse: appended lines resume, rotation never loses records, re-runs add nothing. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'logtool-ship-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number, level = 'info') => `${JSON.stringify({ ts: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z`, level, msg: `event ${i}`, request_id: `r${i}` })}\n`;
const lines = (from: number, to: number, level?: string) => Array.from({ length: to - from }, (_, k) => line(from + k, level)).join('');

async function ship(db: string, ...args: string[]) {
  const r = await runCli(['ship', 'logs', '--to', db, '--json', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { shipped: number; already_present: number; records: number; files: number };
}

async function perFile(db: string): Promise<Record<string, number>> {
  const r = await runCli(['stats', '--from', db, '--json'], { cwd: dir });
  expect(r.code).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout).files as { source: string; records: number }[]).map((f) => [f.source, f.records]));
}

describe('ship: resumable without duplicates or losses', () => {
  it('sends only what the table lacks: a re-run sends nothing, appended records are sent once', async () => {
    const db = `chdb:${path.join(dir, 'db1')}`;
    mkdirSync(path.join(dir, 'logs'), { recursive: true });
    writeFileSync(path.join(dir, 'logs/app.log'), lines(0, 40));
    writeFileSync(path.join(dir, 'logs/other.log'), lines(100, 110, 'error'));
    expect(await ship(db, '--batch', '7')).toMatchObject({ shipped: 50, already_present: 0, records: 50, files: 2 });
    expect(await ship(db)).toMatchObject({ shipped: 0, already_present: 50 });
    appendFileSync(path.join(dir, 'logs/app.log'), lines(40, 45));
    expect(await ship(db)).toMatchObject({ shipped: 5, already_present: 50 });
    expect(await perFile(db)).toEqual({ 'logs/app.log': 45, 'logs/other.log': 10 });
    // What --from answers is what the files answer.
    const files = await runCli(['errors', 'logs', '--json'], { cwd: dir });
    const table = await runCli(['errors', '--from', db, '--json'], { cwd: dir });
    expect(table.stdout).toBe(files.stdout);
  }, 120_000);

  it('a log rotated by rename and re-created: the new content is sent whole, nothing is skipped', async () => {
    const db = `chdb:${path.join(dir, 'db2')}`;
    rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'logs/app.log'), lines(0, 30));
    expect(await ship(db)).toMatchObject({ shipped: 30 });
    renameSync(path.join(dir, 'logs/app.log'), path.join(dir, 'logs/app.log.1'));
    writeFileSync(path.join(dir, 'logs/app.log'), lines(200, 212, 'warn'));
    const second = await ship(db);
    // The 12 new records are all sent (a name-only resume point of 30 would have skipped them).
    expect(second.shipped).toBe(42);
    expect(await perFile(db)).toEqual({ 'logs/app.log.1': 30, 'logs/app.log': 42 });
    const warn = await runCli(['stats', '--from', db, '--json'], { cwd: dir });
    expect(JSON.parse(warn.stdout).levels.warn).toBe(12);
  }, 120_000);
});
