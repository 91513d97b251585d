// logtool against jq and DuckDB on generated JSON lines, measured side by side in one run.
// Usage: npm run bench [-- --sizes 100MB,1GB --runs 3 --tasks trace,errors --out bench/results]
// Needs a build (npm ci does it). jq and DuckDB (@duckdb/node-api, a dev dependency) are used
// when present. Prints a table of median wall time, peak memory and ratios, and writes JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeLargeJsonl } from '../dist/fixtures/large.js';

const args = process.argv.slice(2);
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
const haveJq = has('jq');
let haveDuck = true;
try {
  await import('@duckdb/node-api');
} catch {
  haveDuck = false;
}

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

function best(shell) {
  const rs = Array.from({ length: runs }, () => measure(shell));
  return { wall: median(rs.map((r) => r.wall)), mem: Math.max(...rs.map((r) => r.mem ?? 0)) || null, stdout: rs[0].stdout, status: rs[0].status };
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const duck = (sql) => `node ${q(path.join(import.meta.dirname, 'duck-query.mjs'))} ${q(sql)}`;
const lt = (a) => `node ${q(BIN)} ${a}`;

function tasks(file, id, tmp) {
  const F = q(file);
  const src = `read_ndjson_auto(${q(file).replace(/^'|'$/g, "'")})`;
  return [
    {
      name: 'trace',
      logtool: lt(`trace ${id} ${F} --json`),
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
console.log(`peers: jq ${haveJq ? execFileSync('jq', ['--version'], { encoding: 'utf8' }).trim() : 'absent'}, DuckDB ${haveDuck ? 'present' : 'absent'}; ${runs} runs each, median wall time`);
for (const size of sizes) {
  const file = path.join(dataDir, `bench-${size.label}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file}…\n`);
    await writeLargeJsonl(file, size.bytes, 1);
  }
  const id = 'req-000fk1';
  for (const t of tasks(file, id, tmp).filter((t) => !only || only.has(t.name) || (t.name.startsWith('read') && only.has('read')))) {
    const l = best(t.logtool);
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
    const row = { task: t.name, size: size.label, logtool_s: l.wall, logtool_mb: l.mem, jq_s: j?.wall ?? null, duckdb_s: d?.wall ?? null, duckdb_mb: d?.mem ?? null, vs_jq: j ? j.wall / l.wall : null, vs_duckdb: d ? d.wall / l.wall : null, answers: agree };
    results.push(row);
    const f = (x, n = 2) => (x === null || x === undefined ? '-' : x.toFixed(n));
    console.log(`${t.name.padEnd(17)} ${size.label.padEnd(6)} logtool ${f(l.wall).padStart(7)}s ${f(l.mem, 0).padStart(5)}MB | jq ${f(j?.wall).padStart(7)}s (${f(row.vs_jq, 1)}×) | duckdb ${f(d?.wall).padStart(6)}s ${f(d?.mem, 0).padStart(5)}MB (${f(row.vs_duckdb, 2)}×) | answers ${JSON.stringify(agree)}`);
  }
}
const out = path.join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, runs, results }, null, 2));
console.log(`written ${out}\n(ratios: peer time / logtool time; above 1 means logtool is faster)`);
rmSync(tmp, { recursive: true, force: true });
