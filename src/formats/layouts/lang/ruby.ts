import { ISO, appTime, rubyTime } from '../../lang-time.js';
import type { Layout } from '../../types.js';
import type { JsonObject } from '../../../types.js';

/**
 * Ruby layouts: the standard library Logger, Rails request logs (2.x and 3+), Merb. Every line
 * that opens no record (params, rendering lines, SQL, backtraces) attaches to the record before it.
 */

const RUBY = /^([DIWEFAU]), \[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) #(\d+)\]\s+(DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- ([^:]*?): ?(.*)$/s;

/** Ruby Logger: `I, [2024-01-15T10:30:45.123456 #123]  INFO -- progname: msg` (`ANY`/`UNKNOWN` read as fatal). */
export const rubyLogger: Layout = {
  name: 'ruby-logger',
  title: 'Ruby Logger',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(1) !== 44) return undefined;
    const m = RUBY.exec(line);
    if (!m) return undefined;
    const level = m[4] === 'ANY' || m[4] === 'UNKNOWN' ? 'fatal' : m[4]!;
    const out: JsonObject = { time: appTime(m[2]!)!, pid: Number(m[3]), level };
    if (m[5]) out.service = m[5];
    out.msg = m[6]!;
    rails(m[6]!, out);
    return out;
  },
  samples: [
    { line: 'E, [2024-01-15T10:30:45.123456 #4242] ERROR -- sidekiq: Job raised exception', fields: { time: '2024-01-15T10:30:45.123456', pid: 4242, level: 'ERROR', service: 'sidekiq', msg: 'Job raised exception' } },
    { line: 'I, [2024-01-15T10:30:45.500000 #4242]  INFO -- : [7d3f1a2b-9c8e-4f6d-a1b2-c3d4e5f6a7b8] Completed 503 Service Unavailable in 1520ms', fields: { level: 'error', status: 503, duration_ms: 1520, request_id: '7d3f1a2b-9c8e-4f6d-a1b2-c3d4e5f6a7b8' } },
  ],
};

/** The level a request's status gives: 5xx error, 4xx warn, else info. */
function statusLevel(status: number): string {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

const TAGS = /^((?:\[[^\]]*\] )+)/;
const STARTED = new RegExp(String.raw`^Started ([A-Z]+) "([^"]*)" for (\S+) at (${ISO})`);
const PROCESSING2 = /^Processing ([\w:]+)#(\w+) \(for (\S+) at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\) \[([A-Z]+)\]/;
const COMPLETED3 = /^Completed (\d{3})(?: [^\d][^(]*?)? in (\d+(?:\.\d+)?)ms/;
const COMPLETED2 = /^Completed in (\d+(?:\.\d+)?)(ms)?\b.*?\| (\d{3}) /;

/** Reads Rails request lines in a message (also inside Ruby Logger lines); the tags before them become `request_id`. */
function rails(msg: string, out: JsonObject): boolean {
  let text = msg;
  const t = TAGS.exec(text);
  if (t) {
    for (const tag of t[1]!.matchAll(/\[([^\]]*)\]/g)) if (/^[0-9a-f-]{16,}$/i.test(tag[1]!)) out.request_id = tag[1]!;
    text = text.slice(t[1]!.length);
  }
  let m = STARTED.exec(text);
  if (m) {
    out.method = m[1]!;
    out.path = m[2]!;
    out.client = m[3]!;
    return true;
  }
  m = PROCESSING2.exec(text);
  if (m) {
    out.controller = m[1]!;
    out.action = m[2]!;
    out.client = m[3]!;
    out.method = m[5]!;
    return true;
  }
  m = COMPLETED3.exec(text);
  if (m) {
    const status = Number(m[1]);
    out.status = status;
    out.duration_ms = Number(m[2]);
    out.level = statusLevel(status);
    return true;
  }
  m = COMPLETED2.exec(text);
  if (m) {
    const status = Number(m[3]);
    out.status = status;
    out.duration_ms = m[2] ? Number(m[1]) : Math.round(Number(m[1]) * 1e6) / 1e3;
    out.level = statusLevel(status);
    return true;
  }
  return false;
}

/** The time of the last request line read (in the input's memory), carried to its `Completed` line (which has none). */
const RAILS_TIME = 'rails.time';

/**
 * Rails request logs: `Started GET "/x" for 1.2.3.4 at 2024-01-15 10:30:45 +0000` (3+), and
 * `Processing X#y (for 1.2.3.4 at 2008-12-10 16:28:09) [GET]` (2.x) open a request record
 * (level info); its `Completed 200 OK in 12ms` line is a record of its own with `status`,
 * `duration_ms`, the level from the status (5xx error, 4xx warn, else info) and the time of
 * the request line before it. Every other line (`Processing by`, `Parameters:`, `Rendered`,
 * SQL, backtraces) attaches to the record before it. Tags (`[request-uuid] Started …`) give `request_id`.
 */
export const railsLayout: Layout = {
  name: 'rails',
  title: 'Rails request log',
  continuation: 'any',
  stateful: true,
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c !== 83 && c !== 80 && c !== 67 && c !== 91) return undefined;
    const out: JsonObject = { level: 'info' };
    if (!rails(line, out)) return undefined;
    const text = line.replace(TAGS, '');
    let m = STARTED.exec(text);
    if (m) ctx.memory[RAILS_TIME] = appTime(m[4]!);
    else if ((m = PROCESSING2.exec(text))) ctx.memory[RAILS_TIME] = appTime(m[4]!);
    else if (ctx.memory[RAILS_TIME] === undefined) return undefined;
    out.time = ctx.memory[RAILS_TIME] as string;
    out.msg = text;
    return out;
  },
  samples: [
    { line: 'Started GET "/orders/42" for 10.0.0.7 at 2024-01-15 10:30:45 +0000', fields: { method: 'GET', path: '/orders/42', client: '10.0.0.7', time: '2024-01-15T10:30:45+00:00', level: 'info' } },
    { line: 'Completed 500 Internal Server Error in 87ms (ActiveRecord: 12.1ms)', fields: { status: 500, duration_ms: 87, level: 'error', time: '2024-01-15T10:30:45+00:00' } },
    { line: 'Processing OrdersController#show (for 10.0.0.7 at 2008-12-10 16:28:09) [GET]', fields: { controller: 'OrdersController', action: 'show', method: 'GET', time: '2008-12-10T16:28:09' } },
    { line: 'Completed in 614ms (View: 120, DB: 31) | 200 OK [http://www.example.com/orders/42]', fields: { status: 200, duration_ms: 614, time: '2008-12-10T16:28:09' } },
    { line: 'Completed in 0.21665 (4 reqs/sec) | Rendering: 0.00926 (4%) | DB: 0.00000 (0%) | 404 Not Found [http://example.com/x]', fields: { status: 404, duration_ms: 216.65, level: 'warn' } },
  ],
};

/** The time of the last Merb request line (in the input's memory), carried to the lines of that request. */
const MERB_TIME = 'merb.time';

/**
 * Merb: every line starts with `~ `; `~ Started request handling: Fri Aug 29 11:10:23 +0200 2008`
 * gives the time to the lines that follow it (their own lines carry none). Merb writes no
 * level word: lines are info, an exception line (`~ SomeError …`) is error. The final
 * `~ {:dispatch_time=>0.24, …}` line gives `duration_ms`.
 */
export const merb: Layout = {
  name: 'merb',
  title: 'Merb framework log',
  continuation: 'any',
  stateful: true,
  parse(line, ctx) {
    if (line.charCodeAt(0) !== 126 || line.charCodeAt(1) !== 32) return undefined;
    const msg = line.slice(2);
    const s = /^Started request handling: (.*)$/.exec(msg);
    if (s) ctx.memory[MERB_TIME] = rubyTime(s[1]!.trim()) ?? ctx.memory[MERB_TIME];
    const merbTime = ctx.memory[MERB_TIME] as string | undefined;
    const out: JsonObject = { level: /^(?:[\w:]*(?:Error|Exception)\b|.*\(500\)$)/.test(msg) ? 'error' : 'info', msg };
    if (merbTime) out.time = merbTime;
    const d = /:dispatch_time=>(\d+(?:\.\d+)?(?:e-?\d+)?)/.exec(msg);
    if (d) out.duration_ms = Math.round(Number(d[1]) * 1e6) / 1e3;
    const r = /^Redirecting to: (\S+) \((\d{3})\)/.exec(msg);
    if (r) out.status = Number(r[2]);
    return out;
  },
  samples: [
    { line: '~ Started request handling: Fri Aug 29 11:10:23 +0200 2008', fields: { time: '2008-08-29T11:10:23+02:00', level: 'info' } },
    { line: '~ {:dispatch_time=>0.243424, :action_time=>0.241652}', fields: { duration_ms: 243.424, time: '2008-08-29T11:10:23+02:00' } },
  ],
};

export const RUBY_LAYOUTS: Layout[] = [rubyLogger, railsLayout, merb];
