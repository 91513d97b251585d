import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBig } from './big.js';
import { runCli, type FileJson } from './cli.js';

/**
 * logtool reads its own emergency bundle as an input: every reading command gives, on the
 * bundle, the answer it gives on the original files restricted to the same records (each record
 * once, under its original `<path>:<line>`), by the document's shape (not its name), streamed,
 * with line accounting that adds up and a one-line error for a cut bundle.
 */

interface Entry {
  source: string;
  record: Record<string, unknown>;
  continuation?: string[];
}

const LISTS = ['errors', 'performance_violations', 'circuit_breaker_events'] as const;

function checkAccounting(files: FileJson[]): void {
  for (const f of files) expect(f.lines, `${f.source}: ${JSON.stringify(f)}`).toBe(f.records + f.continuation_lines + f.unparsed_lines + (f.skipped_lines ?? 0) - f.expanded_records);
}

async function json(args: string[], stdin?: string | Buffer): Promise<{ code: number | null; stderr: string; out: any }> {
  const res = await runCli([...args, '--json'], stdin === undefined ? {} : { stdin });
  expect(res.stdout, res.stderr).not.toBe('');
  const out = JSON.parse(res.stdout);
  if (Array.isArray(out?.files)) checkAccounting(out.files);
  return { code: res.code, stderr: res.stderr, out };
}

/** The input accounting differs by nature (one bundle vs the files); everything the records give must not. */
function withoutInputs(stats: Record<string, unknown>): Record<string, unknown> {
  const { files: _f, lines: _l, records: _r, continuation_lines: _c, unparsed_lines: _u, ...rest } = stats;
  return rest;
}

let dir: string;
let logs: string;
let bundle: string;
let entries: Record<(typeof LISTS)[number], Entry[]>;
let unique: Set<string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-bundle-input-'));
  logs = path.join(dir, 'logs');
  mkdirSync(logs);
  const t = (s: number) => new Date(Date.UTC(2024, 0, 15, 10, 0, s)).toISOString();
  // JSON lines: errors, slow records (some both: in two lists), breaker events (one an error and slow: in three).
  const api: string[] = [];
  for (let i = 0; i < 60; i++) {
    const level = i % 4 === 0 ? 'error' : 'info';
    const duration_ms = i % 5 === 0 ? 2500 + i : 40 + i;
    const rec: Record<string, unknown> = { time: t(i), level, service: 'api', msg: level === 'error' ? `payment ${i} failed: card declined code=${500 + (i % 3)}` : `GET /items/${i} ok`, request_id: `req-${i % 12}`, duration_ms, operation: i % 2 ? 'checkout' : 'browse' };
    if (i === 20) Object.assign(rec, { event_type: 'circuit_breaker_open', msg: 'circuit breaker opened for payments', password: 'hunter22' });
    if (i === 41) Object.assign(rec, { event_type: 'circuit_breaker_half_open', msg: 'circuit breaker half-open for payments' });
    api.push(JSON.stringify(rec));
  }
  writeFileSync(path.join(logs, 'api.log'), api.join('\n') + '\n');
  // A gzip input too.
  const gz = Array.from({ length: 30 }, (_, i) => JSON.stringify({ ts: t(100 + i), severity: i % 3 === 0 ? 'ERROR' : 'INFO', message: `db query ${i % 4} timed out`, trace_id: `trace-${i % 5}`, elapsed: `${i % 3 === 0 ? 3 : 0.1}s` }));
  writeFileSync(path.join(logs, 'db.log.gz'), gzipSync(gz.join('\n') + '\n'));
  // Text lines with tracebacks: the traceback is the record's continuation (its stack).
  const py: string[] = [];
  for (let i = 0; i < 12; i++) {
    py.push(`2024-01-15 10:03:${String(i).padStart(2, '0')},123 ${i % 2 ? 'INFO' : 'ERROR'} worker.jobs job ${i} request_id=req-${i % 12} ${i % 2 ? 'done' : 'crashed'}`);
    if (i % 2 === 0) py.push('Traceback (most recent call last):', '  File "/app/jobs.py", line 17, in run', '    step()', `ValueError: bad input ${i % 3}`);
  }
  writeFileSync(path.join(logs, 'worker.log'), py.join('\n') + '\n');

  const out = path.join(dir, 'out');
  mkdirSync(out);
  const em = await json(['emergency', logs, '--out', out, '--threshold', '2s']);
  expect(em.code, em.stderr).toBe(0);
  bundle = em.out.bundle;
  const doc = JSON.parse(gunzipSync(readFileSync(bundle)).toString('utf8'));
  entries = Object.fromEntries(LISTS.map((l) => [l, doc[l] as Entry[]])) as typeof entries;
  unique = new Set(LISTS.flatMap((l) => entries[l].map((e) => e.source)));
}, 60_000);

describe('an emergency bundle as an input', () => {
  it('holds records in several lists, and reads back each original record once, under its original source', async () => {
    const total = LISTS.reduce((a, l) => a + entries[l].length, 0);
    // The fixture is what the case needs: records in two and three lists, and a traceback kept.
    expect(entries.errors.length).toBeGreaterThan(10);
    expect(entries.performance_violations.length).toBeGreaterThan(5);
    expect(entries.circuit_breaker_events.length).toBe(2);
    expect(total - unique.size).toBeGreaterThan(5);
    const inAll = entries.circuit_breaker_events.filter((e) => entries.errors.some((x) => x.source === e.source) && entries.performance_violations.some((x) => x.source === e.source));
    expect(inAll.map((e) => e.source)).toEqual([`${path.join(logs, 'api.log')}:21`]);
    expect(entries.errors.some((e) => e.continuation?.[0] === 'Traceback (most recent call last):')).toBe(true);

    const { code, out } = await json(['stats', bundle]);
    expect(code).toBe(0);
    expect(out.files).toHaveLength(1);
    expect(out.files[0]).toMatchObject({ source: bundle, format: 'emergency-bundle', lines: 1, records: unique.size, expanded_records: unique.size - 1, unparsed_lines: 0 });
    expect(out.records).toBe(unique.size);
    expect(out.levels.unknown).toBe(0);

    // Every record by its source: the annotations of errors name each error record once, as on the files.
    const annotated = async (inputs: string[]) => {
      const res = await runCli(['errors', ...inputs, '--annotate']);
      expect(res.code, res.stderr).toBe(0);
      return res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: string; cluster: string; template: string });
    };
    const fromBundle = await annotated([bundle]);
    const fromFiles = await annotated([logs]);
    expect(fromBundle.map((a) => a.source).sort()).toEqual(fromFiles.map((a) => a.source).sort());
    expect(new Set(fromBundle.map((a) => a.source)).size).toBe(fromBundle.length);
    expect(fromBundle.length).toBe(new Set(entries.errors.map((e) => e.source)).size);
  });

  it('errors --json on the bundle equals errors --json on the files (patterns, samples, causes from tracebacks, breakers)', async () => {
    const a = await json(['errors', bundle]);
    const b = await json(['errors', logs]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.out.total).toBe(new Set(entries.errors.map((e) => e.source)).size);
    // Redaction changed no message of these records: the two answers are the same, samples' sources included.
    expect(a.out).toEqual(b.out);
    expect(JSON.stringify(a.out)).toContain('ValueError');
  });

  it('trace <id> --json on the bundle equals the files restricted to the records the bundle kept (--level error), secrets redacted', async () => {
    for (const id of ['req-0', 'req-8', 'trace-3']) {
      const a = await json(['trace', id, bundle, '--level', 'error']);
      const b = await json(['trace', id, logs, '--level', 'error']);
      expect(a.code, id).toBe(0);
      expect(a.out.records.length, id).toBeGreaterThan(0);
      expect(a.out.records.every((r: { source: string }) => r.source.startsWith(logs + path.sep)), id).toBe(true);
      // The bundle keeps records redacted: the one secret of the fixture is the one difference.
      expect(a.out, id).toEqual(JSON.parse(JSON.stringify(b.out).replaceAll('"password":"hunter22"', '"password":"[REDACTED]"')));
    }
  });

  it('stats --json on the bundle equals the files restricted to the same records (--level error), but for the input accounting', async () => {
    const a = await json(['stats', bundle, '--level', 'error']);
    const b = await json(['stats', logs, '--level', 'error']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.out.levels.error).toBeGreaterThan(0);
    expect(withoutInputs(a.out)).toEqual(withoutInputs(b.out));
  });

  it('is known by its shape, not its name: decompressed, renamed, pretty-printed, on stdin', async () => {
    const text = gunzipSync(readFileSync(bundle)).toString('utf8');
    const plain = path.join(dir, 'copy.log');
    writeFileSync(plain, text);
    const pretty = path.join(dir, 'pretty.json');
    writeFileSync(pretty, JSON.stringify(JSON.parse(text), null, 2) + '\n');
    const renamed = path.join(dir, 'whatever.gz');
    copyFileSync(bundle, renamed);
    // Keys sorted (`jq -S`): no longer the head a stream is known by; read whole, as one JSON line.
    const sorted = path.join(dir, 'sorted.json');
    const sortKeys = (v: unknown): unknown => (Array.isArray(v) ? v.map(sortKeys) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v);
    writeFileSync(sorted, JSON.stringify(sortKeys(JSON.parse(text))) + '\n');
    const want = await json(['errors', logs]);
    for (const input of [plain, pretty, renamed, sorted]) {
      const s = await json(['stats', input]);
      expect(s.out.files[0], input).toMatchObject({ format: input === sorted ? 'lines' : 'emergency-bundle', records: unique.size, layouts: { 'emergency-bundle': unique.size } });
      expect((await json(['errors', input])).out, input).toEqual(want.out);
    }
    const piped = await json(['errors'], text);
    expect(piped.out).toEqual(want.out);
    // A pretty-printed bundle's other lines are the document's: lines = 1 record line + the rest.
    const p = (await json(['stats', pretty])).out.files[0] as FileJson;
    expect(p.lines).toBe(text.length > 0 ? JSON.stringify(JSON.parse(text), null, 2).split('\n').length : 0);
    expect(p.continuation_lines).toBe(p.lines - 1);
  });

  it('a log line that merely has generated_at and errors keys is a record, not a bundle', async () => {
    const f = path.join(dir, 'report.log');
    writeFileSync(f, [JSON.stringify({ generated_at: '2024-01-15T10:00:00Z', errors: 3, level: 'error', msg: 'nightly report' }), JSON.stringify({ generated_at: '2024-01-15T10:00:01Z', errors: [], level: 'info', msg: 'ok' })].join('\n') + '\n');
    const s = await json(['stats', f]);
    expect(s.out.files[0]).toMatchObject({ format: 'lines', records: 2, lines: 2 });
  });

  it('a truncated bundle: one line naming it, exit 2, the records before the cut kept and counted', async () => {
    const gz = readFileSync(bundle);
    const cut = path.join(dir, 'cut.json.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const s = await json(['stats', cut]);
    expect(s.code).toBe(2);
    const lines = s.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^logtool: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated emergency bundle: (\\d+) records read before the end of the compressed stream; the rest is missing$`));
    const read = Number(/: (\d+) records/.exec(lines[0])![1]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(unique.size);
    expect(s.out.files[0]).toMatchObject({ records: read, format: 'emergency-bundle' });
    expect(s.out.files[0].error).toContain('truncated emergency bundle');

    // Cut as plain text, inside an entry: the same, and errors still reports what was read.
    const text = gunzipSync(gz).toString('utf8');
    const plainCut = path.join(dir, 'cut.json');
    writeFileSync(plainCut, text.slice(0, Math.floor(text.length / 3)));
    const e = await runCli(['errors', plainCut, '--json']);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^logtool: .*cut\.json: truncated emergency bundle: \d+ records read before the document ends; the rest is missing$/)]);
    expect(JSON.parse(e.stdout).total).toBeGreaterThan(0);
  });

  it('is streamed: a 28 MB bundle (one line) is read with the heap capped at 48 MB, in bounded memory, each record once', async () => {
    // Built here rather than by `emergency`, to keep the case to seconds: 80,000 errors, every 4th also slow.
    const N = 80_000;
    const T0 = Date.parse('2024-05-01T00:00:00Z');
    const entry = (i: number) => JSON.stringify({ source: `/var/log/app/api.log:${i + 1}`, record: { time: new Date(T0 + i * 10).toISOString(), level: 'error', service: 'api', msg: `payment ${i} failed: upstream timeout after ${1000 + (i % 977)}ms for order ord_${i}`, request_id: `req-${i}`, duration_ms: 1000 + (i % 977), path: `/api/orders/${i % 300}`, user: `u${i % 5000}` } });
    const errs: string[] = [];
    for (let i = 0; i < N; i++) errs.push(entry(i));
    const perf: string[] = [];
    for (let i = 0; i < N; i += 4) perf.push(entry(i));
    const text = `{"generated_at":"2024-05-01T01:00:00.000Z","errors":[${errs.join(',')}],"performance_violations":[${perf.join(',')}],"circuit_breaker_events":[],"inputs":[{"source":"/var/log/app/api.log","lines":${N},"records":${N},"unparsed_lines":0}],"summary":{}}`;
    expect(text.length).toBeGreaterThan(25 * 2 ** 20);
    const big = path.join(dir, 'big-bundle.json.gz');
    writeFileSync(big, gzipSync(text, { level: 1 }));
    let stdout = '';
    // Read whole as one JSON line (before bundles were streamed), the document alone overflows this heap.
    const r = await runBig(['stats', big, '--json'], dir, { onData: (b) => (stdout += b.toString('utf8')), env: { NODE_OPTIONS: '--max-old-space-size=48' } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(stdout);
    checkAccounting(out.files);
    expect(out.files[0]).toMatchObject({ format: 'emergency-bundle', lines: 1, records: N, expanded_records: N - 1 });
    expect(out.levels.error).toBe(N);
    expect(r.maxRss).toBeLessThan(300 * 2 ** 20);
  }, 120_000);
});
