import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { connect } from '../../../src/source/clickhouse/connect.js';
import { logtoolTableDdl } from '../../../src/source/clickhouse/schema.js';
import { parseTarget } from '../../../src/source/clickhouse/url.js';
import { BIN, ROOT, runCli } from '../cli.js';
import { chUrl, display, expectOneLineFailure, freshDatabase, rows, serverForFile, sql } from './helpers.js';
import { freePort } from './server.js';

/*
 * What a user sees when ClickHouse fails them, against a real server over HTTP (Debian's
 * clickhouse-server 18.16 in CI), through the compiled binary (`npm run build` first): exit 2, one stderr
 * line naming the server without its password and saying what to do, no stack trace, nothing on stdout.
 */

const { ch, skip, tempDir } = await serverForFile('ClickHouse failure tests', 'logtool-ch-failures-');

/** A folder with one small JSON-lines log, `app.log`. */
function logDir(count = 50): string {
  const dir = tempDir();
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ time: new Date(Date.UTC(2024, 0, 15, 10) + i * 1000).toISOString(), level: i % 7 === 0 ? 'error' : 'info', msg: `job ${i % 5} done`, request_id: `req-${i}`, duration_ms: i * 3 }),
  );
  writeFileSync(path.join(dir, 'app.log'), lines.join('\n') + '\n');
  return dir;
}

/** logtool's table in `db`, `rows` synthetic records of one file, made on the server (`duration_ms` may be replaced by an ALIAS). */
async function syntheticTable(db: string, count: number, durationAlias?: string): Promise<void> {
  let ddl = logtoolTableDdl(db, 'logtool_logs');
  if (durationAlias) ddl = ddl.replace('duration_ms Nullable(Float64)', `duration_ms Nullable(Float64) ALIAS ${durationAlias}`);
  await sql(ch!, ddl);
  await sql(
    ch!,
    `INSERT INTO ${db}.logtool_logs (time, level, message, source, file, line, ordinal, raw, text)
     SELECT 1705312800000 + number, 'info', concat('hello ', toString(number)), concat('a.log:', toString(number + 1)), 'a.log', number + 1, number, '{}', concat('hello ', toString(number)) FROM numbers(${count})`,
  );
}

describe.skipIf(skip !== undefined)('ClickHouse failures: one line, exit 2, no password (real server)', () => {
  const pw = () => ch!.password;

  it('an unreachable server (nothing listening on the port): connection refused', async () => {
    const port = await freePort();
    const url = `clickhouse://logtool:${pw()}@127.0.0.1:${port}/default`;
    const r = await runCli(['stats', '--from', url]);
    expectOneLineFailure(r, { server: `http://logtool@127.0.0.1:${port}/default`, password: pw(), says: /connection refused .*HTTP port/ });
  });

  it('a wrong password: authentication failed, and neither password is printed', async () => {
    const wrong = `not-${pw().slice(0, 8)}-it`;
    const r = await runCli(['errors', '--from', chUrl(ch!, 'default', { password: wrong })]);
    expectOneLineFailure(r, { server: display(ch!, 'default'), password: pw(), says: /authentication failed for user 'logtool' \(check the user and the password/ });
    expect(r.stderr).not.toContain(wrong);
  });

  it('a missing table (?table=nope): table not found, with what to do', async () => {
    const r = await runCli(['stats', '--from', chUrl(ch!, 'default', { table: 'nope' })]);
    expectOneLineFailure(r, { server: display(ch!, 'default'), password: pw(), says: /table not found: default\.nope \(check \?table=/ });
  });

  it('a database without any logtool or otel table: says to name one or ship first', async () => {
    const db = await freshDatabase(ch!);
    const r = await runCli(['slow', '--from', chUrl(ch!, db)]);
    expectOneLineFailure(r, { server: display(ch!, db), password: pw(), says: /no table named logtool_logs or otel_logs .*ship/ });
  });

  it('a table with unknown columns (a, b): names its columns and says how to map them', async () => {
    const db = await freshDatabase(ch!);
    await sql(ch!, `CREATE TABLE ${db}.ab (a UInt8, b String) ENGINE = MergeTree ORDER BY a`);
    await sql(ch!, `INSERT INTO ${db}.ab VALUES (1, 'x')`);
    const r = await runCli(['stats', '--from', chUrl(ch!, db, { table: 'ab' })]);
    expectOneLineFailure(r, { server: display(ch!, db), password: pw(), says: /table \w+\.ab has neither .*--map time=.*\(it has a, b\)/ });
  });

  it("an OpenTelemetry-shaped table on a server too old for logtool's otel SQL (no map()): says to upgrade", async () => {
    const db = await freshDatabase(ch!);
    await sql(ch!, `CREATE TABLE ${db}.otel_logs (Timestamp DateTime, SeverityText String, Body String) ENGINE = MergeTree ORDER BY Timestamp`);
    await sql(ch!, `INSERT INTO ${db}.otel_logs VALUES ('2024-01-15 10:00:00', 'ERROR', 'boom')`);
    const r = await runCli(['errors', '--from', chUrl(ch!, db)]);
    expectOneLineFailure(r, { server: display(ch!, db), password: pw(), says: /the server lacks a function logtool's query uses \(Unknown function \w+\); upgrade the server$/ });
  });

  it('a query slower than --timeout 1 stops on the server: says to raise --timeout; without it the same read succeeds', async () => {
    // Each block of rows read sleeps 0.4 s on the server (40,000 rows are several blocks): a real slow query.
    const db = await freshDatabase(ch!);
    await syntheticTable(db, 40_000, 'toNullable(toFloat64(sleep(0.4)))');
    const r = await runCli(['stats', '--from', chUrl(ch!, db), '--timeout', '1']);
    expectOneLineFailure(r, { server: display(ch!, db), password: pw(), says: /ran past --timeout \(raise --timeout/ });

    const ok = await runCli(['stats', '--from', chUrl(ch!, db), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).files).toEqual([expect.objectContaining({ source: 'a.log', records: 40_000 })]);
  });

  it('a query killed on the server while its rows stream to logtool: one line, nothing reported', async () => {
    const db = await freshDatabase(ch!);
    const total = 600_000;
    await syntheticTable(db, total);
    const child = spawn(process.execPath, [BIN, 'stats', '--from', chUrl(ch!, db)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The read is sorted (file, ordinal): once every row was read from storage the server is sending; logtool
    // takes seconds to take in 600,000 rows, so the kill lands mid-answer (HTTP 200 already sent).
    let id = '';
    for (let i = 0; i < 400 && child.exitCode === null; i++) {
      const running = await rows(ch!, `SELECT query_id, read_rows FROM system.processes WHERE query LIKE '%${db}.logtool_logs %ORDER BY file, ordinal%' AND query NOT LIKE '%system.processes%'`);
      if (running.length === 1 && Number(running[0].read_rows) >= total) {
        id = String(running[0].query_id);
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(id, `the read was not seen running (stderr: ${stderr})`).not.toBe('');
    await new Promise((r) => setTimeout(r, 300));
    await sql(ch!, `KILL QUERY WHERE query_id = '${id}' SYNC`);
    const code = await closed;
    expectOneLineFailure({ code, stdout, stderr }, { server: display(ch!, db), password: pw(), says: /cancelled on the server .*nothing was reported — run again/ });
  });

  it('a server error after rows were sent (HTTP 200, then Code: 395 in the body): connect().rows() throws one InputError line', async () => {
    const target = parseTarget(chUrl(ch!, 'default'));
    const conn = await connect(target, { timeoutS: 30 });
    let seen = 0;
    let error: unknown;
    try {
      // A block is 65,536 rows (> the server's 1 MB buffer of JSON), so the first blocks are sent before block 4 throws.
      for await (const row of conn.rows('SELECT number, throwIf(number = 200000) AS t FROM system.numbers LIMIT 300000')) {
        expect(row).toEqual({ number: seen, t: 0 });
        seen++;
      }
    } catch (e) {
      error = e;
    } finally {
      await conn.close();
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(200_000);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toBe(`${display(ch!, 'default')}: the server failed mid-answer (error 395); nothing was reported — run again, or narrow with --since/--until`);
    expect(message).not.toContain(ch!.password);
  });

  it('the password from LOGTOOL_CLICKHOUSE_PASSWORD works for ship and reads, and is never printed', async () => {
    const dir = logDir();
    const db = await freshDatabase(ch!);
    const url = chUrl(ch!, db, { password: null });
    const env = { LOGTOOL_CLICKHOUSE_PASSWORD: pw() };
    const shipped = await runCli(['ship', 'app.log', '--to', url], { cwd: dir, env });
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(shipped.stdout).toMatch(/^shipped 50 record\(s\) from 1 input\(s\) to http:\/\/logtool@127\.0\.0\.1:\d+\/\w+\/\w+\.logtool_logs\n$/);
    const read = await runCli(['stats', '--from', url, '--json'], { cwd: dir, env });
    expect(read.code, read.stderr).toBe(0);
    const files = await runCli(['stats', 'app.log', '--json'], { cwd: dir });
    expect(JSON.parse(read.stdout)).toEqual(JSON.parse(files.stdout));
    for (const r of [shipped, read]) expect(r.stdout + r.stderr).not.toContain(pw());

    // A wrong one from the environment: the same one line, still without it.
    const bad = await runCli(['stats', '--from', url], { cwd: dir, env: { LOGTOOL_CLICKHOUSE_PASSWORD: 'env-wrong-secret' } });
    expectOneLineFailure(bad, { server: display(ch!, db), password: 'env-wrong-secret', says: /authentication failed/ });
  });

  it('LOGTOOL_CLICKHOUSE_URL is used by --from without a value, and by ship without --to', async () => {
    const dir = logDir(30);
    const db = await freshDatabase(ch!);
    const env = { LOGTOOL_CLICKHOUSE_URL: chUrl(ch!, db) };
    const shipped = await runCli(['ship', 'app.log', '--json'], { cwd: dir, env });
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(JSON.parse(shipped.stdout)).toMatchObject({ shipped: 30, to: `${display(ch!, db)}/${db}.logtool_logs` });
    for (const command of ['stats', 'errors', 'slow']) {
      const read = await runCli([command, '--from', '--json'], { cwd: dir, env });
      expect(read.code, read.stderr).toBe(0);
      const files = await runCli([command, 'app.log', '--json'], { cwd: dir });
      expect(JSON.parse(read.stdout), command).toEqual(JSON.parse(files.stdout));
      expect(read.stdout + read.stderr).not.toContain(pw());
    }
  });

  it('filters on a server without query parameters (18.16): nothing is pushed down, logtool filters every row, the answers are the files\'', async () => {
    const dir = logDir(20);
    const db = await freshDatabase(ch!);
    const to = chUrl(ch!, db);
    expect((await runCli(['ship', 'app.log', '--to', to], { cwd: dir })).code).toBe(0);
    for (const args of [
      ['stats', '--since', '2024-01-15T10:00:05Z', '--json'],
      ['slow', '--level', 'warn', '--json'],
      ['errors', '--where', 'service=api', '--json'],
      ['errors', '--where', 'msg~job 0', '--json'],
      ['trace', 'req-3', '--json'],
    ]) {
      // trace takes its id before the inputs.
      const lead = args[0] === 'trace' ? 2 : 1;
      const table = await runCli([...args.slice(0, lead), '--from', to, ...args.slice(lead)], { cwd: dir });
      const files = await runCli([...args.slice(0, lead), 'app.log', ...args.slice(lead)], { cwd: dir });
      expect(table.code, `${args.join(" ")}: ${table.stderr} | files: ${files.stderr}`).toBe(files.code);
      expect(table.stderr).not.toContain(pw());
      expect(JSON.parse(table.stdout)).toEqual(JSON.parse(files.stdout));
    }
  });

  it('ship as a read-only user: exit 2, one line, nothing on stdout, nothing written; reading as that user works', async () => {
    const dir = logDir(40);
    const db = await freshDatabase(ch!);
    const ro = chUrl(ch!, db, { user: ch!.readonlyUser });
    // No table yet: it cannot be created.
    const create = await runCli(['ship', 'app.log', '--to', ro, '--json'], { cwd: dir });
    expectOneLineFailure(create, { server: display(ch!, db, ch!.readonlyUser), password: pw(), says: /the user is read-only: Cannot create table in readonly mode \(shipping needs INSERT and CREATE TABLE\)/ });
    expect((await sql(ch!, `SHOW TABLES FROM ${db}`)).trim()).toBe('');

    // The table exists (shipped by a user who may): the insert is refused, nothing is added.
    expect((await runCli(['ship', 'app.log', '--to', chUrl(ch!, db)], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'more.log'), '{"level":"info","msg":"one more"}\n');
    const insert = await runCli(['ship', 'more.log', '--to', ro], { cwd: dir });
    expectOneLineFailure(insert, { server: display(ch!, db, ch!.readonlyUser), password: pw(), says: /the user is read-only: Cannot insert into table in readonly mode/ });
    expect(await rows(ch!, `SELECT count() AS n FROM ${db}.logtool_logs`)).toEqual([{ n: 40 }]);

    // readonly=1 forbids setting anything (max_execution_time…): the read goes without the settings.
    const read = await runCli(['stats', '--from', ro, '--json'], { cwd: dir });
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual(JSON.parse((await runCli(['stats', 'app.log', '--json'], { cwd: dir })).stdout));
  });

  it('ship to an unreachable server: exit 2, one line, nothing on stdout (also with --json)', async () => {
    const dir = logDir(10);
    const port = await freePort();
    for (const extra of [[], ['--json']]) {
      const r = await runCli(['ship', 'app.log', '--to', `clickhouse://logtool:${pw()}@127.0.0.1:${port}/default`, ...extra], { cwd: dir });
      expectOneLineFailure(r, { server: `http://logtool@127.0.0.1:${port}/default`, password: pw(), says: /connection refused/ });
    }
  });
});

describe('--from chdb:<dir> when chdb is not installed', () => {
  it('says to install it (or use a server), exit 2, one line', async () => {
    // An install without the optional peer: the compiled binary and every dependency but chdb.
    const app = tempDir();
    cpSync(path.join(ROOT, 'bin'), path.join(app, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'dist'), path.join(app, 'dist'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
    const modules = path.join(ROOT, 'node_modules');
    mkdirSync(path.join(app, 'node_modules'));
    for (const name of readdirSync(modules)) {
      if (name === 'chdb' || name === '@chdb' || name === '.bin') continue;
      symlinkSync(path.join(modules, name), path.join(app, 'node_modules', name));
    }
    // The folder exists (a missing one is its own error, before the engine is needed).
    const data = path.join(app, 'db');
    mkdirSync(data);
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const env = { ...process.env, NODE_PATH: '' };
      const c = spawn(process.execPath, [path.join(app, 'bin/logtool.js'), 'errors', '--from', `chdb:${data}`], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      c.on('error', reject);
      c.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`logtool: chdb:${data}: the embedded engine is not installed (run: npm install chdb — Linux or macOS; or use a server: clickhouse://host:8123/db)\n`);
  });
});
