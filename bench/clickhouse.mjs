// The file path against `--from chdb:<dir>` on the same records, in one run on one machine.
// Usage: npm run bench -- --clickhouse [--size 200] [--runs 1] [--commands trace,stats,...]
//        [--data bench/data] [--out bench/results] [--keep] [--limit-s 1800]
// Ships the bench file (bench/data/bench-<size>MB.jsonl, written when absent; --size in MB,
// default 1000) into a fresh chDB data folder with `logtool ship <file> --to chdb:<dir>` (timed),
// then runs each command once on the file and once with `--from chdb:<dir>`, runs alternating,
// checks the two `--json` answers are equal (naming the keys that differ when not) and prints a
// markdown table of median wall time and peak RSS (/usr/bin/time -f %M, when present).
// Needs a build and chdb (a dev dependency). --keep leaves the chDB folder for a look.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const ROOT = path.join(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'logtool.js');
const TIME = '/usr/bin/time';
const ID = 'req-000fk1';
const COMMANDS = {
  trace: [ID],
  stats: [],
  slow: [],
  errors: [],
  dedup: [],
  why: [],
};

/** One child run: wall seconds, peak RSS in MB (null without /usr/bin/time), exit code, stdout and stderr. */
function measure(argv, limitS) {
  const haveTime = existsSync(TIME);
  const [cmd, args] = haveTime ? [TIME, ['-f', '@@%e %M', process.execPath, ...argv]] : [process.execPath, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, timeout: limitS * 1000, killSignal: 'SIGKILL' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let mem = null;
  let stderr = r.stderr ?? '';
  const m = haveTime ? /@@([\d.]+) (\d+)\s*$/.exec(stderr) : null;
  if (m) {
    mem = Number(m[2]) / 1024;
    stderr = stderr.slice(0, m.index);
  }
  const killed = r.signal ? ` (killed: ${r.signal}${r.error?.code === 'ETIMEDOUT' ? `, over ${limitS}s` : ''})` : '';
  return { wall, mem, status: r.status, stdout: r.stdout ?? '', stderr: stderr.trim() + killed };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summarize = (rs) => ({ ...rs[0], wall: median(rs.map((r) => r.wall)), mem: Math.max(...rs.map((r) => r.mem ?? 0)) || null });

/**
 * Where two JSON values differ: the paths of differing keys (array items as [i]), at most `max`.
 * A key present on one side only is named with "(only in file)" or "(only in chdb)".
 */
export function differences(a, b, max = 8, at = '', out = []) {
  if (out.length >= max || isDeepStrictEqual(a, b)) return out;
  const obj = (x) => x !== null && typeof x === 'object';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${at || '.'} (length ${a.length} vs ${b.length})`);
    for (let i = 0; i < Math.min(a.length, b.length) && out.length < max; i++) differences(a[i], b[i], max, `${at}[${i}]`, out);
    return out;
  }
  if (obj(a) && obj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (out.length >= max) break;
      const p = at ? `${at}.${k}` : k;
      if (!(k in b)) out.push(`${p} (only in file)`);
      else if (!(k in a)) out.push(`${p} (only in chdb)`);
      else differences(a[k], b[k], max, p, out);
    }
    return out;
  }
  out.push(`${at || '.'} (${JSON.stringify(a)?.slice(0, 40)} vs ${JSON.stringify(b)?.slice(0, 40)})`);
  return out;
}

/** Compares two `--json` outputs; a run that failed or printed no JSON says so. */
function compare(file, table) {
  const parse = (r, side) => {
    if (r.status !== 0 && !r.stdout) throw new Error(`${side}: exit ${r.status ?? '-'}: ${r.stderr.split('\n').pop()}`);
    return JSON.parse(r.stdout);
  };
  try {
    const d = differences(parse(file, 'file'), parse(table, 'chdb'));
    return d.length === 0 ? { equal: true, differ: [] } : { equal: false, differ: d };
  } catch (e) {
    return { equal: false, differ: [e.message] };
  }
}

export async function main(args) {
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i === -1 ? def : args[i + 1];
  };
  const mb = Number.parseFloat(opt('size', '1000'));
  if (!(mb > 0)) {
    console.error(`--size ${opt('size')}: expected megabytes, e.g. --size 200`);
    return 2;
  }
  const runs = Number(opt('runs', '1'));
  const limitS = Number(opt('limit-s', '1800'));
  const names = opt('commands', Object.keys(COMMANDS).join(',')).split(',');
  for (const n of names) {
    if (!(n in COMMANDS)) {
      console.error(`--commands: unknown '${n}' (known: ${Object.keys(COMMANDS).join(', ')})`);
      return 2;
    }
  }
  const dataDir = path.resolve(opt('data', path.join(import.meta.dirname, 'data')));
  const outDir = path.resolve(opt('out', path.join(import.meta.dirname, 'results')));
  try {
    (await import('module')).createRequire(import.meta.url)('chdb/connection');
  } catch (e) {
    console.error(`chdb is not installed (npm install chdb): ${e.message.split('\n')[0]}`);
    return 2;
  }
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  const label = mb >= 1000 && mb % 1000 === 0 ? `${mb / 1000}GB` : `${mb}MB`;
  const file = path.join(dataDir, `bench-${label}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file}…\n`);
    const { writeLargeJsonl } = await import('../dist/fixtures/large.js');
    await writeLargeJsonl(file, mb * 1e6, 1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-bench-chdb-'));
  const from = `chdb:${dir}`;
  const size = statSync(file).size;
  console.log(`clickhouse bench: ${file} (${(size / 1e6).toFixed(0)} MB), chDB folder ${dir}; ${runs} run(s) each, median wall time; ${cpus().length} cores, node ${process.version}`);

  process.stderr.write('shipping…\n');
  const ship = measure([BIN, 'ship', file, '--to', from], limitS);
  const shipped = /shipped ([\d,]+) record/.exec(ship.stdout + ship.stderr)?.[1] ?? '?';
  const dirMb = Number(spawnSync('du', ['-sm', dir], { encoding: 'utf8' }).stdout.split('\t')[0]) || null;
  if (ship.status !== 0) {
    console.log(`ship failed (exit ${ship.status}) after ${ship.wall.toFixed(1)}s, ${ship.mem?.toFixed(0)} MB: ${ship.stderr.split('\n').slice(-2).join(' | ')}`);
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    return 1;
  }

  const rows = [];
  for (const name of names) {
    const extra = COMMANDS[name];
    const a = [BIN, name, ...extra, file, '--json'];
    const b = [BIN, name, ...extra, '--from', from, '--json'];
    process.stderr.write(`${name}…\n`);
    const ra = [];
    const rb = [];
    for (let i = 0; i < runs; i++) {
      // Alternating (a, b, b, a…), so drifting load hits both alike.
      if (i % 2 === 0) (ra.push(measure(a, limitS)), rb.push(measure(b, limitS)));
      else (rb.push(measure(b, limitS)), ra.push(measure(a, limitS)));
    }
    const fa = summarize(ra);
    const fb = summarize(rb);
    const cmp = compare(fa, fb);
    rows.push({ command: `${name}${extra.length ? ` ${extra.join(' ')}` : ''}`, file_s: fa.wall, file_mb: fa.mem, file_exit: fa.status, chdb_s: fb.wall, chdb_mb: fb.mem, chdb_exit: fb.status, ratio: fb.wall / fa.wall, ...cmp, chdb_stderr: fb.status === 0 ? undefined : fb.stderr.slice(-300) });
  }

  const f = (x, n = 2) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(n));
  const exit = (s) => (s === 0 ? '' : ` (exit ${s ?? 'killed'})`);
  console.log('');
  console.log(`ship ${label} → chDB: ${f(ship.wall, 1)} s, peak RSS ${f(ship.mem, 0)} MB, ${shipped} records, folder ${dirMb ?? '-'} MB on disk`);
  console.log('');
  console.log('| command | file path s | --from chdb s | ratio | equal | file path MB | --from chdb MB |');
  console.log('|---|---:|---:|---:|---|---:|---:|');
  for (const r of rows) {
    const eq = r.equal ? 'yes' : `no: ${r.differ.join('; ').replace(/\|/g, '\\|')}`;
    console.log(`| ${r.command} | ${f(r.file_s)}${exit(r.file_exit)} | ${f(r.chdb_s)}${exit(r.chdb_exit)} | ${f(r.ratio)} | ${eq} | ${f(r.file_mb, 0)} | ${f(r.chdb_mb, 0)} |`);
  }
  console.log('\n(ratio: --from chdb time / file path time; above 1 means the table is slower)');
  const out = path.join(outDir, `clickhouse-${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify({ machine: { cpus: cpus().length, node: process.version }, file, bytes: size, runs, ship: { s: ship.wall, mb: ship.mem, records: shipped, folder_mb: dirMb }, results: rows }, null, 2));
  console.log(`written ${out}`);
  if (args.includes('--keep')) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return rows.every((r) => r.equal) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
