import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { at, chdbSql, holdChdb, lit, mapLit, otelLogsDdl, Runs, runJson, without, writeInputs, writeRules, type JsonRun } from './chdb-helpers.js';

/*
 * Every reading command's `--json` with `--from chdb:<dir>` against the same command on the same
 * records read from files, through the compiled binary (`npm run build` first), on both table
 * schemas. A chDB data folder belongs to one process at a time, so runs on one folder go one after
 * the other; the file run of a case goes alongside its table run.
 */

// Every run is started up front and queued (a few children at a time): a test may wait for runs
// queued before its own, so the limits are those of the whole file.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const tmp = mkdtempSync(path.join(tmpdir(), 'logtool-from-chdb-'));
writeInputs(tmp);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
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
  ['errors --where error_type=… (a column)', ['errors', '--where', 'error_type=BankTimeoutError']],
  ['errors --since 10m --relative-to last', ['errors', '--since', '10m', '--relative-to', 'last']],
];

const runs = new Runs(tmp, 3);
const LT_DIR = path.join(tmp, 'lt');
const LT = `chdb:${LT_DIR}`;
const OT_DIR = path.join(tmp, 'otel');
const OT = `chdb:${OT_DIR}?table=otel_logs`;
const COL_DIR = path.join(tmp, 'collector');
const COL = `chdb:${COL_DIR}?table=otel_logs`;
const EM = { files: path.join(tmp, 'em-files'), lt: path.join(tmp, 'em-lt'), otel: path.join(tmp, 'em-otel') };
for (const d of Object.values(EM)) mkdirSync(d, { recursive: true });

// Everything is started here, once, and shared by the tests (a few children at a time): ship
// once per schema, then each case's file run and table runs.
const shipLt = runs.after(LT_DIR, () => runJson(['ship', 'in', '--to', LT], tmp));
const shipOt = runs.after(OT_DIR, async () => {
  await chdbSql(OT_DIR, [otelLogsDdl()]);
  return runJson(['ship', 'in', '--to', OT], tmp);
});
const fileRun = (args: string[]) => runs.get([...args, 'in']);
const tableRun = (args: string[], folder: string, from: string) => runs.get([...args, '--from', from], folder);
const emergency = {
  files: () => runs.get(['emergency', 'in', '--out', EM.files]),
  lt: () => runs.get(['emergency', '--from', LT, '--out', EM.lt], LT_DIR),
  otel: () => runs.get(['emergency', '--from', OT, '--out', EM.otel], OT_DIR),
};
for (const [, args] of CASES) {
  fileRun(args);
  tableRun(args, LT_DIR, LT);
  tableRun(args, OT_DIR, OT);
}
emergency.files();
emergency.lt();
emergency.otel();

/** The same command on the files and on the table. */
async function both(args: string[], folder: string, from: string): Promise<{ file: JsonRun; table: JsonRun }> {
  const [file, table] = await Promise.all([fileRun(args), tableRun(args, folder, from)]);
  return { file, table };
}

/** A command's own sanity: the case reads records and gives the exit code the case is about. */
function expectAnswer(name: string, r: JsonRun): void {
  expect(r.code, `${name}: ${r.stderr}`).toBe(name.includes('absent') ? 1 : name.startsWith('check') ? 1 : 0);
}

describe("--from chdb: on logtool's own table equals the files", () => {
  beforeAll(async () => {
    const r = await shipLt;
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ schema: 'logtool', files: 14, records: 4726, shipped: 4726 });
  });

  it.each(CASES)('%s', async (name, args) => {
    const { file, table } = await both(args, LT_DIR, LT);
    expectAnswer(name, file);
    expect(table.code, table.stderr).toBe(file.code);
    expect(table.json).toEqual(file.json);
  });

  it('the filters kept only some records (so the cases above compare filtered answers)', async () => {
    const [lvl, since, where] = await Promise.all([
      fileRun(['stats', '--level', 'warn']),
      fileRun(['stats', '--since', '2024-01-15T10:10:00Z', '--until', '2024-01-15T10:20:00Z']),
      fileRun(['stats', '--where', 'status>=500']),
    ]);
    expect(at(lvl.json, 'levels', 'info')).toBe(0);
    expect(at(lvl.json, 'levels', 'error')).toBeGreaterThan(0);
    expect(at(since.json, 'levels', 'info')).toBeLessThan(4257);
    expect(at(where.json, 'levels')).toMatchObject({ info: 0, warn: 1, error: 2 });
  });

  // trace's "not found" line once counted run.sources, empty with --from ("0 input(s)").
  it('trace, an id absent: the stderr line names what was searched, not "0 input(s)"', async () => {
    const { file, table } = await both(['trace', 'req-nope-9999'], LT_DIR, LT);
    expect(file.stderr).toContain("id 'req-nope-9999' not found in 14 input(s)");
    expect(table.stderr).toContain("id 'req-nope-9999' not found");
    expect(table.stderr).not.toContain('0 input(s)');
  });

  // dashboard once required `<inputs...>`, so `dashboard --from …` stopped at commander's
  // "missing required argument 'inputs'".
  it('dashboard without a terminal: the same refusal as on files, not a missing-argument error', async () => {
    const [file, table] = await Promise.all([fileRun(['dashboard']), tableRun(['dashboard'], LT_DIR, LT)]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('dashboard needs an interactive terminal');
    expect(table.code).toBe(2);
    expect(table.stderr).toBe(file.stderr);
  });

  // Discrepancy: the table lists files by name (src/source/clickhouse/read.ts tableStats:
  // `GROUP BY file ORDER BY file`, then orderRotated), files are read in the order given; the
  // `_files` table keeps no shipping order. Shipped as `svc.logfmt junk.log`, stats on the table
  // lists junk.log first.
  it('stats on inputs shipped in an order that is not by name lists them as the files do', async () => {
    const dir = path.join(tmp, 'order');
    const shipped = await runs.after(dir, () => runJson(['ship', 'in/svc.logfmt', 'in/junk.log', '--to', `chdb:${dir}`], tmp));
    expect(shipped.code, shipped.stderr).toBe(0);
    const [file, table] = await Promise.all([runs.get(['stats', 'in/svc.logfmt', 'in/junk.log']), runs.get(['stats', '--from', `chdb:${dir}`], dir)]);
    expect((at(file.json, 'files') as { source: string }[]).map((f) => f.source)).toEqual(['in/svc.logfmt', 'in/junk.log']);
    expect(table.json).toEqual(file.json);
  });

  // --since/--until are SQL predicates, so the window tally sees only the rows inside the window
  // unless the table is asked for the rest: the files warn "none of 4726 records falls inside …".
  it('a window with no record in it: the same outside_window warning as on the files', async () => {
    const args = ['errors', '--since', '2030-01-01T00:00:00Z'];
    const [file, table] = await Promise.all([fileRun(args), tableRun(args, LT_DIR, LT)]);
    expect(at(file.json, 'warnings', 0, 'code')).toBe('outside_window');
    expect(table.stderr).toBe(file.stderr);
    expect(table.json).toEqual(file.json);
  });

  it('a folder another process holds open: exit 2 and one line saying so, not an internal error', async () => {
    const held = path.join(tmp, 'held');
    const holder = await runs.after(held, () => holdChdb(held));
    try {
      const r = await runJson(['stats', '--from', `chdb:${held}`], tmp);
      expect(r.code).toBe(2);
      const ours = r.stderr.split('\n').filter((l) => l.startsWith('logtool:'));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toContain(`chdb:${held}: the embedded engine cannot open the folder`);
      expect(ours[0]).toContain('one process at a time');
      expect(r.stderr).not.toContain('internal error');
    } finally {
      await holder.release();
    }
  });

  it('emergency: the same summary (but the bundle path) and the same bundle (but generated_at)', async () => {
    const [file, table] = await Promise.all([emergency.files(), emergency.lt()]);
    expect(file.code, file.stderr).toBe(0);
    expect(table.code, table.stderr).toBe(0);
    const drop = new Set(['bundle', 'generated_at']);
    expect(without(table.json, drop)).toEqual(without(file.json, drop));
    const bundle = (dir: string) => JSON.parse(gunzipSync(readFileSync(path.join(dir, readdirSync(dir)[0]))).toString('utf8'));
    expect(without(bundle(EM.lt), drop)).toEqual(without(bundle(EM.files), drop));
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
  beforeAll(async () => {
    const r = await shipOt;
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ schema: 'otel', table: 'otel_logs', records: 4726, shipped: 4726 });
  });

  it.each(CASES.filter(([name]) => name !== 'why'))('%s', async (name, args) => {
    const { file, table } = await both(args, OT_DIR, OT);
    expectAnswer(name, file);
    expect(table.code, table.stderr).toBe(file.code);
    expect(otelComparable(args, table.json)).toEqual(otelComparable(args, file.json));
  });

  it('stats: the records and their counts per level, service and minute are the files’ (lines are rows)', async () => {
    const { file, table } = await both(['stats'], OT_DIR, OT);
    expect(at(table.json, 'records')).toBe(at(file.json, 'records'));
    expect(at(table.json, 'lines')).toBe(4726);
    expect(at(table.json, 'files', 0, 'records')).toBe(4726);
  });

  it('emergency: the same summary (but the inputs, the bundle path and why’s changes)', async () => {
    const [file, table] = await Promise.all([emergency.files(), emergency.otel()]);
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
    const { file, table } = await both(['errors'], OT_DIR, OT);
    expect(at(file.json, 'cascade_prevented')).toBe(120);
    expect(at(table.json, 'cascade_prevented')).toBe(at(file.json, 'cascade_prevented'));
  });

  // Discrepancy: the window and trigger agree, the changes do not:
  // - the otel columns count as fields: `SeverityText ERROR`/`WARN` become changes of their own
  //   (with `SeverityNumber` beside), `ServiceName` joins `service=…` (src/analyze/why.ts
  //   NOT_A_FIELD names level/levelname/severity, not SeverityText/SeverityNumber/ServiceName);
  // - flattened attributes (`err.type`, `error.type`, `event.action`, `http.request.method`,
  //   `url.path`, `service.name`) are fields on the table, while on the files they sit in nested
  //   objects, which why does not count;
  // - the two latency changes (api-gateway/checkout, payment-service/charge) share one onset and
  //   keep the order their operations were first met (files: file order; otel_logs: time order),
  //   src/analyze/why-result.ts `.sort((x, y) => x.onset - y.onset || kindOrder(x) - kindOrder(y))`.
  it('why: the same window, trigger and changes', async () => {
    const { file, table } = await both(['why'], OT_DIR, OT);
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
  const method = route === '/api/pay' ? 'POST' : 'GET';
  // http.route alone is no operation for logtool (only with http.method: "GET /api/cart").
  const attrs: Record<string, string> = { 'http.method': method, 'http.route': route, duration_ms: String(duration), request_id: requestId };
  if (isError) attrs['error.type'] = 'UpstreamTimeout';
  rows.push(
    `(fromUnixTimestamp64Nano(toInt64(${ns})), ${lit(traceId)}, ${lit(spanId)}, 1, ${lit(severity)}, ${number}, ${lit(service)}, ${lit(body)}, ${mapLit({ 'service.name': service, 'host.name': 'node-1' })}, 'io.opentelemetry.app', ${mapLit(attrs)})`,
  );
  const rec: Record<string, unknown> = { timestamp: iso, level: severity, service, message: body, trace_id: traceId, span_id: spanId, 'http.method': method, 'http.route': route, duration_ms: duration, request_id: requestId };
  if (isError) rec['error.type'] = 'UpstreamTimeout';
  lines.push(JSON.stringify(rec));
}
// Rows at the edges of how a collector fills the columns, and the same records as lines: a level
// only in SeverityNumber, a zero Timestamp (OTLP's "unknown"), .NET's `Warning`/`Information`
// words, a `level` attribute that overrules SeverityText, and no level at all.
const EDGE: [row: string, line: Record<string, unknown>][] = [
  [`(fromUnixTimestamp64Nano(toInt64(1709296300000000001)), 'ab12', 'cd34', 1, '', 17, 'api', 'disk full on node 3', map(), 'edge', ${mapLit({ request_id: 'req-e1', duration_ms: '12' })})`, { timestamp: '2024-03-01T12:31:40.000000001Z', level: 'error', service: 'api', message: 'disk full on node 3', trace_id: 'ab12', span_id: 'cd34', request_id: 'req-e1', duration_ms: 12 }],
  [`(fromUnixTimestamp64Nano(toInt64(0)), '', '', 0, 'ERROR', 17, 'api', 'no time here', map(), 'edge', ${mapLit({ request_id: 'req-e2' })})`, { level: 'ERROR', service: 'api', message: 'no time here', request_id: 'req-e2' }],
  [`(fromUnixTimestamp64Nano(toInt64(1709296301000000002)), '', '', 0, 'Warning', 13, 'api', 'disk almost full', map(), 'edge', ${mapLit({ request_id: 'req-e3' })})`, { timestamp: '2024-03-01T12:31:41.000000002Z', level: 'Warning', service: 'api', message: 'disk almost full', request_id: 'req-e3' }],
  [`(fromUnixTimestamp64Nano(toInt64(1709296302000000003)), '', '', 0, 'Information', 9, 'worker', 'job failed', map(), 'edge', ${mapLit({ request_id: 'req-e4', level: 'error' })})`, { timestamp: '2024-03-01T12:31:42.000000003Z', level: 'error', service: 'worker', message: 'job failed', request_id: 'req-e4' }],
  [`(fromUnixTimestamp64Nano(toInt64(1709296303000000004)), '', '', 0, '', 0, 'worker', 'no level', map(), 'edge', ${mapLit({ request_id: 'req-e5' })})`, { timestamp: '2024-03-01T12:31:43.000000004Z', service: 'worker', message: 'no level', request_id: 'req-e5' }],
];
for (const [row, line] of EDGE) {
  rows.push(row);
  lines.push(JSON.stringify(line));
}
const edgeLevels = { error: levels.error + 3, warn: levels.warn + 1, info: levels.info, unknown: 1 };
const COL_FILE = path.join(tmp, 'collector-file', 'app.jsonl');
mkdirSync(path.dirname(COL_FILE), { recursive: true });
writeFileSync(COL_FILE, lines.join('\n') + '\n');
const colReady = runs.after(COL_DIR, () =>
  chdbSql(COL_DIR, [
    otelLogsDdl(),
    `INSERT INTO default.otel_logs (Timestamp, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, LogAttributes) VALUES ${rows.join(', ')}`,
  ]),
);
const colFile = (args: string[]) => runs.get([...args, COL_FILE]);
const colTable = (args: string[]) => runs.get([...args, '--from', COL], COL_DIR);
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
  ['stats --level warn', ['stats', '--level', 'warn']],
  ['trace of a row without a time', ['trace', 'req-e2']],
];
for (const [, args] of cases) {
  colFile(args);
  colTable(args);
}
colReady.catch(() => undefined);

describe('--from chdb: on rows a collector wrote equals a JSON-lines file of the same records', () => {
  const DROP = new Set([...OTEL_DROP, 'source', 'sources']);
  beforeAll(async () => {
    await colReady;
  });

  it.each(cases)('%s', async (_name, args) => {
    await colReady;
    const [file, table] = await Promise.all([colFile(args), colTable(args)]);
    expect(file.code, file.stderr).toBe(0);
    expect(table.code, table.stderr).toBe(file.code);
    expect(without(table.json, DROP)).toEqual(without(file.json, DROP));
  });

  it('the rows are read as the records they are: operations from http.method + http.route, durations, error types, levels', async () => {
    await colReady;
    const [slow, errors, stats] = await Promise.all([colTable(['slow']), colTable(['errors']), colTable(['stats'])]);
    expect(slow.code, slow.stderr).toBe(0);
    const groups = at(slow.json, 'groups') as { key: Record<string, string>; count: number; max_ms: number }[];
    const timed = lines.map((l) => JSON.parse(l)).filter((r) => r.duration_ms !== undefined);
    const ops = [...new Set(timed.map((r) => (r['http.route'] ? `${r['http.method']} ${r['http.route']}` : '(none)')))];
    expect(groups.map((g) => [g.key.operation, g.count, g.max_ms]).sort()).toEqual(
      ops.sort().map((op) => {
        const mine = timed.filter((r) => (r['http.route'] ? `${r['http.method']} ${r['http.route']}` : '(none)') === op);
        return [op, mine.length, Math.max(...mine.map((r) => r.duration_ms))];
      }),
    );
    expect(ops).toContain('POST /api/pay');
    expect(at(stats.json, 'levels')).toMatchObject(edgeLevels);
    expect(JSON.stringify(errors.json)).toContain('UpstreamTimeout');
  });
});
