// Measures the dashboard following a file that grows at a given rate, in a real terminal (tmux):
// how far its record count trails the writer, and how long a key takes to show its effect.
// Usage: node bench/dashboard-follow.mjs [lines-per-second=20000] [seconds=10]
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const rate = Number(process.argv[2] ?? 20000);
const seconds = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-dash-bench-'));
const log = path.join(dir, 'app.log');
writeFileSync(log, '');
const bin = path.join(import.meta.dirname, '..', 'bin', 'logtool.js');
const sock = `logtool-bench-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
tmux('new-session', '-d', '-s', 't', '-x', '140', '-y', '40', `node ${bin} dashboard ${log} --follow`);
const count = () => {
  const m = /levels — ([\d,]+) records/.exec(tmux('capture-pane', '-p', '-t', 't'));
  return m ? Number(m[1].replace(/,/g, '')) : 0;
};
await new Promise((r) => setTimeout(r, 1500));
const tick = 20;
const perTick = Math.round((rate * tick) / 1000);
let written = 0;
const trail = [];
const keyLatency = [];
const start = Date.now();
let nextProbe = start + 1000;
while (Date.now() - start < seconds * 1000) {
  let chunk = '';
  for (let i = 0; i < perTick; i++, written++) {
    const err = written % 20 === 0;
    chunk += `{"timestamp":"${new Date(Date.now()).toISOString()}","level":"${err ? 'error' : 'info'}","service":"api","message":"${err ? `upstream timeout after ${written % 900}ms` : `request ${written} done`}","request_id":"r${written}","operation":"op${written % 7}","duration_ms":${written % 500}}\n`;
  }
  appendFileSync(log, chunk);
  if (Date.now() >= nextProbe) {
    nextProbe += 1000;
    trail.push(written - count());
    const t0 = Date.now();
    tmux('send-keys', '-t', 't', '?');
    while (!tmux('capture-pane', '-p', '-t', 't').includes('pause / resume') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    keyLatency.push(Date.now() - t0);
    tmux('send-keys', '-t', 't', 'Escape');
  }
  const due = start + (written / perTick) * tick;
  await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
}
const end = Date.now();
let caughtUp = -1;
while (Date.now() - end < 15000) {
  if (count() >= written) {
    caughtUp = Date.now() - end;
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
tmux('send-keys', '-t', 't', 'q');
await new Promise((r) => setTimeout(r, 500));
try {
  tmux('kill-server');
} catch {}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(JSON.stringify({ target_lines_per_s: rate, written, achieved_write_rate: Math.round(written / ((end - start) / 1000)), median_records_behind: med(trail), max_records_behind: Math.max(...trail), key_latency_ms: { median: med(keyLatency), max: Math.max(...keyLatency) }, caught_up_after_ms: caughtUp }));
