import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { out, warn } from '../../render/output.js';
import { writeJson } from '../../render/sink.js';
import { visible } from '../../render/text/sanitize.js';
import { connect, type Conn, type Row } from '../../source/clickhouse/connect.js';
import { detectSchema, logtoolFilesDdl, logtoolTableDdl, type Schema } from '../../source/clickhouse/schema.js';
import { fileRow, headOf, logtoolRow, otelRow, resumeOf, shippedContents, textHash, type Shipped } from '../../source/clickhouse/ship-rows.js';
import { readSources } from '../../read/index.js';
import { parseTarget } from '../../source/clickhouse/url.js';
import type { LogRecord } from '../../types.js';
import { addCommonOptions, finish, prepareRun, readAll, type CommonOptions, type Run } from '../context.js';
import { onExit } from '../cleanup.js';
import { runHealth } from '../health.js';

interface ShipCliOptions extends CommonOptions {
  to?: string;
  batch?: string;
}

const DEFAULT_BATCH = 10_000;
/** A batch is sent early once its rows hold about this many bytes of text. */
const BATCH_BYTES = 16 << 20;
const DEFAULT_TABLE = 'logtool_logs';

/** `logtool ship <inputs…> --to <url>`: records into a ClickHouse table, in batches, resumable. */
export function registerShip(program: Command): void {
  const cmd = program
    .command('ship')
    .description("stream records (any format logtool reads) into ClickHouse — logtool's table or an OpenTelemetry otel_logs table — in batches, resumable without duplicates")
    .argument('[inputs...]', 'files, directories or globs (stdin when none)')
    .option('--to <url>', 'clickhouse://user@host:8123/db?table=logtool_logs, https://…, or chdb:<dir> (default: $LOGTOOL_CLICKHOUSE_URL)')
    .option('--batch <rows>', `rows per insert (default ${DEFAULT_BATCH})`);
  addCommonOptions(cmd);
  cmd.addHelpText('after', `
The table is created when absent (logtool's own; its DDL is in the README). An existing
OpenTelemetry otel_logs table (?table=otel_logs) is written in its own columns, with the
record's fields as LogAttributes. Each file's records go in order, one insert per batch: a run
that was interrupted is resumed by running it again, from the first record the table lacks.

Examples:
  logtool ship 'logs/**/*.log*' --to clickhouse://default@localhost:8123/default
  logtool ship logs/ --to chdb:./logs-db && logtool errors --from chdb:./logs-db`);
  cmd.action(async (inputs: string[], o: ShipCliOptions) => {
    if (o.from !== undefined) throw new UsageError('ship reads files and writes to --to; --from is for the reading commands');
    // A resumed ship starts after the last record the table holds: that holds only if every record before it was sent.
    const filter = (['since', 'until', 'level', 'where'] as const).find((k) => o[k] !== undefined);
    if (filter) throw new UsageError(`ship sends every record of its inputs, so that a later run can resume where it stopped; filter when reading instead (logtool errors --from … --${filter} …)`);
    const batchSize = o.batch === undefined ? DEFAULT_BATCH : Number(o.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch '${o.batch}': expected a whole number of rows, e.g. 10000`);
    if (o.timeout !== undefined && !(Number(o.timeout) > 0)) throw new UsageError(`--timeout '${o.timeout}': expected a number of seconds, e.g. 60`);
    const target = parseTarget(o.to);
    // --timeout is the insert's here, not a --from read's.
    const run = await prepareRun(inputs, { ...o, timeout: undefined }, { page: false });
    const conn = await connect(target, { timeoutS: o.timeout === undefined ? undefined : Number(o.timeout), create: true });
    onExit(() => conn.close());
    const schema = await tableFor(conn, target.table ?? DEFAULT_TABLE);
    const where = `${target.display}/${target.database}.${schema.table}`;
    const shipped = await shippedContents(conn, schema);
    const plans = await resumePlans(run, shipped);
    const ordinals = new Map<string, number>();
    let batch: Row[] = [];
    let bytes = 0;
    let sent = 0;
    let present = 0;
    let inflight: Promise<void> | undefined;
    const flush = async () => {
      if (inflight) await inflight;
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      bytes = 0;
      await conn.insert(schema.table, rows);
      sent += rows.length;
    };
    const toRow = (r: LogRecord, ordinal: number, head: string) => (schema.kind === 'logtool' ? logtoolRow(r, ordinal, head) : otelRow(schema, r, ordinal, head));
    let failure: unknown;
    const files = await readAll(run, {
      onRecord: (r) => {
        const ordinal = ordinals.get(r.file) ?? 0;
        ordinals.set(r.file, ordinal + 1);
        let plan = plans.get(r.file);
        // A file the table has nothing of (or stdin, which cannot be read twice to check): new content.
        if (plan === undefined) plans.set(r.file, (plan = resumeOf(headOf(r), shipped.get(r.file) ?? [], new Map())));
        if (ordinal < plan.next) {
          present++;
          return;
        }
        batch.push(toRow(r, ordinal, plan.head));
        bytes += r.text.length + 200;
        if ((batch.length >= batchSize || bytes >= BATCH_BYTES) && !inflight) {
          inflight = flush().catch((e) => {
            failure ??= e;
          }).finally(() => {
            inflight = undefined;
          });
        }
      },
      // Reading waits while a batch is being inserted: memory stays at about one batch.
      pause: () => (failure ? Promise.reject(failure) : inflight),
    }).catch((e) => {
      throw failure ?? e;
    });
    if (inflight) await inflight;
    if (failure) throw failure;
    await flush();
    if (schema.kind === 'logtool') {
      const shippedMs = Date.now();
      await conn.insert(`${schema.table}_files`, files.map((f, i) => fileRow(f, i, shippedMs)));
    }
    // What could not be read as records (unparsed lines, unknown levels) is said as every command says it.
    const health = runHealth(run, files);
    const summary = { to: where, table: schema.table, schema: schema.kind, files: files.length, records: files.reduce((n, f) => n + f.records, 0), shipped: sent, already_present: present, warnings: health.warnings };
    if (run.json) await writeJson(summary);
    else out(`shipped ${sent.toLocaleString('en-US')} record(s) from ${files.length} input(s) to ${visible(where)}${present ? ` (${present.toLocaleString('en-US')} already there, skipped)` : ''}\n`);
    if (run.problems > 0) warn(`${run.problems} input(s) could not be read in full; run ship again once they are readable (records already shipped are skipped)`);
    finish(run, 0);
  });
}

/** Ends a read early: what was wanted of a file has been seen. */
class Seen extends Error {}

/**
 * Where each input already in the table resumes. The table's contents under the input's name are
 * checked against the file itself — its first record, and its record just before each resume
 * point — so that a resumed ship only ever skips records the table holds (a file that grew), and
 * new content under an old name is sent whole.
 */
async function resumePlans(run: Run, shipped: Map<string, Shipped[]>): Promise<Map<string, { head: string; next: number }>> {
  const plans = new Map<string, { head: string; next: number }>();
  for (const source of run.sources) {
    const contents = shipped.get(source.name);
    if (!contents || source.stdin || source.stream) continue;
    const wanted = new Set(contents.map((c) => c.next - 1));
    const last = Math.max(...wanted);
    const texts = new Map<number, string>();
    let head: string | undefined;
    let ordinal = 0;
    try {
      await readSources([source], {
        normalizer: run.normalizer,
        onRecord: (r) => {
          if (ordinal === 0) head = headOf(r);
          if (wanted.has(ordinal)) texts.set(ordinal, textHash(r.text));
          if (ordinal++ >= last) throw new Seen();
        },
      }, () => undefined);
    } catch (e) {
      if (!(e instanceof Seen)) throw e;
    }
    if (head !== undefined) plans.set(source.name, resumeOf(head, contents, texts));
  }
  return plans;
}

/** The target table's shape, creating logtool's table (and its per-file accounting) when absent. */
async function tableFor(conn: Conn, table: string): Promise<Schema> {
  const db = conn.target.database;
  const names = new Set((await conn.all(`SHOW TABLES FROM ${db}`)).map((r) => String(r.name)));
  if (!names.has(table)) {
    // otel_logs is the exporter's to create (its DDL has its own types, keys and TTL): never logtool's table under its name.
    if (table === 'otel_logs') throw new UsageError(`${conn.target.display}: table ${db}.otel_logs does not exist; the OpenTelemetry exporter creates it (ship creates only logtool's own table: ?table=logtool_logs)`);
    await conn.command(logtoolTableDdl(db, table));
  }
  const schema = await detectSchema(conn.target.table === table ? conn : { ...conn, target: { ...conn.target, table } });
  if (schema.kind === 'logtool' && !names.has(`${table}_files`)) await conn.command(logtoolFilesDdl(db, table));
  return schema;
}
