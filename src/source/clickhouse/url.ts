import path from 'node:path';
import { UsageError } from '../../errors.js';

/** Where `--from`/`--to` point: a ClickHouse server over HTTP(S), or an embedded chDB data folder. */
export type Target =
  | { kind: 'http'; url: string; username: string; password: string; database: string; table: string | undefined; display: string }
  | { kind: 'chdb'; dir: string; database: string; table: string | undefined; display: string };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database or table name as given; only plain identifiers, so that no name is ever SQL text. */
export function checkIdent(what: string, name: string, display: string): string {
  if (!IDENT.test(name)) throw new UsageError(`${display}: ${what} '${name}' is not a plain name (letters, digits and _ only)`);
  return name;
}

/**
 * Reads a `--from`/`--to` value (or `LOGTOOL_CLICKHOUSE_URL` when none is given):
 * `clickhouse://user:pass@host:8123/db?table=otel_logs` (`clickhouses://` and `https://` for TLS,
 * `http://` too), or `chdb:<dir>[?table=…]`. The password may come from `LOGTOOL_CLICKHOUSE_PASSWORD`
 * instead; `display` names the server without it, for every message.
 */
export function parseTarget(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Target {
  const raw = (value ?? env.LOGTOOL_CLICKHOUSE_URL ?? '').trim();
  if (raw === '') throw new UsageError('no ClickHouse URL: give clickhouse://user@host:8123/db?table=… or chdb:<dir>, or set LOGTOOL_CLICKHOUSE_URL');
  if (/^chdb:/i.test(raw)) return chdbTarget(raw.slice(5));
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`'${redact(raw)}' is not a URL: expected clickhouse://user@host:8123/db?table=… or chdb:<dir>`);
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  const tls = scheme === 'https' || scheme === 'clickhouses';
  if (!['clickhouse', 'clickhouses', 'http', 'https'].includes(scheme)) {
    throw new UsageError(`'${redact(raw)}': unknown scheme '${scheme}:' (use clickhouse://, https:// or chdb:)`);
  }
  if (!u.hostname) throw new UsageError(`'${redact(raw)}': no host`);
  const port = u.port || (tls ? '8443' : '8123');
  const hostPort = `${u.hostname}:${port}`;
  const username = decodeURIComponent(u.username) || env.LOGTOOL_CLICKHOUSE_USER || 'default';
  const password = u.password ? decodeURIComponent(u.password) : env.LOGTOOL_CLICKHOUSE_PASSWORD ?? '';
  const dbPart = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  const display = `${tls ? 'https' : 'http'}://${username}@${hostPort}${dbPart ? `/${dbPart}` : ''}`;
  const database = checkIdent('database', dbPart || u.searchParams.get('database') || 'default', display);
  const tableParam = u.searchParams.get('table') ?? undefined;
  const table = tableParam === undefined ? undefined : checkIdent('table', tableParam, display);
  return { kind: 'http', url: `${tls ? 'https' : 'http'}://${hostPort}`, username, password, database, table, display };
}

function chdbTarget(rest: string): Target {
  const q = rest.indexOf('?');
  const dirPart = q < 0 ? rest : rest.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const dir = dirPart.replace(/^\/\/(?=\/)/, '');
  if (dir === '') throw new UsageError('chdb: needs a folder, e.g. chdb:./logs-db');
  const display = `chdb:${dir}`;
  const database = checkIdent('database', params.get('database') ?? 'default', display);
  const tableParam = params.get('table') ?? undefined;
  const table = tableParam === undefined ? undefined : checkIdent('table', tableParam, display);
  return { kind: 'chdb', dir: path.resolve(dir), database, table, display };
}

/** The value with any password in it replaced, for messages. */
export function redact(raw: string): string {
  // Everything between `//user:` and the last `@` (a password may hold `/`, `:` or an unescaped `@`).
  return raw.replace(/(\/\/[^/:@\s]*:)\S*@/, '$1***@');
}
