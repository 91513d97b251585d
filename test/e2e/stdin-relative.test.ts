import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-stdin-last-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--since counted back from the last record (--relative-to last) on stdin', () => {
  it('reads the same records as from the same bytes in a file', async () => {
    const file = path.join(dir, 'in.jsonl');
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ timestamp: `2024-01-01T00:00:0${i}Z`, level: i % 2 ? 'error' : 'info', message: `step ${i} failed`, duration_ms: 10 * i }));
    writeFileSync(file, lines.join('\n') + '\n');
    const window = ['--since', '3s', '--relative-to', 'last', '--json'];
    for (const cmd of [['errors'], ['stats'], ['slow']]) {
      const fromFile = await runCli([...cmd, file, ...window]);
      const fromStdin = await runCli([...cmd, ...window], { stdin: readFileSync(file) });
      expect(fromStdin.code, cmd[0]).toBe(0);
      // Same answer; only the input's name differs.
      expect(fromStdin.stdout.replaceAll('"-', `"${file}`), cmd[0]).toBe(fromFile.stdout);
    }
  });
});
