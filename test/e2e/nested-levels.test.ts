import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const FAST_ENV = { LOGTOOL_THREADS: '2', LOGTOOL_PARALLEL_MIN_BYTES: String(1 << 20) };
const PLAIN_ENV = { LOGTOOL_NO_FAST_PATHS: '1' };
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'SUCCESS', 'WARNING', 'ERROR', 'CRITICAL'];
const NO: Record<string, number> = { TRACE: 5, DEBUG: 10, INFO: 20, SUCCESS: 25, WARNING: 30, ERROR: 40, CRITICAL: 50 };
const NPM = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

/** About `bytes` of loguru serialized records, level objects, npm levels and settings lines, mixed. */
function writeMixed(file: string, bytes = 3 << 19): void {
  const out: string[] = [];
  let size = 0;
  const T0 = Date.parse('2024-01-15T10:00:00Z');
  for (let i = 0; size < bytes; i++) {
    const t = T0 + i * 100;
    const iso = new Date(t).toISOString();
    const lv = LEVELS[(i * 7) % LEVELS.length];
    let line: string;
    switch (i % 5) {
      case 0:
        line = JSON.stringify({
          text: `${iso} | ${lv} | app:f:1 - step ${i}\n`,
          record: { elapsed: { repr: '0:00:01', seconds: 1 }, extra: { request_id: `req-${i % 50}` }, level: { icon: '*', name: lv, no: NO[lv] }, message: `step ${i % 40}`, time: { repr: iso, timestamp: t / 1000 } },
        });
        break;
      case 1:
        line = JSON.stringify({ level: { label: NPM[i % NPM.length], value: 10 + (i % 6) * 10 }, time: iso, msg: `pool ${i % 30}`, reqId: `req-${i % 50}`, duration: `${i % 900}ms` });
        break;
      case 2:
        line = JSON.stringify({ level: { value: 10 + (i % 6) * 10 }, time: iso, msg: `numeric ${i % 20}`, latency: i % 500 });
        break;
      case 3:
        line = JSON.stringify({ level: NPM[i % NPM.length], message: `npm ${i % 25}`, timestamp: iso, service: `svc${i % 3}`, duration: i % 3 === 0 ? '2024-01-15' : `${(i % 70) / 10}s` });
        break;
      default:
        line = JSON.stringify({ timeout: '30s', duration: '5m', retries: 3 });
    }
    out.push(line);
    size += line.length + 1;
  }
  writeFileSync(file, out.join('\n') + '\n');
}

describe('level objects, nested records and npm levels with fast paths on and off', () => {
  it('gives the same answers', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-nested-'));
    const file = path.join(dir, 'mixed.log');
    writeMixed(file);
    const runs = [
      ['errors', file, '--json'],
      ['errors', file, '--json', '--level', 'warn'],
      ['errors', file, '--json', '--level', 'fatal'],
      ['errors', file, '--json', '--level', 'debug'],
      ['stats', file, '--json'],
      ['slow', file, '--json', '--by', 'service'],
      ['trace', 'req-7', file, '--json'],
    ];
    for (const args of runs) {
      const [fast, plain] = await Promise.all([runCli(args, { env: FAST_ENV }), runCli(args, { env: PLAIN_ENV })]);
      expect({ args, code: fast.code, stdout: fast.stdout, stderr: fast.stderr }).toEqual({ args, code: plain.code, stdout: plain.stdout, stderr: plain.stderr });
    }
    const stats = JSON.parse((await runCli(['stats', file, '--json'])).stdout) as { levels: Record<string, number>; records: number };
    // Only the settings lines (one in five) have no level.
    expect(stats.levels.unknown).toBe(Math.floor(stats.records / 5));
    expect(stats.levels.error + stats.levels.fatal).toBeGreaterThan(100);
    const errors = JSON.parse((await runCli(['errors', file, '--json', '--level', 'error'])).stdout) as { total: number };
    expect(errors.total).toBeGreaterThan(100);
    // Settings lines and dates give no latency samples; the other duration fields do.
    const slow = JSON.parse((await runCli(['slow', file, '--json'])).stdout) as { records_with_duration: number };
    const n = stats.records;
    expect(slow.records_with_duration).toBeGreaterThan(n / 2);
    expect(slow.records_with_duration).toBeLessThan(n * 0.8);
  });
});
