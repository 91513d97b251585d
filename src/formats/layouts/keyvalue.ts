import type { JsonObject } from '../../types.js';
import { slashDate } from '../kv-time.js';
import { isoTime, yearFor } from '../text-time.js';
import type { Layout } from '../types.js';
import { quoteEnd, scanned, scanPairs, trailingPairsStart, unquote } from './kv/logfmt.js';
import { isLevelWord } from './kv/words.js';

const TIME_KEYS = ['time', 'ts', 't', 'timestamp', '@timestamp'];

/** Keys that make a single pair a logfmt line (`level=error`), where one `a=b` in prose does not. */
function knownKey(o: JsonObject): boolean {
  return o.level !== undefined || o.lvl !== undefined || o.msg !== undefined || o.message !== undefined || o.time !== undefined || o.ts !== undefined || o.timestamp !== undefined || o['@timestamp'] !== undefined || o.severity !== undefined || o.loglevel !== undefined;
}

/** Whether the code is a letter, `_` or `@` (what a logfmt line's first key starts with). */
function keyStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 64;
}

/**
 * logfmt (go-kit, logrus TextFormatter, Grafana, Loki, Prometheus, Heroku): `key=value` pairs,
 * values bare or quoted with escapes. Every pair becomes a record field, so the alias table
 * reads `level`/`lvl`, `msg`, `ts`/`time`/`t`, ids (`trace_id`, `traceID`), `duration`/`took`.
 * A line is logfmt when its first word is a pair whose key is an identifier, bare keys are no
 * more than pairs, and it has two pairs or more, or one of `level`, `msg`, `time`, `ts`…: a
 * sentence holding one `a=b` is not logfmt. A `yyyy/mm/dd` time value is rewritten with `-`.
 */
export const logfmt: Layout = {
  name: 'logfmt',
  title: 'logfmt (go-kit, logrus, Grafana, Loki)',
  continuation: 'default',
  parse(line) {
    if (!keyStart(line.charCodeAt(0))) return undefined;
    const eq = line.indexOf('=');
    if (eq < 1) return undefined;
    for (let i = 1; i < eq; i++) {
      const c = line.charCodeAt(i);
      if (!(keyStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 47)) return undefined;
    }
    const out: JsonObject = {};
    scanPairs(line, 0, out);
    if (scanned.bare > scanned.pairs || (scanned.pairs < 2 && !knownKey(out))) return undefined;
    for (const k of TIME_KEYS) {
      const v = out[k];
      if (typeof v === 'string') {
        out[k] = slashDate(v);
        break;
      }
    }
    return out;
  },
  samples: [
    { line: 'ts=2024-01-15T10:30:45.123Z caller=server.go:87 level=info msg="request done" method=GET path=/api/orders duration=12ms trace_id=4bf92f3577b34da6', fields: { ts: '2024-01-15T10:30:45.123Z', level: 'info', msg: 'request done', duration: '12ms', trace_id: '4bf92f3577b34da6', caller: 'server.go:87' } },
    { line: 'time="2024-01-15T10:30:45-05:00" level=warning msg="disk \\"data\\" at 91%" free=8GB', fields: { time: '2024-01-15T10:30:45-05:00', level: 'warning', msg: 'disk "data" at 91%', free: '8GB' } },
    { line: 'logger=context t=2024-01-15T10:30:45.5951Z level=error msg="query failed" error="context canceled" userId=12 dryrun', fields: { logger: 'context', t: '2024-01-15T10:30:45.5951Z', error: 'context canceled', dryrun: true } },
    { line: 'level=error', fields: { level: 'error' } },
    { line: 'time="2024/01/15 10:30:45" reason= status=Pending', fields: { time: '2024-01-15 10:30:45', reason: '', status: 'Pending' } },
  ],
};

/** klog/glog severity letters. */
const KLOG = /^([IWEF])(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))? +(\d+) ([^\s:\]]+):(\d+)\] ?/;
const KLOG_LEVEL: Record<string, string> = { I: 'info', W: 'warn', E: 'error', F: 'fatal' };

/**
 * glog and Kubernetes klog: `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg` (L = I, W, E or F).
 * klog v2 structured lines (`"Pod status updated" pod="kube-system/x" status="Running"`): the
 * quoted message becomes `msg`, the pairs become fields. The year, not written, is this year
 * unless that puts the time more than a day ahead (`yearFor`). The thread id is `thread`, the
 * source position `caller`.
 */
export const klog: Layout = {
  name: 'klog',
  title: 'glog / klog (Kubernetes)',
  continuation: 'default',
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c !== 73 && c !== 87 && c !== 69 && c !== 70) return undefined;
    const m = KLOG.exec(line);
    if (!m) return undefined;
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
    const out: JsonObject = {};
    const at = m[0].length;
    let msg = line.slice(at);
    if (line.charCodeAt(at) === 34) {
      const q = quoteEnd(line, at);
      if (q !== -1) {
        msg = unquote(line, at + 1, q);
        scanPairs(line, q + 1, out);
      }
    }
    out.time = isoTime(yearFor(month, day, ctx), month, day, m[4], m[5]);
    out.level = KLOG_LEVEL[m[1]];
    out.thread = m[6];
    out.caller = `${m[7]}:${m[8]}`;
    out.msg = msg;
    return out;
  },
  samples: [
    { line: 'I0115 10:30:45.123456    1 controller.go:112] Starting workers', fields: { time: '2024-01-15T10:30:45.123456', level: 'info', thread: '1', caller: 'controller.go:112', msg: 'Starting workers' } },
    { line: 'E0115 10:30:45.123456 3659 kubelet.go:2410] "Error syncing pod" err="context deadline exceeded" pod="default/web-7d4b9c-x2x"', fields: { level: 'error', msg: 'Error syncing pod', err: 'context deadline exceeded', pod: 'default/web-7d4b9c-x2x' } },
    { line: 'W1231 23:59:59.000001 77 reflector.go:9] watch closed', fields: { time: '2023-12-31T23:59:59.000001', level: 'warn' } },
  ],
};

const HCLOG = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) \[(TRACE|DEBUG|INFO|WARN|ERROR)\] +/;
const LOGGER_PREFIX = /^([\w.\-/]+): /;

/**
 * Pairs at the end of a message after `: ` (hclog writes `msg: k=v k=v`); the message without
 * them, and the pairs put into `out`.
 */
function colonPairs(rest: string, out: JsonObject): string {
  for (let p = rest.indexOf(': '); p !== -1; p = rest.indexOf(': ', p + 1)) {
    if (trailingPairsStart(rest, p + 2) === p + 2) {
      scanPairs(rest, p + 2, out);
      return rest.slice(0, p);
    }
  }
  return rest;
}

/**
 * HashiCorp hclog (Vault, Consul, Nomad, Terraform): `2024-01-15T10:30:45.123Z [INFO]  core: msg: k=v`.
 * The name before the first `: ` is `logger`; pairs after the message's last `: ` become fields.
 */
export const hclog: Layout = {
  name: 'hclog',
  title: 'HashiCorp hclog',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(10) !== 84) return undefined;
    const m = HCLOG.exec(line);
    if (!m) return undefined;
    const out: JsonObject = {};
    let rest = colonPairs(line.slice(m[0].length), out);
    const lg = LOGGER_PREFIX.exec(rest);
    if (lg) {
      out.logger = lg[1];
      rest = rest.slice(lg[0].length);
    }
    out.time = m[1];
    out.level = m[2];
    out.msg = rest;
    return out;
  },
  samples: [
    { line: '2024-01-15T10:30:45.123Z [INFO]  core: mount tables loaded: path=secret/ type=kv', fields: { time: '2024-01-15T10:30:45.123Z', level: 'INFO', logger: 'core', msg: 'mount tables loaded', path: 'secret/', type: 'kv' } },
    { line: '2024-01-15T10:30:45.123-0500 [ERROR] expiration: failed to revoke lease: lease_id=auth/k8s/login/h1 error="permission denied"', fields: { level: 'ERROR', logger: 'expiration', error: 'permission denied', lease_id: 'auth/k8s/login/h1' } },
    { line: '2024-01-15T10:30:45.123Z [WARN]  no logger here', fields: { level: 'WARN', msg: 'no logger here', logger: null } },
  ],
};

const CALICO = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) \[([A-Z]+)\]\[(\d+)\] (\S+) (\d+): /;

/**
 * Calico felix / Typha: `2024-01-15 10:30:45.123 [INFO][123] felix/int_dataplane.go 1234: msg k=v`.
 * The bracketed number is `pid`; the file and line are `caller`; trailing pairs become fields.
 * The time has no zone (read in `--tz`).
 */
export const calico: Layout = {
  name: 'calico',
  title: 'Calico felix',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(10) !== 32) return undefined;
    const m = CALICO.exec(line);
    if (!m) return undefined;
    const out: JsonObject = {};
    const rest = line.slice(m[0].length);
    const at = trailingPairsStart(rest);
    let msg = rest;
    if (at !== -1) {
      scanPairs(rest, at, out);
      msg = rest.slice(0, at).trimEnd();
    }
    out.time = m[1];
    out.level = m[2];
    out.pid = m[3];
    out.caller = `${m[4]}:${m[5]}`;
    out.msg = msg;
    return out;
  },
  samples: [
    { line: '2024-01-15 10:30:45.123 [INFO][123] felix/int_dataplane.go 1234: Applying dataplane updates ipVersion=0x4 table="filter"', fields: { time: '2024-01-15 10:30:45.123', level: 'INFO', pid: '123', caller: 'felix/int_dataplane.go:1234', msg: 'Applying dataplane updates', ipVersion: '0x4', table: 'filter' } },
    { line: '2024-01-15 10:30:45.123 [WARNING][7] felix/health.go 200: Reporter is not ready.', fields: { level: 'WARNING', msg: 'Reporter is not ready.' } },
  ],
};

const ZAP_TIME = /^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\d{9,10}(?:\.\d+)?|\d\.\d+e\+0?9)$/;
const ANSI = /\x1b\[[0-9;]*m/g;
const CALLER = /^[^\s:]+:\d+$/;

/**
 * zap's console encoder (and the OpenTelemetry Collector, which uses it): tab-separated
 * `time`, `LEVEL`, optional logger name, optional `file.go:12` caller, message, and a trailing
 * JSON object whose fields are kept. Colour codes around the level are removed. A stack
 * trace follows on unindented lines (function, then tab-indented file), so every following
 * line that opens no record is a continuation.
 */
export const zapConsole: Layout = {
  name: 'zap-console',
  title: 'zap console encoder (Go)',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const t1 = line.indexOf('\t');
    if (t1 < 9 || t1 > 40) return undefined;
    const parts = line.split('\t');
    if (parts.length < 3 || !ZAP_TIME.test(parts[0])) return undefined;
    const level = parts[1].includes('\x1b') ? parts[1].replace(ANSI, '') : parts[1];
    if (!isLevelWord(level)) return undefined;
    let out: JsonObject = {};
    let rest = parts.slice(2);
    const last = rest[rest.length - 1];
    if (rest.length > 1 && last.charCodeAt(0) === 123 && last.charCodeAt(last.length - 1) === 125) {
      try {
        const v: unknown = JSON.parse(last);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          out = v as JsonObject;
          rest = rest.slice(0, -1);
        }
      } catch {
        // not JSON: part of the message
      }
    }
    if (rest.length >= 3) {
      out.logger = rest[0];
      out.caller = rest[1];
      rest = rest.slice(2);
    } else if (rest.length === 2) {
      if (CALLER.test(rest[0])) out.caller = rest[0];
      else out.logger = rest[0];
      rest = rest.slice(1);
    }
    const t = parts[0];
    out.time = t.charCodeAt(4) === 45 ? t : String(Number(t));
    out.level = level;
    out.msg = rest.join('\t');
    return out;
  },
  samples: [
    { line: '2024-01-15T10:30:45.123Z\tINFO\tpayments\tserver/http.go:88\trequest done\t{"trace_id": "4bf92f35", "duration": "12ms"}', fields: { time: '2024-01-15T10:30:45.123Z', level: 'INFO', logger: 'payments', caller: 'server/http.go:88', msg: 'request done', trace_id: '4bf92f35', duration: '12ms' } },
    { line: '2024-01-15T10:30:45.123Z\terror\tinternal/queue.go:128\tExporting failed.\t{"error": "timeout", "dropped_items": 60}', fields: { level: 'error', caller: 'internal/queue.go:128', msg: 'Exporting failed.', dropped_items: 60 } },
    { line: '1705314645.123\twarn\tslow query', fields: { time: '1705314645.123', level: 'warn', msg: 'slow query' } },
  ],
};

const EPOCH_TAG = /^(\d{9,10}(?:\.\d{1,9})?) \[([^\]\s]+)\] /;

/**
 * An epoch time in seconds, a bracketed tag and `key=value` pairs (`1705314645.123 [mailer]
 * id=42 status=sent`), as custom daemons write. The tag is `logger` (a level word in it is
 * the level); pairs become fields; text before the pairs is `msg`. Level: a `level` pair, else
 * the tag when it is a level word, else `info` by convention.
 */
export const epochTag: Layout = {
  name: 'epoch-tag-kv',
  title: 'epoch seconds, [tag], key=value pairs',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 49 || c > 57) return undefined;
    const m = EPOCH_TAG.exec(line);
    if (!m) return undefined;
    const out: JsonObject = {};
    const rest = line.slice(m[0].length);
    const at = trailingPairsStart(rest);
    if (at !== -1) scanPairs(rest, at, out);
    if (at !== 0) out.msg = (at === -1 ? rest : rest.slice(0, at)).trimEnd();
    out.time = m[1];
    if (isLevelWord(m[2])) out.level ??= m[2];
    else out.logger = m[2];
    out.level ??= 'info';
    return out;
  },
  samples: [
    { line: '1705314645.1230 [delivery] id=67055c77.5444.0 from=<a@example.org> info="cmds=EHLO:MAIL; helo=mx.example.org" srcip=192.0.2.4', fields: { time: '1705314645.1230', logger: 'delivery', level: 'info', id: '67055c77.5444.0', from: '<a@example.org>', info: 'cmds=EHLO:MAIL; helo=mx.example.org' } },
    { line: '1705314645 [error] connection refused host=db1', fields: { level: 'error', msg: 'connection refused', host: 'db1' } },
  ],
};

const GO_PANIC = /^(?:panic|fatal error): /;

/**
 * The start of a Go runtime crash: `panic: …` or `fatal error: …` (no time is written). Level
 * `fatal`; the goroutine dump that follows (unindented function lines, tab-indented files)
 * is its continuation, to the next line a layout opens.
 */
export const goPanic: Layout = {
  name: 'go-panic',
  title: 'Go panic / fatal error',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if ((c !== 112 && c !== 102) || !GO_PANIC.test(line)) return undefined;
    return { level: 'fatal', msg: line };
  },
  samples: [
    { line: 'panic: runtime error: invalid memory address or nil pointer dereference', fields: { level: 'fatal', msg: 'panic: runtime error: invalid memory address or nil pointer dereference' } },
    { line: 'fatal error: concurrent map writes', fields: { level: 'fatal' } },
  ],
};

/** Key=value and Go-ecosystem layouts: logfmt, glog/klog, hclog, zap console, … */
export const KEYVALUE_LAYOUTS: Layout[] = [zapConsole, hclog, calico, klog, epochTag, logfmt, goPanic];
