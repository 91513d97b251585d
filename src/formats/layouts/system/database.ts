import type { JsonObject } from '../../../types.js';
import { isoTime, monthNumber } from '../../text-time.js';
import { yearlessTime } from '../../system-time.js';
import type { Layout } from '../../types.js';

const PG_LEVELS: Record<string, string> = {
  LOG: 'info', INFO: 'info', NOTICE: 'notice', WARNING: 'warn', ERROR: 'error', FATAL: 'fatal', PANIC: 'fatal',
  DEBUG: 'debug', DEBUG1: 'debug', DEBUG2: 'debug', DEBUG3: 'debug', DEBUG4: 'debug', DEBUG5: 'debug',
};
const PG = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)(?: ([A-Z]{2,5}|[+-]\d\d(?::?\d\d)?))? (.{0,200}?)\b(LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DEBUG[1-5]?|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION):  (.*)$/;

/**
 * PostgreSQL's stderr log with a `log_line_prefix` that starts with the time (`%m`/`%t`: the
 * default `%m [%p] `, and variants such as `%t [%p]: [%l-1] user=%u,db=%d `): time (zone kept
 * when UTC/GMT or an offset; a zone name such as `CEST` is dropped and the time read in `--tz`),
 * pid, `user@db`/`user=,db=` when the prefix has them, level (LOG → info, WARNING → warn,
 * ERROR → error, FATAL/PANIC → fatal, DEBUGn → debug), the SQLSTATE when `%e` writes one.
 * The lines PostgreSQL adds to a message (`STATEMENT:`, `DETAIL:`, `HINT:`, `CONTEXT:`,
 * `QUERY:`, `LOCATION:`) and a statement's further lines continue the record before them.
 */
export const POSTGRES: Layout = {
  name: 'postgresql',
  title: 'PostgreSQL log',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(4) !== 45) return undefined;
    const m = PG.exec(line);
    if (!m) return undefined;
    const level = PG_LEVELS[m[4]!];
    if (!level) return undefined;
    const zone = m[2] === undefined ? '' : /^(UTC|GMT|[+-].*)$/.test(m[2]) ? m[2] : '';
    const out: JsonObject = { time: `${m[1]}${zone ? ` ${zone}` : ''}`, level };
    const prefix = m[3]!;
    const pid = /\[(\d+)\]/.exec(prefix);
    if (pid) out.pid = Number(pid[1]);
    const ud = /(?:^|\s)(?:user=)?([\w$-]+)(?:@|,db=)([\w$-]+)/.exec(prefix);
    if (ud) {
      out.user = ud[1]!;
      out.database = ud[2]!;
    }
    let msg = m[5]!;
    const state = /^([0-9A-Z]{5}): /.exec(msg);
    if (state) {
      out.sqlstate = state[1]!;
      msg = msg.slice(7);
    }
    out.msg = msg;
    const dur = /^duration: (\d+(?:\.\d+)?) ms\b/.exec(msg);
    if (dur) out.duration_ms = Number(dur[1]);
    return out;
  },
  samples: [
    { line: '2024-01-15 10:30:45.123 UTC [4121] LOG:  checkpoint starting: time', fields: { time: '2024-01-15 10:30:45.123 UTC', level: 'info', pid: 4121, msg: 'checkpoint starting: time' } },
    { line: '2024-01-15 10:30:46.001 CET [4122] ERROR:  relation "ordrs" does not exist at character 15', fields: { time: '2024-01-15 10:30:46.001', level: 'error' } },
    { line: '2024-01-15 10:30:47 GMT [4123]: [3-1] user=shop,db=orders LOG:  duration: 1532.118 ms  statement: SELECT 1', fields: { level: 'info', user: 'shop', database: 'orders', duration_ms: 1532.118 } },
    { line: '2024-01-15 10:30:48 UTC [4124]: [1-1] LOG:  00000: database system is ready to accept connections', fields: { sqlstate: '00000', msg: 'database system is ready to accept connections' } },
  ],
};

const MYSQL_LEVELS: Record<string, string> = { Note: 'info', System: 'info', Warning: 'warn', Warn: 'warn', ERROR: 'error', Error: 'error' };
const MYSQL_ERR = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?|\d{6} {1,2}\d{1,2}:\d\d:\d\d) +(?:(\d+) )?\[(Note|System|Warning|Warn|ERROR|Error)\] (?:\[(MY-\d+)\] )?(?:\[(\w+)\] )?(.*)$/;

/**
 * MySQL/MariaDB error log: 8.x (`2024-01-15T10:30:45.123456Z 0 [Warning] [MY-010068] [Server] msg`)
 * and 5.x (`2024-01-15 10:30:45 0 [Note] msg`, `240115 10:30:45 [ERROR] msg`): level as written
 * (Note/System → info), thread, error code, subsystem → `logger`.
 */
export const MYSQL_ERROR: Layout = {
  name: 'mysql-error',
  title: 'MySQL/MariaDB error log',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = MYSQL_ERR.exec(line);
    if (!m) return undefined;
    let time = m[1]!;
    const short = /^(\d\d)(\d\d)(\d\d) {1,2}(\d{1,2}):(\d\d:\d\d)$/.exec(time);
    if (short) time = `20${short[1]}-${short[2]}-${short[3]}T${short[4]!.padStart(2, '0')}:${short[5]}`;
    const out: JsonObject = { time, level: MYSQL_LEVELS[m[3]!]! };
    if (m[2]) out.thread = m[2];
    if (m[4]) out.code = m[4];
    if (m[5]) out.logger = m[5];
    out.msg = m[6]!;
    return out;
  },
  samples: [
    { line: '2024-01-15T10:30:45.835618Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.', fields: { time: '2024-01-15T10:30:45.835618Z', level: 'warn', code: 'MY-010068', logger: 'Server', thread: '0' } },
    { line: '240115 10:30:46 [ERROR] mysqld: Table \'./shop/orders\' is marked as crashed', fields: { time: '2024-01-15T10:30:46', level: 'error' } },
  ],
};

const GENERAL = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?|\d{6} {1,2}\d{1,2}:\d\d:\d\d)\s+(\d+) (Query|Connect|Quit|Init DB|Execute|Prepare|Close stmt|Field List|Statistics|Ping|Shutdown|Change user|Binlog Dump|Long Data|Reset stmt|Set option|Fetch|Daemon|Refresh|Kill|Debug|Processlist|Time|Table Dump|Connect Out|Register Slave|Error)\t?(.*)$/;

/**
 * MySQL general query log (`2024-01-15T10:30:45.259438Z\t    9 Query\tSELECT 1`): every statement
 * is a record at level `info` (the log carries none); the connection id → `thread`, the command
 * → `command`. Lines without a time (the same second, in 5.x) start with TABs and continue the
 * record before them; the server's banner lines (`/usr/sbin/mysqld, Version: …`, `Tcp port:`,
 * `Time  Id Command  Argument`) are a record at level `info` with their continuation.
 */
export const MYSQL_GENERAL: Layout = {
  name: 'mysql-general',
  title: 'MySQL general query log',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c === 47 || (c >= 65 && c <= 90)) {
      const b = /^(\S+mysqld(?:\.exe)?), Version: (\S+)/.exec(line);
      return b ? { level: 'info', msg: line, service: 'mysqld', version: b[2]! } : undefined;
    }
    if (c < 48 || c > 57) return undefined;
    const m = GENERAL.exec(line);
    if (!m) return undefined;
    let time = m[1]!;
    const short = /^(\d\d)(\d\d)(\d\d) {1,2}(\d{1,2}):(\d\d:\d\d)$/.exec(time);
    if (short) time = `20${short[1]}-${short[2]}-${short[3]}T${short[4]!.padStart(2, '0')}:${short[5]}`;
    return { time, level: 'info', thread: m[2]!, command: m[3]!, msg: m[4]! || m[3]! };
  },
  samples: [
    { line: '2024-01-15T10:30:45.259438Z\t    9 Query\tSELECT * FROM orders WHERE id = 7', fields: { time: '2024-01-15T10:30:45.259438Z', level: 'info', thread: '9', command: 'Query', msg: 'SELECT * FROM orders WHERE id = 7' } },
    { line: '/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:', fields: { level: 'info', version: '8.0.36' } },
  ],
};

/** The slow-query log's memory of its input: its `# Time:` and `# User@Host:` lines come before the line that opens a record. */
const SLOW_TIME = 'mysql-slow.time';
const SLOW_USER = 'mysql-slow.user';

/**
 * MySQL slow query log. Each entry is `# Time:` (written when the second changes), `# User@Host:`,
 * `# Query_time: 3.1 Lock_time: … Rows_sent: … Rows_examined: …`, `SET timestamp=…;` and the
 * statement. The record opens at `# Query_time:` (so that it carries the duration →
 * `duration_ms`, lock time, rows) with the time and user of the `# Time:`/`# User@Host:` lines
 * read before it; the statement continues the record, and the `# Time:`/`# User@Host:` lines are
 * the layout's metadata lines (see `Layout.directive`). Level `info` (the log has none).
 */
export const MYSQL_SLOW: Layout = {
  name: 'mysql-slow',
  title: 'MySQL slow query log',
  continuation: 'any',
  stateful: true,
  directive(line, ctx) {
    return /^# (?:Time|User@Host): /.test(line) && MYSQL_SLOW.parse(line, ctx) === undefined;
  },
  parse(line, ctx) {
    if (line.charCodeAt(0) !== 35 || line.charCodeAt(1) !== 32) return undefined;
    let m = /^# Time: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?|\d{6} {1,2}\d{1,2}:\d\d:\d\d)\s*$/.exec(line);
    if (m) {
      const short = /^(\d\d)(\d\d)(\d\d) {1,2}(\d{1,2}):(\d\d:\d\d)$/.exec(m[1]!);
      ctx.memory[SLOW_TIME] = short ? `20${short[1]}-${short[2]}-${short[3]}T${short[4]!.padStart(2, '0')}:${short[5]}` : m[1]!;
      return undefined;
    }
    m = /^# User@Host: (.*?)\s*$/.exec(line);
    if (m) {
      ctx.memory[SLOW_USER] = m[1]!;
      return undefined;
    }
    m = /^# Query_time: (\d+(?:\.\d+)?)\s+Lock_time: (\d+(?:\.\d+)?)(?:\s+Rows_sent: (\d+))?(?:\s+Rows_examined: (\d+))?/.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { level: 'info', msg: 'slow query', duration_ms: Number(m[1]) * 1000, lock_ms: Number(m[2]) * 1000 };
    if (ctx.memory[SLOW_TIME]) out.time = ctx.memory[SLOW_TIME] as string;
    if (ctx.memory[SLOW_USER]) out.user = ctx.memory[SLOW_USER] as string;
    if (m[3]) out.rows_sent = Number(m[3]);
    if (m[4]) out.rows_examined = Number(m[4]);
    return out;
  },
  samples: [{ line: '# Query_time: 3.103221  Lock_time: 0.000150 Rows_sent: 1  Rows_examined: 10000', fields: { level: 'info', duration_ms: 3103.221, rows_examined: 10000 } }],
};

const REDIS_LEVELS: Record<string, string> = { '.': 'debug', '-': 'debug', '*': 'notice', '#': 'warning' };
const REDIS = /^\[?(\d+)(?::([XCSM]))?\]? (\d{1,2}) ([A-Z][a-z]{2}) (?:(\d{4}) )?(\d\d:\d\d:\d\d)(?:\.(\d+))? ([.\-*#]) (.*)$/;
const ROLES: Record<string, string> = { X: 'sentinel', C: 'child', S: 'replica', M: 'master' };

/**
 * Redis server log (`1:M 15 Jan 2024 10:30:45.123 * Ready to accept connections`, `[1:C] …`, and
 * 2.x `[4018] 15 Jan 10:30:45.123 # msg` without a year): level from the mark (`.` debug,
 * `-` verbose → debug, `*` notice, `#` warning), pid, role (`M` master, `S` replica, `C` child, `X` sentinel).
 */
export const REDIS_LOG: Layout = {
  name: 'redis',
  title: 'Redis server log',
  continuation: 'default',
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c !== 91 && (c < 48 || c > 57)) return undefined;
    const m = REDIS.exec(line);
    if (!m) return undefined;
    const month = monthNumber(m[4]!);
    if (!month) return undefined;
    const out: JsonObject = { time: yearlessTime(month, Number(m[3]), m[6]!, m[7], ctx, m[5] ? Number(m[5]) : undefined), level: REDIS_LEVELS[m[8]!]!, pid: Number(m[1]) };
    if (m[2]) out.role = ROLES[m[2]]!;
    out.msg = m[9]!;
    return out;
  },
  samples: [
    { line: '1:M 15 Jan 2024 10:30:45.123 * Ready to accept connections tcp', fields: { time: '2024-01-15T10:30:45.123', level: 'notice', pid: 1, role: 'master' } },
    { line: '[7:C] 15 Jan 2024 10:30:46.001 # WARNING Memory overcommit must be enabled!', fields: { level: 'warning', role: 'child' } },
  ],
};

const RABBIT_LEVELS: Record<string, string> = { debug: 'debug', info: 'info', notice: 'notice', warning: 'warn', warn: 'warn', error: 'error', erro: 'error', critical: 'fatal', crit: 'fatal', alert: 'fatal', emergency: 'fatal', emer: 'fatal', noti: 'notice', dbug: 'debug' };
const RABBIT = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?) \[(\w+)\] <([\d.]+)> ?(.*)$/;
const RABBIT_REPORT = /^=(INFO|WARNING|ERROR|CRASH|SUPERVISOR|PROGRESS) REPORT==== (\d{1,2})-([A-Za-z]{3})-(\d{4})::(\d\d:\d\d:\d\d)(?:\.(\d+))? ===$/;
const REPORT_LEVELS: Record<string, string> = { INFO: 'info', PROGRESS: 'info', WARNING: 'warn', ERROR: 'error', CRASH: 'error', SUPERVISOR: 'error' };

/**
 * RabbitMQ log: 3.7+ (`2024-01-15 10:30:45.441571+00:00 [erro] <0.692.0> msg`; level words as
 * written, `erro` → error) and the older report form (`=ERROR REPORT==== 15-Jan-2024::10:30:45 ===`
 * with the message on the lines after it). The Erlang process id → `thread`. Lines that do not
 * open a record continue the one before them (multi-line reports and crash dumps).
 */
export const RABBITMQ: Layout = {
  name: 'rabbitmq',
  title: 'RabbitMQ log',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c === 61) {
      const r = RABBIT_REPORT.exec(line);
      if (!r) return undefined;
      const month = monthNumber(r[3]!);
      return month ? { time: isoTime(Number(r[4]), month, Number(r[2]), r[5]!, r[6]), level: REPORT_LEVELS[r[1]!]!, msg: `${r[1]} REPORT` } : undefined;
    }
    if (c < 48 || c > 57) return undefined;
    const m = RABBIT.exec(line);
    if (!m) return undefined;
    const level = RABBIT_LEVELS[m[2]!.toLowerCase()];
    if (!level) return undefined;
    return { time: m[1]!, level, thread: m[3]!, msg: m[4]! };
  },
  samples: [
    { line: '2024-01-15 10:30:45.441571+00:00 [erro] <0.692.0> ** Connection attempt from node rejected. **', fields: { time: '2024-01-15 10:30:45.441571+00:00', level: 'error', thread: '0.692.0' } },
    { line: '=WARNING REPORT==== 15-Jan-2024::10:30:46 ===', fields: { time: '2024-01-15T10:30:46', level: 'warn' } },
  ],
};

const MONGO_LEVELS: Record<string, string> = { F: 'fatal', E: 'error', W: 'warn', I: 'info', D: 'debug' };
const MONGO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) ([FEWID])\d? ([A-Z_]+|-) +\[([^\]]+)\] (.*)$/;

/**
 * MongoDB's text log before 4.4 (`2024-01-15T10:30:45.450-0500 I NETWORK  [initandlisten] msg`):
 * severity letter (F, E, W, I, D1–D5), component → `logger`, context → `thread`. Slow operations
 * ending in `123ms` give `duration_ms`.
 */
export const MONGODB_LEGACY: Layout = {
  name: 'mongodb',
  title: 'MongoDB text log (before 4.4)',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = MONGO.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: m[1]!, level: MONGO_LEVELS[m[2]!]!, thread: m[4]!, msg: m[5]! };
    if (m[3] !== '-') out.logger = m[3]!;
    const d = / (\d+)ms$/.exec(m[5]!);
    if (d) out.duration_ms = Number(d[1]);
    return out;
  },
  samples: [
    { line: '2024-01-15T10:30:45.450-0500 I NETWORK  [initandlisten] waiting for connections on port 27017', fields: { time: '2024-01-15T10:30:45.450-0500', level: 'info', logger: 'NETWORK', thread: 'initandlisten' } },
    { line: '2024-01-15T10:30:46.001-0500 I COMMAND  [conn12] command shop.orders command: find { find: "orders" } planSummary: COLLSCAN 1532ms', fields: { duration_ms: 1532 } },
  ],
};

/** The time of the last alert-log time line read, in the input's memory. */
const ALERT_TIME = 'oracle-alert.time';

/**
 * Oracle Database alert log (alert_<SID>.log): a time on a line of its own
 * (`2024-01-15T10:30:45.339827-05:00`, or `Mon Jan 15 10:30:45 2024` before 12c) opens a record
 * and the message lines after it continue it. The alert log writes no level: a record is `info`
 * by convention, except that an `ORA-nnnnn:` or `Errors in file …` line under a time line is a
 * record of its own at that time, level `error`, its code → `code`.
 */
export const ORACLE_ALERT: Layout = {
  name: 'oracle-alert',
  title: 'Oracle Database alert log',
  continuation: 'any',
  stateful: true,
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))\s*$/.exec(line);
      if (!m) return undefined;
      ctx.memory[ALERT_TIME] = m[1]!;
      return { time: m[1]!, level: 'info', msg: '' };
    }
    if (c === 79 || c === 69) {
      // An error line under a time line: a record of its own, at that time, level `error`.
      const e = /^(ORA-\d{5}): |^Errors in file /.exec(line);
      const alertTime = ctx.memory[ALERT_TIME] as string | undefined;
      if (!e || alertTime === undefined) return undefined;
      const out: JsonObject = { time: alertTime, level: 'error', msg: line };
      if (e[1]) out.code = e[1];
      return out;
    }
    const m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d\d) (\d\d:\d\d:\d\d) (\d{4})\s*$/.exec(line);
    if (!m) return undefined;
    const month = monthNumber(m[1]!);
    if (!month) return undefined;
    const time = isoTime(Number(m[4]), month, Number(m[2]), m[3]!);
    ctx.memory[ALERT_TIME] = time;
    return { time, level: 'info', msg: '' };
  },
  samples: [
    { line: '2024-01-15T10:30:45.339827-05:00', fields: { time: '2024-01-15T10:30:45.339827-05:00', level: 'info' } },
    { line: 'Mon Jan 15 10:30:45 2024', fields: { time: '2024-01-15T10:30:45' } },
    { line: 'ORA-00600: internal error code, arguments: [kcratr_nab_less_than_odr]', fields: { time: '2024-01-15T10:30:45', level: 'error', code: 'ORA-00600' } },
  ],
};

const HANA_LEVELS: Record<string, string> = { d: 'debug', i: 'info', w: 'warn', e: 'error', f: 'fatal' };
const HANA = /^\[(\d+)\]\{(-?\d+)\}\[(-?\d+)\/(-?\d+)\] (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) ([diwef]) (\S+)\s+(\S+?\(\d+\)) : (.*)$/;

/**
 * SAP HANA trace files (`[12034]{-1}[-1/-1] 2024-01-15 10:30:45.123456 e commlib  file.cpp(00456) : msg`):
 * thread id, connection, transaction/update-transaction, level letter (d, i, w, e, f),
 * component → `logger`, source location. Following lines continue the record.
 */
export const SAP_HANA: Layout = {
  name: 'saphana',
  title: 'SAP HANA trace',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = HANA.exec(line);
    if (!m) return undefined;
    return { time: m[5]!, level: HANA_LEVELS[m[6]!]!, thread: m[1]!, connection: m[2]!, transaction: m[3]!, logger: m[7]!, source: m[8]!, msg: m[9]! };
  },
  samples: [{ line: '[12036]{200001}[15/40637290] 2024-01-15 10:30:45.987654 e commlib       commlibImpl.cpp(00456) : ERROR: comm::connect failed', fields: { time: '2024-01-15 10:30:45.987654', level: 'error', logger: 'commlib', thread: '12036' } }],
};

const COUCHBASE = /^\[([a-z_]+):(debug|info|warn|error|critical),(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)),([^:\]]+@[^:\]]+)(?::([^\]]*))?\](.*)$/;

/**
 * Couchbase Server's logs (`[ns_server:info,2024-01-15T10:30:45.123Z,ns_1@127.0.0.1:<0.1.0>:menelaus_web]msg`):
 * component → `logger`, level as written, node → `host`, Erlang process/module → `thread`.
 * Lines that do not open a record continue the one before them.
 */
export const COUCHBASE_LOG: Layout = {
  name: 'couchbase',
  title: 'Couchbase Server log',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = COUCHBASE.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: m[3]!, level: m[2]!, logger: m[1]!, host: m[4]!, msg: m[6]!.trimStart() };
    if (m[5]) out.thread = m[5];
    return out;
  },
  samples: [{ line: '[ns_server:error,2024-01-15T10:30:45.764Z,ns_1@127.0.0.1:<0.8.0>:bucket_engine]Failed to allocate memory', fields: { level: 'error', logger: 'ns_server', host: 'ns_1@127.0.0.1', msg: 'Failed to allocate memory' } }],
};
