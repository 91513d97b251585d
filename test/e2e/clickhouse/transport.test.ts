import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startClickHouse } from './server.js';

/*
 * The HTTP transport against a real ClickHouse server (Debian's clickhouse-server 18.16 in CI), with plain
 * fetch. The assertions record what the server answers; the product's error mapping relies on them.
 *
 * What 18.16 answers (observed; newer servers differ in the text, hence the tolerant patterns):
 * - Every error body is one line `Code: <n>, e.displayText() = DB::Exception: <message>, e.what() = DB::Exception`
 *   (newer: `Code: <n>. DB::Exception: <message>. (<NAME>) (version …)`). Parse the code with /^Code: (\d+)[,.]/.
 *   Some messages hold a newline (parse errors on insert: `…: (at row 1)\n, e.what() = …`): read the whole body.
 * - There is NO `X-ClickHouse-Exception-Code` header (newer servers add it), and no `X-ClickHouse-Query-Id`
 *   or `X-ClickHouse-Summary`: the body is the only source of the code.
 * - HTTP status by error: wrong password 401 (code 193 "Wrong password for user logtool"), unknown user 401
 *   (code 192 "Unknown user nobody"; no credentials means user `default`: 192 "Unknown user default"), both
 *   with `WWW-Authenticate: Basic`; missing table 404 (code 60 "Table default.nope doesn't exist."); missing
 *   database 404 (code 81); unknown function 404 (code 46); syntax error 400 (code 62); timeout 500 (code 159
 *   "Timeout exceeded: elapsed 2.000000 seconds, maximum: 1" — checked between blocks, so a single sleep()
 *   runs to its end first); KILL QUERY 500 (code 394 "Query was cancelled"); throwIf 500 (code 395);
 *   unknown JSONEachRow field on insert 500 (code 117); unparsable value on insert 500 (code 27).
 * - An error after the first block was sent (the HTTP buffer is ~1 MB) arrives with status 200: the rows so
 *   far, then the line `Code: 395, e.displayText() = …` ending the body, so a streaming reader must check the
 *   lines it parses. `wait_end_of_query=1` turns it into a 500, but buffers the whole result on the server.
 * - 18.16 knows no query parameters (`param_x=1` → code 115 "Unknown setting param_x") nor
 *   `insert_deduplication_token` (code 115), no DateTime64 and no Map. UInt64 values come back quoted in
 *   JSON formats ("number":"0"); the server time zone here is UTC (set in the harness's config).
 * - Connection refused (nothing listening) is a fetch rejection whose cause has code ECONNREFUSED.
 */

const server = await startClickHouse();
const skip = 'skip' in server ? server.skip : undefined;
if (skip) console.warn(`ClickHouse transport tests skipped: ${skip}`);
const ch = 'skip' in server ? undefined : server;

afterAll(async () => {
  await ch?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

function auth(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

/** POSTs a query (and data after it, for INSERT … FORMAT) with the given settings as URL parameters. */
async function query(
  sql: string,
  opts: { data?: string; settings?: Record<string, string>; user?: string; password?: string | null } = {},
): Promise<Answer> {
  const url = new URL(ch!.url + '/');
  for (const [k, v] of Object.entries(opts.settings ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (opts.password !== null) headers.authorization = auth(opts.user ?? ch!.user, opts.password ?? ch!.password);
  let body = sql;
  if (opts.data !== undefined) {
    url.searchParams.set('query', sql);
    body = opts.data;
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const errorCode = (body: string): number | undefined => {
  const m = /^Code: (\d+)[,.]/.exec(body);
  return m ? Number(m[1]) : undefined;
};

describe.skipIf(skip !== undefined)('ClickHouse over HTTP (real server)', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({
    ts: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, 19).replace('T', ' '),
    seq: i,
    level: i % 10 === 0 ? 'ERROR' : 'INFO',
    msg: `request ${i} served in ${i % 97} ms — "quoted" \\ back\tslash`,
  }));

  it('answers /ping with Ok.', async () => {
    const res = await fetch(`${ch!.url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Ok.\n');
  });

  it('creates a table, inserts a batch as JSONEachRow and counts it', async () => {
    const create = await query('CREATE TABLE logs (ts DateTime, seq UInt32, level String, msg String) ENGINE = MergeTree ORDER BY (ts, seq)');
    expect(create).toMatchObject({ status: 200, body: '' });
    // One POST for the whole batch: the query in the URL, the rows in the body.
    const insert = await query('INSERT INTO logs FORMAT JSONEachRow', { data: rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });
    expect(insert).toMatchObject({ status: 200, body: '' });
    const count = await query('SELECT count() AS n, countIf(level = \'ERROR\') AS errors FROM logs FORMAT JSONEachRow');
    expect(count.status).toBe(200);
    // count() is UInt64: quoted in JSON.
    expect(JSON.parse(count.body)).toEqual({ n: '5000', errors: '500' });
  });

  it('streams a select back row by row, equal to what was inserted', async () => {
    const url = new URL(ch!.url + '/');
    url.searchParams.set('max_block_size', '500');
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: auth(ch!.user, ch!.password) },
      body: 'SELECT ts, seq, level, msg FROM logs ORDER BY ts, seq FORMAT JSONEachRow',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const got: unknown[] = [];
    let chunks = 0;
    let rest = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body! as unknown as AsyncIterable<Uint8Array>) {
      chunks++;
      rest += decoder.decode(chunk, { stream: true });
      const lines = rest.split('\n');
      rest = lines.pop()!;
      for (const line of lines) got.push(JSON.parse(line));
    }
    expect(rest).toBe('');
    expect(chunks).toBeGreaterThan(1);
    expect(got).toEqual(rows);
  });

  it('a wrong password is 401 with "Wrong password" (code 193); an unknown user is 401 with code 192', async () => {
    const wrong = await query('SELECT 1', { password: 'not-the-password' });
    // 18.16: 401; newer servers answer 516 AUTHENTICATION_FAILED (HTTP 403).
    expect([401, 403]).toContain(wrong.status);
    expect([193, 516]).toContain(errorCode(wrong.body));
    expect(wrong.body).toMatch(/Wrong password for user logtool|Authentication failed/);
    expect(wrong.body).not.toContain('not-the-password');

    const nobody = await query('SELECT 1', { user: 'nobody', password: 'x' });
    expect([401, 403]).toContain(nobody.status);
    expect([192, 516]).toContain(errorCode(nobody.body));

    // No credentials at all means the user `default`, which this server does not have.
    const anonymous = await query('SELECT 1', { password: null });
    expect([401, 403]).toContain(anonymous.status);
    expect(anonymous.body).toMatch(/default/);
  });

  it('a missing table is 404 with code 60 naming the table; a missing database is 404 with code 81', async () => {
    const table = await query('SELECT * FROM nope');
    expect(table.status).toBe(404);
    expect(errorCode(table.body)).toBe(60);
    expect(table.body).toContain("Table default.nope doesn't exist");
    expect(table.headers.get('content-type')).toMatch(/^text\/plain/);

    const db = await query('SELECT 1', { settings: { database: 'nodb' } });
    expect(db.status).toBe(404);
    expect(errorCode(db.body)).toBe(81);
  });

  it('a query longer than max_execution_time fails with code 159 "Timeout exceeded"', async () => {
    // sleep() is at most 3 s per block and the limit is checked between blocks: sleep(2) with a 1 s limit.
    const res = await query('SELECT sleep(2)', { settings: { max_execution_time: '1' } });
    expect(res.status).toBe(500);
    expect(errorCode(res.body)).toBe(159);
    expect(res.body).toMatch(/Timeout exceeded: elapsed [\d.]+ seconds, maximum: 1/);
  });

  it('KILL QUERY by query_id stops a running query; its client gets code 394 "Query was cancelled"', async () => {
    // Closing the connection does not stop an aggregate on 18.16 (no cancel_http_readonly_queries_on_client_close:
    // code 115), it runs until max_execution_time; a streaming select stops when its write fails. So a client
    // timeout must send max_execution_time as well, or KILL QUERY by the query_id it chose.
    const id = `logtool-${randomUUID()}`;
    // Ten blocks of half a second: cancellable between blocks.
    const running = query('SELECT sleep(0.5) FROM numbers(10)', { settings: { query_id: id, max_block_size: '1' } });
    for (let i = 0; i < 100; i++) {
      const seen = await query(`SELECT count() FROM system.processes WHERE query_id = '${id}'`);
      if (seen.body === '1\n') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const kill = await query(`KILL QUERY WHERE query_id = '${id}' SYNC FORMAT TSV`);
    expect(kill.status).toBe(200);
    expect(kill.body).toContain(id);
    const res = await running;
    expect(res.status).toBe(500);
    expect(errorCode(res.body)).toBe(394);
    expect(res.body).toContain('Query was cancelled');
  });

  it('an insert with an unknown column fails with code 117 and inserts nothing', async () => {
    const res = await query('INSERT INTO logs FORMAT JSONEachRow', { data: '{"ts":"2024-01-02 00:00:00","seq":1,"level":"INFO","msg":"x","zz":1}\n' });
    expect(res.status).toBe(500);
    expect(errorCode(res.body)).toBe(117);
    expect(res.body).toContain('Unknown field found while parsing JSONEachRow format: zz');
    expect((await query('SELECT count() FROM logs')).body).toBe('5000\n');
  });

  it('an error after rows were sent comes with status 200, as the last line of the body', async () => {
    const res = await query('SELECT number, throwIf(number = 200000) AS t FROM system.numbers LIMIT 300000 FORMAT JSONEachRow', {
      settings: { max_block_size: '1000' },
    });
    expect(res.status).toBe(200);
    const lines = res.body.trimEnd().split('\n');
    expect(lines[0]).toBe('{"number":"0","t":0}');
    expect(errorCode(lines.at(-1)!)).toBe(395);
    expect(lines.length).toBeLessThan(200_002);
  });

  it('nothing listening is a fetch rejection with ECONNREFUSED', async () => {
    const port = await freePort();
    const err = await fetch(`http://127.0.0.1:${port}/ping`).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(err?.cause?.code).toBe('ECONNREFUSED');
  });
});
