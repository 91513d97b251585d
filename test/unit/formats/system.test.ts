import { describe, expect, it } from 'vitest';
import { SYSTEM_LAYOUTS } from '../../../src/formats/layouts/system.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { readSources } from '../../../src/read/index.js';
import { LayoutChooser } from '../../../src/read/layout-chooser.js';
import type { FileStats, LogRecord } from '../../../src/types.js';
import { put, tmp } from '../read/helpers.js';

const NOW = Date.UTC(2024, 6, 1);
const ctx = { year: 2024, now: NOW, memory: {} };
const layout = (name: string) => SYSTEM_LAYOUTS.find((l) => l.name === name)!;

/** The layout the chooser picks for a line that opens a file. */
function detect(line: string): string | undefined {
  return new LayoutChooser(undefined, NOW).parse(line)?.layout.name;
}

async function readText(name: string, text: string): Promise<{ records: LogRecord[]; stats: FileStats }> {
  const file = put(tmp(), name, text);
  const records: LogRecord[] = [];
  const stats = await readSources([{ name, path: file }], { normalizer: createNormalizer(), onRecord: (r) => records.push(r) }, () => {});
  return { records, stats: stats[0]! };
}

describe('system layouts: detection picks the right layout', () => {
  const cases: [string, string][] = [
    ['Jan 15 10:30:45 web-1 sshd[4121]: Accepted publickey for deploy from 10.0.0.4 port 50122 ssh2', 'syslog'],
    ['<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8', 'syslog'],
    ['2024-01-15T10:30:45.123456+00:00 web-1 systemd[1]: Started Daily apt upgrade.', 'syslog'],
    ['<165>1 2024-01-15T10:30:45.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] An application event', 'syslog5424'],
    ['2024-01-15T10:30:45.193Z info vpxd[45715] [Originator@6876 sub=vpxLro opID=7e1280cf] [VpxLRO] -- BEGIN lro-1', 'vmware'],
    ['10.0.0.7 - - [15/Jan/2024:10:30:45 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.4.0"', 'access-log'],
    ['2024/01/15 10:30:45 [warn] 7#7: *3 an upstream response is buffered to a temporary file', 'nginx-error'],
    ['[Mon Jan 15 10:30:45.123456 2024] [mpm_event:notice] [pid 1:tid 140] AH00489: Apache/2.4.58 configured', 'apache-error'],
    ['2024-01-15 10:30:45.123 UTC [4121] FATAL:  password authentication failed for user "shop"', 'postgresql'],
    ['2024-01-15T10:30:45.123456Z 12 [ERROR] [MY-013183] [InnoDB] Assertion failure', 'mysql-error'],
    ['1:M 15 Jan 2024 10:30:45.123 # Server initialized', 'redis'],
    ['2024-01-15 10:30:45.123456+00:00 [warning] <0.550.0> Queue nearing memory threshold', 'rabbitmq'],
    ['2024-01-15T10:30:45.450+0000 W STORAGE  [initandlisten] Detected unclean shutdown', 'mongodb'],
    ['[4121]{-1}[-1/-1] 2024-01-15 10:30:45.123456 w Backup   BackupMgr.cpp(00245) : Backup slow', 'saphana'],
    ['[ns_server:warn,2024-01-15T10:30:45.452Z,ns_1@10.0.0.3:<0.1.0>:index_updater]Index build slow', 'couchbase'],
    ['10:30:45.123456 openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3 <0.000020>', 'strace'],
    ['@4000000065a508ff1b2e0d2c qmail-send: status: local 0/10 remote 0/20', 'tai64n'],
    ['[2024-01-15T10:30:45.240+0000][4121][gc,heap     ] GC(3) Eden regions: 48->0(47)', 'jvm-unified'],
    ['type=SERVICE_START msg=audit(1705314645.123:912): pid=1 uid=0 msg=\'unit=nginx comm="systemd" res=success\'', 'auditd'],
    ['[pid: 9|app: 0|req: 1/1] 10.0.0.1 () {40 vars in 700 bytes} [Mon Jan 15 10:30:45 2024] GET /x => generated 2 bytes in 3 msecs (HTTP/1.1 200) 2 headers in 70 bytes (1 switches on core 0)', 'uwsgi'],
  ];
  for (const [line, name] of cases) it(`${name}: ${line.slice(0, 50)}`, () => expect(detect(line)).toBe(name));

  it('does not read shapes that belong to other layouts', () => {
    for (const line of [
      '2024-01-15 10:30:45,123 - app.db - ERROR - connection lost',
      '2024-01-15T10:30:45.123Z INFO [main] c.e.App - started',
      'level=info msg="started" duration=12ms',
      'I0115 10:30:45.123456       1 main.go:12] started',
      '{"level":"info","msg":"x"}',
      'plain words without any time',
    ]) {
      for (const l of SYSTEM_LAYOUTS) expect(l.parse(line, ctx), `${l.name} read ${line}`).toBeUndefined();
    }
  });
});

describe('system layouts: records feed the analyses like JSON records', () => {
  it('access log: METHOD /path operation, status, level from status, request time in seconds or microseconds', async () => {
    const { records, stats } = await readText('access.log', [
      '10.0.0.1 - - [15/Jan/2024:10:30:45 +0000] "GET /api/items?page=2 HTTP/1.1" 200 512 "-" "curl/8" 0.120',
      '10.0.0.2 - bob [15/Jan/2024:10:30:46 +0000] "POST /api/pay HTTP/1.1" 503 0 "https://shop.example/" "Mozilla/5.0" 2.500',
      '10.0.0.3 - - [15/Jan/2024:10:30:47 +0000] "GET /missing HTTP/1.0" 404 9 "-" "Wget" 1500',
      '',
    ].join('\n'));
    expect(stats.layouts).toEqual({ 'access-log': 3 });
    expect(records.map((r) => r.operation)).toEqual(['GET /api/items', 'POST /api/pay', 'GET /missing']);
    expect(records.map((r) => r.level)).toEqual(['info', 'error', 'warn']);
    expect(records.map((r) => r.durationMs)).toEqual([120, 2500, 1.5]);
    expect(records[0]!.time).toBe(Date.UTC(2024, 0, 15, 10, 30, 45));
    expect(records[1]!.raw.referer).toBe('https://shop.example/');
    expect(records[0]!.raw.referer).toBeUndefined();
  });

  it('syslog: level from PRI, else a leading level word, else info; program as service; TAB lines continue', async () => {
    const { records, stats } = await readText('messages', [
      '<11>Jan 15 10:30:45 web-1 app[7]: payment backend unreachable',
      'Jan 15 10:30:46 web-1 app[7]: warning: retrying in 5s',
      'Jan 15 10:30:47 web-1 syslogd[314]: Configuration Notice:',
      '\tASL Module "com.apple.install" claims selected messages.',
      'Jan 15 10:30:48 web-1 cron[900]: (root) CMD (backup)',
      '',
    ].join('\n'));
    expect(stats.unparsed_lines).toBe(0);
    expect(stats.continuation_lines).toBe(1);
    expect(records.map((r) => r.level)).toEqual(['error', 'warn', 'info', 'info']);
    expect(records.map((r) => r.service)).toEqual(['app', 'app', 'syslogd', 'cron']);
    // The year is not written: it is this year's (or last year's for a date ahead of now).
    expect(new Date(records[0]!.time!).toISOString().slice(4)).toBe('-01-15T10:30:45.000Z');
  });

  it('syslog RFC 5424: structured-data parameters become fields, ids among them are ids', async () => {
    const { records } = await readText('5424.log', '<163>1 2024-01-15T10:30:45.123Z web-1 checkout 4121 PAY [meta@32473 trace_id="4bf92f35" region="eu-1"] charge declined\n');
    expect(records[0]!.level).toBe('error');
    expect(records[0]!.ids).toContain('4bf92f35');
    expect(records[0]!.raw.region).toBe('eu-1');
    expect(records[0]!.service).toBe('checkout');
  });

  it('W3C: directive lines are metadata (not unparsed), #Fields names the columns', async () => {
    const { records, stats } = await readText('u_ex240115.log', [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2024-01-15 10:30:00',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip sc-status time-taken',
      '2024-01-15 10:30:45 10.0.0.4 GET /api/items - 443 203.0.113.7 200 31',
      '2024-01-15 10:30:46 10.0.0.4 POST /api/pay - 443 203.0.113.7 500 1532',
      '',
    ].join('\n'));
    expect(stats.unparsed_lines).toBe(0);
    expect(stats.records).toBe(2);
    expect(stats.continuation_lines).toBe(4);
    expect(records.map((r) => [r.operation, r.level, r.durationMs])).toEqual([['GET /api/items', 'info', 31], ['POST /api/pay', 'error', 1532]]);
  });

  it('Zeek: header lines are metadata, columns by #fields, uid is an id', async () => {
    const { records, stats } = await readText('http.log', [
      '#separator \\x09',
      '#path\thttp',
      '#fields\tts\tuid\tid.orig_h\tmethod\thost\turi\tstatus_code',
      '#types\ttime\tstring\taddr\tstring\tstring\tstring\tcount',
      '1705314645.100000\tCab12XyZ\t10.0.0.5\tGET\tshop.example\t/api/items\t503',
      '#close\t2024-01-15-11-00-00',
      '',
    ].join('\n'));
    expect(stats.unparsed_lines).toBe(0);
    expect(records).toHaveLength(1);
    expect(records[0]!.level).toBe('error');
    expect(records[0]!.ids).toContain('Cab12XyZ');
  });

  it('PostgreSQL: STATEMENT/DETAIL lines and statement bodies continue the message', async () => {
    const { records, stats } = await readText('postgresql.log', [
      '2024-01-15 10:30:45.123 UTC [4121] ERROR:  duplicate key value violates unique constraint "orders_pkey"',
      '2024-01-15 10:30:45.123 UTC [4121] DETAIL:  Key (id)=(7) already exists.',
      '2024-01-15 10:30:45.123 UTC [4121] STATEMENT:  INSERT INTO orders (id, total)',
      '\tVALUES (7, 12.5);',
      '2024-01-15 10:30:46.500 UTC [4122] LOG:  duration: 1532.118 ms  statement: SELECT 1',
      '',
    ].join('\n'));
    expect(stats.unparsed_lines).toBe(0);
    expect(records.map((r) => r.level)).toEqual(['error', 'info']);
    expect(records[0]!.continuation).toHaveLength(3);
    expect(records[1]!.durationMs).toBe(1532.118);
  });

  it('MySQL slow query log: a record per query with the time of its # Time: line', async () => {
    const { records, stats } = await readText('slow.log', [
      '# Time: 2024-01-15T10:30:45.111111Z',
      '# User@Host: shop[shop] @ app-1 [10.0.0.8]',
      '# Query_time: 3.103221  Lock_time: 0.000150 Rows_sent: 1  Rows_examined: 10000',
      'SET timestamp=1705314645;',
      'SELECT * FROM orders WHERE total > 1000;',
      '',
    ].join('\n'));
    expect(stats.unparsed_lines).toBe(0);
    expect(records).toHaveLength(1);
    expect(records[0]!.time).toBeCloseTo(Date.parse('2024-01-15T10:30:45.111Z'), 0);
    expect(records[0]!.durationMs).toBeCloseTo(3103.221);
  });

  it('strace: syscall as operation, <seconds> as duration, failures warn', () => {
    const o = layout('strace').parse('4121 1705314645.000541 connect(3, {sa_family=AF_INET, sin_port=htons(5432)}, 16) = -1 ECONNREFUSED (Connection refused) <0.000088>', ctx)!;
    expect(o).toMatchObject({ operation: 'connect', level: 'warn', errno: 'ECONNREFUSED', pid: 4121 });
    expect(o.duration_ms).toBeCloseTo(0.088);
  });

  it('auditd: failed results warn, key=value pairs (inner msg too) are fields', () => {
    const o = layout('auditd').parse('type=USER_AUTH msg=audit(1705314645.123:77): pid=9 uid=0 msg=\'op=PAM:authentication acct="admin" exe="/usr/sbin/sshd" addr=203.0.113.9 res=failed\'', ctx)!;
    expect(o).toMatchObject({ time: 1705314645123, level: 'warn', acct: 'admin', addr: '203.0.113.9', audit_id: '77' });
  });
});
