import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './cli.js';

/** Application-logger text files, written here, read by the compiled binary with no flags. */
let dir: string;
const files: Record<string, string> = {};

const write = (name: string, lines: string[]): void => {
  files[name] = path.join(dir, name);
  writeFileSync(files[name], lines.join('\n') + '\n');
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-languages-'));
  write('orders.log', [
    '2024-03-01T09:00:00.000Z  INFO 4242 --- [orders] [nio-8080-exec-2] [4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7] c.e.orders.OrderController : order 17 received',
    '2024-03-01T09:00:00.120Z ERROR 4242 --- [orders] [nio-8080-exec-2] [4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7] c.e.orders.OrderService : order 17 failed',
    'java.lang.IllegalStateException: stock record 88 missing',
    '\tat com.example.orders.Stock.take(Stock.java:41)',
    '\tat com.example.orders.OrderService.place(OrderService.java:120)',
    'Caused by: java.sql.SQLTransientConnectionException: pool exhausted',
    '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)',
    '\t... 2 more',
    '2024-03-01T09:00:01.000Z  WARN 4242 --- [orders] [nio-8080-exec-3] [7a1c9e0b2d3f4a5b6c7d8e9f0a1b2c3d-1122334455667788] c.e.orders.StockCache : cache miss for sku 88',
    '2024-03-01T09:00:02.000Z  INFO 4242 --- [orders] [nio-8080-exec-4] c.e.orders.OrderController : order 18 received',
  ]);
  write('worker.log', [
    '2024-03-01 09:00:00,001 - jobs.resize - INFO - job 5 started',
    '2024-03-01 09:00:00,250 - jobs.resize - ERROR - job 5 crashed',
    'Traceback (most recent call last):',
    '  File "/srv/jobs/resize.py", line 31, in run',
    '    ratio = width / height',
    'ZeroDivisionError: division by zero',
    '2024-03-01 09:00:01,000 - jobs.resize - WARNING - job 5 will be retried',
  ]);
});

describe('application-logger layouts through the binary', () => {
  it('stats names the layout of each file and reads every line', async () => {
    for (const [name, layout, records] of [['orders.log', 'spring-boot', 4], ['worker.log', 'python-dash', 3]] as const) {
      const r = await runCli(['stats', files[name]!, '--json']);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout) as { files: { layout: string; records: number; unparsed_lines: number; continuation_lines: number }[]; levels: Record<string, number>; without_time: number };
      expect(s.files[0]!.layout).toBe(layout);
      expect(s.files[0]!.records).toBe(records);
      expect(s.files[0]!.unparsed_lines).toBe(0);
      expect(s.levels.unknown).toBe(0);
      expect(s.without_time).toBe(0);
    }
  });

  it('errors groups the Java exception with its stack trace attached', async () => {
    const r = await runCli(['errors', files['orders.log']!, '--json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { total: number; clusters: { error_types: string[]; samples: { stack_frame?: string; message: string }[] }[] };
    expect(e.total).toBe(1);
    expect(e.clusters[0]!.error_types).toEqual(['java.lang.IllegalStateException']);
    expect(e.clusters[0]!.samples[0]!.message).toBe('order 17 failed');
    expect(e.clusters[0]!.samples[0]!.stack_frame).toContain('Stock.take');
  });

  it('errors attaches the Python traceback to its record', async () => {
    const r = await runCli(['errors', files['worker.log']!, '--json']);
    const e = JSON.parse(r.stdout) as { total: number; clusters: { error_types: string[]; samples: { message: string }[] }[] };
    expect(e.total).toBe(1);
    expect(e.clusters[0]!.error_types).toEqual(['ZeroDivisionError']);
    expect(e.clusters[0]!.samples[0]!.message).toBe('job 5 crashed');
  });

  it('trace finds the records of an id in the Spring Boot correlation group', async () => {
    const r = await runCli(['trace', '4bf92f3577b34da6a3ce929d0e0e4736', files['orders.log']!, '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as { records: { message: string; service: string }[] };
    expect(t.records.map((x) => x.message)).toEqual(['order 17 received', 'order 17 failed']);
    expect(t.records.every((x) => x.service === 'orders')).toBe(true);
  });

  it('tail --level warn shows only the WARNING and ERROR records', async () => {
    const child = spawn(process.execPath, [BIN, 'tail', '-n', '10', '--level', 'warn', files['worker.log']!, files['orders.log']!, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level?: string; record?: { msg: string } }).filter((x) => x.record);
    try {
      const until = Date.now() + 15_000;
      while (lines().length < 4 && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
    } finally {
      child.kill('SIGKILL');
    }
    const got = lines();
    expect(got.map((x) => x.record!.msg).sort()).toEqual(['cache miss for sku 88', 'job 5 crashed', 'job 5 will be retried', 'order 17 failed']);
    expect(got.map((x) => x.level).sort()).toEqual(['error', 'error', 'warn', 'warn']);
  });
});

/** The real third-party samples, when this checkout has them next to it. */
const SHARED = [path.resolve(ROOT, '../shared/data/formats'), path.resolve(ROOT, '../../shared/data/formats')].find((p) => existsSync(p)) ?? '';
describe.runIf(SHARED !== '')('real application-logger samples (skipped: ../shared/data/formats absent)', () => {
  for (const name of ['ops-agent/cassandra_system_stacktrace.log', 'ops-agent/zookeeper_log4j_stacktrace.log', 'ops-agent/tomcat_catalina_stacktrace.log', 'lnav/laravel_monolog_stacktrace.log', 'loki/kafka_server_log4j.log']) {
    it(`${name}: every line a record or continuation, every record with level and time`, async () => {
      const r = await runCli(['stats', path.join(SHARED, name), '--json']);
      const s = JSON.parse(r.stdout) as { lines: number; records: number; continuation_lines: number; levels: Record<string, number>; without_time: number };
      expect(s.records + s.continuation_lines).toBe(s.lines);
      expect(s.levels.unknown).toBe(0);
      expect(s.without_time).toBe(0);
    });
  }
});
