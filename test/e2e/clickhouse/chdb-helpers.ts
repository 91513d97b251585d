import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCli } from '../cli.js';

/**
 * The OpenTelemetry Collector ClickHouse exporter's default logs table
 * (opentelemetry-collector-contrib, exporter/clickhouseexporter, logs table DDL), as the exporter
 * creates it, with these changes only:
 * - no `TTL` clause: the exporter fills it from its `ttl` setting (absent by default) and it does
 *   not change what is read;
 * - the engine is a plain local `MergeTree()` (the exporter's `cluster`/`table_engine` settings
 *   not set), which is its default too.
 * chDB 26.x accepts the codecs, data-skipping indexes, partition and keys as they are.
 */
export function otelLogsDdl(table = 'otel_logs', database = 'default'): string {
  return `CREATE TABLE IF NOT EXISTS ${database}.${table} (
  Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
  TimestampTime DateTime DEFAULT toDateTime(Timestamp),
  TraceId String CODEC(ZSTD(1)),
  SpanId String CODEC(ZSTD(1)),
  TraceFlags UInt8,
  SeverityText LowCardinality(String) CODEC(ZSTD(1)),
  SeverityNumber UInt8,
  ServiceName LowCardinality(String) CODEC(ZSTD(1)),
  Body String CODEC(ZSTD(1)),
  ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
  ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
  ScopeName String CODEC(ZSTD(1)),
  ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
  ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
  EventName String CODEC(ZSTD(1)),
  INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_body Body TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
) ENGINE = MergeTree()
PARTITION BY toDate(TimestampTime)
PRIMARY KEY (ServiceName, TimestampTime)
ORDER BY (ServiceName, TimestampTime, Timestamp)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

/**
 * Runs SQL statements in an embedded chDB on a data folder, in a child process (a chDB data folder
 * belongs to one process at a time; the CLI children open it after this one has exited).
 */
export function chdbSql(dir: string, statements: string[]): Promise<void> {
  const script = `
const { createRequire } = require('node:module');
const req = createRequire(process.env.ROOT + '/package.json');
const { Session } = req('chdb');
const s = new Session(process.env.DIR);
try {
  for (const q of JSON.parse(process.env.SQL)) s.query(q, 'CSV');
} finally {
  s.close();
}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ROOT, DIR: dir, SQL: JSON.stringify(statements) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`chdb child exited ${code}: ${err.slice(0, 2000)}`))));
  });
}

/** A SQL string literal (test data only: values are written by the test itself). */
export const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A ClickHouse map literal of strings. */
export const mapLit = (m: Record<string, string>): string => `map(${Object.entries(m).flatMap(([k, v]) => [lit(k), lit(v)]).join(', ')})`;

/** What one `--json` run gave. */
export interface JsonRun {
  code: number | null;
  json: unknown;
  stderr: string;
}

/** Runs logtool with `--json` and parses stdout (the whole run output when it is not JSON, to show in a failure). */
export async function runJson(args: string[], cwd: string): Promise<JsonRun> {
  const r = await runCli([...args, '--json'], { cwd, timeoutMs: 60_000 });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = { not_json: r.stdout.slice(0, 500), stderr: r.stderr.slice(0, 500) };
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** A copy of a JSON value without the given keys, at any depth. */
export function without(v: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => without(x, keys));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !keys.has(k)).map(([k, x]) => [k, without(x, keys)]));
  }
  return v;
}

/** Walks a JSON value by a path of keys/indices (undefined when a part is missing). */
export function at(v: unknown, ...keys: (string | number)[]): unknown {
  let x = v;
  for (const k of keys) x = x === null || typeof x !== 'object' ? undefined : (x as Record<string | number, unknown>)[k];
  return x;
}

/**
 * The inputs every comparison reads: the repository's `incident` fixture (rotated siblings
 * app.log.2.gz/app.log.1/app.log, CRLF, a JSON array document, Docker json-file wrapping, Python
 * tracebacks as continuation lines, a BOM, a text prefix) and `dedup` fixture (keyed and
 * byte-identical duplicates across two files), plus a log4j-style text file with a Java stack
 * trace, a logfmt file and a file with unparsed lines — all in one folder `in/` under `dir`.
 */
export function writeInputs(dir: string): string {
  const input = path.join(dir, 'in');
  mkdirSync(input, { recursive: true });
  cpSync(path.join(ROOT, 'fixtures/incident'), input, { recursive: true });
  cpSync(path.join(ROOT, 'fixtures/dedup'), path.join(input, 'dedup'), { recursive: true });
  writeFileSync(
    path.join(input, 'text.log'),
    [
      '2024-01-15 10:05:00,123 INFO  [main] com.shop.Billing - started billing request_id=req-t-1',
      '2024-01-15 10:06:00,456 ERROR [main] com.shop.Billing - Payment failed for order 17 request_id=req-checkout-0042',
      'java.lang.IllegalStateException: upstream unavailable',
      '\tat com.shop.Billing.charge(Billing.java:42)',
      '\tat com.shop.Main.main(Main.java:7)',
      '2024-01-15 10:07:00,789 WARN  [main] com.shop.Billing - retrying charge request_id=req-t-2',
      '2024-01-15 10:15:00,000 ERROR [main] com.shop.Billing - Payment failed for order 18 request_id=req-t-3',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(input, 'svc.logfmt'),
    [
      'time=2024-01-15T10:08:00.000Z level=warn service=billing operation=charge duration_ms=1200 request_id=req-checkout-0042 status=503 msg="charge slow"',
      'time=2024-01-15T10:09:00.000Z level=info service=billing operation=charge duration_ms=80 request_id=req-l-2 status=200 msg="charge ok"',
      'time=2024-01-15T10:12:00.000Z level=error service=billing operation=refund duration_ms=3100 request_id=req-l-3 status=500 msg="refund failed: timeout after 3000ms"',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(input, 'junk.log'),
    [
      '{"time":"2024-01-15T10:11:00Z","level":"error","service":"junk","message":"boom 1","status":500}',
      'this line is not a record at all',
      '{"broken json',
      '{"time":"2024-01-15T10:13:00Z","level":"warn","service":"junk","message":"careful","status":404}',
      '',
    ].join('\n'),
  );
  return input;
}

/** A small `check` rules file next to the inputs. */
export function writeRules(dir: string): string {
  const p = path.join(dir, 'rules.json');
  writeFileSync(
    p,
    JSON.stringify({
      rules: [
        { name: 'errors', metric: 'errors', max: 5 },
        { name: 'checkout p95', metric: 'p95_ms', where: { operation: 'checkout' }, max: 2000 },
        { name: 'error rate', metric: 'error_rate', max: 0.5 },
        { name: 'duplicates', metric: 'duplicate_events', max: 0 },
        { name: 'unparsed', metric: 'unparsed_lines', max: 0 },
      ],
    }),
  );
  return p;
}

/**
 * Runs of the binary, each started once and shared: at most `limit` children at a time, and one
 * at a time per chDB data folder (it belongs to one process at a time).
 */
export class Runs {
  private readonly memo = new Map<string, Promise<JsonRun>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly cwd: string,
    private readonly limit = 3,
  ) {}

  /** The `--json` run of args (memoized); `folder` names the chDB folder it opens, if any. */
  get(args: string[], folder?: string): Promise<JsonRun> {
    const key = JSON.stringify(args);
    let p = this.memo.get(key);
    if (!p) {
      const start = () => this.slot(() => runJson(args, this.cwd));
      if (folder === undefined) p = start();
      else {
        const prev = this.chains.get(folder) ?? Promise.resolve();
        p = prev.then(start, start);
        this.chains.set(folder, p.catch(() => undefined));
      }
      this.memo.set(key, p);
    }
    return p;
  }

  /** Something else that opens a chDB folder, in that folder's turn. */
  after<T>(folder: string, work: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(folder) ?? Promise.resolve();
    const p = prev.then(() => this.slot(work));
    this.chains.set(folder, p.catch(() => undefined));
    return p;
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** A child holding a chDB folder open until released (as another logtool or chDB would). */
export function holdChdb(dir: string): Promise<{ release: () => Promise<void> }> {
  const script = `
const { createRequire } = require('node:module');
const { Session } = createRequire(process.env.ROOT + '/package.json')('chdb');
const s = new Session(process.env.DIR);
s.query('SELECT 1', 'CSV');
process.stdout.write('ready\\n');
process.stdin.resume();
process.stdin.on('end', () => { s.close(); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ROOT, DIR: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => child.on('close', () => r()));
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`chdb holder exited ${code}: ${err.slice(0, 500)}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready')) resolve({ release: () => (child.stdin.end(), exited) });
    });
  });
}
