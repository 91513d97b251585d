import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toLogfmt, writeLogfmtPair } from '../../../src/fixtures/logfmt.js';

/** A small logfmt reader for the test: bare values, or quoted ones with `\` escapes. */
function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g;
  for (const m of line.matchAll(re)) out[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : m[3];
  return out;
}

describe('logfmt bench fixture', () => {
  it('quotes values with spaces, quotes, equals signs or backslashes, and only those', () => {
    expect(toLogfmt([['msg', 'request handled'], ['status', 200], ['path', '/a'], ['q', 'a="b"\\c'], ['e', '']])).toBe(
      'msg="request handled" status=200 path=/a q="a=\\"b\\"\\\\c" e=""',
    );
  });

  it('writes the same records as logfmt and as JSON Lines, the logfmt file sized as asked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-logfmt-fixture-'));
    try {
      const lf = path.join(dir, 'a.logfmt');
      const js = path.join(dir, 'a.jsonl');
      const n = await writeLogfmtPair(lf, js, 300_000, 7);
      const a = readFileSync(lf, 'utf8').trimEnd().split('\n');
      const b = readFileSync(js, 'utf8').trimEnd().split('\n');
      expect(a.length).toBe(n);
      expect(b.length).toBe(n);
      expect(Buffer.byteLength(a.join('\n'))).toBeGreaterThanOrEqual(300_000 - n);
      for (let i = 0; i < n; i += 97) {
        const obj = JSON.parse(b[i]) as Record<string, unknown>;
        expect(parseLogfmt(a[i])).toEqual(Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, String(v)])));
      }
      const levels = new Set(b.map((l) => (JSON.parse(l) as { level: string }).level));
      expect([...levels].sort()).toEqual(['debug', 'error', 'info', 'warn']);
      // Deterministic for a seed.
      await writeLogfmtPair(path.join(dir, 'b.logfmt'), path.join(dir, 'b.jsonl'), 300_000, 7);
      expect(readFileSync(path.join(dir, 'b.logfmt'), 'utf8')).toBe(readFileSync(lf, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
