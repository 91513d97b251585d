import type { JsonObject } from '../../../types.js';
import { asctimeIso } from '../../system-time.js';
import type { Layout } from '../../types.js';
import { requestFields } from './access.js';

const NGINX = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) \[(debug|info|notice|warn|error|crit|alert|emerg)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/;

/**
 * nginx error log (`2024/01/15 10:30:45 [error] 123#0: *1 msg, client: …, request: "GET / HTTP/1.1"`):
 * level as written, pid and worker thread, the connection number (`connection`), and from the
 * message's trailing context `client`, `server`, `upstream`, `host` and the request's method/path.
 */
export const NGINX_ERROR: Layout = {
  name: 'nginx-error',
  title: 'nginx error log',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(4) !== 47) return undefined;
    const m = NGINX.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: `${m[1]}-${m[2]}-${m[3]}T${m[4]}`, level: m[5]!, pid: Number(m[6]), thread: m[7]! };
    if (m[8]) out.connection = Number(m[8]);
    const msg = m[9]!;
    const ctxAt = msg.search(/, client: /);
    out.msg = ctxAt === -1 ? msg : msg.slice(0, ctxAt);
    if (ctxAt !== -1) {
      for (const p of msg.slice(ctxAt).matchAll(/, (client|server|request|upstream|host|referrer|subrequest): ("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
        const v = p[2]!.startsWith('"') ? p[2]!.slice(1, -1) : p[2]!;
        if (p[1] === 'request') requestFields(v, out);
        else out[p[1]!] = v;
      }
    }
    return out;
  },
  samples: [
    {
      line: '2024/01/15 10:30:45 [error] 2901#2901: *8812 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.5, server: api.example.com, request: "GET /api/v1/users HTTP/1.1", upstream: "http://127.0.0.1:8080/users", host: "api.example.com"',
      fields: { time: '2024-01-15T10:30:45', level: 'error', pid: 2901, connection: 8812, msg: 'connect() failed (111: Connection refused) while connecting to upstream', client: '10.0.0.5', method: 'GET', path: '/api/v1/users', upstream: 'http://127.0.0.1:8080/users' },
    },
    { line: '2024/01/15 10:30:46 [notice] 1#1: signal process started', fields: { level: 'notice', msg: 'signal process started', connection: null } },
  ],
};

const APACHE = /^\[((?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? \d{4})\] \[(?:([\w-]+):)?(emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\] (?:\[pid (\d+)(?::tid (\d+))?\] )?(?:\[client ([^\]]+)\] )?(.*)$/;

/**
 * Apache httpd error log, 2.2 (`[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] msg`) and
 * 2.4 (`[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328] [client …] AH00128: msg`):
 * level as written (`trace1`–`trace8` → trace), module → `logger`, pid, thread, client, the
 * `AHnnnnn` error code → `code`.
 */
export const APACHE_ERROR: Layout = {
  name: 'apache-error',
  title: 'Apache httpd error log (2.2, 2.4)',
  continuation: 'default',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = APACHE.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: asctimeIso(m[1]!) ?? m[1]!, level: m[3]!.startsWith('trace') ? 'trace' : m[3]! };
    if (m[2]) out.logger = m[2];
    if (m[4]) out.pid = Number(m[4]);
    if (m[5]) out.thread = m[5];
    if (m[6]) out.client = m[6];
    let msg = m[7]!.trimEnd();
    const code = /^(?:\([^)]*\)[^:]*: )?(AH\d{5}): /.exec(msg);
    if (code) out.code = code[1]!;
    out.msg = msg;
    return out;
  },
  samples: [
    {
      line: '[Mon Jan 15 10:30:45.902022 2024] [proxy:error] [pid 3570:tid 1403] [client 10.0.0.5:50722] AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed',
      fields: { time: '2024-01-15T10:30:45.902022', level: 'error', logger: 'proxy', pid: 3570, thread: '1403', client: '10.0.0.5:50722', code: 'AH00957' },
    },
    { line: '[Mon Jan 15 10:30:46 2024] [warn] [client 127.0.0.1] client denied by server configuration: /srv/www/private', fields: { time: '2024-01-15T10:30:46', level: 'warn', logger: null, client: '127.0.0.1' } },
    { line: '[Mon Jan 15 10:30:47.000001 2024] [ssl:trace3] [pid 12] ssl_engine_io.c(2135): OpenSSL: I/O', fields: { level: 'trace' } },
  ],
};
