// Peak memory and output size of `slow` and `trace` on high-cardinality input, at full size.
// Usage: npm run bench:memory [-- --cases slow-ops,slow-paths,trace-10k,trace-25k,trace-stdin]
//        [--scale 0.1] [--bin <other checkout>/bin/logtool.js]
// Needs a build. Inputs are generated in a temp dir and removed afterwards. Each case prints
// exit code, peak RSS (from /usr/bin/time, else the child's own report is not available: n/a),
// seconds, output bytes and a figure of what came out (groups, records).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const ROOT = path.join(import.meta.dirname, '..');
const BIN = path.resolve(opt('bin', path.join(ROOT, 'bin', 'logtool.js')));
const scale = Number(opt('scale', '1'));
const ALL = ['slow-ops', 'slow-paths', 'trace-10k', 'trace-25k', 'trace-stdin'];
const cases = opt('cases', ALL.join(',')).split(',');
const haveTime = existsSync('/usr/bin/time');
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-mem-'));
const n = (x) => Math.max(1, Math.round(x * scale));
const T0 = Date.parse('2024-05-01T00:00:00Z');

/** Writes `count` lines made by `line(i)` to a file, waiting on the stream's backpressure. */
async function writeLines(file, count, line) {
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += line(i) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((r) => out.on('finish', r));
  return file;
}

const hex = (i, len) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(4).slice(0, len);
const time = (i) => new Date(T0 + i * 10).toISOString();

/** Runs the binary; stdout counted (not kept), optional stdin from a generator child. */
function run(argv, { stdinLines } = {}) {
  return new Promise((resolve) => {
    const cmd = haveTime ? '/usr/bin/time' : process.execPath;
    const full = haveTime ? ['-f', 'MAXRSS %M', process.execPath, BIN, ...argv] : [BIN, ...argv];
    const t0 = Date.now();
    const child = spawn(cmd, full, { stdio: ['pipe', 'pipe', 'pipe'] });
    let bytes = 0;
    let head = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      bytes += b.length;
      if (head.length < 1 << 16) head += b.toString('utf8');
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    if (stdinLines) {
      (async () => {
        let buf = '';
        for (let i = 0; i < stdinLines.count; i++) {
          buf += stdinLines.line(i) + '\n';
          if (buf.length > 1 << 16) {
            if (!child.stdin.write(buf)) await new Promise((r) => child.stdin.once('drain', r));
            buf = '';
          }
        }
        child.stdin.end(buf);
      })().catch(() => undefined);
    } else child.stdin.end();
    child.on('close', (code) => {
      const m = /MAXRSS (\d+)/.exec(stderr);
      resolve({ code, bytes, head, stderr: stderr.replace(/MAXRSS \d+\n?/, ''), rssMB: m ? Number(m[1]) / 1024 : NaN, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

function report(name, r, figure) {
  const mb = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  console.log(
    `${name.padEnd(28)} exit ${String(r.code).padEnd(3)} peak RSS ${mb(r.rssMB).padStart(6)} MB  ${r.seconds.toFixed(1).padStart(6)} s  output ${(r.bytes / 1e6).toFixed(2).padStart(8)} MB  ${figure}`,
  );
  const warn = r.stderr.trim().split('\n').filter(Boolean).slice(0, 2).join(' | ');
  if (warn) console.log(`${''.padEnd(28)} stderr: ${warn.slice(0, 200)}`);
}

function jsonFigure(r, f) {
  try {
    return f(JSON.parse(r.head.length === r.bytes ? r.head : '{}'));
  } catch {
    return '(output too large to parse here)';
  }
}

try {
  console.log(`logtool at ${BIN}, scale ${scale}`);
  if (cases.includes('slow-ops')) {
    const N = n(600_000);
    // Every operation distinct (a name with an id inside, not a path).
    const f = await writeLines(path.join(dir, 'ops.jsonl'), N, (i) => JSON.stringify({ time: time(i), level: 'info', operation: `job_${hex(i, 6)}_${i}`, duration_ms: (i % 977) + 1 }));
    const r = await run(['slow', f, '--json']);
    report(`slow ${N} distinct ops --json`, r, jsonFigure(r, (j) => `groups ${j.groups.length}, records ${j.records_with_duration}`));
    const h = await run(['slow', f]);
    report(`slow ${N} distinct ops`, h, '');
  }
  if (cases.includes('slow-paths')) {
    const N = n(300_000);
    const f = await writeLines(path.join(dir, 'paths.jsonl'), N, (i) => JSON.stringify({ time: time(i), level: 'info', method: 'GET', path: `/api/users/${100000 + i}`, duration_ms: (i % 311) + 1 }));
    const r = await run(['slow', f, '--json']);
    report(`slow ${N} REST paths --json`, r, jsonFigure(r, (j) => `groups ${j.groups.length} (${j.groups.slice(0, 2).map((g) => Object.values(g.key).join()).join('; ')}), records ${j.records_with_duration}`));
  }
  for (const [name, N0] of [['trace-10k', 10_000], ['trace-25k', 25_000]]) {
    if (!cases.includes(name)) continue;
    const N = n(N0);
    const f = await writeLines(path.join(dir, `${name}.jsonl`), N, (i) => JSON.stringify({ time: time(i), level: 'info', request_id: 'req-1', service: 'api', operation: `step_${i}`, event_type: 'operation_start', message: `starting step_${i}` }));
    const r = await run(['trace', 'req-1', f]);
    report(`trace ${N} starts`, r, `lines ${r.head.split('\n').length > 1 ? '≥' + Math.min(r.head.split('\n').length, 9999) : 0}`);
    const j = await run(['trace', 'req-1', f, '--json']);
    report(`trace ${N} starts --json`, j, '');
  }
  if (cases.includes('trace-stdin')) {
    const N = n(3_000_000);
    const r = await run(['trace', 'req-1', '--ndjson'], { stdinLines: { count: N, line: (i) => JSON.stringify({ time: time(i), level: 'info', request_id: 'req-1', service: 'api', operation: `step_${i % 50}`, event_type: i % 2 ? 'operation_start' : 'operation_end', message: `line ${i}` }) } });
    report(`trace --ndjson ${N} stdin lines`, r, '');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
