import type { JsonObject } from '../../../types.js';
import { leadingLevel, localMonth, stripAnsi, yearlessTime } from '../../system-time.js';
import type { Layout } from '../../types.js';
import { haproxyFields } from './access.js';

/** Syslog severities 0–7 as level words the normalizer reads. */
const SEVERITY = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
/** RFC 5424 facility names (for `facility`). */
const FACILITY = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

function priority(pri: string | undefined, out: JsonObject): void {
  if (pri === undefined) return;
  const n = Number(pri);
  if (!(n >= 0 && n <= 191)) return;
  out.level = SEVERITY[n & 7]!;
  out.facility = FACILITY[n >> 3] ?? n >> 3;
}

/**
 * The level of a record without a PRI: a level word opening the message (`error: …`,
 * `<warning>`, `[ERROR]`) when there is one, else `info` (what most daemons log at).
 */
function conventionLevel(msg: string, out: JsonObject): void {
  if (out.level === undefined) out.level = leadingLevel(msg) ?? 'info';
}

/** The message of a program that logs an HTTP request through syslog (HAProxy) gives request fields. */
function enrich(out: JsonObject, msg: string): void {
  const h = haproxyFields(msg);
  if (!h) return;
  const level = out.level;
  Object.assign(out, h);
  // A PRI the sender set is kept only when it says more than the status does.
  if (level !== undefined && level !== 'info' && level !== 'notice') out.level = level;
}

const HEAD3164 = /^(?:<(\d{1,3})>)?(?:1 )?([A-Za-z\u00c0-\u00ff]{3,5}\.?) {1,2}(\d{1,2}) (\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(?: (\d{4}))?(?: ([+-]\d\d:?\d\d|[A-Z]{3,4}))? (.*)$/;
/** `host tag[pid]: msg`, `host tag: msg`, `tag[pid]: msg` (no host), `[tag] msg`. */
const TAG = /^([^\s[:]+)(?: ?\[(\d+)\])?: ?(.*)$/;

/**
 * Syslog RFC 3164 / BSD (`<PRI>Jan 15 10:30:45 host prog[pid]: msg`, the form of
 * /var/log/messages, auth.log, macOS system.log). `<PRI>` is optional: with it the level is
 * its severity, without it a level word opening the message, else `info`. The year-less time
 * takes the year from `yearFor`; a year written after the time is used. Month names may be
 * French or German abbreviations (`août`, `Okt`); ANSI colour codes are removed first.
 * TAB-indented lines (macOS) continue the record before them. The program → `service`.
 * rsyslog's RFC 3339 variant (`2024-01-15T10:30:45.123456+00:00 host prog[pid]: msg`) too.
 * A HAProxy HTTP log message gives request fields (method, path, status, duration).
 */
export const SYSLOG_3164: Layout = {
  name: 'syslog',
  title: 'syslog RFC 3164 (BSD)',
  continuation: 'default',
  parse(raw, ctx) {
    const c = raw.charCodeAt(0);
    if (c === 32 || c === 9 || c === 123) return undefined;
    if (c >= 48 && c <= 57) return rfc3339Syslog(raw);
    const line = stripAnsi(raw);
    const m = HEAD3164.exec(line);
    if (!m) return undefined;
    const month = localMonth(m[2]!);
    const day = Number(m[3]);
    if (!month || day < 1 || day > 31) return undefined;
    const out: JsonObject = { time: yearlessTime(month, day, m[4]!, m[5], ctx, m[6] ? Number(m[6]) : undefined) };
    if (m[7] && /^[+-]/.test(m[7])) out.time += m[7];
    priority(m[1], out);
    let rest = m[8]!;
    let msg = rest;
    if (rest.startsWith('--- ') || rest.startsWith('last message repeated')) {
      msg = rest;
    } else if (rest.charCodeAt(0) === 91) {
      const b = /^\[([^\]\s]+)\] ?(.*)$/.exec(rest);
      if (b) {
        out.service = b[1]!;
        msg = b[2]!;
      }
    } else {
      let t = TAG.exec(rest);
      if (!t) {
        const sp = rest.indexOf(' ');
        if (sp > 0) {
          out.host = rest.slice(0, sp);
          rest = rest.slice(sp + 1);
          msg = rest;
          t = TAG.exec(rest);
        }
      }
      if (t && t[1]!.length <= 64) {
        out.service = t[1]!;
        if (t[2]) out.pid = Number(t[2]);
        msg = t[3]!;
      }
    }
    out.msg = msg;
    enrich(out, msg);
    conventionLevel(msg, out);
    return out;
  },
  samples: [
    {
      line: 'Jan 15 10:30:45 web-1 sshd[4121]: Failed password for invalid user admin from 203.0.113.9 port 52211 ssh2',
      fields: { time: '2024-01-15T10:30:45', level: 'info', host: 'web-1', service: 'sshd', pid: 4121, msg: 'Failed password for invalid user admin from 203.0.113.9 port 52211 ssh2' },
    },
    { line: '<11>Jan 15 10:30:46 web-1 app[12]: disk full', fields: { level: 'err', facility: 'user', service: 'app' } },
    { line: 'Dec 31 23:59:59 web-1 kernel: eth0: link down', fields: { time: '2023-12-31T23:59:59', service: 'kernel', pid: null } },
    { line: 'Mar  3 08:00:01 db-2 CRON[901]: (root) CMD (run-parts /etc/cron.hourly)', fields: { time: '2024-03-03T08:00:01', service: 'CRON' } },
    { line: 'juin 19 11:08:37 portable symphorien[4961]: test', fields: { time: '2024-06-19T11:08:37', service: 'symphorien' } },
    { line: 'Okt 02 07:15:00 server cron[1]: job done', fields: { time: '2023-10-02T07:15:00' } },
    { line: 'août 19 11:08:37 portable app[1]: x', fields: { time: '2023-08-19T11:08:37' } },
    { line: '\x1b[32mJan 15 \x1b[0m10:30:47 mac-air \x1b[31mcoreaudiod\x1b[0m[175]: error: device lost', fields: { service: 'coreaudiod', level: 'error', msg: 'error: device lost' } },
    { line: 'Jan 15 10:30:48 10.0.0.1 haproxy[7]: 10.0.0.9:51234 [15/Jan/2024:10:30:48.120] www~ api/api1 0/0/1/240/1241 503 212 - - ---- 3/3/0/0/0 0/0 "POST /api/pay HTTP/1.1"', fields: { level: 'error', status: 503, duration_ms: 1241, method: 'POST', path: '/api/pay' } },
    { line: '2024-01-15T10:30:50.321974+00:00 web-1 sshd[2716]: pam_unix(sshd:auth): authentication failure', fields: { time: '2024-01-15T10:30:50.321974+00:00', host: 'web-1', service: 'sshd', pid: 2716, level: 'info', msg: 'pam_unix(sshd:auth): authentication failure' } },
    { line: 'Jul 13 06:25:58 10.1.1.32 rails_app [1957]: Completed in 0.2 (5 reqs/sec) | 200 OK', fields: { host: '10.1.1.32', service: 'rails_app', pid: 1957 } },
    { line: 'Jan 15 10:30:49 [sshd] Invalid user toto from 192.0.2.1', fields: { service: 'sshd', msg: 'Invalid user toto from 192.0.2.1' } },
  ],
};

const RFC3339 = /^(?:<(\d{1,3})>)?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) ([\w.:-]{1,255}) ([^\s[:]{1,64})(?:\[(\d+)\])?: ?(.*)$/;
const NOT_HOST = /^(?:trace|debug|info|information|notice|warn|warning|error|err|crit|critical|fatal|alert|emerg|panic)$/i;

/**
 * rsyslog's default file format on current distributions (`RSYSLOG_FileFormat`): the BSD
 * layout with an RFC 3339 time (`2024-01-15T10:30:45.123456+00:00 host prog[pid]: msg`).
 */
function rfc3339Syslog(line: string): JsonObject | undefined {
  if (line.charCodeAt(4) !== 45) return undefined;
  const m = RFC3339.exec(line);
  if (!m || NOT_HOST.test(m[3]!) || NOT_HOST.test(m[4]!)) return undefined;
  const out: JsonObject = { time: m[2]!, host: m[3]!, service: m[4]! };
  priority(m[1], out);
  if (m[5]) out.pid = Number(m[5]);
  out.msg = m[6]!;
  enrich(out, m[6]!);
  conventionLevel(m[6]!, out);
  return out;
}

const HEAD5424 = /^(?:<(\d{1,3})>\d{1,2} )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)|-) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) (-|\[.*?[^\\]\])(?: (.*))?$/;
const SD_ELEMENT = /\[([^\s\]=]+)((?: [^\s=\]]+="(?:[^"\\]|\\.)*")*)\]/g;
const SD_PARAM = / ([^\s=\]]+)="((?:[^"\\]|\\.)*)"/g;

/**
 * Syslog RFC 5424 (`<PRI>1 2024-01-15T10:30:45.123Z host app procid msgid [sd-id k="v"…] msg`).
 * Level from the PRI severity; without a PRI (some relays drop it) from a `level`/`severity`
 * structured-data parameter, else `info`. Structured-data parameters become record fields
 * (`k`, or `sd-id.k` when two elements carry the same name). `app` → `service`, `procid` → `pid`.
 */
export const SYSLOG_5424: Layout = {
  name: 'syslog5424',
  title: 'syslog RFC 5424',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c !== 60 && !(c >= 48 && c <= 57)) return undefined;
    const m = HEAD5424.exec(line);
    if (!m) return undefined;
    // Without a PRI the structured-data field must look like one (`-` or `[id@n …]`/`[id k="v"]`).
    if (m[1] === undefined) {
      if (m[7] !== '-' && !/^\[[^\s\]=]+(?:@\d+)?(?: [^\s=]+="|\])/.test(m[7]!)) return undefined;
      // A host, app and msgid that look like something else (`key=value`, a date, a bracket) are another layout's.
      if (m[3]!.includes('=') || /^\d{4}-/.test(m[4]!) || m[6]!.startsWith('[')) return undefined;
    }
    const out: JsonObject = {};
    if (m[2] !== '-') out.time = m[2]!;
    priority(m[1], out);
    if (m[3] !== '-') out.host = m[3]!;
    if (m[4] !== '-') out.service = m[4]!;
    if (m[5] !== '-') out.pid = /^\d+$/.test(m[5]!) ? Number(m[5]) : m[5]!;
    if (m[6] !== '-') out.msgid = m[6]!;
    if (m[7] !== '-') {
      for (const el of m[7]!.matchAll(SD_ELEMENT)) {
        for (const p of el[2]!.matchAll(SD_PARAM)) {
          const key = out[p[1]!] === undefined && !['time', 'host', 'service', 'pid', 'msg', 'facility'].includes(p[1]!) ? p[1]! : `${el[1]}.${p[1]}`;
          const v = p[2]!.replace(/\\(["\\\]])/g, '$1');
          if (key === 'level' && out.level !== undefined) out.sd_level = v;
          else out[key] = v;
        }
      }
    }
    let msg = m[8] ?? '';
    if (msg.startsWith('\ufeff')) msg = msg.slice(1);
    out.msg = msg.trimStart();
    if (out.level === undefined && typeof out.severity !== 'string') conventionLevel(out.msg as string, out);
    enrich(out, out.msg as string);
    return out;
  },
  samples: [
    {
      line: '<165>1 2024-01-15T10:30:45.123Z web-1 checkout 4121 ORDER [exampleSDID@32473 iut="3" eventSource="Application" trace_id="4bf92f3577b34da6"] order placed',
      fields: { time: '2024-01-15T10:30:45.123Z', level: 'notice', facility: 'local4', host: 'web-1', service: 'checkout', pid: 4121, msgid: 'ORDER', eventSource: 'Application', trace_id: '4bf92f3577b34da6', msg: 'order placed' },
    },
    { line: '<11>1 2024-01-15T10:30:46Z web-1 checkout - - - payment failed', fields: { level: 'err', pid: null, msg: 'payment failed' } },
    { line: '2024-01-15T10:30:47.5+02:00 edge-3 NSX 3106 - [nsx@6876 comp="edge" level="WARN"] tunnel flapping', fields: { level: 'WARN', comp: 'edge', service: 'NSX' } },
    { line: '2024-01-15T10:30:48Z edge-3 CRON 2085 - -  (root) CMD (backup.sh)', fields: { level: 'info', msg: '(root) CMD (backup.sh)' } },
  ],
};

const VMWARE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (verbose|trivia|info|warning|error|panic|debug) ([\w.-]+)\[(\d+)\] (\[Originator@6876[^\]]*\]) ?(.*)$/;

/**
 * VMware vSphere (vpxd, hostd) logs: `2024-01-15T10:30:45.123Z info vpxd[45715] [Originator@6876
 * sub=vpxLro opID=7e12] msg`, an RFC 5424 cousin. The `[Originator@6876 …]` parameters become
 * fields (`opID` is an id).
 */
export const VMWARE_LOG: Layout = {
  name: 'vmware',
  title: 'VMware vSphere log',
  continuation: 'default',
  parse(line) {
    if (!(line.charCodeAt(0) >= 48 && line.charCodeAt(0) <= 57) || !line.includes('[Originator@6876')) return undefined;
    const m = VMWARE.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: m[1]!, level: m[2]!, service: m[3]!, pid: Number(m[4]) };
    for (const p of m[5]!.matchAll(/ ([\w.-]+)=(\S+?)(?=[ \]])/g)) out[p[1]!] = p[2]!;
    if (typeof out.opID === 'string') out.request_id = out.opID;
    out.msg = m[6]!;
    return out;
  },
  samples: [
    {
      line: '2024-01-15T10:30:45.193Z info vpxd[45715] [Originator@6876 sub=vpxLro opID=7e1280cf] [VpxLRO] -- FINISH lro-846063',
      fields: { time: '2024-01-15T10:30:45.193Z', level: 'info', service: 'vpxd', pid: 45715, sub: 'vpxLro', request_id: '7e1280cf', msg: '[VpxLRO] -- FINISH lro-846063' },
    },
  ],
};
