import { describe, expect, it } from 'vitest';
import { leadingTime, slashDate } from '../../../src/formats/kv-time.js';
import { goLog, genericLevel, genericTime } from '../../../src/formats/layouts/generic.js';
import { calico, epochTag, goPanic, hclog, klog, logfmt, zapConsole } from '../../../src/formats/layouts/keyvalue.js';
import { scanned, scanPairs, trailingPairsStart, unquote } from '../../../src/formats/layouts/kv/logfmt.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { RecordAssembler } from '../../../src/read/assemble.js';
import type { FileStats, JsonObject, LogRecord } from '../../../src/types.js';

const ctx = { year: 2024, now: Date.UTC(2024, 6, 1), memory: {} };

/** Reads lines as a file would be read, with the real alias table. */
function assemble(lines: string[]): { records: LogRecord[]; stats: FileStats } {
  const records: LogRecord[] = [];
  const a = new RecordAssembler('t.log', { normalizer: createNormalizer({ tz: 'UTC' }), onRecord: (r) => records.push(r), seq: { next: 0 } });
  const buf = Buffer.from(lines.join('\n') + '\n');
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
    a.line(buf, start, i);
    start = i + 1;
  }
  a.flush();
  return { records, stats: a.stats };
}

describe('logfmt scanner', () => {
  it('reads bare and quoted values, escapes, empty values and bare keys', () => {
    const o: JsonObject = {};
    scanPairs('a=1 b="two words" c="say \\"hi\\"\\n\\tend\\\\" d= e f=x=y g="\\u00e9"', 0, o);
    expect(o).toEqual({ a: '1', b: 'two words', c: 'say "hi"\n\tend\\', d: '', e: true, f: 'x=y', g: 'é' });
    expect(scanned).toEqual({ pairs: 6, bare: 1 });
  });
  it('keeps a bracketed Go value whole and the first of repeated keys', () => {
    const o: JsonObject = {};
    scanPairs('conn=&Typha{Addr:"", IP:"10.0.0.1"} component=logs component=stage', 0, o);
    expect(o).toEqual({ conn: '&Typha{Addr:"", IP:"10.0.0.1"}', component: 'logs' });
  });
  it('survives an unterminated quote and stray quotes', () => {
    const o: JsonObject = {};
    scanPairs('msg="never closed k=v', 0, o);
    expect(o.msg).toBe('never closed k=v');
    expect(() => scanPairs('"x" =y ""', 0, {})).not.toThrow();
  });
  it('finds where trailing pairs begin in free text', () => {
    expect(trailingPairsStart('Pong sent connID=0x0 type=""')).toBe(10);
    expect(trailingPairsStart('set a=b for now')).toBe(-1);
    expect(trailingPairsStart('k=v')).toBe(0);
    expect(unquote('a\\"b', 0, 4)).toBe('a"b');
  });
});

describe('logfmt layout', () => {
  it('reads go-kit, logrus TextFormatter and Grafana lines', () => {
    expect(logfmt.parse('level=info ts=2024-01-15T10:30:45.123Z caller=main.go:12 msg="started"', ctx)).toMatchObject({ level: 'info', caller: 'main.go:12', msg: 'started' });
    expect(logfmt.parse('time="2024-01-15T10:30:45-05:00" level=warning msg="disk low"', ctx)).toMatchObject({ level: 'warning', msg: 'disk low' });
    expect(logfmt.parse('logger=sqlstore t=2024-01-15T10:30:45.1Z level=error msg="db locked"', ctx)).toMatchObject({ logger: 'sqlstore', level: 'error' });
  });
  it('does not take prose holding one pair, nor lines that open with a word', () => {
    expect(logfmt.parse('retries=3 is the default', ctx)).toBeUndefined();
    expect(logfmt.parse('Connection closed remote=10.0.0.1 code=5', ctx)).toBeUndefined();
    expect(logfmt.parse('a=b', ctx)).toBeUndefined();
    expect(logfmt.parse('x(a=1, b=2)', ctx)).toBeUndefined();
    expect(logfmt.parse('=x level=info', ctx)).toBeUndefined();
    expect(logfmt.parse('level=error', ctx)).toEqual({ level: 'error' });
    expect(logfmt.parse('user=bob action=login', ctx)).toEqual({ user: 'bob', action: 'login' });
  });
  it('feeds the alias table: level, time, message, ids, duration, component', () => {
    const { records } = assemble(['ts=2024-01-15T10:30:45.123Z level=warn logger=api msg="slow request" method=GET path=/orders duration=1.5s traceID=4bf92f3577b34da6 request_id=r-1']);
    const r = records[0];
    expect(r.level).toBe('warn');
    expect(r.time).toBe(Date.UTC(2024, 0, 15, 10, 30, 45, 123));
    expect(r.message).toBe('slow request');
    expect(r.ids).toEqual(expect.arrayContaining(['4bf92f3577b34da6', 'r-1']));
    expect(r.durationMs).toBe(1500);
    expect(r.component).toBe('api');
    expect(r.operation).toBe('GET /orders');
  });
  it('reads a yyyy/mm/dd time value', () => {
    expect(slashDate('2024/01/15 10:30:45')).toBe('2024-01-15 10:30:45');
    const { records } = assemble(['time="2024/01/15 10:30:45" level=info msg=x']);
    expect(records[0].time).toBe(Date.UTC(2024, 0, 15, 10, 30, 45));
  });
  it('attaches a Go goroutine dump to the record before it', () => {
    const { records, stats } = assemble([
      'level=error ts=2024-01-15T10:30:46Z msg="recovered" err=boom',
      'goroutine 7 [running]:',
      'runtime/debug.Stack()',
      '\t/usr/local/go/src/runtime/debug/stack.go:24 +0x5e',
      'main.(*Worker).run.func1()',
      '\t/app/worker.go:41 +0x45',
      'created by main.main in goroutine 1',
      '\t/app/main.go:12 +0x8f',
      'level=info ts=2024-01-15T10:30:47Z msg=restarted',
    ]);
    expect(records.map((r) => r.continuation.length)).toEqual([7, 0]);
    expect(stats.unparsed_lines).toBe(0);
    expect(records[0].stack).toContain('main.(*Worker).run.func1()');
  });
});

describe('Go-ecosystem layouts', () => {
  it('klog: severity letter, year from the context, structured pairs', () => {
    const o = klog.parse('E0115 10:30:45.123456    1 kubelet.go:2410] "Error syncing pod" err="context deadline exceeded" pod="default/web"', ctx)!;
    expect(o).toMatchObject({ level: 'error', time: '2024-01-15T10:30:45.123456', msg: 'Error syncing pod', err: 'context deadline exceeded', pod: 'default/web', thread: '1', caller: 'kubelet.go:2410' });
    expect(klog.parse('I1231 23:00:00.000000 1 a.go:1] late', ctx)!.time).toBe('2023-12-31T23:00:00.000000');
    expect(klog.parse('I1399 10:30:45.1 1 a.go:1] bad month', ctx)).toBeUndefined();
    expect(klog.parse('Info: nothing', ctx)).toBeUndefined();
  });
  it('hclog: logger, message and pairs after the last colon', () => {
    expect(hclog.parse('2024-01-15T10:30:45.123Z [WARN]  core.cluster: heartbeat missed: peer=node-2 after=3s', ctx)).toMatchObject({ level: 'WARN', logger: 'core.cluster', msg: 'heartbeat missed', peer: 'node-2', after: '3s' });
    expect(hclog.parse('2024-01-15T10:30:45.123Z [INFO]  proxy environment: http_proxy="" https_proxy=""', ctx)).toMatchObject({ msg: 'proxy environment', http_proxy: '' });
  });
  it('calico: pid, caller, message and trailing pairs', () => {
    expect(calico.parse('2024-01-15 10:30:45.123 [ERROR][42] felix/route_table.go 837: Failed to sync routes error=timeout ifaceName="cali12"', ctx)).toMatchObject({ level: 'ERROR', pid: '42', caller: 'felix/route_table.go:837', msg: 'Failed to sync routes', error: 'timeout', ifaceName: 'cali12' });
  });
  it('zap console: logger, caller, message and the trailing JSON fields', () => {
    const o = zapConsole.parse('2024-01-15T10:30:45.123Z\terror\tpayments\tsvc/pay.go:10\tcharge failed\t{"trace_id": "abc123", "amount": 12}', ctx)!;
    expect(o).toMatchObject({ level: 'error', logger: 'payments', caller: 'svc/pay.go:10', msg: 'charge failed', trace_id: 'abc123', amount: 12 });
    expect(zapConsole.parse('2024-01-15T10:30:45.123Z\tnot-a-level\tx', ctx)).toBeUndefined();
    expect(zapConsole.parse('2024-01-15T10:30:45.123Z\t\x1b[31mERROR\x1b[0m\tboom', ctx)).toMatchObject({ level: 'ERROR', msg: 'boom' });
  });
  it('zap console: a stack trace of unindented function lines attaches', () => {
    const { records, stats } = assemble([
      '2024-01-15T10:30:45.123Z\terror\tq/sender.go:12\tExport failed\t{"error": "timeout"}',
      'go.example.com/q.(*Sender).send',
      '\tgo.example.com/q/sender.go:12',
      '2024-01-15T10:30:46.000Z\tinfo\tdone',
    ]);
    expect(records.map((r) => [r.level, r.continuation.length])).toEqual([['error', 2], ['info', 0]]);
    expect(records[0].errorMessage).toBe('timeout');
    expect(stats.layouts).toEqual({ 'zap-console': 2 });
  });
  it('epoch [tag] pairs: time in seconds, tag, level by convention', () => {
    expect(epochTag.parse('1705314645.5 [mailer] id=7 to="a@b.c"', ctx)).toMatchObject({ time: '1705314645.5', logger: 'mailer', level: 'info', id: '7', to: 'a@b.c' });
    expect(epochTag.parse('1705314645 [warn] queue full size=10', ctx)).toMatchObject({ level: 'warn', msg: 'queue full', size: '10' });
    const { records } = assemble(['1705314645.5 [mailer] id=7']);
    expect(records[0].time).toBe(1705314645500);
  });
  it('Go panic: level fatal, the goroutine dump as continuation', () => {
    expect(goPanic.parse('panic: boom', ctx)).toEqual({ level: 'fatal', msg: 'panic: boom' });
    expect(goPanic.parse('panicked: no', ctx)).toBeUndefined();
    const { records, stats } = assemble(['panic: boom', '', 'goroutine 1 [running]:', 'main.main()', '\t/app/main.go:5 +0x1d', 'exit status 2']);
    expect(records.length).toBe(1);
    expect(stats.continuation_lines).toBe(5);
  });
});

describe('generic fallbacks', () => {
  it('leading times: ISO with T or space, fractions, zones, slashes, brackets', () => {
    expect(leadingTime('2024-01-15T10:30:45.123Z x')).toEqual({ time: '2024-01-15T10:30:45.123Z', end: 24 });
    expect(leadingTime('2024-01-15 10:30:45,123 +0100 x')?.time).toBe('2024-01-15T10:30:45.123+0100');
    expect(leadingTime('2024/01/15 10:30:45 x')?.time).toBe('2024-01-15T10:30:45');
    expect(leadingTime('[2024-01-15 10:30:45] x')?.time).toBe('2024-01-15T10:30:45');
    expect(leadingTime('[2024-01-15 10:30:45 x')).toBeUndefined();
    expect(leadingTime('2024-01-15 10:30:45 Zookeeper up')?.time).toBe('2024-01-15T10:30:45');
    expect(leadingTime('2024-01-15-10:30:45')).toBeUndefined();
  });
  it('Go standard log: caller, level from a leading word, else info', () => {
    expect(goLog.parse('2024/01/15 10:30:45 server started', ctx)).toMatchObject({ level: 'info', msg: 'server started', time: '2024-01-15T10:30:45' });
    expect(goLog.parse('2024/01/15 10:30:45.123456 db.go:9: ERROR: ping failed', ctx)).toMatchObject({ level: 'ERROR', caller: 'db.go:9', msg: 'ping failed' });
  });
  it('timestamp, level, message in its separators', () => {
    const lines = ['2024-01-15 10:30:45 | WARN | low disk', '2024-01-15 10:30:45,123:ERROR:boom', '2024-01-15T10:30:45Z [info] ok', '2024-01-15 10:30:45.1 WARNING - almost', '2024-01-15 10:30:45 notice: hello'];
    expect(lines.map((l) => genericLevel.parse(l, ctx)?.level)).toEqual(['WARN', 'ERROR', 'info', 'WARNING', 'notice']);
    expect(genericLevel.parse('2024-01-15 10:30:45 Alert sent to ops', ctx)).toBeUndefined();
    expect(genericLevel.parse('2024-01-15 10:30:45 request done', ctx)).toBeUndefined();
  });
  it('timestamp, message: level by the documented first-word rule', () => {
    const lv = (l: string) => genericTime.parse(l, ctx)?.level;
    expect(lv('2024-01-15 10:30:45 request done')).toBe('info');
    expect(lv('2024-01-15 10:30:45 Failed to open /tmp/x')).toBe('error');
    expect(lv('2024-01-15 10:30:45 Warning: cache cold')).toBe('warn');
    expect(lv('2024-01-15 10:30:45 the error count is 0')).toBe('info');
    expect(genericTime.parse('2024-01-15 10:30:45', ctx)).toBeUndefined();
  });
  it('fallbacks take indented continuation lines and tracebacks, and do not steal specific lines', () => {
    const { records, stats } = assemble([
      '2024-01-15T10:30:45.100Z | ERROR | request failed',
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      'ValueError: bad',
      '2024-01-15T10:30:46.000Z | INFO | next',
      'level=info msg="a logfmt line" k=v',
    ]);
    expect(records.map((r) => r.continuation.length)).toEqual([3, 0, 0]);
    expect(stats.layouts).toEqual({ 'generic-level': 2, logfmt: 1 });
  });
});

describe('generic fallbacks and JSON after a prefix', () => {
  it('leave a line whose message is a JSON object to the JSON reader, even as the file layout', () => {
    expect(genericLevel.parse('2024-01-15 10:30:45 ERROR {"msg":"x"}', ctx)).toBeUndefined();
    const { records, stats } = assemble(['2024-01-15 10:30:44 INFO plain text', '2024-01-15 10:30:45 ERROR {"msg":"from json","order":7}']);
    expect(records[1]).toMatchObject({ level: 'error', message: 'from json', raw: { order: 7 } });
    // The first line goes to a text layout (log4j's pattern reads it too), the second to JSON.
    expect(stats.layouts.json).toBe(1);
    expect(stats.records).toBe(2);
  });
});

describe('level words that open a sentence', () => {
  it('give the level and stay in the message; level tokens are taken off', () => {
    expect(genericLevel.parse('2024-01-15 10:30:45 Error connecting to db', ctx)).toMatchObject({ level: 'Error', msg: 'Error connecting to db' });
    expect(genericLevel.parse('2024-01-15 10:30:45 Error: connection refused', ctx)).toMatchObject({ level: 'Error', msg: 'connection refused' });
    expect(genericLevel.parse('2024-01-15 10:30:45 ERROR connection refused', ctx)).toMatchObject({ level: 'ERROR', msg: 'connection refused' });
    expect(goLog.parse('2024/01/15 10:30:45 Warning disk almost full', ctx)).toMatchObject({ level: 'Warning', msg: 'Warning disk almost full' });
  });
});
