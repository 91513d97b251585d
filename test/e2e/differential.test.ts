import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWKWARD_IDS, writeAwkward, writeDockerTracebacks, writeLarge } from '../../src/fixtures/awkward.js';
import { writeFuzz } from '../../src/fixtures/fuzz.js';
import { TEXT_IDS, writeTextAwkward } from '../../src/fixtures/text-awkward.js';
import { ROOT, runCli, type CliResult } from './cli.js';

/**
 * Every command, with and without `LOGTOOL_NO_FAST_PATHS=1`, must print byte-identical output:
 * each prefilter, probe, chunk skip and worker split is proven equal to the plain computation
 * on the shipped fixtures, on generated awkward lines, on a file large enough to be split and
 * chunk-skipped, and on the public logs in ../shared/data when present. A new fast path lands
 * with its case here.
 */

const SHARED = path.resolve(ROOT, process.env.LOGTOOL_SHARED_DATA ?? '../shared/data');
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
/** The fast run may use threads on anything over 1 MB (the default threshold is 128 MB). */
const FAST_ENV = { LOGTOOL_THREADS: '2', LOGTOOL_PARALLEL_MIN_BYTES: String(1 << 20) };
const PLAIN_ENV = { LOGTOOL_NO_FAST_PATHS: '1' };

/** One command line to run both ways; `json` outputs are compared after `normalize`. */
interface Case {
  name: string;
  args: (out: string) => string[];
  normalize?: (stdout: string) => string;
}

/** emergency's summary minus what differs between any two runs: the bundle's name and the generation time. */
function emergencySummary(stdout: string): string {
  const { bundle: _b, generated_at: _g, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return JSON.stringify(rest, null, 2);
}

/** A level for each command and input set in turn, so that every command meets every level across the sets. */
const rotate = (k: number) => LEVELS[k % LEVELS.length];

/** What a set of inputs is run with: the ids trace follows, and the levels errors runs at. */
interface Plan {
  inputs: string[];
  ids: string[];
  rules: string;
  /** Offset of the level each command takes, so that the sets together give each command several levels. */
  turn: number;
  errorLevels: (string | undefined)[];
  annotateLevels: (string | undefined)[];
  /** Commands with a fast path on this input; the others are left out to save time. */
  only?: string[];
}

const SINCE = ['--since', '2024-01-15T10:03:00Z'];

function cases(p: Plan): Case[] {
  const { inputs, ids, rules, turn } = p;
  const trace = ['trace', ids[0], ...ids.slice(1).flatMap((id) => ['--id', id]), ...inputs];
  // Each command runs plainly, and with a level, a --where and (some) a --since.
  const commands: [string, (out: string) => string[], string[], Case['normalize']?][] = [
    ['trace', () => [...trace, '--json'], ['--ndjson', ...SINCE]],
    ['stats', () => ['stats', ...inputs, '--json'], ['--where', 'service!=svc1', ...SINCE]],
    ['slow', () => ['slow', ...inputs, '--json'], ['--by', 'service,operation', '--threshold', '1s', '--where', 'duration>100']],
    ['dedup', () => ['dedup', ...inputs, '--json'], ['--events', 'all', '--key', 'request_id,operation', '--where', 'level!=INFO']],
    ['check', () => ['check', ...inputs, '--json', '--rules', rules], ['--where', 'service=svc2']],
    ['emergency', (out) => ['emergency', ...inputs, '--json', '--out', out], [...SINCE], emergencySummary],
  ];
  const list: Case[] = [
    { name: 'errors --where level', args: () => ['errors', ...inputs, '--json', '--level', 'warn', '--where', 'level!=ERROR'] },
    { name: 'errors --since --where', args: () => ['errors', ...inputs, '--json', '--level', 'info', ...SINCE, '--where', 'service~svc[02]'] },
  ];
  commands.forEach(([name, args, extra, normalize], k) => {
    const level = rotate(turn + k);
    list.push({ name, args, normalize }, { name: `${name} --level ${level} ${extra.join(' ')}`, args: (out) => [...args(out), '--level', level, ...extra], normalize });
  });
  for (const level of p.errorLevels) {
    const lv = level ? ['--level', level] : [];
    list.push({ name: `errors --json ${lv.join(' ')}`.trim(), args: () => ['errors', ...inputs, '--json', ...lv] });
  }
  for (const level of p.annotateLevels) {
    const lv = level ? ['--level', level] : [];
    // One of them carries the records too.
    const extra = level === 'warn' ? ['--with-record'] : [];
    list.push({ name: `errors --annotate ${lv.join(' ')}`.trim(), args: () => ['errors', ...inputs, '--annotate', ...lv, ...extra] });
  }
  return p.only ? list.filter((c) => p.only!.some((o) => c.name.startsWith(o))) : list;
}

/** Runs one case both ways; a difference is returned as a short description, with the output. */
async function compare(c: Case, tmp: string): Promise<{ diff?: string; stdout: string }> {
  const outs = ['fast', 'plain'].map((w) => {
    const d = path.join(tmp, `${w}-${Math.random().toString(36).slice(2)}`);
    mkdirSync(d);
    return d;
  });
  const [fast, plain] = await Promise.all([
    runCli(c.args(outs[0]), { env: FAST_ENV, timeoutMs: 120_000 }),
    runCli(c.args(outs[1]), { env: PLAIN_ENV, timeoutMs: 120_000 }),
  ]);
  const show = (r: CliResult) => {
    try {
      return c.normalize ? c.normalize(r.stdout) : r.stdout;
    } catch {
      return r.stdout;
    }
  };
  const stdout = fast.stdout;
  if (fast.code !== plain.code) return { stdout, diff: `${c.name}: exit ${fast.code} with fast paths, ${plain.code} without (${fast.stderr.slice(0, 200)})` };
  if (show(fast) !== show(plain)) return { stdout, diff: `${c.name}: stdout differs (${firstDifference(show(fast), show(plain))}; stderr ${JSON.stringify(fast.stderr.slice(0, 300))} vs ${JSON.stringify(plain.stderr.slice(0, 300))})` };
  if (fast.stderr !== plain.stderr) return { stdout, diff: `${c.name}: stderr differs (${firstDifference(fast.stderr, plain.stderr)})` };
  return { stdout };
}

/**
 * `--annotate` must name every record `--json` counts, exactly once, with the pattern `--json`
 * reports for it: per pattern, the annotated lines number its count. (Both paths could agree
 * on dropping records; this holds each of them to the result.)
 */
function annotateAgreesWithJson(outputs: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [name, stdout] of outputs) {
    if (!name.startsWith('errors --annotate')) continue;
    const json = outputs.get(name.replace('--annotate', '--json'));
    if (json === undefined) continue;
    const res = JSON.parse(json) as { total: number; clusters: { id: string; count: number }[] };
    const counted = Object.fromEntries(res.clusters.map((c) => [c.id, c.count]));
    const annotated: Record<string, number> = {};
    const lines = stdout.split('\n').filter((l) => l !== '');
    for (const l of lines) {
      const id = (JSON.parse(l) as { cluster: string }).cluster;
      annotated[id] = (annotated[id] ?? 0) + 1;
    }
    if (lines.length !== res.total) found.push(`${name}: ${lines.length} lines annotated, --json counts ${res.total}`);
    else if (JSON.stringify(Object.entries(annotated).sort()) !== JSON.stringify(Object.entries(counted).sort())) found.push(`${name}: annotated patterns differ from --json's counts`);
  }
  return found;
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}: fast ${JSON.stringify(al[i]?.slice(0, 160))} vs plain ${JSON.stringify(bl[i]?.slice(0, 160))}; ${al.length} vs ${bl.length} lines`;
  }
  return 'same lines';
}

/** Runs the cases two at a time (each runs the binary twice at once) and collects the differences. */
async function differences(list: Case[], tmp: string): Promise<string[]> {
  const found: string[] = [];
  const outputs = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const c = list[next++];
      const { diff, stdout } = await compare(c, tmp);
      if (diff) found.push(diff);
      outputs.set(c.name, stdout);
    }
  };
  await Promise.all([worker(), worker()]);
  return [...found, ...annotateAgreesWithJson(outputs)];
}

/**
 * Inputs whose lines end in `\r` alone, `\r\n`, `\n` or a mix: a CR-only file, a CRLF file of
 * 5 MB (whole read chunks skipped by trace), and a mixed 2 MB file (split across threads) with
 * text lines, tracebacks and pretty-printed objects; `far-cr` is in the last record of each.
 */
function writeLineEnds(dir: string): void {
  const levels = ['DEBUG', 'info', 'Warning', 'ERROR', 'fatal', 'err'];
  const rec = (i: number) => JSON.stringify({ time: new Date(Date.UTC(2024, 0, 15, 10, 0, 0) + i * 137).toISOString(), level: levels[i % levels.length], service: `svc${i % 3}`, operation: `op${i % 4}`, duration_ms: (i * 37) % 2000, request_id: `req-${i % 50}`, msg: `step ${i % 7} done for user ${i}` });
  const last = (ends: string) => JSON.stringify({ time: '2024-01-15T12:00:00Z', level: 'error', request_id: 'far-cr', msg: 'the last one' }) + ends;
  let cr = '';
  for (let i = 0; i < 2999; i++) cr += rec(i) + '\r';
  writeFileSync(path.join(dir, 'cr-only.log'), cr + last('\r'));
  const crlf: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 << 20; i++) {
    const line = rec(i) + '\r\n';
    crlf.push(line);
    size += line.length;
  }
  writeFileSync(path.join(dir, 'crlf.log'), crlf.join('') + last('\r\n'));
  const ends = ['\n', '\r', '\r\n', '\r\r\n'];
  const mixed: string[] = [];
  size = 0;
  for (let i = 0; size < 2 << 20; i++) {
    const e = ends[i % 4];
    let chunk = rec(i) + e;
    if (i % 97 === 0) chunk += `Traceback (most recent call last):${e}  File "app.py", line ${i}, in run${e}ValueError: bad ${i}${e}`;
    if (i % 89 === 0) chunk += `2024-01-15 10:00:0${i % 10},123 ERROR [worker-${i % 4}] text line ${i}${e}`;
    if (i % 193 === 0) chunk += `{${e}  "level": "error",${e}  "msg": "pretty ${i}"${e}}${e}`;
    if (i % 151 === 0) chunk += `not a record ${i}${e}${e}`;
    mixed.push(chunk);
    size += chunk.length;
  }
  writeFileSync(path.join(dir, 'mixed.log'), mixed.join('') + last('\r'));
}

function scratch(): { tmp: string; rules: string } {
  const tmp = mkdtempSync(path.join(tmpdir(), 'logtool-differential-'));
  const rules = path.join(tmp, 'rules.json');
  const rule = (name: string, metric: string, extra: Record<string, unknown> = {}) => ({ name, metric, max: 1e9, ...extra });
  writeFileSync(
    rules,
    JSON.stringify({
      rules: [
        rule('records', 'records'),
        rule('errors', 'errors'),
        rule('error rate', 'error_rate'),
        rule('warnings', 'warnings'),
        rule('p95', 'p95_ms', { where: { operation: 'op1' } }),
        rule('duplicates', 'duplicate_events'),
        rule('exact', 'exact_duplicates'),
        rule('clusters', 'error_clusters'),
        rule('without id', 'without_id'),
        rule('unparsed', 'unparsed_lines'),
      ],
    }),
  );
  return { tmp, rules };
}

describe('fast paths equal the plain path', () => {
  it('on the shipped fixtures and generated awkward lines (every level spelling, escapes, Docker, prefixes, pretty-printed objects, CRLF, invalid UTF-8, huge lines, gzip)', { timeout: 300_000 }, async () => {
    const { tmp, rules } = scratch();
    const dir = path.join(tmp, 'awkward');
    writeAwkward(dir);
    const inputs = [path.join(ROOT, 'fixtures'), dir];
    const list = cases({ inputs, ids: ['req-00042', ...AWKWARD_IDS], rules, turn: 0, errorLevels: [undefined, ...LEVELS], annotateLevels: [undefined, 'trace', 'info', 'warn'] });
    expect(await differences(list, tmp)).toEqual([]);
    // Both paths agreeing on nothing would prove nothing: the awkward lines hold records at every level.
    const res = await runCli(['errors', dir, '--json', '--level', 'fatal'], { env: PLAIN_ENV });
    expect(JSON.parse(res.stdout).total).toBeGreaterThan(10);
  });

  it('on files split across worker threads (one mostly Docker tracebacks), with whole read chunks skipped', { timeout: 300_000 }, async () => {
    const { tmp, rules } = scratch();
    const file = path.join(tmp, 'large.log');
    writeLarge(file, 6 << 20);
    const docker = path.join(tmp, 'docker.log');
    writeDockerTracebacks(docker);
    // Only trace skips chunks, and only errors, stats and slow use threads.
    const list = cases({ inputs: [file, docker], ids: ['far-1'], rules, turn: 2, errorLevels: [undefined, 'info', 'warn', 'fatal'], annotateLevels: ['warn'], only: ['trace', 'errors', 'stats', 'slow'] });
    // Past the sample budget while every group grows: threads must sketch the groups one thread does.
    list.push({ name: 'slow past a small --budget', args: () => ['slow', file, '--json', '--by', 'service', '--budget', '15000'] });
    expect(await differences(list, tmp)).toEqual([]);
    const far = await runCli(['trace', 'far-1', file, '--json'], { env: FAST_ENV });
    // The object straddling the first read boundary and the last record.
    expect(JSON.parse(far.stdout).records.length).toBe(2);
  });

  it('on text layouts and envelopes: every sample mixed with continuations, junk and JSON, and a text file split across threads', { timeout: 300_000 }, async () => {
    const { tmp, rules } = scratch();
    const dir = path.join(tmp, 'text');
    writeTextAwkward(dir);
    const list = cases({ inputs: [dir], ids: TEXT_IDS, rules, turn: 4, errorLevels: [undefined, 'info', 'warn', 'error'], annotateLevels: [undefined, 'warn'] });
    expect(await differences(list, tmp)).toEqual([]);
    // The id near the end of the split file is found by both paths.
    const far = await runCli(['trace', TEXT_IDS[2], path.join(dir, 'big-text.log'), '--json'], { env: FAST_ENV });
    expect(JSON.parse(far.stdout).records.length).toBe(1);
  });

  it('on CR-only, CRLF and mixed line ends (a file split across threads, whole chunks skipped)', { timeout: 300_000 }, async () => {
    const { tmp, rules } = scratch();
    const dir = path.join(tmp, 'line-ends');
    mkdirSync(dir);
    writeLineEnds(dir);
    const list = cases({ inputs: [dir], ids: ['far-cr', 'req-7'], rules, turn: 1, errorLevels: [undefined, 'info', 'error'], annotateLevels: ['warn'], only: ['trace', 'errors', 'stats', 'slow'] });
    expect(await differences(list, tmp)).toEqual([]);
    // Lone CRs are line ends on both paths: every record of the CR-only file is read.
    const res = await runCli(['stats', path.join(dir, 'cr-only.log'), '--json'], { env: FAST_ENV });
    expect(JSON.parse(res.stdout).files[0]).toMatchObject({ lines: 3000, records: 3000, unparsed_lines: 0 });
    const far = await runCli(['trace', 'far-cr', dir, '--json'], { env: FAST_ENV });
    expect(JSON.parse(far.stdout).records.length).toBe(3);
  });

  it('on fuzzed lines (mutated JSON and text: flipped bytes, truncation, escapes, odd level keys, BOMs, NULs, long lines), split across threads, for several seeds', { timeout: 300_000 }, async () => {
    const { tmp } = scratch();
    const ONE = { LOGTOOL_THREADS: '1' };
    // Seed 18 mixes layouts: a JUL header before a cut, its level lines after it (read on one thread).
    for (const seed of [3, 10, 17, 18, 21]) {
      const file = path.join(tmp, `fuzz-${seed}.log`);
      writeFuzz(file, seed, 1200);
      const list = cases({ inputs: [file], ids: ['req-7'], rules: '', turn: seed, errorLevels: [undefined, 'warn'], annotateLevels: [], only: ['trace', 'errors', 'stats', 'slow'] });
      expect(await differences(list, tmp)).toEqual([]);
      // One thread (fast paths on) reads as the worker split does.
      for (const args of [['errors', file, '--json'], ['stats', file, '--json'], ['slow', file, '--json']]) {
        const [split, one] = await Promise.all([runCli(args, { env: FAST_ENV }), runCli(args, { env: ONE })]);
        expect([seed, args[0], split.code, split.stdout === one.stdout, split.stderr]).toEqual([seed, args[0], 0, true, one.stderr]);
      }
      // Every error record errors counts is one stats counts at error or fatal, and the reverse.
      const [errors, stats] = await Promise.all([runCli(['errors', file, '--json'], { env: FAST_ENV }), runCli(['stats', file, '--json'], { env: PLAIN_ENV })]);
      const levels = JSON.parse(stats.stdout).levels as Record<string, number>;
      expect([seed, JSON.parse(errors.stdout).total]).toEqual([seed, levels.error + levels.fatal]);
      expect(levels.error + levels.fatal).toBeGreaterThan(100);
    }
  });

  const shared = existsSync(SHARED);
  if (!shared) console.log(`note: ${SHARED} is absent; the differential cases on public logs are skipped`);
  it.skipIf(!shared)('on every file of ../shared/data', { timeout: 300_000 }, async () => {
    const { tmp, rules } = scratch();
    const ids = ['000000000000000047ed3a25a7dba0cd', '5b8aa5a2d2c872e8321cf37308d69df2', 'cce79d15-ffc2-487c-a4e4-e940bdaac31e'];
    const list = cases({ inputs: [SHARED], ids, rules, turn: 3, errorLevels: [undefined, ...LEVELS], annotateLevels: [undefined, 'info'] });
    expect(await differences(list, tmp)).toEqual([]);
  });
});
