import type { Target } from './url.js';

/**
 * What to tell the user about a failed request, in one line naming the server (never its password):
 * what happened and what to do. Server errors are known by ClickHouse's numeric code, which the
 * client parses from the answer; an error the server sends after rows began (HTTP 200, then
 * `Code: N. …` in the body) is found in the message text.
 */
export function describeFailure(e: unknown, target: Target, midStream = false): string {
  const err = e as { code?: unknown; message?: unknown; type?: unknown; cause?: unknown };
  const message = scrub(String(err?.message ?? e), target);
  const net = networkCode(e);
  const where = target.display;
  if (net) return `${where}: ${NETWORK[net] ?? `cannot connect (${net})`}`;
  const code = serverCode(err, message);
  if (code !== undefined) {
    const advice = SERVER[code];
    const first = firstLine(message);
    if (advice) return `${where}: ${advice(first, target)}`;
    if (midStream || /JSON/.test(message)) return `${where}: the server failed mid-answer (error ${code}); nothing was reported — run again, or narrow with --since/--until`;
    return `${where}: server error ${code}: ${first}`;
  }
  if (/timeout/i.test(message)) return `${where}: no answer in time (raise --timeout, or narrow with --since/--until)`;
  if (/JSON|Unexpected token|Unexpected end/i.test(message)) {
    return `${where}: the answer was cut off or garbled mid-stream (${firstLine(message)}); nothing was reported — run again`;
  }
  return `${where}: ${firstLine(message)}`;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running, and is the port its HTTP port, 8123 by default?)',
  ENOTFOUND: 'host not found (check the host name)',
  EAI_AGAIN: 'host name could not be resolved now (check DNS or the host name)',
  ETIMEDOUT: 'connection timed out (check the host, port and firewall)',
  ECONNRESET: 'the server closed the connection (check that the port is its HTTP port and whether it restarted)',
  EHOSTUNREACH: 'host unreachable (check the network)',
  EPIPE: 'the server closed the connection while sending (check the server log)',
  UND_ERR_SOCKET: 'the server closed the connection (check the server log)',
};

type Advice = (first: string, t: Target) => string;
const rowsRefused: Advice = (f) => `the table's columns do not take logtool's rows (${f.slice(0, 120)}…); ship to a new table with ?table=…, or see README: Beyond one machine for the DDL`;
const auth: Advice = (_f, t) => `authentication failed for user '${t.kind === 'http' ? t.username : 'default'}' (check the user and the password, e.g. LOGTOOL_CLICKHOUSE_PASSWORD)`;
const SERVER: Record<number, Advice> = {
  192: auth,
  193: auth,
  516: auth,
  60: (f) => `table not found: ${quoted(f)} (check ?table=…; \`logtool ship\` creates logtool's table)`,
  81: (f) => `database not found: ${quoted(f)} (check the database in the URL)`,
  159: () => 'the query ran past --timeout (raise --timeout, or narrow with --since/--until)',
  160: () => 'the query would run past --timeout (raise --timeout, or narrow with --since/--until)',
  394: () => 'the query was cancelled on the server (KILL QUERY); nothing was reported — run again',
  241: () => 'the server ran out of memory for this query (narrow with --since/--until, or raise max_memory_usage)',
  115: (f) =>
    /Unknown setting param_/.test(f)
      ? `--since/--until/--level/--where and trace send query parameters, which this server lacks (query parameters need ClickHouse 19.17 or later): run without them, or upgrade the server`
      : `the server does not accept a setting logtool needs (${f}); upgrade the server`,
  497: (f) => `not allowed: ${f} (the user needs SELECT on the table, INSERT and CREATE TABLE to ship)`,
  164: (f) => `the user is read-only: ${f} (shipping needs INSERT and CREATE TABLE)`,
  47: (f) => `the table lacks a column logtool needs: ${f} (use --map field=column, or see README: Beyond one machine)`,
  16: (f) => `the table lacks a column logtool needs: ${f} (use --map field=column, or see README: Beyond one machine)`,
  46: (f) => `the server lacks a function logtool's query uses (${f}); upgrade the server`,
  62: (f) => `the server could not parse logtool's query: ${f} (please report this)`,
  ...Object.fromEntries([6, 26, 27, 53, 117].map((c) => [c, rowsRefused])),
};

function serverCode(err: { code?: unknown; type?: unknown }, message: string): number | undefined {
  if (typeof err.code === 'string' && /^\d+$/.test(err.code)) return Number(err.code);
  if (typeof err.code === 'number') return err.code;
  const m = /Code: (\d+)[,.]/.exec(message);
  return m ? Number(m[1]) : undefined;
}

function networkCode(e: unknown): string | undefined {
  let cur = e as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  for (let i = 0; cur && i < 5; i++) {
    if (typeof cur.code === 'string' && cur.code in NETWORK) return cur.code;
    if (typeof cur.code === 'string' && /^E[A-Z]+$/.test(cur.code)) return cur.code;
    if (Array.isArray(cur.errors) && cur.errors.length > 0) cur = cur.errors[0] as typeof cur;
    else cur = cur.cause as typeof cur;
  }
  return undefined;
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.replace(/\s*\(version [^)]*\)\s*$/, '').replace(/,\s*e\.what\(\) = [\w:]+\s*$/, '').replace(/^Code: \d+[,.]\s*(?:e\.displayText\(\) = )?(?:DB::Exception: )?/, '').trim().slice(0, 300);
}

function quoted(first: string): string {
  const m = /(?:Table|Database) ([^\s]+) (?:doesn't|does not) exist/i.exec(first) ?? /identifier '([^']+)'/.exec(first);
  return m ? m[1] : first;
}

/** Never echo a password, even if a server or library put it in a message. */
function scrub(s: string, t: Target): string {
  if (t.kind !== 'http' || t.password === '') return s;
  return s.split(t.password).join('***');
}
