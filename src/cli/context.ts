import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { showProgress } from '../render/progress.js';
import { planRanges, threadCount } from '../parallel/run.js';
import type { Range } from '../parallel/split.js';
import { loadConfig, type Config } from '../config.js';
import { UsageError } from '../errors.js';
import { buildFilter, parseLevelOption, parseTimeBound, parseWhere, type FilterSpec } from '../filter.js';
import type { Normalizer } from '../read/assemble.js';
import { userTimeProblem } from '../normalize/time.js';
import { readSources, resolveSources, type Source } from '../read/index.js';
import { spoolStreams } from './spool.js';
import { colorEnabled, drained, handleBrokenPipe, warn } from '../render/output.js';
import type { FileStats, Level, LogRecord } from '../types.js';
import { buildNormalizer, normalizeOptions } from './normalizer.js';
import { tallyingFilter, windowTally, type WindowTally } from '../health/tally.js';
import { lastTime, openTable, pushesDown, readTable, windowOnServer, type TableSource } from '../source/clickhouse/read.js';
import { onExit } from './cleanup.js';
import { outputWidth } from '../render/text/layout.js';
import { startPager } from '../render/pager.js';

/** Options every command understands (spec §3). */
export interface CommonOptions {
  since?: string;
  until?: string;
  relativeTo?: string;
  level?: string;
  where?: string[];
  json?: boolean;
  color?: boolean;
  tz?: string;
  field?: string[];
  extract?: string[];
  durationUnit?: string;
  format?: string;
  config?: string;
  /** `--from <url>`: read a ClickHouse table instead of files (true: `LOGTOOL_CLICKHOUSE_URL`). */
  from?: string | boolean;
  map?: string[];
  timeout?: string;
  /** `--width <columns>`: the width human output is fitted to. */
  width?: string;
  /** `--no-pager` sets it false. */
  pager?: boolean;
}

/** Commander accumulator for repeatable options. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Adds the common options to a command. */
export function addCommonOptions(cmd: Command): Command {
  // `check` has its own `--format` (its report), which also takes a layout name.
  if (!cmd.options.some((o) => o.long === '--format')) {
    cmd.option('--format <layout>', 'read text lines with this layout only (see README: Inputs); json: no text layouts; default: detected per line');
  }
  return cmd
    .option('--since <time>', 'only records at or after this time (ISO, or 15m/2h/1d back)')
    .option('--until <time>', 'only records at or before this time (ISO, or 15m/2h/1d back)')
    .addOption(new Option('--relative-to <anchor>', 'what relative --since/--until count back from').choices(['now', 'last']).default('now'))
    .option('--level <min>', 'only records at this level or above (trace, debug, info, warn, error, fatal)')
    .option('--where <cond>', 'field=value, field!=value, field~regex, field>n, field<n (repeatable)', collect)
    .option('--json', 'one JSON document on stdout')
    .option('--no-color', 'no colours, even on a terminal')
    .option('--width <columns>', 'fit human output to this many columns (default: the terminal\'s, else $COLUMNS, else 80)')
    .option('--no-pager', 'never page long human output (default on a terminal: $LOGTOOL_PAGER, $PAGER, or less -R -F -X)')
    .option('--tz <zone>', 'zone for times that carry none (IANA name or +hh:mm; default UTC)')
    .option('--field <map>', 'extra alias, e.g. duration=latency_us:us or id=txn (repeatable)', collect)
    .option('--extract <name=regex>', "a field taken from the message (else the line) by a regex with one group, e.g. 'user=user=(\\w+)' (repeatable)", collect)
    .option('--duration-unit <unit>', 'unit of bare duration/elapsed/latency numbers: ns, us, ms (default), s')
    .option('--config <file>', 'config file (default: .logtoolrc.json or logtool.config.json here or above)')
    .option('--from [url]', 'read a ClickHouse table instead of files: clickhouse://user@host:8123/db?table=otel_logs or chdb:<dir> (default: $LOGTOOL_CLICKHOUSE_URL)')
    .option('--map <field=column>', 'with --from: the column holding a field of an OpenTelemetry-shaped table, e.g. time=ts (repeatable)', collect)
    .option('--timeout <seconds>', 'with --from: how long a query may run on the server (default 300)');
}

/** Everything a command needs to read its inputs. */
export interface Run {
  sources: Source[];
  config: Config;
  normalizer: Normalizer;
  color: boolean;
  json: boolean;
  /** The width human output is fitted to (see render/text/layout.ts). */
  width: number;
  filterSpec: FilterSpec;
  /** Inputs that could not be read; any makes the exit code 2. */
  problems: number;
  options: CommonOptions;
  /** Problems already reported, so a second pass over the inputs does not repeat them. */
  reported: Set<string>;
  /** Set once `--since`/`--until` are resolved (a relative bound counts from one moment). */
  boundsResolved?: boolean;
  /** How the records of the last read pass fell against `--since/--until` (set by readAll). */
  window?: WindowTally;
  /** The ClickHouse table read instead of files (`--from`). */
  table?: TableSource;
}

/** Extra reading hints a command may give. */
export interface PrepareHints {
  /** Level used when `--level` is not given (errors: `error`). */
  defaultLevel?: Level;
  /** Inputs are followed, not read once: they may not exist yet, so they are not resolved here. */
  follow?: boolean;
  /** False: the output is never paged (streams, the dashboard, ship); following never is. */
  page?: boolean;
}

/** Resolves inputs, config and filters; reports unresolvable inputs on stderr. */
export async function prepareRun(inputs: string[], o: CommonOptions, hints: PrepareHints = {}): Promise<Run> {
  handleBrokenPipe();
  checkTimeOption('since', o.since);
  checkTimeOption('until', o.until);
  const width = outputWidth(o.width);
  // Long human output on a terminal goes through a pager (README: Pager).
  startPager({ json: o.json, pager: o.pager, page: hints.page !== false && !hints.follow });
  const config = loadConfig(process.cwd(), o.config);
  const normalizer = configNamed(config, o, () => buildNormalizer(o, config));
  const stdinIsPipe = !process.stdin.isTTY;
  const table = await fromTable(inputs, o, stdinIsPipe, hints);
  if (table) {
    const level = o.level !== undefined ? parseLevelOption(o.level) : hints.defaultLevel;
    return { sources: [], config, normalizer, color: !o.json && colorEnabled(o.color), json: Boolean(o.json), width, filterSpec: { level, where: (o.where ?? []).map(parseWhere) }, problems: 0, options: o, reported: new Set(), table };
  }
  if (inputs.length === 0 && !stdinIsPipe) {
    throw new UsageError('no input: name files, directories or globs, or pipe logs into stdin (see --help)');
  }
  const { sources, problems } = hints.follow ? { sources: [], problems: [] } : await resolveSources(inputs, stdinIsPipe);
  for (const p of problems) warn(`${p.name}: ${p.message} (check the path; quote globs so logtool expands them)`);
  // Known now: a run that ends early (the pager quit, `| head`) still exits 2 for an input it could not read.
  if (problems.length) process.exitCode = 2;
  const level = o.level !== undefined ? parseLevelOption(o.level) : hints.defaultLevel;
  const filterSpec: FilterSpec = { level, where: (o.where ?? []).map(parseWhere) };
  return {
    sources,
    config,
    normalizer,
    color: !o.json && colorEnabled(o.color),
    json: Boolean(o.json),
    width,
    filterSpec,
    problems: problems.length,
    options: o,
    reported: new Set(),
  };
}

/** Options for one read pass. */
export interface ReadPass {
  onRecord: (r: LogRecord) => void;
  mustContain?: Buffer[];
  lineTest?: RegExp;
  lineSkip?: (buf: Buffer, start: number, end: number) => boolean;
  /** Asked after each chunk read; by default reading waits while stdout's reader is behind. */
  pause?: () => Promise<void> | undefined;
  /** Read only about this many bytes of each input (its first read chunks): a sample. */
  headBytes?: number;
  /** The command uses only records with a duration or a `performance_violation` flag (`--from` leaves the rest on the server). */
  timedOnly?: boolean;
  /** The command uses only records at this level or above, breaker events and cascade flags (`errors`; `--from` leaves the rest on the server). */
  errorsAt?: Level;
}

/**
 * Reads every input once, applying the common filters. `--relative-to last` needs the last
 * record's time first, which costs one extra pass.
 */
export async function readAll(run: Run, pass: ReadPass): Promise<FileStats[]> {
  await resolveTimeBounds(run);
  run.window = windowTally(run.filterSpec.since, run.filterSpec.until);
  const filter = tallyingFilter(run.window, buildFilter(run.filterSpec));
  if (run.table) return readTableRun(run, run.table, pass);
  return withProgress(run, (counter) => {
    const onRecord = (r: LogRecord) => {
      counter.records++;
      pass.onRecord(r);
    };
    return readSources(run.sources, { normalizer: run.normalizer, onRecord, filter, mustContain: pass.mustContain, lineTest: pass.lineTest, lineSkip: pass.lineSkip, pause: pass.pause ?? drained, progress: counter, headBytes: pass.headBytes }, (p) => {
      const text = `${p.source}: ${p.message}`;
      if (run.reported.has(text)) return;
      run.reported.add(text);
      run.problems++;
      warn(text);
    });
  });
}

/**
 * A read of the `--from` table. With `--since/--until` pushed into the SQL, the rows outside the
 * window stay on the server, so the server counts how the table falls against it.
 */
async function readTableRun(run: Run, table: TableSource, pass: ReadPass): Promise<FileStats[]> {
  const ids = pass.mustContain?.map((b) => b.toString('utf8'));
  const pushed = pushesDown(table);
  if (pushed && run.window) await windowOnServer(table, run.window);
  const filter = pushed ? buildFilter(run.filterSpec) : tallyingFilter(run.window, buildFilter(run.filterSpec));
  const limit = pass.headBytes === undefined ? undefined : SAMPLE_ROWS;
  const n = normalizeOptions(run.options, run.config);
  const aliased = (n.overrides?.length ?? 0) > 0 || (n.extract?.length ?? 0) > 0;
  const wanted = { filter: run.filterSpec, ids, timed: pass.timedOnly, errorsAt: pass.errorsAt, aliased };
  return withProgress(run, (counter) =>
    readTable(table, { normalizer: run.normalizer, wanted, filter, onRecord: pass.onRecord, limit, progress: counter, pause: pass.pause ?? drained, window: pushed ? run.window : undefined }),
  );
}

/** Runs work that reads the inputs with a progress line on stderr (a terminal only, large inputs only). */
export async function withProgress<T>(run: Run, work: (counter: { bytes: number; records: number }) => Promise<T>): Promise<T> {
  const counter = { bytes: 0, records: 0 };
  const done = showProgress(counter, totalSize(run.sources));
  try {
    return await work(counter);
  } finally {
    done();
  }
}

/** How to split the inputs across worker threads, or undefined to read them on this thread. */
export function parallelPlan(run: Run): Range[][] | undefined {
  if (run.table) return undefined;
  try {
    return planRanges(run.sources.map((s) => ({ name: s.name, path: s.path, size: s.path ? statSync(s.path).size : 0 })), threadCount(), run.options.format);
  } catch {
    return undefined;
  }
}

/** Bytes on disk of the file inputs (compressed ones count as stored, so progress may pass 100%). */
function totalSize(sources: Source[]): number {
  let n = 0;
  for (const s of sources) {
    if (!s.path) continue;
    try {
      n += statSync(s.path).size;
    } catch {
      /* reported when read */
    }
  }
  return n;
}

/** Turns `--since`/`--until` into times (relative ones count back from now or the last record). */
export async function resolveTimeBounds(run: Run): Promise<void> {
  const o = run.options;
  if (run.boundsResolved || (o.since === undefined && o.until === undefined)) return;
  run.boundsResolved = true;
  let anchor = Date.now();
  if (o.relativeTo === 'last' && run.table) {
    anchor = (await lastTime(run.table)) ?? anchor;
  } else if (o.relativeTo === 'last') {
    // Finding the last time reads the inputs once before the run reads them: stdin is kept in a
    // temporary file so that the run still sees every line of it.
    process.once('exit', await spoolStreams(run.sources));
    let last = -Infinity;
    await readSources(run.sources, { normalizer: run.normalizer, onRecord: (r) => {
      if (r.time !== undefined && r.time > last) last = r.time;
    } }, () => undefined);
    if (last !== -Infinity) anchor = last;
  }
  const parse = (v: unknown) => run.normalizer.time(v);
  // `now` is the anchor itself (the last record's time with --relative-to last).
  const bound = (v: string) => (v.trim().toLowerCase() === 'now' ? '0s' : v);
  if (o.since !== undefined) run.filterSpec.since = parseTimeBound('since', bound(o.since), anchor, parse);
  if (o.until !== undefined) run.filterSpec.until = parseTimeBound('until', bound(o.until), anchor, parse);
}

/** Sets the exit code: unreadable inputs (2) outrank a "no" answer (1). */
export function finish(run: Run, code: number): void {
  const final = run.problems > 0 ? 2 : code;
  if (final > (typeof process.exitCode === 'number' ? process.exitCode : 0)) process.exitCode = final;
}

/** Rows read for a sample of a table (what a sample of a file's head is for files). */
const SAMPLE_ROWS = 10_000;

/**
 * The `--from` table, opened, or undefined to read files: `--from <url>`, bare `--from` (or no
 * input, no pipe, and `LOGTOOL_CLICKHOUSE_URL` set) for the environment's URL.
 */
async function fromTable(inputs: string[], o: CommonOptions, stdinIsPipe: boolean, hints: PrepareHints): Promise<TableSource | undefined> {
  const fromEnv = o.from === undefined && inputs.length === 0 && !stdinIsPipe && !hints.follow && Boolean(process.env.LOGTOOL_CLICKHOUSE_URL);
  if (o.from === undefined && !fromEnv) {
    if (o.map?.length || o.timeout !== undefined) throw new UsageError(`--${o.map?.length ? 'map' : 'timeout'} applies only with --from`);
    return undefined;
  }
  if (hints.follow) throw new UsageError('--from reads a table once; following (--follow, tail) needs files');
  if (inputs.length > 0) throw new UsageError(`--from reads a table: give either --from or input files, not both (got ${inputs[0]})`);
  if (o.timeout !== undefined && !(Number(o.timeout) > 0)) throw new UsageError(`--timeout '${o.timeout}': expected a number of seconds, e.g. 60`);
  const table = await openTable({ from: typeof o.from === 'string' ? o.from : undefined, map: o.map, timeout: o.timeout });
  onExit(() => table.conn.close());
  return table;
}

/** Relative `--since/--until` values: a number and a unit. */
const RELATIVE_BOUND = /^\d+(?:\.\d+)?\s*[a-zµ]+$/i;

/**
 * A `--since`/`--until` value that cannot be a time is a usage error before anything is read:
 * an ISO time with fields that do not exist (month 13, February 30, hour 24, minute 60, an
 * offset beyond ±14:00) is not quietly rolled over into another time.
 */
export function checkTimeOption(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const v = value.trim();
  if (v === '') throw new UsageError(`--${name} '${value}': empty; expected an ISO time (2024-01-15T10:30:00Z), a duration back from now (15m, 2h, 1d) or now`);
  if (v.toLowerCase() === 'now') return;
  // A duration back (15m, 2h, 1d): read, and refused with the reason, when the bounds are resolved.
  if (RELATIVE_BOUND.test(v)) return;
  const why = userTimeProblem(v);
  if (why) throw new UsageError(`--${name} '${value}': ${why}`);
}

/** A bad `tz` or `durationUnit` taken from the config file is reported as the file's, not as an option. */
function configNamed<T>(config: Config, o: CommonOptions, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (!(e instanceof UsageError) || !config.file) throw e;
    const m = /^--(tz|duration-unit) (.*)$/s.exec(e.message);
    const fromConfig = m && (m[1] === 'tz' ? o.tz === undefined && config.tz !== undefined : o.durationUnit === undefined && config.durationUnit !== undefined);
    if (!m || !fromConfig) throw e;
    throw new UsageError(`${config.file}: ${m[1] === 'tz' ? 'tz' : 'durationUnit'} ${m[2]}`);
  }
}
