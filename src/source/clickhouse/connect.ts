import { createRequire } from 'node:module';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { InputError } from '../../errors.js';
import { describeFailure } from './failure.js';
import type { Target } from './url.js';
import { makeDirs } from '../../write/dirs.js';

/** One row as ClickHouse's JSONEachRow gives it. */
export type Row = Record<string, unknown>;

/** Parameters bound server-side (`{name:Type}` in the SQL): values never become SQL text. */
export type Params = Record<string, unknown>;

/** A connection to a server or an embedded chDB, with every failure turned into one line naming it. */
export interface Conn {
  readonly target: Target;
  /** The rows of a query, streamed from a server (the embedded engine hands them over whole). */
  rows(sql: string, params?: Params): AsyncIterable<Row>;
  /** All rows of a small query (aggregates, a table's columns). */
  all(sql: string, params?: Params): Promise<Row[]>;
  command(sql: string): Promise<void>;
  insert(table: string, rows: Row[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Seconds a query may run on the server (`max_execution_time`) and the request may wait. */
  timeoutS?: number;
  /** A `chdb:` folder is created when absent (shipping); reading one that is absent is an error. */
  create?: boolean;
}

const DEFAULT_TIMEOUT_S = 300;
/** The client logs failed requests itself; logtool reports each failure once, in one line. */
const QUIET = { level: ClickHouseLogLevel.OFF };

/** Opens a connection; chDB is loaded only here, for `chdb:` targets, and only when installed. */
export async function connect(target: Target, opts: ConnectOptions = {}): Promise<Conn> {
  const timeoutS = opts.timeoutS ?? DEFAULT_TIMEOUT_S;
  const settings = { max_execution_time: timeoutS, output_format_json_quote_64bit_integers: 0 } as const;
  let client: ClickHouseClient;
  let plain: (() => ClickHouseClient) | undefined;
  if (target.kind === 'chdb') {
    const { existsSync } = await import('node:fs');
    if (!opts.create && !existsSync(target.dir)) throw new InputError(`${target.display}: no such folder (check the path; \`logtool ship <files> --to ${target.display}\` creates it)`);
    try {
      makeDirs(target.dir);
    } catch (e) {
      throw new InputError(`${target.display}: cannot create the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const chdb = loadChdb(target);
    let connection: unknown;
    try {
      connection = chdb.createChdbConnection({ path: target.dir });
    } catch (e) {
      // The engine refuses a folder another process holds (its `status` file is locked).
      throw new InputError(`${target.display}: the embedded engine cannot open the folder (${((e as Error).message ?? String(e)).split('\n')[0]}); chDB opens a folder from one process at a time: is another logtool or chDB using it?`);
    }
    client = createClient({ connection: connection as never, database: target.database, clickhouse_settings: settings, log: QUIET });
  } else {
    const http = (clickhouse_settings: typeof settings | Record<string, never>) =>
      createClient({
        url: target.url,
        username: target.username,
        password: target.password,
        database: target.database,
        request_timeout: (timeoutS + 10) * 1000,
        clickhouse_settings,
        compression: { request: false, response: false },
        application: 'logtool',
        log: QUIET,
      });
    client = http(settings);
    // A `readonly=1` user may not set anything: it reads without the settings (the request timeout still bounds the wait).
    plain = () => http({});
  }
  return wrap(client, target, plain);
}

interface ChdbModule {
  createChdbConnection(opts: { path: string }): unknown;
}

/** chDB is an optional peer (≈550 MB): loaded from the user's install, with a clear message when absent. */
function loadChdb(target: Target): ChdbModule {
  const req = createRequire(import.meta.url);
  try {
    return req('chdb/connection') as ChdbModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND') {
      throw new InputError(`${target.display}: the embedded engine is not installed (run: npm install chdb — Linux or macOS; or use a server: clickhouse://host:8123/db)`);
    }
    throw new InputError(`${target.display}: the embedded engine could not be loaded (${err.message.split('\n')[0]})`);
  }
}

/** 164 for a setting sent by a `readonly=1` user (18.16: "Cannot override setting (x) in readonly mode"; newer: "Cannot modify 'x' setting in readonly mode"). */
function settingRefused(e: unknown): boolean {
  return /Cannot (?:override|modify) (?:setting \(\w+\)|'\w+' setting) in readonly mode/.test(String((e as Error)?.message ?? ''));
}

function wrap(first: ClickHouseClient, target: Target, plain?: () => ClickHouseClient): Conn {
  let client = first;
  const fail = (e: unknown, midStream = false): never => {
    throw new InputError(describeFailure(e, target, midStream));
  };
  /** Runs a request; once, when the server refuses logtool's settings for a read-only user, again without them. */
  const request = async <T>(send: (c: ClickHouseClient) => Promise<T>): Promise<T> => {
    try {
      return await send(client);
    } catch (e) {
      if (!plain || !settingRefused(e)) throw e;
      const old = client;
      client = plain();
      plain = undefined;
      await old.close().catch(() => undefined);
      return await send(client);
    }
  };
  return {
    target,
    async *rows(sql, params) {
      let rs;
      try {
        rs = await request((c) => c.query({ query: sql, query_params: params, format: 'JSONEachRow' }));
      } catch (e) {
        fail(e);
      }
      try {
        for await (const batch of rs!.stream<Row>()) {
          for (const row of batch) yield row.json();
        }
      } catch (e) {
        fail(e, true);
      }
    },
    async all(sql, params) {
      try {
        return await request(async (c) => (await c.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<Row>());
      } catch (e) {
        return fail(e);
      }
    },
    async command(sql) {
      try {
        await request((c) => c.command({ query: sql }));
      } catch (e) {
        fail(e);
      }
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      try {
        await request((c) => c.insert({ table, values: rows, format: 'JSONEachRow' }));
      } catch (e) {
        fail(e);
      }
    },
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}
