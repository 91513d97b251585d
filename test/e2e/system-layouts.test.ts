import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

/** System and web-server text logs, written here, read by the compiled binary with no flag. */
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-system-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

const clf = (s: number) => `15/Jan/2024:10:30:${String(s).padStart(2, '0')} +0000`;
const ACCESS = write('access.log', [
  `10.0.0.1 - - [${clf(1)}] "GET /api/items?page=1 HTTP/1.1" 200 512 "-" "curl/8.4.0" 0.120`,
  `10.0.0.1 - - [${clf(2)}] "GET /api/items?page=2 HTTP/1.1" 200 498 "-" "curl/8.4.0" 0.180`,
  `10.0.0.2 - - [${clf(3)}] "POST /api/pay HTTP/1.1" 502 0 "https://shop.example/cart" "Mozilla/5.0" 2.500`,
  `10.0.0.2 - - [${clf(4)}] "POST /api/pay HTTP/1.1" 200 64 "https://shop.example/cart" "Mozilla/5.0" 1.900`,
  `10.0.0.3 - - [${clf(5)}] "GET /missing HTTP/1.1" 404 9 "-" "curl/8.4.0" 0.002`,
  `10.0.0.4 - - [${clf(6)}] "GET /api/items?page=3 HTTP/1.1" 200 501 "-" "curl/8.4.0" 0.150`,
]);
const SYSLOG = write('messages', [
  'Jan 15 10:30:01 web-1 sshd[4121]: Accepted publickey for deploy from 10.0.0.9 port 50122 ssh2',
  '<11>Jan 15 10:30:02 web-1 checkout[77]: payment backend unreachable',
  'Jan 15 10:30:03 web-1 checkout[77]: warning: retrying in 5s',
  'Jan 15 10:30:04 web-1 syslogd[314]: Configuration Notice:',
  '\tASL Module "com.apple.install" claims selected messages.',
  'Jan 15 10:30:05 web-1 CRON[900]: (root) CMD (run-parts /etc/cron.hourly)',
]);
const NGINX_ERR = write('error.log', [
  '2024/01/15 10:30:03 [error] 2901#2901: *8812 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.2, server: shop.example, request: "POST /api/pay HTTP/1.1", upstream: "http://127.0.0.1:8080/pay", host: "shop.example"',
  '2024/01/15 10:30:06 [notice] 1#1: signal process started',
]);
const PG = write('postgresql.log', [
  '2024-01-15 10:30:07.123 UTC [4121] LOG:  checkpoint starting: time',
  '2024-01-15 10:30:08.001 UTC [4122] ERROR:  duplicate key value violates unique constraint "orders_pkey"',
  '2024-01-15 10:30:08.001 UTC [4122] DETAIL:  Key (id)=(7) already exists.',
  '2024-01-15 10:30:08.001 UTC [4122] STATEMENT:  INSERT INTO orders (id, total)',
  '\tVALUES (7, 12.5);',
]);
const IIS = write('u_ex240115.log', [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2024-01-15 10:30:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip sc-status time-taken',
  '2024-01-15 10:30:09 10.0.0.4 GET /api/items - 443 203.0.113.7 200 31',
  '2024-01-15 10:30:10 10.0.0.4 POST /api/pay - 443 203.0.113.7 500 1532',
]);

interface FileStat {
  source: string;
  lines: number;
  records: number;
  continuation_lines: number;
  unparsed_lines: number;
  layout?: string;
}

describe('system and web-server text logs, detected per file', () => {
  it('stats --json reports the layout detected for each file and reads every line', async () => {
    const r = await runCli(['stats', ACCESS, SYSLOG, NGINX_ERR, PG, IIS, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: FileStat[]; levels: Record<string, number>; without_time: number };
    const byName = Object.fromEntries(out.files.map((f) => [path.basename(f.source), f]));
    expect(byName['access.log']!.layout).toBe('access-log');
    expect(byName['messages']!.layout).toBe('syslog');
    expect(byName['error.log']!.layout).toBe('nginx-error');
    expect(byName['postgresql.log']!.layout).toBe('postgresql');
    expect(byName['u_ex240115.log']!.layout).toBe('w3c');
    for (const f of out.files) {
      expect(f.unparsed_lines, f.source).toBe(0);
      expect(f.records + f.continuation_lines, f.source).toBe(f.lines);
    }
    expect(out.levels.unknown).toBe(0);
    expect(out.without_time).toBe(0);
  });

  it('errors finds the 5xx requests and the error-level lines of every layout', async () => {
    const r = await runCli(['errors', ACCESS, SYSLOG, NGINX_ERR, PG, IIS, '--json']);
    const out = JSON.parse(r.stdout) as { total: number; clusters: { samples: { source: string }[]; count: number }[] };
    // access 502, syslog <11> (err), nginx [error], PostgreSQL ERROR, IIS 500.
    expect(out.total).toBe(5);
    const sources = out.clusters.flatMap((c) => c.samples.map((s) => path.basename(s.source).replace(/:\d+$/, '')));
    expect(new Set(sources)).toEqual(new Set(['access.log', 'messages', 'error.log', 'postgresql.log', 'u_ex240115.log']));
  });

  it('slow groups access-log request times by METHOD /path', async () => {
    const r = await runCli(['slow', ACCESS, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { records_with_duration: number; groups: { key: { operation: string }; count: number; max_ms: number }[] };
    expect(out.records_with_duration).toBe(6);
    const groups = Object.fromEntries(out.groups.map((g) => [g.key.operation, g]));
    expect(Object.keys(groups).sort()).toEqual(['GET /api/items', 'GET /missing', 'POST /api/pay']);
    expect(groups['GET /api/items']!.count).toBe(3);
    expect(groups['POST /api/pay']!.max_ms).toBe(2500);
  });

  it('tail --level warn shows the warn and error records of text logs', async () => {
    const r = await runCli(['tail', '--level', 'warn', '--json'], { stdin: [...readLines(ACCESS), ...readLines(SYSLOG)].join('\n') + '\n' });
    expect(r.code).toBe(0);
    const shown = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level?: string; record?: { msg: string } }).filter((x) => x.record);
    expect(shown.map((x) => x.level)).toEqual(['error', 'warn', 'error', 'warn']);
    expect(shown.map((x) => x.record!.msg)).toEqual(['POST /api/pay HTTP/1.1', 'GET /missing HTTP/1.1', 'payment backend unreachable', 'warning: retrying in 5s']);
  });
});

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}
