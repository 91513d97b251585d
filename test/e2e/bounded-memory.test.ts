import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBig } from './big.js';

/**
 * Memory on high-cardinality input, at sizes that take seconds (bench/memory.mjs runs the full
 * sizes): peak RSS of the child (reported by the child itself on exit) and output size stay
 * bounded, and the answers still add up.
 */
const MB = 2 ** 20;
const T0 = Date.parse('2024-05-01T00:00:00Z');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-bounded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(name: string, n: number, line: (i: number) => object): string {
  const file = path.join(dir, name);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(JSON.stringify(line(i)));
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

const time = (i: number) => new Date(T0 + i * 10).toISOString();

interface Run {
  code: number | null;
  stdout: string;
  stdoutBytes: number;
  stderr: string;
  maxRss: number;
}

/** Runs the binary with the RSS preload (see `runBig`); stdin from `feed` when given. */
async function run(args: string[], feed?: { count: number; line: (i: number) => string }, keepStdout = true, env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stdoutBytes = 0;
  const onData = (b: Buffer) => {
    stdoutBytes += b.length;
    if (keepStdout) stdout += b.toString('utf8');
  };
  const r = await runBig(args, dir, { onData, feed, env });
  return { ...r, stdout, stdoutBytes };
}

interface SlowDoc {
  records_with_duration: number;
  groups: { key: Record<string, string>; count: number; other: boolean; partial: boolean; exact: boolean; p50_ms: number; slowest: { values?: Record<string, string> }[] }[];
  folded?: { groups: number; records: number; max_groups: number };
  warnings: { code: string; figures: Record<string, number> }[];
}

describe('slow on high-cardinality input', () => {
  it('150,000 distinct operations: bounded memory and output, every record counted, (other) with a warning', async () => {
    const N = 150_000;
    const heavy = 3;
    const file = lines('ops.jsonl', N, (i) => (i % 10 === 0 ? { time: time(i), operation: `heavy_${i % heavy}`, duration_ms: 500 } : { time: time(i), operation: `job_${i}_x`, duration_ms: (i % 977) + 1 }));
    const r = await run(['slow', file, '--json']);
    expect(r.code).toBe(0);
    // The old code: about 490 MB and a 117 MB document at this size.
    expect(r.maxRss).toBeLessThan(320 * MB);
    expect(r.stdoutBytes).toBeLessThan(2 * MB);
    const doc = JSON.parse(r.stdout) as SlowDoc;
    expect(doc.groups.reduce((a, g) => a + g.count, 0)).toBe(N);
    expect(doc.records_with_duration).toBe(N);
    for (let k = 0; k < heavy; k++) {
      const g = doc.groups.find((x) => x.key.operation === `heavy_${k}`)!;
      expect(g.partial).toBe(false);
      expect(g.exact).toBe(true);
      expect(g.p50_ms).toBe(500);
    }
    const other = doc.groups.find((g) => g.other)!;
    expect(other.key.operation).toBe('(other)');
    expect(other.count).toBe(N - N / 10);
    expect(other.slowest[0].values?.operation).toMatch(/^job_\d+_x$/);
    expect(doc.groups.length).toBeLessThanOrEqual(10_001);
    const w = doc.warnings.find((x) => x.code === 'groups_folded')!;
    expect(w.figures.folded_records).toBe(N - N / 10);
    expect(Math.abs(w.figures.folded_groups - (N - N / 10)) / N).toBeLessThan(0.05);
    expect(r.stderr).toMatch(/more than 10,000 groups: about [\d,]+ distinct groups \([\d,]+ records\) are counted together as \(other\)/);
  }, 120_000);

  it('--max-groups: the budget is the option, the human table ends with (other)', async () => {
    const file = lines('few.jsonl', 2000, (i) => ({ time: time(i), operation: i < 1000 ? `op${i % 4}` : `rare${i}`, duration_ms: i % 50 }));
    // Room for the four operations and two more: the rare ones displace each other, not them.
    const r = await run(['slow', file, '--max-groups', '6', '--sort', 'count']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n');
    expect(rows.filter((l) => /^op\d /.test(l))).toHaveLength(4);
    expect(rows.find((l) => l.startsWith('(other)'))).toMatch(/^\(other\)\s+1,?000 /);
    expect(r.stderr).toContain('more than 6 groups');
    // Split across worker threads and merged: the same groups, the counts still add up.
    const par = await run(['slow', file, '--max-groups', '6', '--json'], undefined, true, { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '1' });
    const doc = JSON.parse(par.stdout) as SlowDoc;
    expect(doc.groups.reduce((a, g) => a + g.count, 0)).toBe(2000);
    expect(doc.groups.filter((g) => !g.other).map((g) => [g.key.operation, g.count]).sort()).toEqual([0, 1, 2, 3].map((k) => [`op${k}`, 250]));
    expect(doc.groups.find((g) => g.other)!.count).toBe(1000);
    const bad = await run(['slow', file, '--max-groups', '0']);
    expect(bad.code).toBe(2);
  }, 60_000);

  it('100,000 REST paths: one route, bounded memory, the logged paths kept in the samples', async () => {
    const N = 100_000;
    const file = lines('paths.jsonl', N, (i) => ({ time: time(i), level: 'info', method: 'GET', path: `/api/users/${100000 + i}?page=${i % 7}`, duration_ms: (i % 311) + 1 }));
    const r = await run(['slow', file, '--json']);
    expect(r.code).toBe(0);
    // The old code: about 400 MB and a 78 MB document at this size.
    expect(r.maxRss).toBeLessThan(220 * MB);
    const doc = JSON.parse(r.stdout) as SlowDoc;
    expect(doc.groups.map((g) => [g.key.operation, g.count])).toEqual([['GET /api/users/<id>', N]]);
    expect(doc.groups[0].slowest[0].values?.operation).toMatch(/^GET \/api\/users\/\d+$/);
    expect(doc.folded).toBeUndefined();
    expect(r.stderr).toBe('');
    // --raw-operations: as logged (query strings are never part of a path's group).
    const small = lines('paths-small.jsonl', 30, (i) => ({ time: time(i), level: 'info', method: 'GET', path: `/api/users/${i}`, duration_ms: i }));
    const raw = JSON.parse((await run(['slow', small, '--json', '--raw-operations'])).stdout) as SlowDoc;
    expect(raw.groups).toHaveLength(30);
    expect(raw.groups.some((g) => g.key.operation === 'GET /api/users/7')).toBe(true);
  }, 120_000);
});

describe('trace with many operation starts and no ends', () => {
  const N = 10_000;
  let file: string;
  beforeAll(() => {
    file = lines('starts.jsonl', N, (i) => ({ time: time(i), level: 'info', request_id: 'req-1', service: 'api', operation: `step_${i}`, event_type: 'operation_start', message: `starting step_${i}` }));
  });

  it('human view: bounded lines and line width, the unclosed operations counted', async () => {
    const r = await run(['trace', 'req-1', file]);
    expect(r.code).toBe(0);
    expect(r.maxRss).toBeLessThan(250 * MB);
    const out = r.stdout.split('\n');
    expect(out.length).toBeLessThan(230);
    expect(Math.max(...out.map((l) => l.length))).toBeLessThan(300);
    expect(r.stdout).toContain(`… ${N - 200} records left out`);
    expect(r.stdout).toMatch(new RegExp(`unclosed  ${N} operations started and never ended \\(nested 1000 deep`));
  }, 60_000);

  it('--all and --json: output linear in the records, not in records × depth', async () => {
    const all = await run(['trace', 'req-1', file, '--all'], undefined, false);
    expect(all.code).toBe(0);
    expect(all.stdoutBytes).toBeLessThan(N * 300);
    const json = await run(['trace', 'req-1', file, '--json']);
    expect(json.code).toBe(0);
    expect(json.stdoutBytes).toBeLessThan(N * 1000);
    const doc = JSON.parse(json.stdout) as { records: unknown[]; summary: { records: number; unclosed_operations: number; max_depth: number } };
    expect(doc.records).toHaveLength(N);
    expect(doc.summary).toMatchObject({ records: N, unclosed_operations: N, max_depth: 1000 });
  }, 60_000);
});

describe('trace --ndjson on a long stdin', () => {
  it('streams 300,000 matching lines without keeping them: peak RSS bounded, every line out', async () => {
    const N = 300_000;
    const line = (i: number) => JSON.stringify({ time: time(i), level: 'info', request_id: 'req-1', service: 'api', operation: `step_${i % 50}`, event_type: i % 2 ? 'operation_start' : 'operation_end', message: `line ${i} ${'x'.repeat(100)}` });
    const r = await run(['trace', 'req-1', '--ndjson'], { count: N, line }, false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Retaining the records (as `trace --json` must): about 500 MB at this size.
    expect(r.maxRss).toBeLessThan(200 * MB);
    // Every line went out (each is one JSON object of a few hundred bytes).
    expect(r.stdoutBytes).toBeGreaterThan(N * 200);
  }, 120_000);
});
