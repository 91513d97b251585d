import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import type { CliResult } from '../cli.js';
import { startClickHouse, type ClickHouseServer } from './server.js';

/**
 * A server for one test file: started once, stopped (and the file's temporary folders removed)
 * after it; `skip` says why it could not start, and the file's tests then skip with that reason.
 */
export async function serverForFile(what: string, prefix: string): Promise<{ ch: ClickHouseServer | undefined; skip: string | undefined; tempDir: () => string }> {
  const server = await startClickHouse();
  const skip = 'skip' in server ? server.skip : undefined;
  if (skip) console.warn(`${what} skipped: ${skip}`);
  const ch = 'skip' in server ? undefined : server;
  const dirs: string[] = [];
  afterAll(async () => {
    await ch?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  return { ch, skip, tempDir };
}

/*
 * Small helpers for tests of the CLI against a real ClickHouse server (see server.ts): plain SQL over
 * fetch for setting up and checking tables behind the binary's back, a fresh database per test, and the
 * `--from`/`--to` URL of one.
 */

/** Runs one statement as the server's `logtool` user; the body of the answer (throws on an error status). */
export async function sql(ch: ClickHouseServer, query: string, settings: Record<string, string> = {}): Promise<string> {
  const url = new URL(ch.url + '/');
  for (const [k, v] of Object.entries(settings)) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${ch.user}:${ch.password}`).toString('base64') },
    body: query,
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`ClickHouse answered ${res.status} to ${query.slice(0, 80)}: ${body.slice(0, 300)}`);
  return body;
}

/** The rows of a SELECT as objects (JSONEachRow; 64-bit integers come back quoted on 18.16, so numbers are Number()ed by the caller). */
export async function rows(ch: ClickHouseServer, query: string): Promise<Record<string, unknown>[]> {
  const body = await sql(ch, `${query} FORMAT JSONEachRow`, { output_format_json_quote_64bit_integers: '0' });
  return body
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A new, empty database with a random name. */
export async function freshDatabase(ch: ClickHouseServer, prefix = 'db'): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await sql(ch, `CREATE DATABASE ${name}`);
  return name;
}

/** `clickhouse://user:password@127.0.0.1:<port>/<db>[?table=…]` for the server. */
export function chUrl(ch: ClickHouseServer, db: string, opts: { table?: string; user?: string; password?: string | null } = {}): string {
  const u = new URL(ch.url);
  const user = opts.user ?? ch.user;
  const cred = opts.password === null ? user : `${user}:${encodeURIComponent(opts.password ?? ch.password)}`;
  return `clickhouse://${cred}@${u.host}/${db}${opts.table ? `?table=${opts.table}` : ''}`;
}

/** How the product names the server in messages: no password, ever. */
export function display(ch: ClickHouseServer, db: string, user = ch.user): string {
  return `http://${user}@${new URL(ch.url).host}/${db}`;
}

/**
 * A failure as the issue wants it: exit 2, exactly one stderr line naming the server (without the
 * password), nothing on stdout, no stack trace, the password nowhere.
 */
export function expectOneLineFailure(r: CliResult, opts: { server: string; password: string; says: RegExp }): string {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  const line = lines[0];
  expect(line.startsWith(`logtool: ${opts.server}`), line).toBe(true);
  expect(line).toMatch(opts.says);
  expect(line).not.toMatch(/\n\s+at |Error:|\bat [\w.]+ \(/);
  expect(r.stdout + r.stderr).not.toContain(opts.password);
  return line;
}
