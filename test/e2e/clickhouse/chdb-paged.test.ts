import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_ORDINALS } from '../../../src/source/clickhouse/read.js';
import { runCli } from '../cli.js';

/*
 * `--from chdb:` reads logtool's table in ranges of its (file, ordinal) key (chDB hands each query's
 * result over whole). Files longer than one range, read rotated-oldest-first, must give the same
 * answers as the files themselves.
 */

let haveChdb = true;
try {
  createRequire(import.meta.url)('chdb/connection');
} catch {
  haveChdb = false;
}
if (!haveChdb) console.warn('chDB paging tests skipped: chdb is not installed');

const tmp = mkdtempSync(path.join(tmpdir(), 'logtool-chdb-paged-'));
const logs = path.join(tmp, 'logs');
const dir = path.join(tmp, 'chdb');
const from = `chdb:${dir}`;

/** JSON lines crossing page boundaries: requests of four records, every 37th an error. */
function lines(from: number, n: number): string {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) {
    const error = i % 37 === 0;
    out.push(
      JSON.stringify({
        timestamp: new Date(Date.UTC(2024, 0, 15) + i * 50).toISOString(),
        level: error ? 'ERROR' : 'INFO',
        message: error ? `payment failed for order ord_${i}` : `step ${i % 4} done`,
        correlation_id: `req-${Math.floor(i / 4)}`,
        operation: ['charge', 'search', 'login'][i % 3],
        duration_seconds: (i % 250) / 100,
      }),
    );
  }
  return out.join('\n') + '\n';
}

const older = PAGE_ORDINALS + 1500;
beforeAll(async () => {
  if (!haveChdb) return;
  mkdirSync(logs);
  // app.log.1 sorts after app.log by name, but is read first (older rotation).
  writeFileSync(path.join(logs, 'app.log.1'), lines(0, older));
  writeFileSync(path.join(logs, 'app.log'), lines(older, 3000));
  const r = await runCli(['ship', logs, '--to', from], { timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
}, 150_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(haveChdb)('--from chdb: across page boundaries', () => {
  const boundaryId = `req-${Math.floor(PAGE_ORDINALS / 4)}`;
  for (const args of [['stats'], ['errors'], ['dedup'], ['trace', boundaryId], ['trace', 'req-0'], ['trace', 'absent-id']]) {
    it(`${args.join(' ')} answers as the files do`, async () => {
      const file = await runCli([...args, logs, '--json'], { timeoutMs: 120_000 });
      const table = await runCli([...args, '--from', from, '--json'], { timeoutMs: 120_000 });
      expect(table.code, table.stderr).toBe(file.code);
      const strip = (s: string) => JSON.parse(s) as unknown;
      expect(strip(table.stdout)).toEqual(strip(file.stdout));
    }, 150_000);
  }

  it('reads every record once, in file order', async () => {
    const r = await runCli(['stats', '--from', from, '--json'], { timeoutMs: 120_000 });
    const s = JSON.parse(r.stdout) as { records: number; files: { source: string; records: number }[] };
    expect(s.records).toBe(older + 3000);
    expect(s.files.map((f) => [path.basename(f.source), f.records])).toEqual([
      ['app.log.1', older],
      ['app.log', 3000],
    ]);
  }, 150_000);
});
