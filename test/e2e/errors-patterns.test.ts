import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scrub } from './cli.js';
import { expectFits, FAILURE_ENDS, LONG_SERVICES, writeWideInput } from './wide-input.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-patterns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2024, 0, 15, 10, 0, 0);
const iso = (i: number) => new Date(T0 + i * 1000).toISOString();

function write(name: string, lines: string[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

interface Cluster {
  id: string;
  template: string;
  error_template?: string;
  count: number;
  level: string;
  levels: Record<string, number>;
  slots: { position: number; values: { value: string; count: number }[]; distinct: number }[];
  samples: { source: string; message: string; error_type?: string; error_message?: string; stack_frame?: string }[];
  new?: boolean;
}

async function errorsJson(args: string[]): Promise<{ total: number; clusters: Cluster[]; new?: number }> {
  const r = await runCli(['errors', ...args, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

/**
 * One generic message, four failures told apart only by the error attribute; the first failure
 * is logged for two addresses (one failure, its variable masked).
 */
const CAUSES: { phrase: string; slog: (i: number) => string; dotnet: (i: number) => string; python: (i: number) => string }[] = [
  {
    phrase: 'connection refused',
    slog: (i) => `dial tcp 10.0.0.${i % 2}:5432: connect: connection refused`,
    dotnet: (i) => `System.Net.Sockets.SocketException: connection refused 10.0.0.${i % 2}:5432\r\n   at Db.Open() in /src/Db.cs:line ${10 + i}`,
    python: (i) => `Traceback (most recent call last):\n  File "app.py", line 12, in run\n    db.connect()\nConnectionRefusedError: [Errno 111] connection refused to 10.0.0.${i % 2}`,
  },
  {
    phrase: 'deadline exceeded',
    slog: () => 'context deadline exceeded',
    dotnet: () => 'System.TimeoutException: deadline exceeded\r\n   at Db.Query()',
    python: () => 'Traceback (most recent call last):\n  File "app.py", line 20, in run\nTimeoutError: deadline exceeded',
  },
  {
    phrase: 'permission denied',
    slog: () => 'permission denied for relation orders',
    dotnet: () => 'System.UnauthorizedAccessException: permission denied\r\n   at Files.Open()',
    python: () => 'Traceback (most recent call last):\n  File "app.py", line 30, in run\nPermissionError: permission denied',
  },
  {
    phrase: 'certificate has expired',
    slog: () => 'x509: certificate has expired',
    dotnet: () => 'System.Security.Authentication.AuthenticationException: certificate has expired\r\n   at Tls.Handshake()',
    python: () => 'Traceback (most recent call last):\n  File "app.py", line 40, in run\nssl.SSLError: certificate has expired',
  },
];

/** The same four failures as each logger family writes them. */
const FAMILIES: Record<string, (cause: (typeof CAUSES)[number], i: number) => object> = {
  'Go slog (err)': (c, i) => ({ time: iso(i), level: 'ERROR', msg: 'operation failed', err: c.slog(i) }),
  'logrus/zap (error)': (c, i) => ({ level: 'error', msg: 'operation failed', time: iso(i), error: c.slog(i) }),
  'Serilog CLEF (@x)': (c, i) => ({ '@t': iso(i), '@l': 'Error', '@mt': 'operation failed', '@x': c.dotnet(i) }),
  '.NET JSON console (Exception)': (c, i) => ({ Timestamp: iso(i), LogLevel: 'Error', Message: 'operation failed', Exception: c.dotnet(i) }),
  'python-json-logger (exc_info)': (c, i) => ({ asctime: iso(i), levelname: 'ERROR', message: 'operation failed', exc_info: c.python(i) }),
  'ECS (error.type, error.message)': (c, i) => ({ '@timestamp': iso(i), 'log.level': 'error', message: 'operation failed', error: { type: 'DbError', message: c.slog(i) } }),
};

describe('errors: one generic message with four causes in its error attribute', () => {
  for (const [family, line] of Object.entries(FAMILIES)) {
    it(`is four patterns, each naming its cause, for ${family}`, async () => {
      const lines = CAUSES.flatMap((c, k) => Array.from({ length: 3 + k }, (_, i) => JSON.stringify(line(c, i))));
      const file = write(`${family.replace(/\W+/g, '-')}.log`, lines);
      const res = await errorsJson([file]);
      expect(res.total).toBe(lines.length);
      expect(res.clusters).toHaveLength(4);
      for (const [k, c] of CAUSES.entries()) {
        const hits = res.clusters.filter((x) => x.template.includes(c.phrase));
        expect(hits.map((x) => x.count), c.phrase).toEqual([3 + k]);
        expect(hits[0].template.startsWith('operation failed [error: ')).toBe(true);
        expect(hits[0].error_template).toContain(c.phrase);
      }
      const human = await runCli(['errors', file]);
      expect(human.stdout).toContain('4 patterns');
      for (const c of CAUSES) expect(human.stdout).toContain(c.phrase);
      // --annotate puts every record in the pattern it was counted in.
      const ann = await runCli(['errors', file, '--annotate']);
      const per = new Map<string, number>();
      for (const l of ann.stdout.trim().split('\n')) {
        const id = (JSON.parse(l) as { cluster: string }).cluster;
        per.set(id, (per.get(id) ?? 0) + 1);
      }
      expect(Object.fromEntries(per)).toEqual(Object.fromEntries(res.clusters.map((x) => [x.id, x.count])));
    });
  }
});

describe('errors: levels, samples and slots of a pattern', () => {
  it('reports every level of a pattern and the highest as its level', async () => {
    const lines = Array.from({ length: 11 }, (_, i) => JSON.stringify({ timestamp: iso(i), level: i % 4 === 3 ? 'FATAL' : 'ERROR', message: `worker ${i} crashed` }));
    const file = write('levels.log', lines);
    const [c] = (await errorsJson([file])).clusters;
    expect(c.count).toBe(11);
    expect(c.level).toBe('fatal');
    expect(c.levels).toEqual({ fatal: 2, error: 9 });
    expect((await runCli(['errors', file])).stdout).toContain('FATAL 2 · ERROR 9');
  });

  it('shows each sample’s error type, error message and innermost frame', async () => {
    const err = (i: number) => ({ type: 'TimeoutError', message: `timeout after ${3000 + i}ms`, stack: `TimeoutError: timeout after ${3000 + i}ms\n    at charge (/app/bank.js:88:11)\n    at run (/app/q.js:1:1)` });
    const file = write('samples.log', Array.from({ length: 3 }, (_, i) => JSON.stringify({ level: 50, time: T0 + i, msg: 'charge failed', err: err(i) })));
    const [c] = (await errorsJson([file])).clusters;
    expect(c.samples[0]).toEqual({ source: `${file}:1`, message: 'charge failed', error_type: 'TimeoutError', error_message: 'timeout after 3000ms', stack_frame: 'at charge (/app/bank.js:88:11)' });
    const human = (await runCli(['errors', file])).stdout;
    expect(human).toContain('TimeoutError: timeout after 3000ms  at charge (/app/bank.js:88:11)');
  });

  it('lists the values of each <*> with counts, when the miner reports them', async () => {
    const tools = [['SearchTool', 14], ['MailTool', 10], ['DbTool', 6], ['WebTool', 5], ['FileTool', 4], ['MapTool', 3], ['CalcTool', 2]] as const;
    const lines = tools.flatMap(([t, n]) => Array.from({ length: n }, (_, i) => JSON.stringify({ level: 'error', message: `Tool call ${t} failed: connection reset by peer 10.2.0.${i}:443` })));
    const res = await errorsJson([write('slots.log', lines)]);
    for (const c of res.clusters) expect(Array.isArray(c.slots), c.template).toBe(true);
    const merged = res.clusters.find((c) => c.template.startsWith('Tool call <*> failed'));
    const slot = merged?.slots.find((s) => s.position === 0);
    // The miner reports slots once it keeps them per cluster; until then the list is empty.
    if (slot) {
      expect(slot.values.slice(0, 2)).toEqual([{ value: 'SearchTool', count: 14 }, { value: 'MailTool', count: 10 }]);
      expect(slot.distinct).toBe(7);
    }
  });
});

describe('errors --baseline with a template that got more general', () => {
  const line = (tool: string, i: number) => JSON.stringify({ timestamp: iso(i), level: 'error', message: `Tool call ${tool} failed: connection reset` });
  const tools = ['SearchTool', 'MailTool', 'DbTool', 'WebTool', 'FileTool', 'MapTool'];
  const subset = Array.from({ length: 5 }, (_, i) => line('SearchTool', i));
  const full = [...subset, ...tools.flatMap((t, k) => [line(t, 10 + k), line(t, 20 + k)])];

  it('is the same pattern, so --fail-on new passes; a genuinely new pattern still fails', async () => {
    const baselineFile = path.join(dir, 'baseline.json');
    const rec = await runCli(['errors', write('subset.log', subset), '--json']);
    writeFileSync(baselineFile, rec.stdout);
    const fullFile = write('full.log', full);
    const before = JSON.parse(rec.stdout) as { clusters: Cluster[] };
    const after = await errorsJson([fullFile]);
    // The precondition: the template did change between the two runs.
    expect(after.clusters.map((c) => c.template)).not.toEqual(before.clusters.map((c) => c.template));
    const ok = await runCli(['errors', fullFile, '--baseline', baselineFile, '--fail-on', 'new']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const withNew = write('full-new.log', [...full, JSON.stringify({ timestamp: iso(40), level: 'error', message: 'Disk quota exceeded on volume 7' })]);
    const bad = await runCli(['errors', withNew, '--baseline', baselineFile, '--fail-on', 'new']);
    expect(bad.code).toBe(1);
    const j = await errorsJson([withNew, '--baseline', baselineFile]);
    expect(j.new).toBe(1);
    expect(j.clusters.filter((c) => c.new).map((c) => c.template)).toEqual(['Disk quota exceeded on volume <*>']);
  });
});

describe('errors fits the width', () => {
  const wide = writeWideInput(dir, 'wide.jsonl');
  for (const width of [80, 100, 200]) {
    it(`--width ${width}: no line wider, on the fixtures and on long shared-start messages from long-named services`, async () => {
      for (const input of ['fixtures/incident', wide]) {
        const r = await runCli(['errors', input, '--width', String(width)], { env: { FORCE_COLOR: '1' } });
        expect(r.code, r.stderr).toBe(0);
        expectFits(r.stdout, width);
      }
      const text = scrub((await runCli(['errors', wide, '--width', String(width)])).stdout);
      // Each failure's own ending shows, once per pattern.
      for (const end of FAILURE_ENDS) expect(text.split('\n').filter((l) => /^ {3}\S/.test(l) && l.includes(end.split(' ').at(-1)!) && !l.includes('e.g.')).length, end).toBe(1);
      if (width === 200) expect(text).toContain(LONG_SERVICES[0]);
    });
  }

  it('says what it clustered: warn and error records with --level warn, fatal records with --level fatal', async () => {
    const warn = await runCli(['errors', wide, '--level', 'warn']);
    expect(warn.stdout).toMatch(/^[\d,]+ warn and error records in \d+ patterns\b/);
    const fatal = await runCli(['errors', wide, '--level', 'fatal']);
    expect(fatal.code, fatal.stderr).toBe(0);
    expect(fatal.stdout).toMatch(/^no fatal records\n/);
    const plainErrors = await runCli(['errors', wide]);
    expect(plainErrors.stdout).toMatch(/^[\d,]+ error records in \d+ patterns\b/);
  });
});
