// Measures how many appended lines per second `logtool tail --json` keeps up with, and its lag.
// Usage: node bench/tail-throughput.mjs [lines-per-second=50000] [seconds=10]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const rate = Number(process.argv[2] ?? 50000);
const seconds = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-tail-bench-'));
const log = path.join(dir, 'app.log');
writeFileSync(log, '');
const bin = path.join(import.meta.dirname, '..', 'bin', 'logtool.js');
const child = spawn(process.execPath, [bin, 'tail', log, '-n', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
let seen = 0;
let lastSeenAt = 0;
child.stdout.on('data', (d) => {
  for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) seen++;
  lastSeenAt = Date.now();
});
await new Promise((r) => setTimeout(r, 800));
const tick = 20;
const perTick = Math.round((rate * tick) / 1000);
let written = 0;
const start = Date.now();
while (Date.now() - start < seconds * 1000) {
  let chunk = '';
  for (let i = 0; i < perTick; i++, written++) chunk += `{"timestamp":"2024-01-15T10:00:00.000Z","level":"info","service":"api","message":"request ${written} done","request_id":"r${written}","duration_ms":${written % 500}}\n`;
  appendFileSync(log, chunk);
  const due = start + ((written / perTick) * tick);
  await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
}
const writeEnd = Date.now();
while (seen < written && Date.now() - writeEnd < 30000) await new Promise((r) => setTimeout(r, 20));
const lag = lastSeenAt - writeEnd;
child.kill('SIGINT');
const elapsed = (writeEnd - start) / 1000;
console.log(JSON.stringify({ target_lines_per_s: rate, written, seen, write_seconds: +elapsed.toFixed(2), achieved_write_rate: Math.round(written / elapsed), lag_after_last_write_ms: lag, kept_up: seen === written && lag < 1000 }));
