// logtool against jq and DuckDB on generated JSON lines, measured side by side in one run.
// Usage: npm run bench [-- --sizes 100MB,1GB --runs 3 --tasks trace,errors --out bench/results]
//        [--peers none|jq,duckdb] [--baseline <dir>] [--logfmt-format <layout>]
// Needs a build (npm ci does it). jq and DuckDB (@duckdb/node-api, a dev dependency) are used
// when present (`--peers none` skips them). Prints a table of median wall time, peak memory and
// ratios, and writes JSON.
// --baseline <dir>: a built checkout of an earlier commit (its bin/ and dist/; node_modules are
//   found in this checkout); trace, errors and stats are also run with it, runs alternating, and
//   the ratio this build / baseline is printed (below 1: this build is faster).
// The logfmt task writes the same records as logfmt and as JSON Lines (the logfmt file sized by
//   --sizes) and prints the time of `stats` on the logfmt file over the time on the JSON Lines
//   one; --logfmt-format passes `--format <layout>` to the logfmt run.
// --clickhouse: the file path against `--from chdb:<dir>` instead (bench/clickhouse.mjs, --size <MB>).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeLargeJsonl } from '../dist/fixtures/large.js';
import { writeLogfmtPair } from '../dist/fixtures/logfmt.js';

const args = process.argv.slice(2);
if (args.includes('--clickhouse')) process.exit(await (await import('./clickhouse.mjs')).main(args));
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const sizes = opt('sizes', '100MB,1GB').split(',').map((s) => ({ label: s, bytes: Number.parseFloat(s) * (/GB/i.test(s) ? 1e9 : 1e6) }));
const runs = Number(opt('runs', '3'));
const only = opt('tasks', '') ? new Set(opt('tasks', '').split(',')) : undefined;
const outDir = opt('out', path.join(import.meta.dirname, 'results'));
const dataDir = opt('data', path.join(import.meta.dirname, 'data'));
const ROOT = path.join(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'logtool.js');
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const haveTime = existsSync('/usr/bin/time');
const peers = new Set(opt('peers', 'jq,duckdb').split(','));
const haveJq = peers.has('jq') && has('jq');
let haveDuck = peers.has('duckdb');
try {
  if (haveDuck) await import('@duckdb/node-api');
} catch {
  haveDuck = false;
}
const baseline = opt('baseline', '') ? path.resolve(opt('baseline', '')) : undefined;
const BASE_BIN = baseline && path.join(baseline, 'bin', 'logtool.js');
if (BASE_BIN && !existsSync(BASE_BIN)) {
  console.error(`--baseline ${baseline}: no bin/logtool.js there (build the checkout first)`);
  process.exit(2);
}
const BASELINE_TASKS = new Set(['trace', 'errors', 'stats']);
const logfmtFormat = opt('logfmt-format', '');

/** Runs a shell command; returns wall seconds, peak RSS in MB (when /usr/bin/time exists) and stdout. */
function measure(shell) {
  const wrapped = haveTime ? `/usr/bin/time -f '@@%e %M' sh -c ${JSON.stringify(shell).replace(/\$/g, '\\$')} 2>/tmp/logtool-bench-time` : shell;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', wrapped], { maxBuffer: 1 << 30, encoding: 'utf8', cwd: ROOT });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let mem = null;
  if (haveTime) {
    const m = /@@([\d.]+) (\d+)/.exec(readFileSync('/tmp/logtool-bench-time', 'utf8'));
    if (m) mem = Number(m[2]) / 1024;
  }
  return { wall, mem, stdout: r.stdout, status: r.status };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function summarize(rs) {
  return { wall: median(rs.map((r) => r.wall)), mem: Math.max(...rs.map((r) => r.mem ?? 0)) || null, stdout: rs[0].stdout, status: rs[0].status };
}

function best(shell) {
  return summarize(Array.from({ length: runs }, () => measure(shell)));
}

/** Two commands measured in alternation (a, b, b, a, a, b…), so drifting load hits both alike. */
function bestPair(a, b) {
  const ra = [];
  const rb = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      ra.push(measure(a));
      rb.push(measure(b));
    } else {
      rb.push(measure(b));
      ra.push(measure(a));
    }
  }
  return [summarize(ra), summarize(rb)];
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const duck = (sql) => `node ${q(path.join(import.meta.dirname, 'duck-query.mjs'))} ${q(sql)}`;
const lt = (a) => `node ${q(BIN)} ${a}`;
const base = (a) => (BASE_BIN ? `node ${q(BASE_BIN)} ${a}` : undefined);

function tasks(file, id, tmp) {
  const F = q(file);
  const src = `read_ndjson_auto(${q(file).replace(/^'|'$/g, "'")})`;
  return [
    {
      name: 'trace',
      logtool: lt(`trace ${id} ${F} --json`),
      baseline: base(`trace ${id} ${F} --json`),
      jq: `jq -c 'select(.correlation_id=="${id}")' ${F} | jq -s 'sort_by(.timestamp)'`,
      duck: duck(`select * from ${src} where correlation_id='${id}' order by timestamp`),
      agree: (l, j, d) => [JSON.parse(l).records.length, j && JSON.parse(j).length, d && JSON.parse(d).length],
    },
    {
      name: 'slow',
      logtool: lt(`slow ${F} --json`),
      jq: `jq -c 'select(.duration_seconds) | [.operation, .duration_seconds]' ${F} | jq -s 'group_by(.[0]) | map({op: .[0][0], d: (map(.[1]*1000) | sort)}) | map({op, p95: (.d as $d | ($d|length) as $n | (($n-1)*0.95) as $h | ($h|floor) as $lo | (if $lo+1 < $n then $lo+1 else $lo end) as $hi | $d[$lo] + ($h-$lo)*($d[$hi]-$d[$lo]))})'`,
      duck: duck(`select operation, count(*) n, quantile_cont(duration_seconds*1000, 0.95) p95 from ${src} where duration_seconds is not null group by 1 order by 1`),
      agree: (l, j, d) => {
        const ours = Object.fromEntries(JSON.parse(l).groups.map((g) => [g.key.operation, g.p95_ms]));
        const peer = (rows) => rows && Math.max(...rows.map((r) => Math.abs(ours[r.op ?? r.operation] - Number(r.p95)) / Number(r.p95)));
        return [0, j && peer(JSON.parse(j)), d && peer(JSON.parse(d))].map((x) => (x === 0 ? 0 : x && x < 0.001 ? 0 : x));
      },
    },
    {
      name: 'errors',
      logtool: lt(`errors ${F} --json`),
      baseline: base(`errors ${F} --json`),
      jq: `jq -r 'select(.level=="ERROR") | .message' ${F} | sed -E 's/[0-9]+ms/<*>ms/; s/ch_[0-9a-f]+/<*>/; s/ord_[0-9]+/<*>/' | sort | uniq -c | sort -rn`,
      duck: duck(`select regexp_replace(regexp_replace(message, '[0-9]+', '#', 'g'), '(ch|ord)_[0-9a-f#]+', '<*>', 'g') t, count(*) n from ${src} where level='ERROR' group by 1 order by 2 desc`),
      agree: (l, j, d) => [JSON.parse(l).total, j && j.trim().split('\n').reduce((a, x) => a + Number.parseInt(x, 10), 0), d && JSON.parse(d).reduce((a, r) => a + Number(r.n), 0)],
    },
    {
      name: 'dedup',
      logtool: lt(`dedup ${F} --json`),
      jq: `jq -r 'select(.event_type|test("_(start|end)$")) | [.correlation_id,.operation,.event_type] | @tsv' ${F} | sort | uniq -d | wc -l`,
      duck: duck(`select count(*) n_groups from (select correlation_id, operation, event_type from ${src} where event_type like '%_start' or event_type like '%_end' group by 1, 2, 3 having count(*) > 1)`),
      agree: (l, j, d) => [JSON.parse(l).duplicates.length, j && Number(j.trim()), d && Number(JSON.parse(d)[0].n_groups)],
    },
    {
      name: 'stats',
      logtool: lt(`stats ${F} --json`),
      baseline: base(`stats ${F} --json`),
      jq: `jq -r '.level' ${F} | sort | uniq -c`,
      duck: duck(`select level, count(*) n from ${src} group by 1`),
      agree: (l, j, d) => [JSON.parse(l).records, j && j.trim().split('\n').reduce((a, x) => a + Number.parseInt(x, 10), 0), d && JSON.parse(d).reduce((a, r) => a + Number(r.n), 0)],
    },
    { name: 'emergency', logtool: lt(`emergency ${F} --out ${q(tmp)} --json`), agree: (l) => [JSON.parse(l).summary.collected.errors] },
    { name: 'read only (node)', logtool: `node -e 'const s=require("fs").createReadStream(process.argv[1],{highWaterMark:1<<20});let n=0;s.on("data",b=>{for(let i=b.indexOf(10);i!==-1;i=b.indexOf(10,i+1))n++}).on("end",()=>console.log(JSON.stringify(n)))' ${F}`, agree: (l) => [JSON.parse(l)] },
  ];
}

mkdirSync(dataDir, { recursive: true });
mkdirSync(outDir, { recursive: true });
const tmp = mkdtempSync(path.join(tmpdir(), 'logtool-bench-'));
const results = [];
console.log(`peers: jq ${haveJq ? execFileSync('jq', ['--version'], { encoding: 'utf8' }).trim() : peers.has('jq') ? 'absent' : 'skipped'}, DuckDB ${haveDuck ? 'present' : peers.has('duckdb') ? 'absent' : 'skipped'}; ${runs} runs each, median wall time${baseline ? `; baseline ${baseline}` : ''}`);
const f = (x, n = 2) => (x === null || x === undefined ? '-' : x.toFixed(n));
for (const size of sizes) {
  const file = path.join(dataDir, `bench-${size.label}.jsonl`);
  const jsonTasks = !only || [...only].some((t) => t !== 'logfmt');
  if (jsonTasks && !existsSync(file)) {
    process.stderr.write(`generating ${file}…\n`);
    await writeLargeJsonl(file, size.bytes, 1);
  }
  const id = 'req-000fk1';
  for (const t of tasks(file, id, tmp).filter((t) => jsonTasks && (!only || only.has(t.name) || (t.name.startsWith('read') && only.has('read'))))) {
    const withBase = BASE_BIN && BASELINE_TASKS.has(t.name);
    const [l, b] = withBase ? bestPair(t.logtool, t.baseline) : [best(t.logtool), null];
    // jq slurps for percentiles; on inputs of gigabytes that alone takes many GB of memory.
    const jqOk = haveJq && t.jq && !(t.name === 'slow' && size.bytes > 2e8);
    const j = jqOk ? best(t.jq) : null;
    const d = haveDuck && t.duck ? best(t.duck) : null;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    let agree = [];
    try {
      agree = t.agree(l.stdout, j?.stdout, d?.stdout);
    } catch (e) {
      agree = [`could not compare: ${e.message}`];
    }
    if (b) {
      try {
        agree.push(t.agree(b.stdout)[0]);
      } catch (e) {
        agree.push(`baseline: could not compare: ${e.message}`);
      }
    }
    const row = { task: t.name, size: size.label, logtool_s: l.wall, logtool_mb: l.mem, jq_s: j?.wall ?? null, duckdb_s: d?.wall ?? null, duckdb_mb: d?.mem ?? null, vs_jq: j ? j.wall / l.wall : null, vs_duckdb: d ? d.wall / l.wall : null, baseline_s: b?.wall ?? null, baseline_mb: b?.mem ?? null, vs_baseline: b ? l.wall / b.wall : null, answers: agree };
    results.push(row);
    const baseCol = b ? ` | baseline ${f(b.wall).padStart(7)}s ${f(b.mem, 0).padStart(5)}MB (this/baseline ${f(row.vs_baseline, 3)})` : '';
    console.log(`${t.name.padEnd(17)} ${size.label.padEnd(6)} logtool ${f(l.wall).padStart(7)}s ${f(l.mem, 0).padStart(5)}MB | jq ${f(j?.wall).padStart(7)}s (${f(row.vs_jq, 1)}×) | duckdb ${f(d?.wall).padStart(6)}s ${f(d?.mem, 0).padStart(5)}MB (${f(row.vs_duckdb, 2)}×)${baseCol} | answers ${JSON.stringify(agree)}`);
  }
  if (!only || only.has('logfmt')) {
    // The same records as logfmt and as JSON Lines: what reading a text layout costs next to JSON.
    const lf = path.join(dataDir, `bench-logfmt-${size.label}.logfmt`);
    const lj = path.join(dataDir, `bench-logfmt-${size.label}.jsonl`);
    if (!existsSync(lf) || !existsSync(lj)) {
      process.stderr.write(`generating ${lf} and ${lj}…\n`);
      await writeLogfmtPair(lf, lj, size.bytes, 1);
    }
    const forced = logfmtFormat ? ` --format ${q(logfmtFormat)}` : '';
    const [a, j] = bestPair(lt(`stats ${q(lf)} --json${forced}`), lt(`stats ${q(lj)} --json`));
    const read = (out) => {
      try {
        const s = JSON.parse(out);
        return { lines: s.lines, records: s.records, unparsed: s.unparsed_lines, unknown: s.levels?.unknown, layout: s.files?.[0]?.layout ?? null };
      } catch (e) {
        return { error: e.message };
      }
    };
    const answers = [read(a.stdout), read(j.stdout)];
    const ratio = a.wall / j.wall;
    const readAll = answers[0].records === answers[1].records && answers[0].unparsed === 0;
    results.push({ task: 'logfmt', size: size.label, logfmt_s: a.wall, logfmt_mb: a.mem, jsonl_s: j.wall, jsonl_mb: j.mem, logfmt_vs_json: ratio, answers });
    console.log(`${'logfmt stats'.padEnd(17)} ${size.label.padEnd(6)} logfmt ${f(a.wall).padStart(7)}s ${f(a.mem, 0).padStart(5)}MB | same records as JSONL ${f(j.wall).padStart(7)}s ${f(j.mem, 0).padStart(5)}MB | logfmt/JSON ${f(ratio, 3)} (bar 1.5)${readAll ? '' : ' | NOT all read as records: the ratio measures no logfmt reading'} | answers ${JSON.stringify(answers)}`);
  }
}
const out = path.join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, runs, results }, null, 2));
console.log(`written ${out}\n(ratios: peer time / logtool time; above 1 means logtool is faster${baseline ? '; this/baseline: below 1 means this build is faster' : ''})`);
rmSync(tmp, { recursive: true, force: true });
