import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';

/**
 * `stats` and `slow` on logtool's table run as SQL aggregates (src/source/clickhouse/pushdown/*).
 * Held here to the same `--json`, byte for byte, as reading the shipped files and as the plain
 * `--from` read (LOGTOOL_NO_FAST_PATHS=1: every row read, every figure computed in logtool), on
 * logs written to hit the edges: equal durations across files (slowest-record ties), routes with
 * ids (templated groups), records flagged `performance_violation` in three spellings (some
 * without a duration), records without a service or a time, rotated files read oldest first.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'logtool-pushdown-agg-'));
const logs = path.join(dir, 'logs');
const db = `chdb:${path.join(dir, 'db')}`;

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function lines(seed: number, n: number, startMs: number): string {
  const r = rand(seed);
  const ops = ['GET /api/users/{id}', 'POST /api/orders', 'GET /api/orders/{id}/items', 'charge', 'reserve-stock'];
  const services = ['api', 'billing', 'stock', undefined];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[Math.floor(r() * ops.length)].replace('{id}', String(Math.floor(r() * 40)));
    const rec: Record<string, unknown> = { level: r() < 0.1 ? 'error' : r() < 0.2 ? 'warn' : 'info', msg: `handled ${op}`, request_id: `req-${seed}-${i % 97}` };
    if (r() > 0.02) rec.timestamp = new Date(startMs + i * 1500 + Math.floor(r() * 1000)).toISOString();
    const svc = services[Math.floor(r() * services.length)];
    if (svc) rec.service = svc;
    rec.operation = op;
    // Few distinct durations: ties across records and files.
    if (r() > 0.1) rec.duration_ms = [5, 12, 12.5, 40, 250, 800, 1200, 3000][Math.floor(r() * 8)];
    const flag = r();
    if (flag < 0.03) rec.performance_violation = true;
    else if (flag < 0.05) rec.Performance_Violation = 'true';
    else if (flag < 0.06) rec.performance_violation = false;
    out.push(JSON.stringify(rec));
  }
  return out.join('\n') + '\n';
}

beforeAll(async () => {
  mkdirSync(path.join(logs, 'api'), { recursive: true });
  mkdirSync(path.join(logs, 'jobs'), { recursive: true });
  const t0 = Date.parse('2024-03-01T08:00:00Z');
  writeFileSync(path.join(logs, 'api/app.log.2.gz'), gzipSync(lines(1, 700, t0)));
  writeFileSync(path.join(logs, 'api/app.log.1'), lines(2, 700, t0 + 700 * 1500));
  writeFileSync(path.join(logs, 'api/app.log'), lines(3, 700, t0 + 1400 * 1500));
  writeFileSync(path.join(logs, 'jobs/worker.log'), lines(4, 900, t0 + 300 * 1500));
  const shipped = await runCli(['ship', 'logs', '--to', db], { cwd: dir });
  expect(shipped.stderr).toBe('');
  expect(shipped.code).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES: [string, string[]][] = [
  ['stats', []],
  ['stats', ['--level', 'warn']],
  ['stats', ['--since', '2024-03-01T08:20:00Z', '--until', '2024-03-01T08:50:00Z']],
  ['stats', ['--where', 'service=billing']],
  ['stats', ['--since', '2031-01-01T00:00:00Z']],
  ['slow', []],
  ['slow', ['--by', 'service,operation', '--slowest', '7']],
  ['slow', ['--threshold', '500ms', '--level', 'info']],
  ['slow', ['--raw-operations', '--sort', 'count']],
  ['slow', ['--where', 'service=api', '--since', '2024-03-01T08:30:00Z']],
  ['slow', ['--by', 'component']],
  // --where forms the SQL holds exactly (a missing service passes !=; a missing duration fails >).
  ['stats', ['--where', 'service!=api', '--where', 'level!=warning']],
  ['slow', ['--where', 'duration>=800', '--where', 'level=INFO']],
  ['slow', ['--where', 'service!=billing', '--by', 'service']],
  // … and forms it does not (read as records, filtered here).
  ['stats', ['--where', 'service~^b', '--where', 'request_id=req-1-5']],
];

describe('stats and slow --from logtool\'s table: SQL aggregates give the files\' answer', () => {
  it.each(CASES)('%s %j', async (command, args) => {
    const files = await runCli([command, 'logs', '--json', ...args], { cwd: dir });
    const pushed = await runCli([command, '--from', db, '--json', ...args], { cwd: dir });
    const plain = await runCli([command, '--from', db, '--json', ...args], { cwd: dir, env: { LOGTOOL_NO_FAST_PATHS: '1' } });
    expect(files.code).toBe(0);
    expect(pushed.stderr).toBe(files.stderr);
    expect(pushed.code).toBe(files.code);
    expect(JSON.parse(pushed.stdout)).toEqual(JSON.parse(files.stdout));
    expect(pushed.stdout).toBe(files.stdout);
    expect(plain.stdout).toBe(files.stdout);
    if (command === 'slow') expect(JSON.parse(files.stdout).groups.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('the cases above take the server path', () => {
  it('stats and slow (default grouping, flags present) are computed on the server, not read as records', async () => {
    const { openTable } = await import('../../../src/source/clickhouse/read.js');
    const { statsOnServer } = await import('../../../src/source/clickhouse/pushdown/stats.js');
    const { slowOnServer } = await import('../../../src/source/clickhouse/pushdown/slow.js');
    const table = await openTable({ from: db });
    try {
      expect(await statsOnServer(table, { where: [] })).toBeDefined();
      const slow = await slowOnServer(table, { where: [] }, { by: ['operation'] });
      expect(slow?.violations).toBeGreaterThan(0);
      const { parseWhere } = await import('../../../src/filter.js');
      expect(await slowOnServer(table, { where: ['duration>=800', 'service!=api', 'level=INFO'].map(parseWhere) }, {})).toBeDefined();
      // A --where on a raw field is not held by the SQL: the records are read instead.
      expect(await slowOnServer(table, { where: [{ field: 'request_id', op: '=', value: 'req-1-1' }] }, {})).toBeUndefined();
    } finally {
      await table.conn.close();
    }
  }, 60_000);
});
