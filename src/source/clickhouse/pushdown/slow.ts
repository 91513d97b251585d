import { BUCKET_BOUNDS, type SlowGroup, type SlowOptions, type SlowResult, type SlowSample } from '../../../analyze/slow.js';
import { lerp } from '../../../analyze/lib/quantiles.js';
import { templateRoute } from '../../../analyze/lib/routes.js';
import type { FilterSpec } from '../../../filter.js';
import type { Params } from '../connect.js';
import type { TableSource } from '../read.js';
import { columnsExact, filterPushedExactly, wherePredicates } from '../sql.js';
import { tableStats } from '../read.js';

/** Servers that have arrayFold (a sum in a fixed order) and `LIMIT n BY`. */
const MIN_MAJOR = 23;
/** Distinct raw group values mapped to their routes in logtool at most; more are read as records. */
const MAX_RAW_KEYS = 20_000;
/** The raw keys and their groups sent as parameters, in bytes at most (ClickHouse's URL limit is 1 MiB). */
const MAX_PARAM_BYTES = 256 * 1024;
/** Slowest records per group fetched with `LIMIT n BY` at most; more are read as records. */
const MAX_SLOWEST = 1000;
/** The percentiles reported, in SlowGroup's order. */
const PS = [0.5, 0.9, 0.95, 0.99];
/** `--by` fields that are columns of logtool's table. */
const COLUMNS: Record<string, string> = { operation: 'operation', service: 'service', component: 'component', event_type: 'event_type', error_type: 'error_type' };
const SEP = '\u0000';
/**
 * A record flagged `performance_violation: true` (or "true"), its key found as reading finds it:
 * the exact name first, else the first top-level key that matches in any case.
 */
const FLAGGED = `(positionCaseInsensitive(raw, 'performance_violation') > 0 AND if(JSONHas(raw, 'performance_violation'), JSONExtractRaw(raw, 'performance_violation'), arrayFirst(kv -> lower(kv.1) = 'performance_violation', JSONExtractKeysAndValuesRaw(raw)).2) IN ('true', '"true"'))`;

/**
 * `slow` on logtool's table as SQL: the server groups the durations (routes templated as logtool
 * templates them), sorts each group and sends back, per group, the order statistics the
 * percentiles interpolate between, the sum in sorted order (the mean), the histogram's cumulative
 * counts and the slowest records — the figures reading the records gives, interpolated here by
 * the same code. Undefined, and the records are read instead, outside the case where the answer
 * is exact on both sides: a `--by` field that is not a column, per-layer/operation limits from
 * the config, more durations than `--budget` (then
 * logtool sketches), `--sketch`, more groups than `--max-groups`.
 */
export async function slowOnServer(src: TableSource, filter: FilterSpec, o: SlowOptions): Promise<SlowResult | undefined> {
  const by = o.by ?? ['operation'];
  if (!filterPushedExactly(src.schema, filter) || src.major < MIN_MAJOR || o.forceSketch || (o.slowest ?? 5) > MAX_SLOWEST) return undefined;
  if (Object.keys(o.thresholds?.layer ?? {}).length || Object.keys(o.thresholds?.operation ?? {}).length) return undefined;
  const cols = by.map((f) => COLUMNS[f.toLowerCase()]);
  if (cols.some((c) => c === undefined) || by.length === 0) return undefined;
  const { sql: where, params } = wherePredicates(src.schema, { filter }, true);
  const t = `${src.conn.target.database}.${src.schema.table}`;
  const and = (cond: string) => (where ? `${where} AND ${cond}` : `WHERE ${cond}`);
  const q = (sql: string, p: Params = params) => src.conn.all(sql, p);
  if (!(await columnsExact(src.conn, t, [...filter.where.map((c) => c.field), ...by]))) return undefined;
  const raw = cols.map((c) => `ifNull(${c}, '(none)')`).join(`, '\\0', `);
  const rawKey = by.length === 1 ? raw : `concat(${raw})`;
  const rows = and(`(duration_ms IS NOT NULL OR ${FLAGGED})`);
  const [size] = await q(`SELECT count(duration_ms) AS n, uniqExact(${rawKey}) AS keys FROM ${t} ${rows}`);
  const total = Number(size.n);
  if (total > (o.budget ?? 2_000_000) || Number(size.keys) > MAX_RAW_KEYS) return undefined;
  // Each distinct raw key's group, templated here as reading templates it.
  const routes = o.routes !== false;
  const rawKeys = (await q(`SELECT DISTINCT ${rawKey} AS k FROM ${t} ${rows}`)).map((r) => String(r.k));
  const sigOf = (k: string) => (routes ? k.split(SEP).map(templateRoute).join(SEP) : k);
  const sigs = rawKeys.map(sigOf);
  if (new Set(sigs).size > (o.maxGroups ?? 10_000)) return undefined;
  // Query parameters travel in the URL: a map too large for it is left to reading the records.
  if (JSON.stringify(rawKeys).length + JSON.stringify(sigs).length > MAX_PARAM_BYTES) return undefined;
  const files = (await tableStats(src)).map((f) => f.source);
  const p: Params = { ...params, raw_keys: rawKeys, sigs, bounds: BUCKET_BOUNDS, file_order: files };
  const sig = `transform(${rawKey}, {raw_keys:Array(String)}, {sigs:Array(String)}, '')`;
  const threshold = `countIf(${FLAGGED}${o.threshold === undefined ? '' : ' OR duration_ms > {threshold:Float64}'})`;
  if (o.threshold !== undefined) p.threshold = o.threshold;
  const groups = await q(
    `SELECT sig, length(s) AS n, arrayFold((acc, x) -> acc + x, s, toFloat64(0)) AS total,
       arrayMap(p -> (s[toUInt64(floor((length(s) - 1) * p)) + 1], s[least(toUInt64(floor((length(s) - 1) * p)) + 2, length(s))]), {ps:Array(Float64)}) AS ranks,
       arrayMap(b -> arrayCount(x -> x <= b, s), {bounds:Array(Float64)}) AS upto, s[1] AS min, s[length(s)] AS max, violations
     FROM (SELECT ${sig} AS sig, arraySort(groupArray(duration_ms)) AS s, ${threshold} AS violations FROM ${t} ${rows} GROUP BY sig)`,
    { ...p, ps: PS },
  );
  const keep = o.slowest ?? 5;
  const slow = await q(
    `SELECT ${sig} AS sig, ${rawKey} AS raw_key, source, ids, duration_ms, time FROM ${t} ${and('duration_ms IS NOT NULL')}
     ORDER BY duration_ms DESC, indexOf({file_order:Array(String)}, file), ordinal LIMIT ${keep} BY sig`,
    p,
  );
  const slowest = new Map<string, SlowSample[]>();
  for (const r of slow) {
    const k = String(r.sig);
    const sample: SlowSample = { source: String(r.source), id: (r.ids as string[])[0] ?? null, duration_ms: Number(r.duration_ms), time: r.time === null ? undefined : Number(r.time) };
    // A record whose own values differ from its group's (a templated route) carries them, as when read.
    const own = String(r.raw_key).split(SEP);
    const key = k.split(SEP);
    if (own.some((v, i) => v !== key[i])) sample.values = Object.fromEntries(by.map((f, i) => [f, own[i]]));
    const list = slowest.get(k) ?? [];
    list.push(sample);
    slowest.set(k, list);
  }
  let violations = 0;
  const out: SlowGroup[] = groups
    .map((g) => {
      const k = String(g.sig);
      const n = Number(g.n);
      const ranks = g.ranks as [number, number][];
      const upto = (g.upto as number[]).map(Number);
      const histogram = BUCKET_BOUNDS.map((_, i) => (i === BUCKET_BOUNDS.length - 1 ? n - (upto[i - 1] ?? 0) : upto[i] - (i > 0 ? upto[i - 1] : 0)));
      const pct = PS.map((p, i) => {
        if (n === 0) return null;
        const h = (n - 1) * p;
        return lerp(Number(ranks[i][0]), Number(ranks[i][1]), h - Math.floor(h));
      });
      violations += Number(g.violations);
      const keyVals = k.split(SEP);
      return {
        sig: k,
        group: {
          key: Object.fromEntries(by.map((f, i) => [f, keyVals[i]])),
          count: n,
          mean_ms: n === 0 ? null : Number(g.total) / n,
          p50_ms: pct[0],
          p90_ms: pct[1],
          p95_ms: pct[2],
          p99_ms: pct[3],
          max_ms: n === 0 ? null : Number(g.max),
          min_ms: n === 0 ? null : Number(g.min),
          violations: Number(g.violations),
          exact: true,
          relative_error: 0,
          slowest: slowest.get(k) ?? [],
          histogram,
          partial: false,
          missed_at_most: 0,
          other: false,
        } satisfies SlowGroup,
      };
    })
    .sort((x, y) => (x.sig < y.sig ? -1 : x.sig > y.sig ? 1 : 0))
    .map((x) => x.group);
  return { by, groups: out, records_with_duration: total, violations, bucket_bounds_ms: BUCKET_BOUNDS };
}
