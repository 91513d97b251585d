import type { Normalizer } from '../../read/assemble.js';
import { orderRotated } from '../../read/index.js';
import type { FileStats, LogRecord } from '../../types.js';
import { countWindow, type WindowTally } from '../../health/tally.js';
import { fastPathsEnabled } from '../../fast-paths.js';
import { connect, type Conn, type Params, type Row } from './connect.js';
import { rowToRecord, recordColumns } from './records.js';
import { detectSchema, parseMap, type Schema } from './schema.js';
import { wherePredicates, type Wanted } from './sql.js';
import { parseTarget } from './url.js';

/** An open `--from` source: the connection and the table's shape, found once per run. */
export interface TableSource {
  conn: Conn;
  schema: Schema;
  /** How the table is named in output: `<server>/<db>.<table>`. */
  name: string;
  /** The engine's major version (what SQL it understands: JSON functions, query parameters). */
  major: number;
}

export interface FromOptions {
  from?: string;
  map?: string[];
  timeout?: string;
}

/** Opens the `--from` table (or `LOGTOOL_CLICKHOUSE_URL`'s). */
export async function openTable(o: FromOptions): Promise<TableSource> {
  const target = parseTarget(o.from);
  const map = parseMap(o.map);
  const conn = await connect(target, { timeoutS: o.timeout === undefined ? undefined : Number(o.timeout) });
  try {
    const schema = await detectSchema(conn, map);
    const [v] = await conn.all('SELECT version() AS v');
    const major = Number(/^(\d+)/.exec(String(v?.v ?? ''))?.[1] ?? 0);
    return { conn, schema, name: `${target.display}/${target.database}.${schema.table}`, major };
  } catch (e) {
    await conn.close();
    throw e;
  }
}

export interface TableRead {
  normalizer: Normalizer;
  wanted: Wanted;
  /** Called for every row that passes the record filter (applied again here: pushed-down SQL lets a superset through). */
  onRecord: (r: LogRecord) => void;
  filter?: (r: LogRecord) => boolean;
  /** Only this many rows: a sample (trace's "not found" check). */
  limit?: number;
  progress?: { records: number };
  /** With the window counted on the server: the rows it could not count (an OpenTelemetry row without a Timestamp), counted here. */
  window?: WindowTally;
  /** Asked every PAUSE_EVERY rows: a promise holds the read while a slow consumer (stdout, a writer) catches up. */
  pause?: () => Promise<void> | undefined;
}

const PAUSE_EVERY = 1024;
/** The first major version with query parameters (19.17). */
const PARAMS_SINCE = 20;

/** Whether filters go into the SQL: fast paths on, and a server with query parameters. */
export function pushesDown(src: TableSource): boolean {
  return fastPathsEnabled() && src.major >= PARAMS_SINCE;
}

/**
 * Streams the rows the filters want, in the order the files were read (logtool's table: file, then
 * position; an OpenTelemetry table: time), as records. The line accounting comes from the table:
 * per shipped file when logtool shipped it, else one entry for the whole table.
 */
export async function readTable(src: TableSource, opts: TableRead): Promise<FileStats[]> {
  const { conn, schema } = src;
  const { select, order } = recordColumns(schema);
  // A server without query parameters gets no filter at all: logtool filters every row (the plain path).
  const wanted = pushesDown(src) ? opts.wanted : { filter: { where: [] } };
  const { sql: where, params } = wherePredicates(schema, wanted);
  const files = await tableStats(src);
  const byFile = new Map(files.map((f) => [f.source, f]));
  let orderBy = order;
  if (schema.kind === 'logtool') {
    // Files in the order reading them would take (tableStats' order), when it is not the names' order.
    const names = files.map((f) => f.source);
    if ([...names].sort().some((n, i) => n !== names[i])) {
      if (src.major >= PARAMS_SINCE) {
        params.file_order = names;
        orderBy = `indexOf({file_order:Array(String)}, file), ordinal`;
      } else {
        // Servers before 19.17 have no query parameters, and a read without filters must work there:
        // the names the table itself holds go in as hex (only [0-9a-f] in the SQL).
        const hex = names.map((n) => `unhex('${Buffer.from(n, 'utf8').toString('hex')}')`).join(', ');
        orderBy = `indexOf([${hex}], file), ordinal`;
      }
    }
  }
  const table = `${conn.target.database}.${schema.table}`;
  // chDB hands a query's result over whole (one buffer): logtool's table is read there in ranges of its key.
  const rows =
    schema.kind === 'logtool' && conn.target.kind === 'chdb'
      ? pagedRows(conn, table, select, where, withoutFileOrder(params), files.map((f) => f.source), opts.limit)
      : conn.rows(`SELECT ${select} FROM ${table} ${where}${orderBy ? ` ORDER BY ${orderBy}` : ''}${opts.limit ? ` LIMIT ${Math.floor(opts.limit)}` : ''}`, params);
  let seq = 0;
  const otelUnknown = schema.kind === 'otel';
  for await (const row of rows) {
    const r = rowToRecord(schema, row, seq++, src.name, opts.normalizer);
    if (opts.window && schema.kind === 'otel' && /^0*$/.test(String(row.__ns ?? ''))) countWindow(opts.window, r);
    if (otelUnknown && r.level === 'unknown') {
      const f = byFile.get(src.name);
      if (f) f.unknown_levels++;
    }
    if (seq % PAUSE_EVERY === 0) await opts.pause?.();
    if (opts.filter && !opts.filter(r)) continue;
    if (opts.progress) opts.progress.records++;
    opts.onRecord(r);
  }
  return files;
}

/** Rows of logtool's table per query: a range of this many ordinals of one file (about 1 KB a row as JSON). */
export const PAGE_ORDINALS = 20_000;

/**
 * The rows of logtool's table, file by file in the order given, each file in ranges of
 * PAGE_ORDINALS ordinals (its sort key: each range reads only its own granules), so that at most
 * two ranges' results are held at a time: the next range is queried while this one's rows are
 * used (the engine works on its own thread). The same rows in the same order as one query sorted
 * by file and ordinal; a range never splits rows sharing an ordinal.
 */
async function* pagedRows(conn: Conn, table: string, select: string, where: string, params: Params, files: string[], limit?: number): AsyncIterable<Row> {
  const spans = new Map((await conn.all(`SELECT file, min(ordinal) AS lo, max(ordinal) AS hi FROM ${table} GROUP BY file`)).map((r) => [String(r.file), { lo: Number(r.lo), hi: Number(r.hi) }]));
  const ranges: { file: string; lo: number }[] = [];
  for (const file of files) {
    const span = spans.get(file);
    if (span) for (let lo = span.lo; lo <= span.hi; lo += PAGE_ORDINALS) ranges.push({ file, lo });
  }
  const cond = `${where ? `${where} AND` : 'WHERE'} file = {page_file:String} AND ordinal >= {page_lo:UInt64} AND ordinal < {page_hi:UInt64}`;
  let left = limit === undefined ? Infinity : Math.floor(limit);
  const open = (i: number) => {
    if (i >= ranges.length) return undefined;
    const { file, lo } = ranges[i];
    const sql = `SELECT ${select} FROM ${table} ${cond} ORDER BY ordinal${Number.isFinite(left) ? ` LIMIT ${left}` : ''}`;
    const it = conn.rows(sql, { ...params, page_file: file, page_lo: lo, page_hi: lo + PAGE_ORDINALS })[Symbol.asyncIterator]();
    const first = it.next();
    first.catch(() => undefined); // awaited below; a failure of a range never reached is not reported
    return { it, first };
  };
  let cur = open(0);
  let next: typeof cur;
  try {
    for (let i = 0; cur && left > 0; i++, cur = next) {
      next = open(i + 1);
      for (let r = await cur.first; !r.done && left > 0; r = await cur.it.next()) {
        left--;
        yield r.value;
      }
      await cur.it.return?.(undefined);
    }
  } finally {
    await next?.it.return?.(undefined);
  }
}

function withoutFileOrder(params: Params): Params {
  const { file_order: _, ...rest } = params;
  return rest;
}

/** The table's line accounting, as FileStats. */
export async function tableStats(src: TableSource): Promise<FileStats[]> {
  const { conn, schema } = src;
  const db = conn.target.database;
  const blank = (source: string, records: number): FileStats => ({
    source,
    lines: records,
    records,
    continuation_lines: 0,
    unparsed_lines: 0,
    skipped_lines: 0,
    bytes: 0,
    format: 'lines',
    unknown_levels: 0,
    expanded_records: 0,
    layouts: {},
  });
  if (schema.kind === 'otel') {
    const [row] = await conn.all(`SELECT count() AS n FROM ${db}.${schema.table}`);
    return [blank(src.name, Number(row?.n ?? 0))];
  }
  const tables = new Set((await conn.all(`SHOW TABLES FROM ${db}`)).map((r) => String(r.name)));
  const counted = await conn.all(`SELECT file, count() AS n, countIf(level = 'unknown') AS unknown FROM ${db}.${schema.table} GROUP BY file ORDER BY file`);
  const shipped = new Map<string, FileStats>();
  /** The last ship that read each file, and its place among that run's inputs: the order reading took. */
  const firsts = new Map<string, [number, number]>();
  if (tables.has(`${schema.table}_files`)) {
    const rows = await conn.all(
      `SELECT file, argMax((lines, records, continuation_lines, unparsed_lines, unknown_levels, expanded_records, bytes, layouts, format), (shipped_at, records)) AS latest, latest.1 AS n_lines, latest.2 AS n_records, latest.3 AS cont, latest.4 AS unparsed, latest.5 AS unknown, latest.6 AS expanded, latest.7 AS n_bytes, latest.8 AS n_layouts, latest.9 AS n_format, argMax((shipped_ms, position), shipped_ms) AS first FROM ${db}.${schema.table}_files GROUP BY file`,
    );
    for (const r of rows) {
      let layouts: Record<string, number> = {};
      try {
        layouts = JSON.parse(String(r.n_layouts));
      } catch {
        /* an entry written by hand */
      }
      const first = r.first as [number | string, number | string];
      firsts.set(String(r.file), [Number(first[0]), Number(first[1])]);
      shipped.set(String(r.file), {
        ...blank(String(r.file), Number(r.n_records)),
        lines: Number(r.n_lines),
        continuation_lines: Number(r.cont),
        unparsed_lines: Number(r.unparsed),
        unknown_levels: Number(r.unknown),
        expanded_records: Number(r.expanded),
        bytes: Number(r.n_bytes),
        layouts,
        format: (String(r.n_format) || 'lines') as FileStats['format'],
      });
    }
  }
  // Files shipped without a record (empty, or only unparsed lines) are inputs too: their lines count.
  for (const [file, f] of shipped) if (f.records === 0 && !counted.some((r) => String(r.file) === file)) counted.push({ file, n: 0, unknown: 0 });
  const stats = new Map(
    counted.map((r) => {
      const file = String(r.file);
      const s = shipped.get(file);
      // A file's accounting stands only when all its records are in the table (a finished ship).
      if (s && s.records === Number(r.n)) return [file, s] as const;
      return [file, { ...blank(file, Number(r.n)), unknown_levels: Number(r.unknown) }] as const;
    }),
  );
  // In the order reading took: by the last ship that read each file and its place among that
  // ship's inputs; files no ship finished after them, as reading would order them (rotated siblings
  // oldest first: app.log.2.gz, app.log.1, app.log).
  const known = [...stats.keys()].filter((f) => firsts.has(f));
  known.sort((a, b) => firsts.get(a)![0] - firsts.get(b)![0] || firsts.get(a)![1] - firsts.get(b)![1]);
  const rest = orderRotated([...stats.keys()].filter((f) => !firsts.has(f)));
  return [...known, ...rest].map((f) => stats.get(f)!);
}

/**
 * How the whole table falls against `--since/--until`, counted by the server (the rows outside
 * never leave it, so they cannot be counted as they pass): the same figures reading would give.
 */
export async function windowOnServer(src: TableSource, w: WindowTally): Promise<void> {
  const { conn, schema } = src;
  const t = `${conn.target.database}.${schema.table}`;
  const params: Record<string, unknown> = {};
  let time: string;
  if (schema.kind === 'logtool') time = 'time';
  else if (schema.map.time) time = `toUnixTimestamp64Nano(toDateTime64(${schema.map.time}, 9)) / 1e6`;
  else return;
  const inside: string[] = ['t IS NOT NULL'];
  if (w.since !== undefined) (inside.push('t >= {since:Float64}'), (params.since = w.since));
  if (w.until !== undefined) (inside.push('t <= {until:Float64}'), (params.until = w.until));
  // An OpenTelemetry row with a zero Timestamp comes back whatever the window (its time, if any, is an
  // attribute's) and is counted as it is read.
  const timed = schema.kind === 'otel' ? ` WHERE ${time} != 0` : '';
  const [r] = await conn.all(`SELECT countIf(${inside.join(' AND ')}) AS inside, count() AS n, countIf(t IS NULL) AS no_time, min(t) AS first, max(t) AS last FROM (SELECT ${time} AS t FROM ${t}${timed})`, params);
  w.inside += Number(r.inside);
  w.outside += Number(r.n) - Number(r.inside);
  w.without_time += Number(r.no_time);
  if (r.first !== null && r.first !== undefined) w.first = Math.min(w.first ?? Infinity, Number(r.first));
  if (r.last !== null && r.last !== undefined) w.last = Math.max(w.last ?? -Infinity, Number(r.last));
}

/** The latest record time in the table (for `--relative-to last`). */
export async function lastTime(src: TableSource): Promise<number | undefined> {
  const { conn, schema } = src;
  const db = conn.target.database;
  if (schema.kind === 'logtool') {
    const [r] = await conn.all(`SELECT max(time) AS t FROM ${db}.${schema.table}`);
    return r?.t === null || r?.t === undefined ? undefined : Number(r.t);
  }
  if (!schema.map.time) return undefined;
  const [r] = await conn.all(`SELECT toString(toUnixTimestamp64Nano(toDateTime64(max(${schema.map.time}), 9))) AS ns FROM ${db}.${schema.table}`);
  const ns = String(r?.ns ?? '0');
  return /^0*$/.test(ns) ? undefined : Number(BigInt(ns) / 1000n) / 1000;
}
