import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { TEXT_IDS, writeIdsInText } from './ids-in-text.js';

/** The fast run may use threads on anything over 1 MB; the plain run has every fast path off. */
const FAST_ENV = { LOGTOOL_THREADS: '2', LOGTOOL_PARALLEL_MIN_BYTES: String(1 << 20) };
const PLAIN_ENV = { LOGTOOL_NO_FAST_PATHS: '1' };

interface TraceRecord {
  source: string;
  matched: 'field' | 'text';
  message: string | null;
}

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'logtool-trace-text-'));
}

describe('trace finds ids inside text', () => {
  it('gives the same answer with fast paths (prefilter, chunk skip, threads) on and off', { timeout: 240_000 }, async () => {
    const file = path.join(scratch(), 'mixed.log');
    writeIdsInText(file);
    const runs: [string, string[]][] = [
      ['plain id', ['trace', TEXT_IDS.plain, file, '--json']],
      ['hex id', ['trace', TEXT_IDS.hex, file, '--json']],
      ['hex id in upper case', ['trace', TEXT_IDS.hex.toUpperCase(), file, '--json']],
      ['both ids', ['trace', TEXT_IDS.plain, '--id', TEXT_IDS.hex, file, '--json']],
      ['ndjson', ['trace', TEXT_IDS.plain, file, '--ndjson']],
      ['human', ['trace', TEXT_IDS.plain, file, '--all', '--no-color']],
      ['with --level', ['trace', TEXT_IDS.plain, file, '--json', '--level', 'warn']],
    ];
    for (const [name, args] of runs) {
      const [fast, plain] = await Promise.all([runCli(args, { env: FAST_ENV }), runCli(args, { env: PLAIN_ENV })]);
      expect({ name, code: fast.code, stdout: fast.stdout, stderr: fast.stderr }).toEqual({ name, code: plain.code, stdout: plain.stdout, stderr: plain.stderr });
    }
    // Both paths agreeing on nothing would prove nothing.
    const res = await runCli(['trace', TEXT_IDS.plain, file, '--json'], { env: FAST_ENV });
    const doc = JSON.parse(res.stdout) as { records: TraceRecord[]; summary: { records: number; text_matches: number } };
    const text = doc.records.filter((r) => r.matched === 'text');
    const field = doc.records.filter((r) => r.matched === 'field');
    expect(field.length).toBeGreaterThan(5);
    expect(text.length).toBeGreaterThan(10);
    expect(doc.summary.text_matches).toBe(text.length);
    const messages = new Set(text.map((r) => r.message));
    expect(messages).toContain('upstream slow [req=req-t1] retrying');
    expect(messages).toContain('handed over req-t1 to the queue');
    expect([...messages].some((m) => m?.includes('traceID=req-t1 job crashed'))).toBe(true);
    // Near misses are not matches.
    expect([...messages].some((m) => m?.startsWith('near misses'))).toBe(false);
    const hex = JSON.parse((await runCli(['trace', TEXT_IDS.hex, file, '--json'], { env: FAST_ENV })).stdout) as { records: TraceRecord[] };
    expect(hex.records.some((r) => r.matched === 'text' && r.message?.startsWith('payment failed TraceID: 9F3C0A11B2E4D5F6'))).toBe(true);
  });

  it('marks text matches in the human timeline and in --ndjson, and counts them in the summary', async () => {
    const dir = scratch();
    const file = path.join(dir, 'app.log');
    writeFileSync(
      file,
      [
        '{"time":"2024-01-15T10:00:00Z","level":"info","msg":"checkout started","request_id":"req-42","service":"api"}',
        '{"time":"2024-01-15T10:00:00.200Z","level":"error","msg":"charge declined [req=req-42]","service":"billing"}',
        '{"time":"2024-01-15T10:00:00.300Z","level":"info","msg":"unrelated [req=req-420]","service":"billing"}',
      ].join('\n') + '\n',
    );
    const human = await runCli(['trace', 'req-42', file, '--no-color']);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines.find((l) => l.includes('charge declined'))).toContain('[id in text]');
    expect(lines.find((l) => l.includes('checkout started'))).not.toContain('[id in text]');
    expect(human.stdout).not.toContain('unrelated');
    expect(human.stdout).toMatch(/in text\s+1 record/);
    const json = JSON.parse((await runCli(['trace', 'req-42', file, '--json'])).stdout) as { records: TraceRecord[]; summary: { text_matches: number } };
    expect(json.records.map((r) => r.matched)).toEqual(['field', 'text']);
    expect(json.summary.text_matches).toBe(1);
    const nd = (await runCli(['trace', 'req-42', file, '--ndjson'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as TraceRecord);
    expect(nd.map((r) => r.matched)).toEqual(['field', 'text']);
  });

  it('an id found only in text is not reported missing; one found nowhere still is (exit 1)', async () => {
    const file = path.join(scratch(), 'app.log');
    writeFileSync(file, '{"time":"2024-01-15T10:00:00Z","level":"warn","msg":"TraceID: 5B8AA5A2D2C872E8 timed out"}\n');
    const found = await runCli(['trace', '5b8aa5a2d2c872e8', file, '--json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).missing).toEqual([]);
    const none = await runCli(['trace', '5b8aa5a2d2c872e9', file]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("id '5b8aa5a2d2c872e9' not found");
  });
});

describe('--extract on the compiled binary', () => {
  const LINES = [
    '{"time":"2024-01-15T10:00:00Z","level":"info","msg":"GET /cart done user=alice in 120ms [txn=t-1]"}',
    '{"time":"2024-01-15T10:00:01Z","level":"error","msg":"GET /pay failed user=bob in 1.5s [txn=t-2]"}',
    '{"time":"2024-01-15T10:00:02Z","level":"info","msg":"GET /cart done user=alice in 80ms [txn=t-3]"}',
    '{"time":"2024-01-15T10:00:03Z","level":"warn","msg":"GET /cart slow user=carol in 900ms [txn=t-2]"}',
  ];
  const write = () => {
    const dir = scratch();
    const file = path.join(dir, 'app.log');
    writeFileSync(file, LINES.join('\n') + '\n');
    return { dir, file };
  };
  const X = ['--extract', 'user=user=(\\w+)', '--extract', 'took=in (\\d+(?:\\.\\d+)?m?s)\\b', '--extract', 'txn=\\[txn=([^\\]]+)\\]'];

  it('groups, filters and times records by extracted fields, and follows an extracted id', async () => {
    const { file } = write();
    const slow = JSON.parse((await runCli(['slow', file, ...X, '--field', 'duration=took', '--by', 'user', '--json'])).stdout) as { groups: { key: { user: string }; count: number; max_ms: number }[] };
    const byUser = Object.fromEntries(slow.groups.map((g) => [g.key.user, [g.count, g.max_ms]]));
    expect(byUser).toEqual({ alice: [2, 120], bob: [1, 1500], carol: [1, 900] });
    const errors = JSON.parse((await runCli(['errors', file, ...X, '--level', 'info', '--where', 'user=alice', '--json'])).stdout) as { total: number };
    expect(errors.total).toBe(2);
    const trace = await runCli(['trace', 't-2', file, ...X, '--field', 'id=txn', '--json']);
    expect(trace.code).toBe(0);
    const doc = JSON.parse(trace.stdout) as { records: { matched: string; record: Record<string, unknown> }[] };
    expect(doc.records.map((r) => r.matched)).toEqual(['field', 'field']);
    expect(doc.records[0].record).toMatchObject({ user: 'bob', txn: 't-2' });
  });

  it('reads extract from the config file', async () => {
    const { dir, file } = write();
    writeFileSync(path.join(dir, '.logtoolrc.json'), JSON.stringify({ extract: { user: 'user=(\\w+)' } }));
    const res = await runCli(['errors', file, '--level', 'info', '--where', 'user=bob', '--json'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).total).toBe(1);
  });

  it('rejects a bad --extract with one line and exit 2', async () => {
    const { file } = write();
    for (const bad of ['user', '9x=(a)', 'x=(a', 'x=a+', 'x=(a)(b)']) {
      const res = await runCli(['stats', file, '--extract', bad]);
      expect(res.code, bad).toBe(2);
      expect(res.stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(res.stderr, bad).toContain('--extract');
      expect(res.stdout, bad).toBe('');
    }
  });
});
