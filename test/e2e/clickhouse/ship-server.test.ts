import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../cli.js';
import { chUrl, freshDatabase, rows, serverForFile, sql } from './helpers.js';

/*
 * `logtool ship` into a real ClickHouse server over HTTP (Debian's clickhouse-server 18.16 in CI) and the
 * reading commands' `--from` on what it wrote, through the compiled binary (`npm run build` first).
 * 18.16 has no query parameters, so the reads here have no filters; everything else ship and the reads
 * send (SHOW TABLES FROM, DESCRIBE TABLE, CREATE TABLE … MergeTree, JSONEachRow inserts, argMax,
 * output_format_json_quote_64bit_integers, max_execution_time) must be accepted by it.
 */

const { ch, skip, tempDir } = await serverForFile('ClickHouse ship tests', 'logtool-ship-server-');

/** JSON lines of a small service: some errors, some slow requests, a request id each. */
function lines(from: number, count: number, service: string): string[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const time = new Date(Date.UTC(2024, 0, 15, 10, 0, 0) + i * 250).toISOString();
    const level = i % 17 === 0 ? 'error' : i % 5 === 0 ? 'warn' : 'info';
    const message = level === 'error' ? `charge ch_${(i * 7919) % 1000} failed: upstream timeout after ${1000 + (i % 9) * 100}ms` : `GET /api/items/${i % 40} served`;
    return JSON.stringify({ time, level, service, msg: message, request_id: `req-${service}-${i}`, duration_ms: (i * 37) % 900, operation: `GET /api/items/${i % 3}` });
  });
}

async function json(args: string[], cwd: string): Promise<unknown> {
  const r = await runCli([...args, '--json'], { cwd });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

async function duplicates(db: string): Promise<unknown[]> {
  return rows(ch!, `SELECT file, ordinal, count() AS n FROM ${db}.logtool_logs GROUP BY file, ordinal HAVING n > 1 LIMIT 10`);
}

describe.skipIf(skip !== undefined)('ship to a real ClickHouse server, and --from on what it wrote', () => {
  it('ship creates logtool_logs and logtool_logs_files; stats, errors, slow, dedup and why --from equal the files', async () => {
    const db = await freshDatabase(ch!);
    const to = chUrl(ch!, db);
    // The fixtures: nine files in six formats, with rotated siblings (app.log.2.gz, app.log.1, app.log).
    const summary = (await json(['ship', 'fixtures/incident', '--to', to], ROOT)) as Record<string, unknown>;
    expect(summary).toMatchObject({ table: 'logtool_logs', schema: 'logtool', files: 9, already_present: 0 });
    expect(summary.shipped).toBe(summary.records);
    expect(summary.records).toBeGreaterThan(3000);
    expect(String(summary.to)).not.toContain(ch!.password);

    const tables = (await sql(ch!, `SHOW TABLES FROM ${db}`)).trim().split('\n').sort();
    expect(tables).toEqual(['logtool_logs', 'logtool_logs_files']);
    const [{ n }] = await rows(ch!, `SELECT count() AS n FROM ${db}.logtool_logs`);
    expect(n).toBe(summary.records);
    expect(await rows(ch!, `SELECT count() AS n FROM ${db}.logtool_logs_files`)).toEqual([{ n: 9 }]);
    expect(await duplicates(db)).toEqual([]);

    for (const command of ['stats', 'errors', 'slow', 'dedup', 'why']) {
      const fromFiles = await json([command, 'fixtures/incident'], ROOT);
      const fromServer = await json([command, '--from', to], ROOT);
      expect(fromServer, command).toEqual(fromFiles);
    }
  });

  it('shipping again after lines were appended sends only the new records: counts add up, no duplicates', async () => {
    const dir = tempDir();
    const db = await freshDatabase(ch!);
    const to = chUrl(ch!, db);
    writeFileSync(path.join(dir, 'api.log'), lines(0, 300, 'api').join('\n') + '\n');
    writeFileSync(path.join(dir, 'worker.log'), lines(0, 200, 'worker').join('\n') + '\n');

    const first = await json(['ship', 'api.log', 'worker.log', '--to', to], dir);
    expect(first).toMatchObject({ files: 2, records: 500, shipped: 500, already_present: 0 });

    appendFileSync(path.join(dir, 'api.log'), lines(300, 120, 'api').join('\n') + '\n');
    const second = await json(['ship', 'api.log', 'worker.log', '--to', to], dir);
    expect(second).toMatchObject({ files: 2, records: 620, shipped: 120, already_present: 500 });

    // Nothing new: nothing sent.
    const third = await json(['ship', 'api.log', 'worker.log', '--to', to], dir);
    expect(third).toMatchObject({ records: 620, shipped: 0, already_present: 620 });

    expect(await rows(ch!, `SELECT file, count() AS n, min(ordinal) AS lo, max(ordinal) AS hi FROM ${db}.logtool_logs GROUP BY file ORDER BY file`)).toEqual([
      { file: 'api.log', n: 420, lo: 0, hi: 419 },
      { file: 'worker.log', n: 200, lo: 0, hi: 199 },
    ]);
    expect(await duplicates(db)).toEqual([]);
    // The records in the table are the file's lines, in order, each once.
    const texts = (await rows(ch!, `SELECT text FROM ${db}.logtool_logs WHERE file = 'api.log' ORDER BY ordinal`)).map((r) => r.text);
    expect(texts).toEqual(lines(0, 420, 'api'));

    for (const command of ['stats', 'errors', 'slow']) {
      expect(await json([command, '--from', to], dir), command).toEqual(await json([command, 'api.log', 'worker.log'], dir));
    }
  });

  it('a ship killed mid-way (SIGKILL after the first batches) and run again leaves every record exactly once', async () => {
    const dir = tempDir();
    const db = await freshDatabase(ch!);
    const to = chUrl(ch!, db);
    const total = 40_000;
    writeFileSync(path.join(dir, 'big.log'), lines(0, total, 'big').join('\n') + '\n');

    // Small batches, so that there are hundreds of inserts to interrupt.
    const child = spawn(process.execPath, [BIN, 'ship', 'big.log', '--to', to, '--batch', '100'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const closed = new Promise<string | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    const count = async (): Promise<number> => {
      try {
        return Number((await sql(ch!, `SELECT count() FROM ${db}.logtool_logs`)).trim());
      } catch {
        return 0; // not created yet
      }
    };
    let seen = 0;
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      seen = await count();
      if (seen >= 1000) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    expect(await closed, `the ship ended before it was interrupted: ${out}`).toBe('SIGKILL');
    const partial = await count();
    expect(partial).toBeGreaterThanOrEqual(seen);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(total);
    // No accounting row for a file that was not shipped in full.
    expect(await rows(ch!, `SELECT count() AS n FROM ${db}.logtool_logs_files`)).toEqual([{ n: 0 }]);

    const again = await json(['ship', 'big.log', '--to', to], dir);
    expect(again).toMatchObject({ records: total, shipped: total - partial, already_present: partial });
    expect(await rows(ch!, `SELECT count() AS n, uniqExact(ordinal) AS distinct, min(ordinal) AS lo, max(ordinal) AS hi FROM ${db}.logtool_logs`)).toEqual([
      { n: total, distinct: total, lo: 0, hi: total - 1 },
    ]);
    expect(await duplicates(db)).toEqual([]);
    expect(await json(['stats', '--from', to], dir)).toEqual(await json(['stats', 'big.log'], dir));
  });
});
