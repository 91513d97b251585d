import { statsStateOf, type StatsCounts } from '../../../analyze/stats.js';
import type { FilterSpec } from '../../../filter.js';
import type { Level } from '../../../types.js';
import type { TableSource } from '../read.js';
import { columnsExact, filterPushedExactly, wherePredicates } from '../sql.js';

/** JSONExtractKeys arrived in ClickHouse 20.x; older servers stream the records instead. */
const MIN_MAJOR = 21;

/**
 * `stats` as SQL aggregates on logtool's table: counts per level, service, component, event type,
 * key of the original object and minute, computed by the server. Undefined when they cannot be the
 * same answer as reading the records (an OpenTelemetry table, a `--where` the SQL does not hold,
 * an old server, a breakdown past its bound); the caller then streams the records.
 */
export async function statsOnServer(src: TableSource, filter: FilterSpec) {
  if (!filterPushedExactly(src.schema, filter) || src.major < MIN_MAJOR) return undefined;
  const { sql: where, params } = wherePredicates(src.schema, { filter }, true);
  const t = `${src.conn.target.database}.${src.schema.table}`;
  const and = (cond: string) => (where ? `${where} AND ${cond}` : `WHERE ${cond}`);
  const q = (sql: string) => src.conn.all(sql, params);
  if (!(await columnsExact(src.conn, t, filter.where.map((c) => c.field)))) return undefined;
  const [totals] = await q(`SELECT count() AS n, countIf(empty(ids)) AS no_id, countIf(time IS NULL) AS no_time, min(time) AS first, max(time) AS last FROM ${t} ${where}`);
  const levels = { trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0, unknown: 0 } as Record<Level, number>;
  for (const r of await q(`SELECT level, count() AS n FROM ${t} ${where} GROUP BY level`)) levels[String(r.level) as Level] = Number(r.n);
  const LIMIT = 1001;
  const breakdown = async (col: string) =>
    (await q(`SELECT ${col} AS k, count() AS n FROM ${t} ${and(`${col} IS NOT NULL`)} GROUP BY k LIMIT ${LIMIT}`)).map((r) => [String(r.k), Number(r.n)] as [string, number]);
  const counts: StatsCounts = {
    records: Number(totals.n),
    levels,
    withoutId: Number(totals.no_id),
    withoutTime: Number(totals.no_time),
    service: await breakdown('service'),
    component: await breakdown('component'),
    eventType: await breakdown('event_type'),
    fields: (await q(`SELECT arrayJoin(arrayDistinct(JSONExtractKeys(raw))) AS k, count() AS n FROM ${t} ${where} GROUP BY k LIMIT ${LIMIT}`)).map((r) => [String(r.k), Number(r.n)]),
    minutes: (await q(`SELECT floor(time / 60000) * 60000 AS m, count() AS n, countIf(level IN ('error', 'fatal')) AS e FROM ${t} ${and('time IS NOT NULL')} GROUP BY m`)).map((r) => [Number(r.m), Number(r.n), Number(r.e)]),
    first: totals.first === null ? undefined : Number(totals.first),
    last: totals.last === null ? undefined : Number(totals.last),
  };
  return statsStateOf(counts);
}
