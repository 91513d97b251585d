import type { JsonObject } from '../../../types.js';
import { isoTime } from '../../text-time.js';
import { leadingLevel } from '../../system-time.js';
import type { Layout } from '../../types.js';

const STRACE = /^(?:(\d+) +|\[pid +(\d+)\] )?(\d\d:\d\d:\d\d\.\d{6}|\d{9,11}\.\d{6}) (.*)$/;
const CALL = /^(\w+)\((.*)\) += (-?\d+|\?|0x[0-9a-f]+)(?: ([A-Z][A-Z0-9_]+) \(([^)]*)\))?(?:.*?)(?: <(\d+\.\d+)>)?$/;
const RESUMED = /^<\.\.\. (\w+) resumed>(.*?)(?: += (-?\d+|\?|0x[0-9a-f]+)(?: ([A-Z][A-Z0-9_]+))?.*?)?(?: <(\d+\.\d+)>)?$/;

/**
 * strace output with times (`-tt`/`-ttt`, optionally `-f` pids and `-T` durations):
 * `10:30:45.123456 openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3 <0.000021>`. The system call →
 * `syscall` and `operation`, its `<seconds>` → `duration_ms`, a failure's errno → `errno`.
 * Level: a call that failed (`= -1 ENOENT (…)`) is `warn`, a signal or an exit `info`, else
 * `info`. A `-tt` time of day takes the date of the reading day (strace writes none).
 */
export const STRACE_LOG: Layout = {
  name: 'strace',
  title: 'strace (-tt/-ttt, -T, -f)',
  continuation: 'default',
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c !== 91 && (c < 48 || c > 57)) return undefined;
    const m = STRACE.exec(line);
    if (!m) return undefined;
    const rest = m[4]!;
    const out: JsonObject = {};
    const t = m[3]!;
    if (t.charCodeAt(2) === 58) {
      const d = new Date(ctx.now);
      out.time = isoTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), t.slice(0, 8), t.slice(9));
    } else out.time = Math.round(Number(t) * 1e6) / 1e3;
    const pid = m[1] ?? m[2];
    if (pid) out.pid = Number(pid);
    out.msg = rest;
    const r0 = rest.charCodeAt(0);
    if (r0 === 45 || r0 === 43) {
      if (!/^(?:--- .* ---|\+\+\+ .* \+\+\+)$/.test(rest)) return undefined;
      out.level = 'info';
      return out;
    }
    let call = CALL.exec(rest);
    let name: string | undefined;
    let errno: string | undefined;
    let secs: string | undefined;
    if (call) {
      name = call[1];
      errno = call[3] === '-1' ? call[4] : undefined;
      secs = call[6];
    } else if (r0 === 60) {
      const r = RESUMED.exec(rest);
      if (!r) return undefined;
      name = r[1];
      errno = r[3] === '-1' ? r[4] : undefined;
      secs = r[5];
    } else {
      call = /^(\w+)\((.*)(?:<unfinished \.\.\.>|\) +=.*)$/.exec(rest);
      if (!call) return undefined;
      name = call[1];
    }
    out.level = errno ? 'warn' : 'info';
    out.syscall = name!;
    out.operation = name!;
    if (errno) out.errno = errno;
    if (secs !== undefined) out.duration_ms = Number(secs) * 1000;
    return out;
  },
  samples: [
    { line: '10:30:45.815943 access("/etc/ld.so.nohwcap", F_OK) = -1 ENOENT (No such file or directory) <0.000019>', fields: { time: '2024-07-01T10:30:45.815943', level: 'warn', syscall: 'access', errno: 'ENOENT', duration_ms: 0.019 } },
    { line: '4121 1705314645.000541 read(3, "GET / HTTP/1.1\\r\\n", 4096) = 16 <0.250000>', fields: { time: 1705314645000.541, pid: 4121, level: 'info', operation: 'read', duration_ms: 250 } },
    { line: '[pid  4122] 10:30:46.000001 <... epoll_wait resumed>[{EPOLLIN, {u32=7, u64=7}}], 8, -1) = 1 <1.502311>', fields: { pid: 4122, syscall: 'epoll_wait', duration_ms: 1502.311 } },
    { line: '4121 1705314646.100000 +++ exited with 0 +++', fields: { level: 'info' } },
  ],
};

/**
 * daemontools/runit/s6 TAI64N-stamped logs (`@4000000065a508f51b2e0d2c msg`): the label is TAI
 * (2^62 + seconds, with the 10 s TAI−UTC offset of 1972 removed, as `tai64nlocal` does) and
 * nanoseconds. No level is written: a level word opening the message (`error: …`, `WARN …`)
 * when there is one, else `info`.
 */
export const TAI64N: Layout = {
  name: 'tai64n',
  title: 'TAI64N (daemontools, runit, s6)',
  continuation: 'default',
  parse(line) {
    if (line.charCodeAt(0) !== 64) return undefined;
    const m = /^@4([0-9a-f]{15})([0-9a-f]{8}) (.*)$/.exec(line);
    if (!m) return undefined;
    const secs = parseInt(m[1]!, 16) - 10;
    const nanos = parseInt(m[2]!, 16);
    if (!Number.isSafeInteger(secs) || nanos >= 1e9) return undefined;
    const msg = m[3]!;
    const out: JsonObject = { time: secs * 1000 + Math.floor(nanos / 1e6), msg };
    const svc = /^([\w.-]+): /.exec(msg);
    if (svc) out.service = svc[1]!;
    out.level = leadingLevel(svc ? msg.slice(svc[0].length) : msg) ?? 'info';
    return out;
  },
  samples: [
    { line: '@4000000065a508ff1b2e0d2c tcpserver: status: 5/30', fields: { time: 1705314549456, level: 'info', service: 'tcpserver' } },
    { line: '@4000000065a508ff1b2e0d2c app: ERROR: cannot open /var/db', fields: { level: 'error' } },
  ],
};

const GC_LEVELS = new Set(['trace', 'debug', 'info', 'warning', 'error', 'off']);

/**
 * JVM unified logging (`-Xlog`, Java 9+; GC logs): decorations in brackets, any of time
 * (`[2024-01-15T10:30:45.240+0000]`), uptime (`[12.345s]`), pid, tid, level and tags
 * (`[gc,start    ]`), then the message. Level as decorated, else `info`; tags → `logger`;
 * a pause's trailing `12.345ms` → `duration_ms`. Without a time decoration the record has
 * no time (uptime is kept as `uptime_s`).
 */
export const JVM_UNIFIED: Layout = {
  name: 'jvm-unified',
  title: 'JVM unified logging (-Xlog, GC log)',
  continuation: 'default',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = /^((?:\[[^\]\[]*\]){2,7}) ?(.*)$/.exec(line);
    if (!m) return undefined;
    const out: JsonObject = {};
    let tags: string | undefined;
    let n = 0;
    for (const d of m[1]!.slice(1, -1).split('][')) {
      const v = d.trim();
      n++;
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?$/.test(v)) out.time = v;
      else if (/^\d+(?:\.\d+)?s$/.test(v)) out.uptime_s = Number(v.slice(0, -1));
      else if (/^\d+(?:\.\d+)?ms$/.test(v)) out.uptime_s = Number(v.slice(0, -2)) / 1000;
      else if (/^\d+$/.test(v)) {
        if (out.pid === undefined) out.pid = Number(v);
        else out.thread = v;
      } else if (GC_LEVELS.has(v)) out.level = v;
      else if (/^[a-z]+(?:,[a-z0-9]+)*$/.test(v) && tags === undefined) tags = v;
      else return undefined;
    }
    if (tags === undefined || (out.time === undefined && out.uptime_s === undefined) || n < 2) return undefined;
    out.logger = tags;
    out.level ??= 'info';
    const msg = m[2]!;
    out.msg = msg;
    const gc = /^GC\((\d+)\) /.exec(msg);
    if (gc) out.gc_id = Number(gc[1]);
    const d = / (\d+(?:\.\d+)?)ms$/.exec(msg);
    if (d && /Pause|Concurrent|Cleanup|Remark/.test(msg)) out.duration_ms = Number(d[1]);
    return out;
  },
  samples: [
    { line: '[2024-01-15T10:30:45.240+0000][31245][gc,start    ] GC(0) Pause Young (Normal) (G1 Evacuation Pause)', fields: { time: '2024-01-15T10:30:45.240+0000', level: 'info', pid: 31245, logger: 'gc,start', gc_id: 0 } },
    { line: '[2024-01-15T10:30:45.250+0000][31245][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 9.876ms', fields: { duration_ms: 9.876 } },
    { line: '[0.012s][warning][gc] -XX:+PrintGCDetails is deprecated', fields: { uptime_s: 0.012, level: 'warning', time: null } },
  ],
};

const AUDIT = /^(?:node=(\S+) )?type=([A-Z_0-9]+) msg=audit\((\d+)\.(\d{3}):(\d+)\): ?(.*)$/;

/**
 * Linux audit log (auditd: `type=USER_LOGIN msg=audit(1705314645.123:4063): pid=… res=failed`):
 * time from the event stamp, serial → `audit_id`, record type → `type`, its `key=value` pairs
 * as fields (the inner `msg='…'` of user-space records too). No level is written: a failed
 * result (`res=failed`/`res=0`, `success=no`) is `warn`, an `ANOM_*` record `error`, else `info`.
 */
export const AUDITD: Layout = {
  name: 'auditd',
  title: 'Linux audit log (auditd)',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c !== 116 && c !== 110) return undefined;
    const m = AUDIT.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: Number(m[3]) * 1000 + Number(m[4]), type: m[2]!, audit_id: m[5]! };
    if (m[1]) out.host = m[1];
    const body = m[6]!;
    const inner = /msg='([^']*)'/.exec(body);
    const kv = (s: string) => {
      for (const p of s.matchAll(/(?:^|\s)([\w-]+)=("[^"]*"|'[^']*'|\S*)/g)) {
        if (p[1] === 'msg' && p[2]!.startsWith("'")) continue;
        const v = p[2]!.startsWith('"') ? p[2]!.slice(1, -1) : p[2]!;
        if (out[p[1]!] === undefined) out[p[1]!] = v;
      }
    };
    kv(body.replace(/msg='[^']*'/, ''));
    if (inner) kv(inner[1]!);
    const failed = out.res === 'failed' || out.res === '0' || out.success === 'no';
    out.level = m[2]!.startsWith('ANOM_') ? 'error' : failed ? 'warn' : 'info';
    out.msg = `${m[2]} ${inner ? inner[1] : body}`.trim();
    if (typeof out.exe === 'string' && out.service === undefined) out.service = out.exe.split('/').pop()!;
    return out;
  },
  samples: [
    {
      line: 'type=USER_LOGIN msg=audit(1705314645.415:4063): pid=11998 uid=0 auid=4294967295 ses=4294967295 msg=\'op=login acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.9 terminal=ssh res=failed\'',
      fields: { time: 1705314645415, type: 'USER_LOGIN', audit_id: '4063', level: 'warn', acct: 'root', addr: '203.0.113.9', service: 'sshd' },
    },
    { line: 'type=SYSCALL msg=audit(1705314646.001:4070): arch=c000003e syscall=59 success=yes exit=0 comm="ls" exe="/usr/bin/ls"', fields: { level: 'info', comm: 'ls' } },
  ],
};

/** Zeek's conn.log columns, for data lines read without their `#fields` header. */
const CONN_FIELDS = 'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents'.split(' ');

/** The Zeek reader's memory of its input: the `#fields` and `#path` of the log being read. */
const ZEEK_FIELDS = 'zeek.fields';
const ZEEK_PATH = 'zeek.path';

/**
 * Zeek (Bro) TSV logs (conn.log, http.log, dns.log, …). Directive lines (`#separator`,
 * `#fields`, `#types`, `#open`, `#close`, …) are metadata: the layout reads `#fields` and
 * `#path`; they count as continuation lines (see `Layout.directive`), never as records. A data line
 * becomes a record with its named columns as fields (`-` unset values dropped): `ts` → time,
 * `uid` → `request_id`, `duration` (seconds) → `duration_ms`, `#path` → `zeek_log`.
 * Data lines without a header are read when they have conn.log's 21 columns. Zeek writes
 * no level: `weird`/`notice` logs are `warn`, an http.log line's `status_code` gives one by the
 * access-log convention, else `info`.
 */
export const ZEEK_TSV: Layout = {
  name: 'zeek',
  title: 'Zeek (Bro) TSV log',
  continuation: 'default',
  stateful: true,
  directive(line, ctx) {
    if (!/^#(?:separator|set_separator|empty_field|unset_field|path|open|close|fields|types)\b/.test(line)) return false;
    if (line.startsWith('#fields\t')) ctx.memory[ZEEK_FIELDS] = line.slice(8).split('\t');
    else if (line.startsWith('#path\t')) ctx.memory[ZEEK_PATH] = line.slice(6).trim();
    return true;
  },
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c === 35) {
      ZEEK_TSV.directive!(line, ctx);
      return undefined;
    }
    const zeekFields = ctx.memory[ZEEK_FIELDS] as string[] | undefined;
    const zeekPath = ctx.memory[ZEEK_PATH] as string | undefined;
    if (c < 48 || c > 57) return undefined;
    if (!/^\d{9,11}\.\d{6}\t/.test(line)) return undefined;
    const vals = line.split('\t');
    let names = zeekFields;
    if (!names || names.length !== vals.length) names = vals.length === CONN_FIELDS.length && /^C[0-9A-Za-z]{14,18}$/.test(vals[1]!) ? CONN_FIELDS : undefined;
    if (!names) return undefined;
    const out: JsonObject = {};
    names.forEach((f, i) => {
      const v = vals[i]!;
      if (v === '-' || v === '(empty)') return;
      out[f] = v;
    });
    out.time = Math.round(Number(vals[0]) * 1e6) / 1e3;
    delete out.ts;
    if (typeof out.uid === 'string') out.request_id = out.uid;
    if (typeof out.duration === 'string') {
      out.duration_ms = Number(out.duration) * 1000;
      delete out.duration;
    }
    if (zeekPath && names === zeekFields) out.zeek_log = zeekPath;
    const status = typeof out.status_code === 'string' ? Number(out.status_code) : undefined;
    out.level = out.zeek_log === 'weird' || out.zeek_log === 'notice' ? 'warn' : status !== undefined && status >= 500 ? 'error' : status !== undefined && status >= 400 ? 'warn' : 'info';
    const summary = [out['id.orig_h'], out['id.resp_h'], out.proto, out.service, out.conn_state].filter((x) => x !== undefined).join(' ');
    out.msg = summary || (out.zeek_log as string | undefined) || 'zeek';
    return out;
  },
  samples: [
    {
      line: '1705314645.096535\tCHhAvVGS1DHFjwGM9\t10.0.0.5\t52025\t10.0.0.9\t80\ttcp\thttp\t2.125850\t0\t1092\tSF\t-\t-\t0\tShADdfFa\t5\t613\t4\t1667\t(empty)',
      fields: { time: 1705314645096.535, level: 'info', request_id: 'CHhAvVGS1DHFjwGM9', duration_ms: 2125.85, 'id.orig_h': '10.0.0.5', service: 'http' },
    },
  ],
};
