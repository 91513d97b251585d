import { APP_TIME, ISO, appTime, julTime } from '../../lang-time.js';
import { isoTime, monthNumber, yearFor } from '../../text-time.js';
import type { Layout } from '../../types.js';
import type { JsonObject } from '../../../types.js';

/**
 * Java logger layouts: log4j/logback/log4j2 pattern layouts in their common shapes, Spring Boot's
 * default console/file layout, and the layouts of ZooKeeper, Solr, Cassandra, JBoss/WildFly,
 * Kafka, Tomcat JULI and Elasticsearch. Every one takes the lines that follow a record as its
 * continuation (`any`): stack traces (`\tat …`, `Caused by:`, `... 12 more`) and multi-line
 * messages (config dumps) attach to the record before them.
 */

/** log4j/logback/JUL level words, as written. */
const LEVEL = '(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE|CONFIG|FINE|FINER|FINEST)';
/** Spring Boot / Sleuth / Micrometer correlation: `traceId-spanId` or `app,traceId,spanId[,export]`. */
const CORRELATION = /^(?:([0-9a-f]{16,32})-([0-9a-f]{8,16})|([^,\]]*),([0-9a-f]{16,32}),([0-9a-f]{8,16})(?:,\w*)?)$/;

/** Sets trace/span ids when a bracket group is a correlation group; true when it was one. */
function correlation(group: string, out: JsonObject): boolean {
  const m = CORRELATION.exec(group.trim());
  if (!m) return false;
  out.trace_id = m[1] ?? m[4]!;
  out.span_id = m[2] ?? m[5]!;
  if (m[3]) out.service = m[3];
  return true;
}

/** Reads `key=value` / `key:value` pairs of an MDC bracket (`[c:collection1 s:shard1]`, `[SessionId=…]`). */
function mdc(group: string, out: JsonObject): void {
  for (const m of group.matchAll(/([A-Za-z_][\w.-]*)[=:]([^\s,=:]+)/g)) {
    const k = m[1]!;
    if (out[k] === undefined) out[k] = m[2]!;
  }
}

const REST_THREAD_LOGGER = /^\[\s*(.*?)\s*\]\s+([\w$.<>\[\]-]+?)\s*(?:-|:)\s+(.*)$/s;
const REST_LOGGER_MDC = /^([\w$.]+)\s+\[([^\]]*)\]\s+-\s(.*)$/s;
const REST_LOGGER = /^([\w$]+\.java:\d+|[\w$.]+(?:\([\w.]*:?\d*\))?)\s*(?:-|:)\s(.*)$/s;
const REST_THREAD = /^\[([^\]]*)\]\s+(.*)$/s;

/** The part after the level: `[thread] logger - msg`, `logger [mdc] - msg`, `logger: msg`, or a message. */
function javaRest(rest: string, out: JsonObject): void {
  let m = REST_THREAD_LOGGER.exec(rest);
  if (m) {
    if (!correlation(m[1]!, out)) out.thread = m[1]!;
    out.logger = m[2]!;
    out.msg = m[3]!;
    return;
  }
  m = REST_LOGGER_MDC.exec(rest);
  if (m) {
    out.logger = m[1]!;
    if (m[2]) mdc(m[2], out);
    out.msg = m[3]!;
    return;
  }
  m = REST_LOGGER.exec(rest);
  if (m && /[A-Za-z]/.test(m[1]!)) {
    const file = /^([\w$]+)\.java:(\d+)$/.exec(m[1]!);
    if (file) {
      // `%F:%L` (Cassandra): the class is the logger, file and line are kept.
      out.logger = file[1]!;
      out.file = `${file[1]}.java`;
      out.line = Number(file[2]);
    } else out.logger = m[1]!;
    out.msg = m[2]!;
    return;
  }
  m = REST_THREAD.exec(rest);
  if (m) {
    if (!correlation(m[1]!, out)) out.thread = m[1]!;
    out.msg = m[2]!;
    return;
  }
  out.msg = rest;
}

const SPRING = new RegExp(String.raw`^(${ISO})\s+${LEVEL}\s+(?:\[([^\]]*)\]\s+)?(\d+)\s+---\s+(.*)$`, 's');
const SPRING_LOGGER = /^([\w$.\[\]\/-]+)\s+:\s(.*)$/s;

/** Spring Boot: `2024-01-15T10:30:45.123+00:00  INFO 12345 --- [app] [main] c.e.Class : msg` (and the form without `[app]`, and Sleuth's `[app,trace,span]`). */
export const springBoot: Layout = {
  name: 'spring-boot',
  title: 'Spring Boot default layout',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = SPRING.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]!, pid: Number(m[4]) };
    if (m[3] !== undefined) correlation(m[3], out);
    let rest = m[5]!;
    const groups: string[] = [];
    let g: RegExpExecArray | null;
    while ((g = /^\[([^\]]*)\]\s*/.exec(rest))) {
      groups.push(g[1]!);
      rest = rest.slice(g[0].length);
    }
    const plain = groups.filter((x) => !correlation(x, out)).map((x) => x.trim());
    if (plain.length >= 2) out.service = plain[0]!;
    if (plain.length >= 1) out.thread = plain[plain.length - 1]!;
    const l = SPRING_LOGGER.exec(rest);
    if (l) {
      out.logger = l[1]!;
      out.msg = l[2]!;
    } else out.msg = rest;
    return out;
  },
  samples: [
    {
      line: '2024-01-15T10:30:45.123+00:00  INFO 12345 --- [orders] [           main] c.e.orders.OrdersApplication             : Started OrdersApplication in 3.2 seconds',
      fields: { time: '2024-01-15T10:30:45.123+00:00', level: 'INFO', pid: 12345, service: 'orders', thread: 'main', logger: 'c.e.orders.OrdersApplication', msg: 'Started OrdersApplication in 3.2 seconds' },
    },
    {
      line: '2023-03-02 09:14:07.551 ERROR 4711 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception',
      fields: { time: '2023-03-02T09:14:07.551', level: 'ERROR', thread: 'nio-8080-exec-3', logger: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]', service: null },
    },
    {
      line: '2024-02-01T08:00:01.002Z  WARN 77 --- [payments] [io-8080-exec-7] [4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7] c.e.p.PaymentService : retrying charge',
      fields: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', service: 'payments', thread: 'io-8080-exec-7', level: 'WARN' },
    },
    {
      line: '2022-06-10 11:22:33.444  INFO [billing,5f1c2d3e4a5b6c7d,5f1c2d3e4a5b6c7d,true] 901 --- [main] c.e.b.Billing : invoice sent',
      fields: { trace_id: '5f1c2d3e4a5b6c7d', service: 'billing', thread: 'main', msg: 'invoice sent' },
    },
  ],
};

const ZOOKEEPER = new RegExp(String.raw`^(?:(?:${ISO}) (?:[\w.]+=\S* )*)?(${ISO})\s+(?:\[myid:(\d*)\]\s+)?-\s+${LEVEL}\s+\[(.*?)\]\s+-\s(.*)$`, 's');

/** ZooKeeper's log4j layout: `2024-01-15 10:30:45,123 [myid:1] - INFO  [thread:Class@123] - msg` (also behind a collector's `time key=value` prefix). */
export const zookeeper: Layout = {
  name: 'zookeeper',
  title: 'ZooKeeper log4j layout',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = ZOOKEEPER.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[3]! };
    if (m[2]) out.myid = m[2];
    const where = /^(.*):([\w$.]+)@(\d+)$/.exec(m[4]!);
    if (where) {
      out.thread = where[1]!;
      out.logger = where[2]!;
      out.line = Number(where[3]);
    } else out.thread = m[4]!;
    out.msg = m[5]!;
    return out;
  },
  samples: [
    {
      line: '2024-01-15 10:30:45,123 [myid:3] - WARN  [QuorumPeer[myid=3](plain=0.0.0.0:2181)(secure=disabled):Follower@129] - Exception when following the leader',
      fields: { time: '2024-01-15T10:30:45.123', level: 'WARN', myid: '3', thread: 'QuorumPeer[myid=3](plain=0.0.0.0:2181)(secure=disabled)', logger: 'Follower', line: 129 },
    },
    { line: '2015-07-29 19:04:12,394 - INFO  [/10.10.34.11:3888:QuorumCnxManager$Listener@493] - Received connection request', fields: { level: 'INFO', logger: 'QuorumCnxManager$Listener' } },
  ],
};

const SOLR = new RegExp(String.raw`^(${ISO})\s+${LEVEL}\s+\(([^)]*)\)\s+(?:\[([^\]]*)\]\s+)?([\w$.]+)\s(.*)$`, 's');

/** Solr's log4j2 layout: `2024-01-15 10:30:45.123 INFO  (qtp-15) [c:coll s:shard1 r:core_node2 x:coll_shard1] o.a.s.c.S.Request msg`. */
export const solr: Layout = {
  name: 'solr',
  title: 'Solr log4j2 layout',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = SOLR.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]!, thread: m[3]! };
    if (m[4]) {
      const names: Record<string, string> = { c: 'collection', s: 'shard', r: 'replica', x: 'core' };
      for (const kv of m[4].matchAll(/(\w+):(\S+)/g)) out[names[kv[1]!] ?? kv[1]!] = kv[2]!;
    }
    out.logger = m[5]!;
    out.msg = m[6]!.trimStart();
    return out;
  },
  samples: [
    {
      line: '2024-01-15 10:30:45.123 ERROR (qtp1038934055-21) [c:orders s:shard1 r:core_node2 x:orders_shard1_replica_n1] o.a.s.h.RequestHandlerBase org.apache.solr.common.SolrException: undefined field',
      fields: { level: 'ERROR', thread: 'qtp1038934055-21', collection: 'orders', core: 'orders_shard1_replica_n1', logger: 'o.a.s.h.RequestHandlerBase' },
    },
    { line: '2024-01-15 10:30:46.001 INFO  (main) [   ] o.e.j.s.Server Started Server@5d3411d', fields: { thread: 'main', msg: 'Started Server@5d3411d' } },
  ],
};

const JBOSS = new RegExp(String.raw`^(${ISO})\s+${LEVEL}\s+\[([^\]]+)\](?:\s+\(((?:[^()]|\([^()]*\))*)\)(?:\s(.*))?)?\s*$`, 's');

/** JBoss/WildFly: `2024-01-15 10:30:45,123 INFO  [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0039: msg`. */
export const jboss: Layout = {
  name: 'jboss',
  title: 'JBoss/WildFly layout',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = JBOSS.exec(line);
    if (!m) return undefined;
    if (m[4] === undefined && !/^[\w$.:-]+$/.test(m[3]!)) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]!, logger: m[3]! };
    if (m[4] !== undefined) out.thread = m[4];
    out.msg = m[5] ?? '';
    return out;
  },
  samples: [
    {
      line: '2024-01-15 10:30:45,123 ERROR [org.jboss.msc.service.fail] (MSC service thread 1-4) MSC000001: Failed to start service jboss.deployment.unit."app.war".POST_MODULE',
      fields: { level: 'ERROR', logger: 'org.jboss.msc.service.fail', thread: 'MSC service thread 1-4', msg: 'MSC000001: Failed to start service jboss.deployment.unit."app.war".POST_MODULE' },
    },
    { line: '2024-01-15 10:30:44,002 DEBUG [org.jboss.as.config]', fields: { logger: 'org.jboss.as.config', msg: '' } },
  ],
};

const KAFKA = new RegExp(String.raw`^\[(${ISO})\]\s+${LEVEL}\s+(.*?)\s+\(([\w$.-]+\.[\w$]+|[\w$]+)\)\s*$`, 's');

/** Kafka's log4j layout: `[2024-01-15 10:30:45,123] INFO [Broker id=1] msg (kafka.server.BrokerServer)`. */
export const kafka: Layout = {
  name: 'kafka',
  title: 'Kafka log4j layout',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = KAFKA.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]!, logger: m[4]!, msg: m[3]! };
    const ctx = /^\[([^\]]*)\]\s/.exec(m[3]!);
    if (ctx) {
      out.context = ctx[1]!;
      mdc(ctx[1]!, out);
    }
    return out;
  },
  samples: [
    {
      line: '[2024-01-15 10:30:45,123] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error in response for fetch request (kafka.server.ReplicaFetcherThread)',
      fields: { time: '2024-01-15T10:30:45.123', level: 'WARN', logger: 'kafka.server.ReplicaFetcherThread', leaderId: '2' },
    },
    { line: '[2024-01-15 10:30:46,001] INFO KafkaConfig values: (kafka.server.KafkaConfig)', fields: { msg: 'KafkaConfig values:' } },
  ],
};

const LEVEL_FIRST = new RegExp(String.raw`^${LEVEL}\s+(?:\[([^\]]*)\]\s+)?\[?(${APP_TIME})\]?\s+(.*)$`, 's');

/** Level first: Cassandra `INFO  [main] 2024-01-15 10:30:45,123 StorageService.java:1443 - msg`, `INFO  [2024-01-15 10:30:45,123] msg`. */
export const log4jLevelFirst: Layout = {
  name: 'log4j-level-first',
  title: 'log4j/logback layout with the level first (Cassandra)',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 65 || c > 90) return undefined;
    const m = LEVEL_FIRST.exec(line);
    if (!m || m[4]!.charCodeAt(0) === 123) return undefined;
    const time = appTime(m[3]!);
    if (!time) return undefined;
    const out: JsonObject = { time, level: m[1]! };
    if (m[2] !== undefined) out.thread = m[2];
    javaRest(m[4]!, out);
    return out;
  },
  samples: [
    {
      line: 'ERROR [CompactionExecutor:2] 2024-01-15 10:30:45,123 CompactionTask.java:322 - Error during compaction',
      fields: { level: 'ERROR', thread: 'CompactionExecutor:2', time: '2024-01-15T10:30:45.123', logger: 'CompactionTask', file: 'CompactionTask.java', line: 322, msg: 'Error during compaction' },
    },
    { line: 'WARN  [2024-01-15 10:30:45,123] c.e.Worker: queue is full', fields: { level: 'WARN', logger: 'c.e.Worker', msg: 'queue is full' } },
  ],
};

const TOMCAT = /^(\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:[.,]\d{1,9})?)\s+(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST|WARN|ERROR|DEBUG|TRACE|FATAL)\s+\[(.*?)\]\s+([\w$.<>-]+)\s(.*)$/s;
const JUL_HEAD = /^([A-Z][a-z]{2} \d\d?, \d{4} \d\d?:\d\d:\d\d [AP]M) ([\w$.]+)(?: ([\w$<>]+))?\s*$/;
const JUL_LEVEL = /^(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): (.*)$/s;
/** The last JUL header line read (in the input's memory): the time and source its level line carries. */
const JUL_HEAD_KEY = 'tomcat.head';
type JulHead = { time: string; logger: string; method?: string };

/**
 * Tomcat JULI `15-Jan-2024 10:30:45.123 SEVERE [main] org.x.Y.method msg`, and the old two-line
 * JUL SimpleFormatter form (`Jan 15, 2024 10:30:45 AM org.x.Y method` then `SEVERE: msg`): the
 * header line is a record without a level word (given `info`), the level line a record of
 * that level with the header's time and source.
 */
export const tomcat: Layout = {
  name: 'tomcat',
  title: 'Tomcat JULI / java.util.logging',
  continuation: 'any',
  stateful: true,
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const m = TOMCAT.exec(line);
      if (!m) return undefined;
      const time = appTime(m[1]!);
      return time ? { time, level: m[2]!, thread: m[3]!, logger: m[4]!, msg: m[5]! } : undefined;
    }
    if (c >= 65 && c <= 90) {
      const h = JUL_HEAD.exec(line);
      if (h) {
        const time = julTime(h[1]!);
        if (!time) return undefined;
        ctx.memory[JUL_HEAD_KEY] = { time, logger: h[2]!, method: h[3] } satisfies JulHead;
        const out: JsonObject = { time, level: 'info', logger: h[2]!, msg: `${h[2]}${h[3] ? ` ${h[3]}` : ''}`, jul_header: true };
        if (h[3]) out.method_name = h[3];
        return out;
      }
      const julHead = ctx.memory[JUL_HEAD_KEY] as JulHead | undefined;
      const l = julHead && JUL_LEVEL.exec(line);
      if (l && julHead) {
        const out: JsonObject = { time: julHead.time, level: l[1]!, logger: julHead.logger, msg: l[2]! };
        if (julHead.method) out.method_name = julHead.method;
        return out;
      }
    }
    return undefined;
  },
  samples: [
    {
      line: '15-Jan-2024 10:30:45.123 SEVERE [main] org.apache.catalina.core.StandardContext.startInternal One or more listeners failed to start.',
      fields: { time: '2024-01-15T10:30:45.123', level: 'SEVERE', thread: 'main', logger: 'org.apache.catalina.core.StandardContext.startInternal', msg: 'One or more listeners failed to start.' },
    },
    { line: 'Jan 15, 2024 1:05:09 PM org.apache.catalina.startup.Catalina start', fields: { time: '2024-01-15T13:05:09', logger: 'org.apache.catalina.startup.Catalina', method_name: 'start' } },
    { line: 'SEVERE: Error starting endpoint', fields: { time: '2024-01-15T13:05:09', level: 'SEVERE', msg: 'Error starting endpoint' } },
  ],
};

const ELASTIC = new RegExp(String.raw`^\[(${ISO})\]\s*\[${LEVEL}\s*\]\s*\[([^\]]*?)\s*\]\s*(?:\[([^\]]*)\]\s*)?(.*)$`, 's');

/** Elasticsearch text: `[2024-01-15T10:30:45,123][INFO ][o.e.n.Node               ] [node-1] started`. */
export const elasticsearch: Layout = {
  name: 'elasticsearch',
  title: 'Elasticsearch text layout',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = ELASTIC.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]!, logger: m[3]! };
    if (m[4] !== undefined) out.node = m[4];
    out.msg = m[5]!;
    return out;
  },
  samples: [
    {
      line: '[2024-01-15T10:30:45,123][WARN ][o.e.c.r.a.DiskThresholdMonitor] [es-data-1] high disk watermark [90%] exceeded',
      fields: { time: '2024-01-15T10:30:45.123', level: 'WARN', logger: 'o.e.c.r.a.DiskThresholdMonitor', node: 'es-data-1', msg: 'high disk watermark [90%] exceeded' },
    },
  ],
};

/** log4j/logback levels (Python's `WARNING`/`CRITICAL` are left to the Python layout). */
const JLEVEL = '(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)';
const HDFS_TIME = /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) (\d+) /;
/** A Go caller (`pkg/file.go:18`) after the level: zap's console encoder, not a Java logger. */
export const GO_CALLER = /^\S+\.go:\d+\s/;
const HDFS_REST = new RegExp(`^${JLEVEL}\\s+(.*)$`, 's');
const LOG4J = new RegExp(String.raw`^(${APP_TIME})\s+(?:\[([^\]]*)\]\s+)?${JLEVEL}\s+(.*)$`, 's');
const LOG4J_BRACKET_TIME = new RegExp(String.raw`^\[(${APP_TIME})\]\s+(?:\[([^\]]*)\]\s+)?\[?${JLEVEL}\]?\s+(.*)$`, 's');

/**
 * log4j/logback/log4j2 pattern layouts with the time first: `%d %p [%t] %c - %m`
 * (`2024-01-15 10:30:45,123 INFO  [main] com.x.Y - msg`), logback's `%d [%thread] %level %logger - %m`,
 * Hadoop/HBase/Spark `%d %p %c: %m`, Flink `%d %p %c [] - %m`, `%d{DATE}` (`15 Jan 2024 10:30:45,123`),
 * `[%d] %p …`, HDFS's `yyMMdd HHmmss pid LEVEL class: msg`. Thread, logger and MDC go to fields.
 */
export const log4j: Layout = {
  name: 'log4j',
  title: 'log4j/logback/log4j2 pattern layouts',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    let m: RegExpExecArray | null;
    if (c === 91) m = LOG4J_BRACKET_TIME.exec(line);
    else if (c >= 48 && c <= 57) {
      const h = HDFS_TIME.exec(line);
      if (h) {
        const rest = HDFS_REST.exec(line.slice(h[0].length));
        if (!rest) return undefined;
        const out: JsonObject = { time: `20${h[1]}-${h[2]}-${h[3]}T${h[4]}:${h[5]}:${h[6]}`, level: rest[1]!, pid: Number(h[7]) };
        javaRest(rest[2]!, out);
        return out;
      }
      m = LOG4J.exec(line);
    } else return undefined;
    // A JSON object after the level is a JSON record with a text prefix, read as such.
    if (!m || GO_CALLER.test(m[4]!) || m[4]!.charCodeAt(0) === 123) return undefined;
    const time = appTime(m[1]!);
    if (!time) return undefined;
    const out: JsonObject = { time, level: m[3]! };
    if (m[2] !== undefined && !correlation(m[2], out)) out.thread = m[2];
    const rest = m[4]!;
    if (m[2] !== undefined) {
      // `[thread] LEVEL logger - msg`: the logger and an MDC may follow.
      const l = /^([\w$.]+)\s*(?:-\s*\[([^\]]*)\])?(?:\s+\[([^\]]*)\])?\s*(?:-|:)?\s*(.*)$/s.exec(rest);
      if (l && /[.A-Z]/.test(l[1]!)) {
        out.logger = l[1]!;
        if (l[2]) mdc(l[2], out);
        if (l[3]) mdc(l[3], out);
        out.msg = l[4]!;
      } else out.msg = rest;
    } else javaRest(rest, out);
    if (c === 91 && out.logger === undefined) {
      // Kafka-style `[time] LEVEL msg (logger)` read here when the file's previous line was this layout's.
      const k = /^(.*?)\s+\(((?:[\w$-]+\.)+[\w$]+)\)\s*$/s.exec(String(out.msg));
      if (k) {
        out.msg = k[1]!;
        out.logger = k[2]!;
      }
    }
    return out;
  },
  samples: [
    {
      line: '2024-01-15 10:30:45,123 INFO  [http-nio-8080-exec-1] com.example.orders.OrderService - order 42 created',
      fields: { time: '2024-01-15T10:30:45.123', level: 'INFO', thread: 'http-nio-8080-exec-1', logger: 'com.example.orders.OrderService', msg: 'order 42 created' },
    },
    {
      line: '2024-01-15 10:30:45.123 [main] ERROR c.e.app.Startup - failed to bind port 8080',
      fields: { level: 'ERROR', thread: 'main', logger: 'c.e.app.Startup', msg: 'failed to bind port 8080' },
    },
    { line: '2024-01-15 10:30:45,123 WARN org.apache.hadoop.hdfs.server.datanode.DataNode: slow BlockReceiver write', fields: { level: 'WARN', logger: 'org.apache.hadoop.hdfs.server.datanode.DataNode', msg: 'slow BlockReceiver write' } },
    { line: '2024-01-15 10:30:45,123 INFO  [RpcServer.handler=3] regionserver.HRegion: Flushing region', fields: { thread: 'RpcServer.handler=3', logger: 'regionserver.HRegion' } },
    { line: '2024-01-15 10:30:45,123 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor      [] - Receive slot request', fields: { logger: 'org.apache.flink.runtime.taskexecutor.TaskExecutor', msg: 'Receive slot request' } },
    { line: '15 Jan 2024 10:30:45,123 DEBUG [pool-1-thread-2] org.quartz.core.JobRunShell - Calling execute on job', fields: { time: '2024-01-15T10:30:45.123', level: 'DEBUG', thread: 'pool-1-thread-2' } },
    { line: '24/01/15 10:30:45 INFO spark.SecurityManager: Changing view acls to: yarn', fields: { time: '2024-01-15T10:30:45', logger: 'spark.SecurityManager' } },
    { line: '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating', fields: { time: '2008-11-09T20:36:15', pid: 148, logger: 'dfs.DataNode$PacketResponder' } },
    { line: '2024-01-15T10:30:45,139 INFO [main          ] FarmApplication       : Started', fields: { thread: 'main', logger: 'FarmApplication', msg: 'Started' } },
    { line: '[2024-01-15 10:30:45,123] ERROR [worker-3] c.e.Sync - sync failed', fields: { level: 'ERROR', thread: 'worker-3', logger: 'c.e.Sync' } },
    { line: '[2024-01-15 10:30:45,123] INFO Session establishment complete (org.apache.zookeeper.ClientCnxn)', fields: { msg: 'Session establishment complete', logger: 'org.apache.zookeeper.ClientCnxn' } },
  ],
};

const UNCAUGHT = /^(?:([A-Z][a-z]{2}) +(\d\d?) (\d\d:\d\d:\d\d) )?Exception in thread "([^"]*)" ((?:[\w$]+\.)*[\w$]*(?:Exception|Error|Throwable)\b.*)$/s;

/**
 * The JVM's report of an uncaught exception, `Exception in thread "main" java.lang.X: msg`
 * (also after a year-less `Dec 14 06:41:08` time a collector wrote): level error, its stack
 * frames attach as continuation.
 */
export const javaUncaught: Layout = {
  name: 'java-uncaught',
  title: 'Java uncaught exception',
  continuation: 'default',
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c !== 69 && !(c >= 65 && c <= 90 && line.includes('Exception in thread "'))) return undefined;
    const m = UNCAUGHT.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { level: 'error', thread: m[4]!, msg: m[5]! };
    const mon = m[1] ? monthNumber(m[1]) : undefined;
    if (mon) out.time = isoTime(yearFor(mon, Number(m[2]), ctx), mon, Number(m[2]), m[3]!);
    const e = /^((?:[\w$]+\.)*[\w$]+)/.exec(m[5]!);
    if (e) out.error_type = e[1]!;
    return out;
  },
  samples: [
    { line: 'Dec 14 06:41:08 Exception in thread "main" java.lang.IllegalStateException: queue closed', fields: { level: 'error', thread: 'main', time: '2023-12-14T06:41:08', error_type: 'java.lang.IllegalStateException' } },
    { line: 'Exception in thread "worker-2" java.lang.OutOfMemoryError: Java heap space', fields: { level: 'error', thread: 'worker-2', time: null } },
  ],
};

/** Java layouts, most specific first. */
export const JAVA_LAYOUTS: Layout[] = [springBoot, zookeeper, solr, elasticsearch, kafka, tomcat, jboss, log4jLevelFirst, log4j, javaUncaught];
