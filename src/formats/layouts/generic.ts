import type { JsonObject } from '../../types.js';
import { leadingTime } from '../kv-time.js';
import type { Layout } from '../types.js';
import { scanPairs, trailingPairsStart } from './kv/logfmt.js';
import { leadingLevel, levelOfMessage } from './kv/words.js';

/**
 * Whether a message is a JSON object: the line is then JSON after a text prefix, which the
 * reader parses as JSON (its fields kept, the prefix's time and level as fallbacks).
 */
function isObject(msg: string): boolean {
  return msg.charCodeAt(0) === 123 && msg.charCodeAt(msg.length - 1) === 125;
}

/** Adds the `key=value` pairs that end a message as fields (the message keeps them). */
function pairsOf(msg: string, out: JsonObject): void {
  if (msg.indexOf('=') === -1) return;
  const at = trailingPairsStart(msg);
  if (at !== -1) scanPairs(msg, at, out);
}

const GO_LOG = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))? (?:([^\s:]+\.go):(\d+): )?/;

/**
 * Go's standard `log` package: `2009/11/10 23:00:00 msg`, with `Lmicroseconds`
 * (`23:00:00.123456`) and `Lshortfile`/`Llongfile` (`file.go:12: msg`). It writes no level:
 * a leading level word (`[ERROR]`, `ERROR:`, `WARN`, `[debug]`) is the level and is taken
 * off the message; otherwise the level is `info` by convention. The time has no zone.
 */
export const goLog: Layout = {
  name: 'go-log',
  title: "Go's standard log",
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(4) !== 47) return undefined;
    const m = GO_LOG.exec(line);
    if (!m) return undefined;
    const out: JsonObject = {};
    let msg = line.slice(m[0].length);
    const lv = leadingLevel(msg);
    if (lv) msg = msg.slice(lv.end).trimStart();
    if (isObject(msg)) return undefined;
    pairsOf(msg, out);
    out.time = `${m[1]}-${m[2]}-${m[3]}T${m[4]}${m[5] ? `.${m[5]}` : ''}`;
    out.level = lv ? lv.level : 'info';
    if (m[6]) out.caller = `${m[6]}:${m[7]}`;
    out.msg = msg;
    return out;
  },
  samples: [
    { line: '2009/11/10 23:00:00 listening on :8080', fields: { time: '2009-11-10T23:00:00', level: 'info', msg: 'listening on :8080' } },
    { line: '2009/11/10 23:00:00.123456 main.go:42: [ERROR] dial tcp 10.0.0.5:5432: connection refused', fields: { time: '2009-11-10T23:00:00.123456', level: 'ERROR', caller: 'main.go:42', msg: 'dial tcp 10.0.0.5:5432: connection refused' } },
    { line: '2009/11/10 23:00:00 WARN: cache miss ratio high ratio=0.4', fields: { level: 'WARN', msg: 'cache miss ratio high ratio=0.4', ratio: '0.4' } },
  ],
};

/** Separators between a time, a level and a message: spaces, `|`, `:`, `-`. */
function skipSeparators(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 124 && c !== 58 && c !== 45) break;
  }
  return i;
}

/** `prog[pid]: msg` or `prog  [pid]msg` after a level (syslog-like programs behind an RFC 3339 time). */
const PROG_PID = /^([A-Za-z][\w.\-]*)(?:\[(\d+)\]:|\s+\[(\d+)\])\s*/;

/**
 * The generic `<timestamp> <LEVEL> <message>` shape, tried after every specific layout. The
 * time is ISO 8601 with `T` or a space, `.`/`,` fractions and an optional zone, or
 * `yyyy/mm/dd`, optionally bracketed; the level is a level word (`INFO`, `warning`, `Err`),
 * optionally bracketed (`[ERROR]`, `<warn>`) or followed by `:`; separators may be spaces,
 * ` | ` (`2024-01-15 10:30:45 | INFO | msg`) or `:` (`2024-01-15 10:30:45,672:DEBUG:msg`).
 * A `prog[pid]:` after the level (`<rfc3339> err rbd [123]msg`) gives `service` and `pid`.
 * Trailing `key=value` pairs of the message become fields.
 */
export const genericLevel: Layout = {
  name: 'generic-level',
  title: 'timestamp, level, message',
  continuation: 'default',
  parse(line) {
    const t = leadingTime(line);
    if (!t) return undefined;
    const at = skipSeparators(line, t.end);
    if (at === t.end && at < line.length && line.charCodeAt(at) !== 91) return undefined;
    const lv = leadingLevel(line.slice(at, at + 40));
    if (!lv) return undefined;
    let msg = line.slice(skipSeparators(line, at + lv.end));
    const out: JsonObject = {};
    const prog = PROG_PID.exec(msg);
    if (prog) {
      out.service = prog[1];
      out.pid = prog[2] ?? prog[3];
      msg = msg.slice(prog[0].length);
    }
    if (isObject(msg)) return undefined;
    pairsOf(msg, out);
    out.time = t.time;
    out.level = lv.level;
    out.msg = msg;
    return out;
  },
  samples: [
    { line: '2024-01-15 10:30:45,123 ERROR payment declined order=42', fields: { time: '2024-01-15T10:30:45.123', level: 'ERROR', msg: 'payment declined order=42', order: '42' } },
    { line: '2024-01-15T10:30:45.123+01:00 [warn] retrying upstream', fields: { time: '2024-01-15T10:30:45.123+01:00', level: 'warn', msg: 'retrying upstream' } },
    { line: '2024-01-15 10:30:45 |  INFO | user 123 logged in', fields: { time: '2024-01-15T10:30:45', level: 'INFO', msg: 'user 123 logged in' } },
    { line: '2024-01-15 10:30:45,672:DEBUG:cache warmed', fields: { level: 'DEBUG', msg: 'cache warmed' } },
    { line: '[2024-01-15 10:30:45] CRITICAL: disk full', fields: { time: '2024-01-15T10:30:45', level: 'CRITICAL', msg: 'disk full' } },
    { line: '2024-01-15T10:30:45.313913+00:00 err rbd  [22968]lotuscreds:ERROR:lookup failed', fields: { level: 'err', service: 'rbd', pid: '22968', msg: 'lotuscreds:ERROR:lookup failed' } },
  ],
};

/**
 * `<timestamp> <message>` with no level word, tried last. The level follows the message's
 * first word, conservatively: `error`, `failed`, `failure`, `exception` → error; `fatal`,
 * `panic`, `critical` → fatal; `warn`, `warning` → warn; anything else `info`. When the
 * message is logfmt (`<time> level=warn msg=…`) its pairs are fields, their level first.
 */
export const genericTime: Layout = {
  name: 'generic-time',
  title: 'timestamp, message',
  continuation: 'default',
  parse(line) {
    const t = leadingTime(line);
    if (!t) return undefined;
    let at = t.end;
    const c = line.charCodeAt(at);
    if (c !== 32 && c !== 9 && !(c === 58 && line.charCodeAt(at + 1) === 32)) return undefined;
    at = skipSeparators(line, at);
    const msg = line.slice(at);
    if (msg === '' || isObject(msg)) return undefined;
    const out: JsonObject = {};
    pairsOf(msg, out);
    out.time = t.time;
    out.level ??= levelOfMessage(msg);
    out.msg ??= msg;
    return out;
  },
  samples: [
    { line: '2015-04-09 19:58:07.123000 Hello, World!', fields: { time: '2015-04-09T19:58:07.123000', level: 'info', msg: 'Hello, World!' } },
    { line: '2024-01-15T10:30:45Z Failed to connect to broker', fields: { level: 'error' } },
    { line: '2024-01-15T10:30:45Z level=warn msg="queue is full" size=100', fields: { level: 'warn', msg: 'queue is full', size: '100' } },
  ],
};

/** Generic shapes tried after every specific layout: `<time> <LEVEL> <rest>` and its variants, Go's standard log. */
export const FALLBACK_LAYOUTS: Layout[] = [goLog, genericLevel, genericTime];
