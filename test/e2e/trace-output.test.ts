import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBig } from './big.js';
import { BIN, ROOT, runCli } from './cli.js';

let dir: string;
let file: string;
const LOWER = '5b8e1f0c9a7d4e2b';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-trace-out-'));
  file = path.join(dir, 'ids.jsonl');
  const t = (s: number) => new Date(Date.UTC(2024, 2, 1, 0, 0, s)).toISOString();
  const lines = [
    { timestamp: t(1), level: 'INFO', service: 'a', trace_id: LOWER, message: 'lower' },
    { timestamp: t(2), level: 'INFO', service: 'b', trace_id: LOWER.toUpperCase(), message: 'upper' },
    { timestamp: t(3), level: 'ERROR', service: 'c', trace_id: '5B8e1F0c9A7d4E2b', message: 'mixed' },
    { timestamp: t(4), level: 'INFO', service: 'd', trace_id: `${LOWER}ff`, message: 'longer id' },
    { timestamp: t(5), level: 'INFO', service: 'e', request_id: 'req-Abc', message: 'exact' },
    { timestamp: t(6), level: 'INFO', service: 'f', request_id: 'req-abc', message: 'other case' },
    { timestamp: t(7), level: 'INFO', service: 'g', span: `projects/p/traces/${LOWER.toUpperCase()}`, trace_id: 'x', message: 'in a path' },
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const messages = (stdout: string) => (JSON.parse(stdout) as { records: { message: string }[] }).records.map((r) => r.message);

describe('trace ids', () => {
  it('a hex id matches in any case, with and without the byte prefilter, and both agree', async () => {
    for (const id of [LOWER, LOWER.toUpperCase(), '5b8E1f0C9a7D4e2B']) {
      const fast = await runCli(['trace', id, file, '--json']);
      const plain = await runCli(['trace', id, file, '--json'], { env: { LOGTOOL_NO_FAST_PATHS: '1' } });
      expect(fast.code).toBe(0);
      // `in a path` holds the id in a field that is no id field: a text match (marked so).
      expect(messages(fast.stdout)).toEqual(['lower', 'upper', 'mixed', 'in a path']);
      expect((JSON.parse(fast.stdout) as { records: { matched: string }[] }).records.map((r) => r.matched)).toEqual(['field', 'field', 'field', 'text']);
      expect(plain.stdout).toBe(fast.stdout);
    }
  });

  it('a non-hex id stays exact', async () => {
    const r = await runCli(['trace', 'req-Abc', file, '--json']);
    expect(messages(r.stdout)).toEqual(['exact']);
    const none = await runCli(['trace', 'REQ-ABC', file]);
    expect(none.code).toBe(1);
  });

  it('an id written with JSON escapes is found, with and without the byte prefilter', async () => {
    const escaped = path.join(dir, 'escaped.jsonl');
    // JSON.stringify writes none of these escapes: the lines are written as some encoders do.
    const lines = [
      `{"timestamp":"2024-03-01T00:00:01Z","level":"INFO","trace_id":"${LOWER.slice(0, -1)}\\u0062","message":"unicode escape"}`,
      '{"timestamp":"2024-03-01T00:00:02Z","level":"INFO","request_id":"req\\u002dAbc","message":"escaped dash"}',
      '{"timestamp":"2024-03-01T00:00:03Z","level":"INFO","request_id":"tenant\\/42","message":"escaped slash"}',
    ];
    writeFileSync(escaped, lines.join('\n') + '\n');
    for (const [id, message] of [[LOWER, 'unicode escape'], ['req-Abc', 'escaped dash'], ['tenant/42', 'escaped slash']]) {
      const fast = await runCli(['trace', id, escaped, '--json']);
      const plain = await runCli(['trace', id, escaped, '--json'], { env: { LOGTOOL_NO_FAST_PATHS: '1' } });
      expect(messages(plain.stdout), id).toEqual([message]);
      expect(fast.stdout, id).toBe(plain.stdout);
    }
  });

  it('--ndjson finds the same records as --json', async () => {
    const r = await runCli(['trace', LOWER.toUpperCase(), file, '--ndjson']);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['lower', 'upper', 'mixed', 'in a path']);
  });
});

describe('stdout failures', () => {
  it.skipIf(!existsSync('/dev/full'))('> /dev/full: one line on stderr and exit 2, for --json, --ndjson and the human view', async () => {
    for (const extra of [['--json'], ['--ndjson'], []]) {
      const fd = openSync('/dev/full', 'w');
      const r = await runBig(['trace', LOWER, file, ...extra], dir, { stdout: fd });
      closeSync(fd);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('logtool: cannot write the output to stdout: no space left on device\n');
    }
  });

  it('a reader that goes away (| head) ends the run quietly with exit 0', async () => {
    const big = path.join(dir, 'many.jsonl');
    writeFileSync(big, Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ level: 'INFO', trace_id: LOWER, message: `m ${i}` })).join('\n') + '\n');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'trace', LOWER, big, '--ndjson'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
