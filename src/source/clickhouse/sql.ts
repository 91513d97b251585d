import { fastPathsEnabled } from '../../fast-paths.js';
import { LEVEL_NAMES } from '../../normalize/aliases.js';
import type { FilterSpec, WhereClause } from '../../filter.js';
import { LEVEL_RANK, type Level } from '../../types.js';
import type { Conn, Params } from './connect.js';
import type { Schema } from './schema.js';

/** What a query must let through: the common filters and, for `trace`, the ids looked for. */
export interface Wanted {
  filter: FilterSpec;
  /** Ids a record must contain (anywhere: an id field, the line, the message), any case. */
  ids?: string[];
  /** Only records with a duration, or flagged `performance_violation` (what `slow` reads). */
  timed?: boolean;
  /** Only records at this level or above, circuit-breaker events and `cascade_prevented` flags (what `errors` reads). */
  errorsAt?: Level;
  /**
   * Read-time aliases (`--field`, `--extract`, the config's fields) are in effect: on an
   * OpenTelemetry table they may take a record's level or time from an attribute, so those stay in logtool.
   */
  aliased?: boolean;
}

/**
 * The WHERE clause of a read (or, `aggregate`, of SQL aggregates once `columnsExact` holds), with every value a bound parameter. It lets through at least every
 * row the record filter keeps (logtool applies the filter again on the rows it receives, so an
 * answer never depends on how much was pushed down): exact on logtool's table, whose columns are
 * the normalized fields; on an OpenTelemetry table it drops only rows certainly out (a level word
 * below `--level` with no level attribute to overrule it).
 */
export function wherePredicates(schema: Schema, w: Wanted, aggregate = false): { sql: string; params: Params } {
  const conds: string[] = [];
  const params: Params = {};
  // The plain path (LOGTOOL_NO_FAST_PATHS=1) reads every row and filters here: what differential tests compare against.
  if (!fastPathsEnabled()) return { sql: '', params };
  const { since, until, level, where } = w.filter;
  if (schema.kind === 'logtool') {
    if (since !== undefined) (conds.push('time >= {since:Float64}'), (params.since = since));
    if (until !== undefined) (conds.push('time <= {until:Float64}'), (params.until = until));
    if (level !== undefined) (conds.push('level IN {levels:Array(String)}'), (params.levels = levelsFrom(level)));
    where.forEach((c, i) => {
      const sql = whereSql(c, `w${i}`, aggregate);
      if (sql === undefined) return;
      conds.push(sql);
      params[`w${i}`] = c.number ?? c.level ?? c.value;
    });
    (w.ids ?? []).forEach((id, i) => {
      params[`id${i}`] = id;
    });
    if (w.timed) conds.push(`(duration_ms IS NOT NULL OR positionCaseInsensitive(raw, 'performance_violation') > 0)`);
    if (w.errorsAt !== undefined) {
      params.error_levels = levelsFrom(w.errorsAt);
      conds.push(`(level IN {error_levels:Array(String)} OR positionCaseInsensitive(ifNull(message, ''), 'circuit') > 0 OR positionCaseInsensitive(ifNull(event_type, ''), 'circuit') > 0 OR positionCaseInsensitive(raw, 'cascade_prevented') > 0)`);
    }
    if (w.ids?.length) {
      conds.push(`(${w.ids.map((_, i) => `(positionCaseInsensitive(text, {id${i}:String}) > 0 OR positionCaseInsensitive(raw, {id${i}:String}) > 0 OR arrayExists(x -> positionCaseInsensitive(x, {id${i}:String}) > 0, arrayConcat(ids, continuation)))`).join(' OR ')})`);
    }
  } else {
    const m = schema.map;
    // A zero Timestamp is no time: such a row's time, if any, is an attribute's, judged by logtool.
    const zero = m.time ? `toUnixTimestamp64Nano(toDateTime64(${m.time}, 9)) = 0` : '';
    if (m.time && !w.aliased && since !== undefined) (conds.push(`(${m.time} >= fromUnixTimestamp64Milli({since:Int64}) OR ${zero})`), (params.since = Math.floor(since)));
    if (m.time && !w.aliased && until !== undefined) (conds.push(`(${m.time} <= fromUnixTimestamp64Milli({until:Int64}) OR ${zero})`), (params.until = Math.ceil(until)));
    if (level !== undefined && level !== 'unknown' && m.level && !w.aliased) conds.push(otelAtLeast(schema, level, params));
    if (w.errorsAt !== undefined && w.errorsAt !== 'unknown' && m.level && !w.aliased) {
      const text = [m.message, m.attributes && `arrayStringConcat(arrayConcat(mapKeys(${m.attributes}), mapValues(${m.attributes})), ' ')`].filter(Boolean);
      const markers = text.map((t) => `positionCaseInsensitive(${t}, 'circuit') > 0 OR positionCaseInsensitive(${t}, 'cascade_prevented') > 0`).join(' OR ');
      conds.push(`(${otelAtLeast(schema, w.errorsAt, params)}${markers ? ` OR ${markers}` : ''})`);
    }
    if (w.ids?.length) {
      const cols = [m.trace_id, m.message, m.span_id, m.service].filter((c): c is string => c !== undefined);
      const ors = w.ids.map((id, i) => {
        params[`id${i}`] = id;
        const p = `{id${i}:String}`;
        const parts = cols.map((c) => `positionCaseInsensitive(toString(${c}), ${p}) > 0`);
        for (const mc of [m.attributes, m.resource]) if (mc) parts.push(`arrayExists(x -> positionCaseInsensitive(x, ${p}) > 0, arrayConcat(mapKeys(${mc}), mapValues(${mc})))`);
        return `(${parts.join(' OR ') || '1'})`;
      });
      conds.push(`(${ors.join(' OR ')})`);
    }
  }
  return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

/**
 * Whether the WHERE clause selects exactly the rows the record filter keeps, so that aggregates may
 * run on the server: logtool's table, and every `--where` one the SQL holds.
 */
export function filterPushedExactly(schema: Schema, filter: FilterSpec): boolean {
  if (schema.kind !== 'logtool' || !fastPathsEnabled()) return false;
  return filter.where.every((c, i) => whereSql(c, `w${i}`) !== undefined);
}

/**
 * Whether the columns standing for these fields hold every value logtool would see: no row lacks the
 * normalized field while its original object has a key of that name (which `--where` and `--by`
 * would then read). Asked before an aggregate that groups or filters by them runs on the server.
 */
export async function columnsExact(conn: Conn, table: string, fields: string[]): Promise<boolean> {
  const params: Params = {};
  const checks = [...new Set(fields.map((f) => f.toLowerCase()))]
    .map((f) => [f, f === 'duration' || f === 'duration_ms' ? 'duration_ms' : COLUMN_OF[f]] as const)
    .filter(([, col]) => col !== undefined)
    .map(([f, col], i) => {
      params[`raw_key${i}`] = `"${f}"`;
      return `(${col} IS NULL AND positionCaseInsensitive(raw, {raw_key${i}:String}) > 0)`;
    });
  if (checks.length === 0) return true;
  const cond = `(${checks.join(' OR ')})`;
  // Over the whole table: the filters' own columns may be the ones in question.
  const [r] = await conn.all(`SELECT count() AS n FROM ${table} WHERE ${cond}`, params);
  return Number(r?.n ?? 0) === 0;
}

/**
 * The SQL of a `--where` condition on logtool's table that selects exactly the records `matchWhere`
 * keeps (its parameter named `p`), or undefined when the SQL cannot promise that (a regex: RE2 is not
 * JavaScript's engine; a raw field: only the original object has it).
 */
function whereSql(c: WhereClause, p: string, aggregate = false): string | undefined {
  const field = c.field.toLowerCase();
  if (field === 'level') {
    // `level=error` names a level in any spelling; a value that names none compares as text.
    if (c.op !== '=' && c.op !== '!=') return undefined;
    return `level ${c.op} {${p}:String}`;
  }
  if (field === 'duration' || field === 'duration_ms') {
    // A record without a duration never passes a comparison (as in matchWhere).
    return c.number !== undefined ? `duration_ms ${c.op} {${p}:Float64}` : undefined;
  }
  const col = COLUMN_OF[field];
  if (col === undefined || c.number !== undefined) return undefined;
  // A record without the normalized field is matched on its raw key of that name (a `"service": 7`
  // the normalizer left out): a read lets such rows through, for logtool to judge; an aggregate
  // runs only once columnsExact found none.
  if (c.op === '=') return aggregate ? `${col} = {${p}:String}` : `(${col} = {${p}:String} OR ${col} IS NULL)`;
  // A record without the field is not equal to the value: it passes `!=`.
  if (c.op === '!=') return `(${col} IS NULL OR ${col} != {${p}:String})`;
  return undefined;
}

/**
 * Rows of an OpenTelemetry table whose level may be at or above `min`: all but those certainly
 * below — a level word under the minimum (or only a SeverityNumber under it), with no attribute
 * the alias table would read a level from first.
 */
function otelAtLeast(schema: Extract<Schema, { kind: 'otel' }>, min: Level, params: Params): string {
  const m = schema.map;
  params[`below_${min}`] = Object.entries(LEVEL_NAMES).filter(([, l]) => LEVEL_RANK[l] < LEVEL_RANK[min]).map(([word]) => word);
  params[`minsev_${min}`] = OTEL_MIN[min];
  const attrLevel = m.attributes ? `arrayExists(k -> lower(k) IN ('level', 'levelname', 'severity'), mapKeys(${m.attributes}))` : '0';
  const sevBelow = m.severity_number ? `(${m.level} = '' AND ${m.severity_number} > 0 AND ${m.severity_number} < {minsev_${min}:UInt8})` : '0';
  return `NOT (NOT ${attrLevel} AND (lower(trim(BOTH ' ' FROM ${m.level})) IN {below_${min}:Array(String)} OR ${sevBelow}))`;
}

/** The normalized fields that are columns of logtool's table (pushed down for `--where field=value`). */
const COLUMN_OF: Record<string, string> = { service: 'service', operation: 'operation', component: 'component', event_type: 'event_type', error_type: 'error_type' };

const OTEL_MIN: Record<Level, number> = { unknown: 0, trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

/** The levels at or above a minimum. */
export function levelsFrom(min: Level): string[] {
  return (Object.keys(LEVEL_RANK) as Level[]).filter((l) => l !== 'unknown' && LEVEL_RANK[l] >= LEVEL_RANK[min]);
}
