import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../../src/formats/layouts/index.js';
import { LANGUAGE_LAYOUTS } from '../../../src/formats/layouts/languages.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { readSources } from '../../../src/read/index.js';
import type { FileStats, LogRecord } from '../../../src/types.js';
import { put, tmp } from '../read/helpers.js';

const ctx = { year: 2024, now: Date.UTC(2024, 6, 1), memory: {} };

/** The first layout of the registry (in order) that reads the line, and what it read. */
function first(line: string): { name: string; obj: Record<string, unknown> } | undefined {
  for (const l of LAYOUTS) {
    const obj = l.parse(line, ctx);
    if (obj) return { name: l.name, obj };
  }
  return undefined;
}

/** Reads a file the test writes, with the real normalizer. */
async function readText(text: string): Promise<{ records: LogRecord[]; stats: FileStats }> {
  const p = put(tmp(), 'app.log', text);
  const records: LogRecord[] = [];
  const stats = await readSources([{ name: p, path: p }], { normalizer: createNormalizer(), onRecord: (r) => records.push(r) }, () => undefined);
  return { records, stats: stats[0]! };
}

describe('language layouts pick the line they were written for', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['INFO:root:cache warmed in 3.2s', 'python-default', { level: 'INFO', logger: 'root' }],
    ['2024-03-01 09:00:00,001 - billing.api - WARNING - quota at 91%', 'python-dash', { level: 'WARNING', logger: 'billing.api' }],
    ['2024-03-01 09:00:00,002 CRITICAL billing.db: connection pool exhausted', 'python', { level: 'CRITICAL', logger: 'billing.db', msg: 'connection pool exhausted' }],
    ['[2024-03-01 09:00:00 +0000] [811] [ERROR] Exception in worker process', 'gunicorn', { pid: 811, level: 'ERROR' }],
    ['[2024-03-01 09:00:00,003: WARNING/MainProcess] consumer: Connection to broker lost.', 'celery', { thread: 'MainProcess' }],
    ['2024-03-01 09:00:00.004 | ERROR    | shop.api:checkout:41 - payment declined', 'loguru', { function: 'checkout', line: 41 }],
    ['MainThread::WARNING::2024-03-01 09:00:00,005::vm::120::virt.vm::(_run) slow start', 'python-vdsm', { logger: 'virt.vm' }],
    ['2024-03-01T09:00:00.006+01:00  INFO 4242 --- [shop] [nio-8080-exec-1] c.e.shop.CartController : cart 7 updated', 'spring-boot', { pid: 4242, service: 'shop' }],
    ['2024-03-01 09:00:00,007 [myid:2] - ERROR [main:QuorumPeerMain@98] - Unexpected exception, exiting abnormally', 'zookeeper', { logger: 'QuorumPeerMain' }],
    ['2024-03-01 09:00:00.008 WARN  (qtp-12) [c:logs s:shard2 r:core_node4 x:logs_shard2_replica_n3] o.a.s.u.UpdateLog slow commit', 'solr', { shard: 'shard2' }],
    ['[2024-03-01T09:00:00,009][ERROR][o.e.b.ElasticsearchUncaughtExceptionHandler] [node-2] fatal error in thread [main]', 'elasticsearch', { node: 'node-2' }],
    ['[2024-03-01 09:00:00,010] ERROR [Controller id=1] Error completing reassignment (kafka.controller.KafkaController)', 'kafka', { logger: 'kafka.controller.KafkaController' }],
    ['01-Mar-2024 09:00:00.011 WARNING [http-nio-8080-exec-4] org.apache.catalina.loader.WebappClassLoaderBase.clearReferencesThreads thread leak', 'tomcat', { level: 'WARNING' }],
    ['2024-03-01 09:00:00,012 WARN  [org.jboss.as.txn] (MSC service thread 1-2) WFLYTX0013: Node identifier property is set to the default value', 'jboss', { logger: 'org.jboss.as.txn' }],
    ['WARN  [GossipStage:1] 2024-03-01 09:00:00,013 Gossiper.java:1012 - Node /10.0.0.3 is now DOWN', 'log4j-level-first', { logger: 'Gossiper', line: 1012 }],
    ['2024-03-01 09:00:00,014 ERROR [pool-2-thread-1] com.example.jobs.Nightly - job failed', 'log4j', { thread: 'pool-2-thread-1', logger: 'com.example.jobs.Nightly' }],
    ['I, [2024-03-01T09:00:00.015000 #77]  INFO -- : [0f4c1a2b-3d5e-4f60-8a9b-0c1d2e3f4a5b] Started POST "/orders" for 10.1.2.3 at 2024-03-01 09:00:00 +0000', 'ruby-logger', { method: 'POST', request_id: '0f4c1a2b-3d5e-4f60-8a9b-0c1d2e3f4a5b' }],
    ['Started DELETE "/sessions/1" for 10.1.2.3 at 2024-03-01 09:00:00 +0000', 'rails', { method: 'DELETE', path: '/sessions/1' }],
    ['~ Started request handling: Fri Mar 01 09:00:00 +0000 2024', 'merb', { time: '2024-03-01T09:00:00+00:00' }],
    ['[2024-03-01 09:00:00] production.CRITICAL: Disk full {"disk":"/var"} []', 'monolog', { logger: 'production', context: { disk: '/var' } }],
    ['2024-03-01 09:00:00.016 +00:00 [WRN] Health check degraded', 'serilog', { level: 'WRN' }],
    ['2024-03-01 09:00:00.0170|ERROR|Shop.Api.Startup|Unhandled exception', 'nlog', { logger: 'Shop.Api.Startup' }],
  ];
  for (const [line, name, fields] of cases) {
    it(`${name}: ${line.slice(0, 60)}`, () => {
      const got = first(line);
      expect(got?.name).toBe(name);
      expect(got!.obj).toMatchObject(fields);
    });
  }

  it('leaves lines of other formats to their own layouts', () => {
    const others = [
      'Jan 15 10:30:45 web-1 sshd[812]: Failed password for root from 10.0.0.9 port 50022 ssh2',
      '<34>1 2024-01-15T10:30:45.123Z web-1 app 812 ID47 - started',
      '10.0.0.9 - - [15/Jan/2024:10:30:45 +0000] "GET /health HTTP/1.1" 200 2 "-" "curl/8.0"',
      'level=info msg="request done" duration=12ms trace_id=4bf92f3577b34da6',
      'I0115 10:30:45.123456       1 controller.go:120] Starting controller',
      '2024/01/15 10:30:45 listening on :8080',
      '    at com.example.Service.run(Service.java:42)',
      'Traceback (most recent call last):',
      '2024-01-15T10:30:45.123-0700    ERROR   api/server.go:88     request failed   {"status": 500}',
      '2024-01-15 10:30:45 ERROR {"msg":"a JSON record after a text prefix"}',
    ];
    for (const line of others) for (const l of LANGUAGE_LAYOUTS) expect(l.parse(line, ctx), `${l.name} on ${line}`).toBeUndefined();
  });
});

describe('language layouts through the reader', () => {
  it('attaches a Java stack trace, Caused by and "... more" to the record before it', async () => {
    const { records, stats } = await readText(
      [
        '2024-03-01 09:00:00,001 INFO  [main] com.example.App - starting',
        '2024-03-01 09:00:01,002 ERROR [main] com.example.App - startup failed',
        'java.lang.IllegalStateException: port 8080 in use',
        '\tat com.example.net.Server.bind(Server.java:88)',
        '\tat com.example.App.main(App.java:12)',
        'Caused by: java.net.BindException: Address already in use',
        '\tat java.base/sun.nio.ch.Net.bind0(Native Method)',
        '\t... 2 more',
        '2024-03-01 09:00:02,003 WARN  [main] com.example.App - shutting down',
      ].join('\n') + '\n',
    );
    expect(records.map((r) => r.level)).toEqual(['info', 'error', 'warn']);
    expect(records[1]!.continuation).toHaveLength(6);
    expect(records[1]!.continuation[0]).toBe('java.lang.IllegalStateException: port 8080 in use');
    expect(records[1]!.component).toBe('com.example.App');
    expect(stats.unparsed_lines).toBe(0);
  });

  it('attaches a Python traceback and keeps a file of Python layouts on one layout', async () => {
    const { records, stats } = await readText(
      [
        '2024-03-01 09:00:00,001 INFO worker: started',
        '2024-03-01 09:00:01,002 ERROR worker: task failed',
        'Traceback (most recent call last):',
        '  File "/app/worker.py", line 12, in run',
        '    1 / 0',
        'ZeroDivisionError: division by zero',
        '2024-03-01 09:00:02,003 WARNING worker: retrying',
      ].join('\n') + '\n',
    );
    expect(records.map((r) => r.level)).toEqual(['info', 'error', 'warn']);
    expect(records[1]!.continuation).toHaveLength(4);
    expect(records[1]!.continuation.at(-1)).toBe('ZeroDivisionError: division by zero');
    expect(stats.unparsed_lines).toBe(0);
  });

  it('reads a Rails request: Completed gives status, duration and a level, other lines attach', async () => {
    const { records, stats } = await readText(
      [
        'Started GET "/orders/9" for 10.0.0.7 at 2024-03-01 09:00:00 +0000',
        'Processing by OrdersController#show as HTML',
        '  Parameters: {"id"=>"9"}',
        'Completed 500 Internal Server Error in 31ms (ActiveRecord: 2.0ms)',
        '',
        'ActiveRecord::RecordNotFound (Couldn\'t find Order with \'id\'=9):',
        '',
        'Started GET "/health" for 10.0.0.8 at 2024-03-01 09:00:05 +0000',
        'Completed 200 OK in 1ms',
      ].join('\n') + '\n',
    );
    expect(records.map((r) => r.level)).toEqual(['info', 'error', 'info', 'info']);
    expect(records[1]!.durationMs).toBe(31);
    expect(records[1]!.time).toBe(Date.UTC(2024, 2, 1, 9, 0, 0));
    expect(records[1]!.raw.status).toBe(500);
    expect(stats.unparsed_lines).toBe(0);
  });

  it('reads Spring Boot trace ids from the correlation group', async () => {
    const { records } = await readText(
      '2024-03-01T09:00:00.000Z ERROR 12 --- [orders] [nio-8080-exec-2] [4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7] c.e.o.OrderController : order failed\n',
    );
    expect(records[0]!.ids).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(records[0]!.service).toBe('orders');
  });

  it('attaches a Monolog stack trace and reads the context', async () => {
    const { records, stats } = await readText(
      [
        '[2024-03-01 09:00:00] production.ERROR: Undefined variable $order {"exception":"[object] (ErrorException(code: 0): Undefined variable $order at /var/www/app/Http/Controllers/OrderController.php:41)',
        '[stacktrace]',
        '#0 /var/www/vendor/laravel/framework/src/Illuminate/Foundation/Bootstrap/HandleExceptions.php(255): handleError()',
        '#1 {main}',
        '"} ',
        '[2024-03-01 09:00:01] production.INFO: Order shipped {"order_id":9} []',
      ].join('\n') + '\n',
    );
    expect(records.map((r) => r.level)).toEqual(['error', 'info']);
    expect(records[0]!.continuation).toHaveLength(4);
    expect(records[1]!.raw.context).toEqual({ order_id: 9 });
    expect(stats.unparsed_lines).toBe(0);
  });
});
