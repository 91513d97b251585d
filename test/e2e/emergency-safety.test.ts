import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BundleWriter } from '../../src/write/bundle.js';
import { runBig } from './big.js';
import { BIN, ROOT, runCli } from './cli.js';

const base = mkdtempSync(path.join(tmpdir(), 'logtool-emergency-safety-'));
let n = 0;
const fresh = () => {
  const d = path.join(base, `out${n++}`);
  mkdirSync(d);
  return d;
};

const BUNDLE = /^emergency-aggregate-\d{8}-\d{6}\.\d{3}(?:-\d+)?\.json\.gz$/;

interface Bundle {
  errors: { source: string; record: Record<string, unknown> }[];
  summary: { records: number; redacted_values: number; redactions: Record<string, number>; collected: Record<string, number>; caps: { what: string; limit: number; records: number }[] };
}

const load = (file: string) => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Bundle;

function bundles(dir: string): string[] {
  return readdirSync(dir).filter((f) => BUNDLE.test(f)).sort();
}

/** Writes `count` lines made by `lineAt` in large writes. */
function generate(file: string, count: number, lineAt: (i: number) => string): void {
  const fd = openSync(file, 'w');
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += lineAt(i);
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** A pseudo-random lower-case word per (i, salt): every message of the input distinct. */
function word(i: number, salt: number): string {
  let x = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  x = Math.imul(x ^ (x >>> 12), 0x297a2d39);
  return ((x ^ (x >>> 15)) >>> 0).toString(36).replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]);
}

describe('emergency: secrets', () => {
  it('redacts every secret shape, in any value and in message text, and counts each kind', async () => {
    const jwt = 'eyJ' + 'hbGciOiJIUzI1NiJ9.eyJ' + 'zdWIiOiIxMjM0NTY3ODkwIn0.' + 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const aws = 'AKIA' + 'IOSFODNN7EXAMPLE';
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretbody\n-----END RSA PRIVATE KEY-----';
    const input = path.join(base, 'secrets.log');
    const records = [
      { level: 'error', msg: 'array and object under secret keys', tokens: ['tok-aaa111', 'tok-bbb222'], secret: { inner: 'obj-ccc333' }, password: 987654 },
      { level: 'error', msg: 'upstream said: Authorization: Bearer bear3r.t0ken.value' },
      { level: 'error', msg: `session ${jwt} rejected` },
      { level: 'error', msg: `s3 put with ${aws} denied` },
      { level: 'error', msg: 'db at postgres://app:pw-in-url-77@db.internal:5432/orders down' },
      { level: 'error', msg: 'callback GET /cb?token=q-token-88&password=q-pass-99&api_key=q-key-11&sig=q-sig-22&page=2' },
      { level: 'error', msg: 'login failed password=free-text-pw user=bob' },
      { level: 'error', msg: 'bad key', detail: { text: pem }, escaped: JSON.stringify({ k: pem }) },
      { level: 'error', msg: 'charge failed for card 4111 1111 1111 1111', order: 'order 4111111111111112' },
    ];
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const dir = fresh();
    const r = await runCli(['emergency', input, '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { bundle: string; summary: Bundle['summary'] };
    // The whole bundle (summary templates included) and the command's own output.
    const text = gunzipSync(readFileSync(out.bundle)).toString('utf8') + r.stdout;
    for (const secret of ['tok-aaa111', 'tok-bbb222', 'obj-ccc333', '987654', 'bear3r.t0ken.value', 'dozjgNryP4J3jVmNHl0w5N', aws, 'pw-in-url-77', 'q-token-88', 'q-pass-99', 'q-key-11', 'q-sig-22', 'free-text-pw', 'MIIEowIBAAKCAQEAsecretbody', '4111 1111 1111 1111']) {
      expect(text, secret).not.toContain(secret);
    }
    for (const kept of ['postgres://app:[REDACTED]@db.internal:5432/orders', 'page=2', 'user=bob', 'order 4111111111111112']) expect(text).toContain(kept);
    expect(out.summary.redactions).toEqual({ key: 3, query_secret: 4, private_key: 2, bearer: 1, jwt: 1, aws_access_key: 1, url_password: 1, secret_pair: 1, card: 1 });
    expect(out.summary.redacted_values).toBe(15);
    const human = await runCli(['emergency', input, '--out', dir]);
    expect(human.stdout).toContain('15 values redacted (query_secret 4, key 3, private_key 2,');
  });
});

describe('emergency: hostile structure', () => {
  it('collects every error after a record nested 2,000 (and 20,000) levels deep', async () => {
    for (const depth of [2000, 20000]) {
      let deep = '1';
      for (let i = 0; i < depth; i++) deep = i % 2 ? `{"b":${deep}}` : `[${deep}]`;
      const input = path.join(base, `deep-${depth}.log`);
      const lines = [`{"level":"error","msg":"deep","a":${deep}}`];
      for (let i = 0; i < 1000; i++) lines.push(JSON.stringify({ level: 'error', msg: `after ${i}` }));
      writeFileSync(input, lines.join('\n') + '\n');
      for (const extra of [[], ['--no-redact']]) {
        const dir = fresh();
        const r = await runCli(['emergency', input, '--out', dir, '--json', ...extra]);
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as { bundle: string; inputs: { error?: string }[]; summary: Bundle['summary'] };
        expect(out.inputs[0].error).toBeUndefined();
        const b = load(out.bundle);
        const unparsed = (out.inputs[0] as { unparsed_lines: number }).unparsed_lines;
        expect(b.errors.length + unparsed).toBe(1001);
        expect(b.errors.filter((e) => String(e.record.msg).startsWith('after '))).toHaveLength(1000);
        if (b.errors.length === 1001) {
          expect(out.summary.redactions.too_deep).toBe(1);
          expect((out as unknown as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toContain('too_deep');
          expect(r.stderr).toContain('nested deeper than');
        }
      }
    }
  });
});

describe('emergency: bundle names', () => {
  it('never overwrites: a taken name gets -2, -3', async () => {
    const dir = fresh();
    const name = path.join(dir, 'emergency-aggregate-20240115-103045.123.json.gz');
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const w = new BundleWriter(name, '2024-01-15T10:30:45.123Z');
      w.add('errors', JSON.stringify({ run: i }));
      await w.finish({ summary: { run: i } });
      made.push(path.basename(w.finalPath));
    }
    expect(made).toEqual(['emergency-aggregate-20240115-103045.123.json.gz', 'emergency-aggregate-20240115-103045.123-2.json.gz', 'emergency-aggregate-20240115-103045.123-3.json.gz']);
    expect(readdirSync(dir).sort()).toEqual([...made].sort());
    made.forEach((f, i) => expect((load(path.join(dir, f)) as unknown as { errors: unknown[] }).errors).toEqual([{ run: i }]));
  });

  it('four runs at once into one folder leave four complete bundles', async () => {
    const dir = fresh();
    const input = path.join(base, 'four.log');
    writeFileSync(input, Array.from({ length: 200 }, (_, i) => JSON.stringify({ level: 'error', msg: `boom ${i}` })).join('\n') + '\n');
    const runs = await Promise.all([0, 1, 2, 3].map(() => runCli(['emergency', input, '--out', dir, '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const names = runs.map((r) => (JSON.parse(r.stdout) as { bundle: string }).bundle);
    expect(new Set(names).size).toBe(4);
    expect(readdirSync(dir)).toHaveLength(4);
    for (const f of names) expect(load(f).errors).toHaveLength(200);
  });
});

describe('emergency: kill -9', () => {
  it('the next run removes the work files a killed run left, never a live run’s, and writes a complete bundle', async () => {
    const dir = fresh();
    const input = path.join(base, 'big-kill.log');
    generate(input, 300_000, (i) => `{"ts":"2024-01-15T00:00:00Z","level":"error","msg":"failure ${word(i, 1)} ${word(i, 2)}","payload":"${word(i, 3)}${word(i, 4)}"}\n`);
    const child = spawn(process.execPath, [BIN, 'emergency', input, '--out', dir], { cwd: ROOT, stdio: 'ignore' });
    for (let waited = 0; readdirSync(dir).length === 0 && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const left = readdirSync(dir);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((f) => f.startsWith('.'))).toBe(true);
    // A live run's work file (this test's own pid) must survive the cleanup.
    const live = `.emergency-aggregate-20240115-103045.123.json.gz.tmp-${process.pid}-errors`;
    writeFileSync(path.join(dir, live), '');
    const small = path.join(base, 'small-kill.log');
    writeFileSync(small, JSON.stringify({ level: 'error', msg: 'after the crash' }) + '\n');
    const r = await runCli(['emergency', small, '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const after = readdirSync(dir).sort();
    expect(after.filter((f) => f.startsWith('.'))).toEqual([live]);
    const made = after.filter((f) => BUNDLE.test(f));
    expect(made).toHaveLength(1);
    expect(load(path.join(dir, made[0])).errors).toHaveLength(1);
  }, 60_000);
});

describe('emergency: memory on high-cardinality input', () => {
  it('keeps its summary bounded when every message, operation, service and id is distinct', async () => {
    const dir = fresh();
    const input = path.join(base, 'cardinality.log');
    const records = 100_000;
    generate(input, records, (i) => `{"ts":"${new Date(Date.UTC(2024, 0, 15) + i * 10).toISOString()}","level":"error","service":"svc-${i}","operation":"op-${word(i, 5)}","request_id":"req-${i}","duration_ms":${100 + (i % 900)},"performance_violation":true,"msg":"${word(i % 500, 6)} failed for user u${i} after ${i % 997} ms"}\n`);
    const r = await runBig(['emergency', input, '--out', dir, '--json'], dir, { onData: () => undefined });
    expect(r.code, r.stderr).toBe(0);
    // Before the caps this run peaked near 400 MB (2.5 KB per distinct operation); now under 300 MB.
    expect(r.maxRss).toBeLessThan(300 * 1024 * 1024);
    const made = bundles(dir);
    expect(made).toHaveLength(1);
    const b = load(path.join(dir, made[0]));
    expect(b.errors).toHaveLength(records);
    expect(b.summary.caps.map((c) => c.what)).toContain('operations');
  }, 120_000);
});
