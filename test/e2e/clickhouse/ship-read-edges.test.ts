import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { otelLogsDdl } from './chdb-helpers.js';

/** Edges of shipping and reading back through an embedded ClickHouse, each once answered wrong. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'logtool-ch-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, lines: unknown[]) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + (lines.length ? '\n' : ''));
};
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: dir, env });

async function sql(db: string, statements: string[]): Promise<void> {
  const { connect } = await import('../../../src/source/clickhouse/connect.js');
  const { parseTarget } = await import('../../../src/source/clickhouse/url.js');
  const conn = await connect(parseTarget(db), { create: true });
  try {
    for (const s of statements) await conn.command(s);
  } finally {
    await conn.close();
  }
}

describe('ship and --from: edges', () => {
  it('ship refuses filters (a resumed run must find every earlier record sent)', async () => {
    write('f/app.log', [{ level: 'info', msg: 'a' }]);
    const r = await cli(['ship', 'f', '--to', `chdb:${dir}/db-f`, '--level', 'warn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ship sends every record of its inputs.*filter when reading instead/);
    expect(r.stdout).toBe('');
  });

  it('new content under an old name whose first record is unchanged is sent, never skipped', async () => {
    const db = `chdb:${dir}/db-c`;
    write('c/app.log', [{ level: 'info', msg: 'service starting' }, { level: 'info', msg: 'a' }, { level: 'info', msg: 'b' }]);
    expect(JSON.parse((await cli(['ship', 'c', '--to', db, '--json'])).stdout)).toMatchObject({ shipped: 3 });
    write('c/app.log', [{ level: 'info', msg: 'service starting' }, { level: 'error', msg: 'x' }, { level: 'error', msg: 'y' }, { level: 'info', msg: 'z' }]);
    expect(JSON.parse((await cli(['ship', 'c', '--to', db, '--json'])).stdout)).toMatchObject({ shipped: 4, already_present: 0 });
    // Run again: that content is resumed (nothing sent), the old one is left alone.
    expect(JSON.parse((await cli(['ship', 'c', '--to', db, '--json'])).stdout)).toMatchObject({ shipped: 0, already_present: 4 });
    const levels = JSON.parse((await cli(['stats', '--from', db, '--json'])).stdout).levels;
    expect(levels).toMatchObject({ info: 5, error: 2 });
  });

  it('inputs without a record (empty, only unparsed lines) are still inputs: stats and check agree with the files', async () => {
    const db = `chdb:${dir}/db-e`;
    write('e/app.log', [{ level: 'info', msg: 'a' }, { level: 'error', msg: 'b' }]);
    write('e/empty.log', []);
    write('e/junk.log', ['\u0001\u0002 garbage', 'more garbage \u0003']);
    expect((await cli(['ship', 'e', '--to', db])).code).toBe(0);
    const files = await cli(['stats', 'e', '--json']);
    const table = await cli(['stats', '--from', db, '--json']);
    expect(JSON.parse(table.stdout).files).toEqual(JSON.parse(files.stdout).files);
    expect(table.stdout).toBe(files.stdout);
    expect(table.stderr).toBe(files.stderr);
  });

  it('--where and --by on a normalized field that a record holds only raw (a "service": 7 the normalizer leaves out)', async () => {
    const db = `chdb:${dir}/db-w`;
    write('w/a.log', [
      { level: 'info', msg: 'm1', service: true, duration_ms: 5 },
      { level: 'info', msg: 'm2', service: 7, duration_ms: 6 },
      { level: 'info', msg: 'm3', service: '', duration_ms: 7 },
      { level: 'info', msg: 'm4', service: { name: 'x' }, duration_ms: 8 },
      { level: 'info', msg: 'm5', service: 'api', duration_ms: 9 },
      { level: 'info', msg: 'm6', duration_ms: 10 },
    ]);
    expect((await cli(['ship', 'w', '--to', db])).code).toBe(0);
    for (const args of [['stats', '--where', 'service=true'], ['stats', '--where', 'service=7'], ['slow', '--by', 'service'], ['slow', '--where', 'service!=api']]) {
      const files = await cli([args[0], 'w', '--json', ...args.slice(1)]);
      const table = await cli([args[0], '--from', db, '--json', ...args.slice(1)]);
      expect(table.stdout, args.join(' ')).toBe(files.stdout);
    }
  });

  it('--map names the time, level, message and trace id columns of a table shaped like otel_logs', async () => {
    const db = `chdb:${dir}/db-m`;
    await sql(db, [
      'CREATE TABLE t2 (ts DateTime64(9), severity_txt String, content String, tid String) ENGINE = MergeTree ORDER BY ts',
      "INSERT INTO t2 VALUES ('2024-01-15 10:00:00.5', 'ERROR', 'payment failed', 'abc123'), ('2024-01-15 10:00:01', 'INFO', 'ok', 'abc123')",
    ]);
    const args = ['--from', `${db}?table=t2`, '--map', 'time=ts', '--map', 'level=severity_txt', '--map', 'message=content', '--map', 'trace_id=tid', '--json'];
    const errors = JSON.parse((await cli(['errors', ...args])).stdout);
    expect(errors.total).toBe(1);
    expect(errors.clusters[0].template).toBe('payment failed');
    const trace = JSON.parse((await cli(['trace', 'abc123', ...args])).stdout);
    expect(trace.records.map((r: { level: string; message: string }) => [r.level, r.message])).toEqual([
      ['error', 'payment failed'],
      ['info', 'ok'],
    ]);
  });

  it('otel_logs: a zero Timestamp with a time attribute, and a read-time --field, are judged by logtool', async () => {
    const db = `chdb:${dir}/db-o`;
    await sql(db, [
      otelLogsDdl(),
      `INSERT INTO otel_logs (Timestamp, SeverityText, SeverityNumber, ServiceName, Body, LogAttributes) VALUES
        ('2024-01-15 10:00:00', 'INFO', 9, 'api', 'before', map()),
        ('2024-01-15 10:20:00', 'ERROR', 17, 'api', 'inside', map()),
        (0, 'ERROR', 17, 'api', 'attribute time', map('time', '2024-01-15T10:15:00Z')),
        ('2024-01-15 10:21:00', 'INFO', 9, 'api', 'overruled', map('sev', 'error'))`,
    ]);
    for (const args of [
      ['stats', '--since', '2024-01-15T10:10:00Z'],
      ['errors', '--since', '2024-01-15T10:10:00Z'],
      ['errors', '--field', 'level=sev'],
      ['stats', '--level', 'error', '--field', 'level=sev'],
    ]) {
      const pushed = await cli([args[0], '--from', db, '--json', ...args.slice(1)]);
      const plain = await cli([args[0], '--from', db, '--json', ...args.slice(1)], { LOGTOOL_NO_FAST_PATHS: '1' });
      expect(pushed.stdout, args.join(' ')).toBe(plain.stdout);
      expect(pushed.stderr, args.join(' ')).toBe(plain.stderr);
    }
    expect(JSON.parse((await cli(['errors', '--from', db, '--json', '--field', 'level=sev'])).stdout).total).toBe(3);
  });
});
