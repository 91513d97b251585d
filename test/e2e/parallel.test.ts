import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

/** Files with every line kind, large enough to be cut into several ranges. */
function inputs(): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-parallel-'));
  const files: string[] = [];
  for (let f = 0; f < 3; f++) {
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const t = new Date(Date.UTC(2024, 0, 15, 10, 0, 0) + i * 997 + f).toISOString();
      lines.push(JSON.stringify({ timestamp: t, level: ['info', 'warn', 'error'][i % 3], service: `svc${i % 7}`, message: `event ${i}`, request_id: i % 11 ? `r${i}` : undefined, [`k${i % 13}`]: 1 }));
      if (i % 97 === 0) lines.push('Traceback (most recent call last):', '  File "x.py", line 1', 'ValueError: boom');
      if (i % 101 === 0) lines.push('', 'junk line');
      if (i % 89 === 0) lines.push(`2024-01-15 10:30:45 ERROR {"msg":"prefixed ${i}"}`);
    }
    const p = path.join(dir, `part${f}.log`);
    writeFileSync(p, lines.join('\n') + '\n');
    files.push(p);
  }
  return files;
}

describe('worker threads', () => {
  it('give stats identical to one thread, line accounting included', async () => {
    const files = inputs();
    const one = await runCli(['stats', ...files, '--json'], { env: { LOGTOOL_THREADS: '1' } });
    const many = await runCli(['stats', ...files, '--json', '--level', 'warn'], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
    const oneFiltered = await runCli(['stats', ...files, '--json', '--level', 'warn'], { env: { LOGTOOL_THREADS: '1' } });
    const manyAll = await runCli(['stats', ...files, '--json'], { env: { LOGTOOL_THREADS: '3', LOGTOOL_PARALLEL_MIN_BYTES: '0' } });
    expect(one.code).toBe(0);
    expect(JSON.parse(manyAll.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(many.stdout)).toEqual(JSON.parse(oneFiltered.stdout));
    const s = JSON.parse(one.stdout) as { lines: number; records: number; continuation_lines: number; unparsed_lines: number };
    expect(s.records + s.continuation_lines + s.unparsed_lines).toBe(s.lines);
  });
});
