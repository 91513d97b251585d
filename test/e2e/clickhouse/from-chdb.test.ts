import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { at, chdbSql, lit, mapLit, otelLogsDdl, runJson, without, writeInputs, writeRules, type JsonRun } from './chdb-helpers.js';

/*
 * Every reading command's `--json` with `--from chdb:<dir>` against the same command on the same
 * records read from files, through the compiled binary (`npm run build` first), on both table
 * schemas. A chDB data folder belongs to one process at a time, so runs on one folder go one after
 * the other; the file run of a case goes alongside its table run.
 */

const tmp = mkdtempSync(path.join(tmpdir(), 'logtool-from-chdb-'));
writeInputs(tmp);
const rules = writeRules(tmp);

/** Each case: a name and the command's arguments; the inputs (`in`) or `--from` are added. */
const CASES: [string, string[]][] = [
  ['trace, an id present', ['trace', 'req-checkout-0042']],
  ['trace, an id absent (exit 1)', ['trace', 'req-nope-9999']],
  ['stats', ['stats']],
  ['slow', ['slow']],
  ['slow --by service,operation', ['slow', '--by', 'service,operation']],
  ['errors', ['errors']],
  ['errors --level warn', ['errors', '--level', 'warn']],
  ['dedup', ['dedup']],
  ['why', ['why']],
  ['check', ['check', '--rules', rules]],
  ['stats --since/--until', ['stats', '--since', '2024-01-15T10:10:00Z', '--until', '2024-01-15T10:20:00Z']],
  ['slow --since/--until', ['slow', '--since', '2024-01-15T10:10:00Z', '--until', '2024-01-15T10:20:00Z']],
  ['errors --since/--until', ['errors', '--since', '2024-01-15T10:10:00Z', '--until', '2024-01-15T10:20:00.000Z']],
  ['trace --since', ['trace', 'req-checkout-0042', '--since', '2024-01-15T10:10:00Z']],
  ['stats --level warn', ['stats', '--level', 'warn']],
  ['slow --where service=…', ['slow', '--where', 'service=api-gateway']],
  ['errors --where service=…', ['errors', '--where', 'service=checkout']],
  ['stats --where status>=500 (a raw field)', ['stats', '--where', 'status>=500']],
  ['errors --where status>=500 (a raw field)', ['errors', '--where', 'status>=500', '--level', 'warn']],
];

/** The same command on the files and on the table (file run alongside, table runs one at a time). */
async function both(args: string[], from: string): Promise<{ file: JsonRun; table: JsonRun }> {
  const [file, table] = await Promise.all([runJson([...args, 'in'], tmp), runJson([...args, '--from', from], tmp)]);
  return { file, table };
}

/** A command's own sanity: the case reads records and gives the exit code the case is about. */
function expectAnswer(name: string, r: JsonRun): void {
  expect(r.code, `${name}: ${r.stderr}`).toBe(name.includes('absent') ? 1 : name.startsWith('check') ? 1 : 0);
}

describe("--from chdb: on logtool's own table equals the files", () => {
  const from = `chdb:${path.join(tmp, 'lt')}`;
  beforeAll(async () => {
    const r = await runCli(['ship', 'in', '--to', from, '--json'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema: 'logtool', files: 14, records: 4726, shipped: 4726 });
  }, 60_000);

  it.each(CASES)('%s', async (name, args) => {
    const { file, table } = await both(args, from);
    expectAnswer(name, file);
    expect(table.code, table.stderr).toBe(file.code);
    expect(table.json).toEqual(file.json);
  });

  it('the filters are pushed down and still give what the files give (records counted per level)', async () => {
    const [lvl, since, where] = await Promise.all([
      runJson(['stats', 'in', '--level', 'warn'], tmp),
      runJson(['stats', 'in', '--since', '2024-01-15T10:10:00Z', '--until', '2024-01-15T10:20:00Z'], tmp),
      runJson(['stats', 'in', '--where', 'status>=500'], tmp),
    ]);
    // The cases above compare these with the table; here: each filter did keep only some records.
    expect(at(lvl.json, 'levels', 'info')).toBe(0);
    expect(at(lvl.json, 'levels', 'error')).toBeGreaterThan(0);
    expect(at(since.json, 'levels', 'info')).toBeLessThan(4257);
    expect(at(where.json, 'levels')).toMatchObject({ info: 0, warn: 1, error: 2 });
  });

  it('emergency: the same summary (but the bundle path) and the same bundle (but generated_at)', async () => {
    const outF = path.join(tmp, 'em-files');
    const outT = path.join(tmp, 'em-lt');
    const [file, table] = await Promise.all([runJson(['emergency', 'in', '--out', outF], tmp), runJson(['emergency', '--from', from, '--out', outT], tmp)]);
    expect(file.code, file.stderr).toBe(0);
    expect(table.code, table.stderr).toBe(0);
    const drop = new Set(['bundle', 'generated_at']);
    expect(without(table.json, drop)).toEqual(without(file.json, drop));
    const bundle = (dir: string) => JSON.parse(gunzipSync(readFileSync(path.join(dir, readdirSync(dir)[0]))).toString('utf8'));
    expect(without(bundle(outT), drop)).toEqual(without(bundle(outF), drop));
  });
});

/*
 * `ship --to chdb:<dir>?table=otel_logs` into the exporter's default table, then every command on
 * it. Keys left out of the comparison, and why they cannot be equal on otel_logs:
 * - `record` (trace's records, slow's slowest, errors' examples, emergency's bundle): the original
 *   object; a row of otel_logs holds columns (Timestamp with nanoseconds, SeverityText, Body,
 *   ServiceName) and string attributes with nested objects flattened to dotted keys, so the object
 *   read back is that row, not the line's object.
 * - stats' and check's line accounting — `files`, `lines`, `continuation_lines`,
 *   `unparsed_lines` (and emergency's `inputs`): otel_logs has rows only, no per-file line
 *   accounting, so it reports one entry for the table with lines = rows; check's `unparsed_lines`
 *   rule is 0 there.
 * - stats' `fields`: the keys seen are the attribute names (flattened, plus Timestamp/Body/…).
 * - dedup's `exact_duplicates.examples[].text`: the line itself is not stored; the text is the
 *   row's (identical lines still give identical rows, so the counts are compared).
 * `source` strings are compared: ship keeps each record's `file:line` in the `logtool.source`
 * attribute and reading gives it back.
 * Two discrepancies have their own tests below (errors' `cascade_prevented`, why's changes) and
 * are left out of the other cases so each of those still checks the rest.
 */
const OTEL_DROP = new Set(['record', 'files', 'inputs', 'lines', 'continuation_lines', 'unparsed_lines', 'fields', 'bundle', 'generated_at']);

function otelComparable(args: string[], json: unknown): unknown {
  let v = without(json, OTEL_DROP) as Record<string, unknown>;
  if (args[0] === 'dedup') {
    const ex = at(v, 'exact_duplicates', 'examples') as Record<string, unknown>[] | undefined;
    v = { ...v, exact_duplicates: { ...(v.exact_duplicates as object), examples: ex?.map(({ text: _t, ...rest }) => rest) } };
  }
  if (args[0] === 'check') v = { ...v, rules: (v.rules as { name: string }[]).filter((r) => r.name !== 'unparsed'), passed: undefined };
  if (args[0] === 'errors') v = { ...v, cascade_prevented: undefined };
  return v;
}

describe('--from chdb: on the OpenTelemetry exporter’s otel_logs, written by ship, equals the files', () => {
  const dir = path.join(tmp, 'otel');
  const from = `chdb:${dir}?table=otel_logs`;
  beforeAll(async () => {
    await chdbSql(dir, [otelLogsDdl()]);
    const r = await runCli(['ship', 'in', '--to', from, '--json'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema: 'otel', table: 'otel_logs', records: 4726, shipped: 4726 });
  }, 60_000);

  it.each(CASES.filter(([name]) => name !== 'why'))('%s', async (name, args) => {
    const { file, table } = await both(args, from);
    expectAnswer(name, file);
    expect(table.code, table.stderr).toBe(file.code);
    expect(otelComparable(args, table.json)).toEqual(otelComparable(args, file.json));
  });

  it('stats: the records and their counts per level, service and minute are the files’ (lines are rows)', async () => {
    const { file, table } = await both(['stats'], from);
    expect(at(table.json, 'records')).toBe(at(file.json, 'records'));
    expect(at(table.json, 'lines')).toBe(4726);
    expect(at(table.json, 'files', 0, 'records')).toBe(4726);
  });

  it('emergency: the same summary (but the inputs, the bundle path and why’s changes)', async () => {
    const outF = path.join(tmp, 'em-files-2');
    const outT = path.join(tmp, 'em-otel');
    const [file, table] = await Promise.all([runJson(['emergency', 'in', '--out', outF], tmp), runJson(['emergency', '--from', from, '--out', outT], tmp)]);
    expect(table.code, table.stderr).toBe(file.code);
    const drop = (j: unknown) => {
      const v = without(j, OTEL_DROP) as { summary?: { why?: Record<string, unknown> } };
      return { ...v, summary: { ...v.summary, why: { ...v.summary?.why, changes: undefined } } };
    };
    expect(drop(table.json)).toEqual(drop(file.json));
  });

  // Discrepancy: ship writes `cascade_prevented: true` as the attribute string "true", and errors
  // counts only the boolean (src/analyze/errors.ts: `recordValue(r, 'cascade_prevented') === true`;
  // slow and emergency already accept 'true' for performance_violation). Files: 120, otel_logs: 0.
  it('errors: records flagged cascade_prevented are counted as on the files', async () => {
    const { file, table } = await both(['errors'], from);
    expect(at(file.json, 'cascade_prevented')).toBe(120);
    expect(at(table.json, 'cascade_prevented')).toBe(at(file.json, 'cascade_prevented'));
  });

  // Discrepancy: why lists `SeverityText ERROR`/`SeverityText WARN` as over-represented fields
  // (src/analyze/why.ts NOT_A_FIELD names level, levelname, severity… but not otel's SeverityText/
  // SeverityNumber), and two latency changes with the same onset come out in the order operations
  // were first met (file order vs time order), not in an order of their own.
  it('why: the same window, trigger and changes', async () => {
    const { file, table } = await both(['why'], from);
    expect(table.code).toBe(file.code);
    expect(without(table.json, OTEL_DROP)).toEqual(without(file.json, OTEL_DROP));
  });
});

/*
 * Rows as the OpenTelemetry Collector writes them (attributes only as strings in LogAttributes,
 * SeverityText as the SDK spells it, ServiceName as a column, Timestamp with nanoseconds), next to
 * a JSON-lines file of the same records as an application would log them. Compared: everything
 * but `record`/`source`/`sources` (a row reference on the table: `<table>:<n>`, a file:line on the
 * file) and the line accounting (`files`, `lines`, … as above) and stats' `fields` (key names).
 */
describe('--from chdb: on rows a collector wrote equals a JSON-lines file of the same records', () => {
  const dir = path.join(tmp, 'collector');
  const from = `chdb:${dir}?table=otel_logs`;
  const DROP = new Set([...OTEL_DROP, 'source', 'sources']);
  const base = 1_709_294_400_000_000_000n; // 2024-03-01T12:00:00Z in ns
  const routes = ['/api/pay', '/api/cart', '/api/search'];
  const rows: string[] = [];
  const lines: string[] = [];
  const levels = { error: 0, warn: 0, info: 0 };
  for (let i = 0; i < 90; i++) {
    const ns = base + BigInt(i) * 20_000_000_000n + BigInt(i * 7919 + 1); // every 20 s, odd nanoseconds
    const iso = `${new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
    const service = i % 3 === 2 ? 'worker' : 'api';
    const route = routes[i % 3];
    const late = i >= 60;
    const isError = late && i % 4 === 0;
    const isWarn = !isError && i % 10 === 7;
    const severity = isError ? (i % 8 === 0 ? 'Error' : 'ERROR') : isWarn ? 'WARN' : i % 2 ? 'Info' : 'INFO';
    const number = isError ? 17 : isWarn ? 13 : 9;
    levels[isError ? 'error' : isWarn ? 'warn' : 'info']++;
    const duration = late ? 900 + ((i * 37) % 400) : 40 + ((i * 13) % 60);
    const requestId = `req-${String(i).padStart(4, '0')}`;
    const traceId = (i * 2654435761).toString(16).padStart(32, '0');
    const spanId = (i * 40503 + 17).toString(16).padStart(16, '0');
    const body = isError ? `charge failed for order ${1000 + i}: upstream timeout after ${duration}ms` : isWarn ? `slow response from cache node ${i % 5}` : `handled ${route} for user ${i % 7}`;
    const attrs: Record<string, string> = { 'http.route': route, duration_ms: String(duration), request_id: requestId };
    if (isError) attrs['error.type'] = 'UpstreamTimeout';
    rows.push(
      `(fromUnixTimestamp64Nano(toInt64(${ns})), ${lit(traceId)}, ${lit(spanId)}, 1, ${lit(severity)}, ${number}, ${lit(service)}, ${lit(body)}, ${mapLit({ 'service.name': service, 'host.name': 'node-1' })}, 'io.opentelemetry.app', ${mapLit(attrs)})`,
    );
    const rec: Record<string, unknown> = { timestamp: iso, level: severity, service, message: body, trace_id: traceId, span_id: spanId, 'http.route': route, duration_ms: duration, request_id: requestId };
    if (isError) rec['error.type'] = 'UpstreamTimeout';
    lines.push(JSON.stringify(rec));
  }
  const fileDir = path.join(tmp, 'collector-file');
  beforeAll(async () => {
    mkdirSync(fileDir, { recursive: true });
    writeFileSync(path.join(fileDir, 'app.jsonl'), lines.join('\n') + '\n');
    await chdbSql(dir, [
      otelLogsDdl(),
      `INSERT INTO default.otel_logs (Timestamp, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, LogAttributes) VALUES ${rows.join(', ')}`,
    ]);
  }, 60_000);

  const cases: [string, string[]][] = [
    ['stats', ['stats']],
    ['slow', ['slow']],
    ['slow --by service,operation', ['slow', '--by', 'service,operation']],
    ['errors', ['errors']],
    ['errors --level warn', ['errors', '--level', 'warn']],
    ['trace by request_id (an attribute)', ['trace', 'req-0064']],
    ['trace by TraceId (a column)', ['trace', (64 * 2654435761).toString(16).padStart(32, '0')]],
    ['slow --since (nanosecond times)', ['slow', '--since', '2024-03-01T12:20:00Z']],
    ['errors --where service=api', ['errors', '--where', 'service=api']],
  ];
  it.each(cases)('%s', async (_name, args) => {
    const [file, table] = await Promise.all([runJson([...args, 'collector-file/app.jsonl'], tmp), runJson([...args, '--from', from], tmp)]);
    expect(file.code, file.stderr).toBe(0);
    expect(table.code, table.stderr).toBe(file.code);
    expect(without(table.json, DROP)).toEqual(without(file.json, DROP));
  });

  it('the rows are read as the records they are: operations from http.route, durations, error types, levels', async () => {
    const [slow, errors, stats] = await Promise.all([runJson(['slow', '--from', from], tmp), runJson(['errors', '--from', from], tmp), runJson(['stats', '--from', from], tmp)]);
    expect(slow.code, slow.stderr).toBe(0);
    const groups = at(slow.json, 'groups') as { key?: Record<string, string>; count: number }[] | undefined;
    expect(JSON.stringify(groups ?? slow.json)).toContain('/api/pay');
    expect(at(stats.json, 'levels')).toMatchObject(levels);
    expect(JSON.stringify(errors.json)).toContain('UpstreamTimeout');
  });
});
