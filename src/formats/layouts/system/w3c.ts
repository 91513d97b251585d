import type { JsonObject } from '../../../types.js';
import { statusLevel } from '../../system-time.js';
import type { Layout } from '../../types.js';

/** IIS's default field list, used until a `#Fields:` directive says otherwise. */
const IIS_DEFAULT = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'.split(' ');
const IIS_NO_REFERER = IIS_DEFAULT.filter((f) => f !== 'cs(Referer)');

/** Canonical keys for W3C fields; others are kept under their W3C names. */
const CANON: Record<string, string> = {
  'cs-method': 'method', 'cs-uri-stem': 'path', 'cs-uri': 'path', 'sc-status': 'status', 'c-ip': 'client', 'cs(user-agent)': 'user_agent',
  'cs(referer)': 'referer', 'cs(referrer)': 'referer', 'cs-username': 'user', 'sc-bytes': 'bytes', 's-computername': 'host', 'cs(host)': 'vhost', 'cs-host': 'vhost',
};

/** The field list of the last `#Fields:` directive read (W3C files restate it after every restart), in the input's memory. */
const FIELDS = 'w3c.fields';

/** Splits a W3C data line: space-separated values, or `"…"`-quoted values with `""` escapes. */
function values(line: string): string[] {
  if (!line.includes('"')) return line.split(/ +/);
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  return out;
}

/**
 * W3C extended log format (IIS, HTTP.sys, IIS Advanced Logging, CDN exports). Directive lines
 * (`#Software:`, `#Version:`, `#Date:`, `#Fields:`) are metadata, not records: the layout reads
 * `#Fields:` to name the columns of the data lines that follow (IIS's default list until one
 * is seen); they count as continuation lines (see `Layout.directive`), never as records.
 * A data line gives time (`date` + `time`, UTC as IIS writes), method, path (`cs-uri-stem`,
 * with `cs-uri-query` kept apart), status, client, user agent, `time-taken` (ms) → `duration_ms`.
 * Level from the status (5xx `error`, 4xx `warn`, else `info`).
 */
export const W3C_EXTENDED: Layout = {
  name: 'w3c',
  title: 'W3C extended log (IIS)',
  continuation: 'any',
  stateful: true,
  directive(line, ctx) {
    if (!/^#(?:Software|Version|Date|Start-Date|End-Date|Fields|Remark):/.test(line)) return false;
    const f = /^#Fields:\s*(.*)$/.exec(line);
    if (f) ctx.memory[FIELDS] = f[1]!.trim().split(/\s+/);
    return true;
  },
  parse(line, ctx) {
    const c = line.charCodeAt(0);
    if (c === 35) {
      W3C_EXTENDED.directive!(line, ctx);
      return undefined;
    }
    const fields = ctx.memory[FIELDS] as string[] | undefined;
    if (!((c >= 48 && c <= 57) || c === 34)) return undefined;
    if (!/^"?\d{4}-\d\d-\d\d"? "?\d\d:\d\d:\d\d/.test(line)) return undefined;
    const vals = values(line.trimEnd());
    let names = fields && fields.length === vals.length ? fields : undefined;
    if (!names) names = vals.length === IIS_DEFAULT.length ? IIS_DEFAULT : vals.length === IIS_NO_REFERER.length ? IIS_NO_REFERER : fields;
    if (!names || Math.abs(names.length - vals.length) > 1) return undefined;
    // Columns whose values have a known shape must have it (a line of another layout that
    // merely starts with a date does not pass), and a line without them is not read.
    const at = (n: string) => {
      const i = names!.findIndex((x) => x.toLowerCase() === n);
      return i === -1 ? undefined : (vals[i] ?? '');
    };
    const method = at('cs-method');
    const statusText = at('sc-status');
    const ip = at('c-ip') ?? at('s-ip');
    if (method === undefined && statusText === undefined && ip === undefined) return undefined;
    if (method !== undefined && !/^(?:[A-Z][A-Z-]{2,15}|-|)$/.test(method)) return undefined;
    if (statusText !== undefined && !/^(?:\d{3}|-|)$/.test(statusText)) return undefined;
    if (ip !== undefined && !/^(?:[\d.]{7,15}|[\da-fA-F:]*:[\da-fA-F:.]*|-)$/.test(ip)) return undefined;
    const out: JsonObject = {};
    let date: string | undefined;
    let time: string | undefined;
    names.forEach((name, i) => {
      const v = vals[i];
      if (v === undefined || v === '-' || v === '') return;
      const n = name.toLowerCase();
      if (n === 'date' || n === 'date-local') date = v;
      else if (n === 'time' || n === 'time-local') time = v;
      else if (n === 'time-taken' || n === 'timetakenms') out.duration_ms = Number(v);
      else if (n === 'sc-status' || n === 'sc-substatus' || n === 'sc-win32-status' || n === 'sc-bytes' || n === 'cs-bytes') out[CANON[n] ?? n] = /^\d+$/.test(v) ? Number(v) : v;
      else out[CANON[n] ?? name] = v;
    });
    if (date === undefined || time === undefined) return undefined;
    out.time = `${date}T${time}${names.includes('date-local') ? '' : 'Z'}`;
    const status = typeof out.status === 'number' ? out.status : undefined;
    out.level = statusLevel(status);
    if (out.method !== undefined && out.path !== undefined) out.msg = `${out.method} ${out.path}${out['cs-uri-query'] ? `?${out['cs-uri-query']}` : ''}`;
    if (typeof out.duration_ms === 'number' && Number.isNaN(out.duration_ms)) delete out.duration_ms;
    return out;
  },
  samples: [
    {
      line: '2024-01-15 10:30:45 10.0.0.4 GET /api/items page=2 443 - 203.0.113.7 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 31',
      fields: { time: '2024-01-15T10:30:45Z', level: 'info', method: 'GET', path: '/api/items', status: 200, client: '203.0.113.7', duration_ms: 31 },
    },
    {
      line: '2024-01-15 10:30:46 10.0.0.4 POST /api/pay - 443 - 203.0.113.7 curl/8.4.0 https://shop.example/ 500 0 64 1532',
      fields: { level: 'error', status: 500, referer: 'https://shop.example/', duration_ms: 1532 },
    },
  ],
};
