import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult, type FileJson } from './cli.js';

/**
 * Hostile inputs: line ends other than `\n`, UTF-16, compressions other than gzip, FIFOs and
 * devices, directory symlink loops, records nested thousands of levels deep. Every case runs
 * the compiled binary on inputs written here, and its line accounting must add up.
 */

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'logtool-hostile-'));
}

/** stats --json, with each file's accounting checked: lines = records + continuation + unparsed + skipped − expanded. */
async function stats(args: string[], env: Record<string, string> = {}): Promise<{ res: CliResult; json: { files: FileJson[]; records: number; levels: Record<string, number>; warnings: { code: string; figures: Record<string, unknown> }[] } }> {
  const res = await runCli(['stats', ...args, '--json'], { env });
  const json = JSON.parse(res.stdout);
  for (const f of json.files as FileJson[]) {
    expect(f.lines, `${f.source}: ${JSON.stringify(f)}`).toBe(f.records + f.continuation_lines + f.unparsed_lines + (f.skipped_lines ?? 0) - f.expanded_records);
  }
  return { res, json };
}

const rec = (i: number, level = 'error') => JSON.stringify({ time: '2024-01-15T10:00:00Z', level, msg: `boom ${i % 5}`, request_id: `r${i}`, duration_ms: i });

describe('line ends', () => {
  it('reads a lone CR as a line end, CRLF as one end, also where a CR ends one read chunk and its LF opens the next', async () => {
    const dir = scratch();
    const cr = path.join(dir, 'cr.log');
    writeFileSync(cr, '{"level":"info"}\r{"level":"error"}\r');
    const { json } = await stats([cr]);
    expect(json.files[0]).toMatchObject({ lines: 2, records: 2, unparsed_lines: 0 });
    expect(json.levels.error).toBe(1);

    // Mixed ends; a CRLF straddles the 4 MiB read boundary exactly (CR its last byte).
    const CHUNK = 4 << 20;
    const ends = ['\n', '\r', '\r\n', '\r\r\n'];
    let text = '';
    let n = 0;
    while (text.length < CHUNK - 200) text += rec(n) + ends[n++ % 4];
    const pad = CHUNK - 1 - text.length - '{"level":"error","msg":""}'.length;
    text += `{"level":"error","msg":"${'x'.repeat(pad)}"}\r\n`;
    n++;
    expect(text.charCodeAt(CHUNK - 1)).toBe(13);
    expect(text.charCodeAt(CHUNK)).toBe(10);
    for (let i = 0; i < 100; i++) text += rec(n++) + ends[i % 4];
    const mixed = path.join(dir, 'mixed.log');
    writeFileSync(mixed, text);
    const plain = await stats([mixed], { LOGTOOL_NO_FAST_PATHS: '1' });
    expect(plain.json.files[0]).toMatchObject({ lines: n, records: n, unparsed_lines: 0 });
    expect(plain.json.levels.error).toBe(n);
    // Split across threads, the same counts.
    const fast = await stats([mixed], { LOGTOOL_THREADS: '2', LOGTOOL_PARALLEL_MIN_BYTES: String(1 << 20) });
    expect(fast.json.files[0]).toMatchObject({ lines: n, records: n, unparsed_lines: 0 });
    // From a pipe (small chunks) too.
    const piped = JSON.parse((await runCli(['stats', '--json'], { stdin: text })).stdout);
    expect(piped.files[0]).toMatchObject({ lines: n, records: n });
    // Line numbers count CR ends: the last record is on line n.
    const last = JSON.parse((await runCli(['trace', `r${n - 1}`, mixed, '--json'])).stdout);
    expect(last.records[0].source).toBe(`${mixed}:${n}`);
  });
});

describe('tail with CR line ends', () => {
  it('shows a followed record ended by a lone CR once the file is quiet, and a CRLF split by a write shows once', async () => {
    const dir = scratch();
    const log = path.join(dir, 'dev.log');
    const msg = (id: string) => JSON.stringify({ level: 'info', msg: id });
    writeFileSync(log, `${msg('c1')}\r${msg('c2')}\r`);
    const child = spawn(process.execPath, [BIN, 'tail', log, '-n', '5', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const shown = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { record?: { msg: string } }).filter((x) => x.record).map((x) => x.record!.msg);
    const waitFor = async (id: string) => {
      for (const until = Date.now() + 10_000; !shown().includes(id); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > until) throw new Error(`tail never printed ${id}; got ${shown().join(',')}`);
      }
    };
    try {
      await waitFor('c2');
      appendFileSync(log, `${msg('c3')}\r`);
      await waitFor('c3');
      // The LF of a CRLF written after a pause belongs to the line before: no blank line, no repeat.
      appendFileSync(log, `\n${msg('c4')}\r\n`);
      await waitFor('c4');
      expect(shown()).toEqual(['c1', 'c2', 'c3', 'c4']);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('times beyond what a date can hold', () => {
  it('are no time: every command reads the record (without a time) and none crashes', async () => {
    const file = path.join(scratch(), 'huge.jsonl');
    writeFileSync(file, [{ time: 1e300, level: 'error', msg: 'epoch in the far future' }, { time: '2024-01-15T10:00:00Z', level: 'info', msg: 'ok' }].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const { res, json } = await stats([file, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(json.records).toBe(2);
    for (const cmd of [['stats', file], ['errors', file], ['why', file], ['trace', 'x', file]]) {
      const r = await runCli(cmd);
      expect(r.stderr, cmd.join(' ')).not.toMatch(/internal error|\n\s+at /);
      expect([0, 1], cmd.join(' ')).toContain(r.code);
    }
  });
});

describe('encodings', () => {
  const body = [rec(1), rec(2, 'info'), JSON.stringify({ level: 'error', msg: 'café ünïcode ✓' })].join('\r\n') + '\r\n';

  it('decodes UTF-16 LE and BE with a BOM, and a UTF-8 BOM is dropped', async () => {
    const dir = scratch();
    const le = path.join(dir, 'le.log');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
    const be = path.join(dir, 'be.log');
    const swapped = Buffer.from(body, 'utf16le').swap16();
    writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
    const u8 = path.join(dir, 'u8.log');
    writeFileSync(u8, '\uFEFF' + body);
    for (const f of [le, be, u8]) {
      const { res, json } = await stats([f]);
      expect(json.files[0], f).toMatchObject({ lines: 3, records: 3, unparsed_lines: 0 });
      expect(json.levels.error).toBe(2);
      expect(json.warnings).toEqual([]);
      expect(res.stderr).toBe('');
    }
    const errors = JSON.parse((await runCli(['errors', le, '--json'])).stdout);
    expect(JSON.stringify(errors)).toContain('café ünïcode ✓');
  });

  it('reads UTF-16 without a BOM when its NUL bytes say so, with a warning', async () => {
    const dir = scratch();
    const f = path.join(dir, 'nobom.log');
    writeFileSync(f, Buffer.from(body, 'utf16le'));
    const { res, json } = await stats([f]);
    expect(json.files[0]).toMatchObject({ lines: 3, records: 3 });
    expect(json.warnings.map((w) => w.code)).toEqual(['guessed_encoding']);
    expect(res.stderr).toMatch(/nobom\.log: no byte-order mark, but the bytes look like UTF-16LE/);
  });
});

describe('compressed inputs', () => {
  const good = Array.from({ length: 50 }, (_, i) => rec(i)).join('\n') + '\n';

  it('refuses zstd (where this Node cannot read it), bzip2, xz, lz4 and zip by their magic bytes, one line each, exit 2, and still reads the other inputs', async () => {
    const dir = scratch();
    const zstdReadable = typeof (zlib as unknown as Record<string, unknown>).zstdCompressSync === 'function';
    const files: Record<string, Buffer> = {
      // Named as plain logs: the magic bytes decide, not the name.
      'a.log': Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00, 0x01, 0x00, 0x00, 0x99, 0xe9, 0xd8, 0x51]),
      'b.log': Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.from(good).subarray(0, 40)]),
      'c.log': Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), Buffer.from(good).subarray(0, 40)]),
      'd.log': Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7]), Buffer.from(good).subarray(0, 40)]),
      'e.log': Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(good).subarray(0, 40)]),
      'good.log': Buffer.from(good),
    };
    if (zstdReadable) files['a.log'] = (zlib as unknown as { zstdCompressSync: (b: Buffer) => Buffer }).zstdCompressSync(Buffer.from(good));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
    const res = await runCli(['errors', dir, '--json']);
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    const major = process.version.split('.')[0];
    const expected = [
      ...(zstdReadable ? [] : [`logtool: ${path.join(dir, 'a.log')}: zstd-compressed; this Node (${major}) cannot read it — decompress first (zstd -d)`]),
      `logtool: ${path.join(dir, 'b.log')}: bzip2-compressed; logtool cannot read it — decompress first (bunzip2)`,
      `logtool: ${path.join(dir, 'c.log')}: xz-compressed; logtool cannot read it — decompress first (xz -d)`,
      `logtool: ${path.join(dir, 'd.log')}: lz4-compressed; logtool cannot read it — decompress first (lz4 -d)`,
      `logtool: ${path.join(dir, 'e.log')}: a zip archive; logtool does not read archives — extract it first (unzip)`,
    ];
    expect(lines).toEqual(expected);
    expect(JSON.parse(res.stdout).total).toBe(zstdReadable ? 100 : 50);
    // No compressed byte is counted as a line.
    const { json } = await stats([dir]);
    expect(json.files.map((f) => path.basename(f.source))).toEqual(zstdReadable ? ['a.log', 'good.log'] : ['good.log']);
  });

  it('a truncated gzip still gives the lines before the cut, says so, and exits 2', async () => {
    const dir = scratch();
    const gz = zlib.gzipSync(Buffer.from(Array.from({ length: 20000 }, (_, i) => JSON.stringify({ level: 'error', msg: `m ${i} ${(i * 7919) % 10007}`, n: Math.random() })).join('\n') + '\n'));
    const f = path.join(dir, 'cut.log.gz');
    writeFileSync(f, gz.subarray(0, Math.floor(gz.length / 2)));
    const res = await runCli(['stats', f, '--json']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/truncated gzip data: read \d+ lines before the end of the compressed stream/);
    const file = JSON.parse(res.stdout).files[0] as FileJson;
    expect(file.records).toBeGreaterThan(1000);
    expect(file.records).toBeLessThan(20000);
  });
});

/** Runs the binary with a producer writing `text` into a FIFO it reads. */
function viaFifo(args: (fifo: string) => string[], text: string): Promise<CliResult> {
  const dir = scratch();
  const fifo = path.join(dir, 'p');
  execFileSync('mkfifo', [fifo]);
  const out = runCli(args(fifo), { timeoutMs: 30_000 });
  const w = createWriteStream(fifo);
  w.end(text);
  return out;
}

describe('streams', () => {
  const text = Array.from({ length: 3000 }, (_, i) => rec(i, i % 3 === 0 ? 'error' : 'info')).join('\n') + '\n';

  it('reads a FIFO in order (no ESPIPE), a process substitution and /dev/stdin', async () => {
    const s = await viaFifo((p) => ['stats', p, '--json'], text);
    expect(s.stderr).toBe('');
    expect(JSON.parse(s.stdout).files[0]).toMatchObject({ lines: 3000, records: 3000 });
    // Threads would split a file this size: a FIFO is never split.
    const e = await viaFifo((p) => ['errors', p, '--json'], text);
    expect(JSON.parse(e.stdout).total).toBe(1000);
    // "not found" samples the head from what was read; it never opens the FIFO again.
    const t = await viaFifo((p) => ['trace', 'no-such-id', p, '--json'], text);
    expect(t.code).toBe(1);
    // Read twice (--relative-to last): kept in a temporary file like stdin.
    const r = await viaFifo((p) => ['errors', p, '--since', '1h', '--relative-to', 'last', '--json'], text);
    expect(JSON.parse(r.stdout).total).toBe(1000);
    const sub = await new Promise<string>((resolve) => {
      const c = spawn('bash', ['-c', `"${process.execPath}" "${BIN}" stats --json <(printf '{"level":"error"}\\r{"level":"info"}\\r')`]);
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.on('close', () => resolve(out));
    });
    expect(JSON.parse(sub).files[0]).toMatchObject({ lines: 2, records: 2 });
    const dev = await runCli(['errors', '/dev/stdin', '--json'], { stdin: text });
    expect(JSON.parse(dev.stdout).total).toBe(1000);
  });

  it('tail says a FIFO is not followed (pipe it in) instead of waiting for a writer', async () => {
    const fifo = path.join(scratch(), 'p');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'tail', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    try {
      for (const until = Date.now() + 10_000; !err.includes('not a regular file'); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > until) throw new Error(`no message; stderr ${err}`);
      }
      expect(err).toContain(`${fifo}: not a regular file; tail follows files — pipe a stream into it instead`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('directory symlinks', () => {
  it('a symlink loop and a self-link end; each real file is read once, under its first name', async () => {
    const dir = scratch();
    const root = path.join(dir, 'logs');
    mkdirSync(path.join(root, 'loop', 'deeper'), { recursive: true });
    writeFileSync(path.join(root, 'a.log'), rec(1) + '\n');
    writeFileSync(path.join(root, 'loop', 'b.log'), rec(2) + '\n');
    writeFileSync(path.join(root, 'loop', 'deeper', 'c.log'), rec(3) + '\n');
    symlinkSync('..', path.join(root, 'loop', 'up'));
    symlinkSync('../..', path.join(root, 'loop', 'deeper', 'top'));
    symlinkSync('.', path.join(root, 'self'));
    symlinkSync('a.log', path.join(root, 'z-link.log'));
    linkSync(path.join(root, 'a.log'), path.join(root, 'z-hard.log'));
    const expected = ['a.log', 'loop/b.log', 'loop/deeper/c.log'].map((f) => path.join(root, f));
    const { json } = await stats([root]);
    expect(json.files.map((f) => f.source)).toEqual(expected);
    expect(json.records).toBe(3);
    const glob = await stats([`${root}/**/*.log`]);
    expect(glob.json.files.map((f) => f.source)).toEqual(expected);
    // Named twice, and through a link: once.
    const twice = await stats([path.join(root, 'a.log'), path.join(root, 'z-link.log'), path.join(root, 'self', 'a.log')]);
    expect(twice.json.files.map((f) => f.source)).toEqual([path.join(root, 'a.log')]);
  });
});

describe('deeply nested records', () => {
  const DEPTH = 2000;
  const deepObject = `{"level":"error","request_id":"r5","msg":"deep","a":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}`;
  const deepArray = `{"level":"error","request_id":"r5","b":${'['.repeat(DEPTH)}1${']'.repeat(DEPTH)}}`;
  const thousand = Array.from({ length: 1000 }, (_, i) => rec(i)).join('\n') + '\n';

  it('a record nested 2,000 levels is counted as unparsed with a too_deep warning, and every command reports the 1,000 errors after it', async () => {
    const dir = scratch();
    const f = path.join(dir, 'deep.log');
    writeFileSync(f, `${deepObject}\n${deepArray}\n${thousand}`);
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: [{ name: 'errors', metric: 'errors', max: 1e9 }] }));
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const warned = (r: CliResult) => {
      expect(r.stderr).toContain('2 record(s) nested deeper than 256 levels were counted as unparsed (the first at');
      expect(r.stderr).toContain(`${f}:1)`);
      expect(r.stderr).not.toMatch(/call stack|internal error/);
    };
    const { res, json } = await stats([f]);
    expect(json.files[0]).toMatchObject({ lines: 1002, records: 1000, unparsed_lines: 2 });
    expect(json.levels.error).toBe(1000);
    expect(json.warnings.find((w) => w.code === 'too_deep')?.figures).toEqual({ records: 2, limit: 256, first: `${f}:1` });
    warned(res);
    const errors = await runCli(['errors', f, '--json']);
    expect(errors.code).toBe(0);
    expect(JSON.parse(errors.stdout).total).toBe(1000);
    const emergency = await runCli(['emergency', f, '--json', '--out', out]);
    expect(emergency.code).toBe(0);
    expect(JSON.parse(emergency.stdout).summary.collected.errors).toBe(1000);
    warned(emergency);
    const dedup = await runCli(['dedup', f, '--json']);
    expect(JSON.parse(dedup.stdout).records).toBe(1000);
    warned(dedup);
    const slow = await runCli(['slow', f, '--json']);
    expect(JSON.parse(slow.stdout).records_with_duration).toBe(1000);
    const check = await runCli(['check', f, '--json', '--rules', rules]);
    expect(JSON.parse(check.stdout).rules[0].value).toBe(1000);
    for (const id of ['r5', 'r999']) {
      const trace = await runCli(['trace', id, f, '--json']);
      expect(trace.code, trace.stderr).toBe(0);
      expect(JSON.parse(trace.stdout).records.length).toBe(1);
    }
    const tail = await runCli(['tail', '-n', '5000'], { stdin: `${deepObject}\n${deepArray}\n${thousand}` });
    expect(tail.stdout.trim().split('\n').length).toBe(1000);
    expect(tail.stderr).toContain('2 record(s) nested deeper than 256 levels');
    // Inside a JSON array document: the same.
    const arr = path.join(dir, 'array.json');
    writeFileSync(arr, `[${deepObject},\n${thousand.trim().split('\n').join(',\n')}]`);
    const a = await stats([arr]);
    expect(a.json.levels.error).toBe(1000);
    expect(a.json.warnings.map((w) => w.code)).toContain('too_deep');
  });

  it('a file split across threads names the first too-deep record by its line in the file', async () => {
    const dir = scratch();
    const f = path.join(dir, 'split-deep.log');
    // About 2 MB, read in two ranges: the deep records are at three quarters (lines 18,002 and 18,004), in the second.
    const lines = Array.from({ length: 6000 }, (_, i) => rec(i, 'info')).join('\n');
    writeFileSync(f, `${lines}\n${lines}\n${lines}\n${rec(1)}\n${deepObject}\n${rec(2)}\n${deepArray}\n${lines}\n`);
    const split = { LOGTOOL_THREADS: '2', LOGTOOL_PARALLEL_MIN_BYTES: String(1 << 20) };
    for (const env of [split, { LOGTOOL_THREADS: '1' }]) {
      const { res, json } = await stats([f], env);
      expect(res.stderr).toContain(`(the first at ${f}:18002)`);
      expect(json.files[0]).toMatchObject({ lines: 24004, records: 24002, unparsed_lines: 2 });
      expect(json.warnings.find((w) => w.code === 'too_deep')?.figures).toEqual({ records: 2, limit: 256, first: `${f}:18002` });
    }
  });

  it('a record nested 256 levels (the limit) is read by every command that walks records', async () => {
    const dir = scratch();
    const f = path.join(dir, 'limit.log');
    const n = 255;
    writeFileSync(f, `{"level":"error","request_id":"r5","msg":"deep","a":${'{"a":'.repeat(n - 1)}[1]${'}'.repeat(n - 1)}}\n${thousand}`);
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const { json } = await stats([f]);
    expect(json.files[0]).toMatchObject({ records: 1001, unparsed_lines: 0 });
    expect(json.warnings).toEqual([]);
    const emergency = await runCli(['emergency', f, '--json', '--out', out]);
    expect(JSON.parse(emergency.stdout).summary.collected.errors).toBe(1001);
    const trace = await runCli(['trace', 'r5', f, '--json']);
    expect(JSON.parse(trace.stdout).records.length).toBe(2);
    const errors = await runCli(['errors', f, '--json', '--with-record']);
    expect(JSON.parse(errors.stdout).total).toBe(1001);
    const dedup = await runCli(['dedup', f, '--json', '--events', 'all']);
    expect(dedup.code).toBe(0);
  });
});
