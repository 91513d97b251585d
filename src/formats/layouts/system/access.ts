import type { JsonObject } from '../../../types.js';
import { asctimeIso, clfIso, statusLevel } from '../../system-time.js';
import type { Layout } from '../../types.js';

/** `GET /path HTTP/1.1` → method, path, protocol (nothing when the request line is `-` or garbage). */
export function requestFields(req: string, out: JsonObject): void {
  const m = /^([A-Z][A-Z_-]{1,19}) (\S+)(?: (HTTP\/[\d.]+|HTTPS?\/?[\d.]*))?$/.exec(req);
  if (!m) return;
  out.method = m[1]!;
  out.path = m[2]!;
  if (m[3]) out.protocol = m[3];
}

const num = (s: string | undefined): number | undefined => (s === undefined || s === '-' || s === '' ? undefined : Number(s));

/**
 * The request time written after the common/combined fields. nginx's `$request_time` and
 * Rack's CommonLogger write seconds with a fraction (`0.123`); Apache's `%D` writes whole
 * microseconds (`123456`). So: a number with a `.` is seconds, a whole number is microseconds.
 * Also read: `rt=`/`request_time=` (seconds) and Couchbase's `Request took 5ms`.
 */
function requestTime(rest: string): number | undefined {
  let m = /(?:^|\s)(?:rt|request_time)=(\d+(?:\.\d+)?)\b/.exec(rest);
  if (m) return Number(m[1]) * 1000;
  m = /\btook (\d+(?:\.\d+)?) ?(ms|s|us|µs)\b/.exec(rest);
  if (m) return Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'ms' ? 1 : 0.001);
  m = /^\s+(\d+(?:\.\d+)?)(?:\s|$)/.exec(rest);
  if (!m) return undefined;
  return m[1]!.includes('.') ? Number(m[1]) * 1000 : Number(m[1]) / 1000;
}

const ACCESS = /^(\S+) (\S+) (\S+) \[(\d{1,2}\/[A-Za-z]{3}\/\d{4}[: ]\d\d:\d\d:\d\d(?:\.\d+)?(?: ?[+-]\d{4})?)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: ("(?:[^"\\]|\\.)*"|-) ("(?:[^"\\]|\\.)*"|-))?(.*)$/;
const unq = (s: string | undefined) => (s === undefined || s === '-' || s === '"-"' ? undefined : s.slice(1, -1) || undefined);

/**
 * nginx and Apache access logs in the common and combined formats (`%h %l %u %t "%r" %>s %b
 * "%{Referer}i" "%{User-agent}i"`), with what configurations commonly append: a request time
 * (see `requestTime`: seconds with a fraction for nginx `$request_time`, whole microseconds for
 * Apache `%D`), `"$http_x_forwarded_for"`. Also Rack's CommonLogger (`[23/Nov/2009 22:46:22]`,
 * seconds at the end) and Couchbase's http_access.log (`… - "curl/7.68.0" Request took 5ms`).
 * No level is written: it comes from the status (5xx `error`, 4xx `warn`, else `info`). The
 * request gives `method` and `path`, from which the normalizer builds the `METHOD /path` operation.
 */
export const ACCESS_LOG: Layout = {
  name: 'access-log',
  title: 'nginx/Apache access log (common, combined; Rack CommonLogger, Couchbase)',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c === 32 || c === 35 || c === 91 || c === 123) return undefined;
    const m = ACCESS.exec(line);
    if (!m) return undefined;
    const status = num(m[6]);
    const out: JsonObject = { time: clfIso(m[4]!) ?? m[4]!, level: statusLevel(status), msg: m[5]! };
    out.client = m[1]!;
    if (m[3] !== '-') out.user = m[3]!;
    if (m[2] !== '-') out.ident = m[2]!;
    requestFields(m[5]!, out);
    if (status !== undefined) out.status = status;
    const bytes = num(m[7]);
    if (bytes !== undefined) out.bytes = bytes;
    const ref = unq(m[8]);
    if (ref) out.referer = ref;
    const ua = unq(m[9]);
    if (ua) out.user_agent = ua;
    const dur = requestTime(m[10]!);
    if (dur !== undefined) out.duration_ms = dur;
    return out;
  },
  samples: [
    {
      line: '10.0.0.7 - - [15/Jan/2024:10:30:45 +0000] "GET /api/items?page=2 HTTP/1.1" 200 512 "-" "curl/8.4.0"',
      fields: { time: '2024-01-15T10:30:45+0000', level: 'info', method: 'GET', path: '/api/items?page=2', status: 200, bytes: 512, user_agent: 'curl/8.4.0', duration_ms: null },
    },
    {
      line: '10.0.0.8 - alice [15/Jan/2024:10:30:46 +0100] "POST /api/pay HTTP/1.1" 502 0 "https://shop.example/cart" "Mozilla/5.0" 1.250',
      fields: { level: 'error', method: 'POST', path: '/api/pay', status: 502, user: 'alice', referer: 'https://shop.example/cart', duration_ms: 1250 },
    },
    { line: '192.0.2.1 - - [15/Jan/2024:10:30:47 +0000] "GET /missing HTTP/1.0" 404 209 "-" "Wget" 2345', fields: { level: 'warn', status: 404, duration_ms: 2.345 } },
    { line: '127.0.0.1 - - [15/Jan/2024:10:30:48 +0000] "GET /health HTTP/1.1" 200 2', fields: { level: 'info', path: '/health', referer: null } },
    { line: '127.0.0.1 - - [15/Jan/2024 10:30:49] "GET /css/site.css HTTP/1.1" 304 - 0.0016', fields: { time: '2024-01-15T10:30:49', status: 304, bytes: null, duration_ms: 1.6 } },
    { line: '10.1.1.4 cb.local admin [15/Jan/2024:10:30:50 +0000] "PUT /pools/default/buckets/a HTTP/1.1" 500 64 - "node-fetch/1.0" Request took 12ms', fields: { level: 'error', method: 'PUT', duration_ms: 12 } },
    { line: '203.0.113.9 - - [15/Jan/2024:10:30:51 +0000] "\\x16\\x03\\x01" 400 157 "-" "-"', fields: { level: 'warn', method: null, status: 400 } },
  ],
};

const S3 = /^(\S+) (\S+) \[(\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] (\S+) (\S+) (\S+) ((?:REST|SOAP|WEBSITE|BATCH|S3)\.\S+) (\S+) "((?:[^"\\]|\\.)*)" (\d{3}|-) (\S+) (\S+) (\S+) (\d+|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?/;

/**
 * AWS S3 server access logs (`owner bucket [time] remote requester request-id operation key
 * "request" status error-code bytes object-size total-time turn-around "referer" "agent" …`).
 * Total time (ms) → `duration_ms`; level from the status (5xx `error`, 4xx `warn`, else `info`).
 */
export const S3_ACCESS: Layout = {
  name: 'aws-s3-access',
  title: 'AWS S3 server access log',
  continuation: 'default',
  parse(line) {
    if (line.charCodeAt(0) === 32) return undefined;
    const m = S3.exec(line);
    if (!m) return undefined;
    const status = num(m[10]);
    const out: JsonObject = { time: clfIso(m[3]!) ?? m[3]!, level: statusLevel(status), msg: m[9] || m[7]!, bucket: m[2]!, client: m[4]!, requester: m[5]!, request_id: m[6]!, s3_operation: m[7]!, key: m[8]! };
    requestFields(m[9]!, out);
    if (status !== undefined) out.status = status;
    if (m[11] !== '-') out.error_code = m[11]!;
    const bytes = num(m[12]);
    if (bytes !== undefined) out.bytes = bytes;
    const total = num(m[14]);
    if (total !== undefined) out.duration_ms = total;
    if (m[17] && m[17] !== '-') out.user_agent = m[17];
    return out;
  },
  samples: [
    {
      line: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be shop-assets [15/Jan/2024:10:30:45 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT img/logo.png "GET /shop-assets/img/logo.png HTTP/1.1" 200 - 2662 2662 70 10 "-" "aws-cli/2.15" -',
      fields: { level: 'info', method: 'GET', path: '/shop-assets/img/logo.png', status: 200, duration_ms: 70, bucket: 'shop-assets', request_id: '3E57427F3EXAMPLE' },
    },
    {
      line: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be shop-assets [15/Jan/2024:10:31:00 +0000] 192.0.2.3 - 4F68538G4EXAMPLE REST.PUT.OBJECT up/a.bin "PUT /shop-assets/up/a.bin HTTP/1.1" 503 SlowDown 300 - 1200 - "-" "sdk" -',
      fields: { level: 'error', status: 503, error_code: 'SlowDown', duration_ms: 1200 },
    },
  ],
};

const UWSGI = /^\[pid: (\d+)\|app: (-?\d+)\|req: (-?\d+)\/(\d+)\] (\S+) \(([^)]*)\) \{(\d+) vars in (\d+) bytes\} \[([^\]]+)\] (\S+) (.*?) => generated (\d+) bytes in (\d+) (msecs|micros) \((\S+) (\d{3})\)/;

/**
 * uWSGI's request log (`[pid: 1|app: 0|req: 1/1] 10.0.0.1 () {38 vars in 696 bytes} [Mon Jan 15
 * 10:30:45 2024] GET /x => generated 47 bytes in 129 msecs (HTTP/1.1 200) …`): time, method,
 * path, status, duration (msecs or micros). Level from the status (5xx `error`, 4xx `warn`, else `info`).
 */
export const UWSGI_REQUEST: Layout = {
  name: 'uwsgi',
  title: 'uWSGI request log',
  continuation: 'default',
  parse(line) {
    if (!line.startsWith('[pid: ')) return undefined;
    const m = UWSGI.exec(line);
    if (!m) return undefined;
    const status = Number(m[16]);
    const out: JsonObject = {
      time: asctimeIso(m[9]!) ?? m[9]!, level: statusLevel(status), msg: `${m[10]} ${m[11]}`, pid: Number(m[1]), client: m[5]!,
      method: m[10]!, path: m[11]!, status, bytes: Number(m[12]), duration_ms: m[14] === 'msecs' ? Number(m[13]) : Number(m[13]) / 1000,
    };
    if (m[6]) out.user = m[6];
    return out;
  },
  samples: [
    {
      line: '[pid: 4121|app: 0|req: 7/12] 10.0.0.5 () {40 vars in 812 bytes} [Mon Jan 15 10:30:45 2024] POST /api/orders => generated 61 bytes in 312 msecs (HTTP/1.1 201) 5 headers in 180 bytes (1 switches on core 0)',
      fields: { time: '2024-01-15T10:30:45', level: 'info', method: 'POST', path: '/api/orders', status: 201, duration_ms: 312 },
    },
    {
      line: '[pid: 4121|app: 0|req: 8/13] 10.0.0.5 () {38 vars in 700 bytes} [Mon Jan 15 10:30:46 2024] GET /api/x => generated 20 bytes in 850 micros (HTTP/1.1 500) 2 headers in 80 bytes (1 switches on core 1)',
      fields: { level: 'error', status: 500, duration_ms: 0.85 },
    },
  ],
};

const HAPROXY = /^(\S+):(\d+) \[(\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)?)\] (\S+) (\S+)\/(\S+) (-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/\+?(-?\d+) (-?\d{1,3}) \+?(\d+) .*?"((?:[^"\\]|\\.)*)"?$/;

/**
 * The fields of a HAProxy HTTP log message (`client:port [accept date] frontend backend/server
 * TR/Tw/Tc/Tr/Ta status bytes … "GET / HTTP/1.1"`), as HAProxy sends it through syslog: the
 * last timer (total time, ms) → `duration_ms`, level from the status. Undefined when not one.
 */
export function haproxyFields(msg: string): JsonObject | undefined {
  const c = msg.charCodeAt(0);
  if (!(c >= 48 && c <= 57) && c !== 58 && !(c >= 97 && c <= 102)) return undefined;
  const m = HAPROXY.exec(msg);
  if (!m) return undefined;
  const status = Number(m[12]);
  const out: JsonObject = { client: m[1]!, frontend: m[4]!, backend: m[5]!, server: m[6]!, bytes: Number(m[13]) };
  if (status >= 0) out.status = status;
  out.level = statusLevel(status >= 0 ? status : undefined);
  if (status < 0) out.level = 'warn';
  const total = Number(m[11]);
  if (total >= 0) out.duration_ms = total;
  requestFields(m[14]!, out);
  return out;
}

/** HAProxy HTTP log lines written to a file without a syslog header (`haproxy -d`, a log-forwarder): see `haproxyFields`. */
export const HAPROXY_HTTP: Layout = {
  name: 'haproxy',
  title: 'HAProxy HTTP log',
  continuation: 'default',
  parse(line) {
    const f = haproxyFields(line);
    if (!f) return undefined;
    const m = /\[(\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)?)\]/.exec(line)!;
    return { time: clfIso(m[1]!) ?? m[1]!, msg: line, ...f };
  },
  samples: [
    {
      line: '10.0.0.9:51234 [15/Jan/2024:10:30:45.120] www~ api/api1 0/0/1/240/241 200 1532 - - ---- 3/3/0/0/0 0/0 "GET /api/items HTTP/1.1"',
      fields: { time: '2024-01-15T10:30:45.120', level: 'info', method: 'GET', path: '/api/items', status: 200, duration_ms: 241, backend: 'api' },
    },
  ],
};
